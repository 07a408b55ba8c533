"""Golden HTML for the generated 主要目标 table, 目标任务 overview and indicator chart of the sample
site (the targets components' own examples are checked with every other component, in test_components.py).

Regenerate after an intended change with `make golden`, then review the diff of tests/golden/targets/.
"""
from __future__ import annotations



def _section(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i:html.index(end, i) + len(end)]


def test_plan_page_targets_table(golden, sample_site):
    html = (sample_site / "xxgk/gdkjj/2024/gongzuo-jihua/index.html").read_text(encoding="utf-8")
    golden("targets/page-plan-targets.html", _section(html, '<section class="gk-targets"', "</section>"))


def test_summary_page_closed_targets(golden, sample_site):
    html = (sample_site / "xxgk/skjj/2021/keji-gongzuo-zongjie/index.html").read_text(encoding="utf-8")
    golden("targets/page-summary-closed.html", _section(html, '<section class="gk-targets" aria-labelledby="gk-targets-closed"', "</section>"))


def test_year_overview(golden, sample_site):
    html = (sample_site / "mbrw/2024/index.html").read_text(encoding="utf-8")
    golden("targets/page-overview-2024.html", _section(html, '<nav class="gk-breadcrumb"', "下载全部目标数据（CSV、JSON）</a></p>"))


def test_year_department_page(golden, sample_site):
    html = (sample_site / "mbrw/2024/skjj/index.html").read_text(encoding="utf-8")
    golden("targets/page-year-dept-2024-skjj.html", _section(html, '<nav class="gk-breadcrumb"', "下载全部目标数据（CSV、JSON）</a></p>"))


def test_indicator_page(golden, sample_site):
    html = (sample_site / "mbrw/zb/gaoqi-xinrending/index.html").read_text(encoding="utf-8")
    golden("targets/page-indicator-gaoqi-xinrending.html", _section(html, "<h1>", "</table></div>"))
