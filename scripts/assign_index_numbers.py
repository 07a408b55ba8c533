"""After a merge into the main branch: write the new plans' 索引号, commit and push them.

Usage (CI runs it through `make index-numbers`, after `make install`):
    .venv/bin/python scripts/assign_index_numbers.py                  # origin/main
    .venv/bin/python scripts/assign_index_numbers.py --remote origin --branch main --retries 5

Steps: fetch the branch, check out its newest commit, stop on data errors (nothing is
published), run `gongkai validate --fix`, commit with a Chinese message and push. When the push
is rejected because another commit reached the branch meanwhile, it fetches and starts again
(at most --retries times); it never force-pushes and never changes a number that is already in
the repository. Afterwards the working tree is the commit to build and publish.
Exit status: 0 done (or nothing to number), 1 data errors, a removed number, or push failure.
The logic is in site_hooks/gongkai/editors/numbering.py; see docs/publishing.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assign_index_numbers.py",
                                description="合并到主分支后:写入新信息的索引号,提交并推送(推送被拒绝时重试)。")
    p.add_argument("--root", type=Path, default=None, help="项目目录(默认:从当前目录向上查找 mkdocs.yml)")
    p.add_argument("--remote", default="origin", help="远程仓库名(默认 origin)")
    p.add_argument("--branch", default="main", help="发布分支(默认 main)")
    p.add_argument("--retries", type=int, default=5, help="推送被拒绝后最多重试几次(默认 5)")
    p.add_argument("--delay", type=float, default=3.0, help="第 n 次重试前等待 n×DELAY 秒(默认 3)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "site_hooks"))  # when not installed
    from gongkai.cli import find_root
    from gongkai.editors.numbering import assign_and_push

    root = find_root(args.root)
    return assign_and_push(root, remote=args.remote, branch=args.branch, retries=max(0, args.retries),
                           delay=max(0.0, args.delay), say=lambda line: print(line, flush=True))


if __name__ == "__main__":
    sys.exit(main())
