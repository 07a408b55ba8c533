"""索引号 in a shared git repository: assigned once on the main branch, pushed, never rewritten.

Plans written in the web editor (or by hand) carry no 索引号. Merge requests are accepted without
one (the preview shows a temporary number); after the merge, CI runs
``scripts/assign_index_numbers.py``, which calls :func:`assign_and_push`:

1. fetch the main branch and check out its newest commit (detached: no local branch is moved);
2. load the project; stop on data errors, and stop if a file lost a number it had before;
3. ``gongkai validate --fix`` (:func:`gongkai.editors.fix.fix_project`): missing numbers are written;
4. commit with a Chinese message and push; a push rejected because somebody else pushed in
   between (a merge landing while the job runs) is not forced: fetch again, start again from the
   new tip (the fix is deterministic and only ever *adds* numbers), a bounded number of times.

The same module checks merge requests (``gongkai validate --base REF``, :func:`published_problems`):
a number that the base branch had must not change or disappear.

Git is run as a subprocess (``LC_ALL=C`` so its messages can be recognised). Messages to the
person reading the CI log are Chinese and go through the ``say`` callback.
"""
from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from gongkai.data.loader import load_project
from gongkai.data.model import Plan
from gongkai.data.yamlio import parse_text
from gongkai.editors.fix import fix_project
from gongkai.problems import Problems

PLANS = "data/plans"
DATA = "data"
BOT_NAME = "gongkai 自动编号"
BOT_EMAIL = "index-numbers@gongkai.invalid"
# `git push --porcelain` reasons that mean "the branch moved under us": fetch and try again.
_RETRYABLE = ("(fetch first)", "(non-fast-forward)", "failed to update ref", "failed to lock",
              "cannot lock ref", "incorrect old value", "(stale info)")
_ADDED_NUMBER = re.compile(r"^\+索引号:[ \t]*(?P<value>\S.*?)[ \t]*$")


