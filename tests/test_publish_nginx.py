"""A real nginx on 127.0.0.1 with the shipped configuration: headers, compression, caching, the 404 page;
publishing B and rolling back to A under load with no failed request and no mixed page view; Chromium
browsing a plan page with no console error and no CSP violation."""
from __future__ import annotations

import gzip
import http.client
import posixpath
import random
import threading
import time
from urllib.parse import urlsplit

import pytest

from conftest_publish import ROOT, asset_refs, html_pages, nginx, sha, sites_a_and_b, PLAN
from gongkai.publish import csp, release
from gongkai.publish.deploy import LocalTarget

CLIENTS = 20
DURATION = 18.0  # seconds of load: B goes live after 5 s, A comes back after 11 s


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    """Sites A and B (a plan edited, the stylesheet changed), and a deploy target serving A."""
    a, b = sites_a_and_b(tmp_path_factory)
    base = tmp_path_factory.mktemp("nginx")
    target = LocalTarget(base / "www")
    target.publish(a)
    return base, a, b, target


@pytest.fixture(scope="module")
def server(releases):
    base, _, _, _ = releases
    with nginx(base / "www" / "current", base / "nginx") as url:
        yield url


def get(url: str, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    resp.body = resp.read()
    conn.close()
    return resp


# ---------------------------------------------------------------- the configuration

def test_pages_are_utf8_with_security_headers_and_short_caching(server):
    resp = get(server, "/" + PLAN)
    assert resp.status == 200
    assert resp.getheader("Content-Type") == "text/html; charset=utf-8"
    assert resp.getheader("Content-Security-Policy") == csp.policy()
    assert resp.getheader("X-Content-Type-Options") == "nosniff"
    assert resp.getheader("Referrer-Policy") == csp.REFERRER_POLICY
    assert resp.getheader("Cache-Control") == "public, max-age=60, must-revalidate"
    assert "广德市科技局2024年工作计划" in resp.body.decode("utf-8")
    for path in ("/sitemap.xml", "/robots.txt"):
        r = get(server, path)
        assert r.status == 200 and "max-age=60" in r.getheader("Cache-Control") and "charset=utf-8" in r.getheader("Content-Type")


def test_fingerprinted_assets_are_immutable_and_compressed(server):
    html = get(server, "/" + PLAN).body.decode("utf-8")
    css = next(ref for ref in asset_refs(html) if "assets/gongkai/site." in ref and ref.endswith(".css"))
    path = posixpath.normpath(posixpath.join("/" + PLAN, css))
    plain = get(server, path)
    assert plain.status == 200 and plain.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert plain.getheader("Content-Type") == "text/css; charset=utf-8"
    assert plain.getheader("Content-Security-Policy") == csp.policy()
    zipped = get(server, path, {"Accept-Encoding": "gzip"})
    assert zipped.getheader("Content-Encoding") == "gzip" and gzip.decompress(zipped.body) == plain.body
    assert "Accept-Encoding" in (zipped.getheader("Vary") or "")
    page = get(server, "/" + PLAN, {"Accept-Encoding": "gzip"})
    assert page.getheader("Content-Encoding") == "gzip" and len(page.body) < len(get(server, "/" + PLAN).body) / 2
    unfingerprinted = get(server, "/assets/gongkai/favicon.svg")
    assert unfingerprinted.status == 200 and unfingerprinted.getheader("Cache-Control") == "public, max-age=3600"


def test_brotli_when_the_host_has_it(server):
    from gongkai.publish.hosting import brotli_module

    resp = get(server, "/" + PLAN, {"Accept-Encoding": "br, gzip"})
    if brotli_module() is None:
        assert resp.getheader("Content-Encoding") == "gzip"
        pytest.skip("this nginx has no brotli module (Debian: libnginx-mod-http-brotli-filter)")
    assert resp.getheader("Content-Encoding") == "br"


def test_missing_pages_get_the_site_404_page_at_any_depth(server):
    for path in ("/no-such-page", "/xxgk/gdkjj/2099/nothing/", "/a/b/c/d/e.html"):
        resp = get(server, path)
        assert resp.status == 404
        html = resp.body.decode("utf-8")
        assert "<title>页面不存在" in html and 'href="/wza/"' in html and 'href="/xxgk/"' in html
        assert resp.getheader("Content-Security-Policy") == csp.policy()
    assert get(server, "/.gongkai-deploy.lock").status == 404  # hidden files are never served
    redirect = get(server, "/xxgk")
    assert redirect.status == 301 and redirect.getheader("Location").endswith("/xxgk/")


OLD = "/art/2024/3/1/art_5711_1234567.html"  # the sample plan's 原网址


def test_old_platform_urls_answer_301_with_the_new_page(server, releases):
    for path in (OLD, OLD + "?id=5678", OLD.upper().replace("/ART/", "/art/"), OLD.replace("art_", "art%5F")):
        resp = get(server, path)
        assert resp.status == 301, path
        assert resp.getheader("Location") == "/" + PLAN, path
    page = get(server, get(server, OLD).getheader("Location"))
    assert page.status == 200 and "广德市科技局2024年工作计划" in page.body.decode("utf-8")
    assert get(server, "/art/2024/3/1/art_5711_7654321.html").status == 404  # not listed: the site's 404
    # the files for other hosts are there too
    _, a, _, _ = releases
    assert (a / "redirects.json").is_file() and (a / OLD.lstrip("/")).is_file()


def test_attachments_are_served_at_their_stable_urls(server, repo_root):
    from urllib.parse import quote

    src = repo_root / "data/plans/gdkjj/2024/gongzuo-jihua/附件"
    for name, mime in (("2024年工作计划（印发稿）.pdf", "application/pdf"),
                       ("重点任务分解表.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")):
        resp = get(server, "/" + PLAN + "fj/" + quote(name))
        assert resp.status == 200, name
        assert resp.getheader("Content-Type") == mime
        assert resp.body == (src / name).read_bytes()
        assert resp.getheader("X-Content-Type-Options") == "nosniff"


def test_shipped_example_matches_the_renderer():
    """hosting/nginx/example.conf is what `gongkai nginx` prints for the example site."""
    from gongkai.publish.hosting import server_block

    root = ROOT
    expected = server_block("/srv/www/kj/current", server_name="kj.example.gov.cn", listen="80", brotli=True)
    assert (root / "hosting" / "nginx" / "example.conf").read_text(encoding="utf-8") == expected, \
        "运行 make nginx-example 重新生成 hosting/nginx/example.conf"


# ---------------------------------------------------------------- under load

class Load:
    """Clients that each view random pages the way a browser does: the HTML, then every asset it loads."""

    def __init__(self, url: str, pages: list[str], expected: dict[str, dict[str, str]]) -> None:
        self.url, self.pages, self.expected = urlsplit(url), pages, expected
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.views: dict[str, int] = {}
        self.failures: list[str] = []

    def fail(self, message: str) -> None:
        with self.lock:
            if len(self.failures) < 50:
                self.failures.append(message)

    def client(self, seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=10)
        count = 0
        while not self.stop.is_set():
            page = rnd.choice(self.pages)
            try:
                status, body = self.fetch(conn, "/" + page.removesuffix("index.html"))
                count += 1
                if status != 200:
                    self.fail(f"{page}: HTTP {status}")
                    continue
                html = body.decode("utf-8")
                marker = release.page_release(html)
                files = self.expected.get(marker or "")
                if files is None:
                    self.fail(f"{page}: unknown release marker {marker}")
                    continue
                for ref in asset_refs(html):
                    path = posixpath.normpath(posixpath.join("/" + posixpath.dirname(page) + "/", ref))
                    status, body = self.fetch(conn, path)
                    count += 1
                    if status != 200:
                        self.fail(f"{page} → {path}: HTTP {status}")
                    elif files.get(path.lstrip("/")) != sha(body):
                        self.fail(f"{page} (release {marker}) → {path}: content from another release")
                with self.lock:
                    self.views[marker] = self.views.get(marker, 0) + 1
            except (OSError, http.client.HTTPException) as exc:
                self.fail(f"{page}: {type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=10)
        conn.close()
        with self.lock:
            self.requests += count

    @staticmethod
    def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()


def test_publish_and_rollback_under_load(releases, server):
    _, a, b, target = releases
    id_a, id_b = (release.page_release((s / "index.html").read_text(encoding="utf-8")) for s in (a, b))
    expected = {rid: {p.relative_to(site).as_posix(): sha(p.read_bytes()) for p in site.rglob("*") if p.is_file()}
                for rid, site in ((id_a, a), (id_b, b))}
    pages = sorted(set(html_pages(a)) & set(html_pages(b)) - {"404.html"})
    load = Load(server, pages, expected)
    threads = [threading.Thread(target=load.client, args=(i,), daemon=True) for i in range(CLIENTS)]
    start = time.monotonic()
    for t in threads:
        t.start()
    try:
        time.sleep(5)
        t0 = time.monotonic()
        published = target.publish(b)
        publish_seconds = time.monotonic() - t0
        assert release.page_release(get(server, "/").body.decode("utf-8")) == id_b
        time.sleep(6)
        t0 = time.monotonic()
        back = target.rollback()
        rollback_seconds = time.monotonic() - t0
        assert release.page_release(get(server, "/").body.decode("utf-8")) == id_a
        time.sleep(max(0.0, DURATION - (time.monotonic() - start)))
    finally:
        load.stop.set()
        for t in threads:
            t.join(timeout=30)
    elapsed = time.monotonic() - start
    print(f"\n{CLIENTS} clients, {elapsed:.1f} s: {load.requests} requests ({load.requests / elapsed:.0f}/s), "
          f"page views per release {load.views}; publish of {published.name} took {publish_seconds:.2f} s, "
          f"rollback to {back.name} {rollback_seconds:.3f} s")
    assert load.failures == []
    assert load.views.get(id_a, 0) > 0 and load.views.get(id_b, 0) > 0  # both releases were really served
    assert load.requests > 500
    assert rollback_seconds < 2


# ---------------------------------------------------------------- in Chromium

def test_chromium_browses_a_plan_page_with_no_console_error_and_no_csp_violation(server, browser):
    page = browser.new_page()
    try:
        messages: list[str] = []
        page.on("console", lambda m: messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
        page.add_init_script("window.__gkViolations = [];"
                             "document.addEventListener('securitypolicyviolation',"
                             " e => window.__gkViolations.push(e.violatedDirective + ' ' + e.blockedURI));")
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
        resp = page.goto(server + "/" + PLAN, wait_until="networkidle")
        assert resp.status == 200 and resp.headers["content-security-policy"] == csp.policy()
        assert page.title().startswith("广德市科技局2024年工作计划")
        # The stylesheets and scripts really ran under the policy:
        assert page.evaluate("typeof window.__md_get") == "function"            # material-init.js
        assert page.evaluate("document.querySelector('[data-gk-fontsize]').hidden") is False  # gongkai.js
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        page.click("[data-gk-fontsize] button[data-size=large]")
        assert page.evaluate("document.documentElement.getAttribute('data-gk-font')") == "large"
        page.goto(server + "/xxgk/", wait_until="networkidle")
        violations = page.evaluate("window.__gkViolations")
        assert messages == [] and violations == [] and outside == []
        # the 404 page, deep in the tree, also keeps its styles (absolute links) and the policy
        resp = page.goto(server + "/xxgk/gdkjj/2099/nothing/", wait_until="networkidle")
        assert resp.status == 404 and page.title().startswith("页面不存在")
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert page.evaluate("window.__gkViolations") == []
        assert [m for m in messages if "404" not in m] == []
    finally:
        page.context.close()
