"""Turn an existing plan document (text, Markdown or Word) into plan drafts.

Pure functions, no files written: ``read_document(path)`` gives the document's
lines, ``import_lines(lines)`` gives an :class:`ImportResult` holding one
:class:`PlanDraft` per plan (a 汇编 with a 目录 gives several). The command
``gongkai import`` (commands/import_.py) turns drafts into plan files.

Nothing is lost silently: every non-blank source line ends up either in a
draft (title, metadata, body) or in ``dropped`` with the reason it was taken
for page furniture (site banners, breadcrumbs, download links, 免责声明,
相关文章 …). ``PlanDraft.kept`` lists the source text each draft carries, so
a test can check that the text of the page equals the source minus the report.

``find_targets(text)`` finds candidate targets (a number with a unit and the
wording around it) and returns plain dicts (``PlanDraft.targets``, each with the
``位置`` it was found at); :mod:`gongkai.import_targets` maps them onto the
indicator vocabulary for the plan file, to be reviewed by an editor.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.editors import compilation
from gongkai.editors.errors import ImportFailed
from gongkai.data.drafts import title_year
from gongkai.rules.numerals import CIRCLED, CN_DIGITS, cn_digits_to_int, cn_to_int

def _cn(text: str) -> int:
    """The value of a Chinese numeral (一 → 1, 二十三 → 23); 0 when ``text`` is not one."""
    return cn_to_int(text) or 0


# --- numbering styles, outermost first --------------------------------------------------------
# 一、  (一) / （一）  1. / 1、 / 1． / (1)  ①  — and 一是…二是… runs inside a paragraph.
_CN = f"[{CN_DIGITS}]{{1,3}}"
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("cn", re.compile(rf"^\s*({_CN})\s*[、．]")),
    ("paren-cn", re.compile(rf"^\s*[（(]\s*({_CN})\s*[）)]")),
    ("arabic", re.compile(r"^\s*(\d{1,2})\s*(?:[、．]|\.(?!\d))")),
    ("paren-arabic", re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[）)]")),
    ("circled", re.compile(rf"^\s*([{CIRCLED}])")),
]
RUN_START = re.compile(rf"^\s*([{CN_DIGITS}]{{1,2}})是")
RUN_INSIDE = re.compile(rf"(?:^|(?<=[。；;！!？?：:]))\s*([{CN_DIGITS}]{{1,2}})是(?=\S)")
SENTENCE_END = "。；;！!？?"


def marker_of(text: str) -> tuple[str, int, str] | None:
    """(style, number, label) of a numbered paragraph, or None."""
    for style, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            raw = m.group(1)
            if style in ("cn", "paren-cn"):
                number = _cn(raw)
            elif style == "circled":
                number = CIRCLED.index(raw) + 1
            else:
                number = int(raw)
            return style, number, m.group(0).strip()
    m = RUN_START.match(text)
    if m and _cn(m.group(1)):
        return "run", _cn(m.group(1)), m.group(0).strip()
    return None


def runs_in(text: str) -> list[tuple[int, str, int]]:
    """一是…二是… inside a paragraph: (number, label, offset), kept only as a 1, 2, 3 … sequence."""
    found = []
    expected = 1
    for m in RUN_INSIDE.finditer(text):
        n = _cn(m.group(1))
        if n == expected:
            found.append((n, m.group(1) + "是", m.start(1)))
            expected += 1
    return found if len(found) >= 2 else []


# --- page furniture ---------------------------------------------------------------------------
META_KEYS = ["索引号", "组配分类", "发布机构", "主题分类", "名称", "文号", "生成日期", "成文日期", "发布日期",
             "发文日期", "有效性", "发布时间", "信息来源", "来源", "时间"]
_META_KEY_RE = "|".join(sorted(map(re.escape, META_KEYS), key=len, reverse=True))
META_LINE = re.compile(rf"^\s*(?:{_META_KEY_RE})\s*[:：]")
META_PAIR = re.compile(rf"({_META_KEY_RE})\s*[:：]\s*(.*?)(?=\s*(?:{_META_KEY_RE})\s*[:：]|\s*[|｜]|$)")
DATE_IN = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})日?(?:\s+(\d{1,2}):(\d{2}))?")
# 二〇二五年二月二十日 (a 落款 or a 成文日期 written in Chinese numerals); 〇/零 for zero in the year
DATE_CN = re.compile(rf"([〇零{CN_DIGITS[:9]}]{{4}})\s*年\s*([{CN_DIGITS}]{{1,2}})\s*月\s*([{CN_DIGITS}]{{1,3}})\s*日")
# a 落款: the signing department (optional) and a date, alone on one of the last lines
SIGNATURE = re.compile(r"^\s*(?:[^\s，,。；;：:]{2,30}?\s*)?(?P<date>(?:19|20|１９|２０)[\d０-９]{2}\s*年.{1,8}日|[〇零一二三四五六七八九]{4}\s*年.{2,10}日)\s*$")


def find_date(text: str) -> tuple[str, str] | None:
    """(YYYY-MM-DD, HH:MM or "") of the first date in ``text``: 2025-02-20, 2025年2月20日, ２０２５年２月２０日,
    二〇二五年二月二十日; None when there is none or it does not exist (2025年2月30日)."""
    found: list[tuple[int, tuple[int, int, int], str]] = []
    text = text.translate(_FULLWIDTH).replace("：", ":")
    d = DATE_IN.search(text)
    if d:
        clock = f"{int(d.group(4)):02d}:{d.group(5)}" if d.group(4) else ""
        found.append((d.start(), (int(d.group(1)), int(d.group(2)), int(d.group(3))), clock))
    c = DATE_CN.search(text)
    if c:
        year, month, day = cn_digits_to_int(c.group(1)), cn_to_int(c.group(2)), cn_to_int(c.group(3))
        if year and month and day:
            found.append((c.start(), (year, month, day), ""))
    if not found:
        return None
    _, (year, month, day), clock = min(found)
    try:
        return dt.date(year, month, day).isoformat(), clock
    except ValueError:
        return None

FURNITURE: list[tuple[str, re.Pattern[str]]] = [
    ("页面导航（当前位置）", re.compile(r"^\s*(?:当前位置|您现在所在的位置|您现在的位置|您的位置|所在位置|你的位置)\s*[:：]")),
    ("网站栏目链接", re.compile(r"^\s*[•·\-*]?\s*(?:无障碍|长辈版|关怀版|适老化|English|ENGLISH|繁體|繁体|简体|登录|注册|首页|网站首页|手机版|移动版|设为首页|加入收藏|网站地图|智能问答)\s*$")),
    ("页面信息栏（发布时间、浏览次数、字体等）", re.compile(r"浏览次数|点击数|阅读次数|访问量|字体\s*[:：]?\s*[\[【(（]|【\s*字体|打印本页|打印此页|关闭窗口|分享到|扫一扫|移动端\s*[:：]|^\s*网站\s*[:：].*[|｜]")),
    ("免责声明或转载声明", re.compile(r"免责声明|版权(?:所有|声明)|如(?:产生|有|涉及)(?:版权|侵权)|转载(?:分享)?请(?:注明|保留)|由互联网用户整理|本文(?:仅限|仅供)|仅供参考|侵删")),
    ("网址或链接地址", re.compile(r"^\s*(?:链接地址|原文链接|本文链接|本文地址|网址|原文地址|来源网址)\s*[:：]|^\s*https?://\S+\s*$")),
    ("下载链接", re.compile(r"^.{0,30}(?:附件下载|点击下载|下载本文|下载全文|全文下载|文档下载|下载\s*(?:Word|WORD|word|PDF|pdf|文档)|(?:Word|PDF|WPS)\s*版?下载|\[下载\]|【下载】)")),
    ("上一篇/下一篇", re.compile(r"^\s*(?:上一篇|下一篇|上一条|下一条)\s*[:：]")),
    ("转载网站的推荐语", re.compile(r"^.{0,10}以下是.{0,80}(?:为您|为大家|给大家|给您|为你).{0,30}(?:推荐|整理|收集|分享|提供)"
                            r"|(?:希望|但愿).{0,12}(?:对您|对你|对大家|能帮助|能够帮助|有所帮助)|欢迎(?:阅读|借鉴|参考|收藏)[。!！]?\s*$")),
    ("分页标记", re.compile(r"^\s*[\[【(（]?\s*(?:第\s*[0-9０-９一二三四五六七八九十]{1,3}\s*页(?:\s*[/／]\s*共?\s*[0-9]+\s*页)?"
                        r"|共\s*[0-9]+\s*页|上一页|下一页)\s*[\]】)）]?\s*(?:(?:上一页|下一页|尾页|首页)\s*)*$")),
    ("下载链接", re.compile(r"^\s*(?:下载\s*[:：]?\s*)?《[^》]{1,100}\.(?:docx?|pdf|wps|txt|xlsx?)》\s*(?:下载|免费下载)?\s*$", re.I)),
    ("分隔线", re.compile(r"^\s*(?:[-=*_—─━~～·•.。…※#＊]\s*){3,}$")),
    ("分享和打印链接", re.compile(r"^\s*(?:[\[【]\s*(?:打印|关闭|收藏|分享|纠错|返回顶部)\s*[\]】]\s*)+$|^\s*(?:打印|关闭|收藏|返回顶部)(?:\s*[|｜/]?\s*(?:打印|关闭|收藏|返回顶部))+\s*$"
                            r"|分享至|转发到|微信扫|收藏本页|返回顶部")),
]
RELATED_HEADING = re.compile(r"^\s*(?:相关文章|相关阅读|推荐阅读|相关推荐|热门文章|猜你喜欢|相关链接|延伸阅读|热门推荐|最新文章|更多相关)\s*[:：]?\s*$")
TOC_HEADING = re.compile(r"^\s*目\s*录\s*$")
PLAN_WORDS = re.compile(r"计划|要点|方案|规划|总结|安排|意见|通知|报告|汇编|纲要|办法|细则|思路|打算")
TITLE_NOISE = re.compile(r"(?:范文|精选范文|（\d+篇）|\(\d+篇\)|【\d+篇】|\d+篇)$")


@dataclass
class Dropped:
    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 40 else self.text[:40] + "…"
        return f"第{self.line}行（{self.reason}）：{text}"


@dataclass
class Item:
    label: str  # "1."、"一是"、"（二）"
    style: str
    number: int
    section: str  # the label of the section it belongs to, "" before the first
    text: str

    @property
    def where(self) -> str:
        return f"{self.section}{self.label}" if self.section else self.label


@dataclass
class Block:
    kind: str  # heading | para | table
    text: str
    line: int
    level: int = 0  # heading level (2, 3, 4) for headings


@dataclass
class PlanDraft:
    title: str
    title_line: int = 0
    metadata: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    sections: list[Item] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # the source text this draft carries, in order

    @property
    def preamble(self) -> list[str]:
        out = []
        for b in self.blocks:
            if b.kind == "heading" or marker_of(b.text):
                break
            out.append(b.text)
        return out

    @property
    def year(self) -> int | None:
        """The plan's year: the one its title names (2025年, 二〇二五年), else the year of its date."""
        named = title_year(self.title)
        if named:
            return named
        date = self.metadata.get("发布日期") or self.metadata.get("生成日期")
        return int(date[:4]) if date else None

    def body_markdown(self) -> str:
        parts = []
        for b in self.blocks:
            if b.kind == "heading":
                parts.append("#" * b.level + " " + md_escape(b.text, heading=True))
            elif b.kind == "table":
                parts.append(b.text)
            else:
                parts.append(md_escape(b.text))
        return "\n\n".join(parts) + "\n"