class GitError(Exception):
    """A git command failed; ``message`` is Chinese, ``output`` what git said."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.message = message
        self.output = output


def git(root: Path, *args: str, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C", LANG="C")
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(root), *args], capture_output=True,
                              text=True, encoding="utf-8", errors="replace", env=env, timeout=timeout)
    except FileNotFoundError as exc:
        raise GitError("没有安装 git") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} 超过 {timeout} 秒没有完成") from exc
    if check and done.returncode != 0:
        raise GitError(f"git {' '.join(args[:2])} 失败", (done.stderr or done.stdout).strip())
    return done


def _number_in(text: str) -> str:
    """The 索引号 written in a plan file's text ('' when none or when the file does not parse)."""
    doc = parse_text(text)
    value = doc.data.get("索引号") if isinstance(doc.data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _held_by_other(number: str, path: str, plans: list[Plan]) -> bool:
    return any(p.index_no == number and not p.index_assigned and p.path != path for p in plans)


# ---------------------------------------------------------------- merge requests: gongkai validate --base

def published_problems(root: Path, base: str, plans: list[Plan], problems: Problems) -> None:
    """Report into ``problems`` every 索引号 that the base (the merge base of ``base`` and HEAD) had
    and the working tree changed or dropped; a deleted plan file that had one is a warning."""
    root = Path(root).resolve()
    try:
        merge_base = git(root, "merge-base", base, "HEAD").stdout.strip()
        diff = git(root, "diff", "--name-status", "-M", "--relative", "--no-color", merge_base, "--", PLANS).stdout
    except GitError as exc:
        problems.add(PLANS, 0, "索引号", f"无法与 {base} 比较已发布的索引号（{exc.message}:{exc.output[:200]}）",
                     "CI 需要完整的 git 历史：GitHub 的 actions/checkout 设 fetch-depth: 0,GitLab 设 GIT_DEPTH: \"0\"")
        return
    by_path = {p.path: p for p in plans}
    for line in diff.splitlines():
        parts = line.split("\t")
        status, old, new = parts[0], parts[1], parts[-1]
        if status.startswith("A") and (plan := by_path.get(new)) and not plan.index_assigned:
            problems.warn(plan.path, plan.line_of.get(("索引号",), 1), "索引号",
                          f"新信息自己填了索引号 {plan.index_no}：另一个合并请求可能用了同一个号，合并后会重复",
                          "删除这一行，合并到主分支后自动编号")
            continue
        if not old.endswith(".yml") or status[:1] not in "MRD":
            continue
        shown = git(root, "show", f"{merge_base}:./{old}", check=False)
        number = _number_in(shown.stdout) if shown.returncode == 0 else ""
        if not number:
            continue
        if status.startswith("D"):
            problems.warn(old, 0, "索引号", f"删除了已发布的信息（索引号 {number}），它的网址将失效",
                          "不再有效的信息请保留文件并填写“有效性”；确需撤下（如保密审查的原因）请在合并请求中写明理由")
            continue
        plan = by_path.get(new)
        if plan is None:  # the file has errors of its own, reported already
            continue
        if plan.index_assigned:
            if not _held_by_other(number, plan.path, plans):
                problems.add(plan.path, plan.line_of.get(("名称",), 1), "索引号", f"已发布的索引号 {number} 被删除了",
                             f"索引号一经发布不再改变：在“名称”下面恢复这一行“索引号: {number}”")
        elif plan.index_no != number:
            problems.add(plan.path, plan.line_of.get(("索引号",), 1), "索引号",
                         f"已发布的索引号不能修改：原来是 {number}，现在是 {plan.index_no}", f"改回“索引号: {number}”")


# ---------------------------------------------------------------- main branch: assign, commit, push

def removed_numbers(root: Path, plans: list[Plan]) -> dict[str, str]:
    """Plans about to be numbered whose file carried a 索引号 in an earlier commit (path -> that number),
    unless another plan holds that number now (a copied file whose duplicate number was deleted)."""
    candidates = [p for p in plans if p.index_assigned]
    if not candidates:
        return {}
    prefix = git(root, "rev-parse", "--show-prefix").stdout.strip()
    log = git(root, "log", "--no-color", "--no-renames", "-p", "-U0", "--format=commit %H", "HEAD", "--",
              *(p.path for p in candidates)).stdout
    found: dict[str, str] = {}
    current = ""
    for line in log.splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = name[2:] if name.startswith("b/") else ""
            if prefix and current.startswith(prefix):
                current = current[len(prefix):]
            continue
        m = _ADDED_NUMBER.match(line)
        value = m["value"].strip().strip("'\"").strip() if m else ""  # CRLF files end in \r
        if value and value not in ("~", "null") and current and current not in found:  # newest first: the latest
            found[current] = value
    return {p.path: found[p.path] for p in candidates
            if p.path in found and not _held_by_other(found[p.path], p.path, plans)}


@dataclass
class Attempt:
    """What one push did: pushed, or refused (and whether because the branch moved)."""

    pushed: bool = False
    retryable: bool = False
    output: str = ""


def commit_message(lines: list[str]) -> str:
    written = [line for line in lines if line.startswith("已写入索引号")]
    subject = f"自动编号：为 {len(written)} 条新信息写入索引号" if written else "自动修正：数据文件转为 UTF-8 编码"
    body = "\n".join(lines)
    # [skip ci]: the job that pushes this commit builds and publishes it itself. Kept out of the
    # subject, which is what people read in the merge request and git log.
    return (f"{subject}\n\n{body}\n\n由 scripts/assign_index_numbers.py 在合并到主分支后写入；"
            f"已发布的索引号不会改变。\n\n[skip ci]\n")


def _identity(root: Path) -> list[str]:
    if git(root, "config", "user.email", check=False).stdout.strip():
        return []
    return ["-c", f"user.name={BOT_NAME}", "-c", f"user.email={BOT_EMAIL}"]


def _push(root: Path, remote: str, branch: str) -> Attempt:
    done = git(root, "push", "--porcelain", remote, f"HEAD:refs/heads/{branch}", check=False)
    output = (done.stdout + "\n" + done.stderr).strip()
    if done.returncode == 0:
        return Attempt(pushed=True, output=output)
    return Attempt(retryable=any(r in output for r in _RETRYABLE), output=output)


def assign_and_push(root: Path, *, remote: str = "origin", branch: str = "main", retries: int = 5,
                    delay: float = 3.0, say: Callable[[str], None] = print) -> int:
    """The CI step after a merge. Returns 0 when the branch holds every number (pushed now or
    already there), 1 otherwise; the working tree is then the commit that should be published."""
    root = Path(root).resolve()
    try:
        dirty = git(root, "status", "--porcelain", "--untracked-files=all", "--", DATA).stdout.strip()
        if dirty:
            say(f"错误：{DATA}/ 下有未提交的修改或新文件，不能自动编号 — 先提交或移走它们：\n{dirty}")
            return 1
        if git(root, "rev-parse", "--is-shallow-repository").stdout.strip() == "true":
            say("提醒：这是浅克隆，先取得完整历史（检查已发布的索引号需要）……")
            git(root, "fetch", "--quiet", "--unshallow", remote)
        for attempt in range(retries + 1):
            git(root, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
            git(root, "checkout", "--quiet", "--detach", f"refs/remotes/{remote}/{branch}")
            tip = git(root, "rev-parse", "--short", "HEAD").stdout.strip()
            project, problems = load_project(root)
            if project is None:
                say(problems.report())
                say(f"{branch} 分支的数据有错误，没有编号，也不应发布 — 按上面的提示改正后再合并。")
                return 1
            removed = removed_numbers(root, project.plans)
            if removed:
                for path, number in sorted(removed.items()):
                    plan = next(p for p in project.plans if p.path == path)
                    say(f"{path}:{plan.line_of.get(('名称',), 1)}: 索引号: 已发布的索引号 {number} 被删除了"
                        f" — 索引号一经发布不再改变：恢复这一行“索引号: {number}”，再合并")
                say("没有编号：自动编号不会给已发布过的信息换一个新索引号。")
                return 1
            lines = fix_project(root)
            changed = git(root, "status", "--porcelain", "--", DATA).stdout.strip()
            if not changed:
                say(f"{branch} 分支（{tip}）的每条信息都已有索引号，无需编号。")
                return 0
            for line in lines:
                say(line)
            git(root, "add", "--update", "--", DATA)
            git(root, *_identity(root), "commit", "--quiet", "--no-verify", "-m", commit_message(lines))
            result = _push(root, remote, branch)
            if result.pushed:
                sha = git(root, "rev-parse", "HEAD").stdout.strip()
                say(f"已推送到 {remote}/{branch}:{sha[:12]}（基于 {tip}）。")
                return 0
            if not result.retryable:
                say(f"推送失败，没有重试：\n{result.output}\n"
                    "— 检查推送权限：主分支受保护时，CI 需要一个允许直接推送的密钥或令牌（见 docs/publishing.md“八、索引号自动编号”）。")
                return 1
            if attempt < retries:
                reason = next((" ".join(line.split()) for line in result.output.splitlines() if line.startswith("!")), "")
                say(f"推送被拒绝：编号期间有新的提交合并到了 {branch}（{reason}）。"
                    f"重新取得最新的 {branch}，第 {attempt + 1} 次重试……")
                time.sleep(delay * (attempt + 1))
        say(f"重试 {retries} 次后仍未推送成功（一直有新的提交），这次没有编号 — 稍后重新运行这个作业即可，已有的提交都不会丢失。")
        return 1
    except GitError as exc:
        say(f"错误：{exc.message}" + (f"\n{exc.output}" if exc.output else ""))
        return 1
