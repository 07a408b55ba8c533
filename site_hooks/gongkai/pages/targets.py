"""Pages about targets, as plain functions (no MkDocs): the plan page's 主要目标 table, the 目标任务
overview per year, one page per indicator with a static SVG chart, the 汇编 per department and
year, and the 数据开放 page.

URLs (stable, documented in docs/targets.md):

- ``mbrw/``                      目标任务: years and indicators
- ``mbrw/<年度>/``               that year's overview: counts by 完成情况, one row per department with a link
- ``mbrw/<年度>/<机构>/``        every target of that department and year, by indicator (``<n>/``: page n)
- ``mbrw/zb/<指标标识>/``        one indicator over the years: facts, chart and table (``<n>/``: page n)
- ``xxgk/hb/<机构>/<年度>/``     汇编: all the department's plans of the year, printable (``<n>/``: part n)
- ``sjkf/``                      数据开放: the open-data files (written by :mod:`gongkai.opendata`)
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from markupsafe import Markup

from gongkai.data.targets import GROWTH, QUALITATIVE, STATUSES, Target, all_targets, fmt_number, fmt_percent
from gongkai.data import urls
from gongkai.data.urls import (OPEN_DATA_URL, TARGETS_URL, compilation_parts, compilation_url, indicator_url, page_url,
                               plan_json_url, rel, src_of, target_pages, targets_dept_url, targets_year_url as year_url)
from gongkai.markup.anchors import anchored_body
from gongkai.pages import opendata
from gongkai.pages.context import Page, PageContext, esc, pager
from gongkai.pages.outputs import NO_VERSIONS, Focus, Job, Versions

if TYPE_CHECKING:  # pragma: no cover
    from gongkai.data.model import Plan, Project

_COMPONENTS = ("targets_table", "target_chart", "link_list", "breadcrumb")


# --- one row of a targets table ------------------------------------------------------

def target_text(t: Target) -> str:
    """How the goal reads in the table: 达到 200, 不少于 500, 增长 10%(基数 20.5), 保持 100, 定性."""
    if t.kind == QUALITATIVE:
        return "定性"
    if t.kind == GROWTH:
        return f"增长 {fmt_number(t.value)}%"
    return f"{t.kind} {fmt_number(t.value)}"


def target_note(t: Target) -> str:
    """The baseline and the level it implies, for growth targets: 基数 20.6亿元,即 22.66亿元."""
    if t.kind == GROWTH and t.baseline is not None:
        return f"基数 {fmt_number(t.baseline)}{t.indicator.unit}，即 {fmt_number(t.level)}{t.indicator.unit}"
    return ""


def progress_params(t: Target) -> dict[str, Any]:
    pct = t.percent
    return {"status": t.status, "percent": None if pct is None else round(pct, 1), "text": fmt_percent(pct)}


def progress_html(ctx: PageContext, t: Target) -> Markup:
    """A target's progress bar (component progress_bar), rendered once per distinct params in a generation: each
    target's bar is shown on its plan page, in its 汇编 and on its 目标任务 page, and many targets share one
    (10,000 plans: 270,000 bars at 6 µs, some 3,000 distinct)."""
    params = progress_params(t)
    kept = ctx.kept.setdefault("progress_bar", {})
    key = (params["status"], params["percent"], params["text"])
    html = kept.get(key)
    if html is None:
        render = kept.get(None) or kept.setdefault(None, ctx.components(("progress_bar",))["progress_bar"])
        html = kept[key] = render(params)
    return html


def target_row(here: str, t: Target, *, show_plan: bool = False, local: bool = False,
               id_prefix: str = "", progress: Callable[[Target], Markup] | None = None) -> dict[str, Any]:
    """Parameters for one targets_table row, with links relative to page ``here``.

    ``local``: the row sits on the target's own plan page (links to the paragraph stay in the page);
    ``id_prefix``: the body's ids were prefixed (a 汇编 holds several bodies); ``progress``: the target's
    progress bar already rendered (:func:`progress_html`), else the row carries its params.
    """
    latest = t.latest
    plan_url = t.plan.url
    source = ""
    if t.anchor:
        source = f"#{id_prefix}{t.anchor}" if local else rel(here, f"{plan_url}#{t.anchor}")
    row: dict[str, Any] = {
        "id": f"{id_prefix}gk-target-{t.key}" if local else "",
        "indicator": t.indicator.name,
        "indicator_href": rel(here, indicator_url(t.indicator.slug)),
        "wording": t.wording,
        "source_href": source,
        "source_label": t.anchor_label if t.anchor_label != "原文" else "",
        "target_text": target_text(t),
        "target_note": target_note(t),
        "unit": t.unit if t.kind != QUALITATIVE else "",
        "deadline": t.deadline.isoformat(),
        "latest_text": "",
        "latest_date": "",
        "final": t.final,
    }
    if progress is not None:
        row["progress_html"] = progress(t)
    else:
        row["progress"] = progress_params(t)
    if latest is not None:
        if latest.value is not None:
            row["latest_text"] = fmt_number(latest.value) + (t.indicator.unit if t.kind == GROWTH else "")
        elif latest.status:
            row["latest_text"] = latest.status
        else:
            row["latest_text"] = latest.note or "有进展"
        row["latest_date"] = latest.date.isoformat()
    if t.closing is not None and t.closing.summary.url != here:
        row["final_href"] = rel(here, t.closing.summary.url)
        row["final_title"] = t.closing.summary.title
    if show_plan:
        row["plan_title"] = t.plan.title
        row["plan_href"] = rel(here, plan_url)
        if not local:
            row["source_href"] = source or rel(here, f"{plan_url}#gk-target-{t.key}")
    return row


_NOTE = "完成率 = 最新值 ÷ 目标值；“增长”类目标 = 实际增长率 ÷ 目标增长率。状态由数据计算：达到目标为“已完成”，期限已到或已有最终结果而未达到为“未完成”。"


def _as_of(targets: list[Target]) -> str:
    dates = [t.latest.date for t in targets if t.latest is not None]
    return max(dates).isoformat() if dates else ""


def plan_params(ctx: PageContext, plan: Plan, params: dict[str, Any]) -> None:
    """Add the 主要目标 table (and, for a 工作总结, the closed targets) to a plan page's parameters."""
    here = plan.url
    bar = partial(progress_html, ctx)
    targets = [t for t in plan.targets if isinstance(t, Target)]
    if plan.body:
        params["body_html"] = Markup(anchored_body(plan.body))
    if targets:
        as_of = _as_of(targets)
        counts = Counter(t.status for t in targets)
        params["targets"] = {
            "id": "gk-targets", "heading": "主要目标",
            "caption": "主要目标完成情况" + (f"（数据截至 {as_of}）" if as_of else ""),
            "intro": f"本文件共有{len(targets)}项主要目标：" + "，".join(f"{s}{counts[s]}项" for s in STATUSES if counts[s]) + "。",
            "rows": [target_row(here, t, local=True, progress=bar) for t in targets],
            "note": _NOTE,
            "links": [{"text": "本文件数据（JSON）", "href": rel(here, plan_json_url(plan)), "type": "application/json"},
                      {"text": f"{plan.department.short_name}{plan.year}年全部目标任务",
                       "href": rel(here, targets_dept_url(plan.year, plan.department.slug))},
                      {"text": f"{plan.year}年各发布机构目标任务", "href": rel(here, year_url(plan.year))}],
        }
    closed = ctx.closings.get(plan.path, [])
    if closed:
        years = sorted({t.plan.year for t in closed})
        label = "、".join(f"{y}年" for y in years)
        params["targets_closed"] = {
            "id": "gk-targets-closed", "heading": f"{label}目标完成情况",
            "caption": f"本总结报告的{label}目标最终完成情况", "show_plan": True,
            "rows": [target_row(here, t, show_plan=True, progress=bar) for t in closed], "note": _NOTE,
        }


