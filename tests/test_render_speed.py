"""The shortcuts that make body rendering fast give the same result as the slow, obvious way.

* markup.body._GatedInlineProcessor skips text in which no Markdown inline pattern can match: its HTML
  must equal Python-Markdown's own, and the set of registered patterns must be the one the trigger
  characters were read from.
* markup.anchors._scan reads the sanitiser's output with a regular expression: it must find the same
  paragraphs, texts, insert positions and ids as an HTML parser.
* components.ComponentEnvironment reads dict keys before Python attributes: every lookup must give
  what Jinja's own Environment gives.
* markup.body.plain_html writes a body of plain paragraphs and headings without Python-Markdown and the
  sanitizer: where it answers, it must answer what they make of the body (and it must answer for the
  bodies the sample and the bench's synthetic data are made of, or it saves nothing).
"""
from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from gongkai.markup import anchors
from gongkai.markup import body as render
from gongkai.pages import components

from conftest import ROOT

TRICKY = [
    "（一）普通的中文段落，没有任何标记。",
    "一是加强*重点*工作，二是**突出**成效。",
    "下划线_不是_强调吗？snake_case_word 和 __粗体__。",
    "代码 `a*b` 与 ``双`反引号`` 以及 \\*转义\\* 和 \\\\ 反斜杠。",
    "链接 [科技局](https://example.gov.cn/) 和 ![图](a.png) 和 [引用][r]\n\n[r]: https://example.gov.cn/r",
    "自动链接 <https://example.gov.cn/> 和 <info@example.gov.cn> 和 <span>行内 HTML</span>。",
    "实体 &amp; &copy; &#x4e00; 和孤立的 & 符号。",
    "行末两个空格  \n换行，行末一个空格 \n不换行。",
    "全角符号：＊星号＊、［方括号］、＜尖括号＞、＆、｀、＿、＼。",
    "## 一、总体要求 {#zongti}\n\n（一）目标\n\n1. 第一条 *强调*\n2. 第二条\n\n- 甲\n- 乙_丙_\n",
    "| 指标 | 目标 |\n| :--- | ---: |\n| 高新技术企业 | 25家 |\n| *研发* | `3%` |\n",
    "> 引用段落 **加粗**\n>\n> 第二段\n\n    缩进代码 *不* 处理\n",
    "<div>原始 HTML 块 *不处理*</div>\n\n之后的段落 *处理*。",
    "1) 编号\n2) 另一种编号\n\n3. 从三开始\n4. 第四\n",
]


