"""Targets (指标) in plan files: good input loads into Target objects, every bad input gives the
Chinese `path:line: 字段: 问题 — 怎么改` message at the right line."""
from __future__ import annotations

import textwrap

import pytest

from conftest_targets import make_project, plan_text
from gongkai.data.loader import load_project

PLAN = "gdkjj/2024/ceshi.yml"
GOOD = """\
指标:
  - 编号: gaoqi
    指标: 高新技术企业数量
    类型: 达到
    目标值: 200
    原文: 确保实现高新技术企业达200家
    出处: （一）
    进展:
      - 日期: 2024-06-30
        数值: 180
        来源: 培育台账
      - 日期: 2024-09-30
        数值: 196
  - 编号: yanfa
    指标: 研发经费投入
    类型: 增长
    目标值: 10
    基数: 20
    出处: "#yanfa"
  - 编号: chengshi
    指标: 创新型城市创建
    类型: 定性
    出处: 推进创新型城市建设
  - 编号: tongji
    指标: 科技创新项目实施数
    类型: 不少于
    目标值: 5
    期限: 2024-06-30
    出处: 三、1.
    进展:
      - 日期: 2024-06-30
        数值: 4
"""


def load(tmp_path, plans):
    project, problems = load_project(make_project(tmp_path, plans))
    return project, problems


def test_good_targets_load_with_values_anchors_and_status(tmp_path):
    project, problems = load(tmp_path, {PLAN: plan_text(GOOD)})
    assert project is not None, problems.report()
    plan = next(p for p in project.plans if p.slug == "ceshi")
    by_key = {t.key: t for t in plan.targets}
    assert list(by_key) == ["gaoqi", "yanfa", "chengshi", "tongji"]
    gaoqi = by_key["gaoqi"]
    assert (gaoqi.indicator.slug, gaoqi.unit, gaoqi.value, gaoqi.anchor, gaoqi.anchor_label) == ("gaoqi-shuliang", "家", 200, "gk-p1", "（一）")
    assert gaoqi.deadline.isoformat() == "2024-12-31"  # default: end of the plan's year
    assert gaoqi.latest.value == 196 and gaoqi.status == "进行中" and round(gaoqi.percent, 1) == 98.0
    yanfa = by_key["yanfa"]
    assert (yanfa.unit, yanfa.level, yanfa.anchor, yanfa.status) == ("%", 22.0, "yanfa", "无数据")
    assert by_key["chengshi"].anchor == "gk-p2-x2"  # 二是 under （二） and by_key["chengshi"].value is None
    tongji = by_key["tongji"]  # short of the target on its deadline: 未完成, not 进行中
    assert tongji.anchor == "gk-s3-n1" and tongji.status == "未完成" and tongji.percent == 80.0


# (case, targets YAML, the line the message must point at, field, words in the message, words in the hint)
BAD = [
    ("unknown indicator", "指标: 高企数量", "指标: 高企数量", "指标.第1项.指标", "“高企数量”不在指标词表中", "data/vocab/indicators.yml"),
    ("close indicator", "指标: 高新技术企业数", "指标: 高新技术企业数", "指标.第1项.指标", "不在指标词表中", "是否想写“高新技术企业数量”"),
    ("unknown unit", "单位: 户", "单位: 户", "指标.第1项.单位", "“户”不是可用的单位", "可用的单位"),
    ("unit not the indicator's", "单位: 个", "单位: 个", "指标.第1项.单位", "与指标“高新技术企业数量”的单位“家”不一致", "换算成家"),
    ("non-numeric target", "目标值: 200家", "目标值: 200家", "指标.第1项.目标值", "“200家”不是数字", "只写数字 200"),
    ("full-width digits", "目标值: ２００", "目标值: ２００", "指标.第1项.目标值", "全角", "请写成半角数字 200"),
    ("thousands separator", "目标值: '1,200'", "目标值: '1,200'", "指标.第1项.目标值", "千位分隔符", "请写成 1200"),
    ("wan in the number", "目标值: 1.2万", "目标值: 1.2万", "指标.第1项.目标值", "不是数字", "万元"),
    ("decimal count", "目标值: 200.5", "目标值: 200.5", "指标.第1项.目标值", "不是整数", "核对"),
    ("boolean target", "目标值: true", "目标值: true", "指标.第1项.目标值", "应该是数字", "只写数字"),
    ("unknown kind", "类型: 大约", "类型: 大约", "指标.第1项.类型", "“大约”不是可选的值", "达到、不少于、增长、保持、定性"),
    ("misspelt field", "目标: 200", "目标: 200", "目标", "不认识这个字段", "目标值"),
    ("bad slug", "编号: 高企", "编号: 高企", "指标.第1项.编号", "格式不对", "小写字母"),
    ("impossible deadline", "期限: 2024-02-30", "期限: 2024-02-30", "指标.第1项.期限", "不存在", "YYYY-MM-DD"),
    ("Chinese-style deadline", "期限: 2024年12月31日", "期限: 2024年12月31日", "指标.第1项.期限", "写法不对", "请写成 2024-12-31"),
    ("deadline before plan", "期限: 2024-01-31", "期限: 2024-01-31", "指标.第1项.期限", "早于计划的生成日期 2024-03-01", "核对"),
    ("missing paragraph", "出处: （五）", "出处: （五）", "指标.第1项.出处", "找不到以“（五）”开头的段落", "（一）"),
    ("missing id", "出处: '#gaoqi'", "出处: '#gaoqi'", "指标.第1项.出处", "没有标识为“gaoqi”的段落", "{#gaoqi}"),
    ("missing quote", "出处: 科技特派员不少于500人", "出处: 科技特派员不少于500人", "指标.第1项.出处", "正文中找不到“科技特派员不少于500人”", "序号"),
    ("ambiguous number", "出处: 二是\n    原文: x", None, None, None, None),  # placeholder, replaced below
]
BAD = BAD[:-1]


