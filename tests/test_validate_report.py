"""gongkai validate --format github|gitlab-codequality (issue 16): the same Chinese problems for CI.

GitHub workflow commands are parsed back the way the runner reads them (properties split on
',' and '=', then %-decoded); the Code Quality report is checked against the fields GitLab
requires. Tables of bad input include full-width digits and punctuation.
"""
from __future__ import annotations

import json
import re

import pytest

from conftest_editors import run_cli
from gongkai.problems import Problem, codequality, github_commands

PLAN = "data/plans/skjj/2024/niandu-gongzuo-jihua.yml"
COMMAND = re.compile(r"^::(?P<kind>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def _decode(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    m = COMMAND.match(line)
    assert m, line
    props = dict(p.split("=", 1) for p in m["props"].split(",")) if m["props"] else {}
    return m["kind"], {k: _decode(v) for k, v in props.items()}, _decode(m["message"])


def _break(project, old: str, new: str) -> None:
    path = project / PLAN
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BAD = [  # (replace, with, field reported)
    ("发布日期: 2024-02-20", "发布日期: ２０２４-02-20", "发布日期"),  # full-width digits
    ("发布日期: 2024-02-20", "发布日期: 2024年2月20日", "发布日期"),
    ('发布时间: "', '发布时间: "１', "发布时间"),
    ("组配分类: 规划计划", "组配分类: 工作计划", "组配分类"),
    ("索引号: 11341700MB0A12342H/202402-00001", "索引号: 11341700MB0A12342H／202402－00001", "索引号"),  # full-width slash, dash
]


@pytest.mark.parametrize("old,new,field", BAD, ids=[b[1] for b in BAD])
def test_github_annotations_carry_file_line_and_the_chinese_line(project, capsys, old, new, field):
    _break(project, old, new)
    code, out, err = run_cli(project, "validate", "--format", "github", capsys=capsys)
    assert code == 1 and "Traceback" not in out + err
    text_lines = [line for line in err.splitlines() if line.startswith("data/")]
    commands = [parse_command(line) for line in out.splitlines() if line.startswith("::")]
    errors = [c for c in commands if c[0] == "error"]
    assert text_lines and len(errors) == len(text_lines)
    for (kind, props, message), line in zip(errors, sorted(text_lines)):
        assert message == line  # the log reads exactly like `gongkai validate`
        where, _, rest = line.partition(": ")
        assert props["file"] == where.split(":")[0] and props["line"] == where.split(":")[1]
        assert props["title"] == rest.split(": ")[0]
    assert any(p["file"] == PLAN and p["title"] == field for _, p, _ in errors)


@pytest.mark.parametrize("old,new,field", BAD, ids=[b[1] for b in BAD])
def test_gitlab_code_quality_report(project, capsys, old, new, field):
    _break(project, old, new)
    code, out, err = run_cli(project, "validate", "--format", "gitlab-codequality", capsys=capsys)
    assert code == 1
    report = json.loads(out)  # stdout is only the report; the text is on stderr
    assert isinstance(report, list) and report
    assert len({r["fingerprint"] for r in report}) == len(report)
    for r in report:
        assert set(r) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert r["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(r["location"]["path"], str) and r["location"]["lines"]["begin"] >= 1
        assert re.fullmatch(r"[0-9a-f]{64}", r["fingerprint"])
    mine = [r for r in report if r["location"]["path"] == PLAN and r["description"].startswith(f"{field}: ")]
    assert mine and mine[0]["severity"] == "major" and " — " in mine[0]["description"]
    line = mine[0]["location"]["lines"]["begin"]
    assert f"{PLAN}:{line}: {mine[0]['description']}" in err.splitlines()


def test_a_clean_project_gives_an_empty_report_and_notices_for_numbers_to_come(project, capsys):
    code, out, err = run_cli(project, "validate", "--format", "gitlab-codequality", capsys=capsys)
    assert code == 0 and json.loads(out) == [] and "检查通过" in err
    _break(project, "索引号: 11341700MB0A12342H/202402-00001\n", "")
    code, out, err = run_cli(project, "validate", "--format", "gitlab-codequality", capsys=capsys)
    assert code == 0
    (notice,) = json.loads(out)
    assert notice["severity"] == "info" and notice["location"]["path"] == PLAN
    assert "合并到主分支后由 CI 自动编号" in notice["description"] and "11341700MB0A12342H/202402-00001" in notice["description"]
    code, out, err = run_cli(project, "validate", "--format", "github", capsys=capsys)
    assert code == 0 and "还没有写入索引号" in out
    (command,) = [parse_command(line) for line in out.splitlines() if line.startswith("::")]
    assert command[0] == "notice" and command[1]["file"] == PLAN and command[1]["title"] == "索引号"


def test_fix_keeps_the_report_parseable(project, capsys):
    _break(project, "索引号: 11341700MB0A12342H/202402-00001\n", "")
    code, out, err = run_cli(project, "validate", "--fix", "--format", "gitlab-codequality", capsys=capsys)
    assert code == 0 and json.loads(out) == [] and "已写入索引号" in err


def test_only_the_given_files_are_annotated(project, capsys):
    _break(project, "组配分类: 规划计划", "组配分类: 工作计划")
    other = "data/plans/gdkjj/2024/gongzuo-jihua.yml"
    code, out, err = run_cli(project, "validate", "--format", "github", str(project / other), capsys=capsys)
    assert code == 0 and not [line for line in out.splitlines() if line.startswith("::")]
    code, out, err = run_cli(project, "validate", "--format", "github", str(project / PLAN), capsys=capsys)
    assert code == 1 and [parse_command(line)[1]["file"] for line in out.splitlines() if line.startswith("::")] == [PLAN]


@pytest.mark.parametrize("path,field,message", [
    ("data/plans/a,b.yml", "正文", "含有 % 和换行\n第二行"),
    ("data/plans/x:y.yml", "名称: 副", "100%完成,含“，”"),
    ("", "", "网站设置有误"),
])
def test_workflow_command_escaping_round_trips(path, field, message):
    problem = Problem(path, 3 if path else 0, field, message, "改正后重试")
    (line,) = github_commands([problem])
    assert "\n" not in line
    kind, props, decoded = parse_command(line)
    assert kind == "error" and decoded == str(problem)
    assert props.get("file", "") == path and props["title"] == (field or "数据检查")
    assert ("line" in props) == bool(path)
    (entry,) = json.loads(codequality([problem]))
    assert entry["location"] == {"path": path or "data", "lines": {"begin": 3 if path else 1}}


def test_the_example_in_the_editing_guide_is_what_validate_prints(project, capsys, repo_root):
    guide = (repo_root / "docs" / "editing-guide.md").read_text(encoding="utf-8")
    section = guide[guide.index("### 自动检查（CI）的报告"):]
    example = next(line.strip() for line in section.splitlines() if line.startswith("    data/plans/"))
    path = example.split(":")[0]
    (project / path).parent.mkdir(parents=True, exist_ok=True)
    (project / path).write_text("名称: 市科学技术局2025年工作计划\n组配分类: 规划计划\n主题分类: 其他\n生成日期: 2025-03-01\n"
                                "发布日期: ２０２５-03-01\n正文: |\n  一、总体要求\n", encoding="utf-8")
    code, out, err = run_cli(project, "validate", capsys=capsys)
    assert code == 1 and example in err.splitlines()
