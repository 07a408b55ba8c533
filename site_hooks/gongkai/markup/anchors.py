"""Numbered paragraphs of a rendered body: 一、 （一） 1. (1) ① 一是, read from the HTML, each given an id.

:func:`body_map` reads the sanitised body HTML (its paragraphs, headings and list items) and the
numbering at the start of each; nesting follows the numbering's rank (一、 > （一） > 1. > (1) > ① > 一是),
so item 5 under section 二 gets the id ``gk-s2-n5``. :func:`anchored_body` writes those ids into the
HTML (the plan page and the 汇编 link to them); :func:`resolve_source` finds the paragraph a
target's ``出处`` names ("（三）", "5.", "#标识" or a sentence of the text).
"""
from __future__ import annotations

import difflib
import html as html_lib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from gongkai.markup.body import render_body
from gongkai.rules.codes import to_halfwidth
from gongkai.rules.numerals import cn_to_int, int_to_cn

_CN = "[一二三四五六七八九十百零〇两]+"
# (kind, rank, pattern): 一、 > （一） > 1. > (1) > ① > 一是. Rank decides nesting.
_MARKERS = [
    ("p", 1, re.compile(rf"^[（(]\s*({_CN})\s*[)）]")),
    ("q", 3, re.compile(r"^[（(]\s*(\d+)\s*[)）]")),
    ("c", 4, re.compile(r"^([\u2460-\u2473])")),
    ("x", 5, re.compile(rf"^({_CN})是")),
    ("s", 0, re.compile(rf"^({_CN})\s*[、.．]")),
    ("n", 2, re.compile(r"^(\d+)\s*[.．、](?!\d)")),
]
_RANK = {kind: rank for kind, rank, _ in _MARKERS}

Key = tuple[tuple[str, int], ...]

def read_marker(text: str) -> tuple[tuple[str, int] | None, str]:
    """The numbering at the start of ``text`` as (kind, number), and the rest of the text."""
    half = to_halfwidth(text.lstrip())
    for kind, _rank, pattern in _MARKERS:
        m = pattern.match(half)
        if m:
            token = m.group(1)
            num = ord(token) - 0x2460 + 1 if kind == "c" else cn_to_int(token)
            if num:
                return (kind, num), half[m.end():]
    return None, text

def marker_label(part: tuple[str, int]) -> str:
    kind, n = part
    return {"p": f"（{int_to_cn(n)}）", "q": f"({n})", "c": chr(0x2460 + n - 1) if n <= 20 else str(n),
            "x": f"{int_to_cn(n)}是", "s": f"{int_to_cn(n)}、", "n": f"{n}."}[kind]

def key_label(key: Key) -> str:
    return "".join(marker_label(part) for part in key)

def key_id(key: Key) -> str:
    return "gk-" + "-".join(f"{kind}{n}" for kind, n in key)

@dataclass
class Block:
    tag: str
    insert_at: int  # offset just before the start tag's ">", where an id attribute can go
    id: str | None  # id the element already has (attr_list {#…} or a heading's toc id)
    text: str = ""
    key: Key = ()
    new_id: str | None = None  # id we add

    @property
    def anchor(self) -> str | None:
        return self.id or self.new_id

_BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li"}

