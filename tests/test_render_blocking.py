"""What holds up a page's first paint (issue 9, item 4), measured in Chromium, and the build step that
makes it small (gongkai/engine/bundles.py).

Only three requests may block rendering: Material's stylesheet, the site's one stylesheet (site.css,
joined from gongkai.css, targets.css, a11y.css and elder.css) and the one synchronous script (init.js:
Material's __md_* helpers and the stored 长辈版 / 无障碍 settings, which must apply before the first
paint). Every other script is deferred, and still does its work."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest_a11y import *  # noqa: F403 - fixtures and helpers
from conftest import ROOT, copy_project
from gongkai.engine import bundles

BLOCKING = {"assets/stylesheets/main.*.min.css", "assets/gongkai/site.*.css", "assets/gongkai/init.*.js"}
DEFERRED = {"assets/javascripts/bundle.*.min.js", "assets/gongkai/material-content.*.js",
            "assets/gongkai/gongkai.*.js", "assets/gongkai/a11y.*.js"}

RESOURCES = """() => performance.getEntriesByType('resource').map(e => ({
  url: e.name, type: e.initiatorType, blocking: e.renderBlockingStatus}))"""


def unfingerprinted(url: str, base: str) -> str:
    return re.sub(r"\.[0-9a-f]{8}\.", ".*.", url.removeprefix(base).split("?")[0])


def load_cold(new_page, a11y_server, url: str, **options):
    # The pages' own Content-Security-Policy applies (no bypass): everything must load under it.
    page = new_page(bypass_csp=False, **options)
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(a11y_server + url, wait_until="networkidle")
    entries = page.evaluate(RESOURCES)
    return page, entries, failed


@pytest.mark.parametrize("url", [PLAN, "", "search/"], ids=["plan", "home", "search"])
def test_only_what_the_first_paint_needs_blocks_rendering(new_page, a11y_server, url):
    page, entries, failed = load_cold(new_page, a11y_server, url)
    blocking = {unfingerprinted(e["url"], a11y_server) for e in entries if e["blocking"] == "blocking"}
    assert blocking == BLOCKING, f"阻塞首次绘制的请求应只有 {sorted(BLOCKING)}，实际为 {sorted(blocking)}"
    loaded = {unfingerprinted(e["url"], a11y_server) for e in entries}
    assert DEFERRED <= loaded, f"延后加载的脚本没有全部加载：{sorted(DEFERRED - loaded)}"
    assert not failed, f"页面请求失败：{failed}"
    assert all(u.startswith(a11y_server) or u.startswith(("data:", "blob:")) for u in page.gk_requests), page.gk_requests
    # Material's palette.css is not loaded at all (its rules are for named palettes, not `custom`).
    assert not any("palette" in u for u in loaded)


def test_deferred_scripts_still_do_their_work(new_page, a11y_server):
    page, _, _ = load_cold(new_page, a11y_server, PLAN)
    state = page.evaluate("""() => ({
        materialRan: document.documentElement.classList.contains('js') && !document.documentElement.classList.contains('no-js'),
        scope: window.__md_scope && window.__md_scope.pathname,
        fontSwitchShown: !document.querySelector('[data-gk-fontsize]').hidden,
        initRan: document.documentElement.classList.contains('gk-js'),
    })""")
    assert state == {"materialRan": True, "scope": "/", "fontSwitchShown": True, "initRan": True}
    page.click("[data-gk-fontsize] button[data-size=large]")  # gongkai.js
    assert page.evaluate("document.documentElement.getAttribute('data-gk-font')") == "large"
    page.click(".gk-toplinks__a11y")  # a11y.js: the toolbar opens
    assert page.is_visible("[data-gk-a11ybar]")
    page.click(".gk-toplinks__elder")  # a11y.js: 长辈版 switch
    assert "gk-elder" in page.evaluate("document.documentElement.className")
    assert not any("search." in u for u in page.gk_requests), "搜索脚本应在点入搜索框后才下载"
    page.focus("#gk-search-input")  # gongkai.js: the search script loads on focus
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => /\\/search\\.[0-9a-f]{8}\\.js$/.test(e.name))")


def test_phone_drawer_opens(new_page, a11y_server):
    page, _, _ = load_cold(new_page, a11y_server, PLAN, width=375, height=700, has_touch=True, is_mobile=True)
    page.click("button.gk-drawer-button")  # a11y.js puts it in place of Material's <label for=__drawer>
    assert page.evaluate("document.getElementById('__drawer').checked")
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    assert page.is_visible(".md-sidebar--primary .md-nav__link")


def test_bundles_hold_their_parts_in_order_and_replace_them(sample_site):
    for name, parts in bundles.BUNDLES.items():
        text = (sample_site / name).read_text(encoding="utf-8")
        positions = []
        for part in parts:
            source = bundles.minified(part, (ROOT / "templates" / part).read_bytes()).decode("utf-8").strip()
            assert source in text, f"{name} 中缺少 {part}（压缩后）"
            positions.append(text.index(source))
            assert not (sample_site / part).exists(), f"{part} 已合并进 {name}，不应单独发布"
        assert positions == sorted(positions), f"{name} 中各部分的顺序不对"
    html = (sample_site / PLAN / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<link rel="stylesheet"', html)) == 2
    assert len(re.findall(r"<script src=[^>]*></script>", html)) - len(re.findall(r"<script src=[^>]* defer></script>", html)) == 1


@pytest.mark.parametrize("ending", ["})()", "})();", "var a = 1\n"])
def test_joined_scripts_never_run_into_each_other(ending):
    joined = bundles.join("x.js", [("a.js", ending.encode()), ("b.js", b"(function () {})();")]).decode()
    assert f"{ending.rstrip().rstrip(';')};\n" in joined
    assert joined.index("a.js") < joined.index("b.js")


def test_a_missing_part_stops_the_build_with_a_chinese_message(tmp_path):
    project = copy_project(tmp_path / "kj")
    (project / "templates" / "assets" / "gongkai" / "elder.css").unlink()
    code = "import sys; from gongkai.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, "--root", str(project), "build", "--site-dir", str(tmp_path / "site")],
                          capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "templates/assets/gongkai/elder.css：找不到这个文件" in out and "Traceback" not in out, out
    assert not (tmp_path / "site").exists()
