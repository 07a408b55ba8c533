"""Open data: every plan as JSON, all targets as CSV and JSON, an Atom feed, sitemap.xml, and the
JSON Schemas they follow. Plain functions with no MkDocs in them; :func:`write_open_data` writes
everything into a built site folder (the MkDocs glue calls it after the build).

Output is deterministic: no build time anywhere. Dates come from the data (发布日期, 发布时间 in
China Standard Time), lists are sorted, JSON keys keep one order, files end with a newline.
Per-plan files are indented; the two lists of everything (plans.json, targets.json) are compact.

Stable URLs (relative to the site root, listed on the 数据开放 page ``sjkf/``):

- ``sjkf/plans/<机构>/<年度>/<文件名>.json`` — one plan; ``sjkf/plans.json`` — the list of plans
- ``sjkf/targets.csv`` (UTF-8 with BOM, for Excel) and ``sjkf/targets.json`` — every target
- ``sjkf/schema/{plan,plans,targets}.schema.json`` — JSON Schema (draft 2020-12) of the JSON files
- ``sjkf/nianbao/<机构>/<年度>.csv`` / ``.json`` — each 年报's tables (:mod:`gongkai.pages.nianbao_data`)
- ``sjkf/atom.xml`` — Atom feed of the newest items; ``sitemap.xml`` (+ ``sitemap.xml.gz``)
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import itertools
import json
import operator
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote
from typing import TYPE_CHECKING, Any, Callable, Iterable
from xml.etree import ElementTree as ET

from gongkai.data import schema as data_schema
from gongkai.data.model import topic_text
from gongkai.data.urls import (FEED, PLANS_JSON, SCHEMA_URLS, SITEMAP_XML, TARGETS_CSV, TARGETS_JSON, nianbao_data_url,
                               plan_json_url)
from gongkai.pages import nianbao_data
from gongkai.runtime.files import write_file
from gongkai.runtime.parallel import pmap
from gongkai.data.targets import Target, all_targets, closings, fmt_number, target_order, targets_by_plan

if TYPE_CHECKING:  # pragma: no cover
    from gongkai.data.model import Plan, Project

FEED_SIZE = 50
TZ = "+08:00"  # dates in the data are China Standard Time
SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"

def datasets(project: Project) -> list[tuple[str, str, str, str, str]]:
    """(name, format, url, MIME type, description) of each published file, for the 数据开放 page."""
    reports = [(f"{r.department.short_name}{r.year}年政府信息公开工作年度报告（{fmt.upper()}）", fmt.upper(),
                nianbao_data_url(r.department.slug, r.year, fmt), mime,
                "年度报告表二、表三、表四的全部数字" + ("，每格一行：表、行、列、数值。UTF-8 带 BOM。" if fmt == "csv" else "，字段名与年度报告的数据文件相同。"))
               for r in sorted(project.reports, key=lambda r: (-r.year, r.department.slug))
               for fmt, mime in (("csv", "text/csv"), ("json", "application/json"))]
    return reports + [
        ("全部目标（CSV）", "CSV", TARGETS_CSV, "text/csv", "每个目标一行：指标、目标值、单位、期限、最新值、完成率、状态等。UTF-8 带 BOM，Excel 可直接打开。"),
        ("全部目标（JSON）", "JSON", TARGETS_JSON, "application/json", "与 CSV 相同的内容，另含每次进展和最终结果。"),
        ("信息清单（JSON）", "JSON", PLANS_JSON, "application/json", "全部政府信息公开条目的清单，含每条的页面网址和数据网址。"),
        ("单条信息（JSON）", "JSON", plan_json_url(project.plans[0]) if project.plans else PLANS_JSON, "application/json",
         "一条信息的全部内容：元数据、正文（Markdown）、目标及完成情况。每条信息一个文件，见下文。"),
        ("单条信息的格式", "JSON Schema", SCHEMA_URLS["plan"], "application/schema+json", "单条信息 JSON 的字段说明（JSON Schema 2020-12）。"),
        ("信息清单的格式", "JSON Schema", SCHEMA_URLS["plans"], "application/schema+json", "信息清单 JSON 的字段说明。"),
        ("全部目标的格式", "JSON Schema", SCHEMA_URLS["targets"], "application/schema+json", "全部目标 JSON 的字段说明。"),
        ("最新信息订阅", "Atom", FEED, "application/atom+xml", f"最新发布的{FEED_SIZE}条信息，可用 RSS 阅读器订阅。"),
        ("网站地图（XML）", "XML", SITEMAP_XML, "application/xml", "全部网页的网址，供搜索引擎使用（sitemaps.org 格式）。"),
    ]


CSV_COLUMNS = [
    ("计划", "目标所在计划的标识：机构标识/年度/文件名。"),
    ("计划名称", "计划的名称。"),
    ("发布机构", "发布机构的简称。"),
    ("年度", "计划的年度。"),
    ("编号", "目标在计划内的编号，与“计划”一起唯一确定一个目标。"),
    ("指标", "指标名称（全站统一的指标词表），可跨年度、跨机构比较。"),
    ("指标标识", "指标的英文短名，指标页面的网址为 mbrw/zb/<指标标识>/。"),
    ("类型", "达到、不少于、增长、保持 或 定性。"),
    ("目标值", "计划中的数值；“增长”类为增长的百分数。"),
    ("单位", "目标值的单位；“增长”类为 %。"),
    ("基数", "上一年的实际数值（单位同指标），“增长”类必有。"),
    ("目标水平", "换算成指标单位的目标数值（“增长”类 = 基数 ×（1 + 目标值 ÷ 100））。"),
    ("指标单位", "指标的单位，最新值和目标水平都用它。"),
    ("期限", "完成期限，YYYY-MM-DD。"),
    ("责任单位", "牵头负责的单位。"),
    ("原文", "计划正文中的原话。"),
    ("最新值", "最新一次进展或最终结果的数值（定性目标为空）。"),
    ("最新日期", "最新值的日期。"),
    ("最终结果", "“是”表示最新值来自工作总结，为最终结果。"),
    ("完成率", "百分数的数字，保留一位小数；可超过100。"),
    ("状态", "已完成、进行中、未完成 或 无数据。"),
    ("网址", "目标在计划页面上的网址。"),
]


def _num(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(round(value)) if abs(value - round(value)) < 1e-9 else round(value, 6)


def _abs(base_url: str, url: str) -> str:
    return base_url.rstrip("/") + "/" + url.lstrip("/")


def _stamp(date: dt.date, time: dt.time | None = None) -> str:
    return f"{date.isoformat()}T{(time or dt.time(0)).strftime('%H:%M:%S')}{TZ}"


# --- records -------------------------------------------------------------------------------

def target_record(t: Target, base_url: str) -> dict[str, Any]:
    latest = t.latest
    pct = t.percent
    closing = t.closing
    return {
        "计划": t.plan.id,
        "编号": t.key,
        "指标": t.indicator.name,
        "指标标识": t.indicator.slug,
        "类型": t.kind,
        "目标值": _num(t.value),
        "单位": t.unit or None,
        "基数": _num(t.baseline),
        "目标水平": _num(t.level),
        "指标单位": t.indicator.unit or None,
        "期限": t.deadline.isoformat(),
        "责任单位": t.owner,
        "原文": t.wording or None,
        "出处": {"序号": t.anchor_label or None, "网址": _abs(base_url, f"{t.plan.url}#{t.anchor}")} if t.anchor else None,
        "进展": [{"日期": p.date.isoformat(), "数值": _num(p.value), "状态": p.status, "说明": p.note or None,
                  "来源": p.source or None} for p in t.progress],
        "最终结果": None if closing is None else {
            "日期": closing.date.isoformat(), "数值": _num(closing.value), "状态": closing.status,
            "说明": closing.note or None, "总结": closing.summary.id, "总结网址": _abs(base_url, closing.summary.url)},
        "最新值": _num(latest.value) if latest else None,
        "最新日期": latest.date.isoformat() if latest else None,
        "完成率": None if pct is None else round(pct, 1),
        "状态": t.status,
        "网址": _abs(base_url, f"{t.plan.url}#gk-target-{t.key}"),
    }


@dataclass
class _Kept:
    """One plan's targets as the preview keeps them: what they were made from and their encoded forms."""

    plan: Plan
    closings: tuple  # each target's closing when they were made
    base_url: str
    json_bytes: bytes  # their compact JSON records, joined by commas, in UTF-8
    csv_bytes: bytes  # their CSV lines, in UTF-8