@dataclass
class ImportResult:
    drafts: list[PlanDraft]
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- Markdown ---------------------------------------------------------------------------------
_MD_INLINE = re.compile(r"([\\`*_\[\]{}])")


def md_escape(text: str, heading: bool = False) -> str:
    """Plain text → Markdown that renders back to the same text (one paragraph)."""
    text = _MD_INLINE.sub(r"\\\1", text)
    text = re.sub(r"&(?=[A-Za-z#][A-Za-z0-9]*;)", "&amp;", text)
    text = text.replace("<", "&lt;")
    if heading:
        return text.rstrip("#").rstrip() or text
    text = re.sub(r"^(\s*)([#>+\-=|])", r"\1\\\2", text)
    text = re.sub(r"^(\s*\d+)([.)])(\s)", r"\1\\\2\3", text)
    return text


# --- reading documents ------------------------------------------------------------------------
def decode_text(raw: bytes) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(enc)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ImportFailed("文件编码无法识别（既不是 UTF-8 也不是 GBK）", ) from exc


_MD_MARKUP = [
    (re.compile(r"^\s{0,3}#{1,6}\s+"), ""),  # ATX heading marks
    (re.compile(r"\s+#+\s*$"), ""),
    (re.compile(r"^\s{0,3}[-*+]\s+"), ""),  # bullets
    (re.compile(r"^\s{0,3}>\s?"), ""),  # quotes
    (re.compile(r"\*\*|__"), ""),  # bold
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])"), r"\1"),  # escapes
]


