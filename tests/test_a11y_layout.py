"""Reflow at 320 px and at 200 % browser zoom, pages without JavaScript, the print stylesheet, and
the size budget of the toolbar's script and styles."""
from __future__ import annotations

import gzip

import pytest

from conftest_a11y import *  # noqa: F403 - fixtures and helpers

from conftest import ROOT

ASSETS = ROOT / "templates" / "assets" / "gongkai"
TOOLBAR_FILES = ["a11y-init.js", "a11y.js", "a11y.css", "elder.css"]
BUDGET = 15 * 1024  # bytes, gzip -9, script and styles together


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("width", [320, 640], ids=["320px", "1280px-at-200%"])
def test_reflow_without_horizontal_scrolling(new_page, a11y_server, width, elder):
    """WCAG 1.4.10: 320 CSS px wide, and a 1280 px window at 200 % zoom (= 640 CSS px)."""
    touch = elder and width == 320  # a phone: 长辈版's touch targets must be 60 x 60 px
    page = new_page(width=width, height=700, has_touch=touch, is_mobile=touch)
    if elder:
        page.context.add_init_script(settings_script(elder=True))
    problems, small = {}, {}
    for name, path in A11Y_PAGES:
        page.goto(a11y_server + path)
        result = page.evaluate(JS_OVERFLOW)
        if result["out"] or result["scrollWidth"] > result["width"]:
            problems[name] = result
        if touch and page.evaluate(JS_SMALL_TARGETS, 60):
            small[name] = page.evaluate(JS_SMALL_TARGETS, 60)
    assert not problems, f"{width}px 宽时出现横向滚动或内容被截断：\n{dump(problems)}"
    assert not small, f"长辈版在触摸屏上的链接和按钮应不小于 60×60px:\n{dump(small)}"


NOJS_PAGES = [p for p in A11Y_PAGES]


def test_without_javascript_content_and_navigation_work(new_page, a11y_server):
    page = new_page(java_script_enabled=False)
    for name, path in NOJS_PAGES:
        page.goto(a11y_server + path)
        assert "gk-js" not in (page.get_attribute("html", "class") or "")
        assert page.locator("h1").count() == 1 and page.is_visible("h1"), name
        assert not page.is_visible("[data-gk-a11ybar]"), f"{name}：没有 JavaScript 时工具条应隐藏"
        assert not page.is_visible(".gk-toplinks__elder") and not page.is_visible(".gk-toplinks__standard"), name
        assert page.is_visible(".gk-toplinks__a11y"), f"{name}：“无障碍”应指向说明页"
        assert page.is_visible(".gk-footer a >> text=网站地图")
    page.goto(a11y_server + PLAN)
    assert not page.is_visible(".gk-fontsize")
    assert page.is_visible(".gk-body p >> nth=0") and page.is_visible(".gk-meta")
    # find a plan from the home page by following links, as a visitor would
    page.goto(a11y_server)
    page.click(".md-content a >> text=政府信息公开")
    page.click("a >> text=广德市科学技术局")
    page.click("a >> text=广德市科技局2024年工作计划")
    assert page.url == a11y_server + PLAN
    page.click(".gk-toplinks__a11y")
    assert page.url == a11y_server + "wza/"
    assert page.is_visible("text=Alt+Shift+W")


def test_print_is_a_clean_document(new_page, a11y_server):
    page = new_page()
    page.context.add_init_script(settings_script(open=True, guides=True))
    page.goto(a11y_server + PLAN)
    page.emulate_media(media="print")
    for sel in (".gk-a11ybar", ".gk-toplinks", ".md-header", ".md-sidebar--primary", ".gk-breadcrumb", ".gk-fontsize",
                ".gk-footer", ".gk-guide--x", ".gk-skip"):
        assert not page.is_visible(sel), f"打印时不应出现 {sel}"
    for sel in ("h1", ".gk-meta", ".gk-body", ".gk-print-url"):
        assert page.is_visible(sel), f"打印时应有 {sel}"
    url = page.inner_text(".gk-print-url")
    assert url.startswith("本页网址：https://") and url.endswith("/xxgk/gdkjj/2024/gongzuo-jihua/"), url
    colour = page.evaluate("getComputedStyle(document.querySelector('.gk-body p')).color")
    assert colour == "rgb(0, 0, 0)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "plan-print.pdf"), format="A4")
    page.emulate_media(media="screen")
    assert not page.is_visible(".gk-print-url")


def test_toolbar_script_and_styles_stay_small(capsys):
    sizes = {name: (len((ASSETS / name).read_bytes()), len(gzip.compress((ASSETS / name).read_bytes(), 9)))
             for name in TOOLBAR_FILES}
    total = sum(z for _, z in sizes.values())
    with capsys.disabled():
        print("\n无障碍工具条体积（原始 / gzip）：" + "，".join(f"{n} {r} / {z} B" for n, (r, z) in sizes.items())
              + f"；合计 gzip {total} B")
    assert total < BUDGET, f"工具条脚本和样式 gzip 后共 {total} 字节，超过 {BUDGET} 字节"