def _replaced(last: list[Plan], plans: list[Plan], most: int = 8) -> list[int] | None:
    """Where ``plans`` holds another object than ``last`` (the preview's plans before an edit), if the two lists
    are the same length and differ in at most ``most`` places; otherwise None."""
    if not last or len(last) != len(plans):
        return None
    replaced = list(itertools.compress(range(len(plans)), map(operator.is_not, last, plans)))
    return replaced if len(replaced) <= most else None


class RecordCache:
    """Each plan's targets in targets.json/.csv, as encoded bytes kept from one preview update to the next: the
    preview's fast path gives the edited plan a new object and keeps every other one, so both files are joined from
    the kept pieces and only the edited plan's targets are made again (the same bytes; a rename at 10,000 plans,
    34 MB of files: 0.25 s for both → 0.07 s). When the caller knows no closing changed (``same_closings``), and
    the plans are the last call's but a few replaced in the same place of the order, the pieces are not even looked
    up again: the replaced plans' are swapped in (0.085 s → under 0.01 s at 10,000 plans)."""

    def __init__(self) -> None:
        self._by: dict[str, _Kept] = {}  # plan id → its targets
        self._plans: list[Plan] = []  # the last call's plans, and their pieces in the order of the files
        self._pieces: list[_Kept] = []
        self._base = ""

    def _kept(self, kept: dict[str, _Kept], plan: Plan, targets: list[Target], base_url: str) -> _Kept:
        hit = kept.get(plan.id)
        # the closings too: an edited 工作总结 gives the targets it closes new closings (targets.close_again)
        closings = tuple([t.closing for t in targets])
        if (hit is not None and hit.plan is plan and hit.base_url == base_url and len(hit.closings) == len(closings)
                and all(map(operator.is_, hit.closings, closings))):
            return hit
        records = [target_record(t, base_url) for t in targets]
        return _Kept(plan, closings, base_url, ",".join(map(_compact, records)).encode("utf-8"),
                     _csv_text(_csv_row(t, r) for t, r in zip(targets, records)).encode("utf-8"))

    def _swapped(self, plans: list[Plan], base: str) -> list[_Kept] | None:
        """The last pieces with the plans replaced since the last call made again, if each replaced plan has its
        predecessor's place in the order and has targets exactly when it had; otherwise None."""
        last = self._plans
        replaced = _replaced(last, plans) if self._pieces and base == self._base else None
        if replaced is None:
            return None
        pieces = list(self._pieces)
        where = {id(k.plan): i for i, k in enumerate(pieces)} if replaced else {}
        for i in replaced:
            old, new = last[i], plans[i]
            targets = [t for t in new.targets if isinstance(t, Target)]
            j = where.get(id(old))
            if target_order(old) != target_order(new) or (j is None) != (not targets):
                return None
            if j is not None:
                pieces[j] = self._by[new.id] = self._kept({}, new, targets, base)
        return pieces

    def files(self, project: Project, *, with_json: bool = True, same_closings: bool = False) -> tuple[bytes | None, bytes]:
        """targets.json (None unless ``with_json``) and targets.csv: the bytes :func:`targets_json` and
        :func:`targets_csv` give. (targets.json names each plan by its id, so a rename changes only the CSV.)
        ``same_closings``: no target's closing changed since the last call (no 工作总结's 目标完成情况 was edited)."""
        base = project.site.base_url
        pieces = self._swapped(project.plans, base) if same_closings else None
        if pieces is None:
            kept, self._by = self._by, {}
            pieces = []
            for plan, targets in targets_by_plan(project.plans):
                pieces.append(self._kept(kept, plan, targets, base))
                self._by[plan.id] = pieces[-1]
        self._plans, self._pieces, self._base = list(project.plans), pieces, base
        csv_data = b"".join([("\ufeff" + _csv_head()).encode("utf-8"), *[k.csv_bytes for k in pieces]])
        if not with_json:
            return None, csv_data
        head = (_compact(_targets_head(project))[:-1] + ',"目标":[').encode("utf-8")
        return head + b",".join([k.json_bytes for k in pieces]) + b"]}\n", csv_data


