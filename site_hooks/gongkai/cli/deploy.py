"""gongkai deploy: validate, build, then publish the site to a folder, a server (rsync over ssh) or object storage."""
from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path
from typing import Iterator

from gongkai.engine.build import build_site
from gongkai.publish.deploy import DEFAULT_KEEP, DeployError, check_site, parse_target

TARGETS = """发布目标：
  /srv/www/kj                       本机目录（网站根目录指向 /srv/www/kj/current）
  deploy@www.example.gov.cn:/srv/www/kj   服务器目录，用 rsync 经 ssh 上传
  ssh://deploy@www.example.gov.cn:2222/srv/www/kj   同上，指定 ssh 端口
  s3://存储桶/前缀                  S3 兼容对象存储（需要 boto3；--endpoint-url 指定服务地址）"""


def build_for_deploy(root: Path, into: Path) -> Path:
    """Validate and build the project into ``into``/site; DeployError (nothing published) if that fails."""
    site = Path(into) / "site"
    if build_site(Path(root), site, quiet=True) != 0:
        raise DeployError("数据检查或网站生成没有通过（见上面的提示），已取消发布；线上网站没有改变。")
    return site


@contextlib.contextmanager
def built_site(root: Path, existing: Path | None) -> Iterator[Path]:
    """The site to publish: ``existing`` (checked) or a fresh build in a temporary folder."""
    if existing is not None:
        check_site(existing)
        yield Path(existing)
        return
    with tempfile.TemporaryDirectory(prefix="gongkai-deploy-") as tmp:
        yield build_for_deploy(root, Path(tmp))


def add_target_options(p) -> None:
    p.add_argument("target", metavar="目标", help="发布目标（见下方说明）")
    p.add_argument("--ssh", default=None, help="ssh 命令，例如 \"ssh -i ~/.ssh/deploy_key\"（默认取环境变量 GONGKAI_SSH 或 ssh）")
    p.add_argument("--rsync", default=None, help="rsync 命令（默认 rsync）")
    p.add_argument("--endpoint-url", default=None, help="对象存储的服务地址（默认取环境变量 GONGKAI_S3_ENDPOINT 或 AWS_ENDPOINT_URL）")


def register(sub):
    import argparse

    p = sub.add_parser("deploy", help="发布网站（原子切换，可回滚）", epilog=TARGETS,
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="检查数据、生成网站，再发布到目标：每次发布是一个新版本，全部上传完成后一次切换上线；"
                                   "检查或生成失败时不发布。")
    add_target_options(p)
    p.add_argument("--from", dest="site", type=Path, default=None, metavar="目录",
                   help="发布已经生成好的网站目录（例如 CI 里 make build 的 site/），不再重新生成")
    p.add_argument("--keep", type=int, default=DEFAULT_KEEP, help=f"保留最近几个版本（默认 {DEFAULT_KEEP}）")
    return p


def run(args) -> int:
    try:
        target = parse_target(args.target, ssh=args.ssh, rsync=args.rsync, endpoint_url=args.endpoint_url)
        with built_site(args.root, args.site) as site:
            result = target.publish(site, keep=args.keep)
    except DeployError as exc:
        print(f"发布失败：{exc}", file=sys.stderr)
        return 1
    print(f"已发布：{target} 现在是版本 {result.name}。")
    if result.previous:
        print(f"上一个版本是 {result.previous}；如需撤回，运行：gongkai rollback {args.target}")
    if result.pruned:
        print(f"已删除较旧的版本：{'、'.join(result.pruned)}")
    return 0
