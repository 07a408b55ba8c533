"""gongkai build: validate, then build the site into a temporary folder and swap it in."""
from __future__ import annotations

from pathlib import Path

from gongkai.engine.build import build_site


def register(sub):
    p = sub.add_parser("build", help="生成网站", description="检查数据并生成网站；失败时原来的网站目录保持不变。")
    p.add_argument("--site-dir", type=Path, default=None, help="输出目录（默认 site/）")
    p.add_argument("--drafts", action="store_true",
                   help="审阅用：草稿、待核对的内容只提醒并在页面上标出（与预览相同）；这样生成的网站不要发布")
    return p


def run(args) -> int:
    return build_site(args.root, args.site_dir, drafts=args.drafts)
