"""The repository's own data: conventions an editor relies on."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from gongkai.data.loader import load_project

from conftest import ROOT
DATA_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*.yml"))
STANDARDS = ROOT.parent / "shared" / "reference" / "standards.md"


@pytest.mark.parametrize("rel", DATA_FILES)
def test_data_file_starts_by_naming_its_template_and_the_command(rel):
    head = [l for l in (ROOT / rel).read_text(encoding="utf-8").splitlines()[:5] if l.startswith("#")]
    text = "\n".join(head)
    assert head and (ROOT / rel).read_text(encoding="utf-8").startswith("#"), "the first line is a comment"
    assert "渲染模板" in text and "templates/" in text, "names the template that renders it"
    assert "修改后运行" in text and "make validate" in text, "names the command to run after editing"


def test_slugs_match_file_names_and_index_numbers_are_unique():
    project, problems = load_project(ROOT)
    assert problems.errors == []
    for slug, dept in project.departments.items():
        assert Path(dept.path).stem == slug
    for plan in project.plans:
        assert Path(plan.path).stem == plan.slug and plan.path.split("/")[2] == plan.department.slug
    numbers = [p.index_no for p in project.plans]
    assert len(numbers) == len(set(numbers))


def test_vocabularies_have_unique_names_and_slugs():
    for name in ("categories", "topics", "validity"):
        entries = yaml.safe_load((ROOT / "data/vocab" / f"{name}.yml").read_text(encoding="utf-8"))
        for key in ("名称", "标识"):
            values = [str(e[key]) for e in entries]
            assert len(values) == len(set(values)), (name, key)


@pytest.mark.skipif(not STANDARDS.exists(), reason="../shared/reference not beside the repo")
def test_topics_follow_the_national_order_in_standards():
    line = next(l for l in STANDARDS.read_text(encoding="utf-8").splitlines() if l.startswith("22 top-level categories:"))
    listed = line.split(":", 1)[1].split(". Example")[0]
    expected = [t.strip() for t in listed.split(";")]
    entries = yaml.safe_load((ROOT / "data/vocab/topics.yml").read_text(encoding="utf-8"))
    assert [e["名称"] for e in entries] == expected
    children = next(e for e in entries if e["名称"] == "科技、教育")["子类"]
    assert [c["名称"] for c in children] == ["科技", "教育", "知识产权", "其他"]


def test_sample_plans_come_from_every_reference_text():
    project, _ = load_project(ROOT)
    titles = {p.title for p in project.plans}
    assert "广德市科技局2024年工作计划" in titles
    assert "市科学技术局2024年度工作计划" in titles
    assert sum(1 for p in project.plans if p.title == "市科学技术局2024年工作计划") == 2
    points = next(p for p in project.plans if p.id == "skjj/2021/keji-gongzuo-yaodian")
    assert len(re.findall(r"^## [一二三四五六七八]、", points.body, re.M)) == 8
    assert len(re.findall(r"^(\d+)\.", points.body, re.M)) == 23
    assert "免责声明" not in points.body and "bsmz" not in points.body
