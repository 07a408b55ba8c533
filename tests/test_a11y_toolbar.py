"""The 无障碍 toolbar in Chromium: keyboard-only operation of every control, persistence,
shortcut keys, page zoom with reflow, guide lines, cursor, plain text, and read-aloud through the
Web Speech API (the voice list and the engine are stubbed in the test, never in the code)."""
from __future__ import annotations

import pytest

from conftest_a11y import *  # noqa: F403 - fixtures and helpers

TITLE = "广德市科技局2024年工作计划"


def html_state(page) -> dict:
    return page.evaluate("""() => ({
        classes: document.documentElement.className.split(/\\s+/),
        zoom: document.documentElement.dataset.gkZoom || '100',
        scheme: document.documentElement.dataset.gkScheme || '',
        rootSize: parseFloat(getComputedStyle(document.documentElement).fontSize),
        barHidden: document.querySelector('[data-gk-a11ybar]').hidden,
        barShown: getComputedStyle(document.querySelector('[data-gk-a11ybar]')).display !== 'none',
        status: document.querySelector('[data-gk-out=status]').textContent,
        pressed: Array.from(document.querySelectorAll('[data-gk-a11ybar] [aria-pressed=true]')).map(b => b.textContent.replace('✓', '').trim()),
        stored: JSON.parse(localStorage.getItem('gongkai.a11y') || '{}'),
    })""")


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect(), cs = getComputedStyle(e);
        return {text: (e.innerText || '').trim(), cls: e.className, tag: e.tagName, id: e.id, disabled: !!e.disabled,
                top: r.top, left: r.left, right: r.right, bottom: r.bottom, width: r.width,
                outline: cs.outlineStyle !== 'none' ? parseFloat(cs.outlineWidth) : 0,
                pressed: e.getAttribute('aria-pressed'), expanded: e.getAttribute('aria-expanded')}; }""")


def wait_status(page, text: str):
    page.wait_for_function("t => document.querySelector('[data-gk-out=status]').textContent.includes(t)", arg=text, timeout=3000)


def spoken(page) -> list[dict]:
    return page.evaluate("__tts.spoken()")


def test_keyboard_alone_reaches_and_operates_every_control(new_page, a11y_server):
    page = new_page()
    page.context.add_init_script(tts_stub())
    page.goto(a11y_server + PLAN)
    base = html_state(page)["rootSize"]

    page.keyboard.press("Tab")
    f = focused(page)
    assert "gk-skip" in f["cls"] and f["text"] == "跳到主要内容" and f["top"] >= 0, f"第一次按 Tab 应显示“跳到主要内容”：{f}"
    page.keyboard.press("Tab")
    f = focused(page)
    assert f["text"] == "无障碍" and f["expanded"] == "false"
    page.keyboard.press("Enter")
    state = html_state(page)
    assert state["barShown"] and not state["barHidden"]
    assert focused(page)["text"] == "缩小", "打开工具条后焦点应在第一个按钮"
    assert page.evaluate("document.querySelector('.gk-toplinks__a11y').getAttribute('aria-expanded')") == "true"

    def press(key: str = "Enter"):
        page.keyboard.press(key)

    def tab_to(label: str):
        page.keyboard.press("Tab")
        f = focused(page)
        assert f["text"].replace("✓", "").strip() == label, f"按 Tab 应到“{label}”，实际到了 {f}"
        assert f["outline"] >= 2, f"“{label}”获得焦点时没有清晰的焦点框：{f}"
        return f

    # 缩小 at 100 % stays, then the focus is already on it: the first Tab goes to 放大
    press("Enter")
    assert html_state(page)["zoom"] == "100"
    tab_to("放大")
    press("Enter"); press(" ")
    state = html_state(page)
    assert state["zoom"] == "125" and state["rootSize"] == pytest.approx(base * 1.25, rel=0.01)
    wait_status(page, "125%")

    for label, scheme in [("默认", ""), ("黑底黄字", "yellow-on-black"), ("黄底黑字", "black-on-yellow"), ("蓝底白字", "white-on-blue")]:
        tab_to(label)
        press(" ")
        state = html_state(page)
        assert state["scheme"] == scheme and label in state["pressed"]
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(0, 32, 96)", bg

    for label, cls in [("加大行距", "gk-spacing"), ("大鼠标", "gk-cursor"), ("十字线", "gk-guides"), ("纯文本", "gk-plain")]:
        tab_to(label)
        press("Enter")
        state = html_state(page)
        assert cls in state["classes"] and label in state["pressed"], f"“{label}”没有生效：{state}"
    assert page.evaluate("getComputedStyle(document.body).cursor").startswith("url(")
    assert page.evaluate("getComputedStyle(document.querySelector('.gk-guide--x')).display") == "block"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-sidebar--primary')).display") == "none"

    tab_to("指读")
    press("Enter")
    assert "指读" in html_state(page)["pressed"]
    tab_to("连读")  # 指读 reads the newly focused control
    page.wait_for_function("__tts.spoken().some(s => s.text === '按钮：连读')", timeout=3000)
    press("Enter")
    page.wait_for_function("t => __tts.spoken().some(s => s.text === t)", arg=TITLE, timeout=3000)
    tab_to("暂停")
    press("Enter")
    assert focused(page)["text"] == "继续"
    assert page.evaluate("__tts.log.some(e => e.op === 'pause')")
    press("Enter")
    assert page.evaluate("__tts.log.some(e => e.op === 'resume')")
    tab_to("停止")
    before = page.evaluate("__tts.log.length")
    press("Enter")
    after = page.evaluate("n => __tts.log.slice(n)", before)
    assert after[0]["op"] == "cancel", after
    assert focused(page)["text"] == "连读", "停止后焦点应回到“连读”"
    # 指读 is still on, so it reads the control that now has the focus; 连读 does not go on
    assert [e["text"] for e in after if e["op"] == "speak"] == ["按钮：连读"], after
    page.evaluate("__tts.finish()")
    assert page.evaluate("n => __tts.log.slice(n).filter(e => e.op === 'speak').length", before) == 1, "停止后不应继续连读"
    page.keyboard.press("Tab")  # 暂停 and 停止 are disabled again: the next stop is 语速 慢
    for label, rate in [("慢", "slow"), ("中", "normal"), ("快", "fast")]:
        if label != "慢":
            tab_to(label)
        else:
            assert focused(page)["text"].replace("✓", "").strip() == "慢"
        press(" ")
        assert html_state(page)["stored"]["rate"] == rate

    tab_to("重置")
    press("Enter")
    state = html_state(page)
    assert state["zoom"] == "100" and state["scheme"] == ""
    assert not {"gk-spacing", "gk-cursor", "gk-guides", "gk-plain"} & set(state["classes"])
    assert sorted(state["pressed"]) == ["中", "默认"]
    f = tab_to("使用说明")
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("wza/")
    tab_to("关闭")
    press("Enter")
    state = html_state(page)
    assert state["barHidden"] and not state["barShown"]
    f = focused(page)
    assert f["text"] == "无障碍" and f["expanded"] == "false", "关闭工具条后焦点应回到“无障碍”"


def test_settings_persist_across_pages_and_reloads(new_page, a11y_server):
    page = new_page()
    page.goto(a11y_server + PLAN)
    page.click(".gk-toplinks__a11y")
    page.click("[data-gk-cmd=zoom-in]")
    page.click("[data-gk-cmd=zoom-in]")
    page.click("[data-gk-cmd=zoom-in]")
    page.click("[data-gk-value=black-on-yellow]")
    page.click("[data-gk-cmd=spacing]")
    page.click("[data-gk-cmd=rate][data-gk-value=slow]")
    expected = html_state(page)
    assert expected["zoom"] == "150"
    page.click(".gk-breadcrumb a >> text=市科技局")
    page.wait_for_url("**/xxgk/gdkjj/")
    for _ in range(2):
        state = html_state(page)
        for key in ("zoom", "scheme", "rootSize", "pressed", "barShown"):
            assert state[key] == expected[key], f"{key}：换页或刷新后应保持 {expected[key]}，实际 {state[key]}"
        assert "gk-spacing" in state["classes"]
        page.reload()


def test_shortcut_keys(new_page, a11y_server):
    page = new_page()
    page.goto(a11y_server + PLAN)
    page.keyboard.press("Alt+Shift+KeyW")
    assert html_state(page)["barShown"] and focused(page)["text"] == "缩小"
    page.keyboard.press("Alt+Shift+Equal")
    page.keyboard.press("Alt+Shift+Equal")
    assert html_state(page)["zoom"] == "125"
    page.keyboard.press("Alt+Shift+Minus")
    assert html_state(page)["zoom"] == "110"
    page.keyboard.press("Alt+Shift+KeyC")
    assert html_state(page)["scheme"] == "yellow-on-black"
    page.keyboard.press("Alt+Shift+KeyC")
    assert html_state(page)["scheme"] == "black-on-yellow"
    for key, cls in [("KeyL", "gk-spacing"), ("KeyM", "gk-cursor"), ("KeyX", "gk-guides"), ("KeyV", "gk-plain"), ("KeyZ", "gk-elder")]:
        page.keyboard.press(f"Alt+Shift+{key}")
        assert cls in html_state(page)["classes"], key
    page.keyboard.press("Alt+Shift+KeyZ")
    assert "gk-elder" not in html_state(page)["classes"]
    page.keyboard.press("Alt+Shift+Digit0")
    state = html_state(page)
    assert state["zoom"] == "100" and state["scheme"] == "" and "gk-plain" not in state["classes"]
    page.keyboard.press("Escape")  # focus is in the toolbar: Esc closes it
    assert html_state(page)["barHidden"] and focused(page)["text"] == "无障碍"
    page.keyboard.press("Alt+Shift+KeyW")
    page.keyboard.press("Alt+Shift+KeyW")
    assert html_state(page)["barHidden"]


@pytest.mark.parametrize("width", [1280, 375])
def test_zoom_200_reflows_without_horizontal_scrolling(new_page, a11y_server, width):
    page = new_page(width=width, height=800)
    page.goto(a11y_server + PLAN)
    base = html_state(page)["rootSize"]
    page.evaluate("localStorage.setItem('gongkai.a11y', JSON.stringify({zoom: 200, open: true}))")
    page.reload()
    state = html_state(page)
    assert state["zoom"] == "200" and state["rootSize"] == pytest.approx(base * 2, rel=0.01)
    body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gk-body p')).fontSize)")
    assert body >= 40 * 0.99
    result = page.evaluate(JS_OVERFLOW)
    assert not result["out"], f"放大 200% 后出现横向滚动或内容被截断：{dump(result)}"


def test_guide_lines_follow_pointer_and_focus(new_page, a11y_server):
    page = new_page()
    page.context.add_init_script(settings_script(guides=True))
    page.goto(a11y_server + PLAN)
    page.mouse.move(300, 420)
    transforms = page.evaluate("[...document.querySelectorAll('.gk-guide')].map(g => getComputedStyle(g).transform)")
    assert transforms == ["matrix(1, 0, 0, 1, 0, 420)", "matrix(1, 0, 0, 1, 300, 0)"]
    assert page.evaluate("[...document.querySelectorAll('.gk-guide')].every(g => g.getAttribute('aria-hidden') === 'true')")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # 无障碍
    rect = page.evaluate("document.activeElement.getBoundingClientRect().bottom")
    y = page.evaluate("new DOMMatrix(getComputedStyle(document.querySelector('.gk-guide--x')).transform).f")
    assert abs(y - rect) <= 3


def test_read_aloud_continuous_in_chinese_with_speed_pause_and_stop(new_page, a11y_server):
    page = new_page()
    page.context.add_init_script(tts_stub([{"name": "English", "lang": "en-US"}, {"name": "普通话", "lang": "zh-CN"},
                                           {"name": "粤语", "lang": "zh-HK"}]))
    page.context.add_init_script(settings_script(open=True, rate="fast"))
    page.goto(a11y_server + PLAN)
    page.click("[data-gk-cmd=read]")
    first = spoken(page)[0]
    assert first == {"op": "speak", "text": TITLE, "lang": "zh-CN", "rate": 1.4, "voice": "普通话"}
    assert page.evaluate("document.querySelector('.gk-reading').tagName") == "H1"
    for _ in range(4):
        page.evaluate("__tts.finish()")
    texts = [s["text"] for s in spoken(page)]
    assert any(t.startswith("发布时间") for t in texts), texts
    assert any("持续加大企业在科技创新中的主体地位" in t for t in texts), texts
    assert all(len(t) < 200 for t in texts), "每次朗读一句，不宜过长"
    assert page.evaluate("document.querySelector('.gk-reading').closest('#gk-body') !== null")
    page.keyboard.press("Alt+Shift+KeyK")
    assert page.evaluate("__tts.log.at(-1).op") == "pause"
    page.keyboard.press("Alt+Shift+KeyK")
    assert page.evaluate("__tts.log.at(-1).op") == "resume"
    page.keyboard.press("Escape")
    assert page.evaluate("__tts.log.at(-1).op") == "cancel"
    assert page.evaluate("document.querySelectorAll('.gk-reading').length") == 0
    n = len(spoken(page))
    page.evaluate("__tts.finish()")
    assert len(spoken(page)) == n


def test_read_aloud_pointing_reads_what_is_under_the_pointer_or_focused(new_page, a11y_server):
    page = new_page()
    page.context.add_init_script(tts_stub())
    page.context.add_init_script(settings_script(point=True))
    page.goto(a11y_server + PLAN)
    page.hover(".gk-body p >> nth=1")
    page.wait_for_function("__tts.spoken().length > 0", timeout=3000)
    said = spoken(page)[-1]
    assert said["lang"] == "zh-CN" and said["text"].startswith("(二)着力发挥政府引导作用"), said
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.wait_for_function("__tts.spoken().at(-1).text === '链接：无障碍' || __tts.spoken().at(-1).text === '按钮：无障碍'", timeout=3000)


@pytest.mark.parametrize("voices,supported,message", [
    ([{"name": "English", "lang": "en-US"}], True, "没有中文语音"),
    ([], False, "不支持朗读"),
])
def test_read_aloud_says_clearly_when_it_cannot(new_page, a11y_server, voices, supported, message):
    page = new_page()
    page.context.add_init_script(tts_stub(voices, supported=supported))
    page.goto(a11y_server + PLAN)
    page.keyboard.press("Alt+Shift+KeyR")  # with the toolbar closed: it opens to show the message
    wait_status(page, message)
    state = html_state(page)
    assert state["barShown"]
    if supported:
        assert spoken(page) == []
