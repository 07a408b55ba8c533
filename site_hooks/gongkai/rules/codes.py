"""Chinese government identifiers: check characters, 索引号, 文号, dates.

Pure functions, no I/O. Each ``check_*``/``parse_*`` returns either a parsed
value or raises :class:`CodeError` whose message is a Chinese sentence that
says what is wrong and (in ``hint``) what to type instead.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass


class CodeError(ValueError):
    """A malformed identifier. ``message`` says what is wrong, ``hint`` what to do."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


# --- normalisation helpers ---------------------------------------------------

_FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})
_FULLWIDTH.update({ord("－"): "-", ord("／"): "/", ord("："): ":", ord("　"): " "})


_FULLWIDTH_CHARS = {chr(k): v for k, v in _FULLWIDTH.items()}
_FULLWIDTH_ANY = re.compile("[" + "".join(_FULLWIDTH_CHARS) + "]")


def to_halfwidth(text: str) -> str:
    """Full-width digits, hyphen, slash, colon and space to their ASCII forms (``text.translate(_FULLWIDTH)``).

    Found by a regular expression rather than ``str.translate``, which looks every character of a Chinese
    text up in a dict: 20× faster on body paragraphs, which have few such characters (1.1 s of CPU at
    10,000 plans, issue 18)."""
    if _FULLWIDTH_ANY.search(text) is None:
        return text
    return _FULLWIDTH_ANY.sub(lambda m: _FULLWIDTH_CHARS[m.group()], text)


