"""Property-based tests (hypothesis): for any input, the reader, the codes, the loader and the
sanitizer keep their promises. ``make fuzz`` runs them with the "long" profile (10× the examples).
"""
from __future__ import annotations

import datetime as dt
import os
from unittest import mock
from urllib.parse import urlsplit

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT as REPO_ROOT
from conftest_fuzz import scratch  # noqa: F401 - fixture
from gongkai.data.checker import VALIDATORS, is_valid
from gongkai.rules import codes
from gongkai.pages.generate import generate
from gongkai.data.loader import load_project
from gongkai.markup.body import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, body_html_unsanitised, render_body, sanitize
from gongkai.pages.components import make_env
from gongkai.markup.removed import inventory, may_lose_html, removed_html
from gongkai.data import yamlio
from gongkai.data.yamlio import decode, parse_text

settings.register_profile("default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
FIXTURE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=1, max_size=6)
# what editors paste: Chinese, ASCII, full-width forms, YAML syntax characters, whitespace
EDITOR_TEXT = st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40),
    st.sampled_from("：，。、（）〔〕【】《》“”‘’　０１２３４５６７８９－／\t\n\r\ufeff\u00a0\u200b\u3000"),
), max_size=200)


# --- the reader ----------------------------------------------------------------------------------

@given(st.binary(max_size=2000))
def test_decode_any_bytes(raw):
    text, errors = decode(raw)
    assert (text is None) == bool(errors)
    for line, message, hint in errors:
        assert line >= 1 and message and hint


@given(st.one_of(st.text(max_size=300), EDITOR_TEXT))
def test_parse_any_text_never_raises_and_lines_are_in_the_file(text):
    doc = parse_text(text)
    last = text.count("\n") + text.count("\r") + 2
    for line, message, hint in doc.errors:
        assert 1 <= line <= last, (line, message)
        assert message and hint
    if doc.errors:
        return
    assert doc.data is None or isinstance(doc.data, (dict, list, str, int, float, bool))


@given(st.one_of(st.text(max_size=300), EDITOR_TEXT, st.builds(" ".join, st.lists(st.sampled_from(
    ["a:", "- ", "!!str", "!!int", "<<:", "=", "yes", "No", "~", "null", "0x1F", "1_000", "2024-01-01", "15:00",
     ".inf", "1e3", "'x'", '"y"', "|", "\n", "  ", "[", "]", "{", "}", ",", "&a", "*a", "#"]), max_size=30))))
def test_composing_without_implicit_tags_reads_every_text_as_the_full_resolver_does(text):
    """yamlio composes with a loader whose resolver gives every untagged node its kind's plain tag (the
    builder types scalars itself): the data, lines and messages are those of PyYAML's own resolver."""
    fast = yamlio._parse_text(text)
    with mock.patch.object(yamlio, "_Composer", yamlio._Loader):
        full = yamlio._parse_text(text)
    assert (repr(fast.data), fast.lines, fast.errors, fast.scalars) == (repr(full.data), full.lines, full.errors, full.scalars)


SCALARS = st.one_of(CJK, st.integers(-10**12, 10**12), st.booleans(), st.none(),
                    st.floats(allow_nan=False, allow_infinity=False, width=32))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(CJK, inner, max_size=4)), max_leaves=20)


@given(DATA, st.booleans())
def test_yaml_round_trip_for_unambiguous_data(data, flow):
    """Data an editor means (Chinese text, numbers, true/false, empty) reads back exactly as written."""
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    doc = parse_text(text)
    assert not doc.errors, (text, doc.errors)
    assert doc.data == data


@given(st.integers(22, 3000), st.sampled_from(["[", "{a: ", "- "]))
def test_any_deep_nesting_is_an_error_not_a_crash(depth, opener):
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    text = "a: " + opener * depth + "1" + closer * depth if opener != "- " else opener * depth + "x"
    doc = parse_text(text)
    assert any("嵌套层级太深" in m for _, m, _ in doc.errors)


# --- codes -----------------------------------------------------------------------------------------

