"""Read a page saved from an old 政府信息公开 platform (TRS, 开普云, a home-grown CMS).

``read_page(path)`` gives a :class:`SavedPage`: the page's visible text as numbered lines
(the number is the line of the HTML file the text stands on), the metadata block read into
the plan's field names with the values exactly as published, the title, which lines are the
article, the attachment links (and the local file each one was saved as, if it is there) and
the page's old URL. The HTML is parsed with lxml (a real parser, the way browsers recover
from broken markup); text is matched, markup never is.

What the page says is kept as published: ``raw`` holds each metadata value as written,
``metadata`` the same value with only dates written as YYYY-MM-DD (2023年3月8日 → 2023-03-08).
Lines outside the article (site banner, breadcrumb, metadata block, 浏览次数, 分享到, footer)
are listed in ``dropped`` with the reason; nothing is left out silently.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from gongkai.editors.errors import ImportFailed

PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
ATTACHMENT_SUFFIXES = (".pdf", ".ofd", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".zip", ".rar", ".7z",
                       ".jpg", ".jpeg", ".png", ".txt", ".ppt", ".pptx")
MAX_PAGE_BYTES = 20 * 1024 * 1024

# label as written (spaces inside allowed: 索 引 号、标　　题) → the plan field
LABELS: dict[str, str] = {
    "索引号": "索引号", "信息索引号": "索引号", "索取号": "索引号",
    "组配分类": "组配分类", "信息分类": "组配分类", "分类": "组配分类", "公开类别": "组配分类", "目录分类": "组配分类",
    "主题分类": "主题分类", "主题": "主题分类", "主题类别": "主题分类",
    "发布机构": "发布机构", "发文机关": "发布机构", "发文单位": "发布机构", "发布单位": "发布机构", "公开单位": "发布机构",
    "信息公开单位": "发布机构", "所属机构": "发布机构", "制发机关": "发布机构",
    "名称": "名称", "标题": "名称", "文件名称": "名称", "信息名称": "名称", "文章标题": "名称",
    "文号": "文号", "发文字号": "文号", "文件编号": "文号", "发文文号": "文号",
    "生成日期": "生成日期", "成文日期": "生成日期", "成文时间": "生成日期", "制发日期": "生成日期", "印发日期": "生成日期",
    "发布日期": "发布日期", "公开日期": "发布日期", "发文日期": "发布日期", "发布时间": "发布日期", "公开时间": "发布日期",
    "有效性": "有效性", "时效性": "有效性", "效力状态": "有效性", "是否有效": "有效性",
    "来源": "来源", "信息来源": "来源", "文章来源": "来源",
    # pages of platforms that publish in traditional characters (a <meta charset="big5"> page; 成文日期 and 有效性
    # are written the same in both and listed above)
    "索引號": "索引号", "組配分類": "组配分类", "資訊分類": "组配分类", "主題分類": "主题分类", "發布機構": "发布机构",
    "發文機關": "发布机构", "名稱": "名称", "標題": "名称", "文號": "文号", "發文字號": "文号",
    "發布日期": "发布日期", "發布時間": "发布日期", "公開日期": "发布日期", "來源": "来源",
}
# labels of page furniture on the same line (发布时间:… 来源:… 浏览次数:…): they end the value before them
IGNORED_LABELS = ("浏览次数", "点击数", "点击量", "阅读次数", "访问量", "字体", "字号", "作者", "责任编辑", "编辑", "审核", "分享到",
                  "【字体", "打印")
_LABEL_RE = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted([*LABELS, *IGNORED_LABELS], key=len, reverse=True))
LABEL_AT = re.compile(rf"({_LABEL_RE})\s*[:：]")
LABEL_ONLY = re.compile(rf"^\s*({_LABEL_RE})\s*[:：]?\s*$")
DATE = re.compile(r"((?:19|20)\d\d)\s*[-年/.．]\s*(\d{1,2})\s*[-月/.．]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})\s*[:：时]\s*(\d{2}))?")
_FULL = str.maketrans("０１２３４５６７８９：－／．", "0123456789:-/.")

# elements whose text is never article text
SKIP = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "object", "embed",
        "svg", "canvas", "button", "select", "input", "textarea"}
BLOCK = {"p", "div", "li", "ul", "ol", "tr", "table", "tbody", "thead", "tfoot", "h1", "h2", "h3", "h4", "h5", "h6",
         "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre", "dl", "dt", "dd",
         "form", "center", "hr", "address", "figure", "figcaption", "caption", "body", "html", "br"}
CELL = {"td", "th"}
# where platforms put the article: TRS (TRS_Editor, zoom), 开普云 (UCAP-CONTENT), common CMS names
ARTICLE_HINTS = ("ucap-content", "trs_editor", "trs_paper_default", "zoom", "article-content", "article_content",
                 "art_con", "artcon", "wz_content", "detail-content", "detail_content", "news_content", "content_text",
                 "bt-content", "xxgk_content", "pages_content", "article", "content")
NOT_ARTICLE = re.compile(r"nav|menu|crumb|footer|header|banner|share|related|xgwz|tool|print|sidebar|links|title", re.I)


@dataclass
class Attachment:
    name: str  # the link text (附件名称 as published)
    href: str
    line: int
    file: Path | None = None  # where the saved copy is, if it was saved beside the page


@dataclass
class PageLine:
    line: int
    text: str
    in_article: bool = False
    heading: bool = False
    attachment_only: bool = False  # the line is only attachment links (附件：xxx.pdf)


@dataclass
class SavedPage:
    path: Path
    encoding: str
    lines: list[PageLine]
    metadata: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # each metadata value exactly as published
    meta_line: dict[str, int] = field(default_factory=dict)
    meta_rows: set[int] = field(default_factory=set)  # indexes into ``lines`` of the metadata block
    title: str = ""
    title_index: int | None = None
    html_title: str = ""
    urls: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    images: list[Attachment] = field(default_factory=list)
    scripts: list[int] = field(default_factory=list)  # lines of <script>/<style> blocks left out
    notes: list[str] = field(default_factory=list)


# --- decoding -----------------------------------------------------------------------------------
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030",
            "utf8": "utf-8", "unicode": "utf-8"}


def declared_charset(raw: bytes) -> str | None:
    """The charset the page's <meta> declares, found by parsing (bytes read as Latin-1 keep ASCII markup intact)."""
    try:
        doc = lxml.html.document_fromstring(raw[:65536].decode("latin-1"))
    except (lxml.etree.ParserError, ValueError):
        return None
    for meta in doc.iter("meta"):
        charset = meta.get("charset")
        if not charset and (meta.get("http-equiv") or "").lower() == "content-type":
            content = meta.get("content") or ""
            charset = content.lower().partition("charset=")[2].split(";")[0]
        if charset and charset.strip():
            return charset.strip().strip("'\"").lower()
    return None


