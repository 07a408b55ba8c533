"""Targets (指标): the shared vocabularies, the checks, the link to the body, and each target's status.

A plan lists its targets under ``指标:`` (see :data:`gongkai.schema.TARGET`); a
工作总结 closes earlier targets under ``目标完成情况:``. :func:`check` runs inside
:func:`gongkai.loader.load_project`: it reads ``data/vocab/units.yml`` and
``data/vocab/indicators.yml``, checks every target in the loader's style
(``path:line: 字段: 问题 — 怎么改``) and replaces each ``Plan.targets`` raw list
with :class:`Target` objects.

Status is computed from the data alone — never from today's date — so a build
is the same whatever day it runs:

- no value yet → 无数据; the latest value meets the target → 已完成;
- the final value from a 工作总结, or a progress entry dated on or after the
  deadline, that falls short → 未完成; anything else → 进行中;
- a qualitative (定性) target takes the 状态 its latest entry gives (已完成 / 未完成),
  else 进行中.

Where a target comes from (``出处``) is resolved against the rendered body: numbered
paragraphs and headings (一、 （一） 1. (1) ① 一是) get stable ids such as
``gk-s2-n5`` (section 二, item 5), which :func:`anchored_body` writes into the HTML.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.rules import codes
from gongkai.problems import Problems
from gongkai.data.checker import FileChecker, read_file
from gongkai.markup.anchors import resolve_source

if TYPE_CHECKING:  # pragma: no cover
    from gongkai.data.model import Plan

STATUSES = ("已完成", "进行中", "未完成", "无数据")
GROWTH, QUALITATIVE = "增长", "定性"

# --- data objects ----------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    name: str
    integer: bool = False
    description: str = ""

@dataclass(frozen=True)
class Indicator:
    name: str
    slug: str
    unit: str  # "" for qualitative indicators
    description: str = ""
    order: int = 0  # position in data/vocab/indicators.yml: tables and lists follow it
    aliases: tuple[str, ...] = ()  # 别名: other names in plan texts, used by gongkai import

@dataclass
class Progress:
    date: dt.date
    value: float | None
    status: str | None = None  # qualitative targets only
    note: str = ""
    source: str = ""

@dataclass
class Closing:
    """The final value of a target, recorded by a later 工作总结."""

    summary: Plan
    date: dt.date
    value: float | None
    status: str | None = None
    note: str = ""

@dataclass
class Target:
    plan: Plan
    key: str  # 编号, unique in its plan
    indicator: Indicator
    kind: str  # 达到 / 不少于 / 增长 / 保持 / 定性
    value: float | None
    unit: str
    baseline: float | None
    deadline: dt.date
    owner: str
    wording: str
    source_ref: str = ""  # 出处 as written
    anchor: str | None = None  # id of the body element it comes from
    anchor_label: str = ""  # e.g. （三） or 二、5.
    progress: list[Progress] = field(default_factory=list)
    closing: Closing | None = None
    line: int = 0

    @property
    def uid(self) -> str:
        return f"{self.plan.id}#{self.key}"

    @property
    def level(self) -> float | None:
        """The value to reach, in the indicator's unit (a growth target: baseline × (1 + rate))."""
        if self.kind == QUALITATIVE or self.value is None:
            return None
        if self.kind == GROWTH:
            return None if self.baseline is None else round(self.baseline * (1 + self.value / 100), 6)
        return self.value

    @property
    def latest(self) -> Progress | None:
        """The closing value if a summary gave one, else the latest progress entry."""
        if self.closing is not None:
            c = self.closing
            return Progress(c.date, c.value, c.status, c.note, c.summary.title)
        return max(self.progress, key=lambda p: p.date) if self.progress else None

    @property
    def final(self) -> bool:
        return self.closing is not None

    @property
    def percent(self) -> float | None:
        """Completion in % (may exceed 100 or be negative); None when it has no meaning."""
        latest = self.latest
        if latest is None or latest.value is None or self.kind == QUALITATIVE or self.value is None:
            return None
        if self.kind == GROWTH:
            if not self.baseline or not self.value:
                return None
            achieved = (latest.value / self.baseline - 1) * 100
            return achieved / self.value * 100
        if not self.value:
            return 100.0 if latest.value >= self.value else 0.0
        return latest.value / self.value * 100

    @property
    def status(self) -> str:
        latest = self.latest
        if latest is None:
            return "无数据"
        if self.kind == QUALITATIVE:
            return latest.status or "进行中"
        pct = self.percent
        if pct is not None and pct >= 100 - 1e-9:
            return "已完成"
        if self.final or latest.date >= self.deadline:
            return "未完成"
        return "进行中"

