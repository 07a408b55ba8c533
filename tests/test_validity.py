"""有效性 and withdrawal (issue 6): 已修订 / 已废止 / 已失效 with date and replacement, on the page and in catalogues."""
from __future__ import annotations

import pytest

from conftest_editors import html_text, project_copy  # noqa: F401
from gongkai.engine.build import build_site
from gongkai.data.loader import load_project
from gongkai.pages.components import component, make_env

OLD = "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"


def mark(root, extra: str, rel: str = OLD) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("发布时间:", extra + "\n发布时间:", 1), encoding="utf-8")


def test_withdrawn_plan_keeps_its_url_and_says_so(project_copy, tmp_path):
    root = project_copy
    mark(root, "有效性: 已废止\n失效日期: 2024-02-20\n替代文件: skjj/2024/niandu-gongzuo-jihua\n失效说明: 被2024年度工作计划代替。")
    project, problems = load_project(root)
    assert project is not None, problems.report()
    plan = next(p for p in project.plans if p.path == OLD)
    assert plan.withdrawn_on.isoformat() == "2024-02-20" and plan.replaced_by.plan_id == "skjj/2024/niandu-gongzuo-jihua"
    assert build_site(root, tmp_path / "site", quiet=True) == 0
    page = (tmp_path / "site/xxgk/skjj/2021/keji-gongzuo-yaodian/index.html").read_text(encoding="utf-8")
    notice = page[page.index('<div class="gk-validity'):page.index('<h1 class="gk-plan__title"')]
    assert 'role="note"' in notice and "gk-validity--expired" in notice
    text = html_text(notice)
    assert "本文件已废止" in text and "（自2024-02-20起不再有效）" in text and "被2024年度工作计划代替。" in text
    assert '替代文件：<a href="../../2024/niandu-gongzuo-jihua/">市科学技术局2024年度工作计划</a>' in notice
    meta = page[page.index('<section class="gk-meta"'):page.index("</section>", page.index('<section class="gk-meta"'))]
    assert "有效性" in meta and "已废止" in meta and "2024-02-20" in meta
    catalogue = (tmp_path / "site/xxgk/skjj/index.html").read_text(encoding="utf-8")
    row = catalogue[catalogue.index("市科学技术局2021年全市科技工作要点"):][:300]
    assert "【已废止】" in row
    for listing in ("xxgk/nd/2021/index.html", "xxgk/index.html"):
        assert "【已废止】" in (tmp_path / "site" / listing).read_text(encoding="utf-8")


def test_revised_plan_links_to_an_external_replacement(project_copy, tmp_path):
    root = project_copy
    mark(root, "有效性: 已修订\n失效日期: 2021-06-01\n替代文件: https://www.example.gov.cn/xxgk/2021/xd.html")
    assert build_site(root, tmp_path / "site", quiet=True) == 0
    page = (tmp_path / "site/xxgk/skjj/2021/keji-gongzuo-yaodian/index.html").read_text(encoding="utf-8")
    assert "本文件已修订" in page and "以修订后的文件为准" in page and "gk-validity--expired" not in page
    assert '修订后的文件：<a href="https://www.example.gov.cn/xxgk/2021/xd.html" rel="noopener noreferrer">' in page


@pytest.mark.parametrize("extra,field,message", [
    ("失效日期: 2024-01-01", "失效日期", "有效性为“有效”时不应填写失效日期"),
    ("有效性: 已废止\n失效日期: 2024-02-30", "失效日期", "不存在"),
    ("有效性: 已废止\n失效日期: 2020-01-01", "失效日期", "早于发布日期"),
    ("有效性: 已废止\n失效日期: 2024-01-01\n替代文件: skjj/2024/no-such-plan", "替代文件", "找不到站内文件“skjj/2024/no-such-plan”"),
    ("有效性: 已废止\n失效日期: 2024-01-01\n替代文件: skjj/2021/keji-gongzuo-yaodian", "替代文件", "替代文件不能是本文件自己"),
    ("有效性: 已废止\n失效日期: 2024-01-01\n替代文件: https://bad url", "替代文件", "不是完整的网址"),
    ("有效性: 作废", "有效性", "不是可选的"),
])
def test_bad_validity_fields(project_copy, extra, field, message):
    mark(project_copy, extra)
    project, problems = load_project(project_copy)
    assert project is None
    mine = [p for p in problems.errors if p.path == OLD]
    assert any(p.field == field and message in p.message for p in mine), problems.report()
    assert all(p.line > 0 for p in mine)


@pytest.mark.parametrize("extra,message", [
    ("有效性: 已失效", "没有填写失效日期"),
    ("有效性: 已修订\n失效日期: 2024-01-01", "没有填写修订后的文件"),
])
def test_missing_details_are_reminders(project_copy, extra, message):
    mark(project_copy, extra)
    project, problems = load_project(project_copy)
    assert project is not None
    assert any(message in p.message for p in problems.warnings)


def test_validity_notice_component_examples():
    import yaml

    from conftest_editors import REPO

    env = make_env(REPO / "templates")
    macro = component(env, "validity_notice")
    spec = yaml.safe_load((REPO / "templates/components/validity_notice/validity_notice.yml").read_text(encoding="utf-8"))
    for example in spec["examples"]:
        html = str(macro(example["params"]))
        assert f"本文件{example['params']['status']}" in html_text(html)
    html = str(macro({"status": "已废止", "expired": True, "note": "<script>x</script>"}))
    assert "<script>" not in html and "&lt;script&gt;" in html
