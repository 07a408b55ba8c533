"""Turn the importer's candidate targets into targets that pass validation, or into notes for the editor.

:func:`gongkai.editors.importer.find_targets` finds numbers with units and the words around
them (plain dicts). A target in a plan file must name an indicator from
``data/vocab/indicators.yml``, have a 类型, a unit that fits the indicator, a
基数 when it is a 增长 target, and an 出处 the body resolves (see
:mod:`gongkai.data.targets` and docs/targets.md). :func:`fill_targets` does that
mapping for each candidate:

- the indicator: the vocabulary entry whose name (without a trailing 数量/数/人数/场次)
  or one of whose 别名 appears in the candidate's own words (its name guess, then
  its part of the clause, then its sentence when the sentence holds no other
  candidate). The longest match wins; a tie between two indicators is not clear
  enough and the candidate is left for the editor. “…” in an alias stands for up
  to :data:`GAP` other characters (“新增…科技型中小企业” matches “新增国家科技型中小企业”);
- 类型 from the wording: 以上/不少于/超过/超 → 不少于; 增长/提高 with % → 增长;
  otherwise 达到; an upper bound (不超过, 以内) has no 类型 and is left for the editor;
- the unit must be in ``units.yml`` and equal the indicator's unit;
- 出处: the exact source sentence when it resolves to its paragraph, else the shortest
  numbering (“5.”, “二、5.”, “（三）”, “四是”) that points at it; a paragraph without
  numbering gets no 出处 (it is optional);
- 原文: the sentence when it is short and holds no other candidate, else the candidate's
  part of its clause (“确保实现我市高新技术企业达200家”).

Candidates that cannot become valid targets (no indicator, a unit that is not in the
vocabulary or differs from the indicator's, a 增长 target — the text never gives the
基数 —, an upper bound, a fraction in an integer unit) come back as *leftovers*
with the reason, which :func:`gongkai.planfile.render_plan` writes into the plan's ``待核对`` list
(data, not comments: ``gongkai validate`` fails until an editor has dealt with each).
Pure functions: nothing here reads or writes files except :func:`load_vocab`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.data import targets as tg
from gongkai.markup import anchors
from gongkai.editors.importer import marker_of
from gongkai.problems import Problems

GAP = 10  # “…” in an alias: at most this many characters in between
LONG_SENTENCE = 50  # 原文 is the sentence up to this length, else the clause
_NAME_SUFFIX = re.compile(r"(?:数量|人数|场次|数)$")
AT_LEAST = ("以上", "及以上", "不少于", "不低于", "超过", "超", "达超", "突破")
UPPER_BOUND = ("不超过", "以内")
GROWTH_WORDS = ("增长", "增加", "提高", "提升")  # “提高到”“提升至” set a level, not a rate
_RANGE = re.compile(r"\d\s*[-—~～至到]\s*\d")


def load_vocab(root: Path) -> tg.Vocab:
    """The site's units and indicators (empty when the files are missing or broken: then nothing maps)."""
    return tg.load_vocab(Path(root), Problems(), needed=False)


# --- the indicator ------------------------------------------------------------------------------

def keywords(indicator: tg.Indicator) -> list[str]:
    """What recognises an indicator in a text: its name, the name without 数量/数 …, its 别名."""
    words = [indicator.name]
    core = _NAME_SUFFIX.sub("", indicator.name)
    if len(core) >= 2 and core != indicator.name:
        words.append(core)
    return words + [a for a in indicator.aliases if a not in words]


# A word for another counted thing between the indicator's words and the number: “高新技术企业培育库入库企业
# 不少于60家” counts 入库企业, not 高新技术企业 (the indicator's words only describe it).
OTHER_NOUN = re.compile(r"企业|机构|平台|单位|项目|人才|团队|园区|基地|中心|学校|医院|专利|成果|产品|载体|孵化器|众创空间|实验室|工作站")