# --- numbers ---------------------------------------------------------------------

_NUM = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")

def parse_number(value: Any) -> float:
    """A number typed by an editor; CodeError with a Chinese hint for near-misses (200家, １０, 10%)."""
    if isinstance(value, bool):
        raise codes.CodeError("应该是数字，现在是 true/false", "只写数字，例如 200")
    if value is None or isinstance(value, (list, dict)):
        raise codes.CodeError("应该是数字，现在是" + ("空" if value is None else "列表或一组字段"), "只写数字，例如 200")
    if isinstance(value, (int, float)):
        return float(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()  # full-width digits and ％ become ASCII
    raw = str(value).strip()
    if _NUM.match(text):
        raise codes.CodeError(f"“{raw}”含有全角字符或写成了文字", f"请写成半角数字 {text}（不加引号）")
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        raise codes.CodeError(f"“{raw}”含有千位分隔符", f"请写成 {text.replace(',', '')}")
    m = re.match(r"^([-+]?\d+(?:\.\d+)?)\s*(万|亿)(.*)$", text)
    if m:
        raise codes.CodeError(f"“{raw}”不是数字", f"请换算成数字，或换用以“{m.group(2)}”为单位的单位（例如 万元、亿元、万平方米）")
    m = re.match(r"^([-+]?\d+(?:\.\d+)?)\s*(.+)$", text)
    if m:
        unit = m.group(2).strip()
        if unit == "%":
            raise codes.CodeError(f"“{raw}”不是数字", f"只写数字 {m.group(1)}，百分号写在“单位”里（单位： \"%\"）")
        raise codes.CodeError(f"“{raw}”不是数字", f"只写数字 {m.group(1)}，单位“{unit}”写在“单位”里")
    raise codes.CodeError(f"“{raw}”不是数字", "只写数字，例如 200；没有数值的目标请把“类型”写成“定性”")

def fmt_number(value: float | None) -> str:
    """200.0 → 200; 1.25 → 1.25; 101.44 → 101.44 (at most two decimals)."""
    if value is None:
        return ""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.2f}".rstrip("0").rstrip(".")

def fmt_percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"

# --- vocabularies -------------------------------------------------------------------

@dataclass
class Vocab:
    units: dict[str, Unit] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    loaded: bool = False