# --- charts ------------------------------------------------------------------------------

def nice_axis(vmax: float) -> tuple[float, list[float]]:
    """A round axis maximum at or above ``vmax`` and at most 6 ticks: 0, step, 2·step, …"""
    if vmax <= 0:
        return 1, [0, 1]
    magnitude = 10 ** math.floor(math.log10(vmax))
    for mult in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = mult * magnitude
        if math.ceil(vmax / step - 1e-9) <= 5:
            break
    count = math.ceil(vmax / step - 1e-9)
    ticks = [round(step * i, 10) for i in range(count + 1)]
    return ticks[-1], ticks


def chart_params(indicator_slug: str, name: str, unit: str, targets: list[Target]) -> dict[str, Any]:
    groups, sentences = [], []
    seen: Counter = Counter()
    for t in targets:
        seen[(t.plan.year, t.plan.department.slug)] += 1
    numbered: Counter = Counter()
    for t in targets:
        level = t.level
        latest = t.latest
        actual = latest.value if latest is not None else None
        dept = t.plan.department.short_name
        key = (t.plan.year, t.plan.department.slug)
        numbered[key] += 1
        sub = dept + (f"({numbered[key]})" if seen[key] > 1 else "")
        target_txt = fmt_number(level) if level is not None else "—"
        actual_txt = fmt_number(actual) if actual is not None else ""
        groups.append({"label": f"{t.plan.year}年", "sublabel": sub, "target": level, "target_text": target_txt,
                       "actual": actual, "actual_text": actual_txt})
        sentences.append(f"{t.plan.year}年 {sub}：目标{target_txt}{unit}，" +
                         (f"实际{actual_txt}{unit}" + ("（最终）" if t.final else f"（截至{latest.date.isoformat()}）")
                          if actual is not None and latest is not None else "实际暂无数据") + "。")
    values = [v for g in groups for v in (g["target"], g["actual"]) if isinstance(v, (int, float))]
    axis_max, ticks = nice_axis(max(values) if values else 0)
    return {"id": f"gk-chart-{indicator_slug}", "title": f"{name}：历年目标与实际", "desc": "".join(sentences),
            "unit": unit, "axis_max": axis_max, "ticks": ticks, "tick_labels": [fmt_number(x) for x in ticks],
            "groups": groups}