class EntryCache:
    """Each plan's plans.json entry as compact JSON, kept from one preview update to the next by what the entry
    is made of (:func:`_entry_inputs`): after an edit only the entries that changed are encoded again, and
    entries no plan has any more are dropped. With ``replaced_only`` (the caller knows that a plan object it kept
    is unchanged in what an entry shows), only the plans replaced since the last call are looked at (at 10,000
    plans 0.06 s → under 0.01 s)."""

    def __init__(self) -> None:
        self._text: dict[tuple, str] = {}
        self._plans: list[Plan] = []  # the last call's plans, their inputs and texts
        self._inputs: list[tuple] = []
        self._texts: list[str] = []
        self._base = ""

    def _swapped(self, plans: list[Plan], base: str) -> bool:
        """The last call's lists with the replaced plans' entries made again; False if the plans are not the
        last call's but a few replaced."""
        replaced = _replaced(self._plans, plans) if base == self._base else None
        if replaced is None:
            return False
        for i in replaced:
            inputs = _entry_inputs(plans[i], base)
            if inputs != self._inputs[i]:
                self._text.pop(self._inputs[i], None)
                text = self._text.get(inputs) or _compact(_entry(inputs))
                self._text[inputs], self._inputs[i], self._texts[i] = text, inputs, text
        self._plans = list(plans)
        return True

    def joined(self, plans: list[Plan], base: str, *, replaced_only: bool = False) -> str:
        """The entries of ``plans``, in order, joined by commas (as in a compact JSON list)."""
        if not (replaced_only and self._swapped(plans, base)):
            kept, self._text, self._inputs, self._texts = self._text, {}, [], []
            for p in plans:
                inputs = _entry_inputs(p, base)
                text = kept.get(inputs)
                if text is None:
                    text = _compact(_entry(inputs))
                self._text[inputs] = text
                self._inputs.append(inputs)
                self._texts.append(text)
            self._plans, self._base = list(plans), base
        return ",".join(self._texts)


