"""Shared fixtures: the repository root, throw-away copies of the project, golden-file updating."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site_hooks"))

# What a project copy needs; site_hooks is linked, not copied, so the code under test is the repo's.
PROJECT_PARTS = ["data", "content", "templates", "mkdocs.yml"]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


def copy_project(dest: Path) -> Path:
    """A copy of the sample project in ``dest`` (site_hooks symlinked)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    os.symlink(ROOT / "site_hooks", dest / "site_hooks")
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh, writable copy of the sample project."""
    return copy_project(tmp_path / "proj")


def gongkai_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("gongkai")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "gongkai.cli"]


def build_with_patch(tmp_path: Path, patch: str) -> tuple[subprocess.CompletedProcess, Path]:
    """Run ``gongkai build`` of the sample project in a new process after ``patch`` (Python code, e.g.
    one that breaks a writer) has run, into a site folder that holds an old site."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("旧网站", encoding="utf-8")
    code = f"import sys\n{textwrap.dedent(patch)}\nfrom gongkai.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    proc = subprocess.run([sys.executable, "-c", code, "--root", str(ROOT), "build", "--site-dir", str(site)],
                          capture_output=True, text=True, timeout=300)
    return proc, site


def assert_failed_keeping_the_old_site(proc: subprocess.CompletedProcess, site: Path, message: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert message in proc.stderr and "网站没有生成" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (site / "old.html").read_text(encoding="utf-8") == "旧网站" and not (site / "index.html").exists()