# --- pages -----------------------------------------------------------------------------------

def _page(ctx: PageContext, url: str, title: str, html: str, kind: str, column: str) -> Page:
    meta = [("ColumnName", column), ("ColumnType", "目标任务" if kind != "compilation" else "汇编")]
    return Page(src_of(url), url, title, html, kind, meta, description=f"{ctx.project.site.name}{title}。")


def _status_counts(targets: list[Target]) -> str:
    counts = Counter(t.status for t in targets)
    items = "".join(f'<div class="gk-counts__item gk-counts__item--{i}"><dt>{s}</dt><dd>{counts[s]}项</dd></div>'
                    for i, s in enumerate(STATUSES))
    return f'<dl class="gk-counts"><div class="gk-counts__item"><dt>目标总数</dt><dd>{len(targets)}项</dd></div>{items}</dl>'


def _chunk(items: list, number: int, size: int) -> list:
    return items[(number - 1) * size:number * size]


def _numbered(title: str, number: int, total: int, unit: str = "页") -> str:
    return title if total == 1 else f"{title}（第{number}{unit}，共{total}{unit}）"


def _dept_order(targets: list[Target], order: dict[str, int]) -> dict[str, list[Target]]:
    """The targets of each department (by slug, sorted), each list by indicator in vocabulary order, then by plan."""
    by_dept: dict[str, list[Target]] = defaultdict(list)
    for t in targets:
        by_dept[t.plan.department.slug].append(t)
    return {slug: sorted(by_dept[slug], key=lambda t: (order.get(t.indicator.name, 1 << 20), t.plan.published, t.plan.id, t.line))
            for slug in sorted(by_dept)}


def _summary(targets: list[Target]) -> str:
    counts = Counter(t.status for t in targets)
    return "，".join(f"{s}{counts[s]}项" for s in STATUSES if counts[s])


def _year_page(ctx: PageContext, year: int, targets: list[Target], by_dept: dict[str, list[Target]]) -> Page:
    """The year's overview: counts by 完成情况 and one row per department, linking to its pages (the rows
    themselves are on ``mbrw/<year>/<dept>/``: all of a year on one page reached 4 MB at 10,000 plans)."""
    c = ctx.components(_COMPONENTS)
    here = year_url(year)
    crumbs = ctx.crumbs(here, [("目标任务", TARGETS_URL), (f"{year}年", here)])
    rows = []
    for slug, dept_targets in by_dept.items():
        dept = ctx.project.departments[slug]
        counts = Counter(t.status for t in dept_targets)
        pages = target_pages(len(dept_targets))
        cells = "".join(f'<td data-label="{s}">{counts[s]}</td>' for s in STATUSES)
        rows.append(f'<tr id="gk-dept-{slug}"><th scope="row"><a href="{rel(here, targets_dept_url(year, slug))}">{esc(dept.full_name)}</a></th>'
                    f'<td data-label="目标数">{len(dept_targets)}</td>{cells}'
                    f'<td data-label="页数">{pages}</td></tr>')
    heads = "".join(f'<th scope="col">{s}</th>' for s in STATUSES)
    parts = [str(c["breadcrumb"](crumbs)), f"<h1>{year}年目标任务</h1>",
             f'<p class="gk-intro">{year}年各发布机构计划中的全部主要目标，按发布机构分页列出（每个机构的目标按指标排列）。完成情况由计划、工作总结中登记的数据计算。</p>',
             '<h2 id="gk-counts">按完成情况统计</h2>', _status_counts(targets),
             '<h2 id="gk-by-dept">按发布机构</h2><div class="gk-table-wrap"><table class="gk-targets__table gk-year-depts">'
             f'<caption>{year}年各发布机构的目标（点击机构名称查看全部目标）</caption><thead><tr>'
             f'<th scope="col">发布机构</th><th scope="col">目标数</th>{heads}<th scope="col">页数</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table></div>',
             f'<p class="gk-targets__note">{esc(_NOTE)}</p>',
             f'<p><a href="{rel(here, OPEN_DATA_URL)}">下载全部目标数据（CSV、JSON）</a></p>']
    return _page(ctx, here, f"{year}年目标任务", "".join(parts), "targets", "目标任务")