def plan_record(project: Project, plan: Plan, closed: list[Target]) -> dict[str, Any]:
    """A plan as open data; ``closed``: the targets it closes (``targets.closings(plans)[plan.path]``)."""
    base = project.site.base_url
    targets = [t for t in plan.targets if isinstance(t, Target)]
    return {
        "$schema": _abs(base, SCHEMA_URLS["plan"]),
        "标识": plan.id,
        "网址": _abs(base, plan.url),
        "名称": plan.title,
        "索引号": plan.index_no,
        "发布机构": {"标识": plan.department.slug, "全称": plan.department.full_name, "简称": plan.department.short_name},
        "组配分类": plan.category,
        "主题分类": plan.topic,
        "主题分类显示": topic_text(plan.topic),
        "文号": plan.doc_no or None,
        "生成日期": plan.created.isoformat(),
        "发布日期": plan.published.isoformat(),
        "发布时间": plan.published_time.strftime("%H:%M") if plan.published_time else None,
        "来源": plan.source,
        "有效性": plan.validity,
        "关键词": list(plan.keywords),
        "摘要": plan.summary or None,
        "正文": plan.body,
        "相关文件": [{"名称": r.title, "网址": _abs(base, r.href) if r.internal else r.href, "关系": r.relation} for r in plan.related],
        "指标": [target_record(t, base) for t in targets],
        "目标完成情况": [target_record(t, base) for t in closed],
        "附件": [{"名称": a.name, "文件": a.file, "类型": a.kind, "大小": a.size, "网址": _abs(base, quote(a.url, safe="/.-_~"))}
               for a in plan.attachments],
        "原网址": list(plan.old_paths),
    }


def _plans_head(project: Project) -> dict[str, Any]:
    base = project.site.base_url
    return {"$schema": _abs(base, SCHEMA_URLS["plans"]), "网站": project.site.name, "网址": base}


def _entry_inputs(p: Plan, base: str) -> tuple:
    """Everything a plan's plans.json entry is made of (:func:`_entry` reads nothing else)."""
    return p.id, p.title, p.department.short_name, p.year, p.published, p.index_no, p.url, plan_json_url(p), len(p.targets), base


