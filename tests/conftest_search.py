"""Fixtures for the site-search tests (issue 5). Import with ``from conftest_search import *``.

- ``search_server``: conftest's ``sample_site`` served by Python's http.server on 127.0.0.1 (a free port);
- ``open_page(path)``: a fresh context and page recording every request URL (``page.gk_requests``).
"""
from __future__ import annotations

import functools
import re
import io
import http.server
import os
import threading

import pytest

from conftest import ROOT
AXE_JS = ROOT / "tests" / ".deps" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

__all__ = ["search_server", "open_page", "ROOT", "AXE_JS", "AXE_TAGS"]

_shared: dict = {}


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
def search_server(sample_site):
    if "server" not in _shared:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(sample_site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        _shared["server"] = server
    yield f"http://127.0.0.1:{_shared['server'].server_port}/"


@pytest.fixture
def open_page(browser, search_server):
    contexts = []

    def _open(path: str = "", **context_args):
        context = browser.new_context(**context_args)
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