def decode_page(raw: bytes) -> tuple[str, str]:
    """(text, encoding): BOM first, then the declared charset, then UTF-8, then GB18030 (a superset of GBK/GB2312)."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            return raw.decode(enc), enc
    declared = declared_charset(raw)
    tried = []
    if declared:
        enc = _ALIASES.get(declared, declared)
        tried.append(enc)
        try:
            return raw.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    for enc in ("utf-8", "gb18030"):
        if enc in tried:
            continue
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return raw.decode("gb18030", errors="replace"), "gb18030（有无法识别的字符）"


# --- text lines ---------------------------------------------------------------------------------
def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\xa0", " ").replace("\u3000", " "))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    return re.sub(r"\s+", " ", text).strip()


def _classes(el) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}".lower()


class _Lines:
    """Walks the tree and cuts its visible text into block lines; table cells and label spans get a colon."""

    def __init__(self, article) -> None:
        self.article = article
        self.out: list[PageLine] = []
        self.parts: list[str] = []
        self.line = 0
        self.inside = False
        self.heading = False
        self.links: list[tuple[str, str]] = []
        self.scripts: list[int] = []
        self.link_lines: list[tuple[int, list[tuple[str, str]]]] = []

    def flush(self) -> None:
        text = _clean("".join(self.parts))
        if text:
            self.out.append(PageLine(self.line, text, self.inside, self.heading))
            if self.links:
                self.link_lines.append((len(self.out) - 1, self.links))
        self.parts, self.links, self.heading = [], [], False
        self.line = 0

    def add(self, text: str | None, line: int | None) -> None:
        if text and text.strip():
            if not self.line or not _clean("".join(self.parts)):
                self.line = line or self.line or 1
            self.parts.append(text)
        elif text:
            self.parts.append(text)

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:  # comment or processing instruction: its tail is text of the parent
            self.add(el.tail, el.sourceline)
            return
        tag = tag.lower()
        if tag in SKIP:
            if tag in ("script", "style", "noscript") and (el.text or "").strip():
                self.scripts.append(el.sourceline or 0)
            self.add(el.tail, el.sourceline)
            return
        was_inside = self.inside
        if el is self.article:
            self.flush()
            self.inside = True
        block = tag in BLOCK
        if block:
            self.flush()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = True
        if tag in CELL and self.parts and _clean("".join(self.parts)):
            self.parts.append(" ")
        if tag == "img":
            alt = el.get("alt") or ""
            self.links.append(("img:" + alt, el.get("src") or ""))
        self.add(el.text, el.sourceline)
        if tag == "a" and el.get("href"):
            self.links.append((_clean(el.text_content()), el.get("href")))
        for child in el:
            self.walk(child)
        text_here = _clean(el.text_content()) if tag in CELL or tag in ("span", "label", "b", "strong", "em", "font", "dt") else ""
        if text_here and LABEL_ONLY.match(text_here) and not text_here.endswith((":", "：")):
            self.parts.append("：")  # a label cell (th 索引号 / td value) reads as “索引号：value”
        elif tag in CELL:
            self.parts.append(" ")
        if block or tag in ("dt",):
            self.flush()
        if el is self.article:
            self.flush()
            self.inside = was_inside
        self.add(el.tail, el.sourceline)


def _article(body):
    """The element holding the article: a platform's known container, else the block with the most paragraph text."""
    best, best_score = None, 0
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag.lower() not in ("div", "td", "article", "section", "main"):
            continue
        cls = _classes(el)
        text = _clean(el.text_content())
        if len(text) < 20:
            continue
        for rank, hint in enumerate(ARTICLE_HINTS):
            if hint in cls and not NOT_ARTICLE.search(cls):
                score = 10_000_000 - rank * 100_000 - len(text) // 1000  # innermost of equal hints wins below
                if score > best_score or (score == best_score and best is not None and el in best.iterdescendants()):
                    best, best_score = el, score
                break
    if best is not None:
        return best
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag.lower() not in ("div", "td", "article", "section", "main"):
            continue
        if NOT_ARTICLE.search(_classes(el)):
            continue
        paras = [c for c in el if isinstance(c.tag, str) and c.tag.lower() in ("p", "div", "br")]
        score = sum(len(_clean(c.text_content())) for c in paras if c.tag.lower() == "p") + len(_clean(el.text or ""))
        if score > best_score:
            best, best_score = el, score
    return best