# --- 统一社会信用代码 (GB 32100-2015) and 组织机构代码 (GB 11714-1997) ------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc_check_char(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 computed from the first 17."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """The 9th character of a 组织机构代码 computed from the first 8."""
    def value(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    total = sum(value(c) * w for c, w in zip(first8, _ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def check_uscc(code: str) -> str:
    """Validate an 18-character 统一社会信用代码; return it normalised (upper case)."""
    raw = to_halfwidth(code).strip().upper()
    if len(raw) != 18:
        raise CodeError(f"统一社会信用代码应为18位，现在是{len(raw)}位", "请对照单位的统一社会信用代码证书重新填写")
    bad = [c for c in raw if c not in USCC_CHARS]
    if bad:
        raise CodeError(
            f"统一社会信用代码含有不允许的字符“{''.join(sorted(set(bad)))}”",
            "只能使用数字和大写字母（不含 I、O、Z、S、V）",
        )
    expected = uscc_check_char(raw[:17])
    if raw[17] != expected:
        raise CodeError(
            f"统一社会信用代码校验位不对：最后一位应为“{expected}”，现在是“{raw[17]}”",
            "请核对是否有输错的字符",
        )
    org = raw[8:17]
    if org_check_char(org[:8]) != org[8]:
        raise CodeError(
            f"统一社会信用代码第9至17位（组织机构代码 {org}）的校验位不对",
            "请核对是否有输错的字符",
        )
    return raw


def check_org_code(code: str) -> str:
    """Validate a 9-character 组织机构代码 (hyphen allowed); return it without hyphen."""
    raw = to_halfwidth(code).strip().upper().replace("-", "")
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", raw):
        raise CodeError("组织机构代码应为9位：8位数字或大写字母加1位校验位", "例如 00325409X")
    expected = org_check_char(raw[:8])
    if raw[8] != expected:
        raise CodeError(f"组织机构代码校验位不对：最后一位应为“{expected}”，现在是“{raw[8]}”", "请核对是否有输错的字符")
    return raw


# --- dates -----------------------------------------------------------------------

_CN_DATE = re.compile(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?$")
_LOOSE_DATE = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$")


def parse_date(value: str) -> _dt.date:
    """Parse ``YYYY-MM-DD``. Other spellings raise CodeError with the correct form as hint."""
    text = str(value).strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        y, m, d = (int(p) for p in text.split("-"))
        try:
            return _dt.date(y, m, d)
        except ValueError:
            raise CodeError(f"日期“{text}”不存在（{y}年{m}月没有{d}日）", "请核对日期，格式为 YYYY-MM-DD") from None
    half = to_halfwidth(text)
    match = _CN_DATE.match(half) or _LOOSE_DATE.match(half)
    if match:
        y, m, d = (int(g) for g in match.groups())
        try:
            fixed = _dt.date(y, m, d).isoformat()
        except ValueError:
            raise CodeError(f"日期“{text}”不存在", "请核对日期，格式为 YYYY-MM-DD") from None
        raise CodeError(f"日期“{text}”的写法不对", f"请写成 {fixed}")
    raise CodeError(f"“{text}”不是日期", "请写成 YYYY-MM-DD，例如 2024-03-01")


def parse_time(value: str) -> _dt.time:
    """Parse ``HH:MM`` (24-hour)."""
    text = str(value).strip()
    half = to_halfwidth(text)
    match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", half)
    if not match:
        raise CodeError(f"“{text}”不是时间", "请写成 HH:MM（24小时制），并加英文引号，例如 \"15:00\"")
    h, m = int(match.group(1)), int(match.group(2))
    if h > 23 or m > 59:
        raise CodeError(f"时间“{text}”不存在", "小时为 00-23，分钟为 00-59")
    if half != text or len(match.group(1)) == 1:
        raise CodeError(f"时间“{text}”的写法不对", f"请写成 \"{h:02d}:{m:02d}\"")
    return _dt.time(h, m)


# --- 文号 (GB/T 9704-2012 §7.2.5) ---------------------------------------------

_DOCNO_OK = re.compile(r"^(?P<agency>[^\s〔〕\[\]【】()（）]+)〔(?P<year>[0-9]{4})〕(?P<serial>[1-9][0-9]*)号$")

# The loose 文号 grammar: every way editors and visitors type one (〔〕 [] 【】 () （） 〈〉 <> {}, spaces,
# 第…号, a 2-digit year), after full-width digits and brackets have been folded. The validator uses it to
# suggest the right form; the search uses it for its 文号 key, and so does the browser: search.js holds a
# copy of DOC_NO_LOOSE_SOURCE generated by scripts/sync_search_js.py (tests/test_search_index.py checks
# they are equal and give the same groups). Plain groups (1 机关代字, 2 年份, 3 序号), no Python-only
# syntax and no \s or \d (whose sets differ between the two), so the same source means the same in
# JavaScript (flag "u").
DOC_NO_OPEN = "〔[【(（〈<{"
DOC_NO_CLOSE = "〕]】)）〉>}"


def _in_class(chars: str) -> str:
    """``chars`` written inside a regex character class, valid in Python and in JavaScript's "u" mode."""
    return "".join("\\" + c if c in "\\[]^-" else c for c in chars)


DOC_NO_LOOSE_SOURCE = (
    rf"^([^ \t0-9{_in_class(DOC_NO_OPEN + DOC_NO_CLOSE)}]+?)[ \t]*[{_in_class(DOC_NO_OPEN)}][ \t]*([0-9]{{2,4}})[ \t]*"
    rf"[{_in_class(DOC_NO_CLOSE)}][ \t]*第?[ \t]*([0-9]+)[ \t]*号?$"
)
DOC_NO_LOOSE = re.compile(DOC_NO_LOOSE_SOURCE)


@dataclass(frozen=True)
class DocNumber:
    agency: str
    year: int
    serial: int

    def __str__(self) -> str:
        return f"{self.agency}〔{self.year}〕{self.serial}号"


def parse_doc_number(value: str) -> DocNumber:
    """Parse a 文号 such as ``广科〔2024〕3号``; suggest the right form for near-misses."""
    text = unicodedata.normalize("NFC", str(value).strip())
    match = _DOCNO_OK.match(text)
    if match:
        return DocNumber(match["agency"], int(match["year"]), int(match["serial"]))
    loose = DOC_NO_LOOSE.match(to_halfwidth(text).replace(" ", ""))
    if loose and len(loose[2]) == 4:
        fixed = DocNumber(loose[1], int(loose[2]), int(loose[3]))
        if fixed.serial > 0:
            raise CodeError(
                f"文号“{text}”格式不对：年份要用六角括号〔〕，数字用半角，序号不加“第”和前导0",
                f"请写成 {fixed}",
            )
    if loose:
        raise CodeError(f"文号“{text}”的年份应写全4位", "例如 广科〔2024〕3号")
    raise CodeError(f"文号“{text}”格式不对", "应为 机关代字〔年份〕序号号，例如 广科〔2024〕3号；没有文号请留空")


# --- 索引号 --------------------------------------------------------------------

@dataclass(frozen=True)
class IndexFormat:
    """One built-in 索引号 layout: ``<code>/<period>-<serial>``."""

    key: str  # 全国 / 安徽 / 广东
    code_kind: str  # "org" (9-char) or "uscc" (18-char)
    period: str  # "year" (YYYY) or "month" (YYYYMM)
    description: str

    def period_of(self, date: _dt.date) -> str:
        return f"{date.year:04d}" if self.period == "year" else f"{date.year:04d}{date.month:02d}"

    def format(self, code: str, period: str, serial: int) -> str:
        return f"{code}/{period}-{serial:05d}"

    def example(self) -> str:
        code = "000014349" if self.code_kind == "org" else "1134172300325409XR"
        return self.format(code, "2024" if self.period == "year" else "202403", 2)


INDEX_FORMATS = {
    "全国": IndexFormat("全国", "org", "year", "9位组织机构代码/YYYY-NNNNN（2009年目录系统实施指引）"),
    "安徽": IndexFormat("安徽", "uscc", "month", "18位统一社会信用代码/YYYYMM-NNNNN"),
    "广东": IndexFormat("广东", "uscc", "year", "18位统一社会信用代码/YYYY-NNNNN"),
}


@dataclass(frozen=True)
class IndexNumber:
    code: str
    period: str
    serial: int

    def __str__(self) -> str:
        return f"{self.code}/{self.period}-{self.serial:05d}"


def parse_index_number(value: str, fmt: IndexFormat) -> IndexNumber:
    """Parse a 索引号 in the site's format; CodeError with a corrected form where one exists."""
    text = str(value).strip()
    code_len = 9 if fmt.code_kind == "org" else 18
    period_len = 4 if fmt.period == "year" else 6
    pattern = re.compile(rf"^([0-9A-Z]{{{code_len}}})/([0-9]{{{period_len}}})-([0-9]{{5}})$")
    match = pattern.match(text)
    if match:
        return IndexNumber(match.group(1), match.group(2), int(match.group(3)))
    fixed = to_halfwidth(text).replace(" ", "").upper()
    fixed = re.sub(r"[\\|]", "/", fixed)
    fixed = re.sub(r"[—–_]", "-", fixed)
    if pattern.match(fixed):
        raise CodeError(f"索引号“{text}”含有全角字符或错误的分隔符", f"请写成 {fixed}")
    raise CodeError(
        f"索引号“{text}”不符合本站的“{fmt.key}”格式（{fmt.description}）",
        f"例如 {fmt.example()}；不确定时可以删除这一行，运行 gongkai validate --fix 自动编号",
    )
