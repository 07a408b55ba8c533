"""gongkai serve: preview at http://127.0.0.1:8000 with live reload on data/, content/, templates/.

The web editor is at /admin/: its local backend (decap-server, gongkai.editors.cms_server) runs on
127.0.0.1 beside the preview and stops with it.
"""
from __future__ import annotations

import os
import signal
import sys

from gongkai.editors import cms_server
from gongkai.engine.build import serve_site
from gongkai.runtime.ports import in_use


def register(sub):
    p = sub.add_parser("serve", help="本地预览（自动刷新）", description="生成网站并在本机预览，修改文件后浏览器自动刷新；网页编辑器在 /admin/。")
    p.add_argument("--addr", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
    p.add_argument("--cms-port", type=int, default=int(os.environ.get("GONGKAI_CMS_PORT") or 8081),
                   help="网页编辑器本机后端的端口（只在 127.0.0.1 上），默认 8081")
    return p


def _port_taken(args) -> str:
    """A Chinese sentence saying what to do when the preview's or the editor backend's port is taken, else ""."""
    host, _, port = args.addr.rpartition(":")
    if port.isdigit() and in_use(host or "127.0.0.1", int(port)):
        n = int(port)
        return (f"端口 {n} 已被占用（可能已经有一个预览在运行）。请先关闭它，或换一个端口："
                f"make serve PORT={n + 1}（或 gongkai serve --addr {host or '127.0.0.1'}:{n + 1}）。")
    if not cms_server.missing() and in_use("127.0.0.1", args.cms_port):
        n = args.cms_port
        return (f"网页编辑器本机后端（decap-server）的端口 {n} 已被占用（可能已经有一个预览在运行）。"
                f"请先关闭它，或换一个端口：gongkai serve --cms-port {n + 1}。")
    return ""


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt  # like Ctrl+C: the server stops and the editor backend with it (finally below)


def run(args) -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # a service manager or CI stops the preview with SIGTERM
    taken = _port_taken(args)
    if taken:
        print(taken, file=sys.stderr)
        return 1
    os.environ["GONGKAI_CMS_PORT"] = str(args.cms_port)  # read by the generated config.yml (gongkai.pages.admin)
    print(f"正在生成并启动预览：http://{args.addr}/ （按 Ctrl+C 停止）")
    backend = cms_server.start(args.root, args.cms_port)
    if backend is None:
        print(f"提醒：{cms_server.missing()}。")
    else:
        print(f"网页编辑器：http://{args.addr}/admin/ （直接修改本文件夹中的文件；提交和审核仍通过 git）")
    try:
        return serve_site(args.root, args.addr)
    finally:
        cms_server.stop(backend)
