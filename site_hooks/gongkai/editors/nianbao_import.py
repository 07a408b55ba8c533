"""Reading an existing 政府信息公开工作年度报告 (.docx with the three tables, or a saved web page) into
``data/nianbao/<机构>/<年度>.yml``.

:func:`looks_like_report` tells ``gongkai import`` (cli/import_.py) that a file is a 年报 rather than
a plan; :func:`read_report` finds the six parts and the tables' cells by their labels, the way
reports are laid out in practice: merged cells (rowspan/colspan, Word's merged cells), numbering
written (一) or （一） or 1、, spaces inside labels, columns found by their header text so the
order of the columns does not matter. Every number it could not place, and every cell of the format
it did not find, is listed (:attr:`Imported.unplaced`, :attr:`Imported.missing`): nothing is
silently dropped and nothing is made up (a missing cell stays missing, so the file does not
validate until it is filled in). :func:`report_yaml` writes the data file.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.data import nianbao_format as nf
from gongkai.editors.errors import ImportFailed

MARKER = "收到和处理政府信息公开申请情况"
SUFFIXES = (".docx", ".html", ".htm")

Grid = list[list[str]]  # a table with merged cells repeated into every position they cover


class _Cont(str):
    """A position a cell merged from the left covers: the same text (headers span it), not another value."""


@dataclass
class Imported:
    data: dict[str, Any]
    year: int | None
    title: str
    unplaced: list[str] = field(default_factory=list)  # numbers found in the tables that fit no cell
    missing: list[str] = field(default_factory=list)  # cells of the format not found in the document


# --- reading the documents ------------------------------------------------------------------------

def _docx_blocks(path: Path) -> tuple[list[str], list[Grid]]:
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
        document = docx.Document(str(path))
    except Exception as exc:  # a damaged or renamed file: never a traceback
        raise ImportFailed(f"{path.name} 不是可以读取的 Word 文件（{type(exc).__name__}）") from exc
    paragraphs: list[str] = []
    grids: list[Grid] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            grid: Grid = []
            for row in table.rows:
                cells, line = row.cells, []  # a merged cell is repeated at every column it covers
                for i, cell in enumerate(cells):
                    line.append(_Cont(cell.text) if i and cell._tc is cells[i - 1]._tc else cell.text)
                grid.append(line)
            grids.append(grid)
            paragraphs.append("\x00table")
    return paragraphs, grids


def _html_blocks(path: Path) -> tuple[list[str], list[Grid]]:
    from lxml import html as lxml_html
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")  # older platforms save pages in GBK
    try:
        root = lxml_html.fromstring(text)
    except Exception as exc:
        raise ImportFailed(f"{path.name} 不是可以读取的网页（{type(exc).__name__}）") from exc
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    paragraphs: list[str] = []
    grids: list[Grid] = []
    for el in root.iter("p", "h1", "h2", "h3", "h4", "table", "div", "li"):
        if el.tag == "table":
            if el.xpath("ancestor::table"):
                continue
            grids.append(_html_grid(el))
            paragraphs.append("\x00table")
        elif not el.xpath("ancestor::table") and not (el.tag == "div" and el.xpath(".//p|.//div|.//table|.//h1|.//h2|.//h3|.//li")):
            paragraphs.append(el.text_content())
    return paragraphs, grids


def _html_grid(table) -> Grid:
    grid: dict[tuple[int, int], str] = {}
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            text = cell.text_content()
            rs, cs = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            for dr in range(rs):
                for dc in range(cs):
                    grid.setdefault((r + dr, c + dc), _Cont(text) if dc else text)
            c += cs
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def _blocks(path: Path) -> tuple[list[str], list[Grid]]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_blocks(path)
    if suffix in (".html", ".htm"):
        return _html_blocks(path)
    raise ImportFailed(f"不支持 {suffix} 文件；年度报告请用 .docx 或保存的网页（.html）")


def looks_like_report(path: Path) -> bool:
    """True when ``path`` is a 年报: its text names the part 三 of the format and has a 自然人 column."""
    if path.suffix.lower() not in SUFFIXES or not path.is_file():
        return False
    try:
        paragraphs, grids = _blocks(path)
    except (ImportFailed, OSError):
        return False
    text = _norm("".join(paragraphs) + "".join(c for g in grids for row in g for c in row))
    return _norm(MARKER) in text and nf.PERSON in text and "本年新收" in text


# --- labels -----------------------------------------------------------------------------------------

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|\d+[.、．]|[(（]\d+[)）])")
_QUOTES = re.compile("[“”\"'‘’「」]")


def _norm(text: str) -> str:
    """A label as compared: NFKC (full-width digits and brackets), no spaces, no quotes."""
    return _QUOTES.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))))


def _key(text: str) -> str:
    """A label without its numbering and its parenthetical note: （二）部分公开（区分处理的…） → 部分公开."""
    t = _norm(text)
    t = _NUMBERING.sub("", t)
    return re.sub(r"\(.*\)$", "", t)


def _number(text: str) -> float | None:
    if isinstance(text, _Cont):
        return None  # the cell to the left, merged over this column
    t = _norm(text).replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", t):
        value = float(t)
        return int(value) if value == int(value) else value
    return None


# --- the tables ---------------------------------------------------------------------------------------

def _find_grid(grids: list[Grid], *needles: str) -> Grid | None:
    for g in grids:
        text = _norm("".join(c for row in g for c in row))
        if all(_norm(n) in text for n in needles):
            return g
    return None


def _numbers_after_label(row: list[str]) -> tuple[str, list[tuple[int, float]]]:
    """The row's last label cell before its numbers, and (column index, value) of its numbers (merged repeats once)."""
    label, values = "", []
    for i, cell in enumerate(row):
        value = _number(cell)
        if value is None:
            if not values and cell.strip():
                label = cell
            continue
        values.append((i, value))
    return label, values


