"""The preview's fast path (issue 18): an edit to one plan rewrites only what depends on it, and every output
served afterwards — the plan page, the catalogues, the search index, open data, sitemap — is what a full
build of the edited project gives (``gongkai.pages.incremental``, ``gongkai.engine.server``).

One server on a copy of the sample project for the module; the edits run in order (rename, change a
target, rename again, compare with a fresh build, break the file, fix it). Timing is the bench's job
(``gongkai bench``, docs/benchmarks.md), not asserted here.
"""
from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, ServeProcess, cli_build, copy_project, free_port
from gongkai.pages import search

PLAN = "data/plans/skjj/2024/niandu-gongzuo-jihua.yml"
URL = "xxgk/skjj/2024/niandu-gongzuo-jihua/"
OLD_TITLE = "市科学技术局2024年度工作计划"
FIRST, SECOND = "市科学技术局2024年度星火燎原计划", "市科学技术局2024年度春华秋实计划"
LINKED_FROM = "xxgk/gdkjj/2024/gongzuo-jihua/"  # its 相关文件 names the plan by its title
# made 已失效 here, its 替代文件 the plan: its 失效 notice names the plan by its title too
WITHDRAWN = "data/plans/gdkjj/2024/gongzuo-jihua.yml"
# every list that shows the plan: department, department × 组配分类, 组配分类, 主题分类, year, 政府信息公开首页
CATALOGUES = ["xxgk/skjj/", "xxgk/skjj/ghjh/", "xxgk/fl/ghjh/", "xxgk/zt/kjjy-kj/", "xxgk/nd/2024/", "xxgk/"]
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("fast") / "proj")
    path = root / WITHDRAWN
    text = path.read_text(encoding="utf-8")
    assert "发布日期: 2024-03-01\n" in text
    path.write_text(text.replace("发布日期: 2024-03-01\n", "发布日期: 2024-03-01\n有效性: 已失效\n失效日期: 2024-12-31\n"
                                 "替代文件: skjj/2024/niandu-gongzuo-jihua\n", 1), encoding="utf-8")
    s = ServeProcess(root, ready=URL)
    yield s
    s.stop()


def _edit(s: ServeProcess, old: str, new: str, visible: str, *, fast: bool = True, plan: str = PLAN, url: str = URL) -> None:
    """Replace ``old`` by ``new`` in the plan file and wait until the plan page shows ``visible``."""
    path = s.root / plan
    done = f"已更新 {Path(plan).name}"
    before = s.output().count(done)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    s.wait_until(lambda: visible in s.get(url), 60, f"the preview did not show {visible}")
    if fast:  # the fast path did it (a full build would be correct too, but slow at 10,000 plans)
        s.wait_until(lambda: s.output().count(done) > before, 10, "no fast update")


