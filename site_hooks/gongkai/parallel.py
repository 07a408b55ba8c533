"""Run independent per-item work on every core, keeping the order of the results.

Builds use it for per-plan work (reading and checking files, rendering pages). It forks:
the workers inherit the parent's memory (project, templates), so nothing is sent to them
but item numbers, and only results come back. It falls back to a plain loop for small
inputs, on one core, when GONGKAI_JOBS=1, or where fork is unsafe (the preview server has
threads; it calls with parallel=False).
"""
from __future__ import annotations

import multiprocessing
import os
from typing import Any, Callable, Sequence

MIN_ITEMS = 400  # below this, starting workers costs more than it saves

_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def jobs() -> int:
    try:
        wanted = int(os.environ.get("GONGKAI_JOBS", "0"))
    except ValueError:
        wanted = 0
    return wanted if wanted > 0 else (os.cpu_count() or 1)


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None
    func, items = _work
    return [func(items[i]) for i in range(*bounds)]


def pmap(func: Callable[[Any], Any], items: Sequence[Any], *, parallel: bool = True) -> list[Any]:
    """``[func(x) for x in items]``, split over the cores when it pays off."""
    n = jobs()
    if not parallel or n < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [func(x) for x in items]
    global _work
    _work = (func, items)
    try:
        size = -(-len(items) // (n * 4))  # a few chunks per worker evens out slow items
        chunks = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
        with multiprocessing.get_context("fork").Pool(n) as pool:
            results = pool.map(_run_chunk, chunks)
    finally:
        _work = None
    return [r for chunk in results for r in chunk]
