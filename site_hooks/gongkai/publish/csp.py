"""The site's Content-Security-Policy and other security headers, defined once.

The same values go into the nginx configuration (``gongkai nginx``, as HTTP
headers) and into every page (``<meta http-equiv>``, for static hosts such as
GitHub Pages that cannot set headers).

The policy allows only the site itself: no inline script, no inline style, no
other origin. Material's few inline scripts are moved into files by the theme
overrides in ``templates/partials/javascripts/``; :func:`inline_violations`
finds anything in a page that the policy would block, so a test can check the
whole built site.
"""
from __future__ import annotations

from html.parser import HTMLParser

# (directive, sources). Order is kept in the header.
DIRECTIVES: list[tuple[str, tuple[str, ...]]] = [
    ("default-src", ("'self'",)),
    # 'wasm-unsafe-eval' lets the site's own search (Pagefind) compile its WebAssembly;
    # it does not allow eval() of JavaScript nor any other origin.
    ("script-src", ("'self'", "'wasm-unsafe-eval'")),
    ("style-src", ("'self'",)),
    # data: only for the small SVG icons inside Material's own stylesheet (CSS mask-image).
    ("img-src", ("'self'", "data:")),
    ("font-src", ("'self'",)),
    ("connect-src", ("'self'",)),
    ("worker-src", ("'self'",)),
    ("manifest-src", ("'self'",)),
    ("media-src", ("'self'",)),
    ("object-src", ("'none'",)),
    ("base-uri", ("'self'",)),
    ("form-action", ("'self'",)),
    ("frame-ancestors", ("'self'",)),
]

# The web editor at /admin/ (Decap CMS, docs/editor.md) gets its own policy, for its folder only:
# its React styling (emotion) inserts <style> elements and its schema validator (ajv) compiles with
# new Function, so it needs 'unsafe-inline' styles and 'unsafe-eval'; blob: for previews of its own
# uploads; connect-src adds the local backend (decap-server on 127.0.0.1) in preview, or the Git
# host's API on an intranet host. Still no other origin for scripts, styles or frames.
ADMIN_DIRECTIVES: list[tuple[str, tuple[str, ...]]] = [
    ("default-src", ("'self'",)),
    ("script-src", ("'self'", "'unsafe-eval'")),
    ("style-src", ("'self'", "'unsafe-inline'")),
    ("img-src", ("'self'", "data:", "blob:")),
    ("font-src", ("'self'",)),
    ("connect-src", ("'self'",)),
    ("frame-src", ("'self'",)),
    ("object-src", ("'none'",)),
    ("base-uri", ("'self'",)),
    ("form-action", ("'self'",)),
    ("frame-ancestors", ("'self'",)),
]

# Directives that browsers ignore (with a console error) when given in a <meta> element.
HEADER_ONLY = {"frame-ancestors", "report-uri", "report-to", "sandbox"}

REFERRER_POLICY = "strict-origin-when-cross-origin"

# Headers for every response of the site (nginx adds them with `always`, so 404s get them too).
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": REFERRER_POLICY,
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def policy(*, meta: bool = False) -> str:
    """The policy as one header value; ``meta=True`` leaves out what a <meta> element may not carry."""
    parts = [f"{name} {' '.join(sources)}" for name, sources in DIRECTIVES if not (meta and name in HEADER_ONLY)]
    return "; ".join(parts)


def admin_policy(connect: tuple[str, ...] = (), *, meta: bool = False) -> str:
    """The /admin/ policy; ``connect`` adds origins the editor talks to (its Git backend)."""
    parts = []
    for name, sources in ADMIN_DIRECTIVES:
        if meta and name in HEADER_ONLY:
            continue
        parts.append(f"{name} {' '.join(sources + (connect if name == 'connect-src' else ()))}")
    return "; ".join(parts)


def admin_meta_html(connect: tuple[str, ...] = ()) -> str:
    return (f'<meta http-equiv="Content-Security-Policy" content="{admin_policy(connect, meta=True)}">'
            f'<meta name="referrer" content="{REFERRER_POLICY}">')


def headers() -> dict[str, str]:
    """Every security header, Content-Security-Policy first."""
    return {"Content-Security-Policy": policy(), **SECURITY_HEADERS}


def meta_html() -> str:
    """The <meta> tags for pages served by hosts that cannot set headers."""
    return (f'<meta http-equiv="Content-Security-Policy" content="{policy(meta=True)}">'
            f'<meta name="referrer" content="{REFERRER_POLICY}">')


# Script types that a browser executes (and CSP governs). Others, such as
# Material's <script type="application/json" id="__config">, are data.
_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: tuple[int, bool] | None = None  # (line, executable)
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        line = self.getpos()[0]
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"第 {line} 行 <{tag}>：事件属性 {name}=…（内联脚本）")
            if name == "style":
                self.problems.append(f"第 {line} 行 <{tag}>：style 属性（内联样式）")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"第 {line} 行 <{tag}>：{name}=javascript:…")
        if tag == "style":
            self.problems.append(f"第 {line} 行：<style> 元素（内联样式）")
        if tag == "script":
            executable = (a.get("type") or "").strip().lower() in _JS_TYPES
            self._script = (line, executable and "src" not in a)
            self._text = []

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            line, inline = self._script
            if inline and "".join(self._text).strip():
                self.problems.append(f"第 {line} 行：内联 <script>：{''.join(self._text).strip()[:60]}…")
            self._script = None


def inline_violations(html: str) -> list[str]:
    """What in ``html`` this policy would block: inline scripts, event attributes, style attributes, <style>."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.problems
