"""Keyboard-only use in Chromium: the skip link, a visible focus on everything Tab reaches, the
navigation drawer on phones (Material's is a <label> a keyboard cannot reach), and no focus on
things that are not on screen."""
from __future__ import annotations

import pytest

from conftest_a11y import *  # noqa: F403 - fixtures and helpers

FOCUS = """() => { const e = document.activeElement, r = e.getBoundingClientRect(), cs = getComputedStyle(e);
  return {body: e === document.body, text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 20), cls: String(e.className), id: e.id,
          role: e.getAttribute('role') || (e.tagName === 'BUTTON' ? 'button' : null), expanded: e.getAttribute('aria-expanded'),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
          outline: cs.outlineStyle !== 'none' ? parseFloat(cs.outlineWidth) : 0, vw: innerWidth}; }"""


def test_skip_link_goes_past_the_header_to_the_content(new_page, a11y_server):
    page = new_page()
    page.goto(a11y_server + PLAN)
    page.keyboard.press("Tab")
    f = page.evaluate(FOCUS)
    assert f["text"] == "跳到主要内容" and f["top"] >= 0 and f["height"] > 20, f"“跳到主要内容”获得焦点时应可见：{f}"
    assert f["outline"] >= 2
    page.keyboard.press("Enter")
    assert page.url.endswith("#gk-main")
    assert page.evaluate("document.activeElement.id") == "gk-main"
    page.keyboard.press("Tab")
    f = page.evaluate(FOCUS)
    assert f["text"] == "网站首页" and page.evaluate("!!document.activeElement.closest('.gk-breadcrumb')"), \
        f"跳过页头后，下一个焦点应是正文的第一个链接：{f}"


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_every_tab_stop_is_on_screen_and_visibly_focused(new_page, a11y_server, width, elder):
    page = new_page(width=width, height=800)
    if elder:
        page.context.add_init_script(settings_script(elder=True))
    page.goto(a11y_server + PLAN)
    count = page.evaluate("""() => Array.from(document.querySelectorAll('a[href],button,input,[tabindex]'))
        .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden').length""")
    seen = []
    for _ in range(count + 1):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUS)
        if f["body"]:
            break  # past the last tab stop
        seen.append(f)
        assert f["outline"] >= 2, f"焦点框不明显：{f}"
        assert f["right"] > 0 and f["left"] < f["vw"] and f["width"] > 0, f"焦点落在屏幕外的元素上：{f}"
    texts = [f["text"] for f in seen]
    assert "网站首页" in texts and any("联系我们" in t for t in texts) and "无障碍" in texts, texts
    if width == 375 and not elder:
        assert "导航菜单" in texts, "手机上应能用 Tab 到达导航菜单按钮"


def test_drawer_opens_and_closes_with_the_keyboard_on_phones(new_page, a11y_server):
    page = new_page(width=375, height=740)
    page.goto(a11y_server + PLAN)
    for _ in range(4):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUS)
        if f["text"] == "导航菜单":
            break
    assert f["text"] == "导航菜单" and f["role"] == "button" and f["expanded"] == "false", f
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked")
    f = page.evaluate(FOCUS)
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')"), f"打开后焦点应在导航菜单里：{f}"
    page.wait_for_timeout(300)  # Material slides the drawer in
    f = page.evaluate(FOCUS)
    assert f["left"] >= 0 and f["right"] <= f["vw"], f
    assert page.evaluate("document.querySelector('.gk-drawer-button').getAttribute('aria-expanded')") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__drawer').checked")
    f = page.evaluate(FOCUS)
    assert f["text"] == "导航菜单" and f["expanded"] == "false", "按 Esc 关闭后焦点应回到导航菜单按钮"
    page.keyboard.press(" ")
    assert page.evaluate("document.getElementById('__drawer').checked"), "空格键也应能打开导航菜单"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # follows the first link of the drawer: the site's home page
    assert page.url == a11y_server