def _table2(g: Grid, out: dict, imp: Imported) -> None:
    rows = {row: cols for _, rs in nf.T2_GROUPS for row, cols in rs}
    found: dict[str, dict[str, float]] = {}
    for n, row in enumerate(g, 1):
        labels = [_key(c) for c in row if _number(c) is None]
        name = next((r for r in rows if r in labels), None)
        _, values = _numbers_after_label(row)
        if name is None:
            if values:
                imp.unplaced.append(f"表二第{n}行：{'、'.join(str(v) for _, v in values)}（不认识这一行）")
            continue
        cols = rows[name]
        found[name] = {col: v for col, (_, v) in zip(cols, values)}
        if len(values) > len(cols):
            imp.unplaced.append(f"表二“{name}”：多出的数字 {'、'.join(str(v) for _, v in values[len(cols):])}")
    for name, cols in rows.items():
        for col in cols:
            if col not in found.get(name, {}):
                imp.missing.append(f"二、{name}·{col}")
    out[nf.T2] = {name: found[name] for name in rows if name in found}


def _header_columns(g: Grid, names: list[str], stop: int) -> dict[str, list[int]]:
    """Column indexes of each header name in the rows above ``stop`` (a merged header covers several)."""
    cols: dict[str, list[int]] = {}
    for row in g[:stop]:
        for i, cell in enumerate(row):
            k = _key(cell)
            if k in names and _number(cell) is None:
                cols.setdefault(k, [])
                if i not in cols[k]:
                    cols[k].append(i)
    return cols


def _first_data_row(g: Grid) -> int:
    return next((n for n, row in enumerate(g) if any(_number(c) is not None for c in row)), len(g))


