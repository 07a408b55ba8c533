"""Make the Chinese messages in Python sources use full-width punctuation (gongkai/rules/punctuation.py).

Usage:
    .venv/bin/python scripts/fix_punctuation.py                      # every .py under site_hooks/gongkai/
    .venv/bin/python scripts/fix_punctuation.py site_hooks/gongkai/engine/preview.py --dry-run
    .venv/bin/python scripts/fix_punctuation.py --markdown README.md docs/editing-guide.md   # Chinese documents

With ``--markdown`` the files are Markdown documents: their prose is fixed (rules.punctuation.fix_markdown:
not code blocks, code spans, link targets, HTML, URLs or English lines); tests/test_punctuation.py lists the
documents it checks.

Rewrites, in place, the string literals (and the literal parts of f-strings) that contain Chinese: an ASCII
, ; : ? ! ( ) touching Chinese text becomes full-width, both parentheses of a pair together, with the
exceptions of rules/punctuation.py (quotes, code, YAML, the path:line: 字段: report format). Like
tests/test_punctuation.py it leaves alone docstrings, raw strings, regular expressions, the arguments of
str methods (strip, split, …), constants compared with ``in``/``==``, and BODY_TEMPLATE (the body of an
unfilled plan). Strings nested inside an f-string's {…} are not rewritten: the test lists them, fix by hand.
Run the tests that cover the changed messages afterwards (tests assert some of them literally).

Exit status 0; 1 with --dry-run when something would change.
"""
from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site_hooks"))

from gongkai.rules.punctuation import HAN, fix, fix_markdown, markdown_problems, not_messages  # noqa: E402 - after the path is set

REGEXY = re.compile(r"\(\?|\\\\[dswDSW]|\\[dswDSW]|\[\^|\][+*?]|\{\d+(,\d*)?\}")



def skip_ranges(tree: ast.AST) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Source ranges of the strings that are not messages (rules.punctuation.not_messages, and BODY_TEMPLATE)."""
    nodes = not_messages(tree)
    nodes += [n.value for n in ast.walk(tree)
              if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "BODY_TEMPLATE" for t in n.targets)]
    return [((n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset)) for n in nodes]


def virtual(body: str, is_f: bool) -> list[tuple[str, int | None]]:
    """The literal text of a string body: [(char, index in body or None)]; an f-string field is one \\x00."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            out.append(("\n" if body[i + 1] == "n" else "\x01", None))
            i += 2
            continue
        if is_f and c == "{":
            if body.startswith("{{", i):
                out.append(("{", None))
                i += 2
                continue
            depth = 0
            while i < len(body):
                if body[i] == "{":
                    depth += 1
                elif body[i] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            out.append(("\x00", None))
            i += 1
            continue
        if is_f and body.startswith("}}", i):
            out.append(("}", None))
            i += 2
            continue
        out.append((c, i))
        i += 1
    return out


def convert_token(tok: str) -> str:
    """One STRING token with its Chinese text's punctuation fixed (unchanged when there is nothing to do)."""
    m = re.match(r"(?i)([rbuf]*)('''|\"\"\"|'|\")", tok)
    prefix, q = m.group(1).lower(), m.group(2)
    if "r" in prefix or "b" in prefix:
        return tok
    body = tok[len(m.group(0)):len(tok) - len(q)]
    if not HAN.search(body) or REGEXY.search(body):
        return tok
    v = virtual(body, "f" in prefix)
    text = "".join(c for c, _ in v)
    fixed = fix(text)
    if fixed == text:
        return tok
    chars = list(body)
    for (c, src), new in zip(v, fixed):
        if new != c:
            assert src is not None, (tok, text)
            chars[src] = new
    return m.group(0) + "".join(chars) + q


def convert_file(path: Path, write: bool = True) -> int:
    src = path.read_text(encoding="utf-8")
    ranges = skip_ranges(ast.parse(src))
    lines = src.splitlines(keepends=True)
    edits = []
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type != tokenize.STRING:
            continue
        if any(a <= tok.start and tok.end <= b for a, b in ranges):
            continue
        new = convert_token(tok.string)
        if new != tok.string:
            edits.append((tok.start, tok.end, new))
    if not edits:
        return 0
    offs = [0]
    for line in lines:
        offs.append(offs[-1] + len(line))
    for (sr, sc), (er, ec), new in reversed(edits):
        a, b = offs[sr - 1] + sc, offs[er - 1] + ec
        src = src[:a] + new + src[b:]
    ast.parse(src)  # still Python
    if write:
        path.write_text(src, encoding="utf-8")
    return len(edits)


def convert_markdown(path: Path, write: bool) -> int:
    """Fix a Markdown document's prose (rules.punctuation.fix_markdown); return how many marks it had."""
    text = path.read_text(encoding="utf-8")
    n = len(markdown_problems(text))
    if n and write:
        path.write_text(fix_markdown(text), encoding="utf-8")
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把 Python 源码中中文提示的半角标点改为全角")
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "site_hooks" / "gongkai"], help="文件或文件夹")
    parser.add_argument("--dry-run", action="store_true", help="只列出会改的文件，不写入")
    parser.add_argument("--markdown", action="store_true", help="给出的是 Markdown 文档（README、docs/），改其中的中文正文")
    args = parser.parse_args(argv)
    total = 0
    if args.markdown:
        files = [(path, convert_markdown) for path in args.paths]
    else:
        files = [(path, convert_file) for arg in args.paths for path in (sorted(arg.rglob("*.py")) if arg.is_dir() else [arg])]
    for path, convert in files:
        n = convert(path, write=not args.dry_run)
        if n:
            print(f"{path}：{n} 处")
        total += n
    print(f"共 {total} 处" + ("（没有写入）" if args.dry_run else ""))
    return 1 if args.dry_run and total else 0


if __name__ == "__main__":
    sys.exit(main())
