"""No script reaches a visitor: XSS payloads in every field and the body, built into a site, opened in Chromium.

The fixture (tests/fuzz/xss.py) puts payloads into site.yml, the vocabularies, a department and
two plans, builds the site with the real CLI in a copy of the repository, serves it on
127.0.0.1 and opens every generated page. Pass only if no dialog opens, no payload logs to
the console or sets its flag, no request leaves 127.0.0.1, the text of the payloads is shown
as text (escaped, not dropped), and the editor was told what the sanitizer removed.
"""
from __future__ import annotations

import functools
import html
import re
import http.server
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest_fuzz import repo_copy
from fuzz.xss import PAYLOADS, write_fixture
from gongkai.markup.body import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from gongkai.markup.removed import inventory

GONGKAI = Path(sys.executable).with_name("gongkai")


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    root = repo_copy(tmp_path_factory.mktemp("xss") / "repo")
    plan_urls = write_fixture(root)
    # Removed HTML is an error for `gongkai build` (issue 22): nothing is published until the editor mends it …
    refused = subprocess.run([str(GONGKAI), "--root", str(root), "validate"], capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    # … the sanitizer behind it is tested on the review build (`--drafts`, as the preview): the site the payloads make
    out = subprocess.run([str(GONGKAI), "--root", str(root), "build", "--drafts"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    return root, plan_urls, out.stderr, refused.stdout + refused.stderr


@pytest.fixture(scope="module")
def server(xss_site):
    root = xss_site[0]
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


def test_editor_is_told_what_the_sanitizer_removed(xss_site):
    _, _, stderr, refused = xss_site
    for report, kind in ((refused, "error"), (stderr, "warning")):
        found = [line for line in report.splitlines() if "生成网页时会删除不允许的内容" in line]
        assert any(w.startswith("data/plans/xss/2024/xss-all.yml:") and "正文" in w and "<script>" in w for w in found), report
        assert any(w.startswith("data/plans/xss/2024/xss-plain.yml:") for w in found), report
        assert all(w.endswith("（提醒，不影响生成）") == (kind == "warning") for w in found), report
    # (the line of the markup inside a | body is checked in tests/test_drafts.py; these bodies are quoted strings)


def test_payload_text_is_escaped_in_the_html(xss_site):
    root, plan_urls, _, _ = xss_site
    page = (root / "site" / plan_urls[0] / "index.html").read_text(encoding="utf-8")
    # the 名称 payload is shown as text in <title>, <h1> and the metadata table, never as a tag
    assert "<script>window.__gk_xss" not in page
    assert html.escape("计划" + PAYLOADS[0] + PAYLOADS[17], quote=False) in page.replace("&#34;", '"').replace("&#39;", "'")
    assert "</title><script>" not in page
    # the body's payloads are removed by the sanitizer (what is left is allowed markup or plain text)
    body = page.split('id="gk-body">', 1)[1].split('class="gk-related"', 1)[0]
    found = inventory(body)
    assert set(found.tags) <= ALLOWED_TAGS | {"div", "section"}, set(found.tags) - ALLOWED_TAGS
    for tag, attr in found.attrs:
        assert attr in ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set()) | {"class"}, (tag, attr)
    assert all(urlsplit(u).scheme in ("", "http", "https", "mailto", "tel") for u in found.urls), found.urls
    # ids the generator gives numbered paragraphs (gk-p3, gk-s2-n5, …) are ours; none may come from the payloads
    own = re.compile(r"gk-[psx][0-9]+(-[a-z][0-9]+)*")
    assert not any(i.startswith(("__", "gk-", "md-")) and not own.fullmatch(i) for i in found.ids), found.ids
    assert all(v.startswith("text-align:") for v in found.styles), found.styles
    assert "<pre><code>&lt;script&gt;alert('in code: shown, not run')&lt;/script&gt;" in body


def test_no_payload_runs_in_chromium(xss_site, server, browser):
    root, plan_urls, _, _ = xss_site
    site = root / "site"
    from conftest_publish import html_pages  # without the redirect pages of 原网址 (they navigate away at once)

    pages = html_pages(site)
    assert len(pages) > 20 and all(f"{u}index.html" in pages for u in plan_urls)
    dialogs: list[str] = []
    consoles: list[str] = []
    outside: list[str] = []
    flagged: list[str] = []
    foreign_handlers: list[str] = []
    context = browser.new_context()

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    page.on("console", lambda m: consoles.append(f"{page.url}: {m.text}") if "gk-xss" in m.text else None)
    for rel in pages:
        page.goto(server + rel, wait_until="load")
        page.wait_for_timeout(30)  # let onload/ontoggle/onerror handlers fire
        if page.evaluate("() => window.__gk_xss === 1"):
            flagged.append(rel)
        handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
                               .map(a => el.tagName + ' ' + a.name + '=' + a.value.slice(0, 40)))""")
        foreign_handlers += [f"{rel}: {h}" for h in handlers]
    # the payload pages themselves, interacted with: focus, hover and click every link in the body
    for url in plan_urls:
        page.goto(server + url, wait_until="load")
        for link in page.locator(".gk-body a, .gk-related a").all():
            link.hover()
        page.keyboard.press("Tab")
    context.close()
    assert not dialogs, dialogs
    assert not consoles, consoles
    assert not flagged, flagged
    assert not outside, sorted(set(outside))[:10]
    assert not foreign_handlers, foreign_handlers[:10]
