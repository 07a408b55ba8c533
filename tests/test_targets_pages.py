"""The generated targets pages of the sample site, read as HTML: every link to a paragraph or a
target lands on an element with that id, ids are unique on each page (the 汇编 holds several
bodies), and the pages list what they promise."""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

import pytest


ID = re.compile(r'\sid="([^"]+)"')
HREF = re.compile(r'\shref="([^"]*#[^"]*)"')


@lru_cache(maxsize=None)
def ids_of(path: Path) -> list[str]:
    return ID.findall(path.read_text(encoding="utf-8"))


def pages(sample_site):
    site = sample_site
    return sorted(p for p in site.rglob("index.html") if p.parent.relative_to(site).parts[:1] in (("mbrw",), ("sjkf",), ("xxgk",)))


def test_ids_are_unique_on_every_page(sample_site):
    for path in pages(sample_site):
        ids = ids_of(path)
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        assert not dupes, f"{path}: {dupes}"


def test_every_fragment_link_lands_on_an_element(sample_site):
    site = sample_site
    checked = 0
    for path in pages(sample_site):
        for href in HREF.findall(path.read_text(encoding="utf-8")):
            if href.startswith(("http", "?")):
                continue
            target, _, fragment = href.partition("#")
            if not fragment:
                continue
            if target:
                folder = posixpath.normpath(posixpath.join(path.parent.relative_to(site).as_posix(), target))
                other = site / folder / "index.html"
            else:
                other = path
            assert other.is_file(), f"{path}: {href}"
            assert fragment in ids_of(other), f"{path}: {href} points nowhere"
            checked += 1
    assert checked > 100  # 见原文, 出自 and 目录 links across plan, overview, indicator and 汇编 pages


def test_overview_counts_match_the_rows_of_the_department_pages(sample_site):
    html = (sample_site / "mbrw/2024/index.html").read_text(encoding="utf-8")
    counts = dict(re.findall(r"<dt>(目标总数|已完成|进行中|未完成|无数据)</dt><dd>(\d+)项</dd>", html))
    rows = re.findall(r'<tr id="gk-dept-([a-z0-9-]+)"><th scope="row"><a href="([^"]+)">[^<]+</a></th>'
                      r'<td data-label="目标数">(\d+)</td>', html)
    assert [slug for slug, _, _ in rows] == ["gdkjj", "skjj"]  # by department
    statuses = []
    for slug, href, count in rows:
        assert href == f"{slug}/"
        page = (sample_site / "mbrw/2024" / href / "index.html").read_text(encoding="utf-8")
        mine = re.findall(r'<strong class="gk-progress__status">(.+?)</strong>', page)
        assert len(mine) == int(count) and 'class="gk-pager"' not in page  # the sample fits on one page
        statuses += mine
    assert int(counts["目标总数"]) == len(statuses) == 29
    for status in ("已完成", "进行中", "未完成", "无数据"):
        assert int(counts[status]) == statuses.count(status)


@pytest.mark.parametrize("url,expected", [
    ("mbrw/2024/skjj/index.html", ["示例市科学技术局2024年目标任务", "出自", "查看2024年各发布机构的目标任务"]),
    ("mbrw/index.html", ["2024年目标任务", "2021年目标任务", "高新技术企业数量", "年度计划汇编", "数据开放"]),
    ("xxgk/skjj/2021/keji-gongzuo-yaodian/index.html", ["主要目标", "最终结果", "见工作总结", "87.0%", "未完成"]),
    ("xxgk/skjj/2021/keji-gongzuo-zongjie/index.html", ["2021年目标完成情况", "出自", "124.0%"]),
    ("xxgk/hb/skjj/2024/index.html", ["示例市科学技术局2024年度计划汇编（3篇）", "目录", "查看本篇的信息公开页面"]),
    ("wzdt/index.html", ["目标任务与数据开放", "数据开放"]),
])
def test_pages_show(url, expected, sample_site):
    html = (sample_site / url).read_text(encoding="utf-8")
    for text in expected:
        assert text in html, f"{url}: {text}"


def test_a_progress_bar_is_rendered_once_for_each_distinct_params_and_is_the_component_s():
    from conftest import ROOT
    from gongkai.data.loader import load_project
    from gongkai.data.targets import all_targets
    from gongkai.pages.components import component, make_env
    from gongkai.pages.context import PageContext
    from gongkai.pages.targets import progress_html, progress_params

    project, problems = load_project(ROOT)
    assert project is not None, problems.report()
    env = make_env(ROOT / "templates")
    ctx = PageContext(project, env)
    targets = all_targets(project.plans)
    bars = [progress_html(ctx, t) for t in targets] + [progress_html(ctx, t) for t in targets]
    bar = component(env, "progress_bar")
    for t, html in zip(targets * 2, bars):
        assert html == bar(progress_params(t))
    distinct = {tuple(progress_params(t).values()) for t in targets}
    assert len(ctx.kept["progress_bar"]) - 1 == len(distinct) > 1  # one entry per distinct bar, and the component
    assert all(a is b for a, b in zip(bars, bars[len(targets):]))  # the second time, the kept one
