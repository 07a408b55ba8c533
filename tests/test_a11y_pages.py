"""Every page type, in normal mode, 长辈版 and high-contrast colours: axe-core finds no WCAG 2.1 A/AA
violation, the structure is sound (lang, one h1, heading order, skip link, landmarks), and in 长辈版
the text sizes, contrast and target sizes meet the 适老化 numbers. Runs in Debian's Chromium."""
from __future__ import annotations

import pytest

from conftest_a11y import *  # noqa: F403 - fixtures and helpers

MODES = {
    "normal": {},
    "elder": {"elder": True},
    "high-contrast": {"scheme": "yellow-on-black"},
}


@pytest.fixture(scope="module")
def mode_pages(browser, a11y_server):
    """One browser page per mode, reused across the page types (a new context costs time)."""
    from urllib.parse import urlsplit

    pages: dict[str, object] = {}

    def get(mode: str):
        if mode not in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
            if MODES[mode]:
                context.add_init_script(settings_script(**MODES[mode]))
            page = context.new_page()
            page.gk_requests, page.gk_errors = [], []
            page.on("request", lambda req, page=page: page.gk_requests.append(req.url))
            page.on("pageerror", lambda exc, page=page: page.gk_errors.append(str(exc)))
            pages[mode] = page
        return pages[mode]

    yield get
    outside, errors = [], []
    for page in pages.values():
        outside += [u for u in page.gk_requests if urlsplit(u).hostname not in (None, "127.0.0.1")]
        errors += page.gk_errors
        page.context.close()
    assert not outside, "页面请求了本站以外的地址：\n" + "\n".join(outside)
    assert not errors, "页面脚本出错：\n" + "\n".join(errors)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("name,path", A11Y_PAGES, ids=[n for n, _ in A11Y_PAGES])
def test_axe_and_structure(mode_pages, a11y_server, mode, name, path):
    page = mode_pages(mode)
    response = page.goto(a11y_server + path)
    assert response.status == 200, f"{path} 返回 {response.status}"
    classes = page.evaluate("document.documentElement.className")
    assert ("gk-elder" in classes) == (mode == "elder")
    assert (page.evaluate("document.documentElement.dataset.gkScheme") or "") == MODES[mode].get("scheme", "")

    checks = page.evaluate(CHECKS)
    assert checks["lang"] == "zh-CN"
    assert "gk-skip" in checks["firstFocusable"], f"第一个可聚焦元素应是“跳到主要内容”，实际是 {checks['firstFocusable']}"
    assert checks["skipTarget"], "“跳到主要内容”的目标不存在"
    assert checks["mains"] == 1 and checks["banner"] and checks["footer"]
    headings = page.evaluate(JS_HEADINGS)
    assert [lvl for lvl, _ in headings].count(1) == 1, f"应有且只有一个 h1:{headings}"
    assert headings[0][0] == 1, f"第一个标题应是 h1:{headings}"
    for (prev, _), (lvl, text) in zip(headings, headings[1:]):
        assert lvl <= prev + 1, f"标题层级跳级：h{prev} 之后是 h{lvl}「{text}」"
    h1, text = page.evaluate("""() => [getComputedStyle(document.querySelector('h1')).color,
                                       getComputedStyle(document.querySelector('.md-typeset')).color]""")
    assert h1 == text and not h1.startswith("rgba"), f"h1 的颜色 {h1} 应与正文 {text} 相同（不透明，不发灰）"

    violations = run_axe(page, tags=AXE_TAGS + ["best-practice"])
    assert not violations, f"axe-core 在 {mode} 模式的 {path or '/'} 发现问题：\n" + format_violations(violations)

    if mode != "normal":  # 长辈版 and the high-contrast schemes: every text at least 7:1
        problems = page.evaluate(JS_TEXT_PROBLEMS, {"minContrast": 7})
        assert not problems, "对比度低于 7:1:\n" + dump(problems)
    if mode == "elder":
        problems = page.evaluate(JS_TEXT_PROBLEMS, {"minSize": 20})
        assert not problems, "长辈版桌面文字应不小于 20px:\n" + dump(problems)
        small = page.evaluate(JS_SMALL_TARGETS, 44)
        assert not small, "长辈版的链接和按钮应不小于 44×44px:\n" + dump(small)


OTHER_SETTINGS = [
    ({"scheme": "black-on-yellow", "open": True}, 7),
    ({"scheme": "white-on-blue", "open": True}, 7),
    ({"plain": True, "spacing": True, "zoom": 150, "open": True}, 4.5),
    ({"elder": True, "scheme": "white-on-blue", "zoom": 125, "open": True}, 7),
]


@pytest.mark.parametrize("settings,min_contrast", OTHER_SETTINGS, ids=["black-on-yellow", "white-on-blue", "plain", "elder-blue"])
def test_other_settings_on_the_plan_page(new_page, a11y_server, settings, min_contrast):
    """The other colour schemes and the text settings, with the toolbar open, on the plan page."""
    page = new_page()
    page.context.add_init_script(settings_script(**settings))
    page.goto(a11y_server + PLAN)
    assert (page.evaluate("document.documentElement.dataset.gkScheme") or "") == settings.get("scheme", "")
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    problems = page.evaluate(JS_TEXT_PROBLEMS, {"minContrast": min_contrast})
    assert not problems, f"对比度低于 {min_contrast}:1:\n" + dump(problems)
