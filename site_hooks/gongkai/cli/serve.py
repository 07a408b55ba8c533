"""gongkai serve: preview at http://127.0.0.1:8000 with live reload on data/, content/, templates/."""
from __future__ import annotations

from gongkai.engine.build import serve_site


def register(sub):
    p = sub.add_parser("serve", help="本地预览(自动刷新)", description="生成网站并在本机预览,修改文件后浏览器自动刷新。")
    p.add_argument("--addr", default="127.0.0.1:8000", help="监听地址,默认 127.0.0.1:8000")
    return p


def run(args) -> int:
    print(f"正在生成并启动预览:http://{args.addr}/ (按 Ctrl+C 停止)")
    return serve_site(args.root, args.addr)
