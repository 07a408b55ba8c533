"""Fixtures for the site-search tests (issue 5). Import with ``from conftest_search import *``.

- ``search_site``: the sample site built once per session with the real CLI into a temporary folder;
- ``search_server``: that folder served by Python's http.server on 127.0.0.1 (a free port);
- ``search_browser``: Debian's Chromium driven by Playwright (never a downloaded browser);
- ``open_page(path)``: a fresh context and page recording every request URL (``page.gk_requests``).
"""
from __future__ import annotations

import functools
import re
import io
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
from gongkai.bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - re-exported to the tests
AXE_JS = ROOT / "tests" / ".deps" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

__all__ = ["search_site", "search_server", "search_browser", "open_page", "ROOT", "CHROMIUM", "AXE_JS", "AXE_TAGS",
           "build_project"]

_shared: dict = {}


def build_project(root: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """``gongkai --root ROOT build --site-dir SITE_DIR`` in a subprocess (MkDocs keeps global state)."""
    code = "import sys; from gongkai.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, "--root", str(root), "build", "--site-dir", str(site_dir)],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def search_site(tmp_path_factory) -> Path:
    if "site" not in _shared:
        out = tmp_path_factory.mktemp("search") / "site"
        proc = build_project(ROOT, out)
        assert proc.returncode == 0, f"网站生成失败:\n{proc.stdout}\n{proc.stderr}"
        _shared["site"] = out
    return _shared["site"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without its CSP <meta>: Playwright's waits evaluate strings, which a
    'self'-only policy forbids. The site under its CSP is tested in tests/test_publish_nginx.py."""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not path.endswith(".html") or not os.path.isfile(path):
            return super().send_head()
        with open(path, encoding="utf-8") as f:
            body = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", f.read()).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="session")
def search_server(search_site):
    if "server" not in _shared:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(search_site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _shared["server"] = server
    yield f"http://127.0.0.1:{_shared['server'].server_port}/"


@pytest.fixture(scope="module")  # one sync Playwright at a time: other test modules start their own
def search_browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"找不到 {CHROMIUM}:请运行 make test-deps")
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        _shared["playwright"] = pw
        _shared["browser"] = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield _shared["browser"]
    _shared.pop("browser").close()
    _shared.pop("playwright").stop()


@pytest.fixture
def open_page(search_browser, search_server):
    contexts = []

    def _open(path: str = "", **context_args):
        context = search_browser.new_context(**context_args)
        contexts.append(context)
        page = context.new_page()
        page.gk_requests = []  # type: ignore[attr-defined]
        page.gk_errors = []  # type: ignore[attr-defined]
        page.on("request", lambda r: page.gk_requests.append(r.url))
        page.on("pageerror", lambda e: page.gk_errors.append(str(e)))
        page.goto(search_server + path)
        return page

    yield _open
    for context in contexts:
        context.close()


def pytest_sessionfinish(session, exitstatus):  # pragma: no cover - only called if imported as a plugin
    _close()


def _close() -> None:
    browser = _shared.pop("browser", None)
    if browser is not None:
        browser.close()
    pw = _shared.pop("playwright", None)
    if pw is not None:
        pw.stop()
    server = _shared.pop("server", None)
    if server is not None:
        server.shutdown()
        server.server_close()


import atexit  # noqa: E402

atexit.register(_close)