def _with(field_line: str) -> str:
    """GOOD's first target with one line replaced or added."""
    key = field_line.split(":")[0]
    lines = ["指标:", "  - 编号: gaoqi", "    指标: 高新技术企业数量", "    类型: 达到", "    目标值: 200", "    出处: （一）"]
    for i, line in enumerate(lines[1:], 1):
        if line.strip().startswith("- " + key + ":") or line.strip().startswith(key + ":"):
            lines[i] = line[: len(line) - len(line.lstrip())] + ("- " if line.strip().startswith("- ") else "") + field_line
            break
    else:
        lines.append("    " + field_line)
    return "\n".join(lines) + "\n"


def _problem(problems, text, at):
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.strip().lstrip("- ").startswith(at.lstrip("- ")))
    return line, [p for p in problems.errors if p.path == f"data/plans/{PLAN}"]


@pytest.mark.parametrize("case,change,at,field,message,hint", BAD, ids=[b[0] for b in BAD])
def test_bad_target_field(tmp_path, case, change, at, field, message, hint):
    text = plan_text(_with(change))
    project, problems = load(tmp_path, {PLAN: text})
    assert project is None
    line, found = _problem(problems, text, at)
    matching = [p for p in found if message in p.message]
    assert matching, f"{case}: expected “{message}” in:\n{problems.report()}"
    p = matching[0]
    assert p.line == line, f"{case}: line {p.line}, expected {line}: {p}"
    assert field in p.field and hint in p.hint, str(p)
    assert "Traceback" not in problems.report()


BAD_BLOCKS = [
    ("growth without baseline", """\
        指标:
          - 编号: yanfa
            指标: 研发经费投入
            类型: 增长
            目标值: 10
        """, "类型: 增长", "指标.第1项.类型", "“增长”类目标需要填写基数", "基数: 数字"),
    ("growth in a level unit", """\
        指标:
          - 编号: yanfa
            指标: 研发经费投入
            类型: 增长
            目标值: 10
            单位: 亿元
            基数: 20
        """, "单位: 亿元", "指标.第1项.单位", "单位应为 %", "增长的百分数"),
    ("percent typed into the value", """\
        指标:
          - 编号: yanfa
            指标: 研发经费投入
            类型: 增长
            目标值: 10%
            基数: 20
        """, "目标值: 10%", "指标.第1项.目标值", "“10%”不是数字", "百分号写在“单位”里"),
    ("target without value", """\
        指标:
          - 编号: gaoqi
            指标: 高新技术企业数量
            类型: 达到
        """, "- 编号: gaoqi", "指标.第1项", "缺少目标值", "定性"),
    ("qualitative with value", """\
        指标:
          - 编号: chengshi
            指标: 创新型城市创建
            类型: 定性
            目标值: 1
        """, "目标值: 1", "指标.第1项.目标值", "定性目标不填目标值", "删除"),
    ("number for a qualitative indicator", """\
        指标:
          - 编号: chengshi
            指标: 创新型城市创建
            类型: 达到
            目标值: 1
        """, "类型: 达到", "指标.第1项.类型", "是定性指标", "定性"),
    ("progress before the plan", """\
        指标:
          - 编号: gaoqi
            指标: 高新技术企业数量
            类型: 达到
            目标值: 200
            进展:
              - 日期: 2024-01-15
                数值: 150
        """, "- 日期: 2024-01-15", "指标.第1项.进展.第1项.日期", "进展日期 2024-01-15 早于计划的生成日期 2024-03-01", "目标完成情况"),
    ("non-numeric progress", """\
        指标:
          - 编号: gaoqi
            指标: 高新技术企业数量
            类型: 达到
            目标值: 200
            进展:
              - 日期: 2024-06-30
                数值: 一百八十
        """, "数值: 一百八十", "指标.第1项.进展.第1项.数值", "“一百八十”不是数字", "只写数字"),
    ("progress without value", """\
        指标:
          - 编号: gaoqi
            指标: 高新技术企业数量
            类型: 达到
            目标值: 200
            进展:
              - 日期: 2024-06-30
                说明: 进展顺利
        """, "- 日期: 2024-06-30", "指标.第1项.进展.第1项", "缺少数值", "数值: 数字"),
    ("status on a number target", """\
        指标:
          - 编号: gaoqi
            指标: 高新技术企业数量
            类型: 达到
            目标值: 200
            进展:
              - 日期: 2024-06-30
                数值: 210
                状态: 已完成
        """, "状态: 已完成", "指标.第1项.进展.第1项.状态", "由数值自动判断", "删除"),
    ("duplicate id", """\
        指标:
          - 编号: gaoqi
            指标: 高新技术企业数量
            类型: 达到
            目标值: 200
          - 编号: gaoqi
            指标: 科技型中小企业数量
            类型: 达到
            目标值: 200
        """, "- 编号: gaoqi\n    指标: 科技型", "指标.第2项.编号", "编号“gaoqi”重复", "必须不同"),
    ("ambiguous item number", """\
        指标:
          - 编号: gaoqi
            指标: 高新技术企业数量
            类型: 达到
            目标值: 200
            出处: "1."
        """, "出处: \"1.\"", "指标.第1项.出处", "正文中有2段以“1.”开头", "一、1."),
]


