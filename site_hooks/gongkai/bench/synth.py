"""Deterministic synthetic projects: N plans sampled from the sample data (the one generator).

Used by ``gongkai bench`` and by ``scripts/bench_search.py`` (which asks for more departments).

``write_synthetic_project(dest, n, seed)`` writes a project folder that ``gongkai build --root
dest`` builds exactly like the real one. Everything a plan holds is drawn with
``random.Random(seed)`` from the source project (the repository by default):

* body text: paragraphs and ``## `` headings of ``data/plans/**``, 2–6 KB (UTF-8) per plan;
* targets (指标): the ``…达200家`` / ``…70亿元`` phrases found in those paragraphs;
* metadata: 组配分类, 主题分类 and 有效性 from ``data/vocab``, titles after the sample titles,
  dates inside the plan's year, a 文号 on about 40 % of plans, the 索引号 numbered per
  department and month in the site's format (so no build warns about missing numbers);
* departments: ``DEPARTMENTS`` invented bureaus with valid 统一社会信用代码, plans spread over
  them and over ``YEARS``; about one plan in five links to the same department's plan of the
  year before (相关文件).

No wall-clock date and no dictionary order goes into the output: the same ``(n, seed)`` gives
byte-identical files on any machine, so figures from two runs compare. ``templates/`` and
``site_hooks/`` are symlinked to the source (copied where links are impossible), so the build
exercises the code under test.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from gongkai.rules import codes
from gongkai.rules.numerals import CN_DIGITS
from gongkai.runtime.paths import SOURCE_ROOT

REPO = SOURCE_ROOT
DEPARTMENTS = 8
YEARS = tuple(range(2016, 2026))
BODY_BYTES = (2000, 6000)

HEADER = (
    "# 政府信息公开条目（工作计划，基准测试用的合成数据，由 gongkai bench 生成）。\n"
    "# 渲染模板：templates/components/plan_page（由 site_hooks/gongkai/pages/generate.py 调用）。\n"
    "# 修改后运行：gongkai validate，再用 gongkai serve 预览。\n"
)

# Invented places and bureaus; (name, 简称, 文号代字, slug prefix, 区划代码).
_PLACES = [("青山", "340201"), ("临湖", "340202"), ("白云", "340203"), ("松溪", "340204"),
           ("长河", "340205"), ("石门", "340206"), ("凤台", "340207"), ("平川", "340208")]
_BUREAUS = [("科学技术局", "科技局", "科", "kjj"), ("发展和改革委员会", "发改委", "发改", "fgw"),
            ("工业和信息化局", "工信局", "工信", "gxj"), ("教育体育局", "教体局", "教", "jtj"),
            ("农业农村局", "农业农村局", "农", "nyj"), ("生态环境分局", "生态环境分局", "环", "sthj"),
            ("人力资源和社会保障局", "人社局", "人社", "rsj"), ("市场监督管理局", "市场监管局", "市监", "scj")]
_KINDS = ["工作计划", "工作要点", "重点工作安排", "工作计划（修订）", "专项行动计划", "实施方案"]
_SLUG_KINDS = ["gongzuo-jihua", "gongzuo-yaodian", "zhongdian-gongzuo", "xiuding-jihua", "zhuanxiang-xingdong", "shishi-fangan"]
# A target phrase in the sample texts: what, a verb, a number, a unit (新认定高新技术企业25家).
_TARGET = re.compile(
    r"(?P<what>[\u4e00-\u9fff“”]{2,16}?)(?:达到|达超|达|超过|超|增长|不少于|以上)?"
    r"(?P<value>[0-9]+(?:\.[0-9]+)?)(?P<unit>亿元|万元|万平方米|平方米|家|项|个|人|名|%)"
)
_LEAD = re.compile(r"^(?:确保|力争|争取|实现|全年|全市|我市|在全市|持续推进|新增|遴选|年)+")
_CN_ONLY = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Department:
    slug: str
    full_name: str
    short_name: str
    agency: str  # 机关代字 in the 文号, e.g. 青科
    uscc: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class Sample:
    """What the source project offers to sample from."""
    paragraphs: tuple[str, ...]
    headings: tuple[str, ...]
    targets: tuple[tuple[str, float, str, str], ...]  # (指标, 目标值, 单位, 说明)
    indicators: tuple[tuple[str, str], ...]  # (名称, 单位) of the quantitative vocabulary indicators
    categories: tuple[str, ...]
    topics: tuple[str, ...]
    validity: tuple[str, ...]


@dataclass(frozen=True)
class SyntheticProject:
    root: Path
    departments: tuple[Department, ...]
    plan_paths: tuple[str, ...]  # relative to root, in writing order

    @property
    def plan_count(self) -> int:
        return len(self.plan_paths)


def _uscc(rng: random.Random, region: str) -> str:
    """A 统一社会信用代码 of a 机关 (登记管理部门 1, 类别 1) with both check characters right."""
    org8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    first17 = "11" + region + org8 + codes.org_check_char(org8)
    if any(c not in codes.USCC_CHARS for c in first17):  # the org check char may be an X… always allowed
        return _uscc(rng, region)
    return first17 + codes.uscc_check_char(first17)


def _load_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_sample(source: Path = REPO) -> Sample:
    """Paragraphs, headings, targets and vocabularies of ``source`` (sorted: stable across machines)."""
    paragraphs: list[str] = []
    headings: list[str] = []
    targets: list[tuple[str, float, str, str]] = []
    for path in sorted((source / "data" / "plans").glob("*/*/*.yml")):
        body = str((_load_yaml(path) or {}).get("正文") or "")
        for block in body.split("\n\n"):
            block = block.strip()
            if block.startswith("#"):
                headings.append(block.lstrip("#").strip())
            elif len(_CN_ONLY.findall(block)) >= 20:
                paragraphs.append(block)
                for sentence in re.split(r"[。;;]", block):
                    for m in _TARGET.finditer(sentence):
                        what = _LEAD.sub("", m["what"]).strip("“”")
                        if len(_CN_ONLY.findall(what)) >= 2:
                            targets.append((what, float(m["value"]), m["unit"], sentence.strip()[:120]))
    if not paragraphs:
        raise ValueError(f"{source}/data/plans 下没有可以取样的计划正文")
    vocab = source / "data" / "vocab"
    topics: list[str] = []
    for t in _load_yaml(vocab / "topics.yml") or []:
        topics.append(t["名称"])
        topics += [f"{t['名称']}\\{s['名称']}" for s in t.get("子类") or []]
    return Sample(
        paragraphs=tuple(paragraphs), headings=tuple(headings), targets=tuple(targets),
        categories=tuple(c["名称"] for c in _load_yaml(vocab / "categories.yml") or []),
        topics=tuple(topics),
        validity=tuple(v["名称"] for v in _load_yaml(vocab / "validity.yml") or []),
        indicators=tuple(sorted((str(i["名称"]), str(i["单位"])) for i in _load_yaml(vocab / "indicators.yml") or []
                                if i.get("单位") and i.get("单位") != "%")),
    )


def make_departments(count: int, seed: int, sample: Sample) -> list[Department]:
    rng = random.Random(f"departments/{seed}")
    out = []
    for i in range(count):
        place, region = _PLACES[i % len(_PLACES)]
        full, short, agency, prefix = _BUREAUS[(i + i // len(_PLACES)) % len(_BUREAUS)]
        extra = [c for c in sample.categories if c != "规划计划"]
        cats = ["规划计划", *rng.sample(extra, k=min(3, len(extra)))]
        cats.sort(key=sample.categories.index)
        out.append(Department(f"{prefix}{i + 1}", f"{place}市{full}", f"{place}{short}", place[0] + agency,
                              _uscc(rng, region), tuple(cats)))
    return out


def _body(rng: random.Random, sample: Sample) -> str:
    goal = rng.randint(*BODY_BYTES)
    blocks: list[str] = []
    size = 0
    numeral = CN_DIGITS
    section = 0
    while size < goal:
        if sample.headings and section < len(numeral) and rng.random() < 0.2:
            heading = rng.choice(sample.headings).split("、", 1)[-1]
            blocks.append(f"## {numeral[section]}、{heading}")
            size += len(blocks[-1].encode("utf-8")) + 2
            section += 1
        para = rng.choice(sample.paragraphs)
        more = len(para.encode("utf-8"))
        if size >= BODY_BYTES[0] and size + more > BODY_BYTES[1]:
            break
        blocks.append(para)
        size += more
    return "\n\n".join(blocks) + "\n"


def _dump(data: dict) -> str:
    """YAML through libyaml's emitter when present (the pure-Python one takes minutes at 10,000 files),
    with the body as a ``|`` block so the files look like the hand-written ones."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class _Dumper(dumper):  # type: ignore[misc, valid-type]
        pass

    def text(d, value: str):
        return d.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)

    _Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.symlink(src, dst, target_is_directory=src.is_dir())
    except OSError:  # file systems without symlinks
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dst)