# --- metadata ------------------------------------------------------------------------------------
def label_field(label: str) -> str | None:
    return LABELS.get(re.sub(r"\s+", "", label))


def normal_date(value: str) -> tuple[str, str] | None:
    """(YYYY-MM-DD, HH:MM or "") from 2023-03-08 / 2023年3月8日 / 2023/3/8 10:25, else None."""
    m = DATE.search(value.translate(_FULL))
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    time = f"{int(m.group(4)):02d}:{m.group(5)}" if m.group(4) else ""
    return f"{y:04d}-{mo:02d}-{d:02d}", time


def metadata_pairs(text: str) -> list[tuple[str, str, str]]:
    """(field, label as written, value as written) for every “标签：值” on a line."""
    found = []
    hits = list(LABEL_AT.finditer(text))
    for k, m in enumerate(hits):
        end = hits[k + 1].start() if k + 1 < len(hits) else len(text)
        value = text[m.end():end].strip().strip("|｜").strip()
        name = label_field(m.group(1))
        if name and not (name == "来源" and not value):
            found.append((name, m.group(1), value))
    return found


def is_metadata_line(text: str) -> bool:
    """A line that is only labels and values (the metadata block), not a sentence that mentions 来源:."""
    hits = list(LABEL_AT.finditer(text))
    if not hits or hits[0].start() > 2 or not label_field(hits[0].group(1)):
        return False
    if len(hits) == 1 and label_field(hits[0].group(1)) in ("名称",) and len(text) > 120:
        return False
    return len(text) <= 300


