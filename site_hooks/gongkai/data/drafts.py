"""What stops a plan from being published by accident, and the review list its preview page shows.

A plan is not ready while it has any of:

- ``草稿: true``;
- a placeholder of the ``gongkai new`` template (``（待填写：……）``, or the older ``(请在这里写前言…)``);
- a ``待核对`` mark the importer wrote: the plan's ``待核对`` list (what it could not decide, such as
  candidate targets it could not map) or a target's ``待核对`` note;
- HTML in the body that the sanitizer removes (the line of the removed markup is given).

Each is reported through :meth:`gongkai.problems.Problems.review`: an error for ``gongkai validate`` and
``gongkai build`` (CI, main), a warning in the preview, where the page shows them in a 草稿 banner
(:attr:`gongkai.data.model.Plan.review`). Independently of the mode, a ``正文`` written without ``|``
(its line breaks folded away, so 一、(一)(二) run together) and a year folder that does not fit the
plan are errors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gongkai.data.checker import FileChecker
from gongkai.markup.removed import first_level_heading, may_lose_html, removed_from_body
from gongkai.rules.numerals import CN_DIGITS, cn_digits_to_int

REVIEW = "待核对"
DRAFT = "草稿"
# The template's placeholders: written by ``gongkai new`` as （待填写：…）; the older template's wording too.
PLACEHOLDER = re.compile(rf"[（(]\s*(?:待填写\s*[:：]|请在这里写|第[{CN_DIGITS}]+(?:部分的标题|项工作))[^）)\n]*[）)]?")
# 一、(一) 1. markers that follow other text on the same line: paragraphs run together
_RUN_TOGETHER = re.compile(rf"[^\s（(]\s*(?:[（(][{CN_DIGITS}]{{1,3}}[）)]|(?<=[。；;])\s*[{CN_DIGITS}]{{1,3}}、)")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d|[１２][０-９]{3}|[〇零一二三四五六七八九]{4})\s*年")


@dataclass(frozen=True)
class ReviewItem:
    """One thing to review before publishing, as the preview's banner lists it."""

    line: int
    field: str
    message: str


def body_line(c: FileChecker, index: int) -> int:
    """The file line of the body's line ``index`` (0-based) when 正文 is a ``|`` block; else 正文's own line."""
    style, first, _ = c.doc.scalars.get(("正文",), ("", 0, 0))
    if style == "|" and first:
        return first + 1 + index
    return c.doc.line(("正文",))


def title_year(title: str) -> int | None:
    """The one year a title names (2025年, 二〇二五年); None when it names none or several."""
    years = set()
    for m in _YEAR_IN_TITLE.finditer(title):
        year = cn_digits_to_int(m.group(1))
        if year is not None and 1900 <= year < 2100:
            years.add(year)
    return years.pop() if len(years) == 1 else None


def check(c: FileChecker, data: dict[str, Any], body: str, folder_year: int, created: Any) -> list[ReviewItem]:
    """Report what keeps this plan from being published; return the review list for its preview page."""
    items: list[ReviewItem] = []
    problems = c.problems

    def review(line: int, field_: str, message: str, hint: str) -> None:
        items.append(ReviewItem(line, field_, message))
        problems.review(c.rel, line, field_, message, hint)

    if data.get(DRAFT) is True:
        review(c.doc.line((DRAFT,)), DRAFT, "这份文件标记为草稿，不能发布", "核对完成、可以公开时删除“草稿: true”这一行")
    title = str(data.get("名称") or "")
    if PLACEHOLDER.search(title):
        review(c.doc.line(("名称",)), "名称", f"还是模板的占位文字“{PLACEHOLDER.search(title).group(0)}”", "请写上文件的正式标题")
    for i, line in enumerate(body.split("\n")):
        for m in PLACEHOLDER.finditer(line):
            review(body_line(c, i), "正文", f"还是模板的占位文字“{_short(m.group(0))}”", "请换成正式内容，不需要的部分整段删除")
    marks = data.get(REVIEW)
    if isinstance(marks, list):
        for i, note in enumerate(marks):
            review(c.doc.line((REVIEW, i)), f"{REVIEW}.第{i + 1}项", _one_line(note),
                   "核对后按说明处理（补进正文、指标或删除），再删除这一项；全部处理完后删除“待核对”")
    for i, target in enumerate(data.get("指标") or []):
        if isinstance(target, dict) and target.get(REVIEW):
            name = target.get("编号") or f"第{i + 1}项"
            review(c.doc.line(("指标", i, REVIEW)), f"指标.{name}.{REVIEW}", _one_line(target[REVIEW]),
                   "核对指标、类型、目标值、单位和出处无误后删除这一行“待核对: …”")
    _removed_html(c, body, review)
    _body_style(c, body)
    _folder_year(c, title, folder_year, created)
    return sorted(items, key=lambda r: r.line)