def _entry(inputs: tuple) -> dict[str, Any]:
    pid, title, department, year, published, index_no, url, data_url, targets, base = inputs
    return {"标识": pid, "名称": title, "发布机构": department, "年度": year, "发布日期": published.isoformat(),
            "索引号": index_no, "网址": _abs(base, url), "数据": _abs(base, data_url), "目标数": targets}


def plan_entry(p: Plan, base: str) -> dict[str, Any]:
    """A plan's entry in plans.json."""
    return _entry(_entry_inputs(p, base))


def plans_index(project: Project) -> dict[str, Any]:
    base = project.site.base_url
    return {**_plans_head(project), "条目": [plan_entry(p, base) for p in project.plans]}


def _targets_head(project: Project) -> dict[str, Any]:
    base = project.site.base_url
    return {"$schema": _abs(base, SCHEMA_URLS["targets"]), "网站": project.site.name, "网址": base}


def targets_document(project: Project) -> dict[str, Any]:
    base = project.site.base_url
    return {**_targets_head(project), "目标": [target_record(t, base) for t in all_targets(project.plans)]}


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _csv_row(t: Target, r: dict[str, Any]) -> list[Any]:
    return [
        r["计划"], t.plan.title, t.plan.department.short_name, t.plan.year, r["编号"], r["指标"], r["指标标识"],
        r["类型"], fmt_number(t.value), r["单位"] or "", fmt_number(t.baseline), fmt_number(t.level),
        r["指标单位"] or "", r["期限"], r["责任单位"], r["原文"] or "", fmt_number(t.latest.value) if t.latest else "",
        r["最新日期"] or "", "是" if t.final else "", "" if r["完成率"] is None else f"{r['完成率']:.1f}", r["状态"], r["网址"],
    ]


