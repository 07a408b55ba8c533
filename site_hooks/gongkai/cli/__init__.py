"""gongkai — 政府信息公开网站的命令行工具。

用法:
    gongkai validate [--fix]     检查 data/ 下的全部数据(--fix 自动编号索引号、转换编码)
    gongkai build [--site-dir D]  生成网站(失败时保留原来的 site/)
    gongkai serve                 本地预览 http://127.0.0.1:8000,修改后自动刷新
    gongkai schema                生成编辑器用的 JSON Schema(schema/*.json)
    gongkai new                   新建一份计划文件(预留索引号)
    gongkai import FILE…          从 .txt/.md/.docx 导入计划;从旧平台迁移保存的网页(.html、文件夹)和目录导出表(.xlsx/.csv)
    gongkai bench                 性能基准:合成 100/1000/10000 条计划,测量并与 MkDocs 对比

每个子命令在 gongkai/cli/<名称>.py 中实现:register(subparsers) 和 run(args) -> int。

The entry point and one module per subcommand: argparse and printing only; the work is in the
packages below. May import every package of ours; only gongkai.cli.bench imports gongkai.bench,
and of the engine only gongkai.engine.build (build_site, serve_site).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from gongkai.cli.argparse_zh import ChineseParser

# Subcommand modules, in the order `gongkai --help` lists them.
COMMANDS = ["validate", "build", "serve", "schema", "cms", "new", "import_", "deploy", "rollback", "nginx", "bench"]


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder upwards holding mkdocs.yml and data/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    return here


def parser() -> argparse.ArgumentParser:
    p = ChineseParser(prog="gongkai", description="政府信息公开网站：检查数据、生成和发布网站。")
    p.add_argument("--root", type=Path, default=None, help="项目目录（默认：从当前目录向上查找 mkdocs.yml）")
    sub = p.add_subparsers(dest="command", metavar="命令", title="命令")
    for name in COMMANDS:
        module = importlib.import_module(f"gongkai.cli.{name}")
        cmd = module.register(sub)
        cmd.set_defaults(run=module.run)
    return p


def main(argv: list[str] | None = None) -> int:
    p = parser()
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