def _one_line(text: Any) -> str:
    return " ".join(str(text).split())


def _removed_html(c: FileChecker, body: str, review) -> None:
    """HTML the sanitizer removes: one problem per body line that holds it (its own line, not 正文's)."""
    if not may_lose_html(body):
        return  # keeps the common case fast
    lost = removed_from_body(body)
    if not lost:
        return
    lines = body.split("\n")
    if "<h1>" in lost and not re.search(r"<\s*h1\b", body, re.I):  # written as Markdown: "# 标题" or "标题\n==="
        lost = tuple(item for item in lost if item != "<h1>")
        at_line = next((i for i, line in enumerate(lines) if first_level_heading(line)), -1)
        review(body_line(c, at_line) if at_line >= 0 else c.doc.line(("正文",)), "正文",
               "以一个“#”开头的标题行（或下一行是“===”的标题）在网页上会变成普通文字：网页上最大的标题是信息的名称",
               "正文的标题用“## ”（如“## 一、……”）和“### ”：请把行首的“# ”改为“## ”；标题下一行的“===”请删除，再在标题前加“## ”")
    at: dict[int, list[str]] = {}
    for item in lost:
        at.setdefault(_line_of(item, lines), []).append(item)
    for index, found in sorted(at.items()):
        shown = "、".join(found[:8]) + (f" 等 {len(found)} 处" if len(found) > 8 else "")
        review(body_line(c, index) if index >= 0 else c.doc.line(("正文",)), "正文", f"生成网页时会删除不允许的内容：{shown}",
               "正文只能用 Markdown 和 SECURITY.md 列出的安全 HTML；链接只能以 http://、https://、mailto: 或 tel: 开头；请删除或改写这一处")


def _line_of(item: str, lines: list[str]) -> int:
    """The body line (0-based) where a removed item is written; -1 when it cannot be found."""
    if item.startswith("<") and item.endswith(">"):
        needle = re.compile(rf"<\s*{re.escape(item[1:-1])}\b", re.I)
    elif item.startswith("链接地址“"):
        needle = re.compile(re.escape(item[len("链接地址“"):-1]), re.I)
    else:
        needle = re.compile(rf"\b{re.escape(item.split(' ')[0])}\s*=", re.I)
    return next((i for i, line in enumerate(lines) if needle.search(line)), -1)


def _body_style(c: FileChecker, body: str) -> None:
    """正文 written as a plain or quoted scalar: YAML folds its line breaks, paragraphs run together."""
    style, first, last = c.doc.scalars.get(("正文",), ("|", 0, 0))
    if style == "|" or "\n\n" in body:  # a | block, or quoted with its blank lines written as \n\n: paragraphs kept
        return
    if last > first or _RUN_TOGETHER.search(body):
        c.error(("正文",), "正文没有用“|”开头，换行被合并了，各段（如“（一）”“（二）”）连成了一段",
                "请把这一行改成“正文: |”，正文各行缩进两个空格，段落之间空一行")


def _folder_year(c: FileChecker, title: str, folder_year: int, created: Any) -> None:
    """The year folder must be the plan's year: the one its title names, near its 生成日期."""
    rel_parts = c.rel.split("/")
    move = "/".join(rel_parts[:3]) if len(rel_parts) >= 5 else "data/plans/<机构>"
    named = title_year(title)
    if named is not None and named != folder_year:
        c.error(("名称",), f"名称写的是{named}年，文件却在年度文件夹 {folder_year}/ 中",
                f"请把文件移到 {move}/{named}/（年度文件夹是计划的年度，不是保存的年份）")
    elif named is None and created is not None and abs(created.year - folder_year) > 1:
        c.error(("生成日期",), f"生成日期是{created.year}年，文件却在年度文件夹 {folder_year}/ 中",
                f"请核对生成日期，或把文件移到 {move}/{created.year}/")


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