def _t3_target(labels: list[str]) -> tuple[str, ...] | None:
    """The data path of a row of 表三 from its label cells (outermost first; merged cells repeat)."""
    keys = [_key(x) for x in labels if x.strip()]
    keys = [k for i, k in enumerate(keys) if k and (i == 0 or k != keys[i - 1])]
    for top_key, _ in nf.T3_TOP:
        if top_key != nf.RESULTS and any(_key(top_key)[:4] == k[:4] for k in keys):
            return (top_key,)
    group = None
    for key, _, items in nf.RESULT_GROUPS:
        if key in keys:
            group = (key, items)
    if any(k in ("总计", nf.RESULTS_TOTAL) for k in keys[1:] or keys) and group is None:
        return (nf.RESULTS, nf.RESULTS_TOTAL)
    if group is None:
        return None
    key, items = group
    if items is None:
        return (nf.RESULTS, key)
    last = keys[-1]
    if last == key:
        return None  # the group's own label alone: the format has no such row
    for item in items:
        if _key(item) == last or (len(last) >= 4 and _key(item).startswith(last[:6])):
            return (nf.RESULTS, key, item)
    if last in ("小计", "合计"):
        return (nf.RESULTS, key, nf.SUBTOTAL)
    return None


def _table3(g: Grid, out: dict, imp: Imported) -> None:
    start = _first_data_row(g)
    names = [nf.PERSON, *nf.ORG_PARTS, nf.ORG, nf.TOTAL]
    header = _header_columns(g, names, start)
    # 法人或其他组织 heads its five parts: it is a column of its own only when no part is given
    if any(p in header for p in nf.ORG_PARTS):
        header.pop(nf.ORG, None)
    # 总计 in the header is the column's; the row label （七）总计 is below the header
    columns = {name: idx[-1] for name, idx in header.items()}
    result: dict[str, Any] = {}
    seen: set[tuple[str, ...]] = set()
    for n, row in enumerate(g[start:], start + 1):
        label_cells = [c for i, c in enumerate(row) if i < min(columns.values() or [len(row)]) and _number(c) is None]
        values = {i: v for i, c in enumerate(row) if (v := _number(c)) is not None}
        if not values:
            continue
        path = _t3_target(label_cells)
        if path is None or path in seen:
            why = "重复的行" if path in seen else "不认识这一行"
            imp.unplaced.append(f"表三第{n}行“{''.join(_norm(x) for x in dict.fromkeys(label_cells))}”：{'、'.join(str(v) for v in values.values())}（{why}）")
            continue
        seen.add(path)
        cells = {name: values[i] for name, i in columns.items() if i in values}
        extra = [v for i, v in values.items() if i not in columns.values()]
        if extra:
            imp.unplaced.append(f"表三第{n}行：{'、'.join(str(v) for v in extra)}（不在任何一列之下）")
        node = result
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = {name: cells[name] for name in [*names] if name in cells}
    for path, label in nf.t3_rows():
        if path not in seen:
            imp.missing.append(f"{label}（整行）")
    if not any(p in columns for p in nf.ORG_PARTS) and nf.ORG not in columns:
        imp.missing.append("表三：没有找到“法人或其他组织”的列")
    ordered: dict[str, Any] = {}
    for key, _ in nf.T3_TOP:
        if key in result:
            ordered[key] = result[key]
    if nf.RESULTS in ordered:
        res = ordered[nf.RESULTS]
        keep = {}
        for key, _, items in nf.RESULT_GROUPS:
            if key in res:
                keep[key] = res[key] if items is None else {i: res[key][i] for i in [*items, nf.SUBTOTAL] if i in res[key]}
        if nf.RESULTS_TOTAL in res:
            keep[nf.RESULTS_TOTAL] = res[nf.RESULTS_TOTAL]
        ordered[nf.RESULTS] = keep
    out[nf.T3] = ordered


