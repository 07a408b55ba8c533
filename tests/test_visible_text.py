"""What visitors read on every page of the sample site: no escaped markup, and Chinese punctuation (issue 19).

Every HTML file the build writes (site/ and the editor's site-admin/) is parsed with lxml; the text
nodes (not inside <script> or <style>) and the attribute values are what a visitor sees or hears, so
they are checked, not the raw source:

1. No entity-like text: ``&lt；`` (a full-width semicolon ends no entity, so a browser shows
   ``<；`` or the letters), ``&amp;lt;`` (escaped twice: the visitor reads ``&lt;``), a literal
   ``&#…``. After parsing, no text may hold ``&name;`` / ``&#123;`` or ``<；`` ``>；`` ``&；``.
2. No ASCII ``,`` ``;`` ``:`` ``!`` ``?`` ``(`` ``)`` touching Chinese text in the site's own words
   (templates, generated labels, the hand-written pages in content/). Exceptions, each for a reason:

   - ``EXEMPT_TAGS``: code, kbd, samp, pre (file names, URLs, commands, typed as they are);
   - ``<meta name="keywords">``: keywords are separated by ASCII commas (HTML);
   - URL-valued attributes (href, src, action, content of og:url …): not prose;
   - the department's own text, copied from a plan file in data/plans/ (正文, 摘要, 目标的原文 and
     说明): a public body's document is published as it was written, punctuation included (the
     sample plans come from real published texts that use ASCII commas). A text node is exempt when
     the characters around the ASCII mark occur in a plan file verbatim.
"""
from __future__ import annotations

import re
from functools import lru_cache

import lxml.html
import pytest

from conftest import ROOT

CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’《》]"
ENTITY_LIKE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]+|#[xX][0-9A-Fa-f]+)[;；]|&#|&(?:lt|gt|amp|quot|nbsp)\b|[<>&]；")
ASCII_BESIDE_CJK = re.compile(rf"{CJK}[,;:!?()]|[,;:!?(]{CJK}|\){CJK}")
EXEMPT_TAGS = {"code", "kbd", "samp", "pre", "script", "style"}
URL_ATTRIBUTES = {"href", "src", "action", "srcset", "data-src", "xmlns", "xlink:href"}


@lru_cache(maxsize=1)
def _plan_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "plans").rglob("*.yml")))


def entity_like(text: str) -> list[str]:
    return [text[max(m.start() - 10, 0):m.end() + 10] for m in ENTITY_LIKE.finditer(text)]


def ascii_punctuation(text: str, *, plan_text: str = "") -> list[str]:
    """Snippets of ``text`` where ASCII punctuation touches Chinese, unless those characters are a plan's own."""
    found = []
    for m in ASCII_BESIDE_CJK.finditer(text):
        around = text[max(m.start() - 2, 0):m.end() + 2]
        if plan_text and around in plan_text:
            continue
        found.append(text[max(m.start() - 10, 0):m.end() + 10])
    return found


def _exempt(el) -> bool:
    return any(a.tag in EXEMPT_TAGS for a in el.iterancestors() if isinstance(a.tag, str)) or el.tag in EXEMPT_TAGS


def visible_strings(html: str):
    """(where, text, exempt) for each text node and attribute value of a page (UTF-8, as the site writes)."""
    doc = lxml.html.fromstring(html)
    for el in doc.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            if el.tail:
                yield f"{el.getparent().tag if el.getparent() is not None else ''} 文字", el.tail, False
            continue
        exempt = _exempt(el)
        if el.text and el.tag not in ("script", "style"):
            yield f"<{el.tag}> 文字", el.text, exempt
        if el.tail:
            parent = el.getparent()
            yield f"<{el.tag}> 之后的文字", el.tail, parent is not None and _exempt(parent)
        for name, value in el.attrib.items():
            keywords = el.tag == "meta" and (el.get("name") or "").lower() == "keywords"
            url = name in URL_ATTRIBUTES or (el.tag == "meta" and name == "content" and "url" in (el.get("property") or ""))
            yield f"<{el.tag} {name}>", value, exempt or keywords or url


@pytest.fixture(scope="module")
def pages(sample_project):
    files = sorted(p for folder in ("site", "site-admin") for p in (sample_project / folder).rglob("*.html"))
    assert len(files) > 50, files
    return [(str(p.relative_to(sample_project)), list(visible_strings(p.read_text(encoding="utf-8")))) for p in files]


def test_no_page_shows_escaped_markup(pages):
    problems = [f"{path}: {where}: {snippet!r}" for path, strings in pages for where, text, _ in strings
                for snippet in entity_like(text)]
    assert not problems, "访客会看到转义的 HTML：\n" + "\n".join(problems)


def test_the_sites_own_chinese_text_uses_full_width_punctuation(pages):
    plans = _plan_text()
    problems = [f"{path}: {where}: {snippet!r}" for path, strings in pages for where, text, exempt in strings
                if not exempt for snippet in ascii_punctuation(text, plan_text=plans)]
    assert not problems, "中文里有半角标点（请改为，；：（）等全角标点）：\n" + "\n".join(problems)


@pytest.mark.parametrize("html, found", [
    ("<p>网址为 sjkf/plans/&lt；机构标识&gt；/</p>", 2),       # the 数据开放 page before issue 19
    ("<p>&amp;lt;机构&amp;gt;</p>", 2),                       # escaped twice
    ("<p>&amp;#12290;</p>", 1), ("<p title='&amp;quot;'>x</p>", 1),
    ("<p>sjkf/plans/&lt;机构标识&gt;/</p>", 0), ("<p>R&amp;D 经费</p>", 0), ("<p>A &amp; B</p>", 0),
])
def test_entity_check(html, found):
    assert sum(len(entity_like(text)) for _, text, _ in visible_strings(html)) == found


@pytest.mark.parametrize("html, found", [
    ("<p>目标值(家)</p>", 2), ("<p>（29条)</p>", 1), ("<p>工作:一是</p>", 1), ("<p>计划,目标</p>", 1),
    ("<p>姓名;</p>", 1), ("<p>数据(CSV、JSON)和订阅</p>", 2),
    ("<p>目标值（家）</p>", 0), ("<p>（2021-12-31，最终结果）</p>", 0), ("<p>上午 8:30—12:00，下午</p>", 0),
    ("<p>默认 100,1000,10000</p>", 0), ("<p>示科〔2025〕3号</p>", 0), ("<p>见 <code>gongkai build --site-dir(目录)</code></p>", 0),
    ('<meta name="Keywords" content="科技特派员,高新技术企业">', 0), ('<meta name="description" content="计划,目标">', 1), ('<a href="/搜索?q=计划,目标">搜索</a>', 0),
])
def test_punctuation_check(html, found):
    strings = visible_strings(f"<div>{html}</div>")
    assert sum(len(ascii_punctuation(text)) for _, text, exempt in strings if not exempt) == found


def test_a_plans_own_words_are_exempt_and_only_those():
    plans = "正文: |\n  聚焦“433”产业新体系,开展需求调研"
    assert ascii_punctuation("聚焦“433”产业新体系,开展需求调研。", plan_text=plans) == []
    assert ascii_punctuation("本页共 3 条,按日期排列", plan_text=plans) != []
