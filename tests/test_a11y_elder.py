"""长辈版 in Chromium: entered from the link or ?mode=elder, applied before the first paint, kept
across navigation and reloads, left with 标准版; sizes, spacing, targets and the simple layout on
desktop and on a touch phone; 字体[大 中 小]; screenshots of the plan page (tests/artifacts/; the README's
images come from scripts/screenshots.py)."""
from __future__ import annotations

import pytest

from conftest_a11y import *  # noqa: F403 - fixtures and helpers



def elder_at_first_paint(page) -> bool:
    return "gk-elder" in page.evaluate("window.__gkAtBody")


def test_elder_link_persists_across_navigation_and_reload(new_page, a11y_server):
    page = new_page()
    page.context.add_init_script(AT_BODY)
    page.goto(a11y_server)
    assert not elder_at_first_paint(page)
    assert page.is_visible(".gk-toplinks__elder") and not page.is_visible(".gk-toplinks__standard")
    page.click(".gk-toplinks__elder")
    assert "gk-elder" in page.evaluate("document.documentElement.className")
    assert page.is_visible(".gk-toplinks__standard") and not page.is_visible(".gk-toplinks__elder")
    assert page.evaluate("document.activeElement.textContent") == "标准版", "切换后焦点应在“标准版”上"
    page.click(".md-content a >> text=政府信息公开")
    page.wait_for_url("**/xxgk/")
    assert elder_at_first_paint(page), "换页后长辈版应在首次绘制前生效"
    page.reload()
    assert elder_at_first_paint(page), "刷新后长辈版应在首次绘制前生效"
    page.click(".gk-toplinks__standard")
    assert "gk-elder" not in page.evaluate("document.documentElement.className")
    page.reload()
    assert not elder_at_first_paint(page)


def test_mode_parameter_on_any_page(new_page, a11y_server):
    page = new_page()
    page.context.add_init_script(AT_BODY)
    page.goto(a11y_server + PLAN + "?mode=elder#gk-main")
    assert elder_at_first_paint(page)
    assert page.url == a11y_server + PLAN + "#gk-main", "进入长辈版后网址中的 mode 参数应去掉"
    page.goto(a11y_server + "wzdt/")
    assert elder_at_first_paint(page)
    page.goto(a11y_server + "wzdt/?mode=standard")
    assert not elder_at_first_paint(page)
    page.goto(a11y_server + PLAN)
    assert not elder_at_first_paint(page)


METRICS = """() => {
  const p = document.querySelector('.gk-body p'), cs = getComputedStyle(p);
  const shown = (sel) => Array.from(document.querySelectorAll(sel)).some(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden');
  const transitions = Array.from(document.querySelectorAll('*')).filter(e => {
    const c = getComputedStyle(e); return c.transitionDuration.split(',').some(d => parseFloat(d) > 0) || c.animationName !== 'none'; });
  return {size: parseFloat(cs.fontSize), lineHeight: parseFloat(cs.lineHeight), marginBottom: parseFloat(cs.marginBottom),
          sidebars: shown('.md-sidebar'), drawerButton: shown('.md-header__button[for="__drawer"], .gk-drawer-button'), tabs: shown('.md-tabs'),
          header: getComputedStyle(document.querySelector('.md-header')).position, moving: transitions.length,
          parts: ['.md-header', '.gk-breadcrumb', 'h1', '.gk-meta', '.gk-body'].map(shown)};
}"""


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_elder_sizes_spacing_targets_and_simple_layout(new_page, a11y_server, device):
    if device == "desktop":
        page, min_text, min_target = new_page(width=1280, height=800), 20, 44
    else:
        page, min_text, min_target = new_page(width=375, height=740, has_touch=True, is_mobile=True, device_scale_factor=2), 18, 60
    page.context.add_init_script(settings_script(elder=True))
    page.goto(a11y_server + PLAN)
    if device == "phone":
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    m = page.evaluate(METRICS)
    assert m["size"] >= min_text, f"正文字号 {m['size']}px"
    assert m["lineHeight"] >= 1.5 * m["size"] - 0.01, f"行高 {m['lineHeight']}px"
    assert m["marginBottom"] >= 1.3 * m["lineHeight"] - 0.01, f"段距 {m['marginBottom']}px，行高 {m['lineHeight']}px"
    assert not m["sidebars"] and not m["drawerButton"] and not m["tabs"], "长辈版不应有侧边栏、导航抽屉和标签页"
    assert m["moving"] == 0, "长辈版不应有动画"
    assert m["header"] != "sticky"
    assert all(m["parts"]), "长辈版应有页头、当前位置、标题、信息索引和正文"
    problems = page.evaluate(JS_TEXT_PROBLEMS, {"minSize": min_text, "minContrast": 7})
    assert not problems, dump(problems)
    small = page.evaluate(JS_SMALL_TARGETS, min_target)
    assert not small, f"链接和按钮应不小于 {min_target}×{min_target}px:\n" + dump(small)
    page.click(".gk-toplinks__a11y")  # the toolbar's controls too
    small = page.evaluate(JS_SMALL_TARGETS, min_target)
    assert not small, dump(small)
    overflow = page.evaluate(JS_OVERFLOW)
    assert not overflow["out"], dump(overflow)

    # the larger setting: 字体 大 reaches 30 px
    page.click(".gk-fontsize button[data-size=large]")
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gk-body p')).fontSize)") >= 30


