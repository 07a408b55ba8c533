"""YAML data → page HTML, as a plain function with no MkDocs in it.

``generate(project, env)`` returns every generated page (plans, catalogues,
site map) as :class:`Page` objects: a docs-relative source name, the URL, the
title, the content HTML and the ``<meta>`` tags. ``chrome(project, env)``
renders the parts of every page that do not change (top links, footer) once.
The MkDocs hook in ``site_hooks/hooks.py`` only feeds these to MkDocs, so
another engine can use the same function.

All links in the HTML are relative, so the site works from any folder of any
static server. The chrome uses ``ROOT`` as a placeholder for the way back to
the site root, replaced per page by the theme.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any, Iterable

from jinja2 import Environment

from gongkai.data import history, withdrawal
from gongkai.data.model import Plan, Project, topic_text
from gongkai.data.urls import (GUIDE_PAGES, OPEN_DATA_URL, PAGE_SIZE, SITEMAP, TARGETS_URL, XXGK, cat_url, dept_cat_url,
                               dept_url, rel, src_of, topic_url, year_url)
from gongkai.markup.body import render_body
from gongkai.pages import attachments
from gongkai.pages import nianbao as nianbao_pages
from gongkai.pages import targets as targets_pages
from gongkai.pages.components import RenderMemo, component
from gongkai.pages.context import ROOT, Page, PageContext, esc, lead, pager as pager_nav
from gongkai.pages.outputs import NO_VERSIONS, Focus, Job, Versions, run
from gongkai.runtime.parallel import pmap
from gongkai.runtime.timing import phase

LATEST = 10  # entries in 最新信息 on 政府信息公开首页
# 栏目导航 (components/site_nav) on every page: the site's sections, as in mkdocs.yml's nav and the 网站地图
SITE_NAV = [("网站首页", ""), ("政府信息公开", XXGK), *GUIDE_PAGES, ("目标任务", TARGETS_URL), ("数据开放", OPEN_DATA_URL),
            ("站内搜索", "search/"), ("联系我们", "lxwm/"), ("网站地图", SITEMAP)]


def _plan_page(ctx: PageContext, plan: Plan) -> Page:
    project = ctx.project
    here = plan.url
    cat = project.category(plan.category)
    dept = plan.department
    rows = [
        ("索引号", plan.index_no, "index_no"), ("组配分类", plan.category, "category"),
        ("发布机构", dept.short_name, "department"), ("主题分类", topic_text(plan.topic), "topic"),
        ("名称", plan.title, "title"), ("文号", plan.doc_no, "doc_no"),
        ("生成日期", plan.created.isoformat(), "created"), ("发布日期", plan.published.isoformat(), "published"),
    ]
    if plan.validity != "有效":
        rows.append(("有效性", plan.validity, "validity"))
        if plan.withdrawn_on:
            rows.append(("失效日期", plan.withdrawn_on.isoformat(), "withdrawn_on"))
    datetime_attr = plan.published.isoformat() + (f"T{plan.published_time.strftime('%H:%M')}" if plan.published_time else "")
    validity = project.validity_of(plan.validity)
    params = {
        "breadcrumb": ctx.crumbs(here, [(dept.short_name, dept_url(dept.slug)), (cat.name, dept_cat_url(dept.slug, cat.slug))], current="location"),
        "metadata": {"rows": [{"label": label, "text": text, "field": f, "wide": f == "title"} for label, text, f in rows]},
        "title": plan.title,
        "status_text": f"本文件{plan.validity}" + (f":{validity.description}" if validity.description else "") if plan.validity != "有效" else "",
        "info": {"published_text": plan.published_text, "datetime": datetime_attr, "source": plan.source, "font_switch": True},
        "body_html": render_body(plan.body),
        "related": {"links": [{"text": r.title, "href": rel(here, r.href) if r.internal else r.href, "relation": r.relation,
                               "external": not r.internal} for r in plan.related]},
        "attachments": attachments.page_params(plan, here),
        "validity": withdrawal.notice_params(plan, validity, lambda url: rel(here, url)),
        "history": history.page_params(plan.revisions, plan.published),
    }
    if plan.review:  # only in the preview: elsewhere these are errors and no page is built
        kind = "草稿" if any(r.field == "草稿" or "占位文字" in r.message for r in plan.review) else "待核对"
        params["draft"] = {"kind": kind, "entries": [{"line": r.line, "field": r.field, "message": r.message} for r in plan.review]}
    targets_pages.plan_params(ctx, plan, params)  # 主要目标 table, numbered-paragraph anchors (gongkai/targets_pages.py)
    if plan.review:  # the preview marks each target still to be reviewed in the table too
        pending = {r.field.split(".")[1] for r in plan.review if r.field.startswith("指标.") and r.field.endswith(".待核对")}
        for row in (params.get("targets") or {}).get("rows", []):
            if str(row.get("id", "")).rsplit("gk-target-", 1)[-1] in pending:
                row["review"] = True
    meta = [
        ("ColumnName", plan.category), ("ColumnType", "政府信息公开"), ("ArticleTitle", plan.title),
        ("PubDate", plan.published_text), ("ContentSource", plan.source),
    ]
    if plan.keywords:
        meta.append(("Keywords", ",".join(plan.keywords)))
    return Page(src_of(here), here, plan.title, str(ctx.c["plan_page"](params)), "plan", meta, plan.path,
                plan.summary or lead(plan.body))


def _paged(entries: list[Plan], url: str) -> Iterable[tuple[int, int, str, list[Plan]]]:
    """Split a newest-first list into pages: (number, total, url, plans)."""
    total = max(1, -(-len(entries) // PAGE_SIZE))
    for n in range(total):
        page_url = url if n == 0 else f"{url}{n + 1}/"
        yield n + 1, total, page_url, entries[n * PAGE_SIZE:(n + 1) * PAGE_SIZE]


def _catalogue_page(ctx: PageContext, url: str, title: str, trail: list[tuple[str, str]], count: int, number: int,
                    total: int, page_url: str, chunk: list[Plan], intro_html: str = "", extra_html: str = "") -> Page:
    heading = title if total == 1 else f"{title}（第{number}页，共{total}页）"
    pager = pager_nav(url, page_url, number, total)
    crumbs = ctx.crumbs(page_url, trail)
    table = ctx.c["catalogue_list"]({"caption": f"{title} 信息列表", "entries": [ctx.entry(page_url, p) for p in chunk]})
    html = (f'{ctx.c["breadcrumb"](crumbs)}<h1>{esc(heading)}</h1>{intro_html if number == 1 else ""}'
            f'{extra_html if number == 1 else ""}{table}{pager}')
    meta = [("ColumnName", title), ("ColumnType", "目录")]
    return Page(src_of(page_url), page_url, heading, html, "catalogue", meta,
                description=f"{ctx.project.site.name}公开的{title}信息，共 {count} 条。")


def _catalogue(ctx: PageContext, versions: Versions, url: str, title: str, trail: list[tuple[str, str]],
               plans: list[Plan], intro_html: str = "", extra_html: str = "") -> list[Job]:
    """One job per page of a catalogue; a page depends on its own entries and the catalogue's size."""
    jobs = []
    for number, total, page_url, chunk in _paged(plans, url):
        first = number == 1
        sig = ("catalogue", title, trail, len(plans), total, number, versions.of_all(chunk, "entry"),
               intro_html if first else "", extra_html if first else "")
        jobs.append(Job(page_url, sig, functools.partial(_catalogue_page, ctx, url, title, trail, len(plans), number, total,
                                                         page_url, chunk, intro_html, extra_html)))
    return jobs


