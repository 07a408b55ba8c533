"""The large 目标任务 / 指标 / 汇编 pages are split (issue 18): a synthetic project of 200 plans in 2 departments,
generated in this process with small page sizes (``gongkai.data.urls.TARGET_ROWS``, ``COMPILATION_PLANS``
patched for the module), so every kind of page has several pages or parts.

Checked on the generated HTML: the page count, every target and every plan on exactly one page, the full
目录 in every 汇编 part, pager and 目录 links that lead to generated pages and ids, the old URLs still
the first page, every URL in the output-collision list (``planned_urls``), bounded pages, and signatures
that change for exactly the pages an edit touches (the preview's fast path re-renders by them).
"""
from __future__ import annotations

import posixpath
import re
from collections import Counter

import pytest

from gongkai.bench.synth import write_synthetic_project
from gongkai.data import urls
from gongkai.data.loader import load_project
from gongkai.data.security import planned_urls
from gongkai.data.targets import Target
from gongkai.pages import targets as targets_pages
from gongkai.pages.components import make_env
from gongkai.pages.context import PageContext
from gongkai.pages.generate import generate
from gongkai.pages.outputs import Versions

ROWS, PLANS = 7, 4
PAGED = ("mbrw/", "xxgk/hb/")
HREF = re.compile(r'\shref="([^"]*)"')
ID = re.compile(r'\sid="([^"]+)"')
PAGER = re.compile(r'<nav class="gk-pager" aria-label="[^"]+"><ul>(.*?)</ul></nav>')
PLAN_OF_ROW = re.compile(r'<span class="gk-targets__plan">出自<a href="([^"]+)">')
INDICATOR_ROW = re.compile(r'<tr><th scope="row">\d{4}</th>.*?<td data-label="计划"><a href="([^"#]+)#')


@pytest.fixture(scope="module")
def paged(tmp_path_factory, repo_root):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(urls, "TARGET_ROWS", ROWS)
        mp.setattr(urls, "COMPILATION_PLANS", PLANS)
        root = write_synthetic_project(tmp_path_factory.mktemp("paging") / "p200", 200, 3, departments=2).root
        project, problems = load_project(root)
        assert not problems.error_count, problems
        env = make_env(root / "templates")
        pages = {p.url: p for p in generate(project, env)}
        planned = {u for u, *_ in planned_urls(project)}
        jobs = {j.key: j.sig for j in targets_pages.page_jobs(PageContext(project, env))}
        yield project, pages, planned, env, jobs


def resolve(here: str, href: str) -> tuple[str, str]:
    """(site-relative page URL, fragment) of a relative link on page ``here``."""
    path, _, fragment = href.partition("#")
    if not path:
        return here, fragment
    target = posixpath.normpath(posixpath.join(here, path))
    return ("" if target == "." else target + "/"), fragment


def targets_of(project, **where) -> list[Target]:
    return [t for p in project.plans for t in p.targets if isinstance(t, Target)
            and all(getattr(t.plan, k) == v if k != "dept" else t.plan.department.slug == v for k, v in where.items())]


@pytest.mark.parametrize("count,size,pages", [(0, 7, 1), (1, 7, 1), (7, 7, 1), (8, 7, 2), (14, 7, 2), (15, 7, 3), (200, 200, 1), (201, 200, 2)])
def test_page_count(count, size, pages):
    assert urls.page_count(count, size) == pages


@pytest.mark.parametrize("url,n,expected", [("mbrw/2024/skjj/", 1, "mbrw/2024/skjj/"), ("mbrw/2024/skjj/", 3, "mbrw/2024/skjj/3/"),
                                            ("xxgk/hb/skjj/2024/", 2, "xxgk/hb/skjj/2024/2/"), ("mbrw/zb/gaoqi-shuliang/", 12, "mbrw/zb/gaoqi-shuliang/12/")])
def test_page_url(url, n, expected):
    assert urls.page_url(url, n) == expected


def test_every_page_is_planned_and_the_old_urls_are_the_first_pages(paged):
    project, pages, planned, _, _ = paged
    made = {u for u in pages if u.startswith(PAGED)}
    assert made == {u for u in planned if u.startswith(PAGED)}
    years = {p.year for p in project.plans}
    for year in years:
        assert urls.targets_year_url(year) in pages
    for p in project.plans:
        assert urls.compilation_url(p.department.slug, p.year) in pages
    assert len(made) > 4 * len(years)  # the patched sizes did split them


def test_each_department_year_is_paginated_with_every_target_once(paged):
    project, pages, _, _, _ = paged
    split = 0
    for year in sorted({p.year for p in project.plans}):
        overview = pages[urls.targets_year_url(year)].html
        for dept in sorted(project.departments):
            mine = targets_of(project, year=year, dept=dept)
            if not mine:
                continue
            url = urls.targets_dept_url(year, dept)
            total = urls.page_count(len(mine), ROWS)
            assert f'<tr id="gk-dept-{dept}"><th scope="row"><a href="{dept}/">' in overview
            assert f'<td data-label="目标数">{len(mine)}</td>' in overview.split(f'id="gk-dept-{dept}"')[1].split("</tr>")[0]
            seen: Counter = Counter()
            for n in range(1, total + 1):
                page = pages[urls.page_url(url, n)]
                rows = [resolve(page.url, h)[0] for h in PLAN_OF_ROW.findall(page.html)]
                assert 1 <= len(rows) <= ROWS
                seen.update(rows)
                if total > 1:
                    assert f"（第{n}页，共{total}页）" in page.title
            assert urls.page_url(url, total + 1) not in pages
            assert seen == Counter(t.plan.url for t in mine)
            split += total > 1
    assert split > 3


