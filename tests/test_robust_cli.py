"""The CLI's contract, run as a real process in a copy of the repository.

`gongkai validate` exits 0 on good data and 1 with `path:line` messages on bad data — never a
traceback, never a crash signal; a failing, killed or interrupted build leaves the previous
site/ exactly as it was.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest_fuzz import repo_copy
from fuzz.corpus import BILLION_LAUGHS

GONGKAI = Path(sys.executable).with_name("gongkai")
PLAN = "data/plans/gdkjj/2024/gongzuo-jihua.yml"


def run(root: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(GONGKAI), "--root", str(root), *args], capture_output=True, text=True, timeout=timeout)


def tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = repo_copy(tmp_path_factory.mktemp("cli") / "repo")
    out = run(root, "build")
    assert out.returncode == 0, out.stderr
    return root


BAD_FILES = {
    "deep-nesting (crashed the process before)": (PLAN, b"a: " + b"[" * 100_000 + b"]" * 100_000, 1),
    "billion laughs": (PLAN, BILLION_LAUGHS.encode(), 2),
    "GBK": (PLAN, "名称: 计划\n正文: 科技\n".encode("gbk"), 1),
    "UTF-16": (PLAN, "名称: 计划\n".encode("utf-16"), 1),
    "binary": (PLAN, b"\x89PNG\r\n\x1a\n" + bytes(range(256)), 1),
    "huge number": ("data/departments/skjj.yml", b"\xe6\xa0\x87\xe8\xaf\x86: " + b"9" * 5000 + b"\n", 1),
    "wrong type": ("data/site.yml", "网站名称: [a]\n联系方式: 1\n".encode(), 1),
    "empty site": ("data/site.yml", b"", 1),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_validate_bad_data_exits_1_with_chinese_path_line(repo, name):
    rel, content, line = BAD_FILES[name]
    path = repo / rel
    saved = path.read_bytes()
    try:
        path.write_bytes(content)
        out = run(repo, "validate", timeout=60)
    finally:
        path.write_bytes(saved)
    assert out.returncode == 1, (out.returncode, out.stderr)  # not a crash signal (negative), not 0
    assert "Traceback" not in out.stderr + out.stdout
    assert f"{rel}:{line}: " in out.stderr, out.stderr
    assert "共发现" in out.stderr


def test_validate_good_data_exits_0(repo):
    out = run(repo, "validate", timeout=60)
    assert out.returncode == 0, out.stderr
    assert "检查通过" in out.stdout and "Traceback" not in out.stderr


def test_failed_build_keeps_previous_site(repo):
    before = tree_digest(repo / "site")
    path = repo / PLAN
    saved = path.read_bytes()
    try:
        path.write_bytes(saved.replace("生成日期: 2024-03-01".encode(), "生成日期: 2024-02-30".encode()))
        out = run(repo, "build")
    finally:
        path.write_bytes(saved)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"{PLAN}:9: 生成日期" in out.stderr
    assert tree_digest(repo / "site") == before


def test_broken_link_in_hand_written_page_fails_strict_build_and_keeps_site(repo):
    before = tree_digest(repo / "site")
    page = repo / "content/lxwm.md"
    saved = page.read_bytes()
    try:
        page.write_bytes(saved + "\n[年报](xxgk/nope.md)\n".encode())
        out = run(repo, "build")
    finally:
        page.write_bytes(saved)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "nope.md" in out.stderr
    assert tree_digest(repo / "site") == before
    assert not list(repo.glob(".site.tmp-*"))


def _many_plans(root: Path, count: int) -> None:
    """Copies of a sample plan (without 索引号) so a build takes long enough to be killed mid-way."""
    src = (root / PLAN).read_text(encoding="utf-8").split("原网址:")[0].splitlines(keepends=True)  # no 附件, no old URL
    text = "".join(line for line in src if not line.startswith(("索引号:", "相关文件:", "  - 文件:", "    关系:")))
    folder = root / "data/plans/gdkjj/2023"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"copy-{i}.yml").write_text(text.replace("2024", "2023"), encoding="utf-8")  # 2023 plans, in 2023/


def test_killed_build_leaves_previous_site_intact(tmp_path):
    root = repo_copy(tmp_path / "repo")
    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text("上一次发布的网站", encoding="utf-8")
    before = tree_digest(site)
    _many_plans(root, 400)
    proc = subprocess.Popen([str(GONGKAI), "--root", str(root), "build"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    tmp = root / f".site.tmp-{proc.pid}"
    deadline = time.monotonic() + 240
    killed_while_writing = False
    while time.monotonic() < deadline and proc.poll() is None:
        if tmp.is_dir() and any(tmp.rglob("index.html")):
            os.kill(proc.pid, signal.SIGKILL)
            killed_while_writing = True
            break
        time.sleep(0.005)
    proc.wait(timeout=60)
    proc.stdout.close()
    proc.stderr.close()
    assert killed_while_writing, "the build ended before it could be killed mid-way"
    assert proc.returncode == -signal.SIGKILL
    assert tree_digest(site) == before  # untouched
    assert tmp.exists()  # the half-written build is beside it, not in it
    # the next build removes the leftovers and swaps in a complete site
    shutil.rmtree(root / "data/plans/gdkjj/2023")
    out = run(root, "build")
    assert out.returncode == 0, out.stderr
    assert not tmp.exists() and (site / "xxgk/gdkjj/2024/gongzuo-jihua/index.html").is_file()


def test_interrupted_build_keeps_previous_site(tmp_path):
    root = repo_copy(tmp_path / "repo")
    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text("上一次发布的网站", encoding="utf-8")
    before = tree_digest(site)
    _many_plans(root, 200)
    proc = subprocess.Popen([str(GONGKAI), "--root", str(root), "build"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tmp = root / f".site.tmp-{proc.pid}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None and not (tmp.is_dir() and any(tmp.rglob("index.html"))):
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)  # Ctrl+C
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err
    assert proc.returncode in (0, 1, 130), err  # 0 only if the build had already finished
    if proc.returncode:
        assert tree_digest(site) == before


def test_swap_cut_between_its_renames_is_recovered(tmp_path):
    """Killed after site/ was moved aside but before the new one moved in: the next run puts it back."""
    root = repo_copy(tmp_path / "repo")
    old = root / ".site.old-4242"
    old.mkdir()
    (old / "index.html").write_text("上一次发布的网站", encoding="utf-8")
    (root / PLAN).write_text("名称: [坏]\n", encoding="utf-8")
    out = run(root, "build")
    assert out.returncode == 1
    assert (root / "site/index.html").read_text(encoding="utf-8") == "上一次发布的网站"
    assert not old.exists()