def _count(plans: list[Plan], key) -> dict[Any, int]:
    counts: dict[Any, int] = defaultdict(int)
    for p in plans:
        counts[key(p)] += 1
    return counts


def generate(project: Project, env: Environment, *, parallel: bool = False,
             memo: RenderMemo | None = None) -> list[Page]:
    """Every generated page of the site, in a deterministic order (plan pages on all cores if ``parallel``;
    ``memo``: the preview server's rendered components, reused when their params are unchanged)."""
    jobs = generate_jobs(project, env, memo=memo)
    with phase("计划页、目标任务页、汇编页"):
        return render(jobs, parallel=parallel)


def render(jobs: list[Job], *, parallel: bool = False) -> list[Page]:
    """The pages of ``jobs``, in their order: the large ones on all cores if ``parallel`` (the 首页 and 网站地图
    jobs, which are small, run here)."""
    heavy = [j for j in jobs if j.key not in (XXGK, SITEMAP)]
    # The plan pages, the catalogues and the large 目标任务/汇编 pages are independent: one pool renders
    # them all. The large pages (half the work at 10,000 plans) are spread over the workers' tasks
    # (interleave): in runs of neighbours they all fell into the first task, and one worker did them alone.
    done = iter(pmap(run, heavy, parallel=parallel, interleave=True))
    return [next(done) if j.key not in (XXGK, SITEMAP) else j.make() for j in jobs]


