"""政府信息公开工作年度报告 (年报): reading ``data/nianbao/<机构>/<年度>.yml``, every sum of the format checked.

One file per department and statistical year. The rows and columns come from
:mod:`gongkai.data.nianbao_format` (国办公开办函〔2021〕30号); the JSON Schema check (field names,
required rows) is the one every data file gets (:mod:`gongkai.data.checker`). This module adds
what a schema cannot say, each problem at the line of its row, named by row and column in Chinese:

- every cell a non-negative integer (表二's 本年收费金额: 万元 with at most two decimals);
- 表三, each row: 法人或其他组织 = its five parts (where both are given), 总计 = 自然人 + 法人或其他组织;
  (三)…(六): their 小计 (where given) = the sum of their numbered items; (七)总计 = (一)+…+(六);
  for every column 一 + 二 = 三(七) + 四; 表四: 总计 = the four results;
- across years: 上年结转 = last year's 结转下年度继续办理 (an error when both years are in the data);
  现行有效件数 = last year's 现行有效件数 + 本年制发件数 − 本年废止件数 (a warning);
- where the site publishes the items a row counts (a department's 组配分类 named in
  :data:`NORMATIVE_CATEGORIES`), the count of that year's items is compared with 本年制发件数 (a warning).

When one wrong cell breaks several sums, it is reported once: the sums are checked from the most
specific (a column inside 办理结果) to the most general (the column identity), and a sum is not
checked again once one of its cells was part of a reported sum.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.data import nianbao_format as nf
from gongkai.data import urls
from gongkai.data.checker import FileChecker, read_file, relpath
from gongkai.data.model import Department, Plan
from gongkai.problems import Problems
from gongkai.rules import codes

FOLDER = "nianbao"  # data/nianbao/<机构>/<年度>.yml
NORMATIVE_CATEGORIES = ("行政规范性文件", "规范性文件")  # 组配分类 whose items 表二's 行政规范性文件 row counts

Cell = tuple  # a path into the data file of one cell: (part, row…, column)


@dataclass
class Report:
    department: Department
    year: int
    path: str  # data/nianbao/<机构>/<年度>.yml
    title: str
    published: dt.date
    preface: str  # Markdown
    prose: dict[str, str]  # 总体情况 / 存在的主要问题及改进情况 / 其他需要报告的事项 → Markdown
    t2: dict[str, dict[str, float]]  # row → column → value
    t3: dict[tuple[str, ...], dict[str, int | None]]  # row path (nianbao_format.t3_rows) → column → value (None: not given)
    t4: dict[str, dict[str, int]]  # 行政复议 / 未经复议直接起诉 / 复议后起诉 → column → value
    line_of: dict[tuple, int] = field(default_factory=dict, repr=False)

    @property
    def url(self) -> str:
        return urls.nianbao_url(self.department.slug, self.year)

    @property
    def id(self) -> str:
        return f"{self.department.slug}/{self.year}"

    def org(self, row: tuple[str, ...]) -> int | None:
        """法人或其他组织 of a row of 表三: the sum of its five parts, or the total given alone."""
        cells = self.t3[row]
        parts = [cells.get(p) for p in nf.ORG_PARTS]
        if all(v is not None for v in parts):
            return sum(parts)  # type: ignore[arg-type]
        return cells.get(nf.ORG)

    @property
    def t4_litigation_total(self) -> int:
        return sum(self.t4[k]["总计"] for k in nf.T4_LITIGATION)


# --- cells -------------------------------------------------------------------------------

def parse_cell(value: Any, amount: bool = False) -> tuple[float | None, str, str]:
    """(value, message, hint): a count (non-negative integer) or, with ``amount``, 万元 with ≤ 2 decimals."""
    if isinstance(value, bool):
        return None, f"是 {'true' if value else 'false'}，应为数字", "只写数字，没有发生的写 0"
    if value is None:
        return None, "没有填写", "请填写数字；没有发生的写 0"
    if isinstance(value, (dict, list)):
        return None, "应为一个数字", "每一格只写一个数字"
    if isinstance(value, str):
        raw = value.strip()
        text = unicodedata.normalize("NFKC", raw).replace(",", "").strip()
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            return None, f"“{raw}”写成了文字或含有全角字符", f"请写成半角数字 {text}（不加引号）"
        m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(\S+)", text)
        if m:
            return None, f"“{raw}”不是数字", f"只写数字 {m.group(1)}，不写单位“{m.group(2)}”"
        if text in ("", "-", "—", "/", "无"):
            return None, f"“{raw}”不是数字", "没有发生的请写 0"
        return None, f"“{raw}”不是数字", "只写数字，例如 0、12"
    number = float(value)
    if number < 0:
        return None, f"是 {_fmt(number)}，不能是负数", "请核对原表"
    if amount:
        if abs(number * 100 - round(number * 100)) > 1e-6:
            return None, f"是 {value}，最多两位小数", f"金额以万元为单位，保留两位小数，例如 {round(number, 2)}"
        return number, "", ""
    if number != int(number):
        return None, f"是 {_fmt(number)}，应为整数", "件数、数量只能是整数"
    return int(number), "", ""


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")


def fmt_cell(value: float | None) -> str:
    """How a cell is written on the page and in the messages: 12, 3.5, 0."""
    return _fmt(value)


# --- checking one file --------------------------------------------------------------------

class _Sums:
    """The sum checks of one report: each failed sum reported once, cells of reported sums not checked again."""

    def __init__(self, c: FileChecker):
        self.c = c
        self.flagged: set[Cell] = set()

    def equal(self, at: Cell, label: str, value: float, expected: float, formula: str, cells: list[Cell],
              hint: str = "改正其中一项") -> None:
        if self.flagged.intersection(cells) or value == expected:
            return
        self.flagged.update(cells)
        self.c.problems.add(self.c.rel, self.c.doc.line(at), label,
                            f"是 {_fmt(value)}，应为 {formula} = {_fmt(expected)}", hint)


def _t2_label(row: str, column: str) -> str:
    clause = next(cl for cl, rows in nf.T2_GROUPS if any(r == row for r, _ in rows))
    return f"二、{clause}·{row}·{nf.T2_COLUMN_TEXT.get(column, column)}"


def _t4_path(row: str) -> tuple[str, ...]:
    return (nf.T4, nf.REVIEW) if row == nf.REVIEW else (nf.T4, nf.LITIGATION, row)


def _t4_label(row: str) -> str:
    return f"四、{nf.REVIEW}" if row == nf.REVIEW else f"四、{nf.LITIGATION}·{row}"


def _read_cells(c: FileChecker) -> tuple[dict, dict, dict, bool]:
    """Parse every cell; report bad values. Returns (t2, t3, t4, ok)."""
    d = c.doc.data
    ok = True

    def cell(path: Cell, label: str, amount: bool = False, optional: bool = False) -> float | None:
        nonlocal ok
        node: Any = d
        for key in path:
            if not isinstance(node, dict) or key not in node:
                if not optional:
                    ok = False  # missing: reported by the schema already
                return None
            node = node[key]
        value, message, hint = parse_cell(node, amount)
        if message:
            ok = False
            c.problems.add(c.rel, c.doc.line(path), label, message, hint)
        return value

    t2: dict[str, dict[str, float]] = {}
    for _, rows in nf.T2_GROUPS:
        for row, columns in rows:
            t2[row] = {col: cell((nf.T2, row, col), _t2_label(row, col), col in nf.AMOUNT_COLUMNS) for col in columns}
    t3: dict[tuple[str, ...], dict[str, int | None]] = {}
    for row, label in nf.t3_rows():
        cells = {col: cell((nf.T3, *row, col), f"{label}·{col}", optional=col in nf.ORG_PARTS)
                 for col in nf.T3_COLUMNS}
        cells[nf.ORG] = cell((nf.T3, *row, nf.ORG), f"{label}·{nf.ORG}", optional=True)
        t3[row] = cells
    for key, label, items in nf.RESULT_GROUPS:
        if items is not None:
            row = (nf.RESULTS, key, nf.SUBTOTAL)
            raw = ((d.get(nf.T3) or {}).get(nf.RESULTS) or {}).get(key) or {}
            if isinstance(raw, dict) and nf.SUBTOTAL in raw:
                sub = f"三、本年度办理结果{label}{nf.SUBTOTAL}"
                t3[row] = {col: cell((nf.T3, *row, col), f"{sub}·{col}", optional=col in nf.ORG_PARTS) for col in nf.T3_COLUMNS}
                t3[row][nf.ORG] = cell((nf.T3, *row, nf.ORG), f"{sub}·{nf.ORG}", optional=True)
    t4: dict[str, dict[str, int]] = {}
    for row in (nf.REVIEW, *nf.T4_LITIGATION):
        t4[row] = {col: cell((*_t4_path(row), col), f"{_t4_label(row)}·{col}") for col in nf.T4_CELLS}  # type: ignore[misc]
    return t2, t3, t4, ok


def _row_label(row: tuple[str, ...]) -> str:
    if row[-1] == nf.SUBTOTAL:
        label = next(lb for k, lb, _ in nf.RESULT_GROUPS if k == row[1])
        return f"三、本年度办理结果{label}{nf.SUBTOTAL}"
    return dict(nf.t3_rows())[row]


def _check_parts(c: FileChecker, t3: dict) -> bool:
    """In each row of 表三 the five parts of 法人或其他组织 are all given, or none and the total is."""
    ok = True
    for row, cells in t3.items():
        given = [p for p in nf.ORG_PARTS if cells.get(p) is not None]
        if given and len(given) < len(nf.ORG_PARTS):
            missing = [p for p in nf.ORG_PARTS if p not in given]
            c.problems.add(c.rel, c.doc.line((nf.T3, *row)), f"{_row_label(row)}·{nf.ORG}",
                           f"五类只填了{len(given)}类，缺少{'、'.join(missing)}", "五类都填（没有的写 0），或五类都不填、只写“法人或其他组织”合计")
            ok = False
        elif not given and cells.get(nf.ORG) is None:
            c.problems.add(c.rel, c.doc.line((nf.T3, *row)), f"{_row_label(row)}·{nf.ORG}",
                           "没有填写法人或其他组织的数字", "请填写五类（商业企业、科研机构、社会公益组织、法律服务机构、其他），或只写“法人或其他组织”合计")
            ok = False
    return ok


def _check_sums(c: FileChecker, r: Report) -> None:
    sums = _Sums(c)
    t3 = r.t3
    path = lambda row, col: (nf.T3, *row, col)  # noqa: E731
    has_parts = {row: all(cells.get(p) is not None for p in nf.ORG_PARTS) for row, cells in t3.items()}
    columns = [nf.PERSON, *(p for p in nf.ORG_PARTS if all(has_parts.values())), nf.ORG, nf.TOTAL]

    def value(row, col) -> int:
        return r.org(row) if col == nf.ORG else t3[row][col]  # type: ignore[return-value]

    def cells_of(row, col) -> list[Cell]:
        if col == nf.ORG and has_parts[row]:
            return [path(row, p) for p in nf.ORG_PARTS] + [path(row, nf.ORG)]
        return [path(row, col)]

    results_total = (nf.RESULTS, nf.RESULTS_TOTAL)
    # 1. inside 本年度办理结果, per column: 小计 = its items; (七)总计 = (一)+…+(六)
    for col in columns:
        for key, label, items in nf.RESULT_GROUPS:
            sub = (nf.RESULTS, key, nf.SUBTOTAL)
            if items is not None and sub in t3 and (col != nf.ORG or has_parts[sub] or t3[sub].get(nf.ORG) is not None):
                rows = [(nf.RESULTS, key, item) for item in items]
                sums.equal(path(sub, col), f"{_row_label(sub)}·{col}", value(sub, col), sum(value(x, col) for x in rows),
                           f"1.+…+{len(items)}.", [c_ for x in [sub, *rows] for c_ in cells_of(x, col)])
        rows = [row for row in t3 if row[0] == nf.RESULTS and row != results_total and row[-1] != nf.SUBTOTAL]
        sums.equal(path(results_total, col), f"三、本年度办理结果{nf.RESULTS_TOTAL_LABEL}·{col}", value(results_total, col),
                   sum(value(x, col) for x in rows), "（一）+…+（六）", [c_ for x in [results_total, *rows] for c_ in cells_of(x, col)])
    # 2. each row: 法人或其他组织 = its five parts; 总计 = 自然人 + 法人或其他组织
    for row, cells in t3.items():
        label = _row_label(row)
        if has_parts[row] and cells.get(nf.ORG) is not None:
            sums.equal(path(row, nf.ORG), f"{label}·{nf.ORG}", cells[nf.ORG], r.org(row), "+".join(nf.ORG_PARTS),  # type: ignore[arg-type]
                       cells_of(row, nf.ORG))
        sums.equal(path(row, nf.TOTAL), f"{label}·{nf.TOTAL}", cells[nf.TOTAL], cells[nf.PERSON] + r.org(row),  # type: ignore[operator]
                   f"{nf.PERSON}+{nf.ORG}", [path(row, nf.TOTAL), path(row, nf.PERSON), *cells_of(row, nf.ORG)])
    # 3. every column: 一 + 二 = 三(七) + 四
    new, carried, out = (nf.NEW,), (nf.CARRIED_IN,), (nf.CARRIED_OUT,)
    for col in columns:
        involved = [c_ for x in (new, carried, results_total, out) for c_ in cells_of(x, col)]
        expected = value(new, col) + value(carried, col) - value(results_total, col)
        sums.equal(path(out, col), f"{nf.T3_TOP[3][1]}·{col}", value(out, col), expected,
                   "一+二−三（七）", involved, "本年新收 + 上年结转 = 办理结果总计 + 结转下年度；请核对这一列")
    # 表四: 总计 = the four results
    for row, cells in r.t4.items():
        p = _t4_path(row)
        sums.equal((*p, "总计"), f"{_t4_label(row)}·总计", cells["总计"], sum(cells[k] for k in nf.T4_CELLS[:4]),
                   "+".join(nf.T4_CELLS[:4]), [(*p, k) for k in nf.T4_CELLS])


_PATH_RE = re.compile(r"^data/nianbao/(?P<dept>[^/]+)/(?P<year>[^/]+)\.yml$")


def _load_one(path: Path, root: Path, departments: dict[str, Department], problems: Problems) -> Report | None:
    rel = relpath(root, path)
    m = _PATH_RE.match(rel)
    if not m:
        hint = "请把扩展名改为 .yml" if rel.endswith(".yaml") else "年度报告应放在 data/nianbao/<机构标识>/<年度>.yml，例如 data/nianbao/skjj/2024.yml"
        problems.add(rel, 0, "", "年度报告文件的位置或文件名不对", hint)
        return None
    dept = departments.get(m["dept"])
    ok = True
    if dept is None:
        problems.add(rel, 0, "", f"文件夹“{m['dept']}”不是已有的发布机构",
                     "可用的机构：" + "、".join(departments) if departments else "请先添加发布机构")
        ok = False
    if not re.fullmatch(r"(19|20|21)[0-9][0-9]", m["year"]):
        problems.add(rel, 0, "", f"文件名“{m['year']}”不是4位年份", "文件名写报告的统计年度，例如 2024.yml")
        ok = False
    before = problems.error_count
    c = read_file("nianbao", path, root, problems)
    if c is None or not ok:
        return None
    d = c.doc.data
    published = c.checked("发布日期", codes.parse_date)
    t2, t3, t4, cells_ok = _read_cells(c)
    if not cells_ok or problems.error_count > before or published is None:
        return None
    if not _check_parts(c, t3):
        return None
    year = int(m["year"])
    report = Report(
        department=dept, year=year, path=rel,  # type: ignore[arg-type]
        title=c.text("名称", f"{dept.full_name}{year}年政府信息公开工作年度报告"),  # type: ignore[union-attr]
        published=published, preface=str(d.get("前言") or ""),
        prose={k: str(d.get(k) or "") for k in nf.PROSE_PARTS},
        t2=t2, t3=t3, t4=t4, line_of=dict(c.doc.lines))  # type: ignore[arg-type]
    _check_sums(c, report)
    deadline = dt.date(year + 1, 1, 31)
    if published <= dt.date(year, 12, 31):
        c.error(("发布日期",), f"发布日期 {published} 在{year}年结束之前", f"{year}年的报告在{year + 1}年公布，请核对年度（文件名）和发布日期")
    elif published > deadline:
        problems.warn(rel, c.doc.line(("发布日期",)), "发布日期", f"{published} 晚于条例第四十九条规定的 {deadline}",
                      "年度报告应在每年1月31日前公布；已晚发布的请如实填写")
    return report  # with its sum errors reported: the cross-year checks still compare it


def _check_years(reports: list[Report], plans: list[Plan], problems: Problems) -> None:
    by_key = {(r.department.slug, r.year): r for r in reports}
    for r in reports:
        last = by_key.get((r.department.slug, r.year - 1))
        if last is not None:
            for col in nf.T3_COLUMNS:
                now, before = r.t3[(nf.CARRIED_IN,)].get(col), last.t3[(nf.CARRIED_OUT,)].get(col)
                if now is None or before is None or now == before:
                    continue
                problems.add(r.path, r.line_of.get((nf.T3, nf.CARRIED_IN, col)) or r.line_of.get((nf.T3, nf.CARRIED_IN), 0),
                             f"{nf.T3_TOP[1][1]}·{col}",
                             f"是 {now}，应为{last.year}年报告的“结转下年度继续办理” = {before}（{last.path}:{last.line_of.get((nf.T3, nf.CARRIED_OUT), 0)}）",
                             "上年结转的申请就是上一年结转下年度的申请；请改正本年或上年报告中的一处")
            for row in ("规章", "行政规范性文件"):
                cells, prev = r.t2[row], last.t2[row]
                expected = prev["现行有效件数"] + cells["本年制发件数"] - cells["本年废止件数"]
                if cells["现行有效件数"] != expected:
                    problems.warn(r.path, r.line_of.get((nf.T2, row, "现行有效件数")) or r.line_of.get((nf.T2, row), 0),
                                  _t2_label(row, "现行有效件数"),
                                  f"是 {_fmt(cells['现行有效件数'])}，按{last.year}年报告应为 {_fmt(prev['现行有效件数'])} + "
                                  f"{_fmt(cells['本年制发件数'])} − {_fmt(cells['本年废止件数'])} = {_fmt(expected)}",
                                  "上年现行有效 + 本年制发 − 本年废止；有修改、失效等其他变化的请在“其他需要报告的事项”中说明")
        cats = [x for x in r.department.categories if x in NORMATIVE_CATEGORIES]
        if cats:
            mine = [p for p in plans if p.department.slug == r.department.slug and p.category in cats]
            issued = sum(p.created.year == r.year for p in mine)
            repealed = sum(p.withdrawn_on is not None and p.withdrawn_on.year == r.year and p.validity == "已废止" for p in mine)
            for column, count, what in (("本年制发件数", issued, f"生成日期在{r.year}年的"), ("本年废止件数", repealed, f"{r.year}年废止的")):
                if r.t2["行政规范性文件"][column] != count:
                    problems.warn(r.path, r.line_of.get((nf.T2, "行政规范性文件", column), 0), _t2_label("行政规范性文件", column),
                                  f"是 {_fmt(r.t2['行政规范性文件'][column])}，本站公开的{what}“{'、'.join(cats)}”有 {count} 件",
                                  "请核对：报告的数字应与网站公开的文件一致")


def report_files(root: Path) -> list[Path]:
    base = Path(root) / "data" / FOLDER
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*") if (p.is_file() or p.is_symlink()) and not p.name.startswith("."))


def load(root: Path, departments: dict[str, Department], plans: list[Plan], problems: Problems) -> list[Report]:
    """Every report under data/nianbao/, checked; the cross-year checks need all of them (and the plans)."""
    reports = [r for r in (_load_one(p, Path(root), departments, problems) for p in report_files(root)) if r is not None]
    _check_years(reports, plans, problems)
    return sorted(reports, key=lambda r: (-r.year, r.department.slug))