def test_indicator_pages_split_the_table_and_the_chart(paged):
    project, pages, _, _, _ = paged
    split = 0
    by_ind: dict[str, list[Target]] = {}
    for t in targets_of(project):
        by_ind.setdefault(t.indicator.slug, []).append(t)
    for slug, mine in by_ind.items():
        total = urls.page_count(len(mine), ROWS)
        seen: Counter = Counter()
        for n in range(1, total + 1):
            page = pages[urls.page_url(urls.indicator_url(slug), n)]
            rows = [resolve(page.url, h)[0] for h in INDICATOR_ROW.findall(page.html)]
            assert 1 <= len(rows) <= ROWS
            seen.update(rows)
            desc = re.search(r"<desc [^>]*>(.*?)</desc>", page.html, re.S)
            numeric = sum(1 for t in mine[(n - 1) * ROWS:n * ROWS] if t.kind != "定性")
            assert (desc.group(1).count("：目标") if desc else 0) == numeric  # the chart draws this page's rows
            assert f"<dt>目标数</dt><dd>{len(mine)}项</dd>" in page.html  # the facts are of all of them
        assert seen == Counter(t.plan.url for t in mine)
        split += total > 1
    assert split > 3


def test_compilation_parts_hold_each_plan_once_and_the_full_contents(paged):
    project, pages, _, _, _ = paged
    groups: dict[tuple[str, int], list] = {}
    for p in project.plans:
        groups.setdefault((p.department.slug, p.year), []).append(p)
    split = 0
    for (dept, year), plans in groups.items():
        url = urls.compilation_url(dept, year)
        total = urls.page_count(len(plans), PLANS)
        seen: Counter = Counter()
        for n in range(1, total + 1):
            page = pages[urls.page_url(url, n)]
            articles = re.findall(r'<article class="gk-compilation__item" id="hb-([^"]+)"', page.html)
            assert 1 <= len(articles) <= PLANS
            seen.update(articles)
            toc = re.search(r'<ol>(.*?)</ol></nav>', page.html).group(1)
            ids = set(ID.findall(page.html))
            entries = HREF.findall(toc)
            assert len(entries) == len(plans)  # every part has the whole 目录
            for href in entries:
                target, fragment = resolve(page.url, href)
                assert target in pages and fragment in set(ID.findall(pages[target].html)), href
                assert (target == page.url) == (fragment in ids)
            if total > 1:
                assert f"（第{n}部分，共{total}部分）" in page.title
            else:
                assert 'class="gk-pager"' not in page.html
        assert seen == Counter(p.slug for p in plans)
        split += total > 1
    assert split > 3


def test_pager_links_lead_to_the_pages_and_mark_the_current_one(paged):
    _, pages, _, _, _ = paged
    checked = 0
    for url, page in pages.items():
        if not url.startswith(PAGED):
            continue
        labels = re.findall(r'<nav [^>]*aria-label="([^"]+)"', page.html)
        assert len(labels) == len(set(labels)), (url, labels)  # each navigation landmark has its own name
        for nav in PAGER.findall(page.html):
            links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>第(\d+)(?:页|部分)</a>', nav)
            assert [int(n) for _, _, n in links] == list(range(1, len(links) + 1))
            for href, current, _ in links:
                target, _ = resolve(url, href)
                assert target in pages, (url, href)
                assert bool(current) == (target == url)
                checked += 1
    assert checked > 100


def test_pages_are_bounded(paged):
    _, pages, _, _, _ = paged
    sizes = {u: len(p.html.encode()) for u, p in pages.items() if u.startswith(PAGED)}
    assert max(sizes.values()) < 120_000, max(sizes, key=sizes.get)


def test_an_edit_changes_the_signatures_of_exactly_the_pages_that_show_it(paged):
    project, pages, _, env, before = paged
    plan = next(p for p in project.plans if sum(isinstance(t, Target) for t in p.targets) and p.year == 2020)
    group = sorted((p for p in project.plans if (p.department.slug, p.year) == (plan.department.slug, plan.year)),
                   key=lambda p: (p.published, p.published_time, p.id))
    part = group.index(plan) // PLANS + 1
    shown = (urls.targets_dept_url(plan.year, plan.department.slug),
             *(urls.indicator_url(t.indicator.slug) for t in plan.targets if isinstance(t, Target)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(urls, "TARGET_ROWS", ROWS)
        mp.setattr(urls, "COMPILATION_PLANS", PLANS)
        for facet, expect in [
            ("page", {urls.page_url(urls.compilation_url(plan.department.slug, plan.year), part)}),
            ("entry", {u for u in pages if u.startswith(urls.compilation_url(plan.department.slug, plan.year))}),  # the 目录
            # the rows naming the plan: the pages of its department's year and of its indicators with a row linking to it
            ("targets", {u for u in pages if u.startswith(shown) and f'href="{urls.rel(u, plan.url)}#' in pages[u].html}),
            # the counts of targets: the index, the year, every page of its department's year
            ("measures", {"mbrw/", urls.targets_year_url(plan.year)}
             | {u for u in pages if u.startswith(urls.targets_dept_url(plan.year, plan.department.slug))}),
        ]:
            versions = Versions()
            versions.bump(plan.id, [facet])
            after = {j.key: j.sig for j in targets_pages.page_jobs(PageContext(project, env), versions)}
            assert after.keys() == before.keys()
            assert {k for k in after if after[k] != before[k]} == expect, facet
