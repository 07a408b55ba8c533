"""The preview's fast path in process (``gongkai.pages.incremental``, ``gongkai.data.loader.reload_plan``): after an
edit, every page (its set and its HTML) and every open-data file is what a fresh full build of the edited data
gives. A declined edit (``None``: the whole site is built again, which is right by construction) fails here only
where the test says the fast path must take it. The pagination cases run with small page sizes
(``urls.TARGET_ROWS``, ``urls.COMPILATION_PLANS`` are read when the pages are made)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.data import urls
from gongkai.data.loader import load_project, reload_plan
from gongkai.pages import incremental, opendata
from gongkai.pages.components import make_env
from gongkai.pages.generate import generate_jobs

PLAN = "data/plans/skjj/2024/niandu-gongzuo-jihua.yml"
SUMMARY = "data/plans/skjj/2021/keji-gongzuo-zongjie.yml"  # closes the targets of CLOSED
CLOSED = "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"
DATA = (urls.TARGETS_JSON, urls.TARGETS_CSV, urls.PLANS_JSON)


def _full(root: Path, env):
    project, problems = load_project(root, drafts=True)
    assert project is not None, problems.report()
    jobs = generate_jobs(project, env)
    return project, jobs, {j.key: j.make().html for j in jobs}


class Preview:
    """The preview's state after a full build of ``root`` (pages kept as {url: html}, open data in ``site``)."""

    def __init__(self, root: Path, site: Path):
        self.root, self.site, self.env = root, site, make_env(root / "templates")
        self.build()

    def build(self) -> None:
        """The whole site, as the preview builds it when the fast path declines an edit."""
        root, site = self.root, self.site
        project, jobs, self.pages = _full(root, self.env)
        self.state = incremental.Generated(project, {j.key: j.sig for j in jobs}, [], None)
        for rel, data in opendata.open_data_files(project, self.pages, sitemap=False).items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_bytes(data)

    def edit(self, rel: str, old: str, new: str) -> bool:
        """Save the edit; True when the fast path took it (its pages applied), False when it declined it (then the
        whole site is built again)."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        project, plan, touched, _ = reload_plan(self.state.project, path, self.state.closings())  # as the adapter
        before = project and next(p for p in self.state.project.plans if p.path == plan.path)
        pages = project and incremental.update(self.state, project, plan, before, touched, self.env, self.site)
        if pages is None:
            self.build()
            return False
        self.pages.update({p.url: p.html for p in pages})
        self.rendered = [p.url for p in pages]
        return True

    def assert_as_built(self) -> None:
        """Every page and open-data file equals a fresh full build's (the set of pages too)."""
        project, _, pages = _full(self.root, self.env)
        assert sorted(self.pages) == sorted(pages)
        assert [u for u in pages if self.pages[u] != pages[u]] == []
        fresh = opendata.open_data_files(project, pages, sitemap=False)
        stale = [rel for rel in (*DATA, *(urls.plan_json_url(p) for p in project.plans))
                 if (self.site / rel).read_bytes() != fresh[rel]]
        assert stale == []