def _sample_bodies() -> list[str]:
    bodies = []
    for path in sorted((ROOT / "data").rglob("*.yml")) + sorted((ROOT / "tests").rglob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # the tests' deliberately broken files
        if isinstance(data, dict) and isinstance(data.get("正文"), str):
            bodies.append(data["正文"])
    return bodies


SAMPLES = _sample_bodies()


def test_there_are_sample_bodies_to_compare():
    assert len(SAMPLES) >= 6


def test_the_inline_patterns_are_the_ones_the_triggers_were_read_from():
    md = render._new_markdown()
    assert {item.name for item in md.inlinePatterns._priority} == render.INLINE_PATTERNS
    assert isinstance(md.treeprocessors["inline"], render._GatedInlineProcessor)


@pytest.mark.parametrize("body", TRICKY + SAMPLES, ids=lambda b: b[:12])
def test_gated_markdown_equals_python_markdown(body):
    plain, gated = render._new_markdown(gated=False), render._new_markdown()
    assert gated.convert(body) == plain.convert(body)


def test_text_without_triggers_is_not_searched():
    md = render._new_markdown()
    calls = []
    original = render.InlineProcessor._InlineProcessor__handleInline

    def counting(self, data, patternIndex=0):
        calls.append(data)
        return original(self, data, patternIndex)

    try:
        render.InlineProcessor._InlineProcessor__handleInline = counting
        html = md.convert("（一）没有标记的段落。\n\n（二）有*强调*的段落。")
    finally:
        render.InlineProcessor._InlineProcessor__handleInline = original
    assert "<em>强调</em>" in html
    assert calls == ["（二）有*强调*的段落。"]


def _the_slow_way(body: str) -> str:
    md = render._new_markdown()
    return render.sanitize(md.convert(body))


def _synthetic_bodies(count: int) -> list[str]:
    import random

    from gongkai.bench import synth

    sample = synth.read_sample(ROOT)
    rng = random.Random(7)
    return [synth._body(rng, sample) for _ in range(count)]


@pytest.mark.parametrize("body", SAMPLES + _synthetic_bodies(40), ids=lambda b: b[:12])
def test_plain_bodies_of_the_sample_and_the_bench_take_the_short_way(body):
    assert render.plain_html(body) == _the_slow_way(body)


PLAIN = [  # what plain_html must write as Python-Markdown and the sanitizer do
    "## 一、总体要求\n\n（一）目标。\n\n## 一、总体要求\n\n## 一、总体要求\n",  # repeated headings: _1, _2
    "## search 搜索\n\n## md-内容\n\n## 二、正常",  # ids the page uses: dropped by the sanitizer
    "规上企业研发经费(R&D)投入 & 增长 a > b，1 >= 0。",
    "20.完善研发经费投入机制。\n1.2亿元\n2024.12月",
    "第一段\n第二行\n\n\n\n第二段\n## 三、段中的标题\n标题后的一行\n",
    "\n\n（三）前后有空行\n\n",
    "###### 六级标题\n\n### 三级 标题 a-b\n\n#### 1.2 数字",
    "全角：１．２、（一）〔2024〕＊＃＆＞",
    "句中的 # 号和 = 号 + 加号 - 减号",
]
NOT_PLAIN = [  # Markdown syntax, or characters the sanitizer writes otherwise: the full way
    "1. 列表\n2. 第二", "- 甲\n- 乙", "+ 加号列表", "> 引用", "    缩进的代码", "\t制表符",
    "行末两个空格  \n换行", "行末一个空格 \n", "&amp; 实体", "&#x4e00;", "<b>HTML</b>", "*强调*", "_强调_",
    "`代码`", "[链接](https://example.gov.cn/)", "段落 {#biaoshi}", "| 表 | 格 |", "\\转义",
    "# 一级标题", "## 标题 ##", "##没有空格", "## ", "标题\n===", "标题\n---", "　　全角空格缩进",
    "不换行\xa0空格", "控制\x0c字符", "2024.\n下一行", "第一行\n3. 第二行",
]


@pytest.mark.parametrize("body", PLAIN, ids=lambda b: b[:12])
def test_plain_html_writes_what_markdown_and_the_sanitizer_write(body):
    assert render.plain_html(body) is not None
    assert render.plain_html(body) == _the_slow_way(body)


@pytest.mark.parametrize("body", NOT_PLAIN, ids=lambda b: b[:12])
def test_other_bodies_go_the_full_way(body):
    assert render.plain_html(body) is None
    assert render.body_html_unsanitised(body) == render._new_markdown().convert(body)


@pytest.mark.parametrize("body", TRICKY, ids=lambda b: b[:12])
def test_the_tricky_bodies_are_rendered_as_before(body):
    assert str(render.render_body(body)) == _the_slow_way(body)
    assert render.body_html_unsanitised(body) == render._new_markdown().convert(body)


_PIECES = ["一、", "（一）", "1.", "2024", "．", "１", " ", "  ", "\n", "\n\n", "## ", "### ", "# ", "#", "&", "&amp;",
           ">", "-", "+", "=", "R&D", "　", "\xa0", "search", "gk-", "_", "*", "\t", "|", "{#a}", "[", "]", "<",
           "科技", "目标", ":", "。", "a", "\r"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join))
def test_plain_html_never_differs_from_the_full_way(body):
    plain = render.plain_html(body)
    if plain is not None:
        assert plain == _the_slow_way(body)


