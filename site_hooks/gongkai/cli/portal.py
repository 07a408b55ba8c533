"""gongkai portal: build a province portal (home, catalogue by department, one search across all
departments, sitemap index, Atom feed) from portal.yml and the departments' published sites."""
from __future__ import annotations

import sys
from pathlib import Path

from gongkai.portal.build import build_portal

EPILOG = """退出码：0 全部部门都已收入；3 门户已生成，但有部门无法读取而被跳过（见提示）；
1 portal.yml 有错误或没有一个部门可以读取，门户没有改变。说明见 docs/multisite.md。"""


def register(sub):
    import argparse

    p = sub.add_parser("portal", help="生成省级门户（跨部门搜索、信息公开目录、网站地图索引、订阅）",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="读取 portal.yml 中各部门已发布的网站（本机目录或网址），合并它们的搜索索引，生成门户的页面。")
    p.add_argument("config", type=Path, nargs="?", default=Path("portal.yml"), metavar="portal.yml",
                   help="门户配置文件（默认 portal.yml）")
    p.add_argument("--out", type=Path, default=Path("portal-site"), metavar="目录", help="输出目录（默认 portal-site）")
    p.add_argument("--cache", type=Path, default=None, metavar="目录",
                   help="各部门索引的缓存（默认 portal.yml 旁边的 .gongkai-portal-cache）：未重新发布的部门不再下载")
    return p


def run(args) -> int:
    result = build_portal(args.config, args.out, args.cache)
    for line in result.errors:
        print(line, file=sys.stderr)
    if result.code == 1:
        print("门户没有生成。", file=sys.stderr)
        return 1
    f = result.figures
    print(f"门户已生成：{args.out}（{len(result.included)} 个部门，{f['documents']} 条可检索，"
          f"索引 {f['shards']} 个分块）。")
    if result.fetched:
        print(f"重新读取的部门：{'、'.join(result.fetched)}；其余部门未变化，使用缓存。")
    if result.skipped:
        print(f"已跳过 {len(result.skipped)} 个部门：{'、'.join(result.skipped)}。", file=sys.stderr)
    return result.code
