"""gongkai portal (issue 20): a province portal built from three departments' published sites — one a
local folder, one a real build of its own, one read over HTTP — with a department that is down and one
that publishes bad data (reported in Chinese, skipped); the merged search index against the
departments' own; per-department incremental rebuilds; portal.yml mistakes; and the cross-department
search in Chromium (a plan of department B found from the portal, filtered by department)."""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import cli_build, copy_project, free_port, gongkai_cmd, vnu_messages
from conftest_a11y import AT_BODY, JS_OVERFLOW, JS_SMALL_TARGETS, JS_TEXT_PROBLEMS, dump, format_violations, run_axe
from gongkai.pages.search import search
from gongkai.portal.build import FAILED, OK, PARTIAL, build_portal

B_PLAN = "xxgk/gdkjj/2024/gongzuo-jihua/"
B_TITLE = "广德市海洋牧场建设三年行动计划"
BASE = "https://www.example.gov.cn/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def portal_yml(path: Path, departments: list[tuple[str, str, str]]) -> Path:
    path.write_text("门户名称: 示例省政府信息公开门户\n门户地址: " + BASE + "\n部门:\n" + "".join(
        f"  - 名称: {name}\n    路径: {where}\n    来源: {source}\n" for name, where, source in departments),
        encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def world(sample_site, tmp_path_factory):
    """Departments A (the sample site's folder), B (the sample with one plan renamed, built for real),
    C (the sample site over HTTP), a department that is down and one whose plans.json is broken."""
    base = tmp_path_factory.mktemp("portal")
    project = copy_project(base / "b-project")
    plan = project / "data" / "plans" / "gdkjj" / "2024" / "gongzuo-jihua.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("名称: 广德市科技局2024年工作计划", f"名称: {B_TITLE}"),
                    encoding="utf-8")
    proc = cli_build(project, base / "b")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (base / "bad" / "sjkf").mkdir(parents=True)
    (base / "bad" / "sjkf" / "plans.json").write_text("<html>维护中</html>", encoding="utf-8")
    server, url = serve(sample_site)
    config = portal_yml(base / "portal.yml", [
        ("省科技厅", "a/", str(sample_site)), ("省海洋局", "b/", "b"), ("省教育厅", "c/", url),
        ("省停机局", "d/", f"http://127.0.0.1:{free_port()}/"), ("省坏数据局", "e/", "bad")])
    proc = subprocess.run([*gongkai_cmd(), "portal", str(config), "--out", str(base / "out")],
                          capture_output=True, text=True, cwd=base, timeout=120)
    yield {"base": base, "out": base / "out", "a": sample_site, "b": base / "b", "c": sample_site, "proc": proc}
    server.shutdown()


def test_the_departments_that_fail_are_reported_in_chinese_and_the_rest_published(world):
    proc = world["proc"]
    assert proc.returncode == PARTIAL == 3, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("portal.yml:")]
    assert len(errors) == 2
    assert errors[0].startswith("portal.yml:13: 部门“省停机局”: 无法连接 http://127.0.0.1:") and "连接被拒绝" in errors[0]
    assert errors[1].startswith("portal.yml:16: 部门“省坏数据局”: sjkf/plans.json 不是有效的 JSON")
    assert all("已跳过这个部门，其余部门照常发布" in line for line in errors)
    assert "已跳过 2 个部门：省停机局、省坏数据局" in proc.stderr
    assert "门户已生成" in proc.stdout and "3 个部门" in proc.stdout


