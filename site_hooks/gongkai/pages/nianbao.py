"""政府信息公开工作年度报告 pages and open data, as plain functions (no MkDocs).

- ``xxgk/nianbao/``                 the index: reports by year and department (the 政府信息公开年报 entry)
- ``xxgk/nianbao/<机构>/<年度>/``     one report: the six parts, the tables 二 三 四 in the national layout
  (component ``nianbao_table``), the year-over-year figures as a static chart (``target_chart``)
- ``sjkf/nianbao/<机构>/<年度>.csv`` / ``.json``   the report's tables as open data (:mod:`gongkai.pages.nianbao_data`)

The rows and columns come from :mod:`gongkai.data.nianbao_format`; cells are looked up in the
:class:`~gongkai.data.nianbao.Report` the loader checked.
"""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from gongkai.data import nianbao_format as nf
from gongkai.data.nianbao import Report, fmt_cell
from gongkai.data.urls import NIANBAO_URL, OPEN_DATA_URL, nianbao_data_url, rel, src_of
from gongkai.markup.body import render_body
from gongkai.pages.context import Page, PageContext, esc
from gongkai.pages.outputs import Job
from gongkai.pages.targets import nice_axis

if TYPE_CHECKING:  # pragma: no cover
    from gongkai.data.model import Project

_COMPONENTS = ("nianbao_table", "target_chart", "breadcrumb")


# --- the tables as parameters of the nianbao_table component ------------------------------------------

def _th(text: str, id_: str, **extra: Any) -> dict[str, Any]:
    return {"th": True, "text": text, "id": id_, **{k: v for k, v in extra.items() if v}}


def _td(value: float | None, *headers: str, colspan: int = 0) -> dict[str, Any]:
    cell: dict[str, Any] = {"text": fmt_cell(value) if value is not None else "—", "headers": " ".join(headers)}
    if colspan:
        cell["colspan"] = colspan
    return cell


def table2_params(r: Report) -> dict[str, Any]:
    """表二: one row group per 第二十条第…项, each with its own column headers (as the format prints it)."""
    p = "gk-nb2"
    body: list[dict[str, Any]] = []
    for g, (clause, rows) in enumerate(nf.T2_GROUPS, 1):
        gid = f"{p}-g{g}"
        columns = rows[0][1]
        body.append({"cells": [{"th": True, "scope": "colgroup", "text": clause, "id": gid, "colspan": 4, "level": "clause"}]})
        head = [_th("信息内容", f"{gid}-c0", scope="col", headers=gid, level="col")]
        for c, col in enumerate(columns, 1):
            head.append(_th(nf.T2_COLUMN_TEXT.get(col, col), f"{gid}-c{c}", scope="col", headers=gid, level="col",
                            colspan=4 - len(columns) if len(columns) == 1 else 0))
        body.append({"cells": head})
        for n, (row, cols) in enumerate(rows, 1):
            rid = f"{gid}-r{n}"
            cells: list[dict[str, Any]] = [_th(row, rid, headers=f"{gid} {gid}-c0", level="sticky")]
            for c, col in enumerate(cols, 1):
                cells.append(_td(r.t2[row][col], gid, f"{gid}-c{c}", rid, colspan=3 if len(cols) == 1 else 0))
            body.append({"cells": cells})
    return {"id": p, "caption": "二、主动公开政府信息情况", "colgroups": [1, 3], "head": [], "body": body}


def _t3_columns(r: Report) -> bool:
    """True when every row gives the five parts of 法人或其他组织 (else those rows show its total across them)."""
    return all(all(cells.get(x) is not None for x in nf.ORG_PARTS) for cells in r.t3.values())