def _table4(g: Grid, out: dict, imp: Imported) -> None:
    start = _first_data_row(g)
    groups = _header_columns(g, [nf.REVIEW, *nf.T4_LITIGATION], start)
    subs = _header_columns(g, nf.T4_CELLS, start)
    data_rows = [row for row in g[start:] if any(_number(c) is not None for c in row)]
    if not data_rows:
        imp.missing.append("表四：没有找到数字")
        return
    row = data_rows[0]
    for extra in data_rows[1:]:
        imp.unplaced.append(f"表四多出的一行：{'、'.join(c for c in extra if _number(c) is not None)}")
    result: dict[str, dict[str, float]] = {}
    used: set[int] = set()
    for name in (nf.REVIEW, *nf.T4_LITIGATION):
        span = groups.get(name, [])
        cells: dict[str, float] = {}
        for cell_name in nf.T4_CELLS:
            idx = [i for i in subs.get(cell_name, []) if i in span]
            if idx and _number(row[idx[0]]) is not None:
                cells[cell_name] = _number(row[idx[0]])  # type: ignore[assignment]
                used.add(idx[0])
            else:
                imp.missing.append(f"{'四、' + name if name == nf.REVIEW else '四、行政诉讼·' + name}·{cell_name}")
        result[name] = cells
    extra = [row[i] for i, c in enumerate(row) if _number(c) is not None and i not in used]
    if extra:
        imp.unplaced.append(f"表四：{'、'.join(extra)}（不在任何一列之下）")
    out[nf.T4] = {nf.REVIEW: result[nf.REVIEW], nf.LITIGATION: {k: result[k] for k in nf.T4_LITIGATION}}


# --- the prose --------------------------------------------------------------------------------------

_PART_HEAD = re.compile(r"^\s*([一二三四五六])\s*[、.．]\s*(.+?)\s*$")


def _prose(paragraphs: list[str]) -> tuple[str, str, dict[str, str]]:
    """(title, 前言, part key → Markdown) from the paragraphs in order."""
    numerals = "一二三四五六"
    title, preface, before_title, current = "", [], [], None
    parts: dict[str, list[str]] = {k: [] for k, _ in nf.PARTS}
    for raw in paragraphs:
        text = raw.strip()
        if not text:
            continue
        m = _PART_HEAD.match(text)
        if m and len(text) <= 40:
            index = numerals.index(m.group(1))
            key = nf.PARTS[index][0]
            if _key(key)[:4] in _norm(m.group(2)) or _norm(m.group(2))[:4] in _key(key):
                current = key
                continue
        if text == "\x00table":
            continue
        if current is None:
            if not title and "年度报告" in text and len(text) <= 60:
                title = _norm(text)  # what came before it is the saved page's furniture (menus, breadcrumbs)
            else:
                (preface if title else before_title).append(text)
        elif current in nf.PROSE_PARTS:
            parts[current].append(text)
    return title, "\n\n".join(preface if title else before_title), {k: "\n\n".join(v) for k, v in parts.items() if k in nf.PROSE_PARTS}


def read_report(path: Path) -> Imported:
    """The report in ``path`` as the data of a ``data/nianbao/…`` file, with what could not be placed."""
    paragraphs, grids = _blocks(path)
    title, preface, prose = _prose(paragraphs)
    m = re.search(r"(\d{4})\s*年(?:度)?\s*(?:政府信息公开|政务公开)", title or "".join(paragraphs[:5]))
    imp = Imported(data={}, year=int(m.group(1)) if m else None, title=title)
    data: dict[str, Any] = {}
    if title:
        data["名称"] = title
    if preface:
        data["前言"] = preface
    data["总体情况"] = prose["总体情况"]
    t2 = _find_grid(grids, "本年制发件数") or _find_grid(grids, "第二十条")
    t3 = _find_grid(grids, nf.PERSON, "本年新收")
    t4 = _find_grid(grids, nf.REVIEW, "结果维持")
    for grid, fill, name in ((t2, _table2, "表二（主动公开政府信息情况）"), (t3, _table3, "表三（收到和处理政府信息公开申请情况）"),
                             (t4, _table4, "表四（行政复议、行政诉讼情况）")):
        if grid is None:
            imp.missing.append(f"{name}：没有找到这张表")
        else:
            fill(grid, data, imp)
    for key in ("存在的主要问题及改进情况", "其他需要报告的事项"):
        data[key] = prose[key]
    for key in nf.PROSE_PARTS:
        if not data.get(key):
            imp.missing.append(f"{dict(nf.PARTS)[key]}：没有找到这一部分的文字")
    imp.data = data
    return imp


