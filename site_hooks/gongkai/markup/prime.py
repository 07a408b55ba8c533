"""Render every plan body once, on all cores, before anything else asks for it; keep only current bodies.

One body is needed by the loader's sanitizer report (:mod:`gongkai.markup.removed`), the 出处
check and the numbered-paragraph anchors (:mod:`gongkai.markup.anchors`), the plan page, the
汇编 page and the search index. Each asks a memoised function; :func:`prime` fills those
memos in one parallel pass (Markdown → sanitised HTML → anchored HTML), so the main
process converts no Markdown and forked page workers inherit the results.
Without ``parallel`` it does nothing: the memos fill lazily, as they always did.

The memos are keyed by the whole body text. :func:`keep_only` drops every body that is not in the
data any more (the loader calls it with the bodies it has just read), so a ``gongkai serve`` session
in which an editor saves a body 200 times holds one version of it, not 200.
"""
from __future__ import annotations

from typing import Iterable

from gongkai.markup import anchors, body, removed
from gongkai.runtime.parallel import pmap

MEMOS = (body.BODY_CACHE, anchors.ANCHORED_CACHE, removed.REMOVED_CACHE)  # each: body text → what it became


Rendered = tuple[str, str, "tuple[str, ...] | None"]


def render(text: str) -> Rendered:
    """What :func:`keep` memoises of one body: its HTML, anchored HTML and what the sanitizer removed
    (in a worker of :func:`prime`)."""
    html = str(body.render_body(text))  # first: removed_from_body compares with it (one sanitizer run, not two)
    lost = removed.removed_from_body(text) if removed.may_lose_html(text) else None
    return html, anchors.anchored_body(text), lost


def keep(text: str, rendered: Rendered) -> None:
    """Memoise a body's :func:`render` made in another process."""
    html, anchored, lost = rendered
    body.BODY_CACHE[text] = html
    anchors.ANCHORED_CACHE[text] = anchored
    if lost is not None:
        removed.REMOVED_CACHE[text] = lost


def prime(bodies: Iterable[str], *, parallel: bool) -> int:
    """Render the bodies not rendered yet, on every core; return how many were rendered."""
    todo = sorted({b for b in bodies if isinstance(b, str) and b and b not in body.BODY_CACHE})
    if not parallel or not todo:
        return 0
    for text, rendered in zip(todo, pmap(render, todo)):
        keep(text, rendered)
    return len(todo)


def keep_only(bodies: Iterable[str]) -> int:
    """Forget every memoised body not in ``bodies``; return how many entries were dropped."""
    current = {b for b in bodies if isinstance(b, str)}
    dropped = 0
    for memo in MEMOS:
        stale = [text for text in memo if text not in current]
        for text in stale:
            del memo[text]
        dropped += len(stale)
    if dropped:  # the two small LRU caches behind them hold old bodies too
        anchors.body_map.cache_clear()
        body.body_html_unsanitised.cache_clear()
    return dropped
