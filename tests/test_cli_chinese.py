"""The command line speaks Chinese: every --help and argparse's own errors (issue 19)."""
from __future__ import annotations

import argparse
import re

import pytest

from gongkai.cli import main, parser
from gongkai.cli.argparse_zh import chinese_message

ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|error:|unrecognized|required|invalid|"
                     r"expected|choose from|ambiguous", re.I)
# ASCII punctuation touching Chinese text (headings such as "选项:", "默认:", "(默认 …)", "计划;目标"); checked
# on the text with argparse's line wrapping undone. Values such as "100,1000,10000" and "::error" stay ASCII.
CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”]"
ASCII_BESIDE_CJK = re.compile(rf"{CJK}[,;:!?()]|[,;:!?(]{CJK}|\){CJK}")


def _ascii_punctuation(text: str) -> list[str]:
    flat = re.sub(r"\n\s*", "", text)
    return [flat[max(m.start() - 12, 0):m.end() + 12] for m in ASCII_BESIDE_CJK.finditer(flat)]


def _subcommands() -> list[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("argv", [["--help"]] + [[name, "--help"] for name in _subcommands()],
                         ids=lambda argv: " ".join(argv))
def test_every_help_is_chinese(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert out.startswith("用法：gongkai") and "显示本帮助并退出" in out and "\n选项：\n" in out
    assert not ENGLISH.search(out), out
    assert not _ascii_punctuation(out), _ascii_punctuation(out)


def _required(name: str) -> list[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return [a.dest for a in sub.choices[name]._actions if a.required and a.nargs not in ("*", "?")]


@pytest.mark.parametrize("name", [n for n in _subcommands() if _required(n)])
def test_a_missing_argument_is_reported_in_chinese(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith(f"用法：gongkai {name}") and f"gongkai {name}：错误：缺少必需的参数：" in err, err
    assert not ENGLISH.search(err.split("\n", 1)[1]) and not _ascii_punctuation(err), err


@pytest.mark.parametrize("text, found", [
    ("选项:\n  -h", 1), ("显示(默认 3)", 1), ("默认 3)", 0), ("默认 3;小规模", 1), ("(config.yml)重新", 1), ("计划,目标", 1),
    ("选项：\n  -h", 0), ("计划数，逗号分隔（默认 100,1000,10000）", 0), ("注释 ::error file=…", 0),
    ("示科〔2025〕3号；没有可不填", 0), ("（默认 1000；0 表示不测）", 0),
])
def test_the_punctuation_check(text, found):
    assert len(_ascii_punctuation(text)) == found, _ascii_punctuation(text)
