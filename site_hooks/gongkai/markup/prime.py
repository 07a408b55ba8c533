"""Render every plan body once, on all cores, before anything else asks for it.

One body is needed by the loader's sanitizer report (:mod:`gongkai.security`), the 出处
check and the numbered-paragraph anchors (:mod:`gongkai.targets`), the plan page, the
汇编 page and the search index. Each asks a memoised function; :func:`prime` fills those
memos in one parallel pass (Markdown → sanitised HTML → anchored HTML), so the main
process converts no Markdown and forked page workers inherit the results.
Without ``parallel`` it does nothing: the memos fill lazily, as they always did.
"""
from __future__ import annotations

from typing import Iterable

from gongkai.markup import body as render
from gongkai.data import security, targets
from gongkai.runtime.parallel import pmap


def _render(body: str) -> tuple[str, str, tuple[str, ...] | None]:
    removed = security.removed_from_body(body) if security.may_lose_html(body) else None
    return render.render_body(body), targets.anchored_body(body), removed


def prime(bodies: Iterable[str], *, parallel: bool) -> int:
    """Render the bodies not rendered yet, on every core; return how many were rendered."""
    todo = sorted({b for b in bodies if isinstance(b, str) and b and b not in render.BODY_CACHE})
    if not parallel or not todo:
        return 0
    for body, (html, anchored, removed) in zip(todo, pmap(_render, todo)):
        render.BODY_CACHE[body] = str(html)
        targets.ANCHORED_CACHE[body] = anchored
        if removed is not None:
            security.REMOVED_CACHE[body] = removed
    return len(todo)
