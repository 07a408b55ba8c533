"""The web editor's local backend for ``gongkai serve``: decap-server on 127.0.0.1, stopped with the preview.

Decap CMS at http://127.0.0.1:8000/admin/ reads and writes the files of the project folder through it
(``local_backend`` in the generated config.yml, :mod:`gongkai.pages.admin`). It is installed by
``make cms-deps`` into ``.deps/decap-server/`` of the source tree from ``hosting/decap-server/package-lock.json``.
It writes files only; committing them (and review) stays with git and the merge request.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from gongkai.runtime.paths import SOURCE_ROOT

SERVER_JS = SOURCE_ROOT / ".deps" / "decap-server" / "node_modules" / "decap-server" / "dist" / "index.js"


def missing() -> str:
    """Why the backend cannot start (a Chinese sentence), or "" when it can."""
    if shutil.which("node") is None:
        return "没有找到 Node.js：运行 make cms-deps（或 make serve）安装后，网页编辑器才能保存文件"
    if not SERVER_JS.is_file():
        return "网页编辑器的本机后端（decap-server）没有安装：运行 make cms-deps 后重新启动预览"
    return ""


def start(root: Path, port: int) -> subprocess.Popen | None:
    """Start decap-server for ``root`` on 127.0.0.1:``port``; None (after a message) when it cannot run."""
    if missing():
        return None
    env = {**os.environ, "GIT_REPO_DIRECTORY": str(Path(root).resolve()), "BIND_HOST": "127.0.0.1",
           "PORT": str(port), "MODE": "fs", "LOG_LEVEL": "warn"}
    return subprocess.Popen([shutil.which("node") or "node", str(SERVER_JS)], env=env, cwd=str(root),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