def load_vocab(root: Path, problems: Problems, needed: bool) -> Vocab:
    """Read units.yml and indicators.yml. A missing file is an error only when some plan has targets."""
    vocab = Vocab()
    folder = root / "data" / "vocab"
    files = {kind: folder / f"{kind}.yml" for kind in ("units", "indicators")}
    if not all(p.exists() for p in files.values()):
        if needed:
            for kind, path in files.items():
                if not path.exists():
                    problems.add(f"data/vocab/{kind}.yml", 0, "", "缺少词表文件（计划中填写了“指标”）", "请从示例网站复制这个文件")
        return vocab
    c = read_file("units", files["units"], root, problems)
    if c is not None:
        for i, entry in enumerate(c.doc.data):
            name = str(entry["名称"]).strip()
            if name in vocab.units:
                c.error((i, "名称"), f"“{name}”重复", "词表中的单位不能重复")
            vocab.units[name] = Unit(name, bool(entry.get("整数")), str(entry.get("说明") or ""))
    c = read_file("indicators", files["indicators"], root, problems)
    if c is not None:
        slugs: dict[str, int] = {}
        alias_of: dict[str, str] = {}
        for i, entry in enumerate(c.doc.data):
            name, slug = str(entry["名称"]).strip(), str(entry["标识"]).strip()
            unit = str(entry.get("单位") or "").strip()
            if name in vocab.indicators:
                c.error((i, "名称"), f"指标“{name}”重复", "词表中的名称和标识都不能重复")
            if slug in slugs:
                c.error((i, "标识"), f"标识“{slug}”重复（第{slugs[slug]}行已有）", "每个指标的标识必须不同")
            slugs[slug] = c.doc.line((i, "标识"))
            if unit and vocab.units and unit not in vocab.units:
                c.error((i, "单位"), f"“{unit}”不在单位词表中", "可用的单位：" + "、".join(vocab.units))
            aliases = tuple(str(a).strip() for a in entry.get("别名") or [])
            for j, alias in enumerate(aliases):
                if alias in alias_of and alias_of[alias] != name:
                    c.error((i, "别名", j), f"别名“{alias}”已经属于指标“{alias_of[alias]}”", "一个别名只能属于一个指标，请删除其中一处")
                alias_of.setdefault(alias, name)
            if name not in vocab.indicators:  # the first entry of a duplicate stands
                vocab.indicators[name] = Indicator(name, slug, unit, str(entry.get("说明") or ""), i, aliases)
    vocab.loaded = True
    return vocab

# --- checking one plan's targets -----------------------------------------------------

def _number(c: FileChecker, path: tuple, value: Any, unit: Unit | None, label: str = "") -> float | None:
    try:
        number = parse_number(value)
    except codes.CodeError as exc:
        c.error(path, exc.message, exc.hint)
        return None
    if unit is not None and unit.integer and number != int(number):
        c.error(path, f"{label or '数值'} {fmt_number(number)} 不是整数，而单位“{unit.name}”只能是整数", "请核对数值")
        return None
    return number

def _date(c: FileChecker, path: tuple, value: Any) -> dt.date | None:
    try:
        return codes.parse_date(str(value))
    except codes.CodeError as exc:
        c.error(path, exc.message, exc.hint)
        return None

