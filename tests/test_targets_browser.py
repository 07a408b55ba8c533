"""What a real browser computes for the targets pages (Debian Chromium via Playwright):
the 汇编 paginates in print (each plan starts a page, chrome hidden), progress bars carry a
pattern and text not only colour, and the SVG chart takes its colours from the text colour
(also under forced colours)."""
from __future__ import annotations

import functools
import http.server
import re
import threading

import pytest


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def base_url(sample_site):
    site = sample_site
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    outside = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
    yield pg
    context.close()
    assert not outside, f"请求了站外地址:{outside}"


def test_compilation_paginates_in_print(page, base_url, tmp_path):
    page.goto(base_url + "xxgk/hb/skjj/2024/")
    page.emulate_media(media="print")
    items = page.eval_on_selector_all(".gk-compilation__item", "els => els.map(e => getComputedStyle(e).breakBefore)")
    assert items == ["page", "page", "page"]
    assert page.eval_on_selector(".gk-compilation__cover", "e => getComputedStyle(e).breakAfter") == "page"
    headings = page.eval_on_selector_all(".gk-compilation__item h2", "els => els.map(e => getComputedStyle(e).breakAfter)")
    assert set(headings) == {"avoid"}
    assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).display") == "none"
    toc = page.eval_on_selector_all(".gk-compilation__toc a", "els => els.map(a => a.getAttribute('href'))")
    assert toc == ["#hb-niandu-gongzuo-jihua", "#hb-gongzuo-jihua-ba-xiang", "#hb-gongzuo-jihua-shi-da-tixi"]
    for href in toc:
        assert page.locator(href).count() == 1
    pdf = tmp_path / "hb.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= 1 + len(toc)  # a cover with the 目录, then every plan on its own pages


def test_progress_is_not_colour_only(page, base_url):
    page.goto(base_url + "xxgk/skjj/2024/gongzuo-jihua-ba-xiang/")
    bars = page.eval_on_selector_all(".gk-progress", """els => els.map(e => {
        const fill = e.querySelector('.gk-progress__fill'), text = e.querySelector('.gk-progress__text');
        const cs = getComputedStyle(fill), bar = getComputedStyle(e.querySelector('.gk-progress__bar'));
        return {cls: e.className, text: text.innerText.trim(), visible: text.getBoundingClientRect().width > 0,
                image: cs.backgroundImage, width: fill.getBoundingClientRect().width, border: bar.borderTopStyle,
                hidden: e.querySelector('.gk-progress__bar').getAttribute('aria-hidden')};
    })""")
    assert len(bars) == 11
    kinds = {b["cls"].split("--")[1] for b in bars}
    assert kinds == {"done", "doing", "none"}
    for b in bars:
        assert b["visible"] and b["hidden"] == "true"
        assert re.search(r"(已完成|进行中|未完成|无数据)$", b["text"]), b
        if "--doing" in b["cls"]:
            assert "repeating-linear-gradient" in b["image"] and re.match(r"◐\s*\d+\.\d%", b["text"])
        if "--none" in b["cls"]:
            assert b["border"] == "dashed" and b["width"] == 0
    done = next(b for b in bars if "--done" in b["cls"])
    assert done["text"].startswith("✓") and done["width"] > 0


def test_target_links_reach_their_paragraph(page, base_url):
    page.goto(base_url + "xxgk/gdkjj/2024/gongzuo-jihua/")
    link = page.locator("#gk-target-yanfa-zengzhang .gk-targets__source")
    assert link.inner_text() == "见原文 （二）"
    link.click()
    assert page.evaluate("location.hash") == "#gk-p2"
    target = page.locator("#gk-p2")
    assert target.inner_text().startswith("(二)") and "研发投入年增长10%以上" in target.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == "gk-p2"


@pytest.mark.parametrize("forced", ["none", "active"])
def test_chart_colours_follow_the_text(browser, base_url, forced):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, forced_colors=forced)
    page = context.new_page()
    page.goto(base_url + "mbrw/zb/gaoqi-shuliang/")
    colours = page.evaluate("""() => {
        const svg = document.querySelector('svg.gk-chart');
        const text = svg.querySelector('text'), actual = svg.querySelector('.gk-chart__actual:not(:first-child)') || svg.querySelectorAll('.gk-chart__actual')[1];
        return {svg: getComputedStyle(svg).color, text: getComputedStyle(text).fill, actual: getComputedStyle(actual).fill,
                target: getComputedStyle(svg.querySelector('.gk-chart__target')).stroke,
                body: getComputedStyle(document.querySelector('.md-typeset')).color,
                bg: getComputedStyle(document.body).backgroundColor};
    }""")
    context.close()
    assert colours["text"] == colours["actual"] == colours["target"] == colours["svg"]
    assert colours["text"] != colours["bg"]
    if forced == "none":
        assert colours["svg"] == "rgb(26, 26, 26)"  # --gk-text