class _ParserScan(HTMLParser):
    """What anchors._scan must agree with: the same walk done by Python's HTML parser."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.starts = [0] + [i + 1 for i, ch in enumerate(html) if ch == "\n"]
        self.blocks: list[anchors.Block] = []
        self.open: list[anchors.Block] = []
        self.ids: set[str] = set()
        self.ol: list[int] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if attr.get("id"):
            self.ids.add(attr["id"])
        if tag == "ol":
            self.ol.append(int(attr.get("start") or 1) - 1)
        if tag in anchors._BLOCK_TAGS:
            line, col = self.getpos()
            block = anchors.Block(tag, self.starts[line - 1] + col + len(self.get_starttag_text()) - 1, attr.get("id"))
            if tag == "li" and self.ol and not self.open:
                self.ol[-1] += 1
                block.text = f"{self.ol[-1]}."
            self.blocks.append(block)
            self.open.append(block)

    def handle_endtag(self, tag):
        if tag == "ol" and self.ol:
            self.ol.pop()
        if tag in anchors._BLOCK_TAGS and self.open:
            self.open.pop()

    def handle_data(self, data):
        if self.open:
            self.open[-1].text += data


SCAN_HTML = [
    '<ol start="3"><li>一是甲</li><li><p>（二）乙 &amp; 丙</p></li></ol>',
    '<p id="a&amp;b" title="x>y">（一）a</p><p title=\'单引号\'>二</p>',
    '<div><p>①甲</p>尾巴</div><h3 id="t">（1）标题 <em>强调</em>&lt;不是标签&gt;</h3>',
    "<ul><li>无序<ol><li>内层</li></ol></li></ul><p>末段没有结束标签",
]


@pytest.mark.parametrize("html", SCAN_HTML + [str(render.render_body(b)) for b in TRICKY + SAMPLES],
                         ids=lambda h: h[:16])
def test_scanner_agrees_with_an_html_parser(html):
    blocks, ids = anchors._scan(html)
    expected = _ParserScan(html)
    assert [dataclasses.astuple(b) for b in blocks] == [dataclasses.astuple(b) for b in expected.blocks]
    assert ids == expected.ids
    for block in blocks:
        assert html[block.insert_at] == ">"


@pytest.mark.parametrize("start", ["abc", "", " 5x", "-2", "99999999999"])
def test_a_strange_list_start_does_not_stop_the_build(start):
    body = f'一、总则\n\n<ol start="{start}"><li>第一条</li><li>第二条</li></ol>\n'
    labels = anchors.body_map(body).labels()
    assert labels[0] == "一、" and len(labels) == 3
    assert 'id="gk-s1-' in anchors.anchored_body(body)


class _Obj:
    label = "属性"


LOOKUPS = [
    ("{{ p.label }}", {"p": {"label": "中文<b>"}}),
    ("{{ p.missing }}|{{ p.missing is defined }}|{{ p.missing | default('无') }}", {"p": {"label": "x"}}),
    ("{% if p.flag %}是{% else %}否{% endif %}", {"p": {"flag": 0}}),
    ("{{ p.items is callable }}|{{ p.get('label') }}", {"p": {"label": "x", "items": "键值"}}),
    ("{{ p.label }}|{{ p.nothing | default('无') }}", {"p": _Obj()}),
    ("{% for row in p.rows %}{{ row.text }};{% endfor %}", {"p": {"rows": [{"text": "甲"}, {"text": "乙"}]}}),
    ("{{ p.nested.deep }}|{{ p.nested.deeper | default('无') }}", {"p": {"nested": {"deep": "深"}}}),
]


@pytest.mark.parametrize("source,context", LOOKUPS)
def test_component_environment_reads_like_jinja(source, context, tmp_path):
    from jinja2 import Environment, select_autoescape

    ours = components.make_env(tmp_path)
    plain = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    assert isinstance(ours, components.ComponentEnvironment)
    assert ours.from_string(source).render(context) == plain.from_string(source).render(context)


def test_component_environment_keeps_strict_undefined_errors(tmp_path):
    from jinja2 import StrictUndefined, UndefinedError

    env = components.make_env(tmp_path)
    env.undefined = StrictUndefined
    with pytest.raises(UndefinedError, match="missing"):
        env.from_string("{{ p.missing }}").render(p={"label": "x"})