def _focus_lists(focus: Focus | None) -> dict[str, set] | None:
    """The catalogues listing the focused plan, by kind (``dept``, ``dept_cat``, ``cat``, ``topic``, ``year``) →
    keys; none of them if the edit changed no catalogue entry; None without a focus (every catalogue)."""
    if focus is None:
        return None
    if "entry" not in focus.facets:
        return {"dept": set(), "dept_cat": set(), "cat": set(), "topic": set(), "year": set()}
    p = focus.plan
    return {"dept": {p.department.slug}, "dept_cat": {(p.department.slug, p.category)}, "cat": {p.category},
            "topic": {p.topic, p.topic.split("\\")[0]}, "year": {p.year}}


_Groups = tuple[dict[str, list[Plan]], dict[tuple[str, str], list[Plan]], dict[str, list[Plan]], dict[str, list[Plan]],
                dict[int, list[Plan]]]


def _grouped(plans: list[Plan], lists: dict[str, set] | None) -> _Groups:
    """The plans of each catalogue (by department, department × 组配分类, 组配分类, 主题分类, year), each newest
    first like ``plans``; a second-level topic's plans count for its parent too. With ``lists``
    (:func:`_focus_lists`), only those catalogues, a pass over the plans each."""
    by_dept: dict[str, list[Plan]] = defaultdict(list)
    by_dept_cat: dict[tuple[str, str], list[Plan]] = defaultdict(list)
    by_cat: dict[str, list[Plan]] = defaultdict(list)
    by_topic: dict[str, list[Plan]] = defaultdict(list)
    by_year: dict[int, list[Plan]] = defaultdict(list)
    if lists is None:
        for p in plans:  # one pass
            dept = p.department.slug
            by_dept[dept].append(p)
            by_dept_cat[(dept, p.category)].append(p)
            by_cat[p.category].append(p)
            by_topic[p.topic].append(p)
            parent = p.topic.split("\\")[0]
            if parent != p.topic:
                by_topic[parent].append(p)
            by_year[p.year].append(p)
        return by_dept, by_dept_cat, by_cat, by_topic, by_year
    for dept in lists["dept"]:
        by_dept[dept] = [p for p in plans if p.department.slug == dept]
    for dept, cat in lists["dept_cat"]:
        by_dept_cat[(dept, cat)] = [p for p in plans if p.department.slug == dept and p.category == cat]
    for cat in lists["cat"]:
        by_cat[cat] = [p for p in plans if p.category == cat]
    for topic in lists["topic"]:  # its own plans, and for a first-level topic its subtopics' too
        by_topic[topic] = [p for p in plans if p.topic == topic or p.topic.split("\\")[0] == topic]
    for year in lists["year"]:
        by_year[year] = [p for p in plans if p.year == year]
    return by_dept, by_dept_cat, by_cat, by_topic, by_year


