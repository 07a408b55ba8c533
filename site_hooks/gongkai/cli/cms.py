"""gongkai cms: write the web editor's config.yml (Decap CMS), generated from the one schema and data/.

Usage: ``gongkai cms`` prints it; ``gongkai cms -o site-admin/admin/config.yml`` writes it; ``--local``
makes the preview variant (local backend on 127.0.0.1, as ``make serve`` uses). Every build writes the
same file into the editor (``site/admin/`` in preview, ``site-admin/admin/``): nothing to keep by hand.
"""
from __future__ import annotations

import sys
from pathlib import Path

from gongkai.data.loader import load_project
from gongkai.pages.admin import cms_config, config_yaml, read_editor_option


def register(sub):
    p = sub.add_parser("cms", help="生成网页编辑器的配置（config.yml）",
                       description="根据数据格式（schema）和 data/ 下的词表生成网页编辑器 Decap CMS 的 config.yml。")
    p.add_argument("-o", "--output", type=Path, default=None, help="写入的文件（默认输出到屏幕）")
    p.add_argument("--local", action="store_true", help="本机预览用的配置（连接 127.0.0.1 上的本机后端）")
    return p


def run(args) -> int:
    project, problems = load_project(args.root)
    if project is None:
        print(problems.report(), file=sys.stderr)
        print("数据检查未通过，没有生成网页编辑器的配置。", file=sys.stderr)
        return 1
    backend = read_editor_option(args.root).get("backend")
    text = config_yaml(cms_config(project, args.root, local=args.local, backend=None if args.local else backend))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"{args.output}: 无法写入：{exc.strerror or exc} — 请检查路径和权限", file=sys.stderr)
        return 1
    print(f"已写入 {args.output}")
    return 0
