"""Chinese numerals and circled digits: the one implementation (一百零五 ↔ 105, ① ↔ 1).

Used for the numbering of plan bodies (:mod:`gongkai.markup.anchors`), the importer's reading of
numbered paragraphs (:mod:`gongkai.editors.importer`) and Word's counters (:mod:`gongkai.editors.docx`).
"""
from __future__ import annotations

CN_DIGITS = "一二三四五六七八九十"  # 1…10, the digits plan numbering uses
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"  # 1…20

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_VALUE = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None for anything else."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _VALUE:
            current = _VALUE[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def cn_digits_to_int(text: str) -> int | None:
    """A number written digit by digit, as years are: 二〇二五 → 2025, 二零二五 → 2025, ２０２５ → 2025; None otherwise."""
    text = text.translate(_FULLWIDTH)
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(ch not in _VALUE or ch == "两" for ch in text):
        return None
    return int("".join(str(_VALUE[ch]) for ch in text))


def int_to_cn(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 0 → 零; 100 and above as Arabic digits."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)
