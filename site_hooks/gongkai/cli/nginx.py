"""gongkai nginx: print the nginx configuration for the published site (security headers from gongkai/csp.py)."""
from __future__ import annotations

from pathlib import Path

from gongkai.publish.hosting import server_block, standalone


def register(sub):
    p = sub.add_parser("nginx", help="输出 nginx 配置",
                       description="输出服务本网站的 nginx 配置：压缩、缓存、安全头（CSP 等）、404 页面、UTF-8。"
                                   "把输出保存到 /etc/nginx/sites-available/ 下，再运行 nginx -t 检查。")
    p.add_argument("--root", dest="site_root", default="/srv/www/site/current",
                   help="网站根目录：gongkai deploy 目标下的 current（默认 /srv/www/site/current）")
    p.add_argument("--server-name", default="_", help="域名，例如 kj.example.gov.cn")
    p.add_argument("--listen", default="80", help="监听地址和端口（默认 80）")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--brotli", action="store_true", default=None, help="启用 brotli 压缩（默认：系统 nginx 装有该模块时启用）")
    group.add_argument("--no-brotli", dest="brotli", action="store_false", help="不启用 brotli")
    p.add_argument("--standalone", type=Path, default=None, metavar="目录",
                   help="输出只服务本网站的完整 nginx.conf，pid、日志和临时文件放在这个目录")
    return p


def run(args) -> int:
    if args.standalone:
        print(standalone(args.site_root, args.standalone.resolve(), listen=args.listen,
                         server_name=args.server_name, brotli=args.brotli), end="")
    else:
        print(server_block(args.site_root, server_name=args.server_name, listen=args.listen, brotli=args.brotli), end="")
    return 0