def _csv_text(rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _csv_head() -> str:
    return _csv_text([[name for name, _ in CSV_COLUMNS]])


def targets_csv(project: Project) -> bytes:
    """Every target as CSV: UTF-8 with a byte-order mark (Excel in China then reads it right), CRLF lines
    (the preview joins the same bytes from kept pieces: :class:`RecordCache`)."""
    base = project.site.base_url
    lines = _csv_text(_csv_row(t, target_record(t, base)) for t in all_targets(project.plans))
    return ("\ufeff" + _csv_head() + lines).encode("utf-8")


# --- JSON Schemas of the published files ----------------------------------------------------------

def _desc(field: str, fallback: str = "") -> str:
    node = data_schema.TARGET["properties"].get(field) or data_schema.PLAN["properties"].get(field) or {}
    return node.get("description", fallback)


_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_OPT_NUM = {"type": ["number", "null"]}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _target_schema() -> dict[str, Any]:
    props = {
        "计划": {**_STR, "description": "目标所在计划的标识：机构标识/年度/文件名。"},
        "编号": {**_STR, "description": _desc("编号")},
        "指标": {**_STR, "description": _desc("指标")},
        "指标标识": {**_STR, "description": "指标的英文短名。"},
        "类型": {"enum": data_schema.TARGET_KINDS, "description": _desc("类型")},
        "目标值": {**_OPT_NUM, "description": _desc("目标值")},
        "单位": {**_OPT_STR, "description": _desc("单位")},
        "基数": {**_OPT_NUM, "description": _desc("基数")},
        "目标水平": {**_OPT_NUM, "description": "换算成指标单位的目标数值。"},
        "指标单位": {**_OPT_STR, "description": "指标的单位。"},
        "期限": {**_DATE, "description": _desc("期限")},
        "责任单位": {**_STR, "description": _desc("责任单位")},
        "原文": {**_OPT_STR, "description": _desc("原文")},
        "出处": {"type": ["object", "null"], "description": "目标出自正文的段落。", "additionalProperties": False,
                 "required": ["序号", "网址"], "properties": {"序号": _OPT_STR, "网址": {**_STR, "format": "uri"}}},
        "进展": {"type": "array", "description": "年度中途的进展，按日期排列。", "items": {
            "type": "object", "additionalProperties": False, "required": ["日期", "数值", "状态", "说明", "来源"],
            "properties": {"日期": _DATE, "数值": _OPT_NUM, "状态": {"enum": data_schema.QUALITATIVE_STATES + [None]},
                           "说明": _OPT_STR, "来源": _OPT_STR}}},
        "最终结果": {"type": ["object", "null"], "description": "工作总结给出的最终结果。", "additionalProperties": False,
                     "required": ["日期", "数值", "状态", "说明", "总结", "总结网址"],
                     "properties": {"日期": _DATE, "数值": _OPT_NUM, "状态": {"enum": data_schema.QUALITATIVE_STATES + [None]},
                                    "说明": _OPT_STR, "总结": _STR, "总结网址": {**_STR, "format": "uri"}}},
        "最新值": {**_OPT_NUM, "description": "最新一次进展或最终结果的数值。"},
        "最新日期": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "完成率": {**_OPT_NUM, "description": "完成百分比（保留一位小数）。"},
        "状态": {"enum": ["已完成", "进行中", "未完成", "无数据"]},
        "网址": {**_STR, "format": "uri"},
    }
    return {"type": "object", "additionalProperties": False, "required": list(props), "properties": props}


def published_schemas(base_url: str) -> dict[str, dict[str, Any]]:
    """The JSON Schemas of plan JSON, the plans list and targets JSON (keyed like SCHEMA_URLS)."""
    target = _target_schema()
    plan_props = {
        "$schema": _STR,
        "标识": {**_STR, "description": "机构标识/年度/文件名。"},
        "网址": {**_STR, "format": "uri", "description": "页面网址。"},
        "名称": {**_STR, "description": _desc("名称")},
        "索引号": {**_STR, "description": _desc("索引号")},
        "发布机构": {"type": "object", "additionalProperties": False, "required": ["标识", "全称", "简称"],
                     "properties": {"标识": _STR, "全称": _STR, "简称": _STR}},
        "组配分类": _STR,
        "主题分类": {**_STR, "description": "词表（data/vocab/）中的写法，一级和二级之间是反斜杠，如“科技、教育\\科技”；按它筛选、比较。"},
        "主题分类显示": {**_STR, "description": "网页上显示的写法，如“科技、教育 › 科技”（与计划页、目录和站内搜索相同）。"},
        "文号": {**_OPT_STR, "description": _desc("文号")},
        "生成日期": _DATE, "发布日期": _DATE,
        "发布时间": {"type": ["string", "null"], "pattern": r"^\d{2}:\d{2}$"},
        "来源": _STR, "有效性": _STR,
        "关键词": {"type": "array", "items": _STR},
        "摘要": _OPT_STR,
        "正文": {**_STR, "description": "正文，Markdown 格式。"},
        "相关文件": {"type": "array", "items": {"type": "object", "additionalProperties": False, "required": ["名称", "网址", "关系"],
                                                 "properties": {"名称": _STR, "网址": {**_STR, "format": "uri"}, "关系": _STR}}},
        "指标": {"type": "array", "description": "本文件的目标。", "items": {"$ref": "#/$defs/target"}},
        "目标完成情况": {"type": "array", "description": "本文件（工作总结）给出最终结果的以前目标。", "items": {"$ref": "#/$defs/target"}},
        "附件": {"type": "array", "description": "随文件公开的附件。", "items": {
            "type": "object", "additionalProperties": False, "required": ["名称", "文件", "类型", "大小", "网址"],
            "properties": {"名称": _STR, "文件": _STR, "类型": {"enum": data_schema.ATTACHMENT_TYPES},
                           "大小": {"type": "integer", "minimum": 0, "description": "字节数。"},
                           "网址": {**_STR, "format": "uri"}}}},
        "原网址": {"type": "array", "description": "这个文件在原来的信息公开平台上的路径，已跳转到本页。", "items": _STR},
    }
    plan = {"$schema": SCHEMA_DRAFT, "$id": _abs(base_url, SCHEMA_URLS["plan"]), "title": "政府信息公开条目（开放数据）",
            "type": "object", "additionalProperties": False, "required": list(plan_props), "properties": plan_props,
            "$defs": {"target": target}}
    entry = {"type": "object", "additionalProperties": False,
             "required": ["标识", "名称", "发布机构", "年度", "发布日期", "索引号", "网址", "数据", "目标数"],
             "properties": {"标识": _STR, "名称": _STR, "发布机构": _STR, "年度": {"type": "integer"}, "发布日期": _DATE,
                            "索引号": _STR, "网址": {**_STR, "format": "uri"}, "数据": {**_STR, "format": "uri"},
                            "目标数": {"type": "integer", "minimum": 0}}}
    plans = {"$schema": SCHEMA_DRAFT, "$id": _abs(base_url, SCHEMA_URLS["plans"]), "title": "政府信息公开条目清单（开放数据）",
             "type": "object", "additionalProperties": False, "required": ["$schema", "网站", "网址", "条目"],
             "properties": {"$schema": _STR, "网站": _STR, "网址": _STR, "条目": {"type": "array", "items": entry}}}
    targets = {"$schema": SCHEMA_DRAFT, "$id": _abs(base_url, SCHEMA_URLS["targets"]), "title": "全部目标（开放数据）",
               "type": "object", "additionalProperties": False, "required": ["$schema", "网站", "网址", "目标"],
               "properties": {"$schema": _STR, "网站": _STR, "网址": _STR, "目标": {"type": "array", "items": {"$ref": "#/$defs/target"}}},
               "$defs": {"target": target}}
    return {"plan": plan, "plans": plans, "targets": targets}


# --- Atom feed and sitemap ---------------------------------------------------------------------------

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _plain(markdown_text: str, limit: int = 160) -> str:
    text = re.sub(r"\{[#.][^}]*\}", "", markdown_text)
    text = re.sub(r"[#*_>`|]+", "", text)
    text = re.sub(r"\s+", "", text)
    return text[:limit] + ("……" if len(text) > limit else "")


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def atom_feed(project: Project, size: int = FEED_SIZE) -> bytes:
    """Atom 1.0 feed of the newest ``size`` items; timestamps from 发布日期/发布时间 only."""
    ET.register_namespace("", ATOM_NS)
    base = project.site.base_url
    q = lambda tag: f"{{{ATOM_NS}}}{tag}"  # noqa: E731
    feed = ET.Element(q("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    ET.SubElement(feed, q("id")).text = _abs(base, FEED)
    ET.SubElement(feed, q("title")).text = f"{project.site.name} 最新信息"
    newest = project.plans[:size]  # project.plans is newest first
    updated = _stamp(newest[0].published, newest[0].published_time) if newest else "1970-01-01T00:00:00+08:00"
    ET.SubElement(feed, q("updated")).text = updated
    ET.SubElement(feed, q("link"), {"rel": "self", "type": "application/atom+xml", "href": _abs(base, FEED)})
    ET.SubElement(feed, q("link"), {"rel": "alternate", "type": "text/html", "href": _abs(base, "xxgk/")})
    author = ET.SubElement(feed, q("author"))
    ET.SubElement(author, q("name")).text = project.site.sponsor
    for plan in newest:
        entry = ET.SubElement(feed, q("entry"))
        ET.SubElement(entry, q("id")).text = f"tag:{project.site.domain.split(':')[0]},{plan.published.isoformat()}:{plan.id}"
        ET.SubElement(entry, q("title")).text = plan.title
        ET.SubElement(entry, q("link"), {"rel": "alternate", "type": "text/html", "href": _abs(base, plan.url)})
        ET.SubElement(entry, q("link"), {"rel": "alternate", "type": "application/json", "href": _abs(base, plan_json_url(plan))})
        stamp = _stamp(plan.published, plan.published_time)
        ET.SubElement(entry, q("published")).text = stamp
        ET.SubElement(entry, q("updated")).text = stamp
        a = ET.SubElement(entry, q("author"))
        ET.SubElement(a, q("name")).text = plan.department.full_name
        ET.SubElement(entry, q("category"), {"term": plan.category})
        ET.SubElement(entry, q("summary")).text = plan.summary or _plain(plan.body)
    return _xml(feed)


def sitemap_xml(base_url: str, entries: Iterable[tuple[str, dt.date | None]]) -> bytes:
    """sitemaps.org XML: one <url> per page, <lastmod> only where the data gives a date."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url, lastmod in entries:
        node = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = _abs(base_url, url)
        if lastmod is not None:
            ET.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = lastmod.isoformat()
    return _xml(root)


def sitemap_entries(project: Project, page_urls: Iterable[str]) -> list[tuple[str, dt.date | None]]:
    dates = {p.url: p.published for p in project.plans}
    urls = {"" if url in (".", "./", "/") else url.lstrip("/") for url in page_urls}  # MkDocs calls the home page "./"
    return [(url, dates.get(url)) for url in sorted(urls)]


# --- writing -----------------------------------------------------------------------------------

def _json_bytes(data: Any, compact: bool = False) -> bytes:
    """Indented JSON for the few small files people open (the published schemas); ``compact`` for the rest
    (plans.json, targets.json, each plan's file): Python encodes indented JSON in pure Python, ~10× slower than
    its C encoder (the 10,000 per-plan files: 0.76 s indented, 0.37 s compact). Browsers show
    JSON indented anyway."""
    if compact:
        return (_compact(data) + "\n").encode("utf-8")
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def plan_files(project: Project, closed: dict[str, list[Target]] | None = None) -> Callable[[Plan], tuple[str, bytes]]:
    """A function giving one plan's open-data file as (site-relative path, bytes); ``closed``: ``closings(project.plans)``
    when the caller has it already."""
    closed = closings(project.plans) if closed is None else closed
    return lambda plan: (plan_json_url(plan), _json_bytes(plan_record(project, plan, closed.get(plan.path, [])), compact=True))


def plans_json(project: Project, cache: EntryCache | None = None, *, replaced_only: bool = False) -> bytes:
    """plans.json; ``cache``: the preview's entries kept from the last update (the same bytes, joined; for
    ``replaced_only`` see :class:`EntryCache`)."""
    if cache is None:
        return _json_bytes(plans_index(project), compact=True)
    entries = cache.joined(project.plans, project.site.base_url, replaced_only=replaced_only)
    return (_compact(_plans_head(project))[:-1] + ',"条目":[' + entries + "]}\n").encode("utf-8")


def targets_json(project: Project) -> bytes:
    return _json_bytes(targets_document(project), compact=True)


def open_data_files(project: Project, page_urls: Iterable[str], *, plans: bool = True,
                    sitemap: bool = True) -> dict[str, bytes]:
    """Every open-data file as {site-relative path: bytes} (without the per-plan files if not ``plans``,
    without sitemap.xml if not ``sitemap``)."""
    base = project.site.base_url
    files: dict[str, bytes] = dict(map(plan_files(project), project.plans)) if plans else {}
    files[PLANS_JSON] = plans_json(project)
    files[TARGETS_JSON] = targets_json(project)
    files[TARGETS_CSV] = targets_csv(project)
    for kind, doc in published_schemas(base).items():
        files[SCHEMA_URLS[kind]] = _json_bytes(doc)
    files[FEED] = atom_feed(project)
    files.update(nianbao_data.open_data_files(project))  # 年报 tables (gongkai/pages/nianbao_data.py)
    if sitemap:
        files.update(sitemap_files(project, page_urls))
    return files


def sitemap_files(project: Project, page_urls: Iterable[str]) -> dict[str, bytes]:
    """sitemap.xml and sitemap.xml.gz as {site-relative path: bytes}."""
    files: dict[str, bytes] = {}
    sitemap = sitemap_xml(project.site.base_url, sitemap_entries(project, page_urls))
    files[SITEMAP_XML] = sitemap
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", filename="", mtime=0) as gz:  # mtime 0: same bytes every build
        gz.write(sitemap)
    files[SITEMAP_XML + ".gz"] = buf.getvalue()
    return files


def write_open_data(project: Project, site_dir: Path | str, page_urls: Iterable[str], *,
                    parallel: bool = False, sitemap: bool = True) -> list[Path]:
    """Write the open-data files into ``site_dir`` (replacing MkDocs' own sitemap unless not
    ``sitemap``); return the paths.

    With ``parallel`` the per-plan files (most of the work) are encoded and written by forked workers."""
    site_dir = Path(site_dir)
    one_plan = plan_files(project)
    made: set[str] = set()  # folders made by this process (gongkai.runtime.files)
    root = str(site_dir)

    def write(rel_path: str, data: bytes) -> Path:
        return Path(write_file(os.path.join(root, rel_path), data, made))

    written = pmap(lambda plan: write(*one_plan(plan)), project.plans, parallel=parallel)
    for rel_path, data in sorted(open_data_files(project, page_urls, plans=False, sitemap=sitemap).items()):
        written.append(write(rel_path, data))
    return sorted(written)
