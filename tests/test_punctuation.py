"""One punctuation style (issue 22): every message string of the package that contains Chinese uses
full-width marks in Chinese text (rules/punctuation.py has the rule and its exceptions). Also the rule
itself, on a table of good and bad text."""
from __future__ import annotations

import ast
import re

import pytest

from gongkai.rules import punctuation

from conftest import ROOT

PACKAGE = ROOT / "site_hooks" / "gongkai"
REGEX_LIKE = re.compile(r"\(\?|\\[dswDSW]|\[\^|\][+*?]|\{\d+(,\d*)?\}")
# Files left for now, with the reason (remove the line when it no longer applies).
PENDING: dict[str, str] = {}  # module → why it is not checked yet (none now)
# Not messages: text that is data or content, kept exactly as it is, with the reason.
NOT_MESSAGES = {
    ("cli/new.py", "BODY_TEMPLATE"): "the body of an unfilled plan (its placeholders are content the editor replaces)",
}


def _skipped(tree: ast.AST) -> set[int]:
    """ids of nodes that are not messages: docstrings, regular expressions, … (rules.punctuation.not_messages)."""
    return {id(n) for node in punctuation.not_messages(tree) for n in ast.walk(node)}


def message_strings() -> list[tuple[str, int, str]]:
    """(file, line, text) of every string literal with Chinese in it; an f-string's fields become \\x00."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in PENDING:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        skip = _skipped(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and (rel, t.id) in NOT_MESSAGES for t in node.targets):
                skip.update(id(n) for n in ast.walk(node.value))
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.JoinedStr):
                skip.update(id(v) for v in node.values)
                text = "".join(v.value if isinstance(v, ast.Constant) else "\x00" for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                start = lines[node.lineno - 1].encode()[node.col_offset:].decode(errors="ignore")
                if re.match(r"(?i)[bu]?r", start):  # raw strings: regular expressions and Windows paths
                    continue
                text = node.value
            else:
                continue
            if punctuation.HAN.search(text) and not REGEX_LIKE.search(text):
                found.append((rel, node.lineno, text))
    return found


def test_every_message_uses_full_width_punctuation_in_chinese_text():
    strings = message_strings()
    assert len(strings) > 1000, "the scan should see the package's messages"
    bad = []
    for rel, line, text in strings:
        for i in punctuation.problems(text):
            bad.append(f"{rel}:{line}: “{text[max(0, i - 12):i + 12]}” 中的“{text[i]}”应为“{punctuation.FULL[text[i]]}”")
    assert not bad, f"{len(bad)} 处半角标点（改法：rules/punctuation.py 的 fix，或 scripts/fix_punctuation.py）：\n" + "\n".join(bad[:80])


@pytest.mark.parametrize("text, bad", [
    ("检查通过，共 3 条", ""),
    ("检查通过,共 3 条", ","),
    ("提醒:现有数据有错误", ":"),
    ("是否想写“科技”?", "?"),
    ("文件太大(12 KB)", "("),              # ")" follows a Latin letter, fix() converts it with its pair
    ("同一层的字段左边要对齐;引号要成对", ";"),
    ("注意!", "!"),
    ("（全角括号）、全角：冒号；分号？", ""),
    ("每行写一个“字段: 值”", ""),               # quoted syntax
    ("改成 `正文: |`，再运行", ""),             # code
    ("格式为 文件:行号: 字段: 问题 — 怎么改", ""),  # the report's own format
    ("名称: 示例\n正文: |\n  第一段", ""),       # a YAML file's content
    ("<code>sjkf/&lt;机构标识&gt;/&lt;年度&gt;.json</code>", ""),  # HTML entities: their ; is markup
    ("按&#20116;条;再看", ";"),                   # an entity is skipped, a stray ; beside it is not
    ("网址 http://127.0.0.1:8000/ 已打开", ""),
    ("发布到 user@服务器:/目录 或本机目录", ""),     # a path
    ("服务器:目录", ":"),
    ("data/plans/a.yml:12: 名称: 太长", ""),   # path:line: prefix and the 字段: separator touch no Chinese mark
    ("100,1000,10000 条", ""),
    ("ｆｕｌｌ-width digits１２,３", ""),
])
def test_the_rule(text, bad):
    found = "".join(text[i] for i in punctuation.problems(text))
    assert found[:1] == bad
    fixed = punctuation.fix(text)
    assert not punctuation.problems(fixed)
    assert fixed.count("(") == fixed.count(")") and fixed.count("（") == fixed.count("）")
    if not bad:
        assert fixed == text


# --- README and the Chinese documents ------------------------------------------------------------------

ENGLISH_DOCS = {"docs/benchmarks.md", "docs/search.md"}  # written in English; their Chinese terms keep ASCII marks
CHINESE_DOCS = ["README.md", "SECURITY.md"] + sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")
    if p.relative_to(ROOT).as_posix() not in ENGLISH_DOCS)


@pytest.mark.parametrize("rel", CHINESE_DOCS)
def test_chinese_documents_use_full_width_punctuation(rel):
    text = (ROOT / rel).read_text(encoding="utf-8")
    lines = text.split("\n")
    found = [f"{rel}:{line}:{col}: {lines[line - 1][max(0, col - 12):col + 12]}"
             for line, col in punctuation.markdown_problems(text)]
    assert not found, "ASCII punctuation in Chinese text (fix: scripts/fix_punctuation.py --markdown):\n" + "\n".join(found[:20])


@pytest.mark.parametrize("text, fixed", [
    ("说明:每份计划(一个文件),见下。", "说明：每份计划（一个文件），见下。"),
    ("写成 `字段: 值`,冒号后空一格", "写成 `字段: 值`，冒号后空一格"),  # code stays as typed
    ("```yaml\n名称: 示例(一)\n```\n之后,再看", "```yaml\n名称: 示例(一)\n```\n之后，再看"),  # a code block too
    ("见[指南](docs/guide.md)(第二节)", "见[指南](docs/guide.md)（第二节）"),  # a link's target is not prose
    ("**编辑**:`make new`", "**编辑**：`make new`"),  # bold belongs to the Chinese it wraps
    ("The site (政府信息公开) is static, fast, and small.", "The site (政府信息公开) is static, fast, and small."),
    ("打开 <http://127.0.0.1:8000>,再看", "打开 <http://127.0.0.1:8000>，再看"),
])
def test_markdown_fix(text, fixed):
    assert punctuation.fix_markdown(text) == fixed
    assert not punctuation.markdown_problems(fixed)