# A tag of the sanitiser's output (html5ever serialises it: lower-case names, quoted values, no
# comments, "<" in text always escaped), so a regular expression reads it as an HTML parser would.
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*/?>""")
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _attributes(text: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for m in _ATTR.finditer(text):
        value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
        found[m.group(1).lower()] = html_lib.unescape(value) if value is not None else None
    return found


def _ol_start(value: str | None) -> int:
    digits = re.match(r"\s*(\d{1,6})", value or "")
    return int(digits.group(1)) if digits else 1


def _scan(html: str) -> tuple[list[Block], set[str]]:
    """The paragraphs, headings and list items of sanitised body HTML, with their text, and every id."""
    blocks: list[Block] = []
    open_blocks: list[Block] = []
    ids: set[str] = set()
    ol_counters: list[int] = []
    pos = 0
    for m in _TAG.finditer(html):
        if open_blocks and m.start() > pos:
            open_blocks[-1].text += html_lib.unescape(html[pos:m.start()])
        pos = m.end()
        tag = m.group(2).lower()
        if m.group(1):  # end tag
            if tag == "ol" and ol_counters:
                ol_counters.pop()
            if tag in _BLOCK_TAGS and open_blocks:
                open_blocks.pop()
            continue
        attr = _attributes(m.group(3)) if m.group(3) else {}
        if attr.get("id"):
            ids.add(str(attr["id"]))
        if tag == "ol":
            ol_counters.append(_ol_start(attr.get("start")) - 1)
        if tag in _BLOCK_TAGS:
            block = Block(tag, m.end() - 1, attr.get("id"))
            if tag == "li" and ol_counters and not open_blocks:
                ol_counters[-1] += 1
                block.text = f"{ol_counters[-1]}."
            blocks.append(block)
            open_blocks.append(block)
    if open_blocks and pos < len(html):
        open_blocks[-1].text += html_lib.unescape(html[pos:])
    return blocks, ids

@dataclass
class BodyMap:
    html: str
    blocks: list[Block]
    ids: set[str]

    def labels(self) -> list[str]:
        return [key_label(b.key) for b in self.blocks if b.key]

@lru_cache(maxsize=4096)
def body_map(body: str) -> BodyMap:
    """The rendered body's paragraphs and headings, each with its numbering key and id."""
    html = str(render_body(body))
    blocks, ids = _scan(html)
    stack: list[tuple[str, int]] = []
    taken = set(ids)
    for block in blocks:
        part, _ = read_marker(block.text)
        if part is None:
            continue
        rank = _RANK[part[0]]
        while stack and _RANK[stack[-1][0]] >= rank:
            stack.pop()
        stack.append(part)
        block.key = tuple(stack)
        if not block.id:
            new_id = key_id(block.key)
            while new_id in taken:
                new_id += "-x"
            taken.add(new_id)
            block.new_id = new_id
    return BodyMap(html, blocks, ids)

ANCHORED_CACHE: dict[str, str] = {}  # body → anchored HTML (plan page and 汇编 both need it); filled and bounded by gongkai.markup.prime


def anchored_body(body: str) -> str:
    """The body HTML with an id on every numbered paragraph (so targets and visitors can link to it)."""
    html = ANCHORED_CACHE.get(body)
    if html is not None:
        return html
    bmap = body_map(body)
    html = bmap.html
    for block in sorted((b for b in bmap.blocks if b.new_id), key=lambda b: b.insert_at, reverse=True):
        html = html[:block.insert_at] + f' id="{block.new_id}"' + html[block.insert_at:]
    ANCHORED_CACHE[body] = html
    return html

def resolve_source(body: str, ref: str) -> tuple[str | None, str, str, str]:
    """Where ``出处`` points: (anchor id, label, error message, hint). An empty message means found."""
    bmap = body_map(body)
    ref = unicodedata.normalize("NFC", ref).strip()
    if ref.startswith("#"):
        wanted = ref[1:].strip()
        if wanted in bmap.ids:
            return wanted, "原文", "", ""
        close = difflib.get_close_matches(wanted, sorted(bmap.ids), n=1)
        hint = f"是否想写“#{close[0]}”？" if close else "请在正文对应段落的下一行（紧接着，不空行）写上 {#" + wanted + "}"
        return None, "", f"正文中没有标识为“{wanted}”的段落", hint
    parts: list[tuple[str, int]] = []
    rest = ref
    while True:
        part, after = read_marker(rest)
        if part is None:
            break
        parts.append(part)
        rest = after.strip()
    if parts and not rest.strip(" 。,,"):
        want = tuple(parts)
        found = [b for b in bmap.blocks if b.key and b.key[-len(want):] == want]
        if len(found) == 1:
            return found[0].anchor, key_label(found[0].key), "", ""
        if not found:
            labels = bmap.labels()
            hint = ("正文中的序号有：" + "；".join(labels[:12]) + ("……" if len(labels) > 12 else "")) if labels \
                else "正文中没有带序号的段落；请在段落的下一行写上 {#标识}，再写“出处: \"#标识\"”"
            return None, "", f"正文中找不到以“{key_label(want)}”开头的段落", hint
        options = "；".join(key_label(b.key) for b in found[:5])
        return None, "", f"正文中有{len(found)}段以“{key_label(want)}”开头", f"请写出所在的上一级序号，例如：{options}"
    needle = re.sub(r"\s+", "", ref)
    for block in bmap.blocks:
        if needle and needle in re.sub(r"\s+", "", block.text):
            if block.anchor is None:  # a plain paragraph without numbering or id
                return None, "", "这句话所在的段落没有序号", "请在这一段的下一行写上 {#标识}，再写“出处: \"#标识\"”"
            return block.anchor, key_label(block.key) or "原文", "", ""
    return None, "", f"正文中找不到“{ref}”", "出处写段首的序号（如“（三）”“5.”），或“#标识”，或正文中的一句原话"
