"""The per-file checker every data check reports through, and reading one data file.

:class:`FileChecker` runs the one schema (:mod:`gongkai.data.schema`) on a parsed file and turns each
JSON-Schema error into a Chinese ``path:line: 字段: 问题 — 怎么改`` problem; the loader, the security,
targets and 有效性 checks and the editors' tools all report through it.
"""
from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path
from typing import Any, Callable

import fastjsonschema
from jsonschema import Draft202012Validator

from gongkai.data import schema
from gongkai.data.yamlio import YamlDoc, load_file
from gongkai.problems import Problems
from gongkai.rules import codes

Parsed = tuple[YamlDoc, bool]  # a data file parsed, and whether it passed the JSON Schema
_TYPE_NAMES = {"string": "文字", "number": "数字", "integer": "整数", "array": "列表（每项以“- ”开头）",
               "object": "一组字段", "boolean": "true 或 false", "null": "空"}
VALIDATORS = {name: Draft202012Validator(s) for name, s in schema.SCHEMAS.items()}


@functools.cache
def _compiled(kind: str) -> Callable[[Any], Any]:
    # The schemas use only keywords that mean the same in draft 7 (what fastjsonschema knows) and 2020-12
    # (tests/test_fuzz_properties.py checks that the verdicts agree); it ignores the x- keywords.
    return fastjsonschema.compile({**schema.SCHEMAS[kind], "$schema": "http://json-schema.org/draft-07/schema#"})