def find_keyword(keyword: str, text: str, number: str = "", name: str = "") -> tuple[int, str] | None:
    """(score, matched text) when ``keyword`` occurs in ``text``; “…” allows up to GAP characters between parts.

    The match must name what is counted: between it and ``number`` (the candidate's number with its
    unit, as written; the end of ``text`` when the number is not in it) there may be verbs and
    connecting words (入库达到, 数量达), but no other noun that is counted instead (:data:`OTHER_NOUN`),
    unless the words up to that noun are the indicator's own ``name`` (揭榜挂帅项目 of 揭榜挂帅项目立项数).
    """
    parts = [p for p in keyword.split("…") if p]
    if not parts:
        return None
    best: tuple[int, str] | None = None
    start = text.find(parts[0])
    while start >= 0:
        pos, ok = start + len(parts[0]), True
        for part in parts[1:]:
            at = text.find(part, pos, pos + GAP + len(part))
            if at < 0:
                ok = False
                break
            pos = at + len(part)
        if ok:
            at_number = text.find(number, pos) if number else -1
            between = text[pos:at_number if at_number >= 0 else len(text)]
            if any(text[start:pos + m.end()] not in name for m in OTHER_NOUN.finditer(between)):
                ok = False
        if ok:
            found = (sum(len(p) for p in parts), text[start:pos])
            if best is None or len(found[1]) < len(best[1]):
                best = found
        start = text.find(parts[0], start + 1)
    return best


@dataclass
class IndicatorMatch:
    indicator: tg.Indicator | None  # None when two indicators match equally well
    matched: str  # the words in the text that matched
    others: tuple[str, ...] = ()  # the indicators tied with it


def match_indicator(texts: list[str], vocab: tg.Vocab, number: str = "") -> IndicatorMatch | None:
    """The indicator the first of ``texts`` that mentions any indicator names, or None.

    Only indicators with a unit take part (a number cannot be a 定性 target).
    """
    for text in texts:
        if not text:
            continue
        scored: dict[str, tuple[int, str]] = {}
        for indicator in vocab.indicators.values():
            if not indicator.unit:
                continue
            for word in keywords(indicator):
                found = find_keyword(word, text, number, indicator.name)
                if found and found[0] > scored.get(indicator.name, (0, ""))[0]:
                    scored[indicator.name] = found
        if not scored:
            continue
        top = max(score for score, _ in scored.values())
        best = [name for name, (score, _) in scored.items() if score == top]
        if len(best) == 1:
            return IndicatorMatch(vocab.indicators[best[0]], scored[best[0]][1])
        return IndicatorMatch(None, scored[best[0]][1], tuple(best))
    return None


# --- 类型 ---------------------------------------------------------------------------------------

def target_kind(wording: str, unit: str, number_text: str = "") -> str | None:
    """达到 / 不少于 / 增长 from the words that made a candidate (措辞); None for an upper bound."""
    words = [w for w in wording.split("、") if w]
    if any(w in UPPER_BOUND for w in words):
        return None
    if unit == "%" and any(w in GROWTH_WORDS for w in words):
        return "增长"  # “增长20%以上” is a growth rate, at least 20%
    if any(w in AT_LEAST for w in words) or _RANGE.search(number_text):
        return "不少于"
    return "达到"


# --- 出处 ---------------------------------------------------------------------------------------

def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quoted(sentence: str) -> str:
    return sentence.strip().rstrip("。；;！!？?")


def source_ref(body: str, sentence: str, start: int = 0) -> tuple[str | None, int]:
    """(出处, index of the paragraph) for a sentence of the body, searching from paragraph ``start``.

    The 出处 is the candidate's exact source sentence when gongkai.targets resolves it to that
    paragraph (the editor sees where the number came from), else the shortest numbering that
    does; None when the paragraph has no numbering. The index is -1 when the sentence is not found.
    """
    bmap = anchors.body_map(body)
    needle = _squash(sentence)
    blocks = bmap.blocks
    at = next((i for i in range(start, len(blocks)) if needle and needle in _squash(blocks[i].text)), None)
    if at is None:
        at = next((i for i in range(len(blocks)) if needle and needle in _squash(blocks[i].text)), None)
    if at is None:
        return None, -1
    block = blocks[at]
    if not block.key:
        return None, at
    exact = sentence.strip()
    anchor, _, message, _ = anchors.resolve_source(body, exact)
    if exact and not message and anchor == block.anchor:
        return exact, at
    for n in range(1, len(block.key) + 1):
        label = anchors.key_label(block.key[-n:])
        anchor, _, message, _ = anchors.resolve_source(body, label)
        if not message and anchor == block.anchor:
            return label, at
    quoted = _quoted(sentence)
    anchor, _, message, _ = anchors.resolve_source(body, quoted)
    return (quoted if not message and anchor == block.anchor else None), at


