"""Screenshots of the web editor for docs/editing-guide.md (docs/screenshots/editor-*.png).

Usage:
    .venv/bin/python scripts/editor_screenshots.py                # writes docs/screenshots/editor-*.png
    .venv/bin/python scripts/editor_screenshots.py --out /tmp/shots

What it does: copies the sample project into a temporary git repository, starts ``gongkai serve`` there
(with the editor's local backend on 127.0.0.1), and in Debian's Chromium opens /admin/, fills a new plan
the way tests/test_cms_browser.py does, and photographs the steps: the list of plans, the form, the
targets, the preview in 长辈版. Nothing is saved into this repository; no request leaves 127.0.0.1.

Needs ``make test-deps`` (Chromium, Decap CMS, decap-server). Exit status 0, or 2 on a setup error.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "site_hooks")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="网页编辑器的截图(写入 docs/screenshots/)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="输出目录")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from conftest_cms import EditorServer, editor_page, fill_new_plan, git_repo, open_editor
    from gongkai.bench.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        print(f"找不到 {CHROMIUM}:请先运行 make test-deps", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = EditorServer(git_repo(Path(tmp) / "repo"))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = editor_page(browser, 1280, 800)
                open_editor(page, server.url, "/collections/plans")
                page.get_by_text("市科学技术局2024年工作计划").first.wait_for()
                page.screenshot(path=str(args.out / "editor-list.png"))
                page.goto(server.url + "admin/#/collections/plans/new")
                fill_new_plan(page)
                page.locator('[id^="标识-field-"]').first.scroll_into_view_if_needed()
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(args.out / "editor-form.png"))
                page.get_by_text("新增指标").first.scroll_into_view_if_needed()
                page.locator('input[id^="编号-field-"]').first.scroll_into_view_if_needed()
                page.screenshot(path=str(args.out / "editor-targets.png"))
                frame = page.frame_locator("iframe").first
                frame.get_by_role("button", name="切换到长辈版").click()
                frame.locator("h1.gk-plan__title").scroll_into_view_if_needed()
                page.screenshot(path=str(args.out / "editor-preview-elder.png"))
                if page.gk_outside:
                    print("请求了 127.0.0.1 以外的地址:\n" + "\n".join(page.gk_outside), file=sys.stderr)
                    return 2
                browser.close()
        finally:
            server.stop()
    for name in ("editor-list", "editor-form", "editor-targets", "editor-preview-elder"):
        print(f"已写入 {args.out / (name + '.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
