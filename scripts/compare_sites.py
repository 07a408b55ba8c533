"""Compare two built sites file by file, ignoring only each page's release id.

Usage:
    python scripts/compare_sites.py SITE_A SITE_B

Proves that a change of code layout changed no output: build both with the same
``SOURCE_DATE_EPOCH`` (the release id hashes the source files, so it differs when
files move; nothing else may). Prints each differing or missing file and exits 1
if there is any, 0 when the sites are identical.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

RELEASE_META = re.compile(rb'<meta name="gk-release" content="[0-9a-f]+">')


def files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    """What differs between sites ``a`` and ``b``: one line per file."""
    fa, fb = files(a), files(b)
    out = [f"只在 {a} 中：{name}" for name in sorted(fa.keys() - fb.keys())]
    out += [f"只在 {b} 中：{name}" for name in sorted(fb.keys() - fa.keys())]
    for name in sorted(fa.keys() & fb.keys()):
        da, db = fa[name].read_bytes(), fb[name].read_bytes()
        if da != db and RELEASE_META.sub(b"", da) != RELEASE_META.sub(b"", db):
            out.append(f"内容不同：{name}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="逐个文件比较两个生成的网站（只忽略 gk-release 版本标记）。")
    parser.add_argument("site_a", type=Path, help="第一个网站目录")
    parser.add_argument("site_b", type=Path, help="第二个网站目录")
    args = parser.parse_args(argv)
    for site in (args.site_a, args.site_b):
        if not site.is_dir():
            print(f"{site}：不是目录", file=sys.stderr)
            return 2
    found = differences(args.site_a, args.site_b)
    for line in found:
        print(line)
    print(f"{len(files(args.site_a))} 个文件，{len(found)} 处不同。")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
