"""A plan body's Markdown → safe HTML: the Markdown settings, the nh3 sanitizer and the allowed subset.

:data:`BODY_CACHE` keeps each distinct body's HTML; :mod:`gongkai.markup.prime` fills it on all cores
and bounds it to the bodies of the current build (see :func:`gongkai.markup.prime.keep_only`).
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

import markdown
import markdown.extensions.toc  # not imported by `import markdown`; needed when MkDocs has not loaded it
from markdown.extensions.toc import slugify_unicode, unique
from markdown.treeprocessors import InlineProcessor
import nh3
from markupsafe import Markup

# The safe subset of HTML a plan body may contain (documented in SECURITY.md / 编辑指南).
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "code", "pre", "a", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "abbr", "span", "div", "dl", "dt", "dd", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "th": {"scope", "colspan", "rowspan", "style"},  # style: only text-align (STYLE_PROPERTIES), from Markdown tables
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
STYLE_PROPERTIES = {"text-align"}  # what Markdown's aligned table columns write; every other property is removed


_local = threading.local()

# Python-Markdown tries each of its 14 inline patterns (a regex search each) on every text node;
# a plan body is mostly Chinese prose in which none of them can match. A pattern can only match
# where one of these occurs: ` \\ (backtick, escape), [ (links, references, images after !),
# < (autolink, automail, inline HTML), & (entity), * _ (emphasis), two spaces + newline (line
# break). INLINE_PATTERNS is the set they were read from; tests/test_render_speed.py fails
# when Python-Markdown registers another one, and compares the output with the plain processor's.
INLINE_PATTERNS = frozenset({
    "backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
    "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "em_strong",
})
_INLINE_TRIGGER = re.compile(r"[`\\\[<&*_]|  \n")


class _GatedInlineProcessor(InlineProcessor):
    """Python-Markdown's inline step, skipping text in which no inline pattern can match (same output)."""

    # Replaces InlineProcessor's private __handleInline (name-mangled); Markdown is pinned in constraints.txt.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        if _INLINE_TRIGGER.search(data) is None:
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)  # type: ignore[attr-defined]


def _new_markdown(*, gated: bool = True) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["tables", "attr_list", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": slugify_unicode, "permalink": False}},
        output_format="html",
    )
    if gated:
        md.treeprocessors.register(_GatedInlineProcessor(md), "inline", 20)
    return md


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_markdown()
    return md


# ids the page itself uses (Material's __drawer/__search…, md-…, gongkai's gk-…): a body may not reuse them
RESERVED_ID = re.compile(r"^(__|md[-_]|gk[-_]|search|content|header|footer)", re.IGNORECASE)


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "id" and RESERVED_ID.match(value):
        return None
    return value


def sanitize(html: str) -> str:
    """Remove everything outside the safe subset (scripts, handlers, styles, unsafe URLs)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Plain prose: most plan bodies are paragraphs of Chinese text under "## 一、…" headings, in which no
# Markdown syntax but the heading can occur. plain_html() writes what Python-Markdown (with the
# settings above) and then sanitize() make of such a body, without running either (0.04 ms instead
# of 0.43 ms a body); anything else returns None and goes the full way. tests/test_render_speed.py
# compares the two on every sample body, on tables of edge cases and on generated text.
# Outside the fast path: every inline trigger but "&" (and "&" in a possible entity), HTML, the
# characters of tables, attribute lists, emphasis and escapes, controls and the no-break space (which
# the sanitizer writes as &nbsp;), and lines that start with blanks or a block marker.
_NOT_PLAIN_CHAR = re.compile(
    r"[`\\\[\]<*_{}|\x00-\x09\x0b-\x1f\x7f-\x9f\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
    r"\ufdd0-\ufdef\ufffe\uffff]")
_NOT_PLAIN_START = r"(?:[ \t\r\f\v\x1c-\x1f\x85]|[-+=>]|\d+\.(?:[ ]|\n|$))"  # a line that starts with a blank or a block marker
_NOT_PLAIN_FIRST = re.compile(_NOT_PLAIN_START)
_NOT_PLAIN_NEXT = re.compile("\n" + _NOT_PLAIN_START)
_NOT_PLAIN_END = re.compile(r"[ \t\r\f\v](?:\n|$)")  # a line that ends with a blank (two make a line break)
ENTITY = re.compile(r"&(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);", re.IGNORECASE)  # an entity Markdown keeps as it is
_PLAIN_HEADING = re.compile(r"(#{2,6}) ([^#\s](?:[^#\n]*[^#\s])?)")
_BLANK_LINES = re.compile(r"\n{2,}")


def _plain(text: str) -> bool:
    return not (_NOT_PLAIN_CHAR.search(text) or _NOT_PLAIN_FIRST.match(text) or _NOT_PLAIN_NEXT.search(text)
                or _NOT_PLAIN_END.search(text) or ("&" in text and ENTITY.search(text)))


def plain_html(text: str) -> str | None:
    """A body of plain paragraphs and ``##``–``######`` headings as sanitised HTML; None for any other body."""
    text = text.strip("\n")
    if not text or not _plain(text):
        return None
    html: list[str] = []
    used_ids: set[str] = set()
    counters: dict[str, int] = {}
    for block in _BLANK_LINES.split(text):
        if "#" not in block:  # no heading in it: one paragraph
            html.append(f"<p>{_escaped(block)}</p>")
            continue
        para: list[str] = []
        for line in block.split("\n"):
            if not line.startswith("#"):
                para.append(line)
                continue
            heading = _PLAIN_HEADING.fullmatch(line)
            if heading is None:
                return None
            if para:
                html.append(f"<p>{_escaped(chr(10).join(para))}</p>")
                para = []
            level, title = len(heading.group(1)), heading.group(2)
            slug = unique(slugify_unicode(title, "-"), used_ids, counters)
            id_attr = "" if RESERVED_ID.match(slug) else f' id="{slug}"'
            html.append(f"<h{level}{id_attr}>{_escaped(title)}</h{level}>")
        if para:
            html.append(f"<p>{_escaped(chr(10).join(para))}</p>")
    return "\n".join(html)


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace(">", "&gt;")


@lru_cache(maxsize=64)  # the loader's sanitizer report and the page generator convert the same body
def body_html_unsanitised(text: str) -> str:
    """The body's Markdown as HTML before sanitising: only to tell the editor what sanitize() removed."""
    plain = plain_html(text)
    if plain is not None:
        return plain
    md = _markdown()
    md.reset()
    return md.convert(text)


BODY_CACHE: dict[str, str] = {}  # body Markdown → sanitised HTML; gongkai.prerender fills it on all cores


def _cached_body(text: str) -> str:
    html = BODY_CACHE.get(text)
    if html is None:
        plain = plain_html(text)
        html = BODY_CACHE[text] = plain if plain is not None else sanitize(body_html_unsanitised(text))
    return html


def render_body(text: str) -> Markup:
    """A plan body (Markdown written by an editor) as sanitised HTML."""
    return Markup(_cached_body(text))
