"""最后更新 and 修订记录 from git (issue 6): a temp repo with dated commits, renames, shallow clones."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest_editors import copy_repo, git
from gongkai.data import history
from gongkai.engine.build import build_site

PLAN = "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, env={"GIT_AUTHOR_DATE": f"{date}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{date}T10:00:00+08:00"})


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("hist") / "repo")
    git(root, "init", "-q", "-b", "main")
    commit(root, "发布2021年科技工作要点和2024年计划", "2021-02-23")
    edit(root, PLAN, "力争全年60个以上", "力争全年70个以上")
    commit(root, "更正第1条的科技项目数", "2021-03-05")
    edit(root, "data/plans/skjj/2024/niandu-gongzuo-jihua.yml", "2024年,", "2024年，")
    commit(root, "统一标点", "2024-03-01")
    git(root, "mv", "data/plans/gdkjj/2024/gongzuo-jihua.yml", "data/plans/gdkjj/2024/gongzuo-jihua-2024.yml")
    git(root, "mv", "data/plans/gdkjj/2024/gongzuo-jihua", "data/plans/gdkjj/2024/gongzuo-jihua-2024")  # its 附件 move with it
    commit(root, "文件改名", "2024-04-01")
    edit(root, "data/plans/gdkjj/2024/gongzuo-jihua-2024.yml", "(五)充分发挥", "(五)进一步发挥")
    commit(root, "修改第五部分", "2024-05-01")
    return root


def test_changes_per_file_newest_first(repo):
    h = history.collect(repo, [PLAN, "data/plans/gdkjj/2024/gongzuo-jihua-2024.yml", "data/plans/skjj/2024/gongzuo-jihua-ba-xiang.yml"])
    assert h.available and not h.shallow
    changes, complete = h.of(PLAN)
    assert [(c.date, c.subject) for c in changes] == [("2021-03-05", "更正第1条的科技项目数"), ("2021-02-23", "发布2021年科技工作要点和2024年计划")]
    assert complete
    renamed, complete = h.of("data/plans/gdkjj/2024/gongzuo-jihua-2024.yml")
    assert [c.subject for c in renamed] == ["修改第五部分", "文件改名", "发布2021年科技工作要点和2024年计划"]  # follows the rename
    assert complete
    params = history.page_params(h, PLAN)
    assert params == {"updated": "2021-03-05", "changes": [
        {"date": "2021-03-05", "text": "更正第1条的科技项目数"}, {"date": "2021-02-23", "text": "发布2021年科技工作要点和2024年计划"}]}


def test_one_git_log_for_all_files(repo, monkeypatch):
    calls = []
    real = subprocess.run

    def counting(cmd, *a, **k):
        calls.append(cmd)
        return real(cmd, *a, **k)

    monkeypatch.setattr(subprocess, "run", counting)
    history._cache.clear()
    paths = [f"data/plans/skjj/2021/plan-{i}.yml" for i in range(3000)] + [PLAN]
    h = history.collect(repo, paths)
    assert len([c for c in calls if "log" in c]) == 1 and len(calls) <= 4
    assert h.of(PLAN)[0]


def test_shallow_clone_marks_history_incomplete(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True)
    h = history.collect(clone, [PLAN, "data/plans/gdkjj/2024/gongzuo-jihua-2024.yml"])
    assert h.shallow and "fetch-depth: 0" in h.reason
    assert h.of(PLAN) == ([], False)  # only touched by commits older than the clone
    changes, complete = h.of("data/plans/gdkjj/2024/gongzuo-jihua-2024.yml")
    assert [c.subject for c in changes] == ["修改第五部分"] and not complete  # the boundary commit is not a change
    params = history.page_params(h, "data/plans/gdkjj/2024/gongzuo-jihua-2024.yml")
    assert params["note"] == "更早的修订记录未包含在本次生成中。"
    assert history.page_params(h, PLAN) is None


def test_no_git_degrades_clearly(tmp_path):
    root = copy_repo(tmp_path / "plain")
    h = history.collect(root, [PLAN])
    assert not h.available and "git" in h.reason
    assert history.page_params(h, PLAN) is None


def test_plan_page_shows_history_deterministically(repo, tmp_path):
    for out in ("a", "b"):
        assert build_site(repo, tmp_path / out, quiet=True) == 0
    page = (tmp_path / "a/xxgk/skjj/2021/keji-gongzuo-yaodian/index.html").read_text(encoding="utf-8")
    assert '最后更新：<time datetime="2021-03-05">2021-03-05</time>' in page
    assert "更正第1条的科技项目数" in page and page.index("更正第1条") < page.index("发布2021年科技工作要点")
    assert page == (tmp_path / "b/xxgk/skjj/2021/keji-gongzuo-yaodian/index.html").read_text(encoding="utf-8")
    renamed = (tmp_path / "a/xxgk/gdkjj/2024/gongzuo-jihua-2024/index.html").read_text(encoding="utf-8")
    assert "文件改名" in renamed and "修改第五部分" in renamed


def test_build_without_git_has_no_history_section(tmp_path, capsys):
    root = copy_repo(tmp_path / "plain")
    assert build_site(root, tmp_path / "site", quiet=True) == 0
    assert "修订记录" in capsys.readouterr().err  # the build says why
    page = (tmp_path / "site/xxgk/skjj/2021/keji-gongzuo-yaodian/index.html").read_text(encoding="utf-8")
    assert "gk-history" not in page


def test_revision_history_component_examples():
    import yaml

    from conftest_editors import REPO, html_text
    from gongkai.pages.components import component, make_env

    macro = component(make_env(REPO / "templates"), "revision_history")
    spec = yaml.safe_load((REPO / "templates/components/revision_history/revision_history.yml").read_text(encoding="utf-8"))
    for example in spec["examples"]:
        text = html_text(str(macro(example["params"])))
        assert f"最后更新：{example['params']['updated']}" in text
        for change in example["params"]["changes"]:
            assert change["text"] in text
    assert "&lt;b&gt;" in str(macro({"changes": [{"date": "2024-01-01", "text": "<b>x</b>"}]}))
