"""The command line speaks Chinese: every --help and argparse's own errors (issue 19)."""
from __future__ import annotations

import argparse
import re

import pytest

from gongkai.cli import main, parser
from gongkai.cli.argparse_zh import chinese_message

ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|error:|unrecognized|required|invalid|"
                     r"expected|choose from|ambiguous", re.I)


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
    assert out.startswith("用法：gongkai") and "显示本帮助并退出" in out and "选项" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize("argv, expected", [
    (["validate", "--bogus"], "gongkai：错误：无法识别的参数：--bogus"),
    (["frob"], "参数 命令：'frob' 不是可选的值（可选：'validate'"),
    (["build", "--site-dir"], "gongkai build：错误：参数 --site-dir：后面需要一个值"),
    (["import"], "gongkai import：错误：缺少必需的参数："),
    (["deploy", "--keep", "三"], "gongkai deploy：错误：参数 --keep：'三' 不是有效的值（需要 int）"),
    (["bench", "--repeats", "１ｘ"], "gongkai bench：错误：参数 --repeats："),
])
def test_argparse_errors_are_chinese(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.startswith("用法：gongkai") and expected in err, err
    assert not ENGLISH.search(err.split("\n", 1)[1]), err


def test_an_unknown_message_keeps_its_text_after_the_chinese_lead():
    assert chinese_message("argument --x: something new") == "参数 --x：something new"
    assert chinese_message("something new") == "something new"