def test_home_catalogue_sitemap_index_and_feed(world):
    out = world["out"]
    plans = {k: json.loads((world[k] / "sjkf" / "plans.json").read_text(encoding="utf-8"))["条目"] for k in "abc"}
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    cards = home.select("[data-gk-department]")
    assert [c["data-gk-department"] for c in cards] == ["省科技厅", "省海洋局", "省教育厅"]
    assert [c.h2.a["href"] for c in cards] == ["a/", "b/", "c/"]
    assert f"共 {len(plans['b'])} 条信息" in cards[1].get_text()
    assert B_TITLE in cards[1].get_text() and B_TITLE not in cards[0].get_text()
    assert home.select_one('form[role=search]')["action"] == "search/"

    catalogue = BeautifulSoup((out / "xxgk" / "index.html").read_text(encoding="utf-8"), "html.parser")
    sections = catalogue.select("section.gk-portal__catalogue")
    assert [s.h2.get_text() for s in sections] == ["省科技厅", "省海洋局", "省教育厅"]
    links = [a["href"] for a in sections[1].select("tbody a")]
    assert f"../b/{B_PLAN}" in links and len(links) == min(10, len(plans["b"]))
    assert all(href.startswith("../b/") for href in links)

    sitemap = BeautifulSoup((out / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    assert sitemap.find("sitemapindex") is not None
    assert [loc.text for loc in sitemap.find_all("loc")] == [
        BASE + "sitemap-portal.xml", BASE + "a/sitemap.xml", BASE + "b/sitemap.xml", BASE + "c/sitemap.xml"]

    feed = BeautifulSoup((out / "atom.xml").read_text(encoding="utf-8"), "xml")
    entries = feed.find_all("entry")
    assert len(entries) == sum(len(p) for p in plans.values())  # fewer than 50 in all
    b_entry = next(e for e in entries if e.title.text == B_TITLE)
    assert b_entry.link["href"] == BASE + "b/" + B_PLAN and b_entry.author.find("name").text == "省海洋局"
    dates = [e.published.text for e in entries]
    assert dates == sorted(dates, reverse=True)
    page = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-gk-search-root="../"' in page and (out / "assets" / "gongkai" / "search.js").is_file()
    assert 'name="gk-release"' in page and (out / "404.html").is_file()


@pytest.mark.parametrize("query", ["科技", "高新技术企业", "海洋牧场", "科技特派员", "1134172300325409XR/202403-00002",
                                   "１１３４１７２３００３２５４０９ＸＲ／２０２４０３－２"])
def test_the_merged_index_finds_what_each_department_finds(world, query):
    """Every department's own hits, under its path, and nothing else (same terms, same postings)."""
    portal = set(search(world["out"], query, limit=1000))
    expected = {f"{p}/{u}" for p in "abc" for u in search(world[p], query, limit=1000)}
    assert portal == expected and portal
    if query == "海洋牧场":
        assert portal == {"b/" + B_PLAN}


def test_a_department_that_did_not_publish_again_is_not_read_again(world, sample_site, tmp_path):
    a = tmp_path / "a"
    shutil.copytree(sample_site, a)
    config = portal_yml(tmp_path / "portal.yml", [("省科技厅", "a/", "a"), ("省海洋局", "b/", str(world["b"]))])
    first = build_portal(config, tmp_path / "out")
    assert first.code == OK and first.fetched == ["省科技厅", "省海洋局"]
    meta = (tmp_path / "out" / "search-index" / "meta.json").read_bytes()
    b_cache = tmp_path / ".gongkai-portal-cache" / "b" / "info.json"
    b_stamp = b_cache.stat().st_mtime_ns

    again = build_portal(config, tmp_path / "out")
    assert again.code == OK and again.fetched == []
    assert (tmp_path / "out" / "search-index" / "meta.json").read_bytes() == meta  # same input, same index

    shutil.rmtree(a)  # A publishes again: now it is B's build (with the renamed plan)
    shutil.copytree(world["b"], a)
    third = build_portal(config, tmp_path / "out")
    assert third.code == OK and third.fetched == ["省科技厅"]
    assert b_cache.stat().st_mtime_ns == b_stamp  # B's cached postings were not rewritten
    assert set(search(tmp_path / "out", "海洋牧场")) == {"a/" + B_PLAN, "b/" + B_PLAN}


@pytest.mark.parametrize("text, message", [
    ("门户地址: https://www.example.gov.cn/\n部门:\n  - {名称: 甲, 路径: a/, 来源: a}\n", "portal.yml:1: 门户名称: 没有填写"),
    ("门户名称: 门户\n门户地址: www.example.gov.cn\n部门:\n  - {名称: 甲, 路径: a/, 来源: a}\n",
     "portal.yml:2: 门户地址: “www.example.gov.cn”不是以 / 结尾的网址"),
    ("门户名称: 门户\n门户地址: https://www.example.gov.cn/\n部门:\n  - {名称: 甲, 路径: ＫＪＴ/, 来源: a}\n",
     "portal.yml:4: 部门第1项.路径: “ＫＪＴ/”不是门户下的路径"),
    ("门户名称: 门户\n门户地址: https://www.example.gov.cn/\n部门:\n  - {名称: 甲, 路径: kjt, 来源: a}\n",
     "portal.yml:4: 部门第1项.路径: “kjt”不是门户下的路径"),
    ("门户名称: 门户\n门户地址: https://www.example.gov.cn/\n部门:\n  - {名称: 甲, 路径: a/, 来源: a}\n"
     "  - {名称: 乙, 路径: a/, 来源: b}\n", "portal.yml:5: 部门第2项.路径: “a/”与第 4 行重复"),
    ("门户名称: 门户\n门户地址: https://www.example.gov.cn/\n部门:\n  - {名称: 甲, 路径: search/, 来源: a}\n",
     "portal.yml:4: 部门第1项.路径: “search/”是门户自己的页面使用的路径"),
    ("门户名称: 门户\n门户地址: https://www.example.gov.cn/\n部门:\n  - {名称: 甲, 路径: a/}\n",
     "portal.yml:4: 部门第1项.来源: 没有填写"),
    ("门户名称: 门户\n门户地址: https://www.example.gov.cn/\n部门: []\n", "portal.yml:3: 部门: 没有列出任何部门"),
    ("门户名称: [门户\n", "portal.yml:2: YAML 格式错误"),
])
def test_portal_yml_mistakes_are_reported_and_nothing_is_written(tmp_path, text, message):
    (tmp_path / "portal.yml").write_text(text, encoding="utf-8")
    result = build_portal(tmp_path / "portal.yml", tmp_path / "out")
    assert result.code == FAILED and not (tmp_path / "out").exists()
    assert any(line.startswith(message) for line in result.errors), result.errors
    assert all("—" in line for line in result.errors)  # every message says how to fix it


def test_cross_department_search_in_chromium(world, browser, tmp_path):
    """From the portal's search page: B's plan is found (and shown as B's), and the department filter keeps
    only A's results, as many as A's own index gives; the result opens B's page."""
    root = tmp_path / "www"
    shutil.copytree(world["out"], root)
    for p in "abc":
        os.symlink(world[p], root / p)
    server, url = serve(root)
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "search/?q=海洋牧场")
        page.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '海洋牧场'")
        items = page.locator("#search-results .gk-search__item")
        assert items.count() == 1
        assert items.first.locator("a").get_attribute("href") == url + "b/" + B_PLAN
        assert "发布机构：省海洋局" in items.first.locator(".gk-search__meta").inner_text()

        page.fill("#gk-search-input", "科技")
        page.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '科技'")
        options = page.locator("#gk-filter-department option").all_inner_texts()
        assert [o.split("（")[0] for o in options] == ["全部", "省科技厅", "省海洋局", "省教育厅"]
        page.select_option("#gk-filter-department", "省科技厅")
        page.wait_for_function("document.getElementById('search-results').dataset.gkFilters.includes('department')")
        own = search(world["a"], "科技", limit=1000)
        assert page.locator(".gk-search__count").inner_text() == f"共找到 {len(own)} 条结果"
        hrefs = page.locator("#search-results .gk-search__title").evaluate_all("els => els.map(e => e.href)")
        assert hrefs and all(h.startswith(url + "a/") for h in hrefs)
        assert "department=" in page.url

        page.goto(url + "search/?q=海洋牧场")
        page.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '海洋牧场'")
        page.locator("#search-results .gk-search__title").first.click()
        page.wait_for_url(url + "b/" + B_PLAN)
        assert B_TITLE in page.title()
        assert not errors
    finally:
        context.close()
        server.shutdown()


def test_the_shipped_ci_templates_build_departments_in_a_matrix_then_the_portal():
    """CI machinery only: a matrix job per department publishing to its own prefix, then the portal job."""
    import yaml

    from conftest import ROOT

    gh = yaml.safe_load((ROOT / ".github" / "workflows" / "portal.yml").read_text(encoding="utf-8"))
    dept, portal = gh["jobs"]["department"], gh["jobs"]["portal"]
    assert dept["strategy"]["fail-fast"] is False and dept["strategy"]["matrix"]["dept"]
    assert any('deploy "s3://$PORTAL_BUCKET/${{ matrix.dept }}"' in s.get("run", "") for s in dept["steps"])
    assert portal["needs"] == "department" and "cancelled()" in portal["if"]
    runs = [s.get("run", "") for s in portal["steps"]]
    assert ".venv/bin/gongkai portal portal.yml --out portal-site || [ $? -eq 3 ]" in runs
    assert '.venv/bin/gongkai deploy "s3://$PORTAL_BUCKET/" --from portal-site --keep 5' in runs
    assert all("@" not in s["uses"] or len(s["uses"].split("@")[1]) == 40 for j in gh["jobs"].values()
               for s in j["steps"] if "uses" in s)  # actions pinned to commits

    gl = yaml.safe_load((ROOT / ".gitlab" / "portal-ci.yml").read_text(encoding="utf-8"))
    assert gl["department"]["parallel"]["matrix"][0]["DEPT"]
    assert gl["portal"]["needs"][0]["job"] == "department" and gl["portal"]["when"] == "always"
    assert any(line.startswith(".venv/bin/gongkai portal ") for line in gl["portal"]["script"])
    # the commands the templates run exist and accept those options
    from gongkai.cli import parser

    portal_args = parser().parse_args(["portal", "portal.yml", "--out", "portal-site"])
    assert portal_args.command == "portal" and portal_args.out == Path("portal-site")
    deploy_args = parser().parse_args(["deploy", "s3://bucket/", "--from", "portal-site", "--keep", "5"])
    assert deploy_args.site == Path("portal-site") and deploy_args.keep == 5


# every kind of page the portal writes (templates/portal/): the outside checkers judge them as they judge a site's
PORTAL_PAGES = {"首页": "index.html", "政府信息公开": "xxgk/index.html", "搜索": "search/index.html", "404": "404.html"}


def test_the_portal_pages_are_valid_html(world):
    out = world["out"]
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert set(PORTAL_PAGES.values()) <= set(files), files
    errors = [m for m in vnu_messages(files, out) if m["type"] in ("error", "non-document-error")]
    assert not errors, "\n".join(f'{m.get("url", "").split(":", 1)[-1]}:{m.get("lastLine", "?")}: {m.get("message")}'
                                 for m in errors)


@pytest.fixture
def portal_url(world, tmp_path):
    """The portal with the departments' sites under it (a/, b/, c/), served on 127.0.0.1: one domain, as deployed."""
    root = tmp_path / "www"
    shutil.copytree(world["out"], root)
    for p in "abc":
        os.symlink(world[p], root / p)
    server, url = serve(root)
    yield url
    server.shutdown()


def _open(page, url: str, name: str) -> None:
    path = PORTAL_PAGES[name].removesuffix("index.html")
    page.goto(url + (path + "?q=科技" if name == "搜索" else path))
    if name == "搜索":
        page.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '科技'")
        assert page.locator("#search-results .gk-search__item").count() > 0


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_axe_finds_no_violations_on_the_portal(browser, portal_url, name, width):
    """axe-core (WCAG 2.1 A/AA) on each portal page, on a phone and a desktop; the search page with results."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN", bypass_csp=True)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        _open(page, portal_url, name)
        violations = run_axe(page)
        assert not violations, format_violations(violations)
        assert all(r.startswith("http://127.0.0.1:") for r in requests), requests  # nothing outside the portal
    finally:
        context.close()


def _elder(page) -> bool:
    return "gk-elder" in page.evaluate("window.__gkAtBody")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_elder_mode_on_the_portal(browser, portal_url, device):
    """长辈版 on the portal: from its own link or from the setting chosen on a department's site (same domain),
    applied before the first paint; on every portal page text >= 20 px (18 on a phone), contrast >= 7:1, links
    and controls >= 44 px (60 on a touch screen), nothing sticking out sideways, and axe finds nothing."""
    if device == "desktop":
        options, min_text, min_target = {"viewport": {"width": 1280, "height": 800}}, 20, 44
    else:
        options, min_text, min_target = {"viewport": {"width": 375, "height": 740}, "has_touch": True, "is_mobile": True,
                                         "device_scale_factor": 2}, 18, 60
    context = browser.new_context(locale="zh-CN", bypass_csp=True, **options)
    try:
        context.add_init_script(AT_BODY)
        page = context.new_page()
        page.goto(portal_url)
        assert not _elder(page) and page.is_visible(".gk-portal__elder") and not page.is_visible(".gk-portal__standard")
        page.click(".gk-portal__elder")
        page.wait_for_load_state()
        assert _elder(page) and page.is_visible(".gk-portal__standard") and not page.is_visible(".gk-portal__elder")
        for name in PORTAL_PAGES:
            _open(page, portal_url, name)
            assert _elder(page), f"{name}：长辈版应在首次绘制前生效"
            problems = page.evaluate(JS_TEXT_PROBLEMS, {"minSize": min_text, "minContrast": 7})
            assert not problems, f"{name}：" + dump(problems)
            small = page.evaluate(JS_SMALL_TARGETS, min_target)
            assert not small, f"{name}：链接和按钮应不小于 {min_target}×{min_target}px:\n" + dump(small)
            overflow = page.evaluate(JS_OVERFLOW)
            assert not overflow["out"], f"{name}：" + dump(overflow)
            violations = run_axe(page)
            assert not violations, f"{name}：" + format_violations(violations)
        page.click(".gk-portal__standard")
        page.wait_for_load_state()
        assert not _elder(page)
        # the setting is the sites': 长辈版 chosen on a department's site holds on the portal, and back
        page.goto(portal_url + "a/?mode=elder")
        page.goto(portal_url)
        assert _elder(page)
        page.goto(portal_url + "a/xxgk/?mode=standard")
        page.goto(portal_url + "xxgk/")
        assert not _elder(page)
    finally:
        context.close()