def table3_params(r: Report) -> dict[str, Any]:
    """表三 in the format's layout: three label columns (part, group, item), 申请人情况 over 自然人 /
    法人或其他组织 (five parts) / 总计."""
    p = "gk-nb3"
    all_ids = {"app": f"{p}-app", nf.PERSON: f"{p}-person", nf.ORG: f"{p}-org", nf.TOTAL: f"{p}-total"}
    part_ids = {x: f"{p}-org{i}" for i, x in enumerate(nf.ORG_PARTS, 1)}
    head = [
        [{"blank": True, "text": "", "colspan": 3, "rowspan": 3}, {"text": "申请人情况", "id": all_ids["app"], "scope": "colgroup", "colspan": 7}],
        [{"text": nf.PERSON, "id": all_ids[nf.PERSON], "rowspan": 2, "headers": all_ids["app"]},
         {"text": nf.ORG, "id": all_ids[nf.ORG], "scope": "colgroup", "colspan": 5, "headers": all_ids["app"]},
         {"text": nf.TOTAL, "id": all_ids[nf.TOTAL], "rowspan": 2, "headers": all_ids["app"]}],
        [{"text": x, "id": part_ids[x], "headers": f"{all_ids['app']} {all_ids[nf.ORG]}"} for x in nf.ORG_PARTS],
    ]

    def values(row: tuple[str, ...], *row_ids: str) -> list[dict[str, Any]]:
        cells, app = r.t3[row], all_ids["app"]
        out = [_td(cells[nf.PERSON], *row_ids, app, all_ids[nf.PERSON])]
        if all(cells.get(x) is not None for x in nf.ORG_PARTS):
            out += [_td(cells[x], *row_ids, app, all_ids[nf.ORG], part_ids[x]) for x in nf.ORG_PARTS]
        else:
            out.append(_td(cells.get(nf.ORG), *row_ids, app, all_ids[nf.ORG], colspan=5))
        out.append(_td(cells[nf.TOTAL], *row_ids, app, all_ids[nf.TOTAL]))
        return out

    body: list[dict[str, Any]] = []
    for i, (key, label) in enumerate(nf.T3_TOP[:2], 1):
        rid = f"{p}-r{i}"
        body.append({"cells": [_th(label, rid, colspan=3, level="sticky"), *values((key,), rid)]})
    res_id = f"{p}-r3"
    res_rows = sum(len(items) if items else 1 for _, _, items in nf.RESULT_GROUPS) + 1  # (一)…(六) and (七)总计
    first = True
    for g, (key, label, items) in enumerate(nf.RESULT_GROUPS, 1):
        gid = f"{res_id}-{g}"
        lead: list[dict[str, Any]] = []
        if first:
            lead.append(_th(nf.T3_TOP[2][1], res_id, rowspan=res_rows, level="part"))
            first = False
        if items is None:
            body.append({"cells": [*lead, _th(label, gid, colspan=2, headers=res_id, level="sticky"), *values((nf.RESULTS, key), res_id, gid)]})
            continue
        for n, item in enumerate(items, 1):
            iid = f"{gid}-{n}"
            cells = list(lead) if n == 1 else []
            if n == 1:
                cells.append(_th(label, gid, rowspan=len(items), headers=res_id, level="group"))
            cells.append(_th(f"{n}.{item}", iid, headers=f"{res_id} {gid}", level="sticky"))
            body.append({"cells": [*cells, *values((nf.RESULTS, key, item), res_id, gid, iid)]})
            lead = []
    tot = f"{res_id}-7"
    body.append({"total": True, "cells": [_th(nf.RESULTS_TOTAL_LABEL, tot, colspan=2, headers=res_id, level="sticky"),
                                          *values((nf.RESULTS, nf.RESULTS_TOTAL), res_id, tot)]})
    rid = f"{p}-r4"
    body.append({"cells": [_th(nf.T3_TOP[3][1], rid, colspan=3, level="sticky"), *values((nf.CARRIED_OUT,), rid)]})
    return {"id": p, "caption": "三、收到和处理政府信息公开申请情况", "note": f"（{nf.T3_NOTE}）",
            "colgroups": [3, 1, 5, 1], "head": head, "body": body}


def table4_params(r: Report) -> dict[str, Any]:
    p = "gk-nb4"
    review, lit = f"{p}-fy", f"{p}-ss"
    sub = {name: f"{p}-ss{i}" for i, name in enumerate(nf.T4_LITIGATION, 1)}
    head = [
        [{"text": nf.REVIEW, "id": review, "scope": "colgroup", "colspan": 5},
         {"text": nf.LITIGATION, "id": lit, "scope": "colgroup", "colspan": 10}],
        [*({"text": c, "id": f"{review}-{i}", "rowspan": 2, "headers": review} for i, c in enumerate(nf.T4_CELLS, 1)),
         *({"text": name, "id": sub[name], "scope": "colgroup", "colspan": 5, "headers": lit} for name in nf.T4_LITIGATION)],
        [{"text": c, "id": f"{sub[name]}-{i}", "headers": f"{lit} {sub[name]}"} for name in nf.T4_LITIGATION for i, c in enumerate(nf.T4_CELLS, 1)],
    ]
    cells = [_td(r.t4[nf.REVIEW][c], review, f"{review}-{i}") for i, c in enumerate(nf.T4_CELLS, 1)]
    cells += [_td(r.t4[name][c], lit, sub[name], f"{sub[name]}-{i}") for name in nf.T4_LITIGATION for i, c in enumerate(nf.T4_CELLS, 1)]
    return {"id": p, "caption": "四、政府信息公开行政复议、行政诉讼情况", "colgroups": [5, 5, 5], "head": head, "body": [{"cells": cells}]}