@given(st.one_of(st.text(max_size=40), EDITOR_TEXT))
def test_code_parsers_raise_only_code_errors(text):
    for parse in (codes.parse_date, codes.parse_time, codes.parse_doc_number, codes.check_uscc, codes.check_org_code,
                  lambda v: codes.parse_index_number(v, codes.INDEX_FORMATS["安徽"]),
                  lambda v: codes.parse_index_number(v, codes.INDEX_FORMATS["全国"])):
        try:
            parse(text)
        except codes.CodeError as exc:
            assert exc.message and any("\u4e00" <= ch <= "\u9fff" for ch in exc.message)


FULLWIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


@given(st.dates(dt.date(1949, 10, 1), dt.date(2100, 12, 31)))
def test_dates_in_every_spelling(day):
    iso = day.isoformat()
    assert codes.parse_date(iso) == day
    for spelling in (iso.translate(FULLWIDTH), f"{day.year}年{day.month}月{day.day}日",
                     f"{day.year}年{day.month}月{day.day}日".translate(FULLWIDTH), f"{day.year}/{day.month}/{day.day}"):
        try:
            codes.parse_date(spelling)
        except codes.CodeError as exc:
            assert exc.hint == f"请写成 {iso}", (spelling, exc.hint)
        else:
            raise AssertionError(f"{spelling} accepted")


@given(st.integers(1949, 2100), st.integers(1, 12), st.integers(29, 31))
def test_impossible_dates_are_named(year, month, day):
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        dt.date(year, month, day)
    except ValueError:
        try:
            codes.parse_date(text)
        except codes.CodeError as exc:
            assert exc.message == f"日期“{text}”不存在（{year}年{month}月没有{day}日）"
        else:
            raise AssertionError(text)


# --- the sanitizer -----------------------------------------------------------------------------------

TAGS = sorted(ALLOWED_TAGS | {"script", "iframe", "object", "embed", "style", "form", "input", "svg", "math", "img",
                              "meta", "base", "link", "textarea", "noscript", "template", "video", "details", "a"})
ATTRS = ["onclick", "onerror", "onload", "style", "href", "src", "id", "title", "formaction", "xlink:href", "srcdoc", "class"]
VALUES = st.sampled_from(["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                          "vbscript:x", "https://ok.example/", "mailto:a@b.cn", "x", "__drawer", "gk-body", "#top",
                          "expression(alert(1))", "&#106;avascript:alert(1)", "\"><script>alert(1)</script>"])


@st.composite
def html_fragment(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(st.sampled_from(TAGS))
        attrs = " ".join(f'{a}="{draw(VALUES)}"' for a in draw(st.lists(st.sampled_from(ATTRS), max_size=3, unique=True)))
        parts.append(f"<{tag} {attrs}>{draw(st.one_of(CJK, st.sampled_from(['alert(1)', '<b>x</b>', ''])))}</{tag}>")
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(["\n\n", "[x](javascript:alert(1))", "**粗**", "\n\n- 项\n\n", "{: onclick=x }"])))
    return "".join(parts)


def _allowed(html: str) -> None:
    inv = inventory(html)
    assert set(inv.tags) <= ALLOWED_TAGS, set(inv.tags) - ALLOWED_TAGS
    for tag, attr in inv.attrs:
        assert attr in ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set()), (tag, attr)
    assert all(v.startswith("text-align:") and ";" not in v for v in inv.styles), inv.styles
    for url in inv.urls:
        scheme = urlsplit(url).scheme.lower()
        assert scheme in URL_SCHEMES or scheme == "", url
    assert not any(i.lower().startswith(("__", "gk-", "md-")) for i in inv.ids)


@given(st.one_of(html_fragment(), EDITOR_TEXT))
def test_rendered_body_keeps_only_the_safe_subset(body):
    _allowed(str(render_body(body)))


@given(html_fragment())
def test_every_dangerous_removal_is_reported(raw):
    lost = removed_html(raw, sanitize(raw))
    inv = inventory(raw)
    for tag in inv.tags:
        if tag not in ALLOWED_TAGS:
            assert f"<{tag}>" in lost, (tag, lost)
    if any(a.startswith("on") for _, a in inv.attrs):
        assert any("事件属性" in x or x.startswith("<") for x in lost), lost


MARKDOWN_LINKS = st.lists(st.sampled_from([
    "[文件][r]", "[r]", "[r][]", "![图][r]", "\n\n[r]: javascript:alert(1)\n", "\n\n[r]: https://ok.example/ \"题\"\n",
    "\n\n[R]:<data:text/html,x>\n", "<https://ok.example/>", "<javascript:alert(1)>", "[x](javascript:alert(1))",
    "&#106;", "&amp;", "R&D", "科技", "\n\n", "{: onclick=x }", "*粗*", "## 标题", "> ", "- ",
]), max_size=8).map("".join)


