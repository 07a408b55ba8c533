"""Split a compilation (汇编) laid out without a 目录 into its plans.

Aggregator sites put several plans on one page in different ways; this module finds
two of them, on the importer's numbered, cleaned lines ``[(line, text), …]``:

- **分篇标记**: headings such as ``篇1``、``篇一``、``【篇二】``、``第一篇``、``第3篇：标题``
  that number the plans 1, 2, 3 …; the marker itself is dropped (and reported), a title
  written after it on the same line is kept as that plan's first line;
- **重复的标题**: the same title line (or titles of the form “…20XX年…计划/要点/总结”) starting
  each plan, each followed by a body of its own.

(The layout with a 目录 listing the titles is :func:`gongkai.editors.importer` ``_split_compilation``.)
Every line ends up in exactly one part or in ``dropped``: nothing disappears.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.rules.numerals import CN_DIGITS, cn_to_int

Line = tuple[int, str]

_NUM = rf"[0-9０-９]{{1,2}}|[{CN_DIGITS}]{{1,3}}"
PIECE_MARK = re.compile(rf"^\s*[【\[［(（]?\s*(?:篇\s*({_NUM})|第\s*({_NUM})\s*篇)\s*[】\]］)）]?\s*[:：、.．]?\s*")
_PLAN_WORD = re.compile(r"计划|要点|方案|规划|总结|安排|打算|思路")
_SENTENCE = re.compile(r"[。；;！!？?]")
_NUMBERED = re.compile(rf"^\s*(?:[{CN_DIGITS}]{{1,3}}\s*[、．.]|[（(]\s*[{CN_DIGITS}0-9]{{1,3}}\s*[）)]|[0-9]{{1,2}}\s*[、．.])")


@dataclass
class Cut:
    """A line the splitter took out (or cut a piece from): its number, the text, why."""
    line: int
    text: str
    reason: str


def _value(raw: str) -> int:
    """篇1 / 篇１ / 篇一 / 第十二篇 → its number; 0 when it is none."""
    return cn_to_int(raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))) or 0


def piece_number(text: str) -> tuple[int, int] | None:
    """(number, length of the marker) when the line starts a piece: 篇1 / 篇一 / 第一篇 / 【篇二】."""
    m = PIECE_MARK.match(text)
    if not m:
        return None
    rest = text[m.end():]
    if rest and (_SENTENCE.search(rest) or len(rest) > 60):
        return None  # “第一篇文章指出……” is a sentence, not a heading
    return _value(m.group(1) or m.group(2)), m.end()


def split_by_pieces(lines: list[Line], cuts: list[Cut]) -> list[list[Line]] | None:
    """篇1 … 篇N: one part per marker when they count 1, 2, 3 …; the markers go to ``cuts``."""
    marks = [(i, *pn) for i, (_, t) in enumerate(lines) if (pn := piece_number(t))]
    seq = []
    for i, number, length in marks:
        if number == len(seq) + 1:
            seq.append((i, length))
    if len(seq) < 2:
        return None
    parts: list[list[Line]] = []
    for k, (i, length) in enumerate(seq):
        end = seq[k + 1][0] if k + 1 < len(seq) else len(lines)
        n, text = lines[i]
        part: list[Line] = []
        marker, rest = text[:length], text[length:].strip()
        cuts.append(Cut(n, marker.strip() or text, "汇编中的分篇标记"))
        if rest:
            part.append((n, rest))
        part.extend(lines[i + 1:end])
        parts.append(part)
    for n, text in lines[:seq[0][0]]:
        cuts.append(Cut(n, text, "汇编标题或转载网站的开头"))
    return parts


def _title_like(text: str) -> bool:
    return 4 <= len(text) <= 50 and not _SENTENCE.search(text) and not _NUMBERED.match(text) and bool(_PLAN_WORD.search(text))


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def split_by_titles(lines: list[Line], cuts: list[Cut], min_body: int = 3) -> list[list[Line]] | None:
    """Plans that each start with a title line: the same title repeated, or “…20XX年…计划” titles.

    A title counts only when a body of at least ``min_body`` lines follows it before the next
    one (a page repeating its own title above the text is one plan, not two)."""
    candidates = [i for i, (_, t) in enumerate(lines) if _title_like(t)]
    if len(candidates) < 2:
        return None
    by_text: dict[str, list[int]] = {}
    for i in candidates:
        by_text.setdefault(_norm(lines[i][1]), []).append(i)
    repeated = max(by_text.values(), key=len)
    if len(repeated) >= 2:
        starts = repeated
    else:
        starts = [i for i in candidates if re.search(r"(?:19|20)\d\d\s*年", lines[i][1])]
    starts = [s for k, s in enumerate(starts) if (starts[k + 1] if k + 1 < len(starts) else len(lines)) - s > min_body]
    if len(starts) < 2:
        return None
    for n, text in lines[:starts[0]]:
        cuts.append(Cut(n, text, "汇编标题或转载网站的开头"))
    return [lines[s:e] for s, e in zip(starts, starts[1:] + [len(lines)])]
