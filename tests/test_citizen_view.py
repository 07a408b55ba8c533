"""What a citizen sees (issue 22, item 5), measured in Chromium at 390 and 1280 px in 标准版 and 长辈版:
catalogue tables (政府信息公开首页 最新信息, a department's list) never break a 日期, 文号 or 索引号 inside
the value and stack with labels when narrow; "最新信息" appears once; in 长辈版 the search box and every
control are at the elder size; the 栏目导航 button is visible, large and opens the sections by click and
by keyboard."""
from __future__ import annotations

import pytest

from conftest_a11y import *  # noqa: F403 - fixtures and helpers

WIDTHS = [390, 1280]
MODES = ["standard", "elder"]
CATALOGUES = ["xxgk/", "xxgk/skjj/"]


def open_page(new_page, a11y_server, path: str, width: int, mode: str):
    if width < 600:
        page = new_page(width=width, height=844, has_touch=True, is_mobile=True)
    else:
        page = new_page(width=width, height=800)
    page.context.add_init_script(settings_script(elder=mode == "elder"))
    page.goto(a11y_server + path)
    assert ("gk-elder" in page.evaluate("document.documentElement.className")) == (mode == "elder")
    return page


# Every catalogue table: its box against its container's, and for every value (.gk-nobr: a date, a 文号,
# each half of a 索引号) how many lines it takes; for each cell how it is laid out and labelled.
JS_TABLES = r"""() => Array.from(document.querySelectorAll('.gk-catalogue')).map(box => {
  const table = box.querySelector('table'), b = box.getBoundingClientRect(), t = table.getBoundingClientRect();
  const values = Array.from(table.querySelectorAll('td .gk-nobr')).map(v => {
    const lh = parseFloat(getComputedStyle(v.closest('td')).lineHeight), r = v.getBoundingClientRect();
    return {text: v.textContent, rects: v.getClientRects().length, height: r.height, lineHeight: lh};
  });
  const cells = Array.from(table.querySelectorAll('td')).filter(td => td.textContent.trim()).map(td => ({
    label: td.dataset.label, display: getComputedStyle(td).display,
    before: getComputedStyle(td, '::before').content, text: td.textContent}));
  return {box: [b.left, b.right], table: [t.left, t.right], head: getComputedStyle(table.querySelector('thead')).position,
          values, cells, viewport: document.documentElement.clientWidth};
})"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_catalogue_values_are_never_broken_and_stack_with_labels_when_narrow(new_page, a11y_server, width, mode):
    for path in CATALOGUES:
        page = open_page(new_page, a11y_server, path, width, mode)
        tables = page.evaluate(JS_TABLES)
        assert tables, f"{path}: 没有目录表格"
        for t in tables:
            assert t["table"][1] <= t["box"][1] + 1 and t["table"][0] >= t["box"][0] - 1, f"{path}: 表格超出版面 {dump(t)}"
            assert t["box"][1] <= t["viewport"] + 1, f"{path}: 表格超出屏幕"
            assert len(t["values"]) >= 3 * len([c for c in t["cells"] if c["label"] == "索引号"])
            for v in t["values"]:
                assert v["rects"] == 1 and v["height"] < 1.5 * v["lineHeight"], f"{path}: “{v['text']}”被折成了两行 {dump(v)}"
            index_texts = [c["text"] for c in t["cells"] if c["label"] == "索引号"]
            assert index_texts and all("/" in x and " " not in x for x in index_texts), index_texts  # copied as one value
            stacked = [c["display"] != "table-cell" for c in t["cells"]]
            if width == 390:
                assert all(stacked), f"{path}: 手机上应逐条堆叠显示"
                assert t["head"] == "absolute", "堆叠时表头只留给屏幕阅读器"
                for c in t["cells"]:
                    assert c["before"] == f'"{c["label"]}："', f"{path}: 堆叠后每个值前应有“{c['label']}：” {dump(c)}"
            elif mode == "standard":
                assert not any(stacked), f"{path}: 1280 px 的标准版应显示为表格"
                assert t["head"] != "absolute" and all(c["before"] in ("none", "normal") for c in t["cells"])


def test_latest_appears_once_and_names_its_table(sample_site):
    html = (sample_site / "xxgk" / "index.html").read_text(encoding="utf-8")
    main = html[html.index('id="gk-main"'):]
    assert main.count("最新信息") == 1, "政府信息公开首页上“最新信息”应只出现一次"
    assert '<h2 id="gk-latest">最新信息</h2>' in main
    assert 'aria-labelledby="gk-latest"' in main and "<caption>" not in main[main.index("gk-latest"):]
    dept = (sample_site / "xxgk" / "skjj" / "index.html").read_text(encoding="utf-8")
    assert "<caption>" in dept, "没有标题的目录表格仍用 caption 命名"


# Visible controls with their font size, and the body text's size.
JS_CONTROLS = r"""() => {
  const shown = (e) => e.checkVisibility({checkVisibilityCSS: true}) && e.getBoundingClientRect().width > 2;
  const body = parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize);
  const controls = Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button, summary')).filter(shown)
    .map(e => ({el: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + (e.className || ''), size: parseFloat(getComputedStyle(e).fontSize)}));
  const search = document.querySelector('#gk-search-input');
  return {body, controls, search: search && shown(search) ? parseFloat(getComputedStyle(search).fontSize) : null};
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_elder_search_box_and_every_control_at_the_elder_size(new_page, a11y_server, width):
    minimum = 20 if width > 600 else 18  # elder text size (docs/accessibility.md): desktop, phone
    for path in ["", "xxgk/", PLAN, "search/"]:
        page = open_page(new_page, a11y_server, path, width, "elder")
        m = page.evaluate(JS_CONTROLS)
        assert m["search"] is not None, f"{path or '首页'}: 没有搜索框"
        assert m["search"] >= m["body"] - 0.01, f"{path or '首页'}: 长辈版搜索框 {m['search']}px，正文 {m['body']}px"
        small = [c for c in m["controls"] if c["size"] < minimum - 0.01]
        assert not small, f"{path or '首页'}: 长辈版控件字号应不小于 {minimum}px：\n{dump(small)}"
    standard = open_page(new_page, a11y_server, "xxgk/", width, "standard").evaluate(JS_CONTROLS)
    assert standard["search"] < m["search"], "长辈版的搜索框应比标准版大"


