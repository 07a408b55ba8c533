"""Site search in a real browser (Debian's Chromium via Playwright) over the sample site.

* relevance: 36 queries — words, phrases, department names, 文号 and 索引号 in their variants,
  metadata values, hand-written pages, queries with no hit — each with its expected top results,
  typed into the search page; the browser's ranking must also equal the Python reference
  (gongkai.pages.search.search), which keeps the two implementations of the term rules in step;
* the header box: nothing search-related is downloaded before focus; results appear while typing,
  in a list inside #search-results; keyboard use; the count is announced in a live region;
* the search page: filters, counts, shareable URL, no-results help; axe-core finds no violation.
"""
from __future__ import annotations

import json
import re

import pytest

from conftest_search import *  # noqa: F401,F403
from conftest_search import AXE_JS, AXE_TAGS
from gongkai.pages import search

GD = "xxgk/gdkjj/2024/gongzuo-jihua/"          # 广德市科技局2024年工作计划, 索引号 1134172300325409XR/202403-00002
YD = "xxgk/skjj/2021/keji-gongzuo-yaodian/"     # 市科学技术局2021年全市科技工作要点, 示科〔2021〕5号, …/202102-00001
BX = "xxgk/skjj/2024/gongzuo-jihua-ba-xiang/"   # 市科学技术局2024年工作计划, 11341700MB0A12342H/202403-00001
SD = "xxgk/skjj/2024/gongzuo-jihua-shi-da-tixi/"  # 市科学技术局2024年工作计划, 11341700MB0A12342H/202403-00002
ND = "xxgk/skjj/2024/niandu-gongzuo-jihua/"     # 市科学技术局2024年度工作计划, 11341700MB0A12342H/202402-00001
ZJ = "xxgk/skjj/2021/keji-gongzuo-zongjie/"     # 市科学技术局2021年科技工作总结 (closes the 2021 targets)
SKJJ = {YD, BX, SD, ND, ZJ}
ALL = SKJJ | {GD}

# (query, expected top results). A list: exactly these first, in this order. A set: these first, any order.
# An empty list: no result at all. The sets were checked against the plain text of data/plans (grep).
RELEVANCE = [
    # words and phrases from the bodies
    ("高新技术企业", {GD, YD, BX, ND, ZJ, SD}),  # SD by its 指标 新认定高新技术企业数量, not its body
    ("科技特派员", {YD, BX, ZJ}),
    ("科普", [GD]),
    ("孵化器", {GD, YD}),
    ("揭榜挂帅", {GD, YD, BX}),
    ("技术合同", {YD, BX}),
    ("长三角", [GD]),
    ("知识产权", [GD]),
    ("十四五", [YD]),
    ("众创空间", {GD, YD}),
    ("新型研发机构", {YD, BX}),
    ("乡村振兴", {YD, BX}),
    ("科技型中小企业", {GD, BX, SD}),
    ("创新型市", [GD]),
    ("科技 金融", {GD, YD}),  # two words: both must occur
    ("“科技特派员”", {YD, BX, ZJ}),  # quotes and punctuation are ignored
    # titles and metadata
    ("2024年度工作计划", [ND]),
    ("工作要点", [YD]),
    ("广德", [GD]),
    ("示例市科技局", SKJJ),  # 发布机构 (short name)
    ("广德市科学技术局", [GD]),  # 发布机构 (full name, in the metadata)
    # 文号: every bracket and digit width lands on the document
    ("示科〔2021〕5号", [YD]),
    ("示科[2021]5号", [YD]),
    ("示科【2021】5号", [YD]),
    ("示科（2021）5号", [YD]),
    ("示科(2021)05号", [YD]),
    ("示科〔２０２１〕５号", [YD]),
    # 索引号: exact, full-width, lower case, serial without zeros — and the look-alike of another department
    ("1134172300325409XR/202403-00002", [GD]),
    ("11341700MB0A12342H/202403-00002", [SD]),
    ("１１３４１７００ＭＢ０Ａ１２３４２Ｈ／２０２４０３－００００１", [BX]),
    ("11341700mb0a12342h/202402-00001", [ND]),
    ("11341700MB0A12342H/202102-1", [YD]),
    # hand-written pages
    ("政府信息公开指南", ["xxgk/zhinan/"]),
    ("0563-6012345", ["lxwm/"]),
    # no hit
    ("量子计算机", []),
    ("示科〔2021〕6号", []),
]


def _results(page) -> list[str]:
    hrefs = page.eval_on_selector_all("#search-results li a.gk-search__title", "els => els.map(a => a.href)")
    root = page.evaluate("new URL(document.querySelector('[data-gk-search]').dataset.gkSearchRoot, location.href).href")
    return [h[len(root):] if h.startswith(root) else h for h in hrefs]


def _search(page, query: str) -> list[str]:
    page.fill("#gk-search-input", query)
    page.wait_for_function("q => document.getElementById('search-results').dataset.gkQuery === q", arg=query.strip())
    return _results(page)


@pytest.fixture
def search_page(open_page):
    page = open_page("search/")
    page.wait_for_selector("[data-gk-search-ready]")
    return page


def test_relevance(search_page, sample_site):
    assert len(RELEVANCE) >= 30
    failures = []
    for query, expected in RELEVANCE:
        got = _search(search_page, query)
        if isinstance(expected, set):
            ok = set(got[:len(expected)]) == expected
        else:
            ok = got[:len(expected)] == expected and (expected or not got)
        reference = search.search(sample_site, query, limit=20)
        if not ok or got[:20] != reference:
            failures.append(f"{query}: 浏览器 {got[:6]},期望 {expected},Python {reference[:6]}")
        if expected == []:
            help_text = search_page.inner_text("#search-results")
            assert "没有找到" in help_text and "文号" in help_text
    assert not failures, "\n".join(failures)
    assert not search_page.gk_errors


