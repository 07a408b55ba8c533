"""Deterministic synthetic projects for benchmarks: N plans sampled from the sample data.

``write_synthetic_project(dest, n, seed)`` writes a complete project folder that
``gongkai build --root dest`` builds like the real one: ``mkdocs.yml``,
``content/`` and ``data/site.yml`` + ``data/vocab/`` copied from the source
project, ``templates/`` and ``site_hooks/`` linked to it (copied where links are
not possible), a set of departments with valid 统一社会信用代码, and ``n`` plan
files whose titles, bodies, dates, 组配分类, 主题分类 and 文号 are sampled from the
source project's plans with :class:`random.Random(seed)`. The same ``(n, seed)``
always gives byte-identical files, so figures from two runs compare.

Used by ``scripts/bench_search.py`` and, later, ``gongkai bench``.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from gongkai.rules import codes
from gongkai.runtime.paths import SOURCE_ROOT

REPO = SOURCE_ROOT

# Invented places for the synthetic departments: a prefix for the names and a region code each.
_PLACES = [
    ("东湖", "340101"), ("西山", "340102"), ("南溪", "340103"), ("北岭", "340104"), ("青川", "340105"),
    ("白石", "340106"), ("金沙", "340107"), ("云台", "340108"), ("桃源", "340109"), ("松阳", "340110"),
    ("安平", "340111"), ("永宁", "340112"), ("长乐", "340113"), ("清河", "340114"), ("临江", "340115"),
    ("凤鸣", "340116"), ("龙泉", "340117"), ("新丰", "340118"), ("兴和", "340119"), ("丰乐", "340120"),
]
_BUREAUS = [
    ("科学技术局", "科技局", "科", "kjj"), ("工业和信息化局", "经信局", "经信", "jxj"),
    ("发展和改革委员会", "发改委", "发改", "fgw"), ("教育局", "教育局", "教", "jyj"),
    ("农业农村局", "农业农村局", "农", "nyj"),
]
_KINDS = ["工作计划", "工作要点", "年度工作计划", "工作安排", "重点工作任务"]
_TOPICS = ["科技、教育\\科技", "科技、教育", "其他", "工业、交通", "综合政务"]
_CATEGORIES = ["规划计划", "规划计划", "规划计划", "政策法规", "其他"]  # weighted towards plans
_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class SynthDept:
    slug: str
    full_name: str
    short_name: str
    agency: str  # 机关代字 for 文号, e.g. 东科
    uscc: str


def _uscc(rng: random.Random, region: str) -> str:
    """A 统一社会信用代码 with correct check characters (登记管理部门 1, 机构类别 1 = 机关)."""
    while True:
        org8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY"[:31]) for _ in range(8))
        org9 = org8 + codes.org_check_char(org8)
        first17 = "11" + region + org9
        if all(c in _USCC_BODY for c in first17):
            return first17 + codes.uscc_check_char(first17)


def departments(count: int, seed: int) -> list[SynthDept]:
    """``count`` departments (at most places × bureaus), deterministic for ``seed``."""
    rng = random.Random(f"depts-{seed}")
    out = []
    for i in range(count):
        place, region = _PLACES[i % len(_PLACES)]
        full, short, code, slug = _BUREAUS[(i // len(_PLACES)) % len(_BUREAUS)]
        out.append(SynthDept(f"{slug}-{i:02d}", f"{place}市{full}", f"{place}{short}", place[0] + code, _uscc(rng, region)))
    return out


def _sample_texts(source: Path) -> tuple[list[str], list[str]]:
    """Paragraphs and titles of the source project's plans (sorted, so the sample is stable)."""
    paragraphs: list[str] = []
    titles: list[str] = []
    for path in sorted((source / "data" / "plans").glob("*/*/*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        titles.append(str(data.get("名称", "")))
        for para in str(data.get("正文", "")).split("\n\n"):
            para = para.strip()
            if para and not para.startswith("#"):
                paragraphs.append(para)
    if not paragraphs:
        raise ValueError(f"{source}/data/plans 下没有可用作样本的计划正文")
    return paragraphs, titles


def _dump(data: dict) -> str:
    """YAML by hand (PyYAML's pure-Python emitter takes minutes for 10,000 files): scalars as
    JSON strings, which YAML reads as double-quoted strings; multi-line text as a ``|`` block."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {json.dumps(v, ensure_ascii=False)}" for v in value]
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{key}: |")
            lines += [f"  {line}" if line else "" for line in value.rstrip("\n").split("\n")]
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.symlink(src, dst, target_is_directory=src.is_dir())
    except OSError:  # file systems without symlinks
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)


def plan_records(n: int, seed: int, depts: list[SynthDept], paragraphs: list[str]) -> list[tuple[str, dict]]:
    """``(relative path, YAML data)`` for ``n`` plans; about half carry a 文号."""
    rng = random.Random(f"plans-{seed}")
    serials: dict[tuple[str, int], int] = {}
    out = []
    for i in range(n):
        dept = depts[rng.randrange(len(depts))]
        year = rng.randint(2019, 2025)
        created = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360))
        published = created + dt.timedelta(days=rng.randrange(6))
        kind = rng.choice(_KINDS)
        target_bytes = rng.randint(2000, 6000)
        body: list[str] = []
        while sum(len(p.encode()) for p in body) < target_bytes:
            body.append(rng.choice(paragraphs))
        data: dict = {
            "名称": f"{dept.full_name}{year}年{kind}（第{i + 1}号）",
            "组配分类": rng.choice(_CATEGORIES),
            "主题分类": rng.choice(_TOPICS),
        }
        if rng.random() < 0.5:
            serials[(dept.slug, year)] = serials.get((dept.slug, year), 0) + 1
            data["文号"] = f"{dept.agency}〔{year}〕{serials[(dept.slug, year)]}号"
        data.update({
            "生成日期": created.isoformat(),
            "发布日期": published.isoformat(),
            "发布时间": f"{rng.randint(8, 17):02d}:{rng.choice([0, 15, 30, 45]):02d}",
            "正文": "\n\n".join(body) + "\n",
        })
        out.append((f"data/plans/{dept.slug}/{year}/p{i + 1:05d}.yml", data))
    return out


def write_synthetic_project(dest: Path, n: int, seed: int = 1, source: Path | None = None) -> None:
    """Write a buildable project with ``n`` synthetic plans into ``dest`` (created; must be empty or absent)."""
    source = Path(source or REPO).resolve()
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} 不是空目录")
    dest.mkdir(parents=True, exist_ok=True)
    paragraphs, _ = _sample_texts(source)
    depts = departments(max(2, min(len(_PLACES) * len(_BUREAUS), n // 200)), seed)

    shutil.copy2(source / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(source / "content", dest / "content")
    for name in ("templates", "site_hooks"):
        _link_or_copy(source / name, dest / name)
    data = dest / "data"
    (data / "departments").mkdir(parents=True)
    shutil.copy2(source / "data" / "site.yml", data / "site.yml")
    shutil.copytree(source / "data" / "vocab", data / "vocab")
    header = "# 合成的基准测试数据(gongkai.synth 生成),不要手工修改。\n"
    for d in depts:
        (data / "departments" / f"{d.slug}.yml").write_text(header + _dump({
            "标识": d.slug, "全称": d.full_name, "简称": d.short_name, "统一社会信用代码": d.uscc,
            "组配分类": ["政策法规", "规划计划", "其他"], "简介": f"{d.full_name}(合成数据)。",
        }), encoding="utf-8")
    for rel, record in plan_records(n, seed, depts, paragraphs):
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(header + _dump(record), encoding="utf-8")