def markdown_to_lines(text: str) -> list[str]:
    """A Markdown document's text, line by line, without the Markdown markup."""
    lines = []
    for line in text.splitlines():
        if re.fullmatch(r"\s*(?:[-=*_]\s*){3,}", line):  # rules and setext underlines
            lines.append("")
            continue
        for pattern, repl in _MD_MARKUP:
            line = pattern.sub(repl, line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links and images keep their text
        lines.append(line)
    return lines


def read_document(path: Path) -> tuple[list[str], list[str]]:
    """(lines, notes) of a .txt, .md or .docx file; notes say what was left out (页眉页脚 …)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from gongkai.editors.docx import docx_lines  # python-docx is imported only for Word files
        return docx_lines(path)
    if suffix == ".doc":
        raise ImportFailed("不支持旧版 Word 文件（.doc）", )
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        raise ImportFailed("这个文件实际上是 Word/压缩文件，请把扩展名改为 .docx 后再导入")
    text = decode_text(raw)
    if suffix in (".md", ".markdown"):
        return markdown_to_lines(text), []
    return text.splitlines(), []


# --- the import itself ------------------------------------------------------------------------
def _clean(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = "".join(ch for ch in line if ch in "\t" or unicodedata.category(ch)[0] != "C" or ch == "\u200d")
    return line.replace("\u3000", " ").replace("\t", " ").strip()


def _norm(text: str) -> str:
    """For comparing titles: no spaces, no aggregator suffixes, half-width brackets."""
    text = re.sub(r"\s+", "", text)
    text = TITLE_NOISE.sub("", text)
    return text.replace("（", "(").replace("）", ")")


def parse_metadata(line: str) -> dict[str, str]:
    """Fields written as “键:值” (one or several on a line, as on a 政府信息公开 page)."""
    found: dict[str, str] = {}
    for m in META_PAIR.finditer(line):
        key, value = m.group(1), m.group(2).strip()
        if key in ("成文日期",):
            key = "生成日期"
        if key in ("发文日期",):
            key = "发布日期"
        if key == "信息来源":
            key = "来源"
        if key in ("发布时间", "时间"):
            d = find_date(value)
            if d:
                found.setdefault("发布日期", d[0])
                if d[1]:
                    found.setdefault("发布时间", d[1])
            continue
        if key in ("生成日期", "发布日期"):
            d = find_date(value)
            if not d:
                continue
            value = d[0]
        if value:
            found.setdefault(key, value)
    return found


def furniture_reason(text: str) -> str | None:
    for reason, pattern in FURNITURE:
        if pattern.search(text):
            return reason
    return None


def _unwrap(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], bool]:
    """Join hard-wrapped lines (text exported with a fixed width) back into paragraphs."""
    lengths = [len(t) for _, t in lines if len(t) >= 20]
    if len(lengths) < 6:
        return lines, False
    width = max(set(lengths), key=lambda n: (sum(1 for x in lengths if abs(x - n) <= 1), n))
    at_width = sum(1 for x in lengths if abs(x - width) <= 1)
    if at_width < len(lengths) * 0.4 or at_width < 4:
        return lines, False
    out: list[tuple[int, str]] = []
    joining = False
    for n, text in lines:
        if joining and out and not marker_of(text):
            out[-1] = (out[-1][0], out[-1][1] + text)
        else:
            out.append((n, text))
        joining = abs(len(text) - width) <= 1 and text[-1:] not in SENTENCE_END + ":："
    return out, True


def _split_compilation(lines: list[tuple[int, str]], dropped: list[Dropped]) -> list[list[tuple[int, str]]] | None:
    """A 汇编: a 目录 listing titles that then start each plan. Returns each plan's lines."""
    toc_at = next((i for i, (_, t) in enumerate(lines) if TOC_HEADING.match(t)), None)
    if toc_at is None:
        return None
    titles: list[str] = []
    i = toc_at + 1
    pending_number = False
    while i < len(lines):
        text = lines[i][1]
        if re.fullmatch(r"\d{1,2}\s*[.、．]?", text):  # a number on its own line, title on the next
            pending_number = True
            i += 1
            continue
        entry = re.sub(r"^\d{1,2}\s*[.、．]\s*", "", text)
        entry = re.sub(r"[\s.…·]*\d{1,3}\s*$", "", entry)  # page number
        if not entry or len(entry) > 80:
            break
        later = [j for j in range(i + 1, len(lines)) if _norm(lines[j][1]) == _norm(entry)]
        if not later:
            break
        if titles and _norm(text) == _norm(titles[0]) and not pending_number:
            break  # the first plan's own title: the table of contents is over
        titles.append(entry)
        pending_number = False
        i += 1
    if len(titles) < 2:
        return None
    starts = []
    pos = i
    for title in titles:
        while pos < len(lines) and _norm(lines[pos][1]) != _norm(title):
            pos += 1
        if pos >= len(lines):
            return None
        starts.append(pos)
        pos += 1
    for j in range(toc_at):  # the compilation's own title, before the 目录
        dropped.append(Dropped(lines[j][0], lines[j][1], "汇编标题"))
    for j in range(toc_at, starts[0]):
        dropped.append(Dropped(lines[j][0], lines[j][1], "汇编目录"))
    return [lines[s:e] for s, e in zip(starts, starts[1:] + [len(lines)])]


def _title_like(text: str) -> bool:
    return 2 <= len(text) <= 60 and not any(c in text for c in "。；;") and not marker_of(text)


def _find_title(lines: list[tuple[int, str]], metadata: dict[str, str]) -> int | None:
    named = metadata.get("名称")
    if named:
        for i, (_, t) in enumerate(lines):
            if _norm(t) == _norm(named):
                return i
    window = lines[:15]
    for i, (_, t) in enumerate(window):
        if _title_like(t) and PLAN_WORDS.search(t):
            return i
    for i, (_, t) in enumerate(window):
        if _title_like(t):
            return i
    return None


def _build_draft(lines: list[tuple[int, str]], dropped: list[Dropped], default_title: str,
                 metadata: dict[str, str] | None = None) -> PlanDraft:
    metadata = dict(metadata or {})
    warnings: list[str] = []
    t = _find_title(lines, metadata)
    kept: list[str] = []
    if t is None:
        title = metadata.get("名称") or default_title
        title_line = 0
        warnings.append(f"没有找到标题，暂用“{title}”，请修改“名称”")
        body_lines = lines
    else:
        title_line, raw_title = lines[t]
        title = TITLE_NOISE.sub("", raw_title).strip() or raw_title
        if title != raw_title:
            dropped.append(Dropped(title_line, raw_title[len(title):], "转载网站加在标题后的字样"))
        kept.append(title)
        for n, text in lines[:t]:
            dropped.append(Dropped(n, text, "标题之前的页头内容"))
        body_lines = []
        for n, text in lines[t + 1:]:
            if _norm(text) == _norm(title):
                dropped.append(Dropped(n, text, "重复的标题"))
            else:
                body_lines.append((n, text))
    if metadata.get("名称") and _norm(metadata["名称"]) != _norm(title):
        warnings.append(f"页面元数据中的名称“{metadata['名称']}”与正文标题“{title}”不同，已用正文标题")
    body_lines, unwrapped = _unwrap(body_lines)
    if unwrapped:
        warnings.append("原文是按固定宽度折行的，已把折断的行重新连成段落，请核对分段")
    draft = PlanDraft(title=title, title_line=title_line, metadata=metadata, warnings=warnings, kept=kept)
    _structure(draft, body_lines)
    _signature_date(draft)
    return draft


def _signature_date(draft: PlanDraft) -> None:
    """The 落款 date at the end of the document (“示例市科学技术局 2025年2月20日”) is its 成文日期 (生成日期)."""
    if draft.metadata.get("生成日期"):
        return
    tail = [b for b in draft.blocks if b.kind == "para"][-3:]
    for block in reversed(tail):
        m = SIGNATURE.match(block.text)
        found = find_date(m.group("date")) if m else None
        if found:
            draft.metadata["生成日期"] = found[0]
            draft.warnings.append(f"第{block.line}行的落款日期“{m.group('date').strip()}”已填为生成日期"
                                  + ("" if draft.metadata.get("发布日期") else "和发布日期，请核对发布日期（在网站公开的日期）"))
            return


def _structure(draft: PlanDraft, lines: list[tuple[int, str]]) -> None:
    """Blocks (headings, paragraphs), sections and items, by numbering style."""
    styles = [marker_of(t) for _, t in lines]
    present = {s[0] for s in styles if s}
    if "cn" in present:
        section_style, sub_style = "cn", "paren-cn"
    elif "paren-cn" in present:
        section_style, sub_style = "paren-cn", None
    else:
        section_style, sub_style = None, None
    expected: dict[str, int] = {}
    section = ""
    for (n, text), mark in zip(lines, styles):
        if mark and mark[0] != "run":
            style, number, label = mark
            prev = expected.get(style, 0)
            if number not in (1, prev + 1):
                draft.warnings.append(f"第{n}行的编号“{label}”与前面的编号不连续，请核对")
            expected[style] = number
        if mark and mark[0] == section_style:
            style, number, label = mark
            section = label
            draft.sections.append(Item(label, style, number, "", text))
            if _heading_only(text):
                draft.blocks.append(Block("heading", text, n, 2))
            else:
                draft.blocks.append(Block("para", text, n))
                _runs_as_items(draft, text, section)
        elif mark and mark[0] == sub_style:
            style, number, label = mark
            draft.items.append(Item(label, style, number, section, text))
            if _heading_only(text):
                draft.blocks.append(Block("heading", text, n, 3))
            else:
                draft.blocks.append(Block("para", text, n))
                _runs_as_items(draft, text, section)
        elif mark and mark[0] == "run" and len(runs_in(text)) >= 2:
            draft.blocks.append(Block("para", text, n))
            _runs_as_items(draft, text, section)
        elif mark:
            style, number, label = mark
            draft.items.append(Item(label, style, number, section, text))
            draft.blocks.append(Block("heading", text, n, 4) if _heading_only(text) and style != "run" else Block("para", text, n))
            if style != "run":
                _runs_as_items(draft, text, section)
        elif text.startswith("|") and text.endswith("|"):
            draft.blocks.append(Block("table", text, n))
        else:
            draft.blocks.append(Block("para", text, n))
            _runs_as_items(draft, text, section)
        draft.kept.append(text)
    if not draft.sections and not draft.items and len(draft.blocks) > 1:
        draft.warnings.append("没有识别出一、（一）、1. 等编号，全文按段落导入；请核对是否需要加小标题")
    if not draft.blocks:
        draft.warnings.append("没有找到正文内容")
    # table rows are one block per table
    merged: list[Block] = []
    for b in draft.blocks:
        if b.kind == "table" and merged and merged[-1].kind == "table":
            merged[-1].text += "\n" + b.text
        else:
            merged.append(b)
    draft.blocks = merged
    draft.targets = []
    for b in draft.blocks:
        if b.kind == "heading":
            continue
        where = _where(draft, b)
        found = table_targets(b.text) if b.kind == "table" else find_targets(b.text)
        for target in found:
            target["位置"] = where
            draft.targets.append(target)


def table_rows(text: str) -> list[list[str]]:
    """The cells of each row of a Markdown table (the header first, the --- line left out)."""
    rows = []
    for line in text.split("\n"):
        line = line.strip()
        if not (line.startswith("|") and line.endswith("|")):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line[1:-1])]
        if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
            continue
        rows.append(cells)
    return rows


