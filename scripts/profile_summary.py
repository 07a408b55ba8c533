"""Summarise a py-spy profile (``py-spy record -f raw``): where the time goes, by function.

Usage:
    .venv/bin/py-spy record -f raw -o prof.txt -- .venv/bin/gongkai --root PROJECT build
    .venv/bin/python scripts/profile_summary.py prof.txt [--top 40] [--match gongkai]

Prints, for the functions found in most samples, the share of samples that include them
(inclusive) and the share where they are the innermost frame (self). ``--match`` keeps only
frames whose file path contains the text (e.g. ``gongkai`` or ``mkdocs``).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _name(frame: str) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m["file"]
    for marker in ("site-packages/", "site_hooks/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{m['func']} ({path})"


def summarise(lines: list[str], match: str | None = None) -> tuple[int, Counter, Counter]:
    total = 0
    inclusive: Counter = Counter()
    own: Counter = Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_name(f) for f in stack.split(";")[1:]]  # the first frame is the process/thread
        if match:
            frames = [f for f in frames if match in f]
        for f in set(frames):
            inclusive[f] += n
        if frames:
            own[frames[-1]] += n
    return total, inclusive, own


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("profile", type=Path)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--match", default=None)
    args = p.parse_args(argv)
    total, inclusive, own = summarise(args.profile.read_text(encoding="utf-8").splitlines(), args.match)
    if not total:
        print("没有样本", file=sys.stderr)
        return 1
    print(f"{total} samples")
    print(f"{'incl':>6} {'self':>6}  function")
    for name, n in inclusive.most_common(args.top):
        print(f"{n / total:6.1%} {own[name] / total:6.1%}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