@pytest.fixture
def preview(project, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    return Preview(project, site)


def _remove_targets(text: str) -> str:
    """The plan's 指标 section cut off (the file's last field in the sample)."""
    head, _, tail = text.partition("\n指标:\n")
    assert tail and all(line[:1] in (" ", "#") for line in tail.splitlines() if line)
    return head + "\n"


# --- 1. a paginated list that shrinks below a page boundary --------------------------------------------------


def test_removed_targets_drop_the_surplus_target_and_indicator_pages(preview, monkeypatch):
    monkeypatch.setattr(urls, "TARGET_ROWS", 2)
    p = Preview(preview.root, preview.site)  # built with 2 rows a page
    assert "mbrw/2024/skjj/2/" in p.pages
    text = (p.root / PLAN).read_text(encoding="utf-8")
    p.edit(PLAN, text, _remove_targets(text))
    p.assert_as_built()


def test_a_shorter_target_list_keeps_the_pager_of_the_pages_left_right(preview, monkeypatch):
    monkeypatch.setattr(urls, "TARGET_ROWS", 2)
    p = Preview(preview.root, preview.site)
    text = (p.root / PLAN).read_text(encoding="utf-8")
    head, _, tail = text.partition("\n指标:\n")
    items = tail.split("\n  - ")
    assert len(items) >= 3, "the sample plan needs 3 targets"
    p.edit(PLAN, text, head + "\n指标:\n" + "\n  - ".join(items[:-1]) + "\n")
    p.assert_as_built()
    # a new target value on the fast path: every page of the department's year and of the indicator again
    assert p.edit(PLAN, "    目标值: 80\n", "    目标值: 95\n")
    p.assert_as_built()


def test_a_compilation_in_parts_is_right_after_an_edit_of_one_of_its_plans(preview, monkeypatch):
    # A 汇编 shrinks only when a plan file goes or moves to another department or year, which the fast path
    # never takes (gongkai.engine.server: a removed file, or two paths). A new title shows in every part's 目录,
    # a new body in its own part.
    monkeypatch.setattr(urls, "COMPILATION_PLANS", 1)
    p = Preview(preview.root, preview.site)
    assert "xxgk/hb/skjj/2024/3/" in p.pages
    assert p.edit(PLAN, "名称: 市科学技术局2024年度工作计划", "名称: 市科学技术局2024年度星火燎原计划")
    p.assert_as_built()
    assert p.edit(PLAN, "全力打造成为全省一流的创新驱动发展示范区", "全力打造成为全省领先的创新驱动发展示范区")
    p.assert_as_built()


# --- 2. and 3. a 工作总结's 目标完成情况: the fast path sets the closings again (data.targets.close_again) ------------


def test_a_summary_that_loses_its_closings_leaves_no_closed_status(preview):
    closed = urls.plan_url("skjj", 2021, "keji-gongzuo-yaodian")
    assert "，最终结果）" in preview.pages[closed] and "gk-targets__final" in preview.pages[closed]
    text = (preview.root / SUMMARY).read_text(encoding="utf-8")
    head, _, _ = text.partition("\n目标完成情况:\n")
    assert preview.edit(SUMMARY, text, head + "\n")
    preview.assert_as_built()  # the closed plan's page, 目标任务 and 指标 pages, targets.json/.csv, both plans' JSON
    assert "，最终结果）" not in preview.pages[closed] and "gk-targets__final" not in preview.pages[closed]
    assert "gk-targets__final" not in preview.pages["mbrw/2021/skjj/"]


def test_a_summary_that_drops_one_closing_reopens_that_target_everywhere(preview):
    closing = "  - 计划: skjj/2021/keji-gongzuo-yaodian\n    编号: yinjin-qiye\n    数值: 87\n    日期: 2021-12-31\n" \
              "    说明: 未完成，下一年加强招商对接\n"
    assert preview.edit(SUMMARY, closing, "")
    preview.assert_as_built()
    assert preview.edit(SUMMARY, "  - 计划: skjj/2021/keji-gongzuo-yaodian\n    编号: chengguo-zhuanhua\n",
                        closing + "  - 计划: skjj/2021/keji-gongzuo-yaodian\n    编号: chengguo-zhuanhua\n")
    preview.assert_as_built()


def test_a_changed_closing_value_or_summary_title_is_shown_on_the_closed_plans_pages(preview):
    assert preview.edit(SUMMARY, "    编号: yinjin-qiye\n    数值: 87\n", "    编号: yinjin-qiye\n    数值: 120\n")
    preview.assert_as_built()
    assert preview.edit(SUMMARY, "名称: 市科学技术局2021年科技工作总结", "名称: 市科学技术局2021年度科技工作总结")
    preview.assert_as_built()
    assert "市科学技术局2021年度科技工作总结" in preview.pages["mbrw/2021/skjj/"]
    # a body edit of the summary changes no final result: only its page and its 汇编 part are signed and rendered
    assert preview.edit(SUMMARY, "各项工作取得新进展", "各项工作取得明显进展")
    assert sorted(preview.rendered) == sorted([urls.plan_url("skjj", 2021, "keji-gongzuo-zongjie"), "xxgk/hb/skjj/2021/"])
    preview.assert_as_built()


def test_a_closing_with_a_problem_goes_to_the_whole_build_and_changes_nothing(preview):
    state = preview.state
    before = {t.uid: t.closing for ts in state.closings().values() for t in ts}
    path = preview.root / SUMMARY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    编号: yinjin-qiye\n", "    编号: yinjin-qiy\n", 1), encoding="utf-8")
    project, _, _, problems = reload_plan(state.project, path, state.closings())
    assert project is None and "yinjin-qiye" in problems.report()
    assert {t.uid: t.closing for p in state.project.plans for t in p.targets if t.closing is not None} == before


# --- the served preview: a page that a full build no longer makes is gone ------------------------------------


def test_the_served_preview_drops_the_pages_an_edit_removes(tmp_path):
    """The fast path declines an edit that removes pages; the preview's dirty build then empties the site folder
    (the list of pages changed: engine.adapter._skip_unchanged) so the surplus page is not served any more."""
    from conftest import ServeProcess, copy_project

    root = copy_project(tmp_path / "proj")
    url, indicator = urls.plan_url("skjj", 2024, "niandu-gongzuo-jihua"), "mbrw/zb/chuangxin-xiangmu/"  # its own
    s = ServeProcess(root, ready=indicator)
    try:
        assert 'id="gk-targets"' in s.get(url) and "chuangxin-xiangmu" in s.get("mbrw/")
        built = s.output().count("网站已生成")
        text = (root / PLAN).read_text(encoding="utf-8")
        (root / PLAN).write_text(_remove_targets(text), encoding="utf-8")
        s.wait_until(lambda: s.output().count("网站已生成") > built, 90, "no build after the edit")
        plan_page, index = s.get(url), s.get("mbrw/")
        assert plan_page and 'id="gk-targets"' not in plan_page and index and "chuangxin-xiangmu" not in index
        assert s.get(indicator) == "" and s.get("mbrw/zb/gaoqi-xinrending/")  # gone; another indicator's is there
    finally:
        s.stop()