def _record(page: SavedPage, name: str, value: str, line: int) -> None:
    if not value or name in page.raw:
        return
    if name in ("生成日期", "发布日期"):
        d = normal_date(value)
        if not d:
            page.notes.append(f"第{line}行的{name}“{value}”不是日期，没有读入")
            return
        page.metadata[name] = d[0]
        if name == "发布日期" and d[1]:
            page.metadata["发布时间"] = d[1]
    else:
        page.metadata[name] = value
    page.raw[name] = value
    page.meta_line[name] = line


# --- URLs and attachments ------------------------------------------------------------------------
_HOST = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?$", re.I)


def _comment_url(doc) -> str | None:
    """The URL in a “saved from url=(0062)http://…” (browsers) or “Mirrored from host/path by HTTrack” comment."""
    root = doc.getroottree().getroot()
    comments = list(root.itersiblings(preceding=True)) + [c for c in root.iter(lxml.etree.Comment)]
    for c in comments:
        if not isinstance(c, lxml.etree._Comment):
            continue
        text = (c.text or "").strip()
        if text.lower().startswith("saved from url="):
            url = text.split(")", 1)[-1].strip() if ")" in text else text.split("=", 1)[1].strip()
            if url.startswith(("http://", "https://")):
                return url
        if text.startswith("Mirrored from "):
            where = text[len("Mirrored from "):].split(" by ", 1)[0].strip()
            return where if where.startswith(("http://", "https://")) else "http://" + where
    return None


def url_from_path(path: Path, base: Path | None) -> str | None:
    """A mirror tool saves http://host/a/b.html as …/host/a/b.html: the folder named like a host gives the URL."""
    parts = path.resolve().parts
    stop = len(base.resolve().parts) - 1 if base else 0
    for i in range(len(parts) - 2, max(stop, 0) - 1, -1):
        if _HOST.match(parts[i]) and "." in parts[i] and not parts[i].endswith((".html", ".htm")):
            return "http://" + "/".join(parts[i:])
    return None


def _local_file(page_path: Path, href: str) -> Path | None:
    """The saved copy of a linked file: beside the page, in “<page>_files/”, or at the link's relative path."""
    split = urlsplit(href)
    name = unquote(split.path.rsplit("/", 1)[-1])
    if not name:
        return None
    folder = page_path.parent
    candidates = []
    if not split.scheme and not split.netloc and split.path:
        candidates.append(folder / unquote(split.path.lstrip("/") if not split.path.startswith("/") else split.path[1:]))
    candidates += [folder / name, folder / f"{page_path.stem}_files" / name, folder / f"{page_path.stem}.files" / name,
                   folder / "附件" / name]
    for c in candidates:
        try:
            if c.is_file() and not c.is_symlink() and folder.resolve() in c.resolve().parents:
                return c
        except (OSError, ValueError):
            continue
    return None


def _is_attachment(text: str, href: str) -> bool:
    path = unquote(urlsplit(href).path).lower()
    return path.endswith(ATTACHMENT_SUFFIXES) or (text.startswith("附件") and not href.startswith(("#", "javascript")))


_ATTACH_LABEL = re.compile(r"^\s*(?:相关)?附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[:：、.．]?\s*")