def generate_jobs(project: Project, env: Environment, *, memo: RenderMemo | None = None,
                  versions: Versions = NO_VERSIONS, closed: dict[str, list[Any]] | None = None,
                  focus: Focus | None = None) -> list[Job]:
    """Every generated page as a :class:`~gongkai.pages.outputs.Job` (URL, signature, renderer), in the order
    :func:`generate` returns the pages: plan pages, catalogues, 政府信息公开首页, 目标任务/汇编 pages, 网站地图.
    With a ``focus`` (an edit that moves its plan between no lists), only the jobs that can show what it changed,
    in the same order, each with the signature it has among every job."""
    ctx = PageContext(project, env, memo, closed)
    plans = project.plans  # newest first
    link_list = ctx.c["link_list"]
    catalogues: list[Job] = []  # each catalogue's pages
    lists = _focus_lists(focus)
    listed = (lambda kind, key: True) if lists is None else (lambda kind, key: key in lists[kind])
    newest = focus is not None and "entry" in focus.facets and any(p is focus.plan for p in plans[:LATEST])
    # with a focus, only the lists it is in (each of them whole); all of them for the 首页's counts
    by_dept, by_dept_cat, by_cat, by_topic, by_year = _grouped(plans, None if newest else lists)
    for slug, dept in sorted(project.departments.items()):
        dplans = by_dept.get(slug, [])
        url = dept_url(slug)
        cats = [project.category(c) for c in dept.categories]
        if listed("dept", slug):
            counts = _count(dplans, lambda p: p.category)
            cat_links = link_list({"id": "gk-dept-cats", "heading": "组配分类", "links": [
                {"text": c.name, "href": rel(url, dept_cat_url(slug, c.slug)), "count": counts.get(c.name, 0)} for c in cats]})
            intro = f'<p class="gk-intro">{esc(dept.intro)}</p>' if dept.intro else ""
            catalogues += _catalogue(ctx, versions, url, dept.full_name, [(dept.short_name, url)], dplans, intro, str(cat_links))
        for c in cats:
            if not listed("dept_cat", (slug, c.name)):
                continue
            cplans = by_dept_cat.get((slug, c.name), [])
            catalogues += _catalogue(ctx, versions, dept_cat_url(slug, c.slug), f"{dept.short_name} {c.name}",
                                     [(dept.short_name, url), (c.name, dept_cat_url(slug, c.slug))], cplans)

    # across departments: by 组配分类, 主题分类, year
    used_cats = {c: len(ps) for c, ps in by_cat.items()}
    for c in project.categories:
        if used_cats.get(c.name) and listed("cat", c.name):
            catalogues += _catalogue(ctx, versions, cat_url(c.slug), c.name, [(c.name, cat_url(c.slug))], by_cat[c.name])
    topic_counts = {t: len(ps) for t, ps in by_topic.items()}
    for t in project.topics:
        if topic_counts.get(t.name) and listed("topic", t.name):
            label = t.text
            members = by_topic[t.name]
            catalogues += _catalogue(ctx, versions, topic_url(t.slug), label, [(label, topic_url(t.slug))], members)
    years = sorted({p.year for p in plans}, reverse=True)
    for y in years:
        if not listed("year", y):
            continue
        catalogues += _catalogue(ctx, versions, year_url(y), f"{y}年度", [(f"{y}年度", year_url(y))],
                                 by_year[y])

    plan_jobs = [plan_job(ctx, p, versions) for p in (plans if focus is None else [focus.plan, *focus.others])]
    target_jobs = targets_pages.page_jobs(ctx, versions, focus)  # 目标任务, 指标, 汇编, 数据开放 (gongkai/targets_pages.py)
    if focus is not None:  # the 年报 and the 网站地图 show no plan; the 首页 its newest
        return plan_jobs + catalogues + ([_home_job(ctx, versions, by_dept, used_cats, topic_counts, years)] if newest else []) + target_jobs
    target_jobs += nianbao_pages.page_jobs(ctx)  # 年报: the index and each report (gongkai/pages/nianbao.py)
    home = _home_job(ctx, versions, by_dept, used_cats, topic_counts, years)
    groups = _sitemap_groups(project, years)
    site_map = Job(SITEMAP, ("sitemap", groups), functools.partial(_sitemap_page, ctx, groups))
    return plan_jobs + catalogues + [home] + target_jobs + [site_map]


def _home_job(ctx: PageContext, versions: Versions, by_dept: dict[str, list[Plan]], used_cats: dict[Any, int],
              topic_counts: dict[str, int], years: list[int]) -> Job:
    """政府信息公开首页: its counts and its newest entries."""
    project, plans = ctx.project, ctx.project.plans
    year_counts = _count(plans, lambda p: p.year)
    counts = (tuple((s, len(by_dept.get(s, []))) for s in sorted(project.departments)), tuple(sorted(used_cats.items())),
              tuple(sorted(topic_counts.items())), tuple((y, year_counts[y]) for y in years))
    return Job(XXGK, ("xxgk", counts, versions.of_all(plans[:LATEST], "entry")),
               functools.partial(_home_page, ctx, by_dept, used_cats, topic_counts, years, year_counts))


def plan_job(ctx: PageContext, plan: Plan, versions: Versions = NO_VERSIONS) -> Job:
    """The job of a plan's own page: it depends on the plan's ``page`` facet alone."""
    return Job(plan.url, ("plan", versions.of(plan, "page")), functools.partial(_plan_page, ctx, plan), plan.path)


