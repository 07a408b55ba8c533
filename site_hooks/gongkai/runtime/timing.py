"""Wall time of the build's phases, printed by ``gongkai build`` when ``GONGKAI_TIMINGS=1``.

A cheap, always-available profile at the level that matters for tuning (which phase, and
whether it runs on every core): ``with phase("搜索索引"): …``. Nothing is recorded unless
the variable is set.
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Iterator

_records: list[tuple[str, float]] = []


def enabled() -> bool:
    return os.environ.get("GONGKAI_TIMINGS", "") not in ("", "0")


@contextmanager
def phase(name: str) -> Iterator[None]:
    if not enabled():
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        _records.append((name, time.perf_counter() - start))


def report() -> str:
    """The recorded phases (in the order they ended) as lines of text, then forget them."""
    lines = [f"{seconds:8.2f} 秒  {name}" for name, seconds in _records]
    _records.clear()
    return "\n".join(["各阶段用时（GONGKAI_TIMINGS=1）：", *lines]) if lines else ""
