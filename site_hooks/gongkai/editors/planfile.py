"""Write new plan files (for ``gongkai new`` and ``gongkai import``) and reserve their 索引号.

The text is written by hand rather than by a YAML dumper so that every field gets
the Chinese comment editors read (taken from the one schema, :data:`gongkai.schema.PLAN`),
optional fields appear commented out, and the body is a readable ``|`` block.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Iterable

from gongkai.data import index_numbers, schema
from gongkai.data.model import Plan, Project
from gongkai.data.yamlio import parse_text
from gongkai.problems import Problems

HEADER = [
    "# 政府信息公开条目（工作计划）。渲染模板：templates/components/plan_page（由 site_hooks/gongkai/pages/generate.py 调用）。",
    "# 修改后运行：make validate（或 .venv/bin/gongkai validate），再用 make serve 预览。",
]
DEFAULT_CATEGORY = "规划计划"
REVIEW = "待核对"

_PLAIN_UNSAFE_START = set("!&*-?{}[],#|>@`\"'%:~ ")


def scalar(value: Any) -> str:
    """A YAML scalar that reads back as exactly ``value`` (quoted only when needed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    quote = (
        text == "" or text != text.strip() or text[0] in _PLAIN_UNSAFE_START or ": " in text or " #" in text or "：" in text
        or text.endswith(":") or "\n" in text or "\t" in text or re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|true|false|null|~|yes|no|on|off", text, re.I)
        or re.fullmatch(r"\d{1,2}:\d{2}", text) is not None
    )
    return json.dumps(text, ensure_ascii=False) if quote else text


def _help(key: str) -> str:
    prop = schema.PLAN["properties"].get(key, {})
    return prop.get("description", "")


def _block(text: str, indent: str = "  ") -> str:
    lines = text.rstrip("\n").split("\n")
    return "\n".join(indent + line if line.strip() else "" for line in lines)


def render_plan(fields: dict[str, Any], *, body: str, targets: Iterable[dict[str, Any]] = (), notes: Iterable[str] = (),
                optional: Iterable[str] = ("来源", "有效性", "失效日期", "替代文件", "关键词", "摘要", "相关文件", "修订说明"),
                leftovers: Iterable[dict[str, Any]] = (), review: Iterable[str] = ()) -> str:
    """The text of a plan file: header, each field with its comment, the body, the targets.

    ``targets`` are plan-file target dicts (see :func:`gongkai.import_targets.fill_targets`); their
    ``待核对`` note is written as a field of the target. ``review`` (what the import could not decide)
    and ``leftovers`` (candidates that could not become valid targets, with their sentence, number,
    unit and reason) go into the plan's ``待核对`` list. Both are data, not comments: ``gongkai validate``
    fails until an editor has dealt with each, and the preview shows them (:mod:`gongkai.data.drafts`).
    """
    out = list(HEADER)
    out += [f"# {n}" for n in notes]
    out.append("")
    for key, value in fields.items():
        out.append(f"# {key}：{_help(key)}")
        if isinstance(value, list):
            out.append(f"{key}:" if value else f"{key}: []")
            for v in value:
                if isinstance(v, dict):  # 附件: [{文件: …, 名称: …}]
                    out += [f"  {'- ' if i == 0 else '  '}{k}: {scalar(x)}" for i, (k, x) in enumerate(v.items())]
                else:
                    out.append(f"  - {scalar(v)}")
        else:
            out.append(f"{key}: {scalar(value)}".rstrip())
    for key in optional:
        if key in fields:
            continue
        out.append(f"# {key}：{_help(key)}（可不填；需要时删除下一行开头的“# ”）")
        example = {"关键词": "[科技, 高新技术企业]", "相关文件": "[{文件: 机构标识/年度/文件名, 关系: 计划}]",
                   "有效性": "有效", "失效日期": "YYYY-MM-DD", "替代文件": "机构标识/年度/文件名",
                   "修订说明": "[{日期: YYYY-MM-DD, 说明: 一句话说明改了什么}]"}.get(key, "")
        out.append(f"# {key}: {example}".rstrip())
    marks = [_one_line(r) for r in review] + [leftover_text(c) for c in leftovers]
    if marks:
        out.append(f"# {REVIEW}:{_help(REVIEW)}")
        out.append(f"{REVIEW}:")
        out += [f"  - {scalar(m)}" for m in marks]
    out.append(f"# 正文：{_help('正文')}")
    out.append("正文: |")
    out.append(_block(body))
    targets = list(targets)
    out.append(f"# 指标：{_help('指标')}")
    if not targets:
        out.append("指标: []")
    else:
        out.append(f"# 以下 {len(targets)} 项是导入时从正文中找到、按指标词表填写的目标，每项都有一行“{REVIEW}”：请核对指标、类型、"
                   f"数值和出处，不是目标的整项删除，核对无误后删除那一行“{REVIEW}: …”。写法见 docs/targets.md。")
        out.append("指标:")
        keys = ["编号", REVIEW] + [k for k in schema.TARGET["properties"] if k not in ("编号", REVIEW)]
        for t in targets:
            t = {**t, REVIEW: _one_line(t[REVIEW]) if t.get(REVIEW) else None}
            first = True
            for key in keys:
                if key not in t or t[key] is None:
                    continue
                out.append(f"  {'- ' if first else '  '}{key}: {scalar(t[key])}")
                first = False
    return "\n".join(out) + "\n"


def leftover_text(c: dict[str, Any]) -> str:
    """One ``待核对`` line for a candidate target that was not filled in: what, why, and its exact sentence."""
    number = c.get("原文") or f"{c['目标值']}{c['单位']}"
    where = f"（出处“{c['出处']}”）" if c.get("出处") and c["出处"] != str(c.get("说明", "")).strip() else ""
    return (f"候选指标“{_one_line(number)}”没有填入“指标”：{_one_line(c['原因'])}。原句{where}：{_one_line(c['说明'])}"
            "——是目标的按 docs/targets.md 写进“指标”，不是的删除这一项")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def check_roundtrip(text: str) -> list[str]:
    """Problems parsing a generated file (there should be none; used as a safety net)."""
    doc = parse_text(text)
    return [f"第{line}行：{message}" for line, message, _ in doc.errors]


# --- 索引号 --------------------------------------------------------------------------------------
class _Quiet:
    """Stands in for a file checker: the project has been validated, nothing to report."""

    def error(self, *args: Any, **kwargs: Any) -> None:  # pragma: no cover - defensive
        pass


def reserve_index_numbers(project: Project, requests: list[tuple[str, dt.date, str]],
                          kept: Iterable[tuple[str, dt.date, str]] = ()) -> list[str | None]:
    """The 索引号 new plans (department slug, 发布日期, path) get, continuing the existing counters.

    Uses the loader's own numbering (:func:`gongkai.data.index_numbers.assign`) on the
    existing plans plus placeholders for the new ones, so the numbers are exactly those
    ``gongkai validate --fix`` would write. ``kept`` (department slug, date, 索引号) are numbers the
    same import keeps from its documents: they are taken, and later numbers continue after them.
    """
    plans = []
    for p in project.plans:
        plans.append(dataclasses.replace(p, index_no="" if p.index_assigned else p.index_no, index_assigned=False))

    def placeholder(i: int, dept_slug: str, date: dt.date, path: str, number: str = "") -> Plan:
        return Plan(
            id=f"{dept_slug}/{date.year}/__new-{i}", path=path or f"__new-{i}", department=project.departments[dept_slug],
            year=date.year, slug=f"__new-{i}", title="", index_no=number, index_assigned=False, category="", topic="",
            doc_no="", created=date, published=date, published_time=dt.time(23, 59, 59), source="", validity="有效",
            keywords=[], summary="", body="", targets=[], related_raw=[])

    placeholders = [placeholder(i, d, date, path) for i, (d, date, path) in enumerate(requests)]
    holders = [placeholder(len(placeholders) + i, d, date, f"__kept-{i}", number) for i, (d, date, number) in enumerate(kept)]
    # New plans come after every existing plan of the same day: give them the latest sort position.
    index_numbers.assign(project.site, plans + holders + placeholders, collections.defaultdict(_Quiet), Problems())
    return [p.index_no or None for p in placeholders]


# --- file names -------------------------------------------------------------------------------
_SLUG_WORDS = [
    ("年度", "niandu"), ("工作要点", "gongzuo-yaodian"), ("工作计划", "gongzuo-jihua"), ("工作总结", "gongzuo-zongjie"),
    ("实施方案", "shishi-fangan"), ("工作方案", "gongzuo-fangan"), ("行动计划", "xingdong-jihua"), ("规划", "guihua"),
    ("要点", "yaodian"), ("计划", "jihua"), ("总结", "zongjie"), ("方案", "fangan"), ("安排", "anpai"), ("意见", "yijian"),
    ("汇编", "huibian"),
]
_SLUG_TOPICS = [("科技", "keji"), ("科学技术", "keji"), ("教育", "jiaoyu"), ("人才", "rencai"), ("科普", "kepu")]


def suggest_slug(title: str, taken: Iterable[str] = ()) -> str:
    """A file name from the title's common words: 科技工作要点 → keji-gongzuo-yaodian."""
    taken = set(taken)
    rest = re.sub(r"^.*?[局委办厅院府](?=\d|全|年|本)", "", title)  # drop the department's name
    parts: list[str] = []
    for word, slug in _SLUG_TOPICS:
        if word in rest and slug not in parts:
            parts.append(slug)
            break
    pos = 0
    for word, slug in _SLUG_WORDS:
        at = rest.find(word, pos)
        if at >= 0:
            parts.append(slug)
            pos = at + len(word)
    if len(parts) > 1 and parts[0] == "keji" and parts[1] == "niandu":
        parts = parts[1:]
    base = "-".join(parts) or "jihua"
    base = re.sub(r"-+", "-", base).strip("-")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def existing_slugs(root: Path, dept: str, year: int) -> set[str]:
    folder = root / "data" / "plans" / dept / str(year)
    return {p.stem for p in folder.glob("*.yml")} if folder.is_dir() else set()


def default_topic(project: Project | None, dept: str) -> str:
    """The 主题分类 the department uses most, else 其他."""
    if project is None:
        return "其他"
    counts = collections.Counter(p.topic for p in project.plans if p.department.slug == dept)
    if counts:
        return counts.most_common(1)[0][0]
    names = [t.name for t in project.topics]
    return "其他" if "其他" in names or not names else names[-1]