def table_targets(text: str) -> list[dict[str, Any]]:
    """Candidate targets of a table (a Word table, a Markdown one): one per number in a row, never across rows.

    A target table has the indicator in its first column and the numbers in the others
    (目标值, 完成时限 …): each row is read as one sentence, “列名：内容；列名：内容”, which is its
    说明 (the 出处 the editor sees), so a candidate keeps its row and its columns, not the table's pipes.
    """
    rows = table_rows(text)
    if len(rows) < 2:
        return []
    header, found = rows[0], []
    for cells in rows[1:]:
        if not any(cells):
            continue
        sentence = "；".join(f"{h}：{c}" if h and h != c else c for h, c in zip(header + [""] * len(cells), cells) if c)
        name = FILLERS.sub("", cells[0]).strip() if cells else ""
        for cell in cells[1:]:
            probe = cell.translate(_FULLWIDTH)
            for m in NUMBER_UNIT.finditer(probe):
                after = WORD_AFTER.match(probe[m.end():])
                before = WORD_BEFORE.search(probe[:m.start()])
                words = [w.group(1) for w in (before, after) if w] or ["达到"]
                unit = "%" if m.group(3) == "％" else m.group(3)
                number = cell[m.start():m.end() + (after.end() if after else 0)]
                found.append({"指标": name[:40] or "（请填写指标名称）", "目标值": _number(m.group(1)), "单位": unit,
                              "说明": sentence, "措辞": "、".join(dict.fromkeys(words)), "原文": number,
                              "分句": f"{cells[0]}{number}", "上下文": f"{cells[0]}{cell}"})
    return found