# --- writing the data file -------------------------------------------------------------------------

_PLAIN_KEY = re.compile(r"^[^\s:#{}\[\],&*!|>'\"%@`-][^:#{}\[\],]*$")


def _scalar(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if _PLAIN_KEY.match(text) and not re.fullmatch(r"[-+.\d]+|true|false|null|~", text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def report_yaml(data: dict[str, Any], header: str = "") -> str:
    """The data file's text: prose as ``|`` blocks, each table row on one line (``{自然人: 1, …}``)."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]

    def emit(node: dict, indent: int) -> None:
        pad = "  " * indent
        for key, value in node.items():
            if isinstance(value, dict) and value and all(not isinstance(v, dict) for v in value.values()):
                inner = ", ".join(f"{_scalar(k)}: {_scalar(v)}" for k, v in value.items())
                lines.append(f"{pad}{_scalar(key)}: {{{inner}}}")
            elif isinstance(value, dict):
                lines.append(f"{pad}{_scalar(key)}:")
                emit(value, indent + 1)
            elif isinstance(value, str) and ("\n" in value or len(value) > 60):
                lines.append(f"{pad}{_scalar(key)}: |")
                for text_line in value.splitlines():
                    lines.append(f"{pad}  {text_line}" if text_line.strip() else "")
            else:
                lines.append(f"{pad}{_scalar(key)}: {_scalar(value) if value != '' else _scalar('')}")

    emit(data, 0)
    return "\n".join(lines) + "\n"


def ordered(data: dict[str, Any]) -> dict[str, Any]:
    """The top-level fields in the schema's order (名称, 发布日期, 前言, then the six parts)."""
    order = ["名称", "发布日期", "前言", *(k for k, _ in nf.PARTS)]
    return {k: data[k] for k in order if k in data}


def pick_department(departments: dict[str, Any], text: str, wanted: str | None) -> str | None:
    """The department: ``--dept``, else the one whose full or short name the report names, else the only one."""
    if wanted:
        return wanted if wanted in departments else None
    named = [slug for slug, d in departments.items() if d.full_name and d.full_name in text]
    if len(named) == 1:
        return named[0]
    return next(iter(departments)) if len(departments) == 1 else None


def import_report(source: Path, departments: dict[str, Any], *, dept: str | None, year: int | None,
                  date: str, out: Path | None, root: Path) -> tuple[Path | None, str, Imported, list[str]]:
    """Read ``source`` and make the data file's text. Returns (where to write, text, what was read, errors);
    with errors there is nothing to write (the path is None)."""
    imp = read_report(source)
    errors: list[str] = []
    slug = pick_department(departments, imp.title + str(imp.data.get("前言", "")), dept)
    if slug is None:
        errors.append(f"无法确定发布机构{'“' + dept + '”' if dept else ''}；请用 --dept 指定，可用的机构：" + "、".join(departments))
    year = year or imp.year
    if year is None:
        errors.append("无法从标题中读出报告的年度；请用 --year 指定，例如 --year 2024")
    if errors:
        return None, "", imp, errors
    data = dict(imp.data)
    data["发布日期"] = date
    header = (f"由 gongkai import 从 {source.name} 导入。请核对后运行 gongkai validate。\n"
              f"格式：{nf.FORMAT_DOC}；说明见 docs/nianbao.md。")
    if imp.unplaced or imp.missing:
        header += "\n导入时没有放进表格的内容（请对照原文补上或删去）：\n" + "\n".join(f"  - {x}" for x in imp.unplaced + imp.missing)
    folder = out if out is not None else root / "data" / "nianbao" / str(slug)
    return folder / f"{year}.yml", report_yaml(ordered(data), header), imp, []