# --- year over year ------------------------------------------------------------------------------------

def main_figures(r: Report) -> list[tuple[str, float]]:
    """The main rows compared year over year: (label, value)."""
    return [
        ("本年新收申请", r.t3[(nf.NEW,)][nf.TOTAL]),
        ("办理结果总计", r.t3[(nf.RESULTS, nf.RESULTS_TOTAL)][nf.TOTAL]),
        ("予以公开", r.t3[(nf.RESULTS, "予以公开")][nf.TOTAL]),
        ("结转下年度", r.t3[(nf.CARRIED_OUT,)][nf.TOTAL]),
        ("行政复议", r.t4[nf.REVIEW]["总计"]),
        ("行政诉讼", r.t4_litigation_total),
        ("现行有效规范性文件", r.t2["行政规范性文件"]["现行有效件数"]),
    ]


def chart_params(r: Report, last: Report) -> dict[str, Any]:
    now, before = main_figures(r), dict(main_figures(last))
    groups = [{"label": label, "target": before[label], "target_text": fmt_cell(before[label]),
               "actual": value, "actual_text": fmt_cell(value)} for label, value in now]
    axis_max, ticks = nice_axis(max([v for g in groups for v in (g["target"], g["actual"])] or [0]))
    desc = "；".join(f"{label}：{last.year}年{fmt_cell(before[label])}件，{r.year}年{fmt_cell(value)}件" for label, value in now) + "。"
    return {"id": "gk-chart-nianbao", "title": f"主要数字：{r.year}年与{last.year}年", "desc": desc,
            "target_name": f"{last.year}年", "actual_name": f"{r.year}年", "unit": "件",
            "axis_max": axis_max, "ticks": ticks, "tick_labels": [fmt_cell(x) for x in ticks], "groups": groups}


# --- pages ---------------------------------------------------------------------------------------------

def _report_page(ctx: PageContext, r: Report, last: Report | None) -> Page:
    c = ctx.components(_COMPONENTS)
    here = r.url
    dept = r.department
    crumbs = ctx.crumbs(here, [("政府信息公开年报", NIANBAO_URL), (f"{dept.short_name}{r.year}年", here)])
    heads = dict(nf.PARTS)
    parts = [str(c["breadcrumb"](crumbs)), '<article class="gk-nianbao" aria-labelledby="gk-nb-title">',
             f'<h1 id="gk-nb-title">{esc(r.title)}</h1>',
             f'<p class="gk-nianbao__meta">发布机构：{esc(dept.full_name)}　发布日期：<time datetime="{r.published.isoformat()}">'
             f'{r.published.isoformat()}</time>　统计期限：{r.year}年1月1日至{r.year}年12月31日</p>']
    if r.preface:
        parts.append(f'<div class="gk-body gk-nianbao__preface">{render_body(r.preface)}</div>')
    sections = [
        ("总体情况", f'<div class="gk-body">{render_body(r.prose["总体情况"])}</div>'),
        (nf.T2, str(c["nianbao_table"](table2_params(r)))),
        (nf.T3, str(c["nianbao_table"](table3_params(r)))),
        (nf.T4, str(c["nianbao_table"](table4_params(r)))),
        ("存在的主要问题及改进情况", f'<div class="gk-body">{render_body(r.prose["存在的主要问题及改进情况"])}</div>'),
        ("其他需要报告的事项", f'<div class="gk-body">{render_body(r.prose["其他需要报告的事项"])}</div>'),
    ]
    for i, (key, html) in enumerate(sections, 1):
        parts.append(f'<section class="gk-nianbao__part"><h2 id="gk-nb-part{i}">{esc(heads[key])}</h2>{html}</section>')
    parts.append("</article>")
    if last is not None:
        chart = c["target_chart"](chart_params(r, last))
        rows = "".join(f'<tr><th scope="row">{esc(label)}</th><td>{fmt_cell(dict(main_figures(last))[label])}</td><td>{fmt_cell(v)}</td></tr>'
                       for label, v in main_figures(r))
        parts.append(
            '<section class="gk-nianbao__compare">'
            f'<h2 id="gk-nb-compare">与上年比较</h2>'
            f'<figure class="gk-chart-figure" aria-labelledby="gk-nb-chart-caption"><figcaption id="gk-nb-chart-caption">'
            f'图：主要数字，{last.year}年（斜线条）与{r.year}年（实心条）</figcaption><div class="gk-chart-wrap" role="region" aria-labelledby="gk-nb-chart-caption" tabindex="0">{chart}</div></figure>'
            f'<div class="gk-table-wrap"><table class="gk-nianbao__figures"><caption>主要数字（件）</caption><thead><tr><th scope="col">项目</th>'
            f'<th scope="col">{last.year}年</th><th scope="col">{r.year}年</th></tr></thead><tbody>{rows}</tbody></table></div>'
            f'<ul class="gk-nianbao__links"><li><a href="{rel(here, last.url)}">查看{last.year}年的报告</a></li></ul></section>')
    parts.append(f'<ul class="gk-nianbao__links gk-nianbao__data" aria-label="本报告表格的数据">'
                 f'<li><a href="{rel(here, nianbao_data_url(dept.slug, r.year, "csv"))}" type="text/csv">下载表格数据（CSV）</a></li>'
                 f'<li><a href="{rel(here, nianbao_data_url(dept.slug, r.year, "json"))}" type="application/json">下载表格数据（JSON）</a></li>'
                 f'<li><a href="{rel(here, OPEN_DATA_URL)}">数据开放</a></li></ul>')
    meta = [("ColumnName", "政府信息公开年报"), ("ColumnType", "政府信息公开"), ("ArticleTitle", r.title),
            ("PubDate", r.published.isoformat()), ("ContentSource", dept.short_name)]
    return Page(src_of(here), here, r.title, "".join(parts), "nianbao", meta, r.path,
                f"{dept.full_name}{r.year}年政府信息公开工作年度报告：主动公开、依申请公开、行政复议和行政诉讼情况。")