def _check_target(plan: Plan, c: FileChecker, i: int, raw: dict, vocab: Vocab) -> Target | None:
    base = ("指标", i)
    before = c.problems.error_count
    name = str(raw.get("指标") or "").strip()
    indicator = vocab.indicators.get(name)
    if indicator is None:
        names = list(vocab.indicators)
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
        hint = (f"是否想写“{close[0]}”？" if close else "") + "指标名称从 data/vocab/indicators.yml 中选择，没有的请先在那里添加"
        c.error(base + ("指标",), f"“{name}”不在指标词表中", hint)
    kind = str(raw.get("类型") or "")
    unit_name = str(raw.get("单位") or "").strip()
    qualitative = kind == QUALITATIVE
    if indicator is not None:
        default_unit = "%" if kind == GROWTH else indicator.unit
        unit_name = unit_name or default_unit
        if not qualitative and not indicator.unit:
            c.error(base + ("类型",), f"指标“{name}”是定性指标（没有单位），不能设数量目标", "请把类型写成“定性”，或换一个有单位的指标")
    if unit_name and unit_name not in vocab.units:
        close = difflib.get_close_matches(unit_name, list(vocab.units), n=1, cutoff=0.3)
        c.error(base + ("单位",), f"“{unit_name}”不是可用的单位",
                (f"是否想写“{close[0]}”？" if close else "") + "可用的单位：" + "、".join(vocab.units) + "（在 data/vocab/units.yml 中添加新单位）")
    elif indicator is not None and not qualitative and indicator.unit:
        if kind == GROWTH and unit_name != "%":
            c.error(base + ("单位",), f"“增长”类目标的单位应为 %，现在是“{unit_name}”",
                    "目标值写增长的百分数（例如 10 表示增长10%）；要达到某一数值，请把类型写成“达到”或“不少于”")
        elif kind != GROWTH and unit_name != indicator.unit:
            c.error(base + ("单位",), f"单位“{unit_name}”与指标“{name}”的单位“{indicator.unit}”不一致",
                    f"请换算成{indicator.unit}后填写，同一指标才能跨年度比较")
    level_unit = vocab.units.get(indicator.unit) if indicator is not None else None
    target_unit = vocab.units.get(unit_name)
    value = baseline = None
    if qualitative:
        for extra in ("目标值", "基数"):
            if raw.get(extra) is not None:
                c.error(base + (extra,), f"定性目标不填{extra}", "请删除这一行；要跟踪数值，请把类型改为“达到”或“不少于”")
    else:
        if raw.get("目标值") is None:
            c.error(base + ("目标值",) if "目标值" in raw else base, "缺少目标值",
                    "请添加“目标值: 数字”；没有数值的目标请把类型写成“定性”")
        else:
            value = _number(c, base + ("目标值",), raw["目标值"], target_unit if kind != GROWTH else None, "目标值")
        if raw.get("基数") is not None:
            baseline = _number(c, base + ("基数",), raw["基数"], None, "基数")
        elif kind == GROWTH:
            c.error(base + ("类型",), "“增长”类目标需要填写基数（上一年的实际数值）",
                    f"请添加“基数: 数字”，单位与指标相同（{indicator.unit if indicator else '例如 亿元'}），这样才能算出完成率")
        if kind == GROWTH and baseline is not None and baseline <= 0:
            c.error(base + ("基数",), "基数必须大于0", "增长率按 （实际值 ÷ 基数 − 1） 计算")
    deadline = dt.date(plan.year, 12, 31)
    if raw.get("期限") is not None:
        deadline = _date(c, base + ("期限",), raw["期限"]) or deadline
        if deadline < plan.created:
            c.error(base + ("期限",), f"期限 {deadline} 早于计划的生成日期 {plan.created}", "请核对期限")
    progress: list[Progress] = []
    for j, entry in enumerate(raw.get("进展") or []):
        p = base + ("进展", j)
        date = _date(c, p + ("日期",), entry.get("日期"))
        if date is not None and date < plan.created:
            c.error(p + ("日期",), f"进展日期 {date} 早于计划的生成日期 {plan.created}",
                    "请核对日期；上一年的完成情况请写在当年工作总结的“目标完成情况”中")
        number = None
        if qualitative:
            if entry.get("数值") is not None:
                c.error(p + ("数值",), "定性目标的进展不填数值", "请在“说明”中描述进展，完成后写“状态: 已完成”")
        else:
            if entry.get("状态") is not None:
                c.error(p + ("状态",), "数量目标的状态由数值自动判断，不用填写", "请删除这一行，填写“数值”")
            if entry.get("数值") is None:
                c.error(p, "缺少数值", "请添加“数值: 数字”（截至该日期的实际数值）")
            else:
                number = _number(c, p + ("数值",), entry["数值"], level_unit)
        if date is not None:
            progress.append(Progress(date, number, entry.get("状态"), str(entry.get("说明") or ""), str(entry.get("来源") or "")))
    anchor, label = None, ""
    ref = str(raw.get("出处") or "").strip()
    if ref:
        anchor, label, message, hint = resolve_source(plan.body, ref)
        if message:
            c.error(base + ("出处",), message, hint)
    if c.problems.error_count > before or indicator is None:
        return None
    return Target(
        plan=plan, key=str(raw["编号"]), indicator=indicator, kind=kind, value=value, unit=unit_name,
        baseline=baseline, deadline=deadline, owner=str(raw.get("责任单位") or plan.department.short_name),
        wording=str(raw.get("原文") or ""), source_ref=ref, anchor=anchor, anchor_label=label,
        progress=sorted(progress, key=lambda p: p.date), line=c.doc.line(base),
    )

