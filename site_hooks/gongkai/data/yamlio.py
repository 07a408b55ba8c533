"""Read an editor's YAML file safely, keeping the line of every value.

PyYAML alone accepts duplicate keys, turns ``no`` into False and ``15:00`` into
900, expands aliases without limit and reports errors in English. This module
composes the node tree (C parser when available), then builds plain Python data
itself with a small YAML 1.2 core schema: dates stay strings (the schema checks
them), only ``true``/``false`` are booleans, aliases and merge keys are refused.
Every problem becomes a Chinese message with a line number.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's parser is several times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class _Composer(_Loader):
    """The loader for composing only: :class:`_Builder` types every scalar itself (YAML 1.2 core), so no
    implicit tag is looked for. PyYAML's resolver tries its YAML 1.1 patterns on every plain scalar (5 % of
    parsing a plan); the tag of an untagged node is only checked against _OK_TAGS, which all of them are in."""

    _PLAIN = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
              yaml.MappingNode: "tag:yaml.org,2002:map"}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return self._PLAIN[kind]


MAX_BYTES = 1024 * 1024  # 1 MiB: a plan is a few KB; anything larger is a mistake
MAX_DEPTH = 20
MAX_ERRORS = 20  # per file: after that one line says how many more there are
MAX_NUMBER_DIGITS = 30  # longer digit strings stay text (and Python refuses > 4300 digits)
# Tags a plain editor's file can carry (implicit ones, or written as !!str etc.); others are refused.
_OK_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value")}
# Invisible characters that make text lie about itself: C0/C1 controls (except tab and newline) and
# the bidirectional overrides used for spoofing ("Trojan Source").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_STD_TAG = "tag:yaml.org,2002:"

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class YamlDoc:
    """Parsed data plus the 1-based line of every key or list item."""

    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, message, hint)
    # scalars: top-level key → (style, first line, last line) of the value as written ("|", ">", "'", '"' or "" for plain)
    scalars: dict[Path_, tuple[str, int, int]] = field(default_factory=dict)
    digest: bytes = b""  # sha256 of the file's bytes as read (load_file); the release id hashes no file twice

    def line(self, path: Path_) -> int:
        """Line of ``path`` or of its nearest recorded ancestor (1 for the file itself)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def decode(raw: bytes) -> tuple[str | None, list[tuple[int, str, str]]]:
    """Bytes to text. Only UTF-8 (with or without BOM) is accepted; others are explained."""
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return None, [(1, "文件是 UTF-16 编码，网站只接受 UTF-8", "请在编辑器里用“UTF-8”编码另存这个文件")]
    if b"\x00" in raw:
        return None, [(1, "这不是文本文件（含有二进制内容）", "请确认上传的是 .yml 文本文件，而不是 Word 或图片")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            guess = "看起来是 GBK/GB18030 编码（Windows 记事本的“ANSI”）"
        except UnicodeDecodeError:
            guess = "编码无法识别"
        return None, [(line, f"文件不是 UTF-8 编码，{guess}", "请用“UTF-8”编码另存，或运行 gongkai validate --fix 自动转换")]


def _control_message(text: str) -> str | None:
    m = _CONTROL.search(text)
    if m is None:
        return None
    return f"含有不可见的控制字符（U+{ord(m.group()):04X}）"


_CONTROL_HINT = "请删除这个字符（常见于从 Word、网页或其他系统复制的文字），或重新输入这一行"


_CN_COLON_KEY = re.compile(r"^(-\s+)?([^\s:：#\"'][^:：#]*?)\s*：")
_KEY = re.compile(r"^(-\s+)?[^\s:#\"'][^:#]*?:(\s|$)")
_QUOTED_ITEM = re.compile(r"^(-\s+)?[\"']")  # a quoted value (“- "说明：…"”): its colons are text
_BLOCK_START = re.compile(r":\s*[|>][-+]?\s*(#.*)?$")


def _has_control(text: str) -> bool:
    """Whether ``text`` holds a character of _CONTROL (a CRLF line end is not one)."""
    return _CONTROL.search(text.replace("\r\n", "\n")) is not None


def _pre_scan(text: str, control: bool) -> list[tuple[int, str, str]]:
    """Mistakes that make the YAML parser's own message unhelpful (``control``: :func:`_has_control`)."""
    found = []
    if control:
        for n, line in enumerate(text.split("\n"), 1):
            message = _control_message(line.rstrip("\r"))
            if message:
                found.append((n, message, _CONTROL_HINT))
    in_block = None
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if in_block is not None and (stripped == "" or indent > in_block):
            continue  # inside a | or > block: text is free-form
        in_block = None
        if stripped.startswith("\t") or (line.startswith("\t")):
            found.append((n, "行首用了制表符（Tab）缩进，YAML 只认空格", "请把行首的 Tab 改成空格（每级两个空格）"))
            continue
        if stripped.startswith("#"):
            continue
        m = _CN_COLON_KEY.match(stripped) if "：" in stripped else None  # the `in` tests skip most lines
        if m and not _KEY.match(stripped) and not _QUOTED_ITEM.match(stripped):
            found.append((n, f"“{m.group(2)}”后面用了中文冒号“：”", "字段名后面要用英文冒号加一个空格“: ”"))
        if ("|" in stripped or ">" in stripped) and _BLOCK_START.search(stripped):
            in_block = indent
    return found


_YAML_MESSAGES = [  # needles match both PyYAML's and libyaml's wording
    ("found character '\\t'", "这里有制表符（Tab）", "请改成空格"),
    ("mapping values are not allowed", "这里多了一个冒号，或上一行缩进不对", "值里含有“: ”时，请把整个值用英文引号括起来"),
    ("could not find expected ':'", "这一行缺少“: ”，或缩进不对", "每个字段写成“字段: 值”，同一层的字段左边对齐"),
    ("did not find expected key", "缩进不对，或上一行的引号没有配对", "同一层的字段左边要对齐；引号要成对"),
    ("did not find expected '-' indicator", "列表的缩进不对", "列表每一项以“- ”开头，并与同层对齐"),
    ("found unexpected end of stream", "文件意外结束（可能引号没有配对）", "请检查最后几行的引号"),
    ("found undefined alias", "用到了未定义的别名（*）", "本网站不支持锚点和别名，请直接写出内容"),
    ("expected a single document", "文件里有多个文档（出现了“---”分隔）", "一个文件只写一条，删除多余的“---”"),
    ("found unknown escape character", "双引号里有无法识别的反斜杠转义", "改用单引号，或把“\\”写成“\\\\”"),
    ("found unexpected ':'", "这里的冒号位置不对", "值里含有冒号时，请把整个值用英文引号括起来"),
    ("while scanning a quoted scalar", "引号没有配对", "请检查这一行的引号是否成对"),
]


def _translate(exc: yaml.YAMLError) -> tuple[int, str, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    text = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    for needle, message, hint in _YAML_MESSAGES:
        if needle in text:
            return line, message, hint
    return line, "YAML 格式错误", "请对照示例检查这一行和上一行的缩进、冒号和引号"


class _Builder:
    def __init__(self, doc: YamlDoc, control: bool = True):
        self.doc = doc
        self.seen: set[int] = set()
        # Where a value can hold a control character: anywhere if the text has one, else only in double
        # quotes, whose escapes ("\\x01", "\\u202e", "\\N") make them (NFC makes none).
        self.any_style = control

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        line = node.start_mark.line + 1
        if id(node) in self.seen:  # an alias: the node is the anchored one, so report where it is used
            self.doc.errors.append((self.doc.line(path), "使用了锚点和别名（& 与 *）", "本网站不支持锚点和别名，请直接写出内容"))
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.doc.errors.append((line, f"嵌套层级太深（超过{MAX_DEPTH}层）", "请检查缩进是否正确"))
            return None
        if node.tag and node.tag not in _OK_TAGS:
            tag = node.tag.replace(_STD_TAG, "!!")
            self.doc.errors.append((line, f"不支持的 YAML 标记“{tag}”", "请删除以“!”开头的标记"))
            return None
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    self.doc.errors.append((key_line, "字段名必须是文字", "请检查这一行的写法"))
                    continue
                key = key_node.value
                if key == "<<" and not key_node.style:  # plain: None from PyYAML, "" from libyaml
                    self.doc.errors.append((key_line, "使用了合并键“<<”", "本网站不支持合并键，请直接写出各字段"))
                    continue
                if key in result:
                    first = self.doc.lines.get(path + (key,), "?")
                    self.doc.errors.append(
                        (key_line, f"字段“{key}”重复出现（第{first}行已经写过）", "同一个字段只能写一次，请删除或合并其中一处")
                    )
                    continue
                self.doc.lines[path + (key,)] = key_line
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, child in enumerate(node.value):
                self.doc.lines[path + (i,)] = self.doc.line(path) if id(child) in self.seen else child.start_mark.line + 1
                items.append(self.build(child, path + (i,), depth + 1))
            return items
        value = unicodedata.normalize("NFC", node.value)
        if len(path) == 1:  # top-level fields only (正文 …): small, and all a check needs
            self.doc.scalars[path] = (node.style or "", line, node.end_mark.line + 1)
        message = _control_message(value) if self.any_style or node.style == '"' else None
        if message:  # written as an escape ("\\x01", "\\u202e") inside double quotes
            self.doc.errors.append((line, message, "请删除引号里的“\\x”“\\u”转义字符"))
            return None
        if node.style:  # quoted or block scalar: always text (plain is None, or "" from libyaml)
            return value
        if value in _NULL:
            return None
        if value in _BOOL:
            return _BOOL[value]
        if len(value) > MAX_NUMBER_DIGITS and (_INT.match(value) or _FLOAT.match(value)):
            return value  # not a number anyone means; the schema says "应该是数字" where one is wanted
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
            return float(value)
        return value


_CRASH_SAFE_DEPTH = 500  # libyaml composes a few thousand levels before its C stack runs out


def _too_deep(text: str) -> int | None:
    """Line of the first collection nested deeper than MAX_DEPTH, read from the event stream.

    Checked before composing: libyaml's composer recurses in C, and a few thousand nested
    brackets (``a: [[[[…``) would crash the whole process instead of raising an error.
    """
    # A bound on the depth: 2 × the deepest indent + the brackets and item marks + 2. Below _CRASH_SAFE_DEPTH
    # the builder reports depth > MAX_DEPTH itself. The indent need not be measured (a list of every line's
    # spaces was 5 % of parsing a plan): the bound reaches the limit only if some line starts with `need` spaces.
    need = -(-(_CRASH_SAFE_DEPTH - 2 - sum(text.count(c) for c in ("[", "{", "- ", "? "))) // 2)
    if need > 0 and not text.startswith(" " * need) and "\n" + " " * need not in text:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH + 1:
                return event.start_mark.line + 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _cap(errors: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """One message per line and kind, at most MAX_ERRORS, then a count of the rest."""
    seen, kept = set(), []
    for line, message, hint in errors:
        if (line, message) not in seen:
            seen.add((line, message))
            kept.append((line, message, hint))
    if len(kept) > MAX_ERRORS:
        rest = len(kept) - MAX_ERRORS
        kept = kept[:MAX_ERRORS] + [(kept[MAX_ERRORS][0], f"这个文件还有 {rest} 处类似问题没有列出", "请先修改上面的问题，再运行 gongkai validate")]
    return kept


def parse_text(text: str) -> YamlDoc:
    doc = _parse_text(text)
    doc.errors = _cap(doc.errors)
    return doc


def _parse_text(text: str) -> YamlDoc:
    doc = YamlDoc()
    control = _has_control(text)
    pre = _pre_scan(text, control)
    doc.errors.extend(pre)
    try:
        deep = _too_deep(text)
        if deep is not None:
            doc.errors.append((deep, f"嵌套层级太深（超过{MAX_DEPTH}层）", "请检查缩进和括号是否正确"))
            return doc
        node = yaml.compose(text, Loader=_Composer)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (its position, not line, is known)
        if not pre:
            line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 1
            doc.errors.append((line, f"含有不允许的字符（U+{exc.character:04X}）" if isinstance(exc.character, int) else "含有不允许的字符", _CONTROL_HINT))
        return doc
    except yaml.YAMLError as exc:
        line, message, hint = _translate(exc)
        if not any(abs(line - p[0]) <= 1 for p in pre):  # the pre-scan already explained it
            doc.errors.append((line, message, hint))
        return doc
    except RecursionError:
        doc.errors.append((1, "嵌套层级太深", "请检查缩进是否正确"))
        return doc
    if node is None:
        doc.errors.append((1, "文件是空的", "请参照示例文件填写内容，或删除这个文件"))
        return doc
    doc.lines[()] = node.start_mark.line + 1
    doc.data = _Builder(doc, control).build(node, (), 0)
    return doc


def load_file(path: Path) -> YamlDoc:
    """Read and parse one file; never raises for bad content."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            doc = YamlDoc()
            doc.errors.append((1, f"文件太大（{size // 1024} KB，上限 {MAX_BYTES // 1024} KB）", "一份计划通常只有几 KB，请检查是否粘贴了多余内容"))
            return doc
        raw = path.read_bytes()
    except OSError as exc:
        doc = YamlDoc()
        doc.errors.append((1, f"无法读取文件（{exc.strerror}）", "请检查文件是否存在、是否有读取权限"))
        return doc
    text, errors = decode(raw)
    if text is None:
        return YamlDoc(errors=errors)
    if not text.strip():
        return YamlDoc(errors=[(1, "文件是空的", "请参照示例文件填写内容，或删除这个文件")])
    doc = parse_text(text)
    doc.digest = hashlib.sha256(raw).digest()
    return doc
