"""Shared fixtures and helpers, each the one of its kind in the suite.

- ``ROOT``: the repository (tests never compute it from their own ``__file__``);
- ``copy_project`` / ``project``: throw-away copies of the sample project;
- ``cli_build``: ``gongkai build`` in a subprocess (MkDocs keeps global state);
- ``sample_project`` / ``sample_site``: the sample site, built ONCE per test run (from a copy outside
  git, so that pages carry no 修订记录 that changes with every commit) — read it, never write to it;
- ``launch_chromium`` / ``browser``: Debian's Chromium under Playwright, ONE for the whole run;
- ``free_port``: a free TCP port on 127.0.0.1;
- ``ServeProcess``: a real ``gongkai serve`` on a free port, its output in a log file;
- ``golden``: compare HTML with tests/golden/ (``make golden`` rewrites them).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "site_hooks"))

from gongkai.bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"

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


# What a copy of the whole repository leaves out: what .gitignore lists (a working copy that has run gongkai bench
# holds GBs in .bench/) and git's own folder.
NOT_IN_REPO_COPIES = (".venv", "site", "site-admin", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info",
                      ".site.*", "artifacts", ".bench", ".deps", "node_modules", ".ruff_cache", "build")


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


def cli_build(root: Path, site_dir: Path, *, cwd: Path | None = None, env: dict | None = None,
              timeout: int = 600) -> subprocess.CompletedProcess:
    """``gongkai --root ROOT build --site-dir SITE_DIR`` in a new process (MkDocs keeps global state)."""
    code = "import sys; from gongkai.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, "--root", str(root), "build", "--site-dir", str(site_dir)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory) -> Path:
    """The sample project, copied outside git and built once: ``sample_project / "site"``. Read only."""
    project = copy_project(tmp_path_factory.mktemp("sample") / "proj")
    proc = cli_build(project, project / "site")
    assert proc.returncode == 0, f"示例网站生成失败：\n{proc.stdout}\n{proc.stderr}"
    return project


@pytest.fixture(scope="session")
def sample_site(sample_project) -> Path:
    """The sample site, built once per test run (see ``sample_project``). Read only."""
    return sample_project / "site"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """``gongkai --root ROOT serve`` on a free port of 127.0.0.1 (plus ``args``), started and waited for until
    ``ready`` (a path) answers; its output goes to a log file that failures print."""

    def __init__(self, root: Path, *args: str, env: dict | None = None, ready: str = "", seconds: float = 90):
        self.root, self.port = root, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = (root.parent / f"serve-{self.port}.log").open("w+", encoding="utf-8")
        if "--cms-port" not in args:  # the editor backend's default port may be taken on a shared machine
            args = ("--cms-port", str(free_port()), *args)
        self.proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "--root", str(root), "serve", "--addr",
                                      f"127.0.0.1:{self.port}", *args], stdout=self.log, stderr=subprocess.STDOUT,
                                     env=None if env is None else {**os.environ, **env})
        self.wait_until(lambda: self.get(ready), seconds, "the server did not start")

    def get(self, path: str, timeout: float = 10) -> str:
        import urllib.request

        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    def wait_until(self, check, seconds: float, message: str):
        import time

        end = time.monotonic() + seconds
        while time.monotonic() < end:
            assert self.proc.poll() is None, "the server died:\n" + self.output()
            value = check()
            if value:
                return value
            time.sleep(0.3)
        pytest.fail(message + "\n" + self.output())

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.proc.kill()
        self.log.close()


def launch_chromium(playwright):
    """Debian's Chromium, never a downloaded browser, with the flags every test and benchmark uses."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"找不到 {CHROMIUM}：请先运行 make test-deps（安装 Debian 的 chromium 和 fonts-noto-cjk）")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run. Tests open their own contexts and close them."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def normalise_html(html: str) -> str:
    """Whitespace-insensitive form of HTML: runs of whitespace become one space, none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.fixture
def golden(update_golden):
    """``golden("components/x/y.html", html)``: assert ``html`` equals tests/golden/<that file> (both
    normalised). With ``--update-golden`` (``make golden``), or when the file is missing, write it;
    a missing file also fails the test, so that a new golden file is always reviewed."""

    def check(rel: str, html: str) -> None:
        path = GOLDEN / rel
        got = normalise_html(html)
        if update_golden or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(got + "\n", encoding="utf-8")
            if not update_golden:
                pytest.fail(f"已生成新的 golden 文件 tests/golden/{rel}，请检查后提交")
        assert got == path.read_text(encoding="utf-8").strip(), \
            f"tests/golden/{rel} 不同：确认改动无误后运行 make golden 重新生成，检查差异后提交"

    return check


VNU = ROOT / "tests" / ".deps" / "vnu" / "vnu.jar"


def vnu_messages(files: list[str], cwd: Path) -> list[dict]:
    """The W3C Nu HTML Checker's messages on ``files`` (relative to ``cwd``), in one run of Java (its start
    takes longer than the checking). From ``make test-deps``: the version and sha256 are in the Makefile."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("找不到 Java 或 tests/.deps/vnu/vnu.jar：请先运行 make test-deps")
    proc = subprocess.run([java, "-Xss4m", "-jar", str(VNU), "--format", "json", "--stdout", *files],
                          cwd=cwd, capture_output=True, text=True, timeout=240)
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout)["messages"]