def _served_search(s: ServeProcess, query: str, scratch: Path) -> list[str]:
    """``query`` against the served index: the files search.js would download (meta, the terms' shards, the
    documents) fetched over HTTP into ``scratch``, then ranked by the same code the search tests compare
    with search.js (``gongkai.pages.search.search``)."""
    out = scratch / search.BUNDLE_DIR
    for sub in ("t", "d"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    meta = s.get(f"{search.BUNDLE_DIR}/meta.json")
    (out / "meta.json").write_text(meta, encoding="utf-8")
    shards, docs = json.loads(meta)["shards"], json.loads(meta)["docs"]
    for term in search.query_terms(query):
        n = search.term_shard(term, shards)
        (out / "t" / f"{n}.json").write_text(s.get(f"{search.BUNDLE_DIR}/t/{n}.json"), encoding="utf-8")
    for n in range(docs):
        (out / "d" / f"{n}.json").write_text(s.get(f"{search.BUNDLE_DIR}/d/{n}.json"), encoding="utf-8")
    return search.search(scratch, query)


def test_a_renamed_plan_is_right_on_every_page_list_and_data_file(preview, tmp_path):
    s = preview
    _edit(s, f"名称: {OLD_TITLE}", f"名称: {FIRST}", FIRST)
    page = s.get(URL)
    assert "<h1" in page and FIRST in page and OLD_TITLE not in page
    for url in CATALOGUES:
        html = s.get(url)
        assert FIRST in html and OLD_TITLE not in html, url
    linked = s.get(LINKED_FROM)  # the other plan's 相关文件 link and its 失效 notice carry the new title
    assert FIRST in linked and OLD_TITLE not in linked and "已失效" in linked
    assert URL in _served_search(s, "星火燎原", tmp_path / "a")
    plans = json.loads(s.get("sjkf/plans.json"))["条目"]
    assert [p["名称"] for p in plans if p["标识"] == "skjj/2024/niandu-gongzuo-jihua"] == [FIRST]
    assert json.loads(s.get("sjkf/plans/skjj/2024/niandu-gongzuo-jihua.json"))["名称"] == FIRST
    assert FIRST in s.get("sjkf/targets.csv") and OLD_TITLE not in s.get("sjkf/targets.csv")
    assert FIRST in s.get("sjkf/atom.xml")
    assert FIRST in s.get("mbrw/2024/skjj/") and FIRST in s.get("xxgk/hb/skjj/2024/")


def test_a_changed_target_is_right_on_the_plan_the_year_and_the_targets_files(preview):
    s = preview
    _edit(s, "    目标值: 80\n", "    目标值: 95\n", "达到 95")
    assert "达到 80" not in s.get(URL)
    assert "达到 95" in s.get("mbrw/2024/skjj/")
    rows = [r for r in s.get("sjkf/targets.csv").splitlines() if "chuangxin-xiangmu" in r]
    assert len(rows) == 1 and ",95," in rows[0]
    targets = json.loads(s.get("sjkf/targets.json"))["目标"]
    assert [t["目标值"] for t in targets if t["编号"] == "chuangxin-xiangmu"] == [95]


def test_renamed_again_it_is_found_by_the_new_title_only_and_equals_a_full_build(preview, tmp_path):
    s = preview
    _edit(s, f"名称: {FIRST}", f"名称: {SECOND}", SECOND)
    assert URL in _served_search(s, "春华秋实", tmp_path / "a")
    assert URL not in _served_search(s, "星火燎原", tmp_path / "b")
    assert _served_search(s, "星火燎原", tmp_path / "c") == []
    # a body edit signs only the plan page and its 汇编 (gongkai.pages.incremental.reachable_jobs): 2 pages
    _edit(s, "全力打造成为全省一流的创新驱动发展示范区", "全力打造成为全省领先的创新驱动发展示范区", "全省领先")
    assert "全省领先" in s.get("xxgk/hb/skjj/2024/") and "全省一流的创新驱动" not in s.get("xxgk/hb/skjj/2024/")
    assert "重新生成 2 个页面" in s.output().rsplit("已更新 niandu-gongzuo-jihua.yml", 1)[1].splitlines()[0]
    # a withdrawn plan's body edit takes the fast path too (its 失效日期 and 替代文件 as loaded)
    _edit(s, "(一)持续加大企业", "(一)进一步加大企业", "进一步加大企业", plan=WITHDRAWN, url=LINKED_FROM)
    # moving it to another 主题分类 signs every page again: both topic lists and the counts change
    _edit(s, "主题分类: 科技、教育\\科技", "主题分类: 其他", "其他")
    # every file a fresh build of the edited project writes, served now: data files byte for byte, pages by
    # their content (the preview's pages name the preview's address where the build names the site's)
    built = tmp_path / "built"
    proc = cli_build(s.root, built)
    assert proc.returncode == 0, proc.stderr
    compared = 0
    for path in sorted(built.rglob("*")):
        rel = path.relative_to(built).as_posix()
        if not path.is_file() or rel.startswith(("assets/", "admin/")) or rel == "robots.txt":
            continue
        with urllib.request.urlopen(s.url + urllib.request.quote(rel), timeout=10) as r:
            served = r.read()
        if rel.endswith(".html"):
            mine = re.sub(rf"http://127\.0\.0\.1:{s.port}/", "https://kj.example.gov.cn/", served.decode("utf-8"))
            assert ARTICLE.findall(mine) == ARTICLE.findall(path.read_text(encoding="utf-8")), rel
        else:
            assert served == path.read_bytes(), rel
        compared += 1
    assert compared > 100  # pages, open data, sitemap.xml and every search-index file


def test_a_data_error_is_shown_and_the_preview_goes_on_until_it_is_fixed(preview):
    s = preview
    _edit(s, "发布日期: 2024-02-20", "发布日期: 2024-02-31", 'id="gk-preview-error"', fast=False)
    page = s.get(URL)
    assert "发布日期" in page and SECOND in page  # the report, above the last good page
    assert 'id="gk-preview-error"' in s.get("xxgk/")
    _edit(s, "发布日期: 2024-02-31", "发布日期: 2024-02-20", SECOND, fast=False)
    s.wait_until(lambda: 'id="gk-preview-error"' not in s.get(URL), 60, "the error panel stayed")
    assert 'id="gk-preview-error"' not in s.get("xxgk/")
    # and the next edit takes the fast path again
    _edit(s, f"名称: {SECOND}", f"名称: {OLD_TITLE}", OLD_TITLE)
    assert OLD_TITLE in s.get("xxgk/skjj/")


def test_a_taken_port_is_a_chinese_sentence_not_a_traceback(tmp_path):
    import socket
    import subprocess
    import sys

    from gongkai.editors import cms_server

    if cms_server.missing():  # make test-deps installs it; its port is only checked when it can start
        pytest.skip(cms_server.missing())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for args, says in ((["--addr", f"127.0.0.1:{port}", "--cms-port", str(free_port())], f"make serve PORT={port + 1}"),
                           (["--addr", f"127.0.0.1:{free_port()}", "--cms-port", str(port)], f"--cms-port {port + 1}")):
            proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "--root", str(tmp_path), "serve", *args],
                                  capture_output=True, text=True, timeout=60)
            assert proc.returncode == 1
            assert f"端口 {port} 已被占用" in proc.stderr and says in proc.stderr
            assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("name, level, message, shown", [
    ("mkdocs.commands.build", "INFO", "Documentation built in 1.25 seconds", "网站已生成，用时 1.25 秒"),
    ("mkdocs.livereload", "INFO", "Serving on http://127.0.0.1:8000/", "预览地址:http://127.0.0.1:8000/"),
    ("mkdocs.livereload", "INFO", "Detected file changes", None),
    ("mkdocs.livereload", "INFO", "Reloading browsers", None),
    ("mkdocs.livereload", "INFO", "Watching paths for changes: 'content', 'data'", None),
    ("mkdocs.commands.build", "WARNING", "A 'dirty' build is being performed, this will likely lead to inaccurate navigation", None),
    ("mkdocs.livereload", "INFO", "Browser connected: http://127.0.0.1:8000/xxgk/", None),
    ("mkdocs.structure.pages", "WARNING", "Doc file 'lxwm.md' contains a link 'nope.md', but the target is not found",
     "MkDocs 提示：Doc file 'lxwm.md' contains a link 'nope.md', but the target is not found"),
    ("mkdocs.plugins.gongkai", "INFO", "数据检查提醒", "数据检查提醒"),  # our own lines pass unchanged
])
def test_mkdocs_log_lines_are_chinese_or_dropped(name, level, message, shown):
    import logging

    from gongkai.engine.server import ChineseLog

    record = logging.LogRecord(name, getattr(logging, level), __file__, 1, message, (), None)
    kept = ChineseLog().filter(record)
    assert (record.getMessage() if kept else None) == shown