def is_valid(kind: str, data: Any) -> bool:
    """Whether ``data`` passes the ``kind`` schema: the verdict of ``VALIDATORS[kind]``, ~20× faster (a validator
    compiled to Python by fastjsonschema: 0.01 ms a plan file against 0.2 ms). Only a file that fails is
    checked again by jsonschema, whose errors :meth:`FileChecker.check_schema` turns into messages."""
    try:
        _compiled(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _type_of(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    return "一组字段"


class FileChecker:
    """Schema checks for one parsed file, reporting into ``problems`` with lines."""

    def __init__(self, kind: str, rel: str, doc: YamlDoc, problems: Problems):
        self.kind, self.rel, self.doc, self.problems = kind, rel, doc, problems
        self.schema = schema.SCHEMAS[kind]
        self.invalid: list[tuple] = []  # paths whose values failed the schema (reported already)

    def label(self, path: tuple) -> str:
        return schema.field_title(self.schema, path)

    def error(self, path: tuple, message: str, hint: str = "") -> None:
        self.problems.add(self.rel, self.doc.line(path), self.label(path), message, hint)

    def check_schema(self, valid: bool = False) -> bool:
        """Report what the schema finds, and required fields left blank (which the schema lets through);
        ``valid``: the file is known to pass the schema (:func:`is_valid`), so only the second check runs."""
        ok = True
        errors = () if valid else VALIDATORS[self.kind].iter_errors(self.doc.data)
        for err in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
            path = tuple(err.absolute_path)
            sub = err.schema if isinstance(err.schema, dict) else {}
            if err.validator in ("type", "pattern") and "x-check" in sub:
                continue  # the specific check below explains it better
            ok = False
            if path and err.validator not in ("required", "additionalProperties"):
                self.invalid.append(path)
            if err.validator == "required":
                missing = err.message.split("'")[1]
                desc = (sub.get("properties", {}).get(missing) or {}).get("description", "")
                self.problems.add(self.rel, self.doc.line(path) if path else 1, self.label(path + (missing,)),
                                  "缺少这个必填字段", f"请添加一行“{missing}: …”。{desc}")
            elif err.validator == "additionalProperties":
                allowed = list(sub.get("properties", {}))
                extra = [k for k in err.instance if k not in allowed] if isinstance(err.instance, dict) else []
                for key in extra:
                    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.4)
                    hint = f"是否想写“{close[0]}”？" if close else "可用的字段:" + "、".join(allowed)
                    self.problems.add(self.rel, self.doc.line(path + (key,)), str(key), "不认识这个字段", hint)
            elif err.validator == "type":
                want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
                names = "或".join(_TYPE_NAMES.get(w, w) for w in want if w != "null")
                hint = sub.get("description", "")
                if "string" in want and isinstance(err.instance, (int, float)) and not isinstance(err.instance, bool):
                    hint = f"请给值加上英文引号，例如 \"{err.instance}\"。{hint}"
                self.error(path, f"应该是{names}，现在是{_type_of(err.instance)}", hint)
            elif err.validator == "enum":
                self.error(path, f"“{err.instance}”不是可选的值", "可选:" + "、".join(map(str, err.validator_value)))
            elif err.validator == "minLength":
                self.error(path, "不能为空", sub.get("description", ""))
            elif err.validator == "pattern":
                self.error(path, f"“{err.instance}”的格式不对", sub.get("description", ""))
            elif err.validator == "maxLength":
                self.error(path, f"太长（{len(err.instance)}字，上限{err.validator_value}字）", sub.get("description", ""))
            elif err.validator == "minItems":
                self.error(path, "至少要有一项", sub.get("description", ""))
            elif err.validator == "uniqueItems":
                self.error(path, "列表中有重复的项", "请删除重复的一项")
            else:
                self.error(path, "内容不符合要求", sub.get("description", ""))
        if isinstance(self.doc.data, dict):  # "名称: ' '" passes minLength but says nothing
            for key in self.schema.get("required", []):
                value = self.doc.data.get(key)
                if isinstance(value, str) and not value.strip() and (key,) not in self.invalid:
                    ok = False
                    self.invalid.append((key,))
                    self.error((key,), "不能为空", (self.schema["properties"].get(key) or {}).get("description", ""))
        return ok

    def text(self, key: str, default: str = "") -> str:
        value = self.doc.data.get(key)
        return default if value is None else str(value).strip()

    def checked(self, key: str, parse, *, required: bool = True):
        """Run a ``codes`` parser on a field; report CodeError; return the value or None.

        A required field that is present but empty is an error here (a missing one was
        reported by the schema), so a plan never disappears from the site without a message.
        """
        value = self.doc.data.get(key)
        if value is None or str(value).strip() == "":
            if required and key in self.doc.data:
                self.error((key,), "不能为空", (self.schema["properties"].get(key) or {}).get("description", ""))
            return None
        try:
            return parse(str(value))
        except codes.CodeError as exc:
            self.error((key,), exc.message, exc.hint)
            return None


def relpath(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` as the reports write it (data/plans/…), or as it is when outside."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_file(kind: str, path: Path, root: Path, problems: Problems, parsed: Parsed | None = None) -> FileChecker | None:
    """Check one data file; ``parsed`` is what :func:`gongkai.data.loader.parse_all` made of it, if it ran
    (it parses no link: a file it parsed is not asked again)."""
    rel = relpath(root, path)
    if parsed is None and path.is_symlink():  # git stores links; one could point anywhere on the build machine
        problems.add(rel, 0, "", "数据文件不能是符号链接（快捷方式）", "请把文件本身放在这里，删除这个链接")
        return None
    doc, valid = parsed if parsed is not None else (load_file(path), False)
    for line, message, hint in doc.errors:
        problems.add(rel, line, "", message, hint)
    if doc.errors:
        return None
    checker = FileChecker(kind, rel, doc, problems)
    expected = "object" if schema.SCHEMAS[kind]["type"] == "object" else "array"
    if expected == "object" and not isinstance(doc.data, dict):
        problems.add(rel, 1, "", "文件内容应该是“字段: 值”的形式", "请参照示例文件，每行写一个“字段: 值”")
        return None
    if expected == "array" and not isinstance(doc.data, list):
        problems.add(rel, 1, "", "文件内容应该是列表（每项以“- ”开头）", "请参照示例文件")
        return None
    if not checker.check_schema(valid or is_valid(kind, doc.data)):
        if expected == "array":
            return None
        for path in checker.invalid:  # reported already: later checks see the field as absent
            doc.data.pop(path[0], None)
    return checker


def is_web_url(value: str) -> bool:
    """An http(s) address with no spaces, quotes or angle brackets (what a link in the data must be)."""
    return bool(re.match(r"^https?://[^\s<>\"']+$", value))