def _year_dept_page(ctx: PageContext, year: int, slug: str, dept_targets: list[Target], number: int) -> Page:
    """Page ``number`` of one department's targets of ``year``: :data:`gongkai.data.urls.TARGET_ROWS` rows a page."""
    c = ctx.components(_COMPONENTS)
    dept = ctx.project.departments[slug]
    url = targets_dept_url(year, slug)
    here = page_url(url, number)
    total = target_pages(len(dept_targets))
    title = _numbered(f"{dept.full_name}{year}年目标任务", number, total)
    trail = [("目标任务", TARGETS_URL), (f"{year}年", year_url(year)), (dept.short_name, url)]
    if number > 1:
        trail.append((f"第{number}页", here))
    chunk = _chunk(dept_targets, number, urls.TARGET_ROWS)
    first = (number - 1) * urls.TARGET_ROWS + 1
    rng = f"，本页第{first}～{first + len(chunk) - 1}项" if total > 1 else ""
    table = c["targets_table"]({
        "id": f"gk-dept-{slug}", "heading": f"{dept.full_name}的目标",
        "caption": f"{dept.full_name}{year}年目标（{len(dept_targets)}项：{_summary(dept_targets)}{rng}）",
        "show_plan": True, "rows": [target_row(here, t, show_plan=True, progress=partial(progress_html, ctx)) for t in chunk],
    })
    parts = [str(c["breadcrumb"](ctx.crumbs(here, trail))), f"<h1>{esc(title)}</h1>",
             f'<p class="gk-intro">{esc(dept.full_name)}{year}年计划中的全部主要目标，按指标排列。'
             f'<a href="{rel(here, year_url(year))}">查看{year}年各发布机构的目标任务</a></p>',
             '<h2 id="gk-counts">按完成情况统计</h2>' if number == 1 else "", _status_counts(dept_targets) if number == 1 else "",
             str(table), pager(url, here, number, total),
             f'<p class="gk-targets__note">{esc(_NOTE)}</p>',
             f'<p><a href="{rel(here, OPEN_DATA_URL)}">下载全部目标数据（CSV、JSON）</a></p>']
    return _page(ctx, here, title, "".join(parts), "targets", "目标任务")


