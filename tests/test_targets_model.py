"""Pure functions behind targets: status and completion, numbering markers, number parsing, axes."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from gongkai.rules import codes
from gongkai.data.targets import Closing, Indicator, Progress, Target, fmt_number, parse_number
from gongkai.markup.anchors import anchored_body, key_label, read_marker, resolve_source
from gongkai.rules.numerals import cn_to_int
from gongkai.pages.targets import nice_axis, prefix_ids, target_text

D = dt.date
PLAN = SimpleNamespace(id="d/2024/p", year=2024, created=D(2024, 3, 1), title="计划", url="xxgk/d/2024/p/")
IND = Indicator("高新技术企业数量", "gaoqi", "家")


def target(kind="达到", value=200.0, baseline=None, progress=(), closing=None, deadline=D(2024, 12, 31)):
    t = Target(plan=PLAN, key="k", indicator=IND, kind=kind, value=value, unit="%" if kind == "增长" else "家",
               baseline=baseline, deadline=deadline, owner="局", wording="")
    t.progress = [Progress(D(*d), v, s) for d, v, s in progress]
    if closing is not None:
        t.closing = Closing(SimpleNamespace(title="总结", url="xxgk/d/2025/z/"), D(2024, 12, 31), closing, None)
    return t


@pytest.mark.parametrize("kwargs,status,percent", [
    ({}, "无数据", None),
    ({"progress": [((2024, 6, 30), 150, None)]}, "进行中", 75.0),
    ({"progress": [((2024, 6, 30), 210, None)]}, "已完成", 105.0),
    ({"progress": [((2024, 9, 30), 190, None), ((2024, 6, 30), 210, None)]}, "进行中", 95.0),  # the latest date counts
    ({"progress": [((2024, 12, 31), 199, None)]}, "未完成", 99.5),  # deadline reached, short of the target
    ({"progress": [((2024, 6, 30), 120, None)], "closing": 200}, "已完成", 100.0),  # the summary's final value wins
    ({"progress": [((2024, 6, 30), 120, None)], "closing": 150}, "未完成", 75.0),
    ({"kind": "不少于", "value": 500.0, "closing": 537}, "已完成", 107.4),
    ({"kind": "增长", "value": 10.0, "baseline": 20.0, "progress": [((2024, 12, 31), 23, None)]}, "已完成", 150.0),
    ({"kind": "增长", "value": 20.0, "baseline": 15.2, "closing": 18.5}, "已完成", 108.6),
    ({"kind": "增长", "value": 10.0, "baseline": 20.0, "closing": 19}, "未完成", -50.0),
    ({"kind": "定性", "value": None}, "无数据", None),
    ({"kind": "定性", "value": None, "progress": [((2024, 6, 30), None, None)]}, "进行中", None),
    ({"kind": "定性", "value": None, "progress": [((2024, 6, 30), None, "已完成")]}, "已完成", None),
])
def test_status_and_percent(kwargs, status, percent):
    t = target(**kwargs)
    assert t.status == status
    assert (None if t.percent is None else round(t.percent, 1)) == percent


def test_growth_level_and_text():
    t = target(kind="增长", value=10.0, baseline=20.6)
    assert t.level == pytest.approx(22.66) and target_text(t) == "增长 10%"
    assert target_text(target(kind="不少于", value=500.0)) == "不少于 500"
    assert target_text(target(kind="定性", value=None)) == "定性"


@pytest.mark.parametrize("text,marker", [
    ("（一）持续加大", ("p", 1)), ("(三)加快", ("p", 3)), ("（十二）x", ("p", 12)),
    ("一、抓好", ("s", 1)), ("十、x", ("s", 10)), ("二十三、x", ("s", 23)),
    ("5.实施", ("n", 5)), ("12、加大", ("n", 12)), ("１０．全角", ("n", 10)),
    ("(1)小项", ("q", 1)), ("（２）小项", ("q", 2)), ("③圈号", ("c", 3)),
    ("二是建强", ("x", 2)), ("十是革新", ("x", 10)),
    ("5.30科技工作者日", None), ("2024年是", None), ("一是否", ("x", 1)), ("普通段落", None),
])
def test_read_marker(text, marker):
    assert read_marker(text)[0] == marker


@pytest.mark.parametrize("text,n", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99), ("一百零五", 105), ("7", 7), ("甲", None)])
def test_cn_to_int(text, n):
    assert cn_to_int(text) == n


BODY = "前言。\n\n## 一、第一部分\n\n1.甲项。\n\n2.乙项。\n\n## 二、第二部分\n\n1.丙项。\n\n（一）丁项。\n\n普通段落,含有研发投入。\n{#yf}\n"


def test_anchored_body_ids_and_references():
    html = anchored_body(BODY)
    for anchor in ('id="gk-s1-n1"', 'id="gk-s1-n2"', 'id="gk-s2-n1"', 'id="yf"'):
        assert anchor in html
    assert html.count("<h2 id=") == 2  # headings keep the toc's ids
    assert resolve_source(BODY, "二、1.")[:2] == ("gk-s2-n1", "二、1.")
    assert resolve_source(BODY, "2.")[:2] == ("gk-s1-n2", "一、2.")
    assert resolve_source(BODY, "#yf")[0] == "yf"
    assert resolve_source(BODY, "研发投入")[0] == "yf"  # a quotation finds its paragraph
    anchor, _, message, hint = resolve_source(BODY, "1.")
    assert anchor is None and message == "正文中有2段以“1.”开头" and "一、1." in hint and "二、1." in hint
    assert "找不到" in resolve_source(BODY, "三、")[2]
    assert resolve_source(BODY, "前言")[2] == "这句话所在的段落没有序号"
    # （一） after 1. is read as a new level below the section: 二、（一）
    assert resolve_source(BODY, "（一）")[:2] == ("gk-s2-p1", "二、（一）")


def test_ordered_list_items_count_as_numbers():
    body = "一、总则\n\n1. 第一条\n2. 第二条\n"
    assert resolve_source(body, "2.")[0] == "gk-s1-n2"
    assert key_label((("s", 1), ("n", 2))) == "一、2."


@pytest.mark.parametrize("value,number", [(200, 200.0), (1.5, 1.5), (0, 0.0), (-3, -3.0)])
def test_parse_number_good(value, number):
    assert parse_number(value) == number


@pytest.mark.parametrize("value,message,hint", [
    ("200家", "“200家”不是数字", "只写数字 200，单位“家”写在“单位”里"),
    ("10%", "“10%”不是数字", "百分号写在“单位”里"),
    ("１０％", "不是数字", "百分号"),
    ("２００", "全角", "请写成半角数字 200"),
    ("200", "写成了文字", "200"),
    ("1,000", "千位分隔符", "请写成 1000"),
    ("1.2万", "不是数字", "万"),
    ("约200", "不是数字", "只写数字"),
    (True, "true/false", "只写数字"),
    (None, "空", "只写数字"),
    ([1], "列表", "只写数字"),
])
def test_parse_number_bad(value, message, hint):
    with pytest.raises(codes.CodeError) as exc:
        parse_number(value)
    assert message in exc.value.message and hint in exc.value.hint


@pytest.mark.parametrize("value,text", [(200.0, "200"), (1.25, "1.25"), (101.444, "101.44"), (0.62, "0.62"), (None, "")])
def test_fmt_number(value, text):
    assert fmt_number(value) == text


@pytest.mark.parametrize("vmax,top,ticks", [
    (40, 40, [0, 10, 20, 30, 40]), (31, 40, [0, 10, 20, 30, 40]), (550, 600, [0, 200, 400, 600]),
    (1, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]), (0.62, 0.8, [0, 0.2, 0.4, 0.6, 0.8]), (2000, 2000, [0, 500, 1000, 1500, 2000]),
    (0, 1, [0, 1]),
])
def test_nice_axis(vmax, top, ticks):
    got_top, got_ticks = nice_axis(vmax)
    assert got_top == pytest.approx(top) and got_ticks == pytest.approx(ticks)
    assert got_top >= vmax and len(got_ticks) <= 6


def test_prefix_ids_keeps_in_page_links_working():
    html = '<p id="gk-p1">甲</p><a href="#gk-p1">见原文</a><a href="../x/#y">外</a>'
    out = prefix_ids(html, "hb-a--")
    assert 'id="hb-a--gk-p1"' in out and 'href="#hb-a--gk-p1"' in out and 'href="../x/#y"' in out
