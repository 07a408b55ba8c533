"""gongkai new (issue 6): flags and questions, the next 索引号 reserved, a comment on every field."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest_editors import project_copy, run_cli  # noqa: F401
from gongkai.editors.fix import fix_project
from gongkai.data.loader import load_project
from gongkai.editors.planfile import scalar, suggest_slug
from gongkai.data.yamlio import parse_text
from gongkai.data.drafts import title_year
from gongkai.cli.new import proposed_year


def test_new_with_flags(project_copy, capsys):
    root = project_copy
    code, out, err = run_cli(root, "new", "--dept", "skjj", "--title", "市科学技术局2024年科技工作要点", "--date", "2024-02-25",
                             capsys=capsys)
    assert code == 0, out + err
    path = root / "data/plans/skjj/2024/keji-gongzuo-yaodian.yml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# 政府信息公开条目（工作计划）。渲染模板：templates/components/plan_page")
    assert lines[1].startswith("# 修改后运行：make validate")
    doc = parse_text(text)
    assert not doc.errors
    data = doc.data
    # skjj has 202402-00001 (niandu-gongzuo-jihua, 2024-02-20): the next in February is 00002
    assert data["索引号"] == "11341700MB0A12342H/202402-00002"
    assert data["组配分类"] == "规划计划" and data["生成日期"] == data["发布日期"] == "2024-02-25"
    assert data["主题分类"] == "科技、教育\\科技"
    for key in data:  # every field has its Chinese comment on the line above
        i = next(n for n, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[i - 1].startswith(f"# {key}：") and re.search("[\u4e00-\u9fff]", lines[i - 1])
    assert "# 失效日期:" in text and "# 替代文件:" in text  # optional fields offered, commented out
    assert f"已创建 data/plans/skjj/2024/keji-gongzuo-yaodian.yml，索引号 {data['索引号']}" in out
    # the template's placeholders keep it from being published: each is an error at its own line …
    project, problems = load_project(root)
    assert project is None
    mine = [p for p in problems.errors if p.path.endswith("keji-gongzuo-yaodian.yml")]
    assert mine and all("占位文字" in p.message and lines[p.line - 1].strip().startswith(("（待填写", "## 一、（待填写",
                                                                                       "## 二、（待填写", "1.（待", "2.（待", "3.（待"))
                        for p in mine), [str(p) for p in mine]
    assert len(mine) == len(problems.errors) == text.count("（待填写：")
    assert "还有 6 处“（待填写：……）”" in out
    # … while the preview builds it, marked as a draft
    project, problems = load_project(root, drafts=True)
    assert project is not None, problems.report()
    plan = next(p for p in project.plans if p.path.endswith("keji-gongzuo-yaodian.yml") and p.year == 2024)
    assert plan.index_no == data["索引号"] and not plan.index_assigned
    assert [r.line for r in plan.review] == [p.line for p in mine]
    # the number is the one `validate --fix` would have written
    filled = re.sub(r"（待填写：([^）]*)）", r"\1", text)  # the editor writes the text (here: the hints themselves)
    path.write_text(filled.replace(f"索引号: {data['索引号']}\n", ""), encoding="utf-8")
    fix_project(root)
    assert parse_text(path.read_text(encoding="utf-8")).data["索引号"] == data["索引号"]


def test_new_twice_reserves_consecutive_numbers_and_names(project_copy, capsys):
    root = project_copy
    for _ in range(2):
        code, out, err = run_cli(root, "new", "--dept", "gdkjj", "--title", "广德市科技局2025年工作计划", "--date", "2025-01-10",
                                 capsys=capsys)
        assert code == 0, out + err
    a = parse_text((root / "data/plans/gdkjj/2025/gongzuo-jihua.yml").read_text(encoding="utf-8")).data
    b = parse_text((root / "data/plans/gdkjj/2025/gongzuo-jihua-2.yml").read_text(encoding="utf-8")).data
    assert (a["索引号"], b["索引号"]) == ("1134172300325409XR/202501-00001", "1134172300325409XR/202501-00002")


def test_new_defaults_to_today(project_copy, capsys):
    today = dt.date.today()
    code, out, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "测试计划", "--no-input", capsys=capsys)
    assert code == 2 and "名称中没有年份，请用 --year" in err  # never guessed when nobody can be asked
    code, out, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "测试计划", "--no-input",
                             "--year", str(today.year), capsys=capsys)
    assert code == 0, out + err
    data = parse_text((project_copy / f"data/plans/skjj/{today.year}/jihua.yml").read_text(encoding="utf-8")).data
    assert data["发布日期"] == today.isoformat()


def test_new_asks_questions_in_a_terminal(project_copy, capsys, monkeypatch):
    answers = iter(["nosuch", "skjj", "示例市科技局2026年工作计划", "", "科技、教育\\教育"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, out, err = run_cli(project_copy, "new", "--date", "2026-01-05", capsys=capsys)
    assert code == 0, out + err
    assert "请重新输入" in out  # "nosuch" is not a department
    data = parse_text((project_copy / "data/plans/skjj/2026/gongzuo-jihua.yml").read_text(encoding="utf-8")).data
    assert data["主题分类"] == "科技、教育\\教育" and data["名称"] == "示例市科技局2026年工作计划"


def test_new_explains_mistakes(project_copy, capsys):
    code, _, err = run_cli(project_copy, "new", "--title", "x", "--no-input", capsys=capsys)
    assert code == 2 and "请用 --dept gdkjj 指定发布机构，可选：gdkjj、skjj" in err
    code, _, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "x", "--date", "2024-02-30", capsys=capsys)
    assert code == 2 and "不存在" in err
    run_cli(project_copy, "new", "--dept", "skjj", "--title", "x", "--slug", "a", "--date", "2024-01-01", "--year", "2024", capsys=capsys)
    code, _, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "x", "--slug", "a", "--date", "2024-01-01",
                           "--year", "2024", capsys=capsys)
    assert code == 1 and "已经存在" in err


def test_new_when_other_data_is_broken(project_copy, capsys):
    broken = project_copy / "data/plans/skjj/2024/gongzuo-jihua-ba-xiang.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("生成日期:", "生成日期: 2024-13-01\n#", 1), encoding="utf-8")
    code, out, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "新计划", "--date", "2024-05-01", "--year", "2024",
                             capsys=capsys)
    assert code == 0 and "无法预留索引号" in err
    text = (project_copy / "data/plans/skjj/2024/jihua.yml").read_text(encoding="utf-8")
    assert "索引号暂未填写" in text and not re.search(r"^索引号:", text, re.M)


def test_slug_suggestions():
    assert suggest_slug("市科学技术局2021年全市科技工作要点") == "keji-gongzuo-yaodian"
    assert suggest_slug("市科学技术局2024年度工作计划") == "niandu-gongzuo-jihua"
    assert suggest_slug("广德市科技局2024年工作计划", {"gongzuo-jihua"}) == "gongzuo-jihua-2"
    assert suggest_slug("关于加强管理的意见") == "yijian"
    assert suggest_slug("无法识别") == "jihua"


def test_scalars_read_back_unchanged():
    for value in ["2024-03-01", "15:00", "规划计划", "科技、教育\\科技", "a: b", "# x", "- x", "123", "true", "“引号”", "x #y", ""]:
        assert parse_text(f"k: {scalar(value)}\n").data["k"] == value


# --- the year (issue 22): from the title, else asked (December proposes next year), else --year ---------------------
@pytest.mark.parametrize("title, year", [
    ("市科学技术局2025年工作计划", 2025),
    ("市科学技术局二〇二五年工作计划", 2025),
    ("市科学技术局二零二五年工作计划", 2025),
    ("市科学技术局２０２５年工作计划", 2025),  # full-width digits
    ("市科学技术局2025 年工作计划", 2025),
    ("（2024年）工作总结", 2024),
    ("市科学技术局工作计划", None),
    ("2024年工作总结和2025年工作计划", None),  # two years: not clear, asked
    ("第十二个五年规划", None),
    ("100年大计", None),
])
def test_title_year(title, year):
    assert title_year(title) == year


@pytest.mark.parametrize("today, proposed", [
    (dt.date(2026, 12, 6), 2027), (dt.date(2026, 12, 31), 2027), (dt.date(2026, 11, 30), 2026), (dt.date(2027, 1, 2), 2027),
])
def test_december_proposes_next_year(today, proposed):
    assert proposed_year(today) == proposed


def test_new_in_december_lands_in_the_titles_year(project_copy, capsys, monkeypatch):
    """`make new TITLE="…2025年工作计划"` on 2026-12-06: never 2026/ with a 2026 索引号."""
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-06")
    title = "市科学技术局2025年工作计划"
    code, _, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", title, "--no-input", capsys=capsys)
    assert code == 2 and "这是2025年的计划，生成日期不能默认今天（2026-12-06）：请用 --date" in err
    assert not (project_copy / "data/plans/skjj/2026").exists()
    code, out, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", title, "--date", "2025-02-20", capsys=capsys)
    assert code == 0, out + err
    data = parse_text((project_copy / "data/plans/skjj/2025/gongzuo-jihua.yml").read_text(encoding="utf-8")).data
    assert data["生成日期"] == data["发布日期"] == "2025-02-20"
    assert data["索引号"].split("/")[1].startswith("202502-")  # the period follows the document's date
    # a title without a year, in December, asked: next year proposed, Enter accepts it
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["", ""])  # 年度 [2027], 文件名 [default]
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    code, out, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "市科学技术局科技工作要点", "--topic", "其他",
                             capsys=capsys)
    assert code == 0, out + err
    data = parse_text((project_copy / "data/plans/skjj/2027/keji-gongzuo-yaodian.yml").read_text(encoding="utf-8")).data
    assert data["生成日期"] == "2026-12-06" and data["索引号"].split("/")[1].startswith("202612-")


def test_new_via_make_names_make_variables(project_copy, capsys, monkeypatch):
    """Run by `make new`, the messages say DEPT=… / YEAR=…, what the user typed, not --dept."""
    monkeypatch.setenv("GONGKAI_MAKE", "1")
    code, _, err = run_cli(project_copy, "new", "--title", "x", "--no-input", capsys=capsys)
    assert code == 2 and "请用 DEPT=gdkjj 指定发布机构" in err and "--dept" not in err
    code, _, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "x", "--no-input", capsys=capsys)
    assert code == 2 and "请用 YEAR=" in err and "--year" not in err
    with pytest.raises(SystemExit) as exc:
        run_cli(project_copy, "new", "--year", "二〇二五", capsys=capsys)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "YEAR=" in err and "--year" not in err and "用法" not in err