def _write_frame(dest: Path, source: Path, departments: list[Department]) -> None:
    """Everything but the plans: config, hand-written pages, site settings, vocabularies, departments."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(source / "content", dest / "content")
    for part in ("templates", "site_hooks"):
        _link_or_copy(source / part, dest / part)
    (dest / "data").mkdir()
    shutil.copy2(source / "data" / "site.yml", dest / "data" / "site.yml")
    shutil.copytree(source / "data" / "vocab", dest / "data" / "vocab")
    (dest / "data" / "departments").mkdir()
    for d in departments:
        data = {"标识": d.slug, "全称": d.full_name, "简称": d.short_name, "统一社会信用代码": d.uscc,
                "组配分类": list(d.categories), "简介": f"{d.full_name}（基准测试用的虚构机构）。"}
        (dest / "data" / "departments" / f"{d.slug}.yml").write_text(
            "# 发布机构（合成数据）。渲染模板：templates/components/catalogue_list。修改后运行：gongkai validate。\n"
            + _dump(data), encoding="utf-8")


def write_synthetic_project(dest: Path, n: int, seed: int = 1, *, source: Path = REPO,
                            departments: int = DEPARTMENTS) -> SyntheticProject:
    """Write a buildable project with ``n`` synthetic plans into ``dest`` (which must not exist)."""
    dest = Path(dest)
    if dest.exists():
        raise FileExistsError(f"{dest} 已存在：请指定一个新的文件夹")
    sample = read_sample(source)
    depts = make_departments(departments, seed, sample)
    _write_frame(dest, source, depts)
    site = _load_yaml(source / "data" / "site.yml") or {}
    fmt = codes.INDEX_FORMATS[(site.get("索引号") or {}).get("格式", "全国")]
    rng = random.Random(f"plans/{seed}/{n}")
    serials: dict[tuple, int] = {}
    doc_serials: dict[tuple, int] = {}
    seen_slugs: set[str] = set()
    by_dept_year: dict[tuple[str, int], str] = {}
    paths: list[str] = []
    for i in range(n):
        dept = depts[rng.randrange(len(depts))]
        year = YEARS[rng.randrange(len(YEARS))]
        kind = rng.randrange(len(_KINDS))
        slug = f"{_SLUG_KINDS[kind]}-{i + 1:05d}"
        created = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(350))
        published = created + dt.timedelta(days=rng.randrange(8))
        category = "规划计划" if rng.random() < 0.7 else rng.choice(dept.categories)
        period = fmt.period_of(published)
        key = (dept.slug, period)
        serials[key] = serials.get(key, 0) + 1
        code = dept.uscc if fmt.code_kind == "uscc" else dept.uscc[8:17]
        plan: dict = {
            "名称": f"{dept.full_name}{year}年{_KINDS[kind]}",
            "索引号": fmt.format(code, period, serials[key]),
            "组配分类": category,
            "主题分类": rng.choice(sample.topics) if rng.random() < 0.4 else "科技、教育\\科技",
            "文号": None,
            "生成日期": created.isoformat(),
            "发布日期": published.isoformat(),
            "发布时间": f"{rng.randint(8, 17):02d}:{rng.choice((0, 10, 20, 30, 40, 50)):02d}",
        }
        if rng.random() < 0.4:
            doc_serials[(dept.slug, year)] = doc_serials.get((dept.slug, year), 0) + 1
            plan["文号"] = f"{dept.agency}〔{year}〕{doc_serials[(dept.slug, year)]}号"
        ended = [v for v in sample.validity if v in ("已废止", "已失效")]
        if ended and rng.random() < 0.1:
            plan["有效性"] = rng.choice(ended)
            plan["失效日期"] = (published + dt.timedelta(days=300)).isoformat()
        if rng.random() < 0.3:
            plan["关键词"] = sorted({t[0][-6:] for t in rng.sample(sample.targets, k=min(2, len(sample.targets)))})
        previous = by_dept_year.get((dept.slug, year - 1))
        if previous and rng.random() < 0.2:
            plan["相关文件"] = [{"文件": previous, "关系": "计划"}]
        plan["正文"] = _body(rng, sample)
        if sample.targets:
            chosen = rng.sample(sample.targets, k=min(rng.randint(0, 6), len(sample.targets)))
            if chosen and sample.indicators:
                # the sentence and number from the sample text, the indicator from the vocabulary
                named = rng.sample(sample.indicators, k=min(len(chosen), len(sample.indicators)))
                plan["指标"] = [{"编号": f"t{j + 1}", "指标": name, "类型": "达到", "目标值": max(1, int(v)),
                                "单位": unit, "原文": said}
                               for j, ((_, v, _, said), (name, unit)) in enumerate(zip(chosen, named))]
        rel = f"data/plans/{dept.slug}/{year}/{slug}.yml"
        assert slug not in seen_slugs
        seen_slugs.add(slug)
        by_dept_year.setdefault((dept.slug, year), f"{dept.slug}/{year}/{slug}")
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HEADER + _dump(plan), encoding="utf-8")
        paths.append(rel)
    return SyntheticProject(dest, tuple(depts), tuple(paths))
