"""Full-width punctuation in Chinese text: the one rule for every message the tools print (issue 22).

In Chinese text the marks are the full-width ones（，；：？！（））. An ASCII ``, ; : ? ! ( )`` touching a
Chinese character is a mistake, except where it is not prose:

- inside backticks (`` `正文: |` ``: code the editor types) and inside “…” (quoted values and syntax, such
  as “字段: 值”);
- an HTML entity (``&lt;机构标识&gt;``: its ``;`` is markup, and a full-width one would show the
  escaped text to visitors — the 数据开放 page once did);
- YAML: a key at the start of a line in a multi-line text (``名称: 示例``: a file's content), a text
  that is one YAML line (``正文: |``, ``指标: []``) or a flow value (``[科技, 高新技术企业]``);
- the report's own format ``path:line: 字段: 问题 — 怎么改`` (its ASCII colons are the contract of
  :mod:`gongkai.problems`, read by editors and CI): the colon after 字段 in a line that starts with
  ``path:line:``, and the format spelled out as ``文件:行号: 字段: 问题``.

``problems(text)`` lists the offending marks; ``fix(text)`` replaces them (both parentheses of a pair,
so they stay matched). ``tests/test_punctuation.py`` runs ``problems`` over every string literal of the
package that contains Chinese.
"""
from __future__ import annotations

import ast
import re

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Chinese characters and full-width marks: what an ASCII mark must not touch
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60\u201c\u201d\u2018\u2019"
FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_ADJACENT = re.compile(rf"(?<=[{_CJK}])(?:[,;?!()]|:(?!/))|[,;:?!()](?=[{_CJK}])")  # 服务器:/目录 is a path
_FORMAT = "文件:行号: 字段: 问题"
_KEY = r"[^\s:：#“”，。、；《》（）]{1,8}"  # a YAML key: a short name, no sentence marks
_YAML_KEY = re.compile(rf"(?m)^[ \t]*(?:- )?{_KEY}:(?=[ \t]|$)")
_PROTECTED = re.compile(r"`[^`\n]*`|“[^“”]*”|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")  # …, an HTML entity
# a whole text that is one line of YAML (名称: 示例, 正文: |, 指标: []) or a YAML flow value ([科技, 企业])
_YAML_LINE = re.compile(rf"[ \t]*(?:- )?{_KEY}:(?:[ \t]+[|>\[{{\"'\d\x00-].*)?")  # \x00: an f-string's field
_FLOW = re.compile(r"\[.*\]|\{.*\}", re.S)
_PREFIX = re.compile(r"(?m)^[^\s:]+:(?:\d+|\x00): [^\s:：]+:(?= )")  # path:line: 字段: (a report line; \x00: a field)


def _protected(text: str) -> list[tuple[int, int]]:
    if _FLOW.fullmatch(text.strip()):
        return [(0, len(text))]
    if _YAML_LINE.fullmatch(text.rstrip("\r\n")):
        return [(text.index(":"), text.index(":") + 1)]
    spans = [m.span() for m in _PROTECTED.finditer(text)]
    start = text.find(_FORMAT)
    while start >= 0:
        spans.append((start, start + len(_FORMAT)))
        start = text.find(_FORMAT, start + 1)
    spans += [(m.end() - 1, m.end()) for m in _PREFIX.finditer(text)]
    if "\n" in text.strip("\n"):
        spans += [(m.end() - 1, m.end()) for m in _YAML_KEY.finditer(text)]
    return spans


def problems(text: str) -> list[int]:
    """Offsets of ASCII marks touching Chinese text (outside the exceptions above)."""
    if not HAN.search(text):
        return []
    spans = _protected(text)
    return [m.start() for m in _ADJACENT.finditer(text) if not any(a <= m.start() < b for a, b in spans)]


def fix(text: str) -> str:
    """``text`` with those marks full-width; a parenthesis pair is converted together."""
    for _ in range(3):  # a converted ）may now touch an ASCII mark after it
        fixed = _fix_once(text)
        if fixed == text:
            return text
        text = fixed
    return text


def _fix_once(text: str) -> str:
    bad = set(problems(text))
    if not bad:
        return text
    spans = _protected(text)
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if any(a <= i < b for a, b in spans):
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    for i in list(bad):
        if i in pairs:
            bad.add(pairs[i])
    chars = list(text)
    for i in bad:
        chars[i] = FULL[chars[i]]
    return "".join(chars)


RE_FUNCS = {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
STR_METHODS = {"strip", "lstrip", "rstrip", "split", "rsplit", "partition", "replace", "startswith", "endswith",
               "count", "find", "index", "translate", "maketrans"}


def not_messages(tree: ast.AST) -> list[ast.AST]:
    """The string nodes of a module that are not messages: docstrings, regular expressions (``re.*``'s pattern),
    the arguments of str methods (strip, split, …) and constants compared with ``in``/``==`` (characters, not
    text). The one list for tests/test_punctuation.py and scripts/fix_punctuation.py."""
    out: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.append(first.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RE_FUNCS \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args:
            out.append(node.args[0])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STR_METHODS:
            out += node.args
        if isinstance(node, ast.Compare):
            out += [o for o in [node.left, *node.comparators] if isinstance(o, ast.Constant)]
    return out


# --- Markdown documents (README.md, docs/) -------------------------------------------------------------

_FENCE = re.compile(r"[ \t]*(```|~~~)")
# not prose: a link's target, an HTML tag or autolink, a bare URL, code in backticks, an indented code line
_MD_NOT_PROSE = re.compile(r"\]\([^)\n]*\)|<[^>\n]*>|https?://[^\s)）]+|`[^`\n]*`|^(?: {4,}|\t)(?![-*+] |\d+\. ).*$")


def _english(line: str) -> bool:
    """An English sentence with Chinese terms in it (its punctuation stays ASCII): more English words than Han."""
    return len(re.findall(r"[A-Za-z]{2,}", line)) > len(HAN.findall(line))


def _prose_lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, line, the line with what is not prose masked) for every line outside fenced code."""
    out: list[tuple[int, str, str]] = []
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), 1):
        m = _FENCE.match(line)
        if m:
            fence = None if fence == m.group(1) else (fence or m.group(1))
            continue
        if fence is None and HAN.search(line) and not _english(line):
            masked = _MD_NOT_PROSE.sub(lambda x: "\x01" * len(x.group(0)), line)
            # bold (**…**) is part of the Chinese it wraps: “**编辑**:” is a Chinese colon too
            out.append((number, line, re.sub(r"(?<=[\u3400-\u9fff])\*\*|\*\*(?=[\u3400-\u9fff])", "\u3000\u3000", masked)))
    return out


def markdown_problems(text: str) -> list[tuple[int, int]]:
    """(line, column) of each ASCII mark touching Chinese in a Markdown document's prose (see the module's
    exceptions; code fences, code spans, link targets, HTML and URLs are not prose)."""
    return [(number, col + 1) for number, _, masked in _prose_lines(text) for col in problems(masked)]


def fix_markdown(text: str) -> str:
    """``text`` (Markdown) with :func:`markdown_problems` made full-width."""
    lines = text.split("\n")
    for number, line, masked in _prose_lines(text):
        fixed = fix(masked)
        if fixed != masked:
            lines[number - 1] = "".join(f if f != m else c for c, m, f in zip(line, masked, fixed))
    return "\n".join(lines)