def _indicator_page(ctx: PageContext, targets: list[Target], number: int, years: tuple[int, ...]) -> Page:
    """Page ``number`` of an indicator: the facts of all its targets, then the chart and the table of
    :data:`gongkai.data.urls.TARGET_ROWS` of them, in the order of the first page (oldest year first, then
    department and plan), so each page's chart draws the same numbers as its table. The chart has a bar pair
    per target and is paginated with the table: over all years it was 73,000 px tall (640 KB) at 10,000 plans.
    ``years``: the years of all its targets, sorted (the same on every page: found once, in :func:`page_jobs`)."""
    c = ctx.components(_COMPONENTS)
    ind = targets[0].indicator
    url = indicator_url(ind.slug)
    here = page_url(url, number)
    total = target_pages(len(targets))
    trail = [("目标任务", TARGETS_URL), (ind.name, url)] + ([(f"第{number}页", here)] if number > 1 else [])
    crumbs = ctx.crumbs(here, trail)
    parts = [str(c["breadcrumb"](crumbs)), f"<h1>{esc(_numbered(ind.name, number, total))}</h1>"]
    facts = [("单位", ind.unit or "（定性指标，没有单位）"), ("说明", ind.description), ("目标数", f"{len(targets)}项"),
             ("年度", "、".join(map(str, years)))]
    parts.append('<dl class="gk-facts">' + "".join(f"<div><dt>{k}</dt><dd>{esc(v)}</dd></div>" for k, v in facts if v) + "</dl>")
    chunk = _chunk(targets, number, urls.TARGET_ROWS)
    numeric = [t for t in chunk if t.kind != QUALITATIVE]
    if numeric:
        chart = c["target_chart"](chart_params(ind.slug, ind.name, ind.unit, numeric))
        parts.append(f'<figure class="gk-chart-figure" aria-labelledby="gk-chart-caption"><figcaption id="gk-chart-caption">'
                     f'图：{esc(ind.name)}历年目标与实际（斜线条为目标，实心条为实际；“增长”类目标按基数换算成数值）</figcaption>'
                     f'<div class="gk-chart-wrap">{chart}</div></figure>')
    rows = []
    for t in chunk:
        latest = t.latest
        rows.append(
            f'<tr><th scope="row">{t.plan.year}</th>'
            f'<td data-label="发布机构">{esc(t.plan.department.short_name)}</td>'
            f'<td data-label="计划"><a href="{rel(here, t.plan.url)}#gk-target-{t.key}">{esc(t.plan.title)}</a></td>'
            f'<td data-label="目标">{esc(target_text(t))}</td>'
            f'<td data-label="目标值（{esc(ind.unit)}）">{esc(fmt_number(t.level)) if t.level is not None else "—"}</td>'
            f'<td data-label="实际值">{esc(fmt_number(latest.value) if latest and latest.value is not None else (latest.status or "—") if latest else "暂无")}'
            f'{"" if latest is None else " <span class=gk-targets__date>（" + latest.date.isoformat() + ("，最终结果" if t.final else "") + "）</span>"}</td>'
            f'<td data-label="完成率">{esc(fmt_percent(t.percent) or "—")}</td>'
            f'<td data-label="状态">{esc(t.status)}</td></tr>')
    unit = f"（{esc(ind.unit)}）" if ind.unit else ""
    first = (number - 1) * urls.TARGET_ROWS + 1
    rng = f"，第{first}～{first + len(chunk) - 1}项，共{len(targets)}项" if total > 1 else ""
    parts.append('<h2 id="gk-indicator-table">数据表</h2><div class="gk-table-wrap"><table class="gk-targets__table gk-indicator-table">'
                 f"<caption>{esc(ind.name)}：历年目标与实际（与上图数字相同{rng}）</caption><thead><tr>"
                 '<th scope="col">年度</th><th scope="col">发布机构</th><th scope="col">计划</th><th scope="col">目标</th>'
                 f'<th scope="col">目标值{unit}</th><th scope="col">实际值{unit}</th><th scope="col">完成率</th><th scope="col">状态</th>'
                 f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    parts.append(pager(url, here, number, total))
    parts.append(f'<p class="gk-targets__note">{esc(_NOTE)}</p>')
    return _page(ctx, here, _numbered(f"{ind.name}（指标）", number, total), "".join(parts), "indicator", "目标任务")


def _index_page(ctx: PageContext, targets: list[Target], by_year: dict[int, list[Target]],
                compilations: list[tuple[str, int, int]]) -> Page:
    c = ctx.components(_COMPONENTS)
    here = TARGETS_URL
    crumbs = ctx.crumbs(here, [("目标任务", here)])
    years = [{"text": f"{y}年目标任务", "href": rel(here, year_url(y)), "count": len(ts)} for y, ts in sorted(by_year.items(), reverse=True)]
    counts = Counter(t.indicator.name for t in targets)
    indicators = sorted({t.indicator.name: t.indicator for t in targets}.values(), key=lambda i: (i.order, i.name))
    inds = [{"text": i.name, "href": rel(here, indicator_url(i.slug)), "count": counts[i.name]} for i in indicators]
    hb = [{"text": f"{ctx.project.departments[d].short_name}{y}年度计划汇编（{n}篇）", "href": rel(here, compilation_url(d, y))}
          for d, y, n in compilations]
    lists = [("gk-mbrw-years", "按年度", years), ("gk-mbrw-indicators", "按指标", inds), ("gk-mbrw-hb", "年度计划汇编（可打印）", hb),
             ("gk-mbrw-data", "数据下载", [{"text": "数据开放（CSV、JSON、订阅）", "href": rel(here, OPEN_DATA_URL)}])]
    sections = [c["link_list"]({"id": i, "heading": h, "links": links}) for i, h, links in lists if links]
    html = (f'{c["breadcrumb"](crumbs)}<h1>目标任务</h1>'
            f'<p class="gk-intro">各发布机构工作计划中的主要目标及完成情况，可按年度或指标查看历年对比，并下载全部数据。</p>'
            + (f'<h2 id="gk-counts">全部目标完成情况</h2>{_status_counts(targets)}' if targets else '<p>各计划还没有登记目标。</p>') +
            f'<div class="gk-sections">{"".join(map(str, sections))}</div>')
    return _page(ctx, here, "目标任务", html, "targets", "目标任务")


_ID_ATTR = re.compile(r'(\sid=")([^"]*)(")')
_HASH_HREF = re.compile(r'(\shref="#)([^"]*)(")')


def prefix_ids(html: str, prefix: str) -> str:
    """Prefix every id and in-page link, so several bodies can share one page without clashes."""
    html = _ID_ATTR.sub(lambda m: m.group(1) + prefix + m.group(2) + m.group(3), html)
    return _HASH_HREF.sub(lambda m: m.group(1) + prefix + m.group(2) + m.group(3), html)


def _compilation_page(ctx: PageContext, dept_slug: str, year: int, plans: list[Plan], number: int = 1) -> Page:
    """Part ``number`` of a 汇编: :data:`gongkai.data.urls.COMPILATION_PLANS` plans a part, each part with the
    目录 of every part (a whole year of a large department was 1.4 MB on one page at 10,000 plans). With one
    part the page is what it was before parts existed."""
    c = ctx.components(_COMPONENTS)
    dept = ctx.project.departments[dept_slug]
    url = compilation_url(dept_slug, year)
    here = page_url(url, number)
    size = urls.COMPILATION_PLANS
    total = compilation_parts(len(plans))
    title = _numbered(f"{dept.full_name}{year}年度计划汇编（{len(plans)}篇）", number, total, "部分")
    trail = [(dept.short_name, f"xxgk/{dept_slug}/"), (f"{year}年度计划汇编", url)]
    if number > 1:
        trail.append((f"第{number}部分", here))
    crumbs = ctx.crumbs(here, trail)

    def toc_item(i: int, p: Plan) -> str:
        part = i // size + 1
        href = f"#hb-{p.slug}" if part == number else rel(here, page_url(url, part)) + f"#hb-{p.slug}"
        return (f'<li><a href="{href}">{esc(p.title)}</a>'
                f'<span class="gk-compilation__toc-meta">（{esc(p.published.isoformat())}{"，" + esc(p.doc_no) if p.doc_no else ""}'
                f'{f"，第{part}部分" if total > 1 else ""}）</span></li>')

    toc = "".join(toc_item(i, p) for i, p in enumerate(plans))
    chunk = _chunk(plans, number, size)
    hint = (f"本页汇集{esc(dept.short_name)}{year}年度的全部计划，适合打印：每篇从新的一页开始。" if total == 1 else
            f"{esc(dept.short_name)}{year}年度的全部计划分为{total}部分，本部分是第{(number - 1) * size + 1}～"
            f"{(number - 1) * size + len(chunk)}篇，适合打印：每篇从新的一页开始。")
    parts = [str(c["breadcrumb"](crumbs)),
             f'<header class="gk-compilation__cover"><h1>{esc(title)}</h1>'
             f'<p class="gk-compilation__hint">{hint}</p>{pager(url, here, number, total, "部分")}'
             f'<nav class="gk-compilation__toc" aria-labelledby="gk-hb-toc"><h2 id="gk-hb-toc">目录</h2><ol>{toc}</ol></nav></header>']
    for n, plan in enumerate(chunk, (number - 1) * size + 1):
        prefix = f"hb-{plan.slug}--"
        meta = [("索引号", plan.index_no), ("文号", plan.doc_no), ("发布日期", plan.published_text), ("来源", plan.source)]
        meta_html = "".join(f"<div><dt>{k}</dt><dd>{esc(v)}</dd></div>" for k, v in meta if v)
        body = prefix_ids(anchored_body(plan.body), prefix)
        targets = [t for t in plan.targets if isinstance(t, Target)]
        table = ""
        if targets:
            table = str(c["targets_table"]({
                "id": f"{prefix}gk-targets", "heading": "主要目标", "caption": f"{plan.title} 主要目标",
                "rows": [target_row(here, t, local=True, id_prefix=prefix, progress=partial(progress_html, ctx)) for t in targets]}))
            table = table.replace('<h2 id=', '<h3 id=').replace("</h2>", "</h3>")
        parts.append(
            f'<article class="gk-compilation__item" id="hb-{plan.slug}" aria-labelledby="hb-{plan.slug}-title">'
            f'<h2 id="hb-{plan.slug}-title" class="gk-compilation__title"><span class="gk-visually-hidden">第{n}篇：</span>{esc(plan.title)}</h2>'
            f'<dl class="gk-compilation__meta">{meta_html}</dl>'
            f'<div class="gk-body gk-compilation__body">{body}</div>{table}'
            f'<p class="gk-compilation__link"><a href="{rel(here, plan.url)}">查看本篇的信息公开页面</a></p></article>')
    if total > 1:
        parts.append(pager(url, here, number, total, "部分", "各部分（页末）"))
    return _page(ctx, here, title, "".join(parts), "compilation", f"{dept.short_name}计划汇编")


def _open_data_page(ctx: PageContext, targets: list[Target]) -> Page:
    c = ctx.components(_COMPONENTS)
    here = OPEN_DATA_URL
    crumbs = ctx.crumbs(here, [("数据开放", here)])
    rows = "".join(
        f'<tr><th scope="row"><a href="{rel(here, url)}"{" type=" + chr(34) + mime + chr(34) if mime else ""}>{esc(name)}</a></th>'
        f'<td data-label="格式">{esc(fmt)}</td><td data-label="网址"><code>{esc(url if url else "/")}</code></td>'
        f'<td data-label="说明">{esc(desc)}</td></tr>'
        for name, fmt, url, mime, desc in opendata.datasets(ctx.project))
    columns = "".join(f'<tr><th scope="row"><code>{esc(col)}</code></th><td>{esc(desc)}</td></tr>' for col, desc in opendata.CSV_COLUMNS)
    example = plan_json_url(ctx.project.plans[0]) if ctx.project.plans else "sjkf/plans/<机构>/<年度>/<文件名>.json"
    html = (f'{c["breadcrumb"](crumbs)}<h1>数据开放</h1>'
            '<p class="gk-intro">本网站公开的计划、目标和完成情况，都可以下载为结构化数据，供研究、监督和再利用。'
            '下面的网址长期不变；数据在每次更新网站时重新生成，内容只来自已公开的文件，使用时请注明来源。</p>'
            '<div class="gk-table-wrap"><table class="gk-targets__table gk-datasets"><caption>可下载的数据</caption><thead><tr>'
            '<th scope="col">数据</th><th scope="col">格式</th><th scope="col">网址（相对于网站根目录）</th><th scope="col">说明</th>'
            f'</tr></thead><tbody>{rows}</tbody></table></div>'
            '<h2 id="gk-plan-json">每条信息的 JSON</h2>'
            f'<p>每条政府信息公开条目都有一个 JSON 文件，网址为 <code>sjkf/plans/&lt;机构标识&gt;/&lt;年度&gt;/&lt;文件名&gt;.json</code>，'
            f'与页面网址 <code>xxgk/&lt;机构标识&gt;/&lt;年度&gt;/&lt;文件名&gt;/</code> 一一对应，例如 '
            f'<a href="{rel(here, example)}" type="application/json"><code>{esc(example)}</code></a>。'
            '全部条目的清单见 <code>sjkf/plans.json</code>。字段名与编辑使用的数据文件相同（中文），格式由 JSON Schema 说明。</p>'
            '<h2 id="gk-csv-columns">CSV 字段说明</h2>'
            '<p>CSV 文件为 UTF-8 编码（带 BOM，可直接用 Excel 打开），逗号分隔，第一行为字段名，每个目标一行。</p>'
            '<div class="gk-table-wrap"><table class="gk-targets__table"><caption>targets.csv 的字段</caption><thead><tr>'
            f'<th scope="col">字段</th><th scope="col">含义</th></tr></thead><tbody>{columns}</tbody></table></div>'
            f'<p>目前共有 {len(ctx.project.plans)} 条信息、{len(targets)} 项目标。</p>')
    return _page(ctx, here, "数据开放", html, "opendata", "数据开放")


def _plans_of(targets: list[Target]) -> list[Plan]:
    """The plans of ``targets``, each once, in order."""
    return list({id(t.plan): t.plan for t in targets}.values())


def page_jobs(ctx: PageContext, versions: Versions = NO_VERSIONS, focus: Focus | None = None) -> list[Job]:
    """Every page of this module, as independent jobs (the department × year, indicator and 汇编 pages are
    paginated, :data:`gongkai.data.urls.TARGET_ROWS` and :data:`~gongkai.data.urls.COMPILATION_PLANS`; the generator
    runs the jobs on every core with the plan pages). What each page depends on (:mod:`gongkai.pages.outputs`):
    the 目标任务 index and a year's overview on the ``measures`` of the plans they count; a page of a department's
    year on the ``measures`` of all its plans (the counts on it) and the ``targets`` of the plans of its rows; an
    indicator's page on its number of targets and years and the ``targets`` of its rows; a 汇编 part on the
    ``entry`` of all its plans (the 目录) and the ``page`` of its own. With a ``focus``, only the pages that can
    show what the edit changed (:class:`~gongkai.pages.outputs.Focus`)."""
    project: Project = ctx.project
    out: list[Job] = []
    counted = focus is None or "measures" in focus.facets  # the index and the year's overview
    if focus is None or focus.facets & {"targets", "measures"}:
        year = None if focus is None else focus.plan.year
        names = set() if focus is None else {t.indicator.name for t in focus.plan.targets if isinstance(t, Target)}
        if counted:
            targets = all_targets(project.plans)
        else:  # the targets of the rows it can change: its department's year, its indicators (sorted below)
            group = (focus.plan.department.slug, year)
            targets = [t for p in project.plans if p.targets for t in p.targets if isinstance(t, Target)
                       and ((p.department.slug, p.year) == group or t.indicator.name in names)]
        order = {t.indicator.name: t.indicator.order for t in targets}  # the vocabulary's order
        by_year: dict[int, list[Target]] = defaultdict(list)
        for t in targets:
            by_year[t.plan.year].append(t)
        shown = targets if focus is None else [t for t in targets if t.indicator.name in names]
        by_indicator: dict[str, list[Target]] = {}
        for t in sorted(shown, key=lambda t: (order[t.indicator.name], t.plan.year, t.plan.department.slug, t.plan.published, t.plan.id, t.line)):
            by_indicator.setdefault(t.indicator.name, []).append(t)
        if counted:
            compilations = [(d, y, n) for (d, y), n in sorted(Counter((p.department.slug, p.year) for p in project.plans).items(),
                                                              key=lambda kv: (kv[0][0], -kv[0][1]))]
            out.append(Job(TARGETS_URL, ("mbrw", versions.of_all(_plans_of(targets), "measures"), tuple(compilations)),
                           partial(_index_page, ctx, targets, by_year, compilations)))
        # A department's year: the counts of all its targets on every page, its rows on one.
        for y in sorted(by_year, reverse=True) if targets else []:
            if year is not None and y != year:
                continue
            by_dept = _dept_order(by_year[y], order)
            if counted:
                out.append(Job(year_url(y), ("mbrw-year", y, urls.TARGET_ROWS, versions.of_all(_plans_of(by_year[y]), "measures")),
                               partial(_year_page, ctx, y, by_year[y], by_dept)))
            for slug, ts in by_dept.items():
                if focus is not None and slug != focus.plan.department.slug:
                    continue
                counts = versions.of_all(_plans_of(ts), "measures")
                for n in range(1, target_pages(len(ts)) + 1):
                    rows = versions.of_all(_plans_of(_chunk(ts, n, urls.TARGET_ROWS)), "targets")
                    out.append(Job(page_url(targets_dept_url(y, slug), n), ("mbrw-dept", y, slug, n, urls.TARGET_ROWS, counts, rows),
                                   partial(_year_dept_page, ctx, y, slug, ts, n)))
        # An indicator: its number of targets and its years on every page, the chart and rows of one.
        for ts in by_indicator.values():
            facts = (len(ts), tuple(sorted({t.plan.year for t in ts})))
            for n in range(1, target_pages(len(ts)) + 1):
                rows = versions.of_all(_plans_of(_chunk(ts, n, urls.TARGET_ROWS)), "targets")
                out.append(Job(page_url(indicator_url(ts[0].indicator.slug), n), ("indicator", n, urls.TARGET_ROWS, facts, rows),
                               partial(_indicator_page, ctx, ts, n, facts[1])))
    size = urls.COMPILATION_PLANS
    groups = None if focus is None else {(p.department.slug, p.year) for p in (focus.plan, *focus.others)}
    plans_by: dict[tuple[str, int], list[Plan]] = defaultdict(list)
    for p in project.plans:
        if groups is None or (p.department.slug, p.year) in groups:
            plans_by[(p.department.slug, p.year)].append(p)
    for (dept, y), ps in sorted(plans_by.items()):
        ps = sorted(ps, key=lambda p: (p.published, p.published_time or dt.time(0), p.id))
        entries = versions.of_all(ps, "entry")
        for n in range(1, compilation_parts(len(ps)) + 1):
            out.append(Job(page_url(compilation_url(dept, y), n), ("hb", n, size, entries, versions.of_all(_chunk(ps, n, size), "page")),
                           partial(_compilation_page, ctx, dept, y, ps, n)))
    if focus is None:  # 数据开放: counts and the first plan's address
        first = project.plans[0].id if project.plans else ""
        out.append(Job(OPEN_DATA_URL, ("sjkf", len(project.plans), len(targets), first),
                       partial(_open_data_page, ctx, targets)))
    return out


def sitemap_groups(project: Project) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sections of the 网站地图 page (wzdt/) for this module's pages."""
    years = sorted({t.plan.year for t in all_targets(project.plans)}, reverse=True)
    return [("目标任务与数据开放", [("目标任务", TARGETS_URL), *[(f"{y}年目标任务", year_url(y)) for y in years],
                                  ("数据开放", OPEN_DATA_URL)])]