# --- all candidates of one plan ------------------------------------------------------------------

def _slug_for(indicator: tg.Indicator, taken: set[str]) -> str:
    slug, n = indicator.slug, 2
    while slug in taken:
        slug, n = f"{indicator.slug}-{n}", n + 1
    taken.add(slug)
    return slug


def _wording(candidate: dict[str, Any], alone: bool) -> str:
    """The sentence when it is short and about this target alone, else the target's part of its clause."""
    sentence = _quoted(candidate["说明"])
    text = sentence if (alone and len(sentence) <= LONG_SENTENCE) or not candidate.get("分句") else candidate["分句"]
    mark = marker_of(text)  # the paragraph's number belongs to 出处, not to the wording
    return text[len(mark[2]):].strip() if mark and text.startswith(mark[2]) else text


def fill_targets(candidates: list[dict[str, Any]], body: str, vocab: tg.Vocab) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(targets, leftovers) for one plan's candidates (in body order).

    Each target is a dict with the plan-file fields (编号, 指标, 类型, 目标值, 单位, 原文,
    出处) plus ``待核对``, the note the editor removes once the target is checked. Each leftover keeps the candidate's
    说明, 目标值, 单位 and gets ``出处`` (may be None) and ``原因``.
    """
    per_sentence: dict[str, int] = {}
    for c in candidates:
        per_sentence[c["说明"]] = per_sentence.get(c["说明"], 0) + 1
    filled: list[dict[str, Any]] = []
    leftovers: list[dict[str, Any]] = []
    taken: set[str] = set()
    cursor = 0
    for c in candidates:
        ref, at = source_ref(body, c["说明"], cursor)
        if at >= 0:
            cursor = at
        texts = [c.get("指标", ""), c.get("上下文", "")]
        if per_sentence[c["说明"]] == 1:
            texts.append(c["说明"])
        match = match_indicator(texts, vocab, c.get("原文", ""))
        unit = c["单位"]
        kind = target_kind(c.get("措辞", ""), unit, c.get("原文", ""))
        indicator = match.indicator if match else None
        reason = ""
        if not vocab.indicators:
            reason = "没有指标词表（data/vocab/indicators.yml）"
        elif match is None:
            reason = "指标词表中没有对应的指标"
        elif indicator is None:
            reason = f"“{match.matched}”可能是" + "或".join(f"“{n}”" for n in match.others) + "，请选定"
        elif unit not in vocab.units:
            reason = f"单位“{unit}”不在单位词表（data/vocab/units.yml）中；指标可能是“{indicator.name}”（单位：{indicator.unit}）"
        elif kind is None:
            reason = f"“{c.get('原文', '')}”是上限，没有对应的类型；指标可能是“{indicator.name}”"
        elif kind == tg.GROWTH:
            reason = f"“增长”类目标需要基数（上一年的实际数值），原文中没有；指标可能是“{indicator.name}”（基数单位：{indicator.unit}）"
        elif unit != indicator.unit:
            reason = f"单位“{unit}”与指标“{indicator.name}”的单位“{indicator.unit}”不一致，请换算或另选指标"
        elif vocab.units[unit].integer and c["目标值"] != int(c["目标值"]):
            reason = f"目标值 {c['目标值']} 不是整数，而单位“{unit}”只能是整数；指标可能是“{indicator.name}”"
        if reason:
            leftovers.append({"说明": c["说明"], "目标值": c["目标值"], "单位": unit, "原文": c.get("原文", ""),
                              "出处": ref, "原因": reason})
            continue
        assert indicator is not None and match is not None and kind is not None
        note = f"指标按原文中的“{match.matched}”对应，类型按措辞“{c.get('措辞', '')}”定为“{kind}”"
        if ref is None:
            note += "；这一段没有序号，没有填出处（可在该段的下一行写 {#标识}，再写“出处: \"#标识\"”）"
        target = {"编号": _slug_for(indicator, taken), "指标": indicator.name, "类型": kind, "目标值": c["目标值"],
                  "单位": unit, "原文": _wording(c, per_sentence[c["说明"]] == 1), "出处": ref, "待核对": note}
        filled.append(target)
    return filled, leftovers
