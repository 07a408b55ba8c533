"""gongkai rollback: make the previous release live again (one atomic switch; nothing is rebuilt)."""
from __future__ import annotations

import sys

from gongkai.publish.deploy import DeployError, parse_target
from gongkai.cli.deploy import TARGETS, add_target_options


def register(sub):
    import argparse

    p = sub.add_parser("rollback", help="回滚到上一个版本", epilog=TARGETS,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="把目标上的网站切换回上一个发布的版本（或 --to 指定的版本），几秒内生效。")
    add_target_options(p)
    p.add_argument("--to", default=None, metavar="版本", help="切换到这个版本（名称见 --list）")
    p.add_argument("--list", action="store_true", help="只列出目标上保留的版本")
    return p


def run(args) -> int:
    try:
        target = parse_target(args.target, ssh=args.ssh, rsync=args.rsync, endpoint_url=args.endpoint_url)
        if args.list:
            live = target.current()
            releases = target.releases()
            if not releases:
                print(f"{target} 上还没有发布过网站。")
            for name in releases:
                print(f"{'* ' if name == live else '  '}{name}{'  （当前）' if name == live else ''}")
            return 0
        result = target.rollback(args.to)
    except DeployError as exc:
        print(f"回滚失败：{exc}", file=sys.stderr)
        return 1
    print(f"已回滚：{target} 现在是版本 {result.name}（原来是 {result.previous or '无'}）。")
    return 0
