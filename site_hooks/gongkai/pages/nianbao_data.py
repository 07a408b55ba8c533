"""A 政府信息公开工作年度报告's tables as open data: ``sjkf/nianbao/<机构>/<年度>.csv`` (one cell a line:
表, 行, 列, 数值; UTF-8 with BOM for Excel) and ``.json`` (the data file's structure, Chinese keys).

Separate from :mod:`gongkai.pages.nianbao` (the pages) because :mod:`gongkai.pages.opendata` writes
these files with the others, and the pages module sits above it (it uses the targets' chart axis).
"""
from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from gongkai.data import nianbao_format as nf
from gongkai.data.nianbao import Report, fmt_cell
from gongkai.data.urls import nianbao_data_url

if TYPE_CHECKING:  # pragma: no cover
    from gongkai.data.model import Project

# --- open data -----------------------------------------------------------------------------------------

CSV_HEADER = ["表", "行", "列", "数值"]


def cells(r: Report) -> list[tuple[str, str, str, float | None]]:
    """Every cell of the three tables in the format's order: (table, row label, column, value)."""
    out: list[tuple[str, str, str, float | None]] = []
    for clause, rows in nf.T2_GROUPS:
        for row, cols in rows:
            out += [("二", f"{clause}·{row}", nf.T2_COLUMN_TEXT.get(col, col), r.t2[row][col]) for col in cols]
    for row, label in nf.t3_rows():
        c = r.t3[row]
        cols = [nf.PERSON, nf.ORG, *nf.ORG_PARTS, nf.TOTAL]
        out += [("三", label, col, r.org(row) if col == nf.ORG else c.get(col)) for col in cols]
    for name in (nf.REVIEW, *nf.T4_LITIGATION):
        label = name if name == nf.REVIEW else f"{nf.LITIGATION}·{name}"
        out += [("四", label, col, r.t4[name][col]) for col in nf.T4_CELLS]
    return out


def report_csv(r: Report) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_HEADER)
    for table, row, col, value in cells(r):
        w.writerow([table, row, col, "" if value is None else fmt_cell(value)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8


def _num(value: float | None) -> int | float | None:
    return None if value is None else (int(value) if value == int(value) else value)


def report_record(r: Report, base_url: str) -> dict[str, Any]:
    """The report as JSON: the same structure as the data file (Chinese keys), plus where it is published."""
    t3: dict[str, Any] = {}
    for row, _ in nf.t3_rows():
        node = t3
        for key in row[:-1]:
            node = node.setdefault(key, {})
        c = r.t3[row]
        node[row[-1]] = {nf.PERSON: _num(c[nf.PERSON]), nf.ORG: _num(r.org(row)),
                         **{x: _num(c.get(x)) for x in nf.ORG_PARTS}, nf.TOTAL: _num(c[nf.TOTAL])}
    return {
        "名称": r.title, "发布机构": r.department.full_name, "机构标识": r.department.slug, "年度": r.year,
        "发布日期": r.published.isoformat(), "格式": nf.FORMAT_DOC, "网址": base_url + r.url,
        nf.T2: {row: {col: _num(v) for col, v in cols.items()} for row, cols in r.t2.items()},
        nf.T3: t3,
        nf.T4: {nf.REVIEW: {k: _num(v) for k, v in r.t4[nf.REVIEW].items()},
                nf.LITIGATION: {name: {k: _num(v) for k, v in r.t4[name].items()} for name in nf.T4_LITIGATION}},
    }


def open_data_files(project: Project) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for r in project.reports:
        files[nianbao_data_url(r.department.slug, r.year, "csv")] = report_csv(r)
        files[nianbao_data_url(r.department.slug, r.year, "json")] = (
            json.dumps(report_record(r, project.site.base_url), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files