def test_font_switch_changes_body_text_and_remembers(new_page, a11y_server):
    page = new_page()
    page.goto(a11y_server + PLAN)
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gk-body p')).fontSize)")  # noqa: E731
    medium = size()
    assert page.is_visible(".gk-fontsize")
    page.click(".gk-fontsize button[data-size=large]")
    large = size()
    assert large > medium
    assert page.get_attribute(".gk-fontsize button[data-size=large]", "aria-pressed") == "true"
    page.reload()
    assert size() == large
    page.click(".gk-fontsize button[data-size=small]")
    assert size() < medium
    page.goto(a11y_server + "xxgk/skjj/2024/niandu-gongzuo-jihua/")
    assert size() < medium, "字号选择应在其他文章页也有效"


def test_stored_font_size_applies_before_the_deferred_script(new_page, a11y_server):
    """A stored 字体 choice is applied by init.js in <head>, not only by the deferred gongkai.js:
    with gongkai.js blocked the text is still large (no jump in size after the first paint)."""
    page = new_page()
    page.goto(a11y_server + PLAN)
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gk-body p')).fontSize)")  # noqa: E731
    medium = size()
    page.click(".gk-fontsize button[data-size=large]")
    large = size()
    assert large > medium
    page.route("**/assets/gongkai/gongkai.*.js", lambda route: route.abort())
    page.goto(a11y_server + "xxgk/skjj/2024/niandu-gongzuo-jihua/")
    assert not page.is_visible(".gk-fontsize")  # gongkai.js really did not run (it shows the switch)
    assert size() == large
    assert page.evaluate("document.documentElement.getAttribute('data-gk-font')") == "large"


SHOTS = [("desktop", 1280, 800, {}), ("phone", 375, 740, {"has_touch": True, "is_mobile": True})]


@pytest.mark.parametrize("mode", ["normal", "elder"])
@pytest.mark.parametrize("device,width,height,options", SHOTS, ids=[s[0] for s in SHOTS])
def test_screenshots_of_plan_page(new_page, a11y_server, mode, device, width, height, options):
    """Saves tests/artifacts/plan-<device>-<mode>.png for a look after a run (the README's images are made
    by scripts/screenshots.py)."""
    page = new_page(width=width, height=height, **options)
    if mode == "elder":
        page.context.add_init_script(settings_script(elder=True))
    page.goto(a11y_server + PLAN)
    page.evaluate("document.fonts.ready")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = ARTIFACTS / f"plan-{device}-{mode}.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 10_000