def _home_page(ctx: PageContext, by_dept: dict[str, list[Plan]], used_cats: dict[Any, int], topic_counts: dict[str, int],
               years: list[int], year_counts: dict[Any, int]) -> Page:
    """政府信息公开首页."""
    project, plans, link_list = ctx.project, ctx.project.plans, ctx.c["link_list"]
    here = XXGK
    sections = [
        link_list({"id": "gk-by-dept", "heading": "按发布机构", "links": [
            {"text": d.full_name, "href": rel(here, dept_url(s)), "count": len(by_dept.get(s, []))} for s, d in sorted(project.departments.items())]}),
        link_list({"id": "gk-by-cat", "heading": "按组配分类", "links": [
            {"text": c.name, "href": rel(here, cat_url(c.slug)), "count": used_cats[c.name]} for c in project.categories if used_cats.get(c.name)]}),
        link_list({"id": "gk-by-topic", "heading": "按主题分类", "links": [
            {"text": t.text, "href": rel(here, topic_url(t.slug)), "count": topic_counts[t.name]} for t in project.topics if topic_counts.get(t.name)]}),
        link_list({"id": "gk-by-year", "heading": "按年度", "links": [
            {"text": f"{y}年度", "href": rel(here, year_url(y)), "count": year_counts[y]} for y in years]}),
        link_list({"id": "gk-guide", "heading": "政府信息公开", "links": [
            {"text": text, "href": rel(here, url)} for text, url in GUIDE_PAGES]}),
    ]
    latest = ctx.c["catalogue_list"]({"caption": "最新信息", "heading_id": "gk-latest", "entries": [ctx.entry(here, p) for p in plans[:LATEST]]})
    html = (f'{ctx.c["breadcrumb"](ctx.crumbs(here, []))}<h1>政府信息公开</h1>'
            f'<div class="gk-sections">{"".join(map(str, sections))}</div>'
            f'<h2 id="gk-latest">最新信息</h2>{latest}')
    return Page(src_of(here), here, "政府信息公开", html, "catalogue",
                [("ColumnName", "政府信息公开"), ("ColumnType", "目录")],
                description=f"{project.site.name}政府信息公开：按发布机构、组配分类、主题分类和年度查找，最新信息。")


def _sitemap_groups(project: Project, years: list[int]) -> list[tuple[str, list[tuple[str, str]]]]:
    groups = [("网站首页", [("网站首页", "")]), ("政府信息公开", [("政府信息公开首页", XXGK), *[(t, u) for t, u in GUIDE_PAGES]])]
    for slug, dept in sorted(project.departments.items()):
        groups.append((dept.full_name, [(dept.full_name, dept_url(slug))] +
                       [(c, dept_cat_url(slug, project.category(c).slug)) for c in dept.categories]))
    groups.append(("按年度", [(f"{y}年度", year_url(y)) for y in years]))
    return groups + nianbao_pages.sitemap_groups(project) + targets_pages.sitemap_groups(project)


def _sitemap_page(ctx: PageContext, groups: list[tuple[str, list[tuple[str, str]]]]) -> Page:
    """网站地图: sections, not every item (its size stays bounded)."""
    link_list = ctx.c["link_list"]
    here = SITEMAP
    body = "".join(str(link_list({"id": f"gk-map-{i}", "heading": g, "links": [{"text": t, "href": rel(here, u)} for t, u in links]}))
                   for i, (g, links) in enumerate(groups))
    html = f'<h1>网站地图</h1><div class="gk-sitemap">{body}</div>'
    return Page(src_of(here), here, "网站地图", html, "sitemap", [("ColumnName", "网站地图")],
                description=f"{ctx.project.site.name}网站地图：全部栏目和目录。")


def chrome(project: Project, env: Environment) -> dict[str, str]:
    """HTML that is the same on every page, rendered once; links start with ROOT."""
    site = project.site
    contact = "　".join(f"{k}：{v}" for k, v in site.contact.items())
    footer = component(env, "site_footer")({
        "sponsor": site.sponsor, "organizer": site.organizer, "contact_text": contact,
        "contact_href": f"{ROOT}lxwm/", "sitemap_href": f"{ROOT}{SITEMAP}", "report_href": site.report_url,
        "site_id": site.site_id, "icp_text": site.icp, "icp_href": site.icp_url,
        "police_text": site.police, "police_href": site.police_url,
        "badge_src": f"{ROOT}{site.badge['图片']}" if site.badge else "",
        "badge_href": (site.badge or {}).get("链接", ""),
    })
    top = component(env, "top_links")({"a11y_href": f"{ROOT}wza/", "elder_href": "?mode=elder"})
    meta = "".join(f'<meta name="{n}" content="{esc(v)}">' for n, v in
                   [("SiteName", site.name), ("SiteDomain", site.domain), ("SiteIDCode", site.site_id)])
    toolbar = component(env, "a11y_toolbar")({"help_href": f"{ROOT}wza/"})  # 无障碍 toolbar (issue 3)
    nav = component(env, "site_nav")({"links": [{"text": text, "href": f"{ROOT}{url}"} for text, url in SITE_NAV]})
    return {"footer_html": str(footer), "top_links_html": str(top), "site_meta_html": meta, "a11y_toolbar_html": str(toolbar),
            "site_nav_html": str(nav)}
