"""Fixtures for the robustness and security tests (imported by tests/test_fuzz*.py, tests/test_security*.py)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from conftest import NOT_IN_REPO_COPIES, ROOT

TESTS = ROOT / "tests"
REPO = TESTS.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from fuzz.corpus import make_scratch  # noqa: E402


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A copy of the sample project's data/, content/, templates/ and mkdocs.yml (restore what you change)."""
    return make_scratch(tmp_path_factory.mktemp("fuzz") / "project")


@pytest.fixture()
def project_copy(tmp_path) -> Path:
    """A fresh copy of the sample project for one test, free to break."""
    return make_scratch(tmp_path / "project")


def repo_copy(dest: Path) -> Path:
    """A copy of the whole repository (without site/, .venv and caches) for running the CLI in it."""
    ignore = shutil.ignore_patterns(*NOT_IN_REPO_COPIES)
    shutil.copytree(REPO, dest, ignore=ignore, symlinks=True)
    return dest
