"""最后更新 and 修订记录 of each plan, read from git in one pass.

``collect(root, paths)`` runs a single ``git log --name-status`` over ``data/plans``
(not one process per file) and returns a :class:`History`: for every data file,
the commits that changed it, newest first, following renames. Dates are the
commit dates as recorded (``%cs``), subjects are the commit messages' first
lines, so the same commit always gives the same pages.

Shallow clones (CI's default ``fetch-depth: 1``) only hold the last commits. The
oldest commit of a shallow clone looks as if it added every file, so it is not
counted as a change; a file whose first commit was not seen is marked
incomplete and its page says so. Without git at all, pages show no 修订记录
and the build prints why. See docs/history.md for the fetch depth CI needs.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

MAX_SHOWN = 20


@dataclass(frozen=True)
class Change:
    date: str  # YYYY-MM-DD, the commit date as recorded
    subject: str
    commit: str


@dataclass
class History:
    available: bool
    shallow: bool = False
    reason: str = ""  # why there is no (complete) history, in Chinese
    changes: dict[str, list[Change]] = field(default_factory=dict)  # path -> newest first
    complete: set[str] = field(default_factory=set)  # paths whose first commit was seen

    def of(self, path: str) -> tuple[list[Change], bool]:
        return self.changes.get(path, []), path in self.complete


_cache: dict[tuple, History] = {}


def _git(root: Path, *args: str) -> str:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    result = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(root), *args], capture_output=True,
                            env=env, check=True, timeout=120)
    return result.stdout.decode("utf-8", "replace")


def collect(root: Path | str, paths: Iterable[str], folder: str = "data/plans") -> History:
    """History of the given data files (paths relative to ``root``, posix)."""
    root = Path(root).resolve()
    wanted = set(paths)
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip()).resolve()
        head = _git(root, "rev-parse", "HEAD").strip()
    except FileNotFoundError:
        return History(False, reason="没有安装 git,页面不显示修订记录")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return History(False, reason="项目不在 git 仓库中(或还没有任何提交),页面不显示修订记录")
    shallow_file = _git(root, "rev-parse", "--git-path", "shallow").strip()
    shallow_path = Path(shallow_file) if os.path.isabs(shallow_file) else root / shallow_file
    boundary = set(shallow_path.read_text().split()) if shallow_path.is_file() else set()
    key = (str(root), head, frozenset(boundary), frozenset(wanted), folder)
    if key in _cache:
        return _cache[key]
    prefix = root.relative_to(top).as_posix() if root != top else ""
    strip = len(prefix) + 1 if prefix else 0
    log = _git(root, "log", "--no-merges", "-M", "--name-status", "--format=%x1e%H%x1f%cs%x1f%s", "--", folder)
    history = History(True, shallow=bool(boundary))
    alias: dict[str, str] = {}  # a path in an older commit -> the file's path today
    for record in log.split("\x1e")[1:]:
        header, _, body = record.partition("\n")
        commit, date, subject = (header.split("\x1f") + ["", ""])[:3]
        if commit in boundary:
            continue  # a shallow clone's oldest commit: its diff is not a real change
        for line in body.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status = parts[0][:1]
            old, new = (parts[1], parts[2]) if status in "RC" and len(parts) > 2 else (parts[1], parts[1])
            old, new = old[strip:], new[strip:]
            current = alias.get(new, new)
            if status == "D":
                continue
            if current in wanted:
                changes = history.changes.setdefault(current, [])
                if not changes or changes[-1].commit != commit:
                    changes.append(Change(date, subject.strip(), commit))
                if status == "A":
                    history.complete.add(current)
            if status == "R":
                alias[old] = current
    if boundary:
        history.reason = "构建时只取得了部分 git 历史(浅克隆),部分页面的修订记录不完整;CI 中请设置 fetch-depth: 0"
    _cache.clear()
    _cache[key] = history
    return history


def page_params(history: History | None, path: str) -> dict | None:
    """Params of the ``revision_history`` component for one data file, or None to show nothing."""
    if history is None or not history.available:
        return None
    changes, complete = history.of(path)
    if not changes:
        return None
    params: dict = {"updated": changes[0].date,
                    "changes": [{"date": c.date, "text": c.subject} for c in changes[:MAX_SHOWN]]}
    if len(changes) > MAX_SHOWN:
        params["note"] = f"共修改 {len(changes)} 次,这里列出最近 {MAX_SHOWN} 次。"
    elif not complete:
        params["note"] = "更早的修订记录未包含在本次生成中。"
    return params
