"""argparse in Chinese: the help's headings and the parser's own error messages.

Python's argparse writes ``usage:``, ``options:``, ``show this help message and exit`` and errors
such as ``unrecognized arguments`` in English, and offers no switch for it (its strings go through
gettext, which would need a translation catalogue and the visitor's locale). ``ChineseParser`` sets
the headings itself and translates the messages it knows; a message it does not know is shown as
argparse wrote it, after the Chinese lead ``错误：``. Subcommand parsers made with
``add_subparsers().add_parser`` are ChineseParsers too (argparse uses the parent's class).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from typing import NoReturn

USAGE = "用法："
HELP = "显示本帮助并退出"
POSITIONALS = "位置参数"
OPTIONALS = "选项"

# `make new` / `make import` set this: options are then named as the make variables the user typed.
MAKE_ENV = "GONGKAI_MAKE"
MAKE_VARIABLES = {"--dept": "DEPT", "--title": "TITLE", "--year": "YEAR", "--date": "DATE", "--slug": "SLUG",
                  "--topic": "TOPIC", "file": "FILE"}


def via_make() -> bool:
    return os.environ.get(MAKE_ENV) == "1"


def option(flag: str, example: str = "") -> str:
    """How to give an option: ``--dept skjj`` on the command line, ``DEPT=skjj`` when run by make."""
    if via_make() and flag in MAKE_VARIABLES:
        value = f'"{example}"' if " " in example else example
        return f"{MAKE_VARIABLES[flag]}={value or '…'}"
    if flag == "file":
        return example or "文件"
    return f"{flag} {example}".rstrip() if not (" " in example) else f'{flag} "{example}"'


def make_words(message: str) -> str:
    """A message naming ``--dept`` etc., reworded with make variables when run by make."""
    if not via_make():
        return message
    return re.sub(r"--[a-z-]+", lambda m: MAKE_VARIABLES.get(m.group(0), m.group(0)) + "=…"
                  if m.group(0) in MAKE_VARIABLES else m.group(0), message)


# argparse's own messages (Python 3.11), outermost first: "argument X: <inner>" wraps the others.
MESSAGES: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in [
    (r"^argument (\S+): (.*)$", r"参数 \1：\2"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1（用 -h 查看可用的参数）"),
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"one of the arguments (.*) is required", r"参数 \1 必须提供一个"),
    (r"not allowed with argument (.*)", r"不能与参数 \1 同时使用"),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"\1 不是可选的值（可选：\2）"),
    (r"invalid (\S+) value: (.*)", r"\2 不是有效的值（需要 \1）"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 不明确，可能是 \2"),
    (r"expected one argument", r"后面需要一个值"),
    (r"expected at least one argument", r"后面至少需要一个值"),
    (r"expected at most one argument", r"后面至多一个值"),
    (r"expected (\d+) arguments?", r"后面需要 \1 个值"),
    (r"ignored explicit argument (.*)", r"不接受值 \1"),
]]


def chinese_message(message: str) -> str:
    """``message`` (one of argparse's) in Chinese; unknown parts stay as they are."""
    for pattern, replacement in MESSAGES:
        message = pattern.sub(replacement, message)
    return message


class _ChineseUsage(argparse.HelpFormatter):
    """Mixed in front of any argparse formatter: the usage line starts with 用法：, and section
    headings (选项, 位置参数, argument groups) end with a full-width colon, not argparse's ``:``."""

    class _Section(argparse.HelpFormatter._Section):  # argparse's hook: start_section makes self._Section
        def format_help(self):
            text = super().format_help()
            if self.heading and self.heading is not argparse.SUPPRESS:
                text = text.replace(f"{self.heading}:\n", f"{self.heading}：\n", 1)
            return text

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


def _chinese_formatter(cls: type[argparse.HelpFormatter]) -> type[argparse.HelpFormatter]:
    if issubclass(cls, _ChineseUsage):
        return cls
    return type(f"Chinese{cls.__name__}", (_ChineseUsage, cls), {})


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Chinese."""

    def __init__(self, *args, formatter_class=argparse.HelpFormatter, add_help: bool = True, **kwargs):
        super().__init__(*args, formatter_class=_chinese_formatter(formatter_class), add_help=False, **kwargs)
        self._positionals.title = POSITIONALS
        self._optionals.title = OPTIONALS
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)

    def error(self, message: str) -> NoReturn:
        if via_make():  # the user typed make variables, not this command line
            self.exit(2, f"错误：{make_words(chinese_message(message))}\n")
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{chinese_message(message)}\n")