@pytest.mark.parametrize("case,targets,at,field,message,hint", BAD_BLOCKS, ids=[b[0] for b in BAD_BLOCKS])
def test_bad_target_block(tmp_path, case, targets, at, field, message, hint):
    body = "一、总体目标\n\n1.第一项。\n\n2.第二项。\n\n二、保障措施\n\n1.加强领导。\n"
    text = plan_text(targets, body=body) if case == "ambiguous item number" else plan_text(targets)
    project, problems = load(tmp_path, {PLAN: text})
    assert project is None
    lines = text.splitlines()
    first = at.split("\n")[0]
    line = next(i for i, l in enumerate(lines, 1) if l.strip() == first.strip() and
                ("\n" not in at or lines[i].strip().startswith(at.split("\n")[1].strip())))
    matching = [p for p in problems.errors if message in p.message]
    assert matching, f"{case}: expected “{message}” in:\n{problems.report()}"
    p = matching[0]
    assert (p.path, p.line) == (f"data/plans/{PLAN}", line), str(p)
    assert field in p.field and hint in p.hint, str(p)


SUMMARY = "gdkjj/2024/zongjie.yml"


def _summary(closings: str) -> str:
    return plan_text("目标完成情况:\n" + textwrap.indent(textwrap.dedent(closings), "  "), created="2025-01-10",
                     body="2024年工作总结。\n")


def test_summary_closes_a_target_and_the_plan_shows_the_final_result(tmp_path):
    closing = """\
        - 计划: gdkjj/2024/ceshi
          编号: gaoqi
          数值: 203
          日期: 2024-12-31
          说明: 完成率101.5%
        - 计划: gdkjj/2024/ceshi
          编号: chengshi
          状态: 已完成
        """
    project, problems = load(tmp_path, {PLAN: plan_text(GOOD), "gdkjj/2025/zongjie.yml": _summary(closing)})
    assert project is not None, problems.report()
    plan = next(p for p in project.plans if p.slug == "ceshi")
    gaoqi = next(t for t in plan.targets if t.key == "gaoqi")
    assert gaoqi.final and gaoqi.latest.value == 203 and gaoqi.status == "已完成" and round(gaoqi.percent, 1) == 101.5
    assert gaoqi.closing.summary.slug == "zongjie" and gaoqi.closing.note == "完成率101.5%"
    chengshi = next(t for t in plan.targets if t.key == "chengshi")
    assert chengshi.status == "已完成" and chengshi.closing.date.isoformat() == "2025-01-10"  # default: the summary's 生成日期


def test_summary_short_of_the_target_makes_it_missed(tmp_path):
    closing = "- 计划: gdkjj/2024/ceshi\n  编号: gaoqi\n  数值: 150\n"
    project, problems = load(tmp_path, {PLAN: plan_text(GOOD), "gdkjj/2025/zongjie.yml": _summary(closing)})
    assert project is not None, problems.report()
    gaoqi = next(t for p in project.plans for t in p.targets if t.key == "gaoqi")
    assert gaoqi.status == "未完成" and gaoqi.percent == 75.0


