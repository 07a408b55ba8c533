"""Read a department's catalogue exported from the old CMS (.xlsx or .csv) and match it to saved pages.

``read_catalogue(path)`` gives :class:`Row` objects (the spreadsheet row number, each value as
written, keyed by the plan's field names: 索引号, 名称, 文号, 发布机构, 生成日期, 发布日期, 组配分类,
主题分类, and ``URL``). The header row may be anywhere in the first rows and may use the old
platform's wording (标题, 信息分类, 成文日期, 链接 …). ``.xlsx`` is read with openpyxl; dates the
spreadsheet stores as dates become YYYY-MM-DD.

``match(rows, key)`` finds a page's row by old URL, then 索引号, then 名称; :func:`compare` lists
the fields a row fills and the ones where page and catalogue disagree (reported, never resolved).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from gongkai.editors.errors import ImportFailed
from gongkai.editors.importer import decode_text
from gongkai.editors.oldsite import label_field, normal_date

CATALOGUE_SUFFIXES = (".xlsx", ".csv")
URL_LABELS = {"URL", "url", "网址", "链接", "原网址", "页面地址", "访问地址", "链接地址", "地址"}
COMPARED = ("索引号", "名称", "文号", "发布机构", "生成日期", "发布日期", "组配分类", "主题分类")
MAX_ROWS = 100_000


@dataclass
class Row:
    line: int  # the spreadsheet row (1 = the first row)
    values: dict[str, str] = field(default_factory=dict)
    used: bool = False

    @property
    def url(self) -> str:
        return self.values.get("URL", "")


def _field(header: str) -> str | None:
    text = re.sub(r"\s+", "", str(header or "")).strip(":：*")
    if text in URL_LABELS or text.upper() == "URL":
        return "URL"
    return label_field(text)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".xlsx":
        try:
            import openpyxl  # only for .xlsx catalogues
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file; all mean the same to an editor
            raise ImportFailed(f"无法读取这个 Excel 文件（{type(exc).__name__}）；请用 Excel 或 WPS 打开后另存为 .xlsx 再试") from exc
        try:
            sheet = book.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append([_cell(v) for v in row])
                if len(rows) > MAX_ROWS:
                    raise ImportFailed(f"目录超过 {MAX_ROWS} 行，请分成几个文件")
            return rows
        finally:
            book.close()
    text = decode_text(path.read_bytes())
    dialect = "excel-tab" if text.count("\t") > text.count(",") else "excel"
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect=dialect)]


def read_catalogue(path: Path) -> list[Row]:
    rows = _table(path)
    header_at, columns = None, {}
    for i, row in enumerate(rows[:20]):
        found = {j: f for j, cell in enumerate(row) if (f := _field(cell))}
        if len(found) >= 3:
            header_at, columns = i, found
            break
    if header_at is None:
        raise ImportFailed("没有找到表头（至少要有 索引号、名称、发布日期 等三列的列名）")
    out = []
    for i, row in enumerate(rows[header_at + 1:], header_at + 2):
        values = {columns[j]: cell for j, cell in enumerate(row) if j in columns and cell}
        if values:
            out.append(Row(i, values))
    return out


def url_key(url: str) -> str:
    """Old URLs compare by host and path: http/https, a trailing index.html and letter case do not matter."""
    split = urlsplit(url.strip())
    path = re.sub(r"/index\.s?html?$", "/", split.path)
    return f"{split.netloc.lower()}{path}" if split.netloc else path


def match(rows: list[Row], urls: list[str], index_no: str, title: str) -> Row | None:
    keys = {url_key(u) for u in urls if u}
    paths = {urlsplit(u).path for u in urls if u}
    for row in rows:
        if row.url and (url_key(row.url) in keys or (not urlsplit(row.url).netloc and urlsplit(row.url).path in paths)):
            return row
    if index_no:
        for row in rows:
            if re.sub(r"\s+", "", row.values.get("索引号", "")) == re.sub(r"\s+", "", index_no):
                return row
    if title:
        for row in rows:
            if re.sub(r"\s+", "", row.values.get("名称", "")) == re.sub(r"\s+", "", title):
                return row
    return None


def _same(name: str, a: str, b: str) -> bool:
    if name in ("生成日期", "发布日期"):
        da, db = normal_date(a), normal_date(b)
        return bool(da and db and da[0] == db[0])
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)


def compare(row: Row, page: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """(fields the catalogue fills because the page lacks them, [(field, page value, catalogue value)] that differ)."""
    fills, differ = {}, []
    for name in COMPARED:
        theirs = row.values.get(name, "")
        if not theirs:
            continue
        mine = page.get(name, "")
        if not mine:
            fills[name] = theirs
        elif not _same(name, mine, theirs):
            differ.append((name, mine, theirs))
    return fills, differ
