"""Editor support (issue 6): the JSON Schema for VS Code, .editorconfig, pre-commit, and the
table of bad inputs whose every Chinese message the 编辑指南 must explain."""
from __future__ import annotations

import configparser
import fnmatch
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest_editors import REPO, copy_repo, git
from gongkai.cli.schema import render
from gongkai.data.loader import load_project
from gongkai.data.yamlio import load_file

GUIDE = REPO / "docs" / "editing-guide.md"
PLAN = "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"
DEPT = "data/departments/skjj.yml"


def test_committed_schema_files_are_what_gongkai_schema_generates():
    files = render(REPO)
    assert sorted(files) == sorted(p.name for p in (REPO / "schema").glob("*.json"))
    for name, text in files.items():
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == text, f"schema/{name} 过期:运行 make schema"


def test_schemas_are_valid_and_speak_chinese():
    for name in (REPO / "schema").glob("*.json"):
        schema = json.loads(name.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)

        def walk(node, path):
            for key, prop in (node.get("properties") or {}).items():
                assert re.search("[\u4e00-\u9fff]", prop.get("title", "")), f"{name.name}: {path + [key]} 没有中文标题"
                walk(prop, path + [key])
            if isinstance(node.get("items"), dict):
                walk(node["items"], path + ["[]"])

        walk(schema, [])
    plan = json.loads((REPO / "schema/plan.schema.json").read_text(encoding="utf-8"))
    assert "规划计划" in plan["properties"]["组配分类"]["enum"]  # today's vocabularies become completions
    assert "已废止" in plan["properties"]["有效性"]["enum"]


def _mapping() -> dict[str, list[str]]:
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    return settings["yaml.schemas"]


def test_vscode_maps_every_data_file_to_exactly_one_schema_that_accepts_it():
    mapping = _mapping()
    for schema_path in mapping:
        assert (REPO / schema_path).is_file()
    data_files = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "data").rglob("*.yml"))
    assert len(data_files) >= 10
    for rel in data_files:
        matches = [s for s, globs in mapping.items() if any(fnmatch.fnmatch(rel, g.replace("**/", "*/")) or fnmatch.fnmatch(rel, g) for g in globs)]
        assert len(matches) == 1, (rel, matches)
        schema = json.loads((REPO / matches[0]).read_text(encoding="utf-8"))
        errors = list(Draft202012Validator(schema).iter_errors(load_file(REPO / rel).data))
        assert not errors, (rel, [e.message for e in errors])


def test_editor_schema_underlines_mistakes():
    plan = json.loads((REPO / "schema/plan.schema.json").read_text(encoding="utf-8"))
    good = load_file(REPO / PLAN).data
    validator = Draft202012Validator(plan)
    for bad in ({**good, "名字": "x"}, {**good, "组配分类": "规划计画"}, {**good, "关键词": "科技"},
                {k: v for k, v in good.items() if k != "正文"}, {**good, "有效性": "作废"}):
        assert list(validator.iter_errors(bad))


def test_editorconfig():
    config = configparser.ConfigParser()
    config.read_string((REPO / ".editorconfig").read_text(encoding="utf-8").replace("root = true", "[root]\nroot = true", 1))
    assert config["*"]["charset"] == "utf-8" and config["*"]["end_of_line"] == "lf" and config["*"]["indent_style"] == "space"
    assert config["*.{yml,yaml,json,html,css,js}"]["indent_size"] == "2"
    assert config["Makefile"]["indent_style"] == "tab"