def _index_page(ctx: PageContext) -> Page:
    c = ctx.components(_COMPONENTS)
    here = NIANBAO_URL
    project = ctx.project
    reports = project.reports
    crumbs = ctx.crumbs(here, [("政府信息公开年报", here)])
    parts = [str(c["breadcrumb"](crumbs)), "<h1>政府信息公开年报</h1>",
             '<p class="gk-intro">根据《中华人民共和国政府信息公开条例》第四十九条，各发布机构于每年1月31日前公布上一年度的'
             f'政府信息公开工作年度报告。报告按{nf.FORMAT_DOC}规定的格式编制，表格中的数字都经过核对。</p>']
    if not reports:
        parts.append("<p>还没有公布年度报告。</p>")
    else:
        depts = sorted({r.department.slug for r in reports})
        by = {(r.department.slug, r.year): r for r in reports}
        years = sorted({r.year for r in reports}, reverse=True)
        head = "".join(f'<th scope="col">{esc(project.departments[d].full_name)}</th>' for d in depts)
        rows = []
        for y in years:
            cells = []
            for d in depts:
                r = by.get((d, y))
                cells.append(f'<td><a href="{rel(here, r.url)}">{esc(r.title)}</a><span class="gk-nianbao__date">（{r.published.isoformat()}）</span></td>'
                             if r else '<td>—</td>')
            rows.append(f'<tr><th scope="row">{y}年度</th>{"".join(cells)}</tr>')
        parts.append('<div class="gk-table-wrap"><table class="gk-nianbao__figures gk-nianbao__index"><caption>各年度、各发布机构的年度报告</caption>'
                     f'<thead><tr><th scope="col">年度</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
        parts.append(f'<p>每份报告的表格也可下载为 CSV 和 JSON：</p><ul class="gk-nianbao__links"><li><a href="{rel(here, OPEN_DATA_URL)}">数据开放</a></li></ul>')
    return Page(src_of(here), here, "政府信息公开年报", "".join(parts), "catalogue",
                [("ColumnName", "政府信息公开年报"), ("ColumnType", "目录")],
                description=f"{project.site.name}各发布机构的政府信息公开工作年度报告。")


def page_jobs(ctx: PageContext) -> list[Job]:
    """The index and one page per report, as independent jobs (:mod:`gongkai.pages.outputs`). They read only
    the reports, never a plan, so an edit to a plan leaves their signatures equal; an edit to a report file
    is a whole rebuild in the preview."""
    by = {(r.department.slug, r.year): r for r in ctx.project.reports}
    index = Job(NIANBAO_URL, ("nianbao-index", tuple(r.id for r in ctx.project.reports)), partial(_index_page, ctx))
    return [index] + [Job(r.url, ("nianbao", r.id), partial(_report_page, ctx, r, by.get((r.department.slug, r.year - 1))), r.path)
                      for r in ctx.project.reports]


def sitemap_groups(project: Project) -> list[tuple[str, list[tuple[str, str]]]]:
    """The 网站地图 section of the reports."""
    return [("政府信息公开年报", [("政府信息公开年报", NIANBAO_URL),
                              *((r.title, r.url) for r in sorted(project.reports, key=lambda r: (-r.year, r.department.slug)))])]
