"""gongkai — 政府信息公开网站的命令行工具。

用法:
    gongkai validate [--fix]     检查 data/ 下的全部数据(--fix 自动编号索引号、转换编码)
    gongkai build [--site-dir D]  生成网站(失败时保留原来的 site/)
    gongkai serve                 本地预览 http://127.0.0.1:8000,修改后自动刷新
    gongkai schema                生成编辑器用的 JSON Schema(schema/*.json)
    gongkai new                   新建一份计划文件(预留索引号)
    gongkai import FILE…          从 .txt/.md/.docx 导入计划;从旧平台迁移保存的网页(.html、文件夹)和目录导出表(.xlsx/.csv)
    gongkai portal [portal.yml]   生成省级门户:各部门已发布网站的跨部门搜索、目录、网站地图索引
    gongkai bench                 性能基准:合成 100/1000/10000 条计划,测量并与 MkDocs 对比

每个子命令在 gongkai/cli/<名称>.py 中实现:register(subparsers) 和 run(args) -> int。

The entry point and one module per subcommand: argparse and printing only; the work is in the
packages below. May import every package of ours; only gongkai.cli.bench imports gongkai.bench,
and of the engine only gongkai.engine.build (build_site, serve_site).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from gongkai.cli.argparse_zh import ChineseParser

# Subcommand modules, in the order `gongkai --help` lists them.
COMMANDS = ["validate", "build", "serve", "schema", "cms", "new", "import_", "deploy", "rollback", "nginx", "portal", "bench"]


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder upwards holding mkdocs.yml and data/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    return here


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only`` (a subcommand's name), that subcommand alone.

    Each subcommand's module imports what it needs (the portal, the importers, the bench, boto3…):
    ``gongkai build`` importing all of them spent 0.2 s before its first step (issue 18)."""
    p = ChineseParser(prog="gongkai", description="政府信息公开网站：检查数据、生成和发布网站。")
    p.add_argument("--root", type=Path, default=None, help="项目目录（默认：从当前目录向上查找 mkdocs.yml）")
    sub = p.add_subparsers(dest="command", metavar="命令", title="命令")
    for name in COMMANDS:
        if only is not None and _command_name(name) != only:
            continue
        module = importlib.import_module(f"gongkai.cli.{name}")
        cmd = module.register(sub)
        cmd.set_defaults(run=module.run)
    return p


def _command_name(module: str) -> str:
    return module.rstrip("_")  # import_.py: `import` is a keyword


def named_command(argv: list[str]) -> str | None:
    """The subcommand ``argv`` names, if it names one before any help option; else None (then every
    subcommand is registered: the top-level help and the message for a mistyped one list them all)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return None
        if arg == "--root":
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg if arg in {_command_name(m) for m in COMMANDS} else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    p = parser(named_command(argv))
    args = p.parse_args(argv)
    if not getattr(args, "run", None):
        p.print_help()
        return 2
    args.root = find_root(args.root)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("\n已停止。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0


def entry() -> None:
    """The ``gongkai`` console script: :func:`main`, then end the process at once.

    When a command has returned, its files are closed and its processes waited for; what is left is
    the interpreter freeing every object one by one: after building 10,000 plans, millions of them
    and 0.7 s (issue 18). Only the output buffers still matter, so they are flushed and the process
    ends there. Tests call :func:`main`, which returns as usual."""
    try:
        code = main()
    except SystemExit as exc:  # argparse's --help and usage errors
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # output piped into `head` and the like
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