def _check_closings(summary: Plan, c: FileChecker, by_uid: dict[str, Target], plan_ids: set[str],
                    closed_by: dict[str, tuple[str, int]], vocab: Vocab, unavailable: set[str] = frozenset()) -> None:
    for i, raw in enumerate(c.doc.data.get("目标完成情况") or []):
        base = ("目标完成情况", i)
        plan_id, key = str(raw.get("计划") or ""), str(raw.get("编号") or "")
        target = by_uid.get(f"{plan_id}#{key}")
        if target is None:
            if plan_id in unavailable:
                continue  # that plan's file has errors of its own
            if plan_id not in plan_ids:
                close = difflib.get_close_matches(plan_id, sorted(plan_ids), n=1)
                c.error(base + ("计划",), f"找不到计划“{plan_id}”", f"是否想写“{close[0]}”？" if close else "格式为 机构标识/年度/文件名（不含 .yml）")
            else:
                keys = [t.key for t in by_uid.values() if t.plan.id == plan_id]
                close = difflib.get_close_matches(key, keys, n=1)
                c.error(base + ("编号",), f"计划 {plan_id} 中没有编号为“{key}”的目标",
                        f"是否想写“{close[0]}”？" if close else ("该计划的目标编号：" + "、".join(keys) if keys else "该计划还没有填写“指标”"))
            continue
        if target.plan is summary:
            c.error(base + ("计划",), "不能在同一份文件里总结自己的目标", "年度中途的数值请写在该目标的“进展”中")
            continue
        if target.plan.year > summary.year:
            c.error(base + ("计划",), f"{target.plan.year}年的计划不能由{summary.year}年的总结来总结", "请核对计划和年度")
            continue
        uid = target.uid
        if uid in closed_by:
            other, line = closed_by[uid]
            c.error(base + ("编号",), f"目标 {uid} 已经在 {other}:{line} 总结过", "一个目标只能有一个最终结果，请删除其中一处")
            continue
        closed_by[uid] = (summary.path, c.doc.line(base))
        date = summary.created
        if raw.get("日期") is not None:
            date = _date(c, base + ("日期",), raw["日期"]) or date
        if date < target.plan.created:
            c.error(base + ("日期",), f"日期 {date} 早于被总结计划的生成日期 {target.plan.created}", "请核对日期")
            continue
        value, status = None, raw.get("状态")
        if target.kind == QUALITATIVE:
            if raw.get("数值") is not None:
                c.error(base + ("数值",), "这是定性目标，不填数值", "请写“状态: 已完成”或“状态: 未完成”")
                continue
            if status is None:
                c.error(base, "定性目标要写明结果", "请添加“状态: 已完成”或“状态: 未完成”")
                continue
        else:
            if status is not None:
                c.error(base + ("状态",), "数量目标的状态由数值自动判断，不用填写", "请删除这一行，填写“数值”")
                continue
            if raw.get("数值") is None:
                c.error(base, "缺少最终完成的数值", f"请添加“数值: 数字”，单位为{target.indicator.unit}")
                continue
            value = _number(c, base + ("数值",), raw["数值"], vocab.units.get(target.indicator.unit))
            if value is None:
                continue
        target.closing = Closing(summary, date, value, status, str(raw.get("说明") or ""))

def check(root: Path, plans: list[Plan], checkers: dict[str, FileChecker], problems: Problems, *,
          close: bool = True) -> None:
    """Check every plan's 指标 and 目标完成情况 (not the latter if not ``close``: :func:`close_again` does it for
    one file); replace ``plan.targets`` with :class:`Target` objects."""
    needed = any(p.targets or checkers[p.path].doc.data.get("目标完成情况") for p in plans)
    vocab = load_vocab(Path(root), problems, needed)
    if not needed:
        return
    by_uid: dict[str, Target] = {}
    for plan in plans:
        c = checkers[plan.path]
        raw_list, plan.targets = list(plan.targets), []
        seen: dict[str, int] = {}
        for i, raw in enumerate(raw_list):
            key = str(raw.get("编号") or "")
            if key in seen:
                c.error(("指标", i, "编号"), f"编号“{key}”重复（第{seen[key]}行已有）", "同一计划中每个目标的编号必须不同")
                continue
            seen[key] = c.doc.line(("指标", i, "编号"))
            if not vocab.loaded:
                continue
            target = _check_target(plan, c, i, raw, vocab)
            if target is not None:
                plan.targets.append(target)
                by_uid[target.uid] = target
    plan_ids = {p.id for p in plans}
    closed_by: dict[str, tuple[str, int]] = {}
    for plan in sorted(plans, key=lambda p: p.path) if close else []:
        if checkers[plan.path].doc.data.get("目标完成情况"):
            _check_closings(plan, checkers[plan.path], by_uid, plan_ids, closed_by, vocab, problems.unavailable)

