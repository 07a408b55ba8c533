"""索引号 assigned after the merge, in real git repositories (issue 16, part 4).

A bare "origin" on disk, editors' clones that push branches and merge them, and a "CI" clone
in which the real ``scripts/assign_index_numbers.py`` runs as a subprocess (as CI runs it).
Concurrent pushes are made by a second clone from a git hook of the CI clone, in the window
between the script's fetch and its push.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from gongkai.data.yamlio import parse_text
from gongkai.editors.numbering import BOT_NAME


SCRIPT = ROOT / "scripts" / "assign_index_numbers.py"
GD = "1134172300325409XR"  # gdkjj's 统一社会信用代码: the prefix of its numbers
CLEAN_ENV = ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_PREFIX", "GIT_EDITOR")


class Repos:
    """origin.git and its clones under one tmp folder; every git call uses the test's own config."""

    def __init__(self, base: Path):
        self.base = base
        self.origin = base / "origin.git"
        editor_config = base / "editor.gitconfig"
        editor_config.write_text("[user]\n\tname = 编辑甲\n\temail = editor@example.invalid\n"
                                 "[init]\n\tdefaultBranch = main\n", encoding="utf-8")
        (base / "empty.gitconfig").write_text("", encoding="utf-8")
        self.env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
        self.env.update(GIT_CONFIG_GLOBAL=str(editor_config), GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
        self.git(base, "init", "--quiet", "--bare", str(self.origin))
        seed = base / "seed"
        seed.mkdir()
        shutil.copytree(ROOT / "data", seed / "data")
        shutil.copy2(ROOT / "mkdocs.yml", seed / "mkdocs.yml")
        self.git(seed, "init", "--quiet")
        self.git(seed, "add", "-A")
        self.git(seed, "commit", "--quiet", "-m", "示例数据")
        self.git(seed, "remote", "add", "origin", str(self.origin))
        self.git(seed, "push", "--quiet", "origin", "HEAD:refs/heads/main")

    def git(self, where: Path, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=where, env=self.env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"git {args}: {done.stderr}"
        return done.stdout

    def clone(self, name: str) -> Path:
        self.git(self.base, "clone", "--quiet", str(self.origin), name)
        return self.base / name

    def main_sha(self) -> str:
        return self.git(self.origin, "rev-parse", "refs/heads/main").strip()

    def show(self, path: str, ref: str = "main") -> str:
        return self.git(self.origin, "show", f"{ref}:{path}")

    def number(self, path: str, ref: str = "main") -> str | None:
        return parse_text(self.show(path, ref)).data.get("索引号")

    def assign(self, clone: Path, *args: str) -> subprocess.CompletedProcess:
        """The real script in the CI clone, with no git identity configured (as in CI)."""
        env = dict(self.env, GIT_CONFIG_GLOBAL=str(self.base / "empty.gitconfig"))
        return subprocess.run([sys.executable, str(SCRIPT), "--delay", "0", *args], cwd=clone, env=env,
                              capture_output=True, text=True, timeout=300)

    def validate(self, clone: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gongkai.cli", "validate", *args], cwd=clone, env=self.env,
                              capture_output=True, text=True, timeout=300)


def plan_text(title: str, published: str, body: str = "认真贯彻落实。") -> str:
    """A plan as the web editor writes it: no 索引号."""
    return (f"名称: {title}\n组配分类: 规划计划\n主题分类: 其他\n生成日期: {published}\n发布日期: {published}\n"
            f"正文: |\n  一、总体要求\n\n  {body}\n")


def commit_plan(repos: Repos, clone: Path, rel: str, text: str, message: str) -> None:
    path = clone / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    repos.git(clone, "add", rel)
    repos.git(clone, "commit", "--quiet", "-m", message)


def merge(repos: Repos, clone: Path, branch: str) -> None:
    """Merge a pushed branch into main the way a merge button does (a merge commit), and push main."""
    repos.git(clone, "fetch", "--quiet", "origin")
    repos.git(clone, "checkout", "--quiet", "-B", "main", "origin/main")
    repos.git(clone, "merge", "--quiet", "--no-ff", "-m", f"合并 {branch}", f"origin/{branch}")
    repos.git(clone, "push", "--quiet", "origin", "main")


A = "data/plans/gdkjj/2025/gongzuo-jihua.yml"
B = "data/plans/gdkjj/2025/keji-gongzuo-yaodian.yml"


@pytest.fixture
def repos(tmp_path) -> Repos:
    return Repos(tmp_path)


def branch_with_plan(repos: Repos, editor: Path, branch: str, rel: str, text: str, start: str = "origin/main") -> None:
    repos.git(editor, "fetch", "--quiet", "origin")
    repos.git(editor, "checkout", "--quiet", "-B", branch, start)
    commit_plan(repos, editor, rel, text, f"新增 {Path(rel).stem}")
    repos.git(editor, "push", "--quiet", "origin", branch)


def test_two_plans_on_two_branches_get_distinct_numbers_once_merged(repos):
    editor = repos.clone("editor")
    branch_with_plan(repos, editor, "cms/a", A, plan_text("广德市科技局2025年工作计划", "2025-03-03"))
    branch_with_plan(repos, editor, "cms/b", B, plan_text("广德市科技局2025年科技工作要点", "2025-03-10"))
    # Each merge request on its own is valid and previews the same temporary number: that is why
    # numbers are written only after the merge.
    for branch in ("cms/a", "cms/b"):
        repos.git(editor, "checkout", "--quiet", branch)
        checked = repos.validate(editor)
        assert checked.returncode == 0, checked.stderr
        assert "还没有写入索引号" in checked.stdout and f"{GD}/202503-00001" in checked.stdout
    merge(repos, editor, "cms/a")
    merge(repos, editor, "cms/b")
    before = repos.main_sha()

    ci = repos.clone("ci")
    done = repos.assign(ci)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已推送到 origin/main" in done.stdout and "Traceback" not in done.stdout + done.stderr
    assert repos.number(A) == f"{GD}/202503-00001" and repos.number(B) == f"{GD}/202503-00002"
    # one commit on top of the merges, by the bot, with a Chinese subject; [skip ci] only in the body
    log = repos.git(repos.origin, "log", "--format=%an%x1f%s%x1f%b%x1e", f"{before}..main").split("\x1e")[0]
    author, subject, body = log.strip().split("\x1f")
    assert author == BOT_NAME and subject == "自动编号：为 2 条新信息写入索引号"
    assert "[skip ci]" in body and "[skip ci]" not in subject and A in body and B in body
    assert repos.git(repos.origin, "rev-parse", "main~1").strip() == before
    # the line is inserted after 名称; the rest of the file is byte for byte what the editor wrote
    assert repos.show(A) == plan_text("广德市科技局2025年工作计划", "2025-03-03").replace(
        "\n", f"\n索引号: {GD}/202503-00001\n", 1)
    # the CI clone now holds the pushed commit: what the same job builds and publishes
    assert repos.git(ci, "rev-parse", "HEAD").strip() == repos.main_sha()
    # a clean checkout validates without any temporary number
    fresh = repos.clone("fresh")
    checked = repos.validate(fresh)
    assert checked.returncode == 0 and "还没有写入索引号" not in checked.stdout, checked.stdout
    # running again changes nothing
    again = repos.assign(ci)
    assert again.returncode == 0 and "无需编号" in again.stdout and repos.main_sha() == repos.git(ci, "rev-parse", "HEAD").strip()


def test_published_numbers_are_never_rewritten_by_later_merges(repos):
    editor = repos.clone("editor")
    forked = repos.main_sha()
    branch_with_plan(repos, editor, "cms/a", A, plan_text("广德市科技局2025年工作计划", "2025-03-20"))
    merge(repos, editor, "cms/a")
    ci = repos.clone("ci")
    assert repos.assign(ci).returncode == 0
    published = repos.number(A)
    assert published == f"{GD}/202503-00001"
    # A branch forked before the numbering adds a plan published EARLIER in the same month: it gets
    # the next serial; A's number stays (numbers follow merge order, not dates, once published).
    branch_with_plan(repos, editor, "cms/b", B, plan_text("广德市科技局2025年科技工作要点", "2025-03-02"), start=forked)
    merge(repos, editor, "cms/b")
    # and an edit of A made from a branch that never saw A's number merges cleanly and keeps it
    repos.git(editor, "checkout", "--quiet", "-B", "cms/a-edit", "origin/cms/a")
    text = (editor / A).read_text(encoding="utf-8").replace("认真贯彻落实。", "认真贯彻落实党的二十大精神。")
    commit_plan(repos, editor, A, text, "修改正文")
    repos.git(editor, "push", "--quiet", "origin", "cms/a-edit")
    merge(repos, editor, "cms/a-edit")
    assert repos.number(A) == published and "二十大" in repos.show(A)
    done = repos.assign(ci)
    assert done.returncode == 0, done.stdout + done.stderr
    assert repos.number(A) == published and repos.number(B) == f"{GD}/202503-00002"
    # every sample plan keeps the number it was published with
    for path in ("data/plans/skjj/2024/niandu-gongzuo-jihua.yml", "data/plans/gdkjj/2024/gongzuo-jihua.yml"):
        assert repos.number(path) == parse_text((ROOT / path).read_text(encoding="utf-8")).data["索引号"]


def test_a_deleted_published_number_stops_the_job_and_fails_the_merge_request(repos):
    editor = repos.clone("editor")
    branch_with_plan(repos, editor, "cms/a", A, plan_text("广德市科技局2025年工作计划", "2025-03-03"))
    merge(repos, editor, "cms/a")
    ci = repos.clone("ci")
    assert repos.assign(ci).returncode == 0
    published = repos.number(A)
    # a merge request that drops the 索引号 line (e.g. an editor who cleared the field)
    repos.git(editor, "fetch", "--quiet", "origin")
    repos.git(editor, "checkout", "--quiet", "-B", "cms/a-drop", "origin/main")
    text = (editor / A).read_text(encoding="utf-8")
    commit_plan(repos, editor, A, text.replace(f"索引号: {published}\n", ""), "修改计划")
    checked = repos.validate(editor, "--base", "origin/main", "--format", "github")
    assert checked.returncode == 1
    assert f"{A}:1: 索引号: 已发布的索引号 {published} 被删除了 — " in checked.stderr
    assert f"::error file={A},line=1,title=索引号::" in checked.stdout
    # a merge request that changes it
    changed = text.replace(published, f"{GD}/202503-00009")
    (editor / A).write_text(changed, encoding="utf-8")
    checked = repos.validate(editor, "--base", "origin/main")
    assert checked.returncode == 1 and f"{A}:2: 索引号: 已发布的索引号不能修改：原来是 {published}" in checked.stderr
    # merged anyway (no branch protection): the job refuses to hand out a new number
    (editor / A).write_text(text.replace(f"索引号: {published}\n", ""), encoding="utf-8")
    repos.git(editor, "push", "--quiet", "origin", "cms/a-drop")
    merge(repos, editor, "cms/a-drop")
    tip = repos.main_sha()
    done = repos.assign(ci)
    assert done.returncode == 1 and f"已发布的索引号 {published} 被删除了" in done.stdout, done.stdout
    assert repos.main_sha() == tip and repos.number(A) is None
    # restoring the line is the fix
    repos.git(editor, "checkout", "--quiet", "-B", "cms/a-restore", "origin/main")
    commit_plan(repos, editor, A, text, "恢复索引号")
    assert repos.validate(editor, "--base", "origin/main").returncode == 0
    repos.git(editor, "push", "--quiet", "origin", "cms/a-restore")
    merge(repos, editor, "cms/a-restore")
    done = repos.assign(ci)
    assert done.returncode == 0 and "无需编号" in done.stdout and repos.number(A) == published


def without_keys(text: str, keys: tuple[str, ...]) -> str:
    """``text`` (a plan file) without the top-level ``keys`` and their indented lines."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line[:1] not in (" ", "\n", "#", ""):
            skipping = line.split(":", 1)[0] in keys
        if not skipping:
            out.append(line)
    return "".join(out)


def test_a_copied_file_whose_duplicate_number_was_deleted_gets_a_new_one(repos):
    """Copying a plan copies its number; the duplicate is reported, the copy's number deleted, and
    the copy numbered: the number stays with the original, so that is not a rewrite."""
    editor = repos.clone("editor")
    original = "data/plans/gdkjj/2024/gongzuo-jihua.yml"
    copy = "data/plans/gdkjj/2024/gongzuo-jihua-fuben.yml"
    text = (editor / original).read_text(encoding="utf-8").replace("名称: 广德市科技局2024年工作计划", "名称: 广德市科技局2024年工作计划(副本)")
    text = without_keys(text, ("附件", "原网址"))  # a copy is a new plan: the original's files and old URLs stay with it
    repos.git(editor, "checkout", "--quiet", "-B", "cms/copy")
    commit_plan(repos, editor, copy, text, "复制计划")
    checked = repos.validate(editor)
    assert checked.returncode == 1 and "重复" in checked.stderr
    number = parse_text(text).data["索引号"]
    commit_plan(repos, editor, copy, text.replace(f"索引号: {number}\n", ""), "删除重复的索引号")
    repos.git(editor, "push", "--quiet", "origin", "cms/copy")
    merge(repos, editor, "cms/copy")
    done = repos.assign(repos.clone("ci"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert repos.number(original) == number and repos.number(copy) not in (None, number)


def install_hook(repos: Repos, ci: Path, name: str, other: Path, once: bool) -> Path:
    """A hook of the CI clone that makes ``other`` push a new plan to origin/main; returns its log."""
    log = repos.base / f"{name}.log"
    hook = ci / ".git" / "hooks" / name
    unset = " ".join(f"-u {v}" for v in CLEAN_ENV)
    guard = f'[ -e "{log}" ] && exit 0\n' if once else ""
    hook.write_text(f"""#!/bin/sh
{guard}n=$(( $(cat "{log}" 2>/dev/null | wc -l) + 1 ))
echo "push $n" >> "{log}"
cd "{other}" || exit 1
export GIT_CONFIG_GLOBAL="{repos.env['GIT_CONFIG_GLOBAL']}"
run() {{ env {unset} git "$@" >/dev/null 2>&1 || exit 1; }}
run pull --quiet --rebase origin main
mkdir -p data/plans/gdkjj/2025
cat > data/plans/gdkjj/2025/tongshi-$n.yml <<EOF
{plan_text("同时合并的计划$n", "2025-04-01").rstrip()}
EOF
run add -A
run commit --quiet -m "同时合并 $n"
run push --quiet origin HEAD:main
exit 0
""", encoding="utf-8")
    hook.chmod(0o755)
    return log


@pytest.mark.parametrize("hook", ["post-commit", "pre-push"])
def test_a_concurrent_push_between_fetch_and_push_is_retried_and_both_changes_survive(repos, hook):
    """post-commit: somebody pushes after the fetch (the remote rejects: fetch first);
    pre-push: somebody pushes after git has read the remote's refs, inside our push."""
    editor = repos.clone("editor")
    branch_with_plan(repos, editor, "cms/a", A, plan_text("广德市科技局2025年工作计划", "2025-03-03"))
    merge(repos, editor, "cms/a")
    ci = repos.clone("ci")
    log = install_hook(repos, ci, hook, repos.clone("other"), once=True)
    done = repos.assign(ci)
    assert done.returncode == 0, done.stdout + done.stderr
    assert log.read_text().splitlines() == ["push 1"]
    assert "推送被拒绝" in done.stdout and "第 1 次重试" in done.stdout and "已推送到 origin/main" in done.stdout
    concurrent = "data/plans/gdkjj/2025/tongshi-1.yml"
    # the other clone's commit is in main's history, and both plans are numbered, distinctly
    other_commit = repos.git(repos.origin, "log", "--format=%H", "--grep", "同时合并 1", "main").strip()
    assert other_commit and repos.git(repos.origin, "merge-base", "--is-ancestor", other_commit, "main") == ""
    assert repos.number(A) == f"{GD}/202503-00001" and repos.number(concurrent) == f"{GD}/202504-00001"
    assert "同时合并的计划1" in repos.show(concurrent)
    assert repos.git(repos.origin, "log", "-1", "--format=%s", "main").strip() == "自动编号：为 2 条新信息写入索引号"


def test_retries_are_bounded_and_lose_nothing(repos):
    editor = repos.clone("editor")
    branch_with_plan(repos, editor, "cms/a", A, plan_text("广德市科技局2025年工作计划", "2025-03-03"))
    merge(repos, editor, "cms/a")
    ci = repos.clone("ci")
    log = install_hook(repos, ci, "post-commit", repos.clone("other"), once=False)
    done = repos.assign(ci, "--retries", "2")
    assert done.returncode == 1 and "重试 2 次后仍未推送成功" in done.stdout, done.stdout
    assert len(log.read_text().splitlines()) == 3  # the first try and two retries
    subjects = repos.git(repos.origin, "log", "--format=%s", "main").splitlines()
    assert subjects[:3] == ["同时合并 3", "同时合并 2", "同时合并 1"] and not any("自动编号" in s for s in subjects)


def test_a_push_refused_by_the_server_is_not_retried(repos, tmp_path):
    editor = repos.clone("editor")
    branch_with_plan(repos, editor, "cms/a", A, plan_text("广德市科技局2025年工作计划", "2025-03-03"))
    merge(repos, editor, "cms/a")
    calls = tmp_path / "pre-receive.log"
    hook = repos.origin / "hooks" / "pre-receive"
    hook.write_text(f'#!/bin/sh\necho called >> "{calls}"\necho "GitLab: You are not allowed to push code to protected branches." >&2\nexit 1\n')
    hook.chmod(0o755)
    done = repos.assign(repos.clone("ci"))
    assert done.returncode == 1 and "推送失败，没有重试" in done.stdout and "protected branches" in done.stdout
    assert calls.read_text().splitlines() == ["called"]


def test_data_errors_stop_numbering_and_nothing_is_pushed(repos):
    editor = repos.clone("editor")
    bad = plan_text("广德市科技局2025年工作计划", "2025-03-03").replace("发布日期: 2025-03-03", "发布日期: 三月三日")
    branch_with_plan(repos, editor, "cms/a", A, bad)
    merge(repos, editor, "cms/a")
    tip = repos.main_sha()
    done = repos.assign(repos.clone("ci"))
    assert done.returncode == 1 and f"{A}:5: 发布日期:" in done.stdout and "没有编号" in done.stdout
    assert repos.main_sha() == tip


def test_uncommitted_data_is_never_touched(repos):
    ci = repos.clone("ci")
    path = ci / "data/plans/gdkjj/2024/gongzuo-jihua.yml"
    path.write_text(path.read_text(encoding="utf-8") + "# 还没提交的修改\n", encoding="utf-8")
    done = repos.assign(ci)
    assert done.returncode == 1 and "未提交的修改" in done.stdout
    assert path.read_text(encoding="utf-8").endswith("# 还没提交的修改\n")


def test_a_shallow_clone_is_deepened_first(repos):
    editor = repos.clone("editor")
    branch_with_plan(repos, editor, "cms/a", A, plan_text("广德市科技局2025年工作计划", "2025-03-03"))
    merge(repos, editor, "cms/a")
    repos.git(repos.base, "clone", "--quiet", "--depth", "1", f"file://{repos.origin}", "shallow")
    done = repos.assign(repos.base / "shallow")
    assert done.returncode == 0 and "浅克隆" in done.stdout and repos.number(A) == f"{GD}/202503-00001"


@pytest.mark.parametrize("empty", ["索引号:", '索引号: ""', "索引号: ''", "索引号: ~", "索引号: null"])
def test_an_empty_index_number_field_as_a_form_writes_it_is_filled_in(repos, empty):
    editor = repos.clone("editor")
    text = plan_text("广德市科技局2025年工作计划", "2025-03-03").replace("\n", f"\n{empty}\n", 1)
    branch_with_plan(repos, editor, "cms/a", A, text)
    merge(repos, editor, "cms/a")
    done = repos.assign(repos.clone("ci"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert repos.show(A) == text.replace(f"{empty}\n", f"索引号: {GD}/202503-00001\n")


@pytest.mark.parametrize("newline,quote", [("\n", ""), ("\r\n", "'"), ("\r\n", '"')])
def test_a_removed_number_is_recognised_in_any_spelling(repos, newline, quote):
    editor = repos.clone("editor")
    number = f"{GD}/202503-00007"
    text = plan_text("广德市科技局2025年工作计划", "2025-03-03").replace("\n", f"\n索引号: {quote}{number}{quote}\n", 1)
    commit_plan(repos, editor, A, text.replace("\n", newline), "新增,带索引号")
    commit_plan(repos, editor, A, text.replace(f"索引号: {quote}{number}{quote}\n", "").replace("\n", newline), "删掉索引号")
    repos.git(editor, "push", "--quiet", "origin", "HEAD:main")
    done = repos.assign(repos.clone("ci"))
    assert done.returncode == 1 and f"{A}:1: 索引号: 已发布的索引号 {number} 被删除了 — " in done.stdout, done.stdout


def test_a_new_plan_that_brings_its_own_number_is_warned_about(repos):
    """gongkai new reserves a number; two branches may reserve the same one. Not an error, a warning."""
    editor = repos.clone("editor")
    own = plan_text("广德市科技局2025年工作计划", "2025-03-03").replace("\n", f"\n索引号: {GD}/202503-00001\n", 1)
    branch_with_plan(repos, editor, "cms/a", A, own)
    checked = repos.validate(editor, "--base", "origin/main")
    assert checked.returncode == 0, checked.stderr
    assert (f"{A}:2: 索引号: 新信息自己填了索引号 {GD}/202503-00001：另一个合并请求可能用了同一个号，合并后会重复"
            " — 删除这一行，合并到主分支后自动编号（提醒，不影响生成）") in checked.stdout
    repos.git(editor, "checkout", "--quiet", "-B", "cms/b", "origin/main")
    commit_plan(repos, editor, B, plan_text("广德市科技局2025年科技工作要点", "2025-03-10"), "新增")
    checked = repos.validate(editor, "--base", "origin/main")
    assert checked.returncode == 0 and "自己填了索引号" not in checked.stdout