def test_results_show_fields_and_highlight(search_page):
    _search(search_page, "示科[2021]5号")
    item = search_page.locator("#search-results li").first
    text = item.inner_text()
    for part in ("市科学技术局2021年全市科技工作要点", "发布机构：示例市科技局", "发布日期：2021-02-23", "文号：示科〔2021〕5号"):
        assert part in text
    assert item.locator(".gk-search__meta mark").inner_text() == "示科〔2021〕5号"
    assert search_page.inner_text("#search-results .gk-search__count") == "共找到 1 条结果"
    _search(search_page, "科技特派员")
    marks = search_page.eval_on_selector_all("#search-results .gk-search__snippet mark", "els => els.map(m => m.textContent)")
    assert marks and set(marks) == {"科技特派员"}


def test_filters_and_shareable_url(search_page):
    _search(search_page, "高新技术企业")
    assert len(_results(search_page)) == 6
    search_page.select_option("#gk-filter-department", "市科技局")
    search_page.wait_for_function("document.getElementById('search-results').dataset.gkFilters.includes('department')")
    assert _results(search_page) == [GD]
    assert "department=%E5%B8%82%E7%A7%91%E6%8A%80%E5%B1%80" in search_page.url and "q=" in search_page.url
    search_page.select_option("#gk-filter-department", "")
    search_page.select_option("#gk-filter-year", "2021年")
    search_page.wait_for_function("document.getElementById('search-results').dataset.gkFilters === 'year=2021%E5%B9%B4'")
    assert set(_results(search_page)) == {YD, ZJ}
    labels = search_page.eval_on_selector_all("#gk-filter-topic option", "els => els.map(o => o.textContent)")
    assert labels[0] == "全部" and "科技、教育 › 科技（2）" in labels
    # the URL reopens the same search
    page2 = search_page.context.new_page()
    page2.goto(search_page.url)
    page2.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '高新技术企业'")
    assert page2.input_value("#gk-filter-year") == "2021年" and set(_results(page2)) == {YD, ZJ}


def test_header_box_loads_nothing_before_focus_and_shows_results_while_typing(open_page):
    page = open_page(GD)
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.gk_requests if "search" in u], page.gk_requests
    assert page.is_hidden("#search-results")
    page.focus("#gk-search-input")
    page.wait_for_selector("[data-gk-search-ready]")
    assert any(re.search(r"/assets/gongkai/search\.[0-9a-f]{8}\.js$", u) for u in page.gk_requests), page.gk_requests
    page.keyboard.type("科技特派", delay=30)  # no Enter: results come while typing
    page.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '科技特派'")
    assert page.is_visible("#search-results ol li a")
    assert page.url.endswith(GD)  # no page load
    assert set(_results(page)) == {YD, BX, ZJ}
    status = page.inner_text(".gk-searchbar [role=status]")
    assert status == "共找到 3 条结果"
    assert all(u.startswith("http://127.0.0.1:") for u in page.gk_requests)  # nothing left the site
    assert not page.gk_errors


def test_header_box_keyboard(open_page):
    page = open_page("")
    page.focus("#gk-search-input")
    page.fill("#gk-search-input", "高新技术企业")
    page.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '高新技术企业'")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.textContent")
    assert page.evaluate("document.activeElement.classList.contains('gk-search__title')") and first
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") != first
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.textContent") == first
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "gk-search-input"
    assert page.is_hidden("#search-results")
    page.keyboard.press("ArrowDown")  # back into the results
    with page.expect_navigation():
        page.keyboard.press("Enter")  # follows the link
    assert "/xxgk/" in page.url
    # Enter in the box opens the search page with the query
    page.focus("#gk-search-input")
    page.fill("#gk-search-input", "科普")
    with page.expect_navigation():
        page.press("#gk-search-input", "Enter")
    assert page.url.endswith("/search/?q=%E7%A7%91%E6%99%AE")
    page.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '科普'")
    assert _results(page) == [GD]


def test_without_javascript_the_box_submits_to_the_search_page(browser, search_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(search_server + GD)
    page.fill("#gk-search-input", "科普")
    page.press("#gk-search-input", "Enter")
    page.wait_for_load_state()
    assert page.url == search_server + "search/?q=%E7%A7%91%E6%99%AE"
    assert "需要启用浏览器的 JavaScript" in page.inner_text("body")
    context.close()


def _axe(page) -> list[dict]:
    if not AXE_JS.exists():
        pytest.fail(f"缺少 {AXE_JS}:请运行 make test-deps")
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))})))", AXE_TAGS)


@pytest.mark.parametrize("where", ["search-page", "dropdown", "no-results"])
def test_axe_finds_no_violations(open_page, where):
    if where == "dropdown":
        page = open_page(GD)
        page.focus("#gk-search-input")
        page.fill("#gk-search-input", "高新技术企业")
        page.wait_for_function("document.getElementById('search-results').dataset.gkQuery === '高新技术企业'")
    else:
        page = open_page("search/?q=" + ("高新技术企业" if where == "search-page" else "量子计算机"))
        page.wait_for_function("document.getElementById('search-results').dataset.gkQuery")
    violations = _axe(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


def test_result_text_is_never_parsed_as_html(search_page):
    """Snippets are built with DOM text nodes: markup typed into the box stays text."""
    _search(search_page, "<img src=x onerror=alert(1)>科普")
    assert search_page.eval_on_selector_all("#search-results img", "els => els.length") == 0
    assert re.search("没有找到|共找到", search_page.inner_text("#search-results"))
