"""修订记录 written by the department (issue 22): a plan's 修订说明, never git commit messages."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest_editors import copy_repo, git, html_text
from gongkai.data import history
from gongkai.data.loader import load_project
from gongkai.engine.build import build_site

PLAN = "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"  # carries one 修订说明 in the sample
PLAN_PAGE = "xxgk/skjj/2021/keji-gongzuo-yaodian/index.html"
OTHER = "data/plans/gdkjj/2024/gongzuo-jihua.yml"  # has none
OTHER_PAGE = "xxgk/gdkjj/2024/gongzuo-jihua/index.html"


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, env={"GIT_AUTHOR_DATE": f"{date}T10:00:00+08:00",
                                             "GIT_COMMITTER_DATE": f"{date}T10:00:00+08:00"})


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """A real git repository whose commits say things no citizen should read on a page."""
    root = copy_repo(tmp_path_factory.mktemp("hist") / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Foundation skeleton: one schema and loader", "2024-01-10")
    edit(root, OTHER, "(五)充分发挥", "(五)进一步发挥")
    commit(root, "Targets: full-width punctuation in Chinese messages", "2024-05-01")
    (root / "README-dev.md").write_text("notes\n", encoding="utf-8")
    commit(root, "refactor build code, touch nothing public", "2024-06-01")
    (root / "scripts" / "dev_only.py").write_text('"""A developer\'s helper."""\n', encoding="utf-8")
    commit(root, "Scripts: add a code-only helper for the build", "2024-06-17")  # code only, an English message
    edit(root, PLAN, "    说明: 更正第1条中列入上级科技计划项目数的表述。\n",
         "    说明: 更正第1条中列入上级科技计划项目数的表述。\n  - 日期: 2021-06-30\n    说明: 补充第10条的引进企业数量。\n")
    commit(root, "fix typo", "2024-07-01")
    return root


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hist-site") / "site"
    assert build_site(repo, out, quiet=True) == 0
    return out


def test_the_page_shows_what_the_department_wrote_newest_first(site):
    page = (site / PLAN_PAGE).read_text(encoding="utf-8")
    assert '最后更新：<time datetime="2021-06-30">2021-06-30</time>' in page
    text = html_text(page[page.index('class="gk-history'):])
    assert text.index("补充第10条的引进企业数量") < text.index("更正第1条") < text.index("首次发布")
    assert "2021-02-23" in text  # the first publication is the plan's 发布日期


def test_no_commit_message_or_commit_date_reaches_any_page(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for words in ("Foundation skeleton", "full-width punctuation", "refactor build code", "fix typo", "code-only helper",
                      "2024-07-01", "2024-06-17", "2024-06-01"):  # nor the dates of those commits
            assert words not in html, (page, words)
    # a plan changed by a commit but without 修订说明 shows no 修订记录 at all
    assert "gk-history" not in (site / OTHER_PAGE).read_text(encoding="utf-8")


def test_the_same_data_gives_the_same_page_with_or_without_git(site, tmp_path):
    plain = copy_repo(tmp_path / "plain")  # not a git repository
    edit(plain, PLAN, "    说明: 更正第1条中列入上级科技计划项目数的表述。\n",
         "    说明: 更正第1条中列入上级科技计划项目数的表述。\n  - 日期: 2021-06-30\n    说明: 补充第10条的引进企业数量。\n")
    assert build_site(plain, tmp_path / "site", quiet=True) == 0
    ours = (tmp_path / "site" / PLAN_PAGE).read_text(encoding="utf-8")
    theirs = (site / PLAN_PAGE).read_text(encoding="utf-8")
    cut = lambda html: html[html.index('class="gk-history'):html.index("</section>", html.index('class="gk-history'))]  # noqa: E731
    assert cut(ours) == cut(theirs)


@pytest.mark.parametrize("entries, field, message", [
    ("  - 日期: 2021/3/5\n    说明: 更正。", "修订说明.第2项.日期", "2021/3/5"),
    ("  - 日期: ２０２１-０３-０５\n    说明: 更正。", "修订说明.第2项.日期", "请写成 2021-03-05"),
    ("  - 日期: 2021-02-01\n    说明: 发布前的修改。", "修订说明.第2项.日期", "早于发布日期 2021-02-23"),
    ("  - 日期: 2021-03-05\n    说明: ''", "修订说明.第2项.说明", "不能为空"),
    ("  - 说明: 没有日期。", "修订说明.第2项", "缺少这个必填字段"),
    ("  - 日期: 2021-03-05\n    说明: 更正。\n    作者: 张三", "作者", "不认识这个字段"),
    ("  - 日期: 2021-03-05\n    说明: " + "长" * 201, "修订说明.第2项.说明", "太长（201字，上限200字）"),
])
def test_bad_revision_notes_are_reported_at_their_line(project, entries, field, message):
    edit(project, PLAN, "    说明: 更正第1条中列入上级科技计划项目数的表述。\n",
         "    说明: 更正第1条中列入上级科技计划项目数的表述。\n" + entries + "\n")
    loaded, problems = load_project(project)
    assert loaded is None
    lines = [str(p) for p in problems.errors]
    assert any(line.startswith(PLAN + ":") and field in line and message in line for line in lines), lines


def test_page_params_keep_the_list_short_and_end_with_the_publication():
    import datetime as dt

    revisions = [history.Revision(dt.date(2024, 1, 1) + dt.timedelta(days=i), f"第{i}次修订。") for i in range(30)]
    params = history.page_params(sorted(revisions, key=lambda r: r.date, reverse=True), dt.date(2023, 12, 1))
    assert len(params["changes"]) == history.MAX_SHOWN and params["changes"][-1] == {"date": "2023-12-01", "text": "首次发布。"}
    assert params["updated"] == "2024-01-30" and params["changes"][0]["text"] == "第29次修订。"
    assert "共修订 30 次" in params["note"]
    assert history.page_params([], dt.date(2023, 12, 1)) is None


def test_revision_history_component_examples():
    import yaml

    from conftest_editors import REPO
    from gongkai.pages.components import component, make_env

    macro = component(make_env(REPO / "templates"), "revision_history")
    spec = yaml.safe_load((REPO / "templates/components/revision_history/revision_history.yml").read_text(encoding="utf-8"))
    for example in spec["examples"]:
        text = html_text(str(macro(example["params"])))
        assert f"最后更新：{example['params']['updated']}" in text
        for change in example["params"]["changes"]:
            assert change["text"] in text
    assert "&lt;b&gt;" in str(macro({"changes": [{"date": "2024-01-01", "text": "<b>x</b>"}]}))
