"""Helpers for the publishing tests: project copies in git, builds in a subprocess, a real nginx, Chromium.

Imported by tests/test_publish_*.py (the shared tests/conftest.py belongs to the lead).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

# Shared with the other tests (defined once, in conftest.py) and re-exported to the publishing tests.
from conftest import ROOT, cli_build, copy_project, free_port, gongkai_cmd as gongkai_exe  # noqa: F401

PLAN = "xxgk/gdkjj/2024/gongzuo-jihua/"
PLAN_FILE = "data/plans/gdkjj/2024/gongzuo-jihua.yml"


def git_commit(project: Path, when: str, message: str = "数据更新") -> int:
    """Commit everything in ``project`` (a new repository if needed) dated ``when``; return the commit's epoch."""
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "编辑", "GIT_AUTHOR_EMAIL": "editor@example.gov.cn",
           "GIT_COMMITTER_NAME": "编辑", "GIT_COMMITTER_EMAIL": "editor@example.gov.cn"}
    if not (project / ".git").exists():
        subprocess.run(["git", "init", "-q", "-b", "main", str(project)], check=True, env=env)
    subprocess.run(["git", "-C", str(project), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(project), "commit", "-q", "--allow-empty", "-m", message], check=True, env=env)
    out = subprocess.run(["git", "-C", str(project), "log", "-1", "--format=%ct"], check=True, env=env,
                         capture_output=True, text=True)
    return int(out.stdout.strip())


def build(project: Path, site: Path, **env: str) -> subprocess.CompletedProcess:
    """``gongkai build --site-dir site`` in ``project``, in a clean environment plus ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GONGKAI_SITE_URL")}
    out = cli_build(project, site, cwd=project, env={**base, **env}, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def html_pages(site: Path) -> list[str]:
    """The site's pages: every HTML file but the redirect pages at old platform paths (they only point on)."""
    skip = redirect_pages(site)
    return sorted(rel for p in site.rglob("*.html") if (rel := p.relative_to(site).as_posix()) not in skip)


def redirect_pages(site: Path) -> set[str]:
    """The redirect pages the build wrote for 原网址 (listed in redirects.json)."""
    from gongkai.pages.redirects import page_file

    path = site / "redirects.json"
    if not path.is_file():
        return set()
    import json

    return {f for r in json.loads(path.read_text(encoding="utf-8"))["redirects"] if (f := page_file(r["from"], "/"))}


ASSET_REF = re.compile(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)"')


def asset_refs(html: str) -> list[str]:
    """URLs of the stylesheets, scripts and icons a page loads (as written in the page)."""
    refs = []
    for m in re.finditer(r"<(link|script)\b([^>]*)>", html):
        tag, attrs = m.group(1), m.group(2)
        if tag == "link" and not re.search(r'rel="(?:stylesheet|icon)"', attrs):
            continue
        ref = re.search(r'\b(?:href|src)="([^"]+)"', attrs)
        if ref:
            refs.append(ref.group(1))
    return refs


@contextlib.contextmanager
def nginx(root: Path, workdir: Path, *, brotli: bool | None = None) -> Iterator[str]:
    """A real nginx serving ``root`` (usually a deploy target's ``current``) on 127.0.0.1; yields the base URL."""
    from gongkai.publish.hosting import standalone

    if shutil.which("nginx") is None:
        raise RuntimeError("nginx is not installed: run `make test-deps` (it installs Debian's nginx)")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(standalone(root, workdir, listen=f"127.0.0.1:{port}", brotli=brotli, workers=1), encoding="utf-8")
    check = subprocess.run(["nginx", "-t", "-q", "-p", str(workdir), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(["nginx", "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {proc.stderr.read().decode(errors='replace')}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)  # graceful stop: the master ends its workers
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


_BUILT: dict[str, tuple[Path, Path]] = {}


def sites_a_and_b(tmp_path_factory) -> tuple[Path, Path]:
    """Two builds, made once per test session: A (the sample) and B (a plan edited, the stylesheet changed)."""
    key = str(tmp_path_factory.getbasetemp())
    if key not in _BUILT:
        base = tmp_path_factory.mktemp("releases")
        project = copy_project(base / "kj")
        build(project, base / "A")
        plan = project / PLAN_FILE
        plan.write_text(plan.read_text(encoding="utf-8").replace("高新技术企业", "高新技术企业（B 版）", 1),
                        encoding="utf-8")
        css = project / "templates" / "assets" / "gongkai" / "gongkai.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n.gk-release-b { order: 2; }  /* B 版: a real rule, since comments are minified away */\n", encoding="utf-8")
        build(project, base / "B")
        _BUILT[key] = (base / "A", base / "B")
    return _BUILT[key]