def _where(draft: PlanDraft, block: Block) -> str:
    for item in reversed(draft.items):
        if item.text == block.text:
            return item.where
    for sec in reversed(draft.sections):
        if sec.text == block.text:
            return sec.label
    return "正文"


def _heading_only(text: str) -> bool:
    return len(text) <= 60 and not any(c in text for c in SENTENCE_END)


def _runs_as_items(draft: PlanDraft, text: str, section: str) -> None:
    runs = runs_in(text)
    for i, (number, label, start) in enumerate(runs):
        end = runs[i + 1][2] if i + 1 < len(runs) else len(text)
        draft.items.append(Item(label, "run", number, section, text[start:end].strip()))


def import_lines(lines: list[str], name: str = "导入的计划", numbers: list[int] | None = None,
                 metadata: dict[str, str] | None = None) -> ImportResult:
    """Lines of a document → drafts. Never raises for odd layouts; explains in warnings.

    ``numbers`` are the source line of each line (a saved web page: the HTML line of its block;
    default 1, 2, 3 …); ``metadata`` is what was already read from the page's metadata block."""
    dropped: list[Dropped] = []
    warnings: list[str] = []
    metadata = dict(metadata or {})
    content: list[tuple[int, str]] = []
    after_related = False
    for n, raw in zip(numbers or range(1, len(lines) + 1), lines):
        text = _clean(raw)
        if not text:
            continue
        if after_related:
            dropped.append(Dropped(n, text, "相关文章列表"))
            continue
        if RELATED_HEADING.match(text):
            after_related = True
            dropped.append(Dropped(n, text, "相关文章列表"))
            continue
        reason = furniture_reason(text)
        if reason:
            for key, value in parse_metadata(text).items():
                if key in ("发布日期", "发布时间"):
                    metadata.setdefault(key, value)
            dropped.append(Dropped(n, text, reason))
            continue
        if META_LINE.match(text):
            found = parse_metadata(text)
            if found or re.fullmatch(rf"(?:\s*(?:{_META_KEY_RE})\s*[:：]\s*)+", text):
                for key, value in found.items():
                    metadata.setdefault(key, value)
                dropped.append(Dropped(n, text, "页面元数据（已读入对应字段）"))
                continue
        content.append((n, text))
    parts = _split_compilation(content, dropped)
    how = "按目录"
    if not parts:
        cuts: list[compilation.Cut] = []
        parts = compilation.split_by_pieces(content, cuts)
        how = "按“篇1、篇2”（第一篇、第二篇）等分篇标记"
        if not parts:
            cuts = []
            parts = compilation.split_by_titles(content, cuts)
            how = "按重复出现的标题"
        dropped.extend(Dropped(c.line, c.text, c.reason) for c in cuts)
    if parts:
        drafts = [_build_draft(part, dropped, name) for part in parts]
        warnings.append(f"这是一份汇编，{how}拆成 {len(drafts)} 份计划")
    else:
        drafts = [_build_draft(content, dropped, name, metadata)]
        if metadata:
            drafts[0].metadata = {**metadata, **drafts[0].metadata}
    dropped.sort(key=lambda d: d.line)
    return ImportResult(drafts, dropped, warnings)