@given(st.one_of(html_fragment(), EDITOR_TEXT, MARKDOWN_LINKS))
def test_a_body_said_to_lose_nothing_loses_nothing(body):
    # may_lose_html lets the loader skip the sanitizer's report: it must not skip a body that loses something
    if not may_lose_html(body):
        raw = body_html_unsanitised(body)
        assert removed_html(raw, sanitize(raw)) == [], body


# --- the loader on whole plans -----------------------------------------------------------------------

FIELD_VALUES = st.one_of(EDITOR_TEXT, CJK, st.integers(), st.none(), st.booleans(), st.lists(st.one_of(CJK, st.integers(), st.none()), max_size=3),
                         st.dictionaries(CJK, CJK, max_size=2), st.sampled_from(["2024-02-30", "２０２４年３月１日", "2024-03-01", "规划计划", "其他"]))
PLAN_KEYS = ["名称", "索引号", "组配分类", "主题分类", "文号", "生成日期", "发布日期", "发布时间", "来源", "有效性", "关键词", "摘要", "正文", "相关文件", "指标", "标识"]


@settings(suppress_health_check=FIXTURE, max_examples=settings().max_examples // 3)  # each example loads a project
@given(st.dictionaries(st.sampled_from(PLAN_KEYS), FIELD_VALUES, max_size=10))
def test_any_plan_loads_or_is_explained(scratch, changes):
    rel = "data/plans/gdkjj/2024/gongzuo-jihua.yml"
    path = scratch / rel
    saved = path.read_bytes()
    data = yaml.safe_load(saved)
    data.update(changes)
    try:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        project, problems = load_project(scratch)
        if project is None:
            assert problems.errors and all(p.path and p.message for p in problems.errors)
        else:
            assert rel in {p.path for p in project.plans}
            generate(project, make_env(scratch / "templates"))
    finally:
        path.write_bytes(saved)


# --- the fast schema verdict (fastjsonschema) against jsonschema's ---------------------------------------

ANY_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False), EDITOR_TEXT, CJK,
              st.sampled_from(["", " ", "2024-03-01", "２０２４-03-01", "达到", "规划计划", "（一）", "gaoqi", "0"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.one_of(CJK, st.sampled_from(
        ["编号", "指标", "类型", "目标值", "原文", "出处", "进展", "日期", "数值", "说明", "来源", "单位"])), inner, max_size=3)),
    max_leaves=8)
TARGET_KEYS = ["编号", "指标", "类型", "目标值", "单位", "原文", "出处", "进展", "说明"]
_SAMPLE_PLAN = yaml.safe_load((REPO_ROOT / "data/plans/gdkjj/2024/gongzuo-jihua.yml").read_text(encoding="utf-8"))


def _agree(kind: str, data) -> None:
    assert is_valid(kind, data) == VALIDATORS[kind].is_valid(data), (kind, data)


@given(st.dictionaries(st.sampled_from(PLAN_KEYS), ANY_VALUE, max_size=4),
       st.dictionaries(st.sampled_from(TARGET_KEYS), ANY_VALUE, max_size=3), st.booleans())
def test_fast_schema_verdict_is_jsonschemas(changes, target_changes, drop):
    data = {**_SAMPLE_PLAN, **changes}
    if isinstance(data.get("指标"), list) and data["指标"] and isinstance(data["指标"][0], dict):
        data["指标"] = [{**data["指标"][0], **target_changes}, *data["指标"][1:]]
    if drop:
        data.pop(next(iter(data)))
    _agree("plan", data)


def test_fast_schema_verdict_is_jsonschemas_on_every_data_file():
    kinds = {"departments": "department", "plans": "plan"}
    checked = 0
    for path in sorted((REPO_ROOT / "data").rglob("*.yml")):
        kind = kinds.get(path.relative_to(REPO_ROOT / "data").parts[0]) or path.stem
        if kind in VALIDATORS:
            _agree(kind, parse_text(path.read_text(encoding="utf-8")).data)
            checked += 1
    assert checked >= 15
