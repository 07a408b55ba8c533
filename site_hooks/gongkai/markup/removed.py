"""What the sanitizer removed from an editor's HTML, named so that the editor understands it.

:func:`removed_from_body` compares the body's HTML before and after :func:`gongkai.markup.body.sanitize`
(elements, attributes, link targets, styles), most dangerous first; the loader turns the list into
a problem at the body line that holds the markup (:mod:`gongkai.data.drafts`: an error, a warning in the preview). :func:`inventory`
is also how the data checks find a body's links and ids.
"""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from gongkai.markup.body import BODY_CACHE, ENTITY, body_html_unsanitised, sanitize


class Inventory(HTMLParser):
    """Counts elements, attributes and link targets in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attrs: Counter[tuple[str, str]] = Counter()
        self.urls: Counter[str] = Counter()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.styles: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name == "rel" and tag == "a":
                continue  # added by the sanitizer
            self.attrs[(tag, name)] += 1
            if name in ("href", "src", "action", "formaction", "xlink:href", "poster", "data") and value is not None:
                self.urls[value.strip()] += 1
            if name == "href" and tag == "a" and value is not None:
                self.hrefs.append(value.strip())
            if name == "id" and value:
                self.ids.add(value)
            if name == "style" and value is not None:
                self.styles[re.sub(r"\s+|;$", "", value.lower())] += 1

    handle_startendtag = handle_starttag


def inventory(html: str) -> Inventory:
    parser = Inventory()
    parser.feed(html)
    parser.close()
    return parser


def removed_html(raw: str, clean: str) -> list[str]:
    """Human-readable list of what ``clean`` lacks compared with ``raw`` (elements, attributes, URLs)."""
    before, after = inventory(raw), inventory(clean)
    found: list[str] = []
    for tag in sorted(before.tags):
        if before.tags[tag] > after.tags.get(tag, 0):
            found.append(f"<{tag}>")
    for tag, name in sorted(before.attrs):
        if before.attrs[(tag, name)] > after.attrs.get((tag, name), 0) and f"<{tag}>" not in found:
            if name in ("href", "src"):
                continue  # named with its value below
            found.append(f"{name} 属性" if not name.startswith("on") else f"{name} 事件属性")
    if any(before.styles[v] > after.styles.get(v, 0) for v in before.styles) and "style 属性" not in found:
        found.append("style 属性")
    for url in sorted(before.urls):
        if before.urls[url] > after.urls.get(url, 0):
            found.append(f"链接地址“{url[:60]}”")
    return sorted(dict.fromkeys(found), key=_danger)


def _danger(item: str) -> int:
    """Most dangerous first, so the start of a long list says what matters."""
    if item in ("<script>", "<iframe>", "<object>", "<embed>", "<svg>", "<math>", "<base>", "<meta>", "<link>"):
        return 0
    if "事件属性" in item or re.search(r"“\s*(javascript|data|vbscript):", item, re.I):
        return 1
    if item in ("<style>", "style 属性", "<form>", "<input>", "<button>", "<textarea>", "<select>"):
        return 2
    return 3


REMOVED_CACHE: dict[str, tuple[str, ...]] = {}  # body → what the sanitizer removes; gongkai.markup.prime fills and bounds it


# A first-level heading ("# 标题", or a line of "=" under a paragraph; also in a quote or a list): Markdown
# writes <h1>, which the sanitizer removes (the page's title is its one h1). "##" and deeper are kept.
_H1 = re.compile(r"^[ \t>*+\-0-9.]*#(?!#)|^[ \t>]*=+[ \t]*$", re.MULTILINE)


def first_level_heading(line: str) -> bool:
    """Whether one line of a body may make an <h1> (its heading, or the "===" under it)."""
    return _H1.search(line) is not None


def may_lose_html(body: str) -> bool:
    """False when the body has no HTML, link, link reference ("[r]: url"), attribute list, entity or first-level
    heading: then nothing can be removed (an "&" in "R&D" is text: many bodies have one)."""
    return (any(mark in body for mark in ("<", "](", "]:", "{")) or ("&" in body and ENTITY.search(body) is not None)
            or _H1.search(body) is not None)


def removed_from_body(body: str) -> tuple[str, ...]:
    lost = REMOVED_CACHE.get(body)
    if lost is None:
        raw = body_html_unsanitised(body)
        clean = BODY_CACHE.get(body) or sanitize(raw)  # the page's HTML, when rendered already
        # the same text has the same inventory: nothing was removed (most bodies whose "&" or "{" made them suspects)
        lost = REMOVED_CACHE[body] = () if clean == raw else tuple(removed_html(raw, clean))
    return lost