def import_text(text: str, name: str = "导入的计划") -> ImportResult:
    return import_lines(text.splitlines(), name)


# --- candidate targets --------------------------------------------------------------------------
UNITS = ["万平方米", "平方米", "万亩", "亩", "亿元", "万元", "千元", "元", "万人次", "人次", "万人", "个百分点", "%", "％",
         "万吨", "吨", "千瓦", "兆瓦", "公里", "家", "项", "个", "人", "名", "场", "件", "篇", "次", "所", "座", "户", "台",
         "套", "批", "部", "支", "期", "条", "株", "头"]
_UNIT_RE = "|".join(map(re.escape, UNITS))
NUMBER_UNIT = re.compile(rf"(?<![\dA-Za-z第.．\-])(\d+(?:\.\d+)?)(?:\s*[-—~～至到]\s*(\d+(?:\.\d+)?))?\s*({_UNIT_RE})")
WORD_BEFORE = re.compile(r"(达到|达超|达|超过|超|不少于|不低于|不超过|突破|增长|增加|提高到|提高至|提升至|提升到|增至|提高|提升)\s*$")
WORD_AFTER = re.compile(r"^\s*(以上|及以上|以内|左右)")
MODAL_WORDS = re.compile(r"力争|确保|争取|计划|目标")
VERB_WORDS = re.compile(r"^(?:新增|新建|新认定|认定|培育|引进|组织实施|实施|举办|建成|立项|完成|发布|创建|选认|招引)")
THRESHOLD_AFTER = re.compile(r"^\s*(?:以上|及以上)\s*(?:无|的|未|没有)")
FILLERS = re.compile(rf"^(?:[、,，\s]|[（(]?\d{{1,2}}[)）.、．]|[{CIRCLED}]|[（(]{_CN}[)）]|{_CN}[、是]|其中|再|力争|确保|实现|争取|计划|全年|年内|今年|全市|我市|全县|全区|在|使|共|累计|每年|到|"
                     r"(?:19|20)[\dXx]{2}\s*年(?:底|末)?|\d{4}年)+")
