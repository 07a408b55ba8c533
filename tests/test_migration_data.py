"""Migrated data (issue 17, part 2): 历史索引号 kept as published, and data/vocab/aliases.yml checked."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest_editors import project_copy, run_cli  # noqa: F401 - fixture
from gongkai.data.loader import load_project

PLAN = """名称: 示例市科技局2019年工作要点
索引号: {number}
{flag}组配分类: 规划计划
主题分类: 其他
文号:
生成日期: 2019-03-01
发布日期: 2019-03-05
正文: |
  一、目标

  1.做好工作。
"""


def _plan(root: Path, slug: str, number: str, historic: bool | None = True, year: int = 2019) -> str:
    rel = f"data/plans/skjj/{year}/{slug}.yml"
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    flag = "" if historic is None else f"历史索引号: {'true' if historic else 'false'}\n"
    (root / rel).write_text(PLAN.format(number=number, flag=flag), encoding="utf-8")
    return rel


@pytest.mark.parametrize("number", [
    "003217891/2019-00002",                       # 全国 format, old 9-digit organisation code
    "11341700MB0A12342H/2019-00008",              # yearly period where the site numbers by month
    "11341700MB0A12342H／201903-00001",           # full-width slash, as published
    "KJJ-2019-0012",                              # a home-grown CMS's own scheme
    "１１３４１７００ＭＢ０Ａ１２３４２Ｈ/201903-00002",  # full-width digits and letters
])
def test_historic_index_number_is_kept_as_published(project_copy, number):
    rel = _plan(project_copy, "yaodian", number)
    project, problems = load_project(project_copy)
    assert project is not None, problems.report()
    plan = next(p for p in project.plans if p.path == rel)
    assert plan.index_no == number and plan.historic_index and not plan.index_assigned
    # without the mark the same number is checked against today's rule
    _plan(project_copy, "yaodian", number, historic=None)
    project, problems = load_project(project_copy)
    assert project is None and any(p.path == rel and p.line == 2 and p.field == "索引号" for p in problems.errors)


def test_historic_index_numbers_are_still_unique(project_copy):
    a = _plan(project_copy, "a", "003217891/2019-00002")
    b = _plan(project_copy, "b", "003217891/2019-00002")
    c = _plan(project_copy, "c", "11341700MB0A12342H/202201-00001")  # the sample 工作总结's number, today's format
    project, problems = load_project(project_copy)
    assert project is None
    dupes = {(p.path, p.line) for p in problems.errors if "重复" in p.message}
    sample = "data/plans/skjj/2021/keji-gongzuo-zongjie.yml"
    line = (project_copy / sample).read_text(encoding="utf-8").splitlines().index("索引号: 11341700MB0A12342H/202201-00001") + 1
    assert {(a, 2), (b, 2), (c, 2), (sample, line)} <= dupes, problems.report()


def test_fix_never_renumbers_a_historic_index_number(project_copy, capsys):
    rel = _plan(project_copy, "yaodian", "003217891/2019-00002")
    new = _plan(project_copy, "jihua", "", historic=None, year=2019)
    text = (project_copy / new).read_text(encoding="utf-8").replace("索引号: \n", "")
    (project_copy / new).write_text(text, encoding="utf-8")
    before = (project_copy / rel).read_text(encoding="utf-8")
    code, out, err = run_cli(project_copy, "validate", "--fix", capsys=capsys)
    assert code == 0, out + err
    assert (project_copy / rel).read_text(encoding="utf-8") == before
    assert "索引号: 11341700MB0A12342H/201903-00001" in (project_copy / new).read_text(encoding="utf-8")


def test_historic_mark_needs_a_number(project_copy):
    rel = _plan(project_copy, "yaodian", "")
    text = (project_copy / rel).read_text(encoding="utf-8").replace("索引号: \n", "")
    (project_copy / rel).write_text(text, encoding="utf-8")
    _, problems = load_project(project_copy)
    assert any(p.path == rel and p.field == "历史索引号" and p.line == 2 for p in problems.errors), problems.report()


def test_aliases_file_is_checked(project_copy):
    path = project_copy / "data/vocab/aliases.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  计划总结: 规划计划\n", "  计划总结: 规划计画\n").replace("发布机构: {}\n", "发布机构:\n  科技办: kjb\n")
    path.write_text(text + "单位:\n  个数: 个\n", encoding="utf-8")
    project, problems = load_project(project_copy)
    assert project is None
    by_field = {p.field: p for p in problems.errors if p.path == "data/vocab/aliases.yml"}
    lines = text.splitlines()
    assert by_field["组配分类.计划总结"].line == lines.index("  计划总结: 规划计画") + 1
    assert "规划计划" in by_field["组配分类.计划总结"].hint  # the closest valid name
    assert "skjj" in by_field["发布机构.科技办"].hint
    assert "单位" in by_field and "不认识" in by_field["单位"].message


def test_sample_aliases_load():
    from conftest_editors import REPO

    project, problems = load_project(REPO)
    assert project is not None, problems.report()
    assert project.aliases["组配分类"]["计划总结"] == "规划计划"
    assert project.aliases["主题分类"]["科技"] == "科技、教育\\科技"
