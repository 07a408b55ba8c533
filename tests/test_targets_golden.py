"""Golden HTML for the targets components (every example in their .yml) and for the generated
主要目标 table, 目标任务 overview and indicator chart of the sample site.

Regenerate after an intended change with `GONGKAI_UPDATE_GOLDEN=1 pytest tests/test_targets_golden.py`
(or `make golden`, which passes --update-golden), then review the diff of tests/golden/targets/.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from conftest_targets import REPO, built_sample_site
from gongkai.pages.components import component, make_env

GOLDEN = Path(__file__).parent / "golden" / "targets"
COMPONENTS = ["progress_bar", "targets_table", "target_chart"]


def _update(request) -> bool:
    try:
        flag = request.config.getoption("--update-golden")
    except ValueError:
        flag = False
    return bool(flag) or os.environ.get("GONGKAI_UPDATE_GOLDEN") == "1"


def normalise(html: str) -> str:
    html = re.sub(r">\s+<", ">\n<", html.strip())
    return "\n".join(line.strip() for line in html.splitlines() if line.strip()) + "\n"


def check(request, name: str, html: str) -> None:
    path = GOLDEN / f"{name}.html"
    got = normalise(html)
    if _update(request) or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8")
        if not _update(request):
            pytest.fail(f"已生成新的 golden 文件 {path.relative_to(REPO)},请检查后提交")
    assert got == path.read_text(encoding="utf-8"), f"{name} 与 golden 不同;确认改动无误后用 GONGKAI_UPDATE_GOLDEN=1 重新生成"


EXAMPLES = [(name, ex["name"], ex["params"]) for name in COMPONENTS
            for ex in yaml.safe_load((REPO / "templates" / "components" / name / f"{name}.yml").read_text(encoding="utf-8"))["examples"]]


@pytest.mark.parametrize("name,example,params", EXAMPLES, ids=[f"{n}-{e}" for n, e, _ in EXAMPLES])
def test_component_example(request, name, example, params):
    html = str(component(make_env(REPO / "templates"), name)(params))
    assert "<script" not in html  # text params are escaped
    check(request, f"{name}-{example}", html)


def _section(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i:html.index(end, i) + len(end)]


def test_plan_page_targets_table(request):
    html = (built_sample_site() / "xxgk/gdkjj/2024/gongzuo-jihua/index.html").read_text(encoding="utf-8")
    check(request, "page-plan-targets", _section(html, '<section class="gk-targets"', "</section>"))


def test_summary_page_closed_targets(request):
    html = (built_sample_site() / "xxgk/skjj/2021/keji-gongzuo-zongjie/index.html").read_text(encoding="utf-8")
    check(request, "page-summary-closed", _section(html, '<section class="gk-targets" aria-labelledby="gk-targets-closed"', "</section>"))


def test_year_overview(request):
    html = (built_sample_site() / "mbrw/2024/index.html").read_text(encoding="utf-8")
    check(request, "page-overview-2024", _section(html, '<nav class="gk-breadcrumb"', "下载全部目标数据（CSV、JSON）</a></p>"))


def test_indicator_page(request):
    html = (built_sample_site() / "mbrw/zb/gaoqi-xinrending/index.html").read_text(encoding="utf-8")
    check(request, "page-indicator-gaoqi-xinrending", _section(html, "<h1>", "</table></div>"))