def _shown(closing: Closing | None) -> tuple | None:
    """What the pages and the open data show of a closing (the summary's title and URL too)."""
    if closing is None:
        return None
    return closing.summary.title, closing.summary.url, closing.summary.id, closing.date, closing.value, closing.status, closing.note


def close_again(root: Path, summary: Plan, c: FileChecker, plans: list[Plan], before: list[Target],
                problems: Problems) -> list[Plan] | None:
    """The preview's fast path: the 目标完成情况 of one edited file (``summary``, already in ``plans``) checked again
    against the loaded ``plans``; ``before``: the targets it closed until now. Sets those targets' closings and
    returns the plans whose shown final results changed; None when the section has a problem, or closes a target
    another summary closes too (the whole project is loaded then, and reports it; the closings stay as they were)."""
    errors = problems.error_count
    vocab = load_vocab(Path(root), problems, True)
    by_uid = {t.uid: t for p in plans for t in p.targets if isinstance(t, Target)}
    closed_by = {uid: (t.closing.summary.path, 0) for uid, t in by_uid.items()
                 if t.closing is not None and t.closing.summary.path != summary.path}
    was = [(t, t.closing) for t in before]
    for t, _ in was:
        t.closing = None
    if vocab.loaded:
        _check_closings(summary, c, by_uid, {p.id for p in plans}, closed_by, vocab, problems.unavailable)
    now = [t for t in by_uid.values() if t.closing is not None and t.closing.summary is summary]
    if problems.error_count > errors or not vocab.loaded:
        for t in now:
            t.closing = None
        for t, closing in was:
            t.closing = closing
        return None
    changed: dict[int, Plan] = {}
    old = {id(t): closing for t, closing in was}
    for t in now:
        if id(t) not in old or _shown(old[id(t)]) != _shown(t.closing):
            changed[id(t.plan)] = t.plan
    for t, _ in was:
        if t.closing is None:
            changed[id(t.plan)] = t.plan
    return list(changed.values())


def target_order(p: Plan) -> tuple:
    """Where a plan's targets come in :func:`all_targets`."""
    return p.year, p.department.slug, p.published, p.id


def targets_by_plan(plans: list[Plan]) -> list[tuple[Plan, list[Target]]]:
    """Each plan that has targets, with them as listed, in a stable order: year, department, plan."""
    out = [(p, [t for t in p.targets if isinstance(t, Target)]) for p in sorted(plans, key=target_order) if p.targets]
    return [(p, ts) for p, ts in out if ts]


def all_targets(plans: list[Plan]) -> list[Target]:
    """Every target of every plan, in a stable order: year, department, plan, then as listed (one flat pass:
    flattening :func:`targets_by_plan` costs ~0.015 s more at 10,000 plans, and this runs several times a build)."""
    out = [t for p in sorted(plans, key=target_order) for t in p.targets]
    return [t for t in out if isinstance(t, Target)]

def closings(plans: list[Plan]) -> dict[str, list[Target]]:
    """The targets each 工作总结 closes, keyed by the summary's ``path``, in the order of :func:`all_targets`.

    One pass over every target: callers that need it for each plan compute it once (asking per plan
    would sort every plan per plan, quadratic at 10,000 plans)."""
    # Only the few closed targets are put in all_targets' order (plan key, then as listed): sorting all the
    # plans for them cost ~0.1 s at 10,000 plans, twice in every preview update.
    closed = [(target_order(p), i, t) for p in plans
              for i, t in enumerate(p.targets) if isinstance(t, Target) and t.closing is not None]
    out: dict[str, list[Target]] = {}
    for _, _, t in sorted(closed, key=lambda c: c[:2]):
        out.setdefault(t.closing.summary.path, []).append(t)
    return out