@pytest.mark.skipif(shutil.which("git") is None, reason="git missing")
def test_pre_commit_blocks_a_broken_data_file(tmp_path):
    root = copy_repo(tmp_path / "repo")
    os.symlink(REPO / ".venv", root / ".venv")
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pc-home"), "PATH": f"{REPO / '.venv/bin'}:{os.environ['PATH']}"}
    git(root, "init", "-q", "-b", "main")
    (root / ".gitignore").write_text((root / ".gitignore").read_text() + ".venv\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "初始", env=env)
    subprocess.run([str(REPO / ".venv/bin/pre-commit"), "install"], cwd=root, check=True, capture_output=True, env={**os.environ, **env})
    path = root / PLAN
    path.write_text(path.read_text(encoding="utf-8").replace("生成日期: 2021-02-20", "生成日期: 2021-02-30"), encoding="utf-8")
    result = subprocess.run(["git", "commit", "-qam", "改日期"], cwd=root, capture_output=True, text=True,
                            env={**os.environ, **env, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "编辑",
                                 "GIT_AUTHOR_EMAIL": "e@x", "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@x"})
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"{PLAN}:" in output and "日期“2021-02-30”不存在" in output
    path.write_text(path.read_text(encoding="utf-8").replace("生成日期: 2021-02-30", "生成日期: 2021-02-21"), encoding="utf-8")
    git(root, "commit", "-qam", "改日期", env=env)
    assert "改日期" in git(root, "log", "--format=%s", "-1")


# --- bad inputs: each fails with a Chinese message that the 编辑指南 explains ---------------------

def _replace(old: str, new: str, rel: str = PLAN):
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def _write(rel: str, data: bytes | str):
    def apply(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def _move(rel: str, to: str):
    return lambda root: (root / to).parent.mkdir(parents=True, exist_ok=True) or (root / rel).rename(root / to)


SAMPLE = (REPO / PLAN).read_text(encoding="utf-8")
BAD_CASES = [
    ("tab", _replace("关键词:\n  - 科技特派员", "关键词:\n\t- 科技特派员"), "行首用了制表符（Tab）缩进"),
    ("chinese-colon", _replace("名称: ", "名称： "), "后面用了中文冒号"),
    ("duplicate-key", _replace("组配分类: 规划计划", "组配分类: 规划计划\n组配分类: 其他"), "重复出现"),
    ("empty", _write(PLAN, ""), "文件是空的"),
    ("gbk", _write(PLAN, SAMPLE.encode("gb18030")), "文件不是 UTF-8 编码"),
    ("utf16", _write(PLAN, SAMPLE.encode("utf-16")), "文件是 UTF-16 编码"),
    ("binary", _write(PLAN, b"PK\x03\x04\x00\x00"), "这不是文本文件"),
    ("alias", _replace("关键词:\n", "摘要: &a 摘要\n来源: *a\n关键词:\n"), "锚点和别名"),
    ("colon-in-value", _replace("主题分类: 科技、教育\\科技", "主题分类: 科技、教育\\科技\n摘要: 目标: 全年100家"), "这里多了一个冒号"),
    ("quote", _replace('发布时间: "10:17"', '发布时间: "10:17'), "引号没有配对"),
    ("backslash", _replace("主题分类: 科技、教育\\科技", "主题分类: \"科技、教育\\科技\""), "反斜杠转义"),
    ("merge-key", _replace("名称:", "<<: {摘要: x}\n名称:"), "合并键"),
    ("tag", _replace("主题分类: 科技、教育\\科技", "主题分类: !include 科技"), "不支持的 YAML 标记"),
    ("too-large", _write(PLAN, SAMPLE + "#" * (1024 * 1024)), "文件太大"),
    ("missing-body", _replace("正文: |", "正文x: |"), "缺少这个必填字段"),
    ("unknown-field", _replace("名称:", "名字: x\n名称:"), "不认识这个字段"),
    ("wrong-type", _replace("关键词:\n  - 科技特派员\n  - 高新技术企业", "关键词: 科技特派员"), "应该是列表"),
    ("category", _replace("组配分类: 规划计划", "组配分类: 规划计画"), "不是“示例市科技局”的组配分类"),
    ("topic", _replace("主题分类: 科技、教育\\科技", "主题分类: 科技、教育/科技"), "不在主题分类词表中"),
    ("validity", _replace("发布时间:", "有效性: 作废\n发布时间:"), "不是可选的"),
    ("published-before", _replace("发布日期: 2021-02-23", "发布日期: 2021-02-01"), "早于生成日期"),
    ("date-format", _replace("发布日期: 2021-02-23", "发布日期: 2021/2/23"), "的写法不对"),
    ("date-missing-day", _replace("生成日期: 2021-02-20", "生成日期: 2021-02-30"), "不存在"),
    ("not-a-date", _replace("生成日期: 2021-02-20", "生成日期: 二月二十日"), "不是日期"),
    ("time", _replace('发布时间: "10:17"', '发布时间: "25:17"'), "不存在"),
    ("not-a-time", _replace('发布时间: "10:17"', "发布时间: 上午"), "不是时间"),
    ("doc-no-brackets", _replace("文号: 示科〔2021〕5号", "文号: 示科[2021]5号"), "格式不对"),
    ("doc-no-year", _replace("文号: 示科〔2021〕5号", "文号: 示科〔21〕5号"), "年份应写全4位"),
    ("doc-no", _replace("文号: 示科〔2021〕5号", "文号: 第五号"), "格式不对"),
    ("index-duplicate", _replace("索引号: 11341700MB0A12342H/202402-00001", "索引号: 11341700MB0A12342H/202102-00001",
                                 "data/plans/skjj/2024/niandu-gongzuo-jihua.yml"), "重复"),
    ("index-code", _replace("索引号: 11341700MB0A12342H/202102-00001", "索引号: 1134172300325409XR/202102-00001"), "前段码"),
    ("index-fullwidth", _replace("索引号: 11341700MB0A12342H/202102-00001", "索引号: 11341700MB0A12342H／202102－00001"), "全角字符"),
    ("index-format", _replace("索引号: 11341700MB0A12342H/202102-00001", "索引号: 11341700MB0A12342H/2021-00001"), "不符合本站"),
    ("related-missing", _replace("文件: skjj/2021/keji-gongzuo-yaodian", "文件: skjj/2021/keji-gongzuo",
                                 "data/plans/skjj/2024/niandu-gongzuo-jihua.yml"), "找不到站内文件"),
    ("related-self", _replace("文件: skjj/2021/keji-gongzuo-yaodian", "文件: skjj/2024/niandu-gongzuo-jihua",
                              "data/plans/skjj/2024/niandu-gongzuo-jihua.yml"), "相关文件不能指向自己"),
    ("related-external", _replace("  - 文件: skjj/2021/keji-gongzuo-yaodian", "  - 名称: 外部文件",
                                  "data/plans/skjj/2024/niandu-gongzuo-jihua.yml"), "站外文件要同时填写"),
    ("related-url", _replace("  - 文件: skjj/2021/keji-gongzuo-yaodian", "  - 名称: 外部文件\n    链接: www.example.com",
                             "data/plans/skjj/2024/niandu-gongzuo-jihua.yml"), "不是完整的网址"),
    ("misplaced", _move(PLAN, "data/plans/skjj/keji.yml"), "文件位置或扩展名不对"),
    ("yaml-extension", _move(PLAN, "data/plans/skjj/2021/keji.yaml"), "文件位置或扩展名不对"),
    ("bad-slug", _move(PLAN, "data/plans/skjj/2021/Keji_Yaodian.yml"), "不能用作网址"),
    ("reserved-slug", _move(PLAN, "data/plans/skjj/2021/con.yml"), "Windows 的保留名"),
    ("year-folder", _move(PLAN, "data/plans/skjj/21/keji.yml"), "不是4位年份"),
    ("unknown-department", _move(PLAN, "data/plans/kjj/2021/keji.yml"), "不是已有的发布机构"),
    ("publisher-mismatch", _replace("名称:", "发布机构: gdkjj\n名称:"), "与所在文件夹"),
    ("slug-mismatch", _replace("名称:", "标识: keji\n名称:"), "与文件名"),
    ("withdrawn-date", _replace("发布时间:", "失效日期: 2024-01-01\n发布时间:"), "时不应填写"),
    ("withdrawn-replacement", _replace("发布时间:", "有效性: 已废止\n替代文件: skjj/2024/nope\n发布时间:"), "找不到站内文件"),
    ("uscc-check", _replace("统一社会信用代码: 11341700MB0A12342H", "统一社会信用代码: 11341700MB0A12342J", DEPT), "校验位不对"),
    ("uscc-length", _replace("统一社会信用代码: 11341700MB0A12342H", "统一社会信用代码: 11341700MB0A1234", DEPT), "应为18位"),
    ("uscc-chars", _replace("统一社会信用代码: 11341700MB0A12342H", "统一社会信用代码: 11341700MB0A1234IH", DEPT), "不允许的字符"),
    ("dept-category", _replace("  - 其他", "  - 杂项", DEPT), "不在组配分类词表中"),
    ("dept-order", _replace("  - 政策法规\n  - 规划计划", "  - 规划计划\n  - 政策法规", DEPT), "顺序与词表不一致"),
    ("dept-no-code", _replace("统一社会信用代码: 11341700MB0A12342H\n", "", DEPT), "至少要填一个"),
    ("dept-slug", _replace("标识: skjj", "标识: kjj", DEPT), "与文件名"),
    ("site-url", _replace("找错链接: https://", "找错链接: ", "data/site.yml"), "不是完整的网址"),
    ("site-enum", _replace("格式: 安徽", "格式: 北京", "data/site.yml"), "不是可选的值"),
    ("site-badge", _replace("# 党政机关网站标识:\n#   图片: assets/dzjg.png", "党政机关网站标识:\n  图片: assets/dzjg.png", "data/site.yml"), "找不到文件"),
    ("site-missing", lambda root: (root / "data/site.yml").unlink(), "缺少网站设置文件"),
    ("vocab-missing", lambda root: (root / "data/vocab/topics.yml").unlink(), "缺少词表文件"),
    ("vocab-pattern", _replace("标识: kjjy", "标识: KJJY", "data/vocab/topics.yml"), "的格式不对"),
    ("no-departments", lambda root: [p.unlink() for p in (root / "data/departments").glob("*.yml")], "还没有任何发布机构"),
    ("dept-extension", _move(DEPT, "data/departments/skjj.yaml"), "扩展名应为 .yml"),
    ("dept-unique", _replace("  - 其他", "  - 其他\n  - 其他", DEPT), "列表中有重复的项"),
    ("org-code", _replace("统一社会信用代码: 11341700MB0A12342H", "统一社会信用代码: 11341700MB0A12342H\n组织机构代码: MB0A1234X", DEPT), "组织机构代码"),
    ("org-mismatch", _replace("统一社会信用代码: 11341700MB0A12342H", "统一社会信用代码: 11341700MB0A12342H\n组织机构代码: 00325409X", DEPT), "第9至17位"),
    ("needs-uscc", _replace("统一社会信用代码: 11341700MB0A12342H", "组织机构代码: MB0A12342", DEPT), "需要统一社会信用代码"),
    ("vocab-duplicate", _replace("- 名称: 已失效\n  标识: ysx", "- 名称: 已废止\n  标识: ysx", "data/vocab/validity.yml"), "重复"),
    ("empty-list", _replace("组配分类:\n  - 政策法规\n  - 规划计划\n  - 决策部署落实情况\n  - 其他", "组配分类: []", DEPT), "至少要有一项"),
    ("empty-text", _replace("名称: 市科学技术局2021年全市科技工作要点", 'name: ""\n名称: ""'), "不能为空"),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return copy_repo(tmp_path_factory.mktemp("bad") / "repo")


def _normalise(message: str) -> str:
    """The fixed part of a message: quoted values, numbers and codes become “…”."""
    message = re.sub(r"“[^”]*”", "“…”", message)
    message = re.split(r"[（(]", message)[0]
    message = re.sub(r"[0-9A-Za-z][0-9A-Za-z/\-:.]*", "…", message)
    return message.strip()


MESSAGES: set[str] = set()


@pytest.mark.parametrize("name,apply,expected", BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_fails_with_a_chinese_message(pristine, tmp_path, name, apply, expected):
    root = tmp_path / "repo"
    shutil.copytree(pristine, root)
    apply(root)
    project, problems = load_project(root)
    assert project is None, f"{name}: should fail"
    hits = [p for p in problems.errors if expected in p.message or expected in p.field]
    assert hits, problems.report()
    for p in hits:
        assert re.search("[\u4e00-\u9fff]", p.message) and p.path
        assert "Traceback" not in str(p)
    documented = guide_messages() if not os.environ.get("GK_PRINT_MESSAGES") else None
    for p in problems.errors:
        if os.environ.get("GK_PRINT_MESSAGES"):
            print("MSG", _normalise(p.message), "||", p.message)
        assert documented is None or _normalise(p.message) in documented, f"编辑指南没有解释这条信息:{p.message}(应写作 `{_normalise(p.message)}`)"


def guide_messages() -> set[str]:
    """The messages the guide explains: every `code span` in it, normalised."""
    return {_normalise(m) for m in re.findall(r"`([^`\n]+)`", GUIDE.read_text(encoding="utf-8"))} if GUIDE.exists() else set()


def test_schema_check_and_validate_files_cli(tmp_path, capsys):
    from conftest_editors import run_cli

    root = copy_repo(tmp_path / "repo")
    assert run_cli(root, "schema", "--check", capsys=capsys)[0] == 0
    vocab = root / "data/vocab/validity.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "- 名称: 部分失效\n  标识: bfsx\n  失效: false\n", encoding="utf-8")
    code, _, err = run_cli(root, "schema", "--check", capsys=capsys)
    assert code == 1 and "schema/plan.schema.json 不是最新的" in err
    assert run_cli(root, "schema", capsys=capsys)[0] == 0
    assert "部分失效" in (root / "schema/plan.schema.json").read_text(encoding="utf-8")
    assert run_cli(root, "schema", "--check", capsys=capsys)[0] == 0
    # validate FILE…: only the named files' problems stop a commit
    broken = root / "data/plans/skjj/2024/gongzuo-jihua-ba-xiang.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("组配分类: 规划计划", "组配分类: 规划计画"), encoding="utf-8")
    code, out, err = run_cli(root, "validate", str(root / PLAN), capsys=capsys)
    assert code == 0 and "检查通过：1 个文件" in out
    code, out, err = run_cli(root, "validate", str(broken), capsys=capsys)
    assert code == 1 and "“规划计画”不是“示例市科技局”的组配分类" in err and "共发现 1 处错误" in err
