"""Shared helpers for the 年报 tests: reports laid out the way departments publish them (the three
tables of 国办公开办函〔2021〕30号 with merged cells), written as .docx (python-docx) or a saved
web page, from the data of a ``data/nianbao/…`` file; and a broken copy of a sample report.
Imported by tests/test_nianbao.py."""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from gongkai.data import nianbao_format as nf

Cell = tuple[str, int, int]  # text, colspan, rowspan


def _n(v: Any) -> str:
    return str(v)


def t2_layout(t2: dict) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for clause, items in nf.T2_GROUPS:
        rows.append([(clause, 4, 1)])
        cols = items[0][1]
        rows.append([("信息内容", 1, 1), *((nf.T2_COLUMN_TEXT.get(c, c), 3 if len(cols) == 1 else 1, 1) for c in cols)])
        for row, cols in items:
            rows.append([(row, 1, 1), *((_n(t2[row][c]), 3 if len(cols) == 1 else 1, 1) for c in cols)])
    return rows


def t3_layout(t3: dict, *, numbering: str = "（一）") -> list[list[Cell]]:
    """Table 三 as published: 3 label columns, 申请人情况 over 7 columns. ``numbering`` "(一)" writes
    half-width brackets, as many reports do."""
    def nb(label: str) -> str:
        return label.replace("（", "(").replace("）", ")", 1) if numbering == "(一)" else label

    def vals(d: dict) -> list[Cell]:
        return [(_n(d[c]), 1, 1) for c in nf.T3_COLUMNS]

    rows: list[list[Cell]] = [
        [(f"（{nf.T3_NOTE}）", 3, 3), ("申请人情况", 7, 1)],
        [(nf.PERSON, 1, 2), (nf.ORG, 5, 1), (nf.TOTAL, 1, 2)],
        [(p, 1, 1) for p in nf.ORG_PARTS],
        [(nf.T3_TOP[0][1], 3, 1), *vals(t3[nf.NEW])],
        [(nf.T3_TOP[1][1], 3, 1), *vals(t3[nf.CARRIED_IN])],
    ]
    res = t3[nf.RESULTS]
    span = sum(len(items) if items else 1 for _, _, items in nf.RESULT_GROUPS) + 1
    first = True
    for key, label, items in nf.RESULT_GROUPS:
        lead = [(nf.T3_TOP[2][1], 1, span)] if first else []
        first = False
        if items is None:
            rows.append([*lead, (nb(label), 2, 1), *vals(res[key])])
            continue
        for i, item in enumerate(items, 1):
            head = [(nb(label), 1, len(items))] if i == 1 else []
            rows.append([*(lead if i == 1 else []), *head, (f"{i}.{item}", 1, 1), *vals(res[key][item])])
    rows.append([(nf.RESULTS_TOTAL_LABEL, 2, 1), *vals(res[nf.RESULTS_TOTAL])])
    rows.append([(nf.T3_TOP[3][1], 3, 1), *vals(t3[nf.CARRIED_OUT])])
    return rows


def t4_layout(t4: dict) -> list[list[Cell]]:
    lit = t4[nf.LITIGATION]
    return [
        [(nf.REVIEW, 5, 1), (nf.LITIGATION, 10, 1)],
        [*((c, 1, 2) for c in nf.T4_CELLS), *((k, 5, 1) for k in nf.T4_LITIGATION)],
        [(c, 1, 1) for _ in nf.T4_LITIGATION for c in nf.T4_CELLS],
        [*((_n(t4[nf.REVIEW][c]), 1, 1) for c in nf.T4_CELLS), *((_n(lit[k][c]), 1, 1) for k in nf.T4_LITIGATION for c in nf.T4_CELLS)],
    ]


def _blocks(data: dict, numbering: str = "（一）") -> list[tuple[str, Any]]:
    """The report in order: ("p", text) paragraphs and ("table", layout)."""
    out: list[tuple[str, Any]] = [("p", data["名称"]), ("p", data.get("前言", ""))]
    for key, head in nf.PARTS:
        out.append(("p", head))
        if key in nf.PROSE_PARTS:
            out += [("p", para) for para in data[key].split("\n\n")]
        elif key == nf.T2:
            out.append(("table", t2_layout(data[key])))
        elif key == nf.T3:
            out.append(("table", t3_layout(data[key], numbering=numbering)))
        else:
            out.append(("table", t4_layout(data[key])))
    return out


def write_html(path: Path, data: dict, *, numbering: str = "（一）", chrome: bool = True) -> Path:
    """A saved page of a published report: site furniture around the text, tables with rowspan/colspan."""
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title><script>var x=1;</script></head><body>']
    if chrome:
        parts.append('<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></div>')
    parts.append('<div class="article">')
    for kind, value in _blocks(data, numbering):
        if kind == "p":
            parts.append(f"<p>{html.escape(value)}</p>")
            continue
        parts.append('<table border="1">')
        for row in value:
            parts.append("<tr>" + "".join(
                f'<td{f" colspan={cs}" if cs > 1 else ""}{f" rowspan={rs}" if rs > 1 else ""}>'
                f'<p><span>{html.escape(text)}</span></p></td>' for text, cs, rs in row) + "</tr>")
        parts.append("</table>")
    parts.append("</div></body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_docx(path: Path, data: dict, *, numbering: str = "（一）") -> Path:
    """A Word report: the same tables with merged cells as Word stores them (w:gridSpan, w:vMerge),
    written straight into the table XML (python-docx's cell.merge takes seconds on these tables)."""
    import docx
    from docx.oxml.table import CT_Tc

    document = docx.Document()
    for kind, value in _blocks(data, numbering):
        if kind == "p":
            document.add_paragraph(value)
            continue
        taken: dict[tuple[int, int], tuple[int, int, str, int, int]] = {}
        for r, row in enumerate(value):
            c = 0
            for text, cs, rs in row:
                while (r, c) in taken:
                    c += 1
                for dr in range(rs):
                    for dc in range(cs):
                        taken[(r + dr, c + dc)] = (r, c, text, cs, rs)
                c += cs
        width = max(c for _, c in taken) + 1
        table = document.add_table(rows=len(value), cols=width)
        for r, row in enumerate(table.rows):
            tr = row._tr
            for tc in tr.tc_lst:
                tr.remove(tc)
            c = 0
            while c < width:
                r0, c0, text, cs, rs = taken[(r, c)]
                tc = CT_Tc.new()
                if cs > 1:
                    tc.grid_span = cs
                if rs > 1:
                    tc.vMerge = "restart" if r == r0 else "continue"
                if r == r0:
                    tc.p_lst[0].add_r().text = text
                tr.append(tc)
                c += cs
    document.save(str(path))
    return path
