"""Pre-commit hook: check the data files being committed with `gongkai validate`.

Usage:
    python3 scripts/precommit_validate.py data/plans/skjj/2024/a.yml ...   # problems of these files
    python3 scripts/precommit_validate.py --schema                         # schema/ up to date?

Creates .venv with `make install` the first time, so an editor who has only run
`pre-commit install` still gets the check. The whole project is loaded (索引号
must be unique across files), but only the problems of the committed files stop
the commit.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="提交前检查数据文件")
    parser.add_argument("files", nargs="*", help="要检查的文件")
    parser.add_argument("--schema", action="store_true", help="检查 schema/ 是否为最新")
    args = parser.parse_args(argv)
    gongkai = ROOT / ".venv" / "bin" / "gongkai"
    if not gongkai.exists() and not (ROOT / ".venv").exists():
        print("第一次运行:正在安装(make install)……", file=sys.stderr)
        subprocess.run(["make", "-s", "install"], cwd=ROOT, check=False)
    if not gongkai.exists():
        print("无法安装 gongkai,请先在项目目录运行 make install", file=sys.stderr)
        return 1
    if args.schema:
        command = [str(gongkai), "--root", str(ROOT), "schema", "--check"]
    else:
        if not args.files:
            return 0
        command = [str(gongkai), "--root", str(ROOT), "validate", *args.files]
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
