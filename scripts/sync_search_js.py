"""Write the 文号 and 索引号 grammars into search.js from their one Python definition.

Usage:
    python scripts/sync_search_js.py          # rewrite the generated block of search.js
    python scripts/sync_search_js.py --check  # exit 1 if search.js is out of date (used by the tests)

The browser's search must recognise a 文号 or 索引号 exactly as the index builder does
(``gongkai.rules.codes.DOC_NO_LOOSE_SOURCE``, ``gongkai.pages.search.INDEX_NO_SOURCE``). Their
JavaScript copies live between two marker comments in templates/assets/gongkai/search.js and are
written only by this script. Run it after changing either grammar.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site_hooks"))

from gongkai.pages.search import JS_BEGIN, JS_END, browser_constants  # noqa: E402

SEARCH_JS = ROOT / "templates" / "assets" / "gongkai" / "search.js"


def synced(text: str) -> str:
    """``text`` (search.js) with its generated block rewritten."""
    start, end = text.find(JS_BEGIN), text.find(JS_END)
    if start < 0 or end < start:
        raise ValueError(f"{SEARCH_JS} 中找不到生成区的标记行（{JS_BEGIN} … {JS_END}）")
    return text[:start] + JS_BEGIN + "\n" + browser_constants() + "\n" + text[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把 Python 中的文号、索引号规则写进 search.js 的生成区。")
    parser.add_argument("--check", action="store_true", help="只检查，不写入；过期时返回 1")
    args = parser.parse_args(argv)
    text = SEARCH_JS.read_text(encoding="utf-8")
    try:
        new = synced(text)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if new == text:
        return 0
    if args.check:
        print(f"{SEARCH_JS.relative_to(ROOT)} 的文号、索引号规则与 Python 不一致：请运行 python scripts/sync_search_js.py",
              file=sys.stderr)
        return 1
    SEARCH_JS.write_text(new, encoding="utf-8")
    print(f"已更新 {SEARCH_JS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
