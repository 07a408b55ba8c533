"""Shared helpers for the targets (指标) tests: a small project in a temporary folder, and the
sample site built once per test session. Imported by tests/test_targets*.py and test_opendata.py."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from conftest import ROOT as REPO

BODY = """\
（一）确保实现高新技术企业达200家。

（二）力争研发投入年增长10%以上。
{#yanfa}

二是推进创新型城市建设。

## 三、工作保障

1.加强统计。

2.加强督查。
"""


def plan_text(targets_yaml: str = "", *, extra: str = "", created: str = "2024-03-01", body: str = BODY) -> str:
    """A valid plan file; ``targets_yaml`` is appended verbatim (it starts with “指标:” or is empty)."""
    head = textwrap.dedent(f"""\
        名称: 测试计划
        组配分类: 规划计划
        主题分类: 其他
        生成日期: {created}
        发布日期: {created}
        {extra}正文: |
        """)
    return head + textwrap.indent(body, "  ") + textwrap.dedent(targets_yaml)


def make_project(root: Path, plans: dict[str, str], *, vocab: bool = True) -> Path:
    """Copy the sample site's settings, vocabularies and departments; write ``plans`` ({path: text})."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "data" / "site.yml", root / "data" / "site.yml")
    shutil.copytree(REPO / "data" / "departments", root / "data" / "departments")
    shutil.copytree(REPO / "data" / "vocab", root / "data" / "vocab")
    if not vocab:
        for name in ("units.yml", "indicators.yml"):
            (root / "data" / "vocab" / name).unlink()
    for rel, text in plans.items():
        path = root / "data" / "plans" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
