"""Read a Word (.docx) plan into lines of text for the importer, with python-docx.

Word keeps automatic numbering (一、 (一) 1. ①) outside the paragraph text, in the
numbering part; the reader puts the numbers back in front of each paragraph so
the importer sees the document as a reader sees it. Tables become Markdown
tables (one line per row). Headers and footers are page furniture: they are
left out and named in the notes.
"""
from __future__ import annotations

import re
from pathlib import Path

from gongkai.editors.errors import ImportFailed
from gongkai.rules.numerals import CIRCLED, int_to_cn

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in Word's number format (w:numFmt)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return int_to_cn(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(CIRCLED):
        return CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Word's list numbering: counters per list, rendered with each level's w:lvlText."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, dict]] = {}  # numId -> ilvl -> {start, fmt, text}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, dict]] = {}
        for an in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in an.findall(f"{_W}lvl"):
                get = lambda tag: (lvl.find(f"{_W}{tag}").get(f"{_W}val") if lvl.find(f"{_W}{tag}") is not None else None)  # noqa: E731
                levels[int(lvl.get(f"{_W}ilvl"))] = {"start": int(get("start") or 1), "fmt": get("numFmt") or "decimal",
                                                     "text": get("lvlText") or ""}
            abstract[an.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            levels = {k: dict(v) for k, v in abstract.get(ref.get(f"{_W}val") if ref is not None else "", {}).items()}
            for override in num.findall(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                ilvl = int(override.get(f"{_W}ilvl"))
                if start is not None and ilvl in levels:
                    levels[ilvl]["start"] = int(start.get(f"{_W}val"))
            self.levels[num.get(f"{_W}numId")] = levels

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl]["text"]
        if levels[ilvl]["fmt"] == "bullet":
            return ""

        def repl(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            value = counters.get(level, levels.get(level, {}).get("start", 1))
            return format_number(value, levels.get(level, {}).get("fmt", "decimal"))

        return re.sub(r"%([1-9])", repl, text)


def _num_pr(paragraph) -> tuple[str, int] | None:
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    if num_pr is None:
        style = paragraph.style
        while style is not None and num_pr is None:
            s_pr = style.element.pPr
            num_pr = s_pr.numPr if s_pr is not None else None
            style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return str(num_pr.numId.val), int(ilvl)


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|").strip()


def docx_lines(path: Path) -> tuple[list[str], list[str]]:
    """(lines, notes) of a Word document, numbering included, tables as Markdown rows."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise ImportFailed("缺少 python-docx，请先运行 make install") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - a damaged or mislabelled file
        raise ImportFailed(f"无法打开 Word 文件（{type(exc).__name__}），请确认它是 .docx 格式并能在 Word 中正常打开") from exc
    numbering = _Numbering(document)
    lines: list[str] = []
    notes: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph = Paragraph(child, document)
            text = paragraph.text
            num = _num_pr(paragraph)
            if num and text.strip():
                text = numbering.label(*num) + text
            lines.append(text)
        elif child.tag == f"{_W}tbl":
            table = Table(child, document)
            rows = []
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    value = _cell(cell.text)
                    if not cells or value != cells[-1] or value == "":
                        cells.append(value)  # merged cells repeat; keep one
                rows.append(cells)
            if not rows:
                continue
            width = max(len(r) for r in rows)
            lines.append("")
            for i, cells in enumerate(rows):
                cells = cells + [""] * (width - len(cells))
                lines.append("| " + " | ".join(cells) + " |")
                if i == 0:
                    lines.append("| " + " | ".join(["---"] * width) + " |")
            lines.append("")
    furniture = []
    for section in document.sections:
        for part in (section.header, section.footer):
            try:
                text = " ".join(p.text.strip() for p in part.paragraphs if p.text.strip())
            except Exception:  # noqa: BLE001 - linked to previous, absent parts
                text = ""
            if text and text not in furniture:
                furniture.append(text)
    for text in furniture:
        notes.append(f"页眉页脚没有导入：{text[:40]}")
    return lines, notes
