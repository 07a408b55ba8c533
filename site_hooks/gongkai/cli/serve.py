"""gongkai serve: preview at http://127.0.0.1:8000 with live reload on data/, content/, templates/."""
from __future__ import annotations

import logging
import os
import sys


def register(sub):
    p = sub.add_parser("serve", help="本地预览(自动刷新)", description="生成网站并在本机预览,修改文件后浏览器自动刷新。")
    p.add_argument("--addr", default="127.0.0.1:8000", help="监听地址,默认 127.0.0.1:8000")
    return p


class _NotDirtyWarning(logging.Filter):
    """MkDocs warns in English at every dirty build; the preview chose dirty builds on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def run(args) -> int:
    from mkdocs.commands import serve as mkdocs_serve

    from gongkai.engine.adapter import DataError

    os.environ["GONGKAI_SERVE"] = "1"
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("mkdocs.commands.build").addFilter(_NotDirtyWarning())
    print(f"正在生成并启动预览:http://{args.addr}/ (按 Ctrl+C 停止)")
    try:
        # Not strict: while an editor is mid-edit, a broken link is a warning in the terminal, not a dead
        # preview. `gongkai build` (and so publishing) stays strict.
        # Dirty builds: after an edit only the pages that changed are written (gongkai.mkdocs_site._skip_unchanged).
        mkdocs_serve.serve(config_file=str(args.root / "mkdocs.yml"), dev_addr=args.addr, livereload=True, strict=False,
                           build_type="dirty")
    except DataError as exc:
        print(exc.code, file=sys.stderr)
        return 1
    return 0