# --- the page -------------------------------------------------------------------------------------
def read_page(path: Path, base: Path | None = None) -> SavedPage:
    """A saved page of the old platform. ``base`` is the folder the import started from (for URLs from mirror folders)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailed(f"无法读取：{exc.strerror or exc}") from exc
    if size > MAX_PAGE_BYTES:
        raise ImportFailed(f"文件太大（{size // 1024 // 1024} MB），不像是一个保存的网页")
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed("这不是网页文件（含有二进制内容）")
    text, encoding = decode_page(raw)
    if not text.strip():
        raise ImportFailed("文件是空的")
    try:
        doc = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ImportFailed(f"无法解析这个网页：{exc}") from exc
    page = SavedPage(path=path, encoding=encoding, lines=[])
    # the old URL: canonical, og:url, the browser's or mirror tool's comment, the mirror folder
    for link in doc.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            page.urls.append(link.get("href").strip())
    for meta in doc.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:url", "url") and meta.get("content"):
            page.urls.append(meta.get("content").strip())
    comment = _comment_url(doc)
    if comment:
        page.urls.append(comment)
    if not any(u.startswith(("http://", "https://")) for u in page.urls):
        guessed = url_from_path(path, base)
        if guessed:
            page.urls.append(guessed)
    page.urls = [u for u in dict.fromkeys(page.urls) if u.startswith(("http://", "https://", "/"))]
    for t in doc.iter("title"):
        page.html_title = _clean(t.text_content())
        break
    # the <meta> metadata some platforms add (ArticleTitle, PubDate, ContentSource)
    head_meta = {}
    for meta in doc.iter("meta"):
        name = (meta.get("name") or "").lower()
        if name in ("articletitle", "pubdate", "contentsource") and meta.get("content"):
            head_meta[name] = _clean(meta.get("content"))
    body = doc.find("body") if doc.find("body") is not None else doc
    article = _article(body)
    walker = _Lines(article)
    walker.walk(body)
    walker.flush()
    page.lines = walker.out
    page.scripts = walker.scripts
    base_url = next((u for u in page.urls if u.startswith(("http://", "https://"))), "")
    for index, links in walker.link_lines:
        pl = page.lines[index]
        rest = pl.text
        found = False
        for text, href in links:
            if text.startswith("img:"):
                if pl.in_article:
                    page.images.append(Attachment(text[4:] or href.rsplit("/", 1)[-1], href, pl.line, _local_file(path, href)))
                continue
            if not _is_attachment(text, href):
                continue
            found = True
            name = text or unquote(urlsplit(href).path.rsplit("/", 1)[-1])
            absolute = urljoin(base_url, href) if base_url else href
            page.attachments.append(Attachment(name, absolute, pl.line, _local_file(path, href)))
            rest = rest.replace(text, "", 1)
        if found and not _clean(_ATTACH_LABEL.sub("", rest)).strip("、，,;；()（）0-9.． "):
            pl.attachment_only = True
    # the metadata block
    for i, pl in enumerate(page.lines):
        only = LABEL_ONLY.match(pl.text)
        if only and label_field(only.group(1)) and i + 1 < len(page.lines) and i not in page.meta_rows:
            value = page.lines[i + 1]
            if not is_metadata_line(value.text) and len(value.text) <= 100 and not value.in_article:
                page.meta_rows.update((i, i + 1))  # <dt>索引号</dt><dd>…</dd>: the label and its value on two lines
                _record(page, label_field(only.group(1)), value.text, value.line)
                continue
        if i in page.meta_rows:
            continue
        if is_metadata_line(pl.text):
            page.meta_rows.add(i)
            for name, _label, value in metadata_pairs(pl.text):
                _record(page, name, value, pl.line)
    if "名称" not in page.raw and head_meta.get("articletitle"):
        page.metadata["名称"] = page.raw["名称"] = head_meta["articletitle"]
    if "发布日期" not in page.raw and head_meta.get("pubdate"):
        _record(page, "发布日期", head_meta["pubdate"], 0)
    # the title: a heading (or a line of class “title”) matching 名称, else the first heading above the article
    named = re.sub(r"\s+", "", page.metadata.get("名称", ""))
    candidates = [i for i, pl in enumerate(page.lines) if i not in page.meta_rows and len(pl.text) <= 100]
    title_at = next((i for i in candidates if named and re.sub(r"\s+", "", page.lines[i].text) == named), None)
    if title_at is None:
        first_article = next((i for i, pl in enumerate(page.lines) if pl.in_article), len(page.lines))
        headings = [i for i in candidates if page.lines[i].heading]
        before = [i for i in headings if i <= first_article]
        title_at = before[-1] if before else (headings[0] if headings else None)
    if title_at is None and page.html_title:
        stem = re.split(r"\s*[_|｜—–-]\s*", page.html_title)[0]
        title_at = next((i for i in candidates if page.lines[i].text == stem), None)
        if title_at is None:
            page.title = stem
    if title_at is not None:
        page.title_index = title_at
        page.title = page.lines[title_at].text
    return page


def find_pages(folder: Path) -> list[Path]:
    """The saved pages in a folder and its subfolders (not the “_files” folders a browser saves beside them)."""
    out = []
    for p in sorted(folder.rglob("*")):
        if p.is_symlink() or not p.is_file() or p.suffix.lower() not in PAGE_SUFFIXES:
            continue
        if any(part.endswith(("_files", ".files")) for part in p.relative_to(folder).parts[:-1]):
            continue
        out.append(p)
    return out
