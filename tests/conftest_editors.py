"""Shared helpers for the editors' workflow tests (issue 6): temp copies of the repo, CLI runs."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import NOT_IN_REPO_COPIES, ROOT as REPO
REFERENCE = REPO.parent.parent / "shared" / "reference"
if not REFERENCE.is_dir():  # a fresh clone has shared/ beside it
    REFERENCE = REPO.parent / "shared" / "reference"
IGNORE = shutil.ignore_patterns(*NOT_IN_REPO_COPIES, "tests")


def copy_repo(dest: Path) -> Path:
    """A copy of the project (data, content, templates, hooks, config) without git, site or venv."""
    shutil.copytree(REPO, dest, ignore=IGNORE)
    return dest


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


def run_cli(root: Path, *args: str, capsys=None, stdin: str | None = None) -> tuple[int, str, str]:
    """Run `gongkai --root ROOT ARGS` in this process; returns (exit code, stdout, stderr)."""
    from gongkai.cli import main

    code = main(["--root", str(root), *args])
    if capsys is None:
        return code, "", ""
    out = capsys.readouterr()
    return code, out.out, out.err


def git(root: Path, *args: str, env: dict | None = None) -> str:
    import os

    base = {**os.environ, "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "e@example.gov.cn",
            "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "e@example.gov.cn", "GIT_CONFIG_GLOBAL": "/dev/null"}
    base.update(env or {})
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=base, text=True).stdout


def html_text(fragment: str) -> str:
    """Visible text of an HTML fragment."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def review_done(path: Path) -> str:
    """What an editor does after checking an import: delete every 待核对 (the plan's list and each target's line).

    Returns the removed lines, so a test can check what there was to review."""
    out, removed, in_list = [], [], False
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if in_list and line.startswith("  - "):
            removed.append(line)
            continue
        in_list = line.startswith("待核对:")
        if in_list or re.match(r"^    待核对: ", line) or line.startswith("# 待核对:"):
            removed.append(line)
            continue
        out.append(line)
    path.write_text("".join(out), encoding="utf-8")
    return "".join(removed)