BAD_CLOSINGS = [
    ("unknown plan", "- 计划: gdkjj/2024/cesh\n  编号: gaoqi\n  数值: 1\n", "- 计划: gdkjj/2024/cesh", "目标完成情况.第1项.计划", "找不到计划“gdkjj/2024/cesh”", "gdkjj/2024/ceshi"),
    ("unknown target", "- 计划: gdkjj/2024/ceshi\n  编号: gaoq\n  数值: 1\n", "编号: gaoq", "目标完成情况.第1项.编号", "没有编号为“gaoq”的目标", "gaoqi"),
    ("qualitative without result", "- 计划: gdkjj/2024/ceshi\n  编号: chengshi\n", "- 计划: gdkjj/2024/ceshi", "目标完成情况.第1项", "定性目标要写明结果", "已完成"),
    ("number without value", "- 计划: gdkjj/2024/ceshi\n  编号: gaoqi\n", "- 计划: gdkjj/2024/ceshi", "目标完成情况.第1项", "缺少最终完成的数值", "家"),
    ("non-numeric final", "- 计划: gdkjj/2024/ceshi\n  编号: gaoqi\n  数值: 二百\n", "数值: 二百", "目标完成情况.第1项.数值", "不是数字", "只写数字"),
    ("closed twice", "- 计划: gdkjj/2024/ceshi\n  编号: gaoqi\n  数值: 1\n- 计划: gdkjj/2024/ceshi\n  编号: gaoqi\n  数值: 2\n",
     "数值: 2", "目标完成情况.第2项.编号", "已经在 data/plans/gdkjj/2025/zongjie.yml", "只能有一个最终结果"),
]


@pytest.mark.parametrize("case,closing,at,field,message,hint", BAD_CLOSINGS, ids=[b[0] for b in BAD_CLOSINGS])
def test_bad_closing(tmp_path, case, closing, at, field, message, hint):
    text = _summary(closing)
    project, problems = load(tmp_path, {PLAN: plan_text(GOOD), "gdkjj/2025/zongjie.yml": text})
    assert project is None
    matching = [p for p in problems.errors if message in p.message]
    assert matching, f"{case}: expected “{message}” in:\n{problems.report()}"
    p = matching[0]
    lines = text.splitlines()
    if case == "closed twice":
        line = next(i for i, l in enumerate(lines, 1) if l.strip() == "数值: 2") - 1  # the second entry's 编号
    else:
        line = next(i for i, l in enumerate(lines, 1) if l.strip() == at.strip())
    assert (p.path, p.line) == ("data/plans/gdkjj/2025/zongjie.yml", line), str(p)
    assert field in p.field and hint in p.hint, str(p)


def test_every_problem_in_one_run(tmp_path):
    targets = """\
        指标:
          - 编号: a
            指标: 高企数量
            类型: 达到
            目标值: 200家
          - 编号: b
            指标: 研发经费投入
            类型: 增长
            目标值: 10
            出处: （九）
        """
    project, problems = load(tmp_path, {PLAN: plan_text(targets)})
    assert project is None
    messages = " | ".join(p.message for p in problems.errors)
    for expected in ("不在指标词表中", "“200家”不是数字", "需要填写基数", "找不到以“（九）”开头的段落"):
        assert expected in messages
    assert "共发现 4 处错误" in problems.report()


def test_vocabularies_only_needed_when_targets_are_used(tmp_path):
    project, problems = load_project(make_project(tmp_path / "a", {PLAN: plan_text()}, vocab=False))
    assert project is not None, problems.report()
    project, problems = load_project(make_project(tmp_path / "b", {PLAN: plan_text(GOOD)}, vocab=False))
    assert project is None
    assert any(p.path == "data/vocab/indicators.yml" and "缺少词表文件" in p.message for p in problems.errors)


def test_indicator_vocabulary_is_checked(tmp_path):
    root = make_project(tmp_path, {PLAN: plan_text(GOOD)})
    path = root / "data" / "vocab" / "indicators.yml"
    path.write_text(path.read_text(encoding="utf-8") + "- 名称: 高新技术企业数量\n  标识: gaoqi-shuliang\n  单位: 户\n", encoding="utf-8")
    project, problems = load_project(root)
    assert project is None
    text = problems.report()
    assert "指标“高新技术企业数量”重复" in text and "标识“gaoqi-shuliang”重复" in text and "“户”不在单位词表中" in text
    assert all(p.path == "data/vocab/indicators.yml" and p.line > 1 for p in problems.errors)