def _sample():
    from gongkai.data.loader import load_project
    from gongkai.pages.components import make_env

    project, _ = load_project(ROOT, drafts=True)
    return project, make_env(ROOT / "templates")


@pytest.mark.parametrize("facets", [
    {"page"},  # a body edit
    {"page", "entry"},  # a new 文号
    {"page", "entry", "targets"},  # a rename
    {"page", "targets", "measures"},  # a new target value
    {"page", "entry", "targets", "measures"},
])
def test_an_edit_that_moves_no_plan_signs_every_job_whose_signature_changes_and_no_other_kind(facets):
    """``incremental.reachable_jobs`` (an edit that moves the plan between no lists) signs only the jobs that can
    show what changed: for every plan of the sample, every job whose signature changes when signing every job
    (``generate_jobs``) after the facets are bumped is among them, with the same signature and HTML. A new page
    kind that shows a plan fails here until the focused jobs (``gongkai.pages.outputs.Focus``) include it."""
    from gongkai.pages import incremental
    from gongkai.pages.generate import generate_jobs
    from gongkai.pages.outputs import Versions

    project, env = _sample()
    sigs = {j.key: j.sig for j in generate_jobs(project, env)}
    assert len(project.plans) > 5
    for plan in project.plans:
        versions = Versions()
        versions.bump(plan.id, facets)
        full = {j.key: j for j in generate_jobs(project, env, versions=versions)}
        changed = {k for k, j in full.items() if j.sig != sigs[k]}
        state = incremental.Generated(project, dict(sigs), [], None, versions)
        reached = incremental.reachable_jobs(state, project, plan, plan, facets, [], env)
        assert reached is not None, plan.path
        keys = [j.key for j in reached]
        assert changed <= set(keys) and len(keys) == len(set(keys)), (plan.path, changed - set(keys))
        assert len(changed) >= 2, plan.path  # its page and its 汇编 at least
        if facets == {"page"}:  # the plan page and its 汇编 part, nothing else signed
            assert set(keys) == changed, plan.path
        for j in reached:
            assert j.sig == full[j.key].sig, j.key
            if j.key in changed:
                assert j.make().html == full[j.key].make().html, j.key


