"""pyflakes' checks over the code and the tests, through ruff (configured in pyproject.toml: [tool.ruff])."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def _ruff() -> str:
    beside = Path(sys.executable).with_name("ruff")  # installed with the test extras into .venv/bin
    found = str(beside) if beside.exists() else shutil.which("ruff")
    assert found, "ruff 没有安装：请运行 make test（它会安装测试需要的软件包）"
    return found


def test_code_and_tests_have_no_unused_or_undefined_names():
    done = subprocess.run([_ruff(), "check", "--no-cache", "--output-format", "concise", "site_hooks", "tests", "scripts"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_check_finds_what_it_is_for(tmp_path):
    """The configuration selects the checks: a repeated key and an undefined name in a module are reported."""
    bad = tmp_path / "site_hooks" / "bad.py"
    bad.parent.mkdir()
    bad.write_text('LABELS = {"有效性": 1, "有效性": 1}\n\n\ndef f():\n    return missing\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([_ruff(), "check", "--no-cache", "--output-format", "concise", "site_hooks"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "F601" in done.stdout and "F821" in done.stdout, done.stdout + done.stderr