VERB_ONLY = re.compile(r"^(?:新增|新建|新认定|认定|培育|引进|组织实施|组织|实施|举办|建成|立项|完成|发布|创建|选认|招引|建设|打造|支持|选派|遴选|推动)*$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _sentences(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in re.finditer(rf"[{SENTENCE_END}]", text):
        out.append((start, text[start:m.end()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def find_targets(text: str) -> list[dict[str, Any]]:
    """Candidate targets in a paragraph: plain dicts {指标, 目标值, 单位, 说明, 措辞, 原文, 分句, 上下文} to review.

    说明 is the whole sentence the number comes from (so the target stays linked to
    its wording); 措辞 lists the words that made it a target (达到, 以上, 力争 …);
    原文 is the number with its unit as written (“３０家以上”); 分句 is its part of
    the clause it stands in (between commas): from the previous candidate to this one, or
    to the end of the clause for its last number; 上下文 is the part of that clause that belongs
    to this number alone (from the previous number to the next one), which
    :mod:`gongkai.import_targets` uses to recognise the indicator.
    """
    found = []
    probe = text.translate(_FULLWIDTH)
    for s_start, sentence in _sentences(probe):
        for c_match in re.finditer(r"[^，,；;。：:！!？?]+", sentence):
            clause, c_start = c_match.group(0), c_match.start()
            prev_end = last_target_end = 0
            matches = list(NUMBER_UNIT.finditer(clause))
            for k, m in enumerate(matches):
                context_end = matches[k + 1].start() if k + 1 < len(matches) else len(clause)
                before = clause[prev_end:m.start()]
                after = WORD_AFTER.match(clause[m.end():])
                end = m.end() + (after.end() if after else 0)
                words = []
                wb = WORD_BEFORE.search(before)
                if wb:
                    words.append(wb.group(1))
                words += MODAL_WORDS.findall(clause[:m.start()])
                verb = VERB_WORDS.match(FILLERS.sub("", clause[:m.start()].strip()))
                if verb:
                    words.append(verb.group(0))
                if after:
                    words.append(after.group(1))
                prev_start, prev_end = prev_end, end
                if not words or (THRESHOLD_AFTER.match(clause[m.end():]) and not MODAL_WORDS.search(clause)):
                    continue
                name = FILLERS.sub("", before.strip())
                unit = "%" if m.group(3) == "％" else m.group(3)
                if not (wb and unit in ("%", "个百分点") and wb.group(1) in ("增长", "增加", "提高", "提升")):
                    name = WORD_BEFORE.sub("", name)
                name = FILLERS.sub("", name.strip("、,，的 "))
                if VERB_ONLY.match(name):
                    noun = re.match(r"[^，,、。；;在到列入的]{1,20}", clause[end:])
                    name = name + (noun.group(0) if noun else "")
                name = name.strip("、,， ") or "（请填写指标名称）"
                original = text[s_start:s_start + len(sentence)].strip()
                at = s_start + c_start
                found.append({
                    "指标": name[:40],
                    "目标值": _number(m.group(1)),
                    "单位": unit,
                    "说明": original,
                    "措辞": "、".join(dict.fromkeys(words)),
                    "原文": text[at + m.start():at + end],
                    "分句": text[at + last_target_end:at + (end if k + 1 < len(matches) else len(clause))].strip("、,， "),
                    "上下文": text[at + prev_start:at + context_end].strip("、,， "),
                })
                last_target_end = end
    return found
