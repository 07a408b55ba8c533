"""gongkai new (issue 6): flags and questions, the next 索引号 reserved, a comment on every field."""
from __future__ import annotations

import datetime as dt
import re

from conftest_editors import project_copy, run_cli  # noqa: F401
from gongkai.editors.fix import fix_project
from gongkai.data.loader import load_project
from gongkai.editors.planfile import scalar, suggest_slug
from gongkai.data.yamlio import parse_text


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
    project, problems = load_project(root)
    assert project is not None, problems.report()
    plan = next(p for p in project.plans if p.path.endswith("keji-gongzuo-yaodian.yml") and p.year == 2024)
    assert plan.index_no == data["索引号"] and not plan.index_assigned
    # the number is the one `validate --fix` would have written
    path.write_text(text.replace(f"索引号: {data['索引号']}\n", ""), encoding="utf-8")
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
    code, out, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "测试计划", "--no-input", capsys=capsys)
    assert code == 0, out + err
    today = dt.date.today()
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
    assert code == 2 and "请用 --dept 指定发布机构，可选：gdkjj、skjj" in err
    code, _, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "x", "--date", "2024-02-30", capsys=capsys)
    assert code == 2 and "不存在" in err
    run_cli(project_copy, "new", "--dept", "skjj", "--title", "x", "--slug", "a", "--date", "2024-01-01", capsys=capsys)
    code, _, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "x", "--slug", "a", "--date", "2024-01-01", capsys=capsys)
    assert code == 1 and "已经存在" in err


def test_new_when_other_data_is_broken(project_copy, capsys):
    broken = project_copy / "data/plans/skjj/2024/gongzuo-jihua-ba-xiang.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("生成日期:", "生成日期: 2024-13-01\n#", 1), encoding="utf-8")
    code, out, err = run_cli(project_copy, "new", "--dept", "skjj", "--title", "新计划", "--date", "2024-05-01", capsys=capsys)
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
