"""Screenshots of the public site for the README (docs/screenshots/<page>-<desktop|phone>-<normal|elder>.png).

Usage:
    .venv/bin/python scripts/screenshots.py                 # writes docs/screenshots/{home,xxgk,plan}-*.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --pages plan

What it does: builds the sample project in a temporary folder (outside git), serves it on 127.0.0.1,
and in Debian's Chromium photographs the home page, 政府信息公开首页 (scrolled to 最新信息) and a plan
page at 1280 px (desktop) and 390 px (phone), in 标准版 and 长辈版: twelve PNGs. With Pillow installed
the PNGs are re-encoded with a 256-colour palette (smaller files); each should stay under 150 KB.
Not part of ``make test``; run it after a visible change and commit the images.

Needs ``make test-deps`` (Chromium, Chinese fonts). Exit status 0, 1 when an image is over the size
limit, 2 on a setup error.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "site_hooks")]

PAGES = {  # name: (path, element to scroll to or "")
    "home": ("", ""),
    "xxgk": ("xxgk/", "#gk-latest"),
    "plan": ("xxgk/gdkjj/2024/gongzuo-jihua/", ""),
}
DEVICES = {"desktop": (1280, 800, {}), "phone": (390, 844, {"has_touch": True, "is_mobile": True})}
MODES = ("normal", "elder")
LIMIT = 150_000  # bytes per image


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


def _shrink(path: Path) -> None:
    """Re-encode as a palette PNG when Pillow is there (screenshots have few colours)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="公开网站的截图（写入 docs/screenshots/，README 中引用）")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="输出目录")
    parser.add_argument("--pages", nargs="+", choices=sorted(PAGES), default=list(PAGES), help="只拍这些页面")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from conftest import cli_build, copy_project
    from gongkai.bench.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        print(f"找不到 {CHROMIUM}：请先运行 make test-deps", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "proj")
        proc = cli_build(project, project / "site")
        if proc.returncode != 0:
            print(f"示例网站生成失败：\n{proc.stdout}\n{proc.stderr}", file=sys.stderr)
            return 2
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(project / "site")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for device, (width, height, options) in DEVICES.items():
                    for mode in MODES:
                        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", **options)
                        page = context.new_page()
                        for name in args.pages:
                            path, anchor = PAGES[name]
                            page.goto(base + path + ("?mode=elder" if mode == "elder" else "?mode=standard"))
                            page.evaluate("document.fonts.ready")
                            if anchor:
                                page.evaluate("(sel) => { document.querySelector(sel).scrollIntoView(); scrollBy(0, -90); }", anchor)
                                page.wait_for_timeout(500)  # Material's header title changes on scroll, animated
                            out = args.out / f"{name}-{device}-{mode}.png"
                            page.screenshot(path=str(out))
                            _shrink(out)
                            written.append(out)
                        context.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()
    too_big = [p for p in written if p.stat().st_size > LIMIT]
    for p in written:
        print(f"已写入 {p}（{p.stat().st_size // 1000} KB）")
    if too_big:
        print("这些图片超过 150 KB，请缩小截图范围：" + "、".join(p.name for p in too_big), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
