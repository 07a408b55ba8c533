"""The Content-Security-Policy (defined once in gongkai/csp.py), the release marker, 404 page and robots.txt
in the built site."""
from __future__ import annotations

import re

import pytest

from conftest_publish import build, copy_project, html_pages
from gongkai.publish import csp, release


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("csp")
    project = copy_project(base / "kj")
    build(project, base / "site")
    return base / "site"


def test_policy_allows_only_the_site_itself():
    sources = {s for _, group in csp.DIRECTIVES for s in group}
    assert sources <= {"'self'", "'none'", "data:", "'wasm-unsafe-eval'"}
    text = csp.policy()
    assert "unsafe-inline" not in text and "'unsafe-eval'" not in text and "*" not in text and "http" not in text
    assert "default-src 'self'" in text and "object-src 'none'" in text and "frame-ancestors 'self'" in text
    assert "frame-ancestors" not in csp.policy(meta=True)  # browsers reject it in <meta> with a console error
    assert set(csp.headers()) >= {"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"}


def test_every_page_carries_the_policy_and_the_release(site):
    pages = html_pages(site)
    assert len(pages) > 25 and "404.html" in pages
    releases = set()
    for page in pages:
        html = (site / page).read_text(encoding="utf-8")
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
        assert metas == [csp.policy(meta=True)], page
        # the policy comes before any stylesheet or script it governs
        assert html.index("Content-Security-Policy") < min(html.index("<link rel=\"stylesheet\""), html.index("<script"))
        assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in html
        releases.add(release.page_release(html))
    assert len(releases) == 1 and None not in releases


def test_no_page_has_anything_the_policy_would_block(site):
    """No inline script, event attribute, style attribute or <style>: the policy needs no 'unsafe-inline'."""
    problems = {page: csp.inline_violations((site / page).read_text(encoding="utf-8")) for page in html_pages(site)}
    assert {page: found for page, found in problems.items() if found} == {}


@pytest.mark.parametrize("html, found", [
    ("<script>alert(1)</script>", "内联 <script>"),
    ('<script type="module">import("x")</script>', "内联 <script>"),
    ('<a href="#" onclick="go()">x</a>', "事件属性 onclick"),
    ('<p style="color:red">x</p>', "style 属性"),
    ("<style>p{}</style>", "<style> 元素"),
    ('<a href=" JavaScript:alert(1)">x</a>', "href=javascript:"),
])
def test_scanner_finds_what_the_policy_blocks(html, found):
    problems = csp.inline_violations(html)
    assert len(problems) == 1 and found in problems[0]


@pytest.mark.parametrize("html", [
    '<script src="assets/x.js"></script>',
    '<script id="__config" type="application/json">{"base": "."}</script>',
    "<script></script>",
    '<svg viewBox="0 0 24 24"><path d="M0 0h24"/></svg>',
])
def test_scanner_accepts_what_the_policy_allows(html):
    assert csp.inline_violations(html) == []


def test_404_page_has_the_chrome_with_links_that_work_at_any_depth(site):
    html = (site / "404.html").read_text(encoding="utf-8")
    assert "<title>页面不存在 - " in html and "<h1>页面不存在</h1>" in html
    links = re.findall(r'(?:href|src)="([^"#?]+)"', html)
    local = [u for u in links if not u.startswith(("http://", "https://", "mailto:"))]
    assert local and all(u.startswith("/") and not u.startswith("//") for u in local), local
    assert 'href="/wza/"' in html and 'href="/wzdt/"' in html  # the top links and footer
    assert 'class="gk-footer' in html


def test_robots_txt_points_at_the_sitemap(site):
    text = (site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text and "Sitemap: https://kj.example.gov.cn/sitemap.xml" in text.splitlines()
    disallowed = re.findall(r"^Disallow:\s*(\S*)\s*$", text, re.M)
    assert disallowed == ["/admin/"]  # only the web editor is kept out of search engines


def test_robots_txt_written_by_the_editor_wins(tmp_path):
    project = copy_project(tmp_path / "kj")
    (project / "content" / "robots.txt").write_text("User-agent: *\nDisallow: /draft/\n", encoding="utf-8")
    build(project, tmp_path / "site", GONGKAI_SITE_URL="https://kj.example.org/sub/")
    assert (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /draft/\n"
    # GONGKAI_SITE_URL (e.g. a GitHub Pages address) moves the absolute links of the 404 page
    assert 'href="/sub/wza/"' in (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