JS_NAV = r"""() => {
  const d = document.querySelector('.gk-sitenav'), s = d.querySelector('summary'), r = s.getBoundingClientRect();
  const links = Array.from(d.querySelectorAll('nav a')).map(a => { const b = a.getBoundingClientRect();
    return {text: a.textContent, left: b.left, right: b.right, top: b.top, height: b.height,
            shown: a.checkVisibility({checkVisibilityCSS: true}) && b.width > 0}; });
  return {open: d.open, text: s.textContent.trim(), button: {left: r.left, right: r.right, top: r.top, width: r.width, height: r.height},
          size: parseFloat(getComputedStyle(s).fontSize), links, viewport: document.documentElement.clientWidth,
          focused: document.activeElement === s, focusedText: document.activeElement.textContent.trim()};
}"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_site_nav_button_is_visible_large_and_opens_by_click_and_keyboard(new_page, a11y_server, width, mode):
    page = open_page(new_page, a11y_server, PLAN, width, mode)
    m = page.evaluate(JS_NAV)
    assert m["text"] == "栏目导航" and not m["open"]
    b = m["button"]
    assert 0 <= b["left"] and b["right"] <= m["viewport"] and 0 <= b["top"] < 300, f"“栏目导航”应在页面上方可见 {dump(b)}"
    assert b["height"] >= (60 if mode == "elder" else 44) - 0.5 and b["width"] >= 100, dump(b)
    if mode == "elder":
        assert m["size"] >= (20 if width > 600 else 18)
    assert not any(link["shown"] for link in m["links"]), "关闭时不显示栏目"

    page.click(".gk-sitenav__button")
    m = page.evaluate(JS_NAV)
    assert m["open"]
    texts = [link["text"] for link in m["links"]]
    assert {"网站首页", "政府信息公开", "政府信息公开指南", "网站地图", "站内搜索"} <= set(texts), texts
    for link in m["links"]:
        assert link["shown"] and link["left"] >= 0 and link["right"] <= m["viewport"] + 0.5, f"栏目“{link['text']}”超出屏幕 {dump(link)}"
        assert link["height"] >= (44 if mode == "elder" else 24) - 0.5, dump(link)
    page.click(".gk-sitenav__button")
    assert not page.evaluate(JS_NAV)["open"], "再点一次收起"

    # keyboard: Tab reaches the button, Enter opens, Tab goes into the list, Esc closes and returns
    page.focus(".gk-toplinks a")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate(JS_NAV)["focused"]:
            break
    assert page.evaluate(JS_NAV)["focused"], "按 Tab 应能到达“栏目导航”"
    page.keyboard.press("Enter")
    assert page.evaluate(JS_NAV)["open"]
    page.keyboard.press("Tab")
    assert page.evaluate(JS_NAV)["focusedText"] == "网站首页"
    page.keyboard.press("Escape")
    m = page.evaluate(JS_NAV)
    assert not m["open"] and m["focused"], "Esc 收起栏目并回到按钮"
    page.keyboard.press("Space")
    assert page.evaluate(JS_NAV)["open"]
    page.click(".gk-sitenav a >> text=网站地图")
    page.wait_for_url("**/wzdt/")