def test_the_plans_whose_pages_name_an_edited_plan_are_signed_with_it():
    from gongkai.pages import incremental
    from gongkai.pages.generate import generate_jobs
    from gongkai.pages.outputs import Versions

    project, env = _sample()
    sigs = {j.key: j.sig for j in generate_jobs(project, env)}
    plan = next(p for p in project.plans if p.url == URL)
    others = [p for p in project.plans if p.url == LINKED_FROM]
    versions = Versions()
    versions.bump(plan.id, {"page", "entry", "targets"})
    versions.bump(others[0].id, {"page"})
    full = {j.key: j for j in generate_jobs(project, env, versions=versions)}
    changed = {k for k, j in full.items() if j.sig != sigs[k]}
    state = incremental.Generated(project, dict(sigs), [], None, versions)
    reached = {j.key: j for j in incremental.reachable_jobs(state, project, plan, plan, {"page", "entry", "targets"}, others, env)}
    assert LINKED_FROM in changed and changed <= reached.keys()
    assert all(reached[k].sig == full[k].sig for k in reached)


def _other_indicator(plan, project):
    import dataclasses

    from gongkai.data.targets import Target

    t = next(t for t in plan.targets if isinstance(t, Target))
    other = next(u.indicator for p in project.plans for u in p.targets if isinstance(u, Target) and u.indicator != t.indicator)
    return {"targets": [dataclasses.replace(t, indicator=other) if u is t else u for u in plan.targets]}


@pytest.mark.parametrize("change", [
    lambda plan, project: {"topic": "其他"},  # moves between 主题分类 lists
    lambda plan, project: {"category": "工作总结"},  # between 组配分类 lists
    lambda plan, project: {"published": plan.published.replace(day=1)},  # to another place in every list
    _other_indicator,  # from one 指标 page to another
])
def test_an_edit_that_moves_the_plan_signs_every_page(change):
    import dataclasses

    from gongkai.data.targets import Target
    from gongkai.pages import incremental
    from gongkai.pages.generate import generate_jobs

    project, env = _sample()
    old = next(p for p in project.plans if p.topic != "其他" and p.category != "工作总结" and p.published.day != 1
               and any(isinstance(t, Target) for t in p.targets))
    new = dataclasses.replace(old, **change(old, project))
    state = incremental.Generated(project, {j.key: j.sig for j in generate_jobs(project, env)}, [], None)
    assert incremental.reachable_jobs(state, project, new, old, {"page", "entry", "targets"}, [], env) is None
    assert incremental.reachable_jobs(state, project, old, old, {"page", "entry", "targets"}, [], env) is not None
