"""Fixtures for the 无障碍 / 长辈版 browser tests (issue 3).

Import from a test module with ``from conftest_a11y import *`` (pytest finds the names).

- ``a11y_server``: conftest's ``sample_site`` served by Python's http.server on 127.0.0.1 (free port);
- ``new_page(...)``: a fresh context and page that records every request, so a test can
  assert that nothing left 127.0.0.1;
- ``run_axe(page)``: axe-core (from ``make test-deps``) with the WCAG 2.1 A/AA tags,
  returning the violations; ``format_violations`` prints them readably.
"""
from __future__ import annotations

import functools
import http.server
import json
import threading
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
AXE_JS = ROOT / "tests" / ".deps" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = ROOT / "tests" / "artifacts"
STORAGE_KEY = "gongkai.a11y"  # localStorage key of the toolbar's and 长辈版's settings

# Every page type of the site, checked in every mode. A new page type is one more line here
# (the search page: ("search", "<its url>/"),).
A11Y_PAGES = [
    ("home", ""),
    ("xxgk", "xxgk/"),
    ("department", "xxgk/gdkjj/"),
    ("category", "xxgk/gdkjj/ghjh/"),
    ("plan", "xxgk/gdkjj/2024/gongzuo-jihua/"),
    ("sitemap", "wzdt/"),
    ("404", "404.html"),
    ("wza", "wza/"),
    ("search", "search/"),
    ("nianbao", "xxgk/nianbao/skjj/2024/"),  # 年报: the three tables (two-level headers), the chart
    ("nianbao-index", "xxgk/nianbao/"),
    ("targets-year", "mbrw/2024/"),  # 目标任务: the year's overview (a table of departments)
    ("targets-dept", "mbrw/2024/skjj/"),  # one department's targets of the year (the paginated page)
]
PLAN = "xxgk/gdkjj/2024/gongzuo-jihua/"

__all__ = ["AT_BODY", "dump", "a11y_server", "new_page", "run_axe", "format_violations",
           "ARTIFACTS", "AXE_TAGS", "A11Y_PAGES", "PLAN", "STORAGE_KEY", "settings_script", "tts_stub",
           "JS_TEXT_PROBLEMS", "JS_SMALL_TARGETS", "JS_OVERFLOW", "JS_HEADINGS", "CHECKS"]


# Test modules star-import these names, so pytest sees one copy of each fixture per module: the server
# is made once (kept in _shared); the built site and the browser are conftest.py's session fixtures.
_shared: dict = {}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@pytest.fixture(scope="session")
def a11y_server(sample_site):
    """Base URL (ending in /) of the built sample site, served on 127.0.0.1 with a free port."""
    if "server" not in _shared:
        handler = functools.partial(_QuietHandler, directory=str(sample_site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        _shared["server"] = (server, thread)
    server, thread = _shared["server"]
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    if _shared.pop("server", None):  # the first teardown at the end of the session stops it
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def new_page(browser, a11y_server):
    """Factory: ``new_page(width=1280, height=800, **context_options)`` -> page.

    ``page.gk_requests`` lists every URL the page asked for; at teardown the test fails if any
    of them left 127.0.0.1 (the site must make no request outside itself)."""
    contexts = []

    def make(width: int = 1280, height: int = 800, **options):
        options.setdefault("locale", "zh-CN")
        # Pages carry a 'self'-only CSP <meta>; axe-core is injected as an inline script, so the
        # test context lets it in. The CSP itself is tested in tests/test_publish_*.py.
        options.setdefault("bypass_csp", True)
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.gk_requests = []
        page.on("request", lambda req: page.gk_requests.append(req.url))
        page.gk_errors = []
        page.on("pageerror", lambda exc: page.gk_errors.append(str(exc)))
        return page

    yield make
    outside = []
    errors = []
    for context in contexts:
        for page in context.pages:
            outside += [u for u in page.gk_requests
                        if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).hostname != "127.0.0.1"]
            errors += page.gk_errors
        context.close()
    assert not outside, "页面请求了本站以外的地址：\n" + "\n".join(outside)
    assert not errors, "页面脚本出错：\n" + "\n".join(errors)


def run_axe(page, *, tags: list[str] | None = None, rules: list[str] | None = None) -> list[dict]:
    """Inject axe-core into ``page`` and return its violations (WCAG 2.1 A/AA by default)."""
    if not AXE_JS.is_file():
        pytest.fail(f"找不到 {AXE_JS.relative_to(ROOT)}：请先运行 make test-deps（用 npm 下载固定版本的 axe-core）")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the pages' 'self'-only CSP does not
        # govern (an injected <script> would be blocked, and must be: that is the CSP working).
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": tags or AXE_TAGS}
    result = page.evaluate(
        """async (runOnly) => {
            const r = await axe.run(document, {runOnly, resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                          summary: n.failureSummary}))}));
        }""",
        run_only,
    )
    return result


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for n in v["nodes"][:10]:
            lines.append(f"    {n['target']}\n      {n['html']}\n      " + (n["summary"] or "").replace("\n", "\n      "))
        if len(v["nodes"]) > 10:
            lines.append(f"    … 另有 {len(v['nodes']) - 10} 处")
    return "\n".join(lines)


def axe_version(page) -> str:
    return page.evaluate("() => window.axe && axe.version")


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


def settings_script(**settings) -> str:
    """An init script that stores toolbar / 长辈版 settings before the page's own scripts run."""
    return f"localStorage.setItem({json.dumps(STORAGE_KEY)}, {json.dumps(json.dumps(settings))});"


def tts_stub(voices: list[dict] | None = None, *, supported: bool = True) -> str:
    """An init script replacing the Web Speech API by a recorder (the code under test is unchanged).

    ``window.__tts.log`` lists every call; an utterance stays "speaking" until the test calls
    ``__tts.finish()``, which fires its ``onend`` like a real engine does at the end of the text."""
    if not supported:
        return "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;" \
               "Object.defineProperty(window, 'speechSynthesis', {value: undefined});"
    voices = voices if voices is not None else [{"name": "测试中文语音", "lang": "zh-CN"}]
    return """(() => {
  const log = []; let pending = null;
  const voices = %s.map(v => Object.assign({default: false, localService: true, voiceURI: v.name}, v));
  class Utterance { constructor(text) { this.text = text; this.lang = ''; this.rate = 1; this.voice = null; } }
  const synth = {
    getVoices: () => voices,
    speak(u) { log.push({op: 'speak', text: u.text, lang: u.lang, rate: u.rate, voice: u.voice && u.voice.name}); pending = u; },
    cancel() { log.push({op: 'cancel'}); const p = pending; pending = null; if (p && p.onerror) setTimeout(() => p.onerror({error: 'canceled'}), 0); },
    pause() { log.push({op: 'pause'}); }, resume() { log.push({op: 'resume'}); },
    addEventListener() {}, removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = Utterance;
  window.__tts = {log, finish() { const p = pending; pending = null; if (p && p.onend) p.onend({}); },
                  spoken() { return log.filter(e => e.op === 'speak'); }};
})();""" % json.dumps(voices, ensure_ascii=False)


# --- measurements done in the page ------------------------------------------------------
# Records <html>'s classes at the moment <body> is parsed (window.__gkAtBody): anything set later could flash.
AT_BODY = """new MutationObserver((ms, obs) => { if (document.body) { window.__gkAtBody = document.documentElement.className; obs.disconnect(); } })
  .observe(document, {childList: true, subtree: true});"""


# Shared helpers: is an element really visible, its colours after alpha blending, contrast ratio.
_JS_HELPERS = r"""
const visible = (el) => {
  if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true, opacityProperty: true, visibilityProperty: true})) return false;
  const r = el.getBoundingClientRect();
  return r.width > 2 && r.height > 2;  // also leaves out the 1px "visually hidden" text
};
const rgba = (c) => { const m = c.match(/[\d.]+/g) || [0, 0, 0, 0]; return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
const over = (top, bottom) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
const background = (el) => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0) layers.push(c); if (c[3] >= 1) break; }
  let bg = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
  return bg;
};
const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
const label = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' "' + (el.innerText || el.value || '').trim().slice(0, 20) + '"';
const textElements = () => Array.from(document.body.querySelectorAll('*')).filter(el =>
  Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) && visible(el) && !el.closest('script,style,noscript,.gk-skip'));
"""

# Text that is too small, too tightly spaced or of too low contrast: [{el, ...}] (empty = all good).
JS_TEXT_PROBLEMS = "(opts) => {" + _JS_HELPERS + r"""
  const out = [];
  for (const el of textElements()) {
    const cs = getComputedStyle(el), size = parseFloat(cs.fontSize);
    const fg = over(rgba(cs.color), background(el)), r = ratio(fg, background(el));
    if (opts.minSize && size < opts.minSize - 0.01) out.push({el: label(el), problem: 'font-size', value: size});
    if (opts.minContrast && r < opts.minContrast) out.push({el: label(el), problem: 'contrast', value: Math.round(r * 100) / 100, color: cs.color, bg: background(el).join(',')});
  }
  return out;
}"""

# Links and controls smaller than min x min CSS pixels.
JS_SMALL_TARGETS = "(min) => {" + _JS_HELPERS + r"""
  const sel = 'a[href],button,input:not([type=hidden]),select,textarea,summary,[role=button],[tabindex]:not([tabindex="-1"])';
  return Array.from(document.querySelectorAll(sel)).filter(el => visible(el) && !el.classList.contains('gk-skip')).map(el => {
    const r = el.getBoundingClientRect();
    return {el: label(el), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10};
  }).filter(t => t.width < min - 0.5 || t.height < min - 0.5);
}"""

# Elements sticking out of the viewport on the right (horizontal scrolling, or cut off).
JS_OVERFLOW = "() => {" + _JS_HELPERS + r"""
  const w = document.documentElement.clientWidth;
  // inside a keyboard-focusable sideways scroller (the 年报 tables: role=region, tabindex=0) content may be
  // wider than the screen; the scroller itself must fit
  const scrolled = el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (a.matches('[role="region"][tabindex="0"]') && ['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) return true; }
    return false; };
  const out = Array.from(document.body.querySelectorAll('*')).filter(el => visible(el) && !el.closest('.gk-guide') && !scrolled(el)).map(el => {
    const r = el.getBoundingClientRect(); return {el: label(el), left: Math.round(r.left), right: Math.round(r.right)};
  }).filter(t => t.right > w + 1 || t.left < -1);
  return {width: w, scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth, out: out.slice(0, 15)};
}"""

# Headings in document order: [[level, text], ...].
JS_HEADINGS = r"""() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).filter(h => h.getClientRects().length)
  .map(h => [+h.tagName[1], h.textContent.trim()])"""

# Structure every page must have.
CHECKS = r"""() => ({
  lang: document.documentElement.lang,
  firstFocusable: (Array.from(document.querySelectorAll('a[href],button,input,select,textarea,[tabindex]:not([tabindex="-1"])'))
    .find(e => getComputedStyle(e).display !== 'none') || {}).className,
  skipTarget: !!document.getElementById((document.querySelector('.gk-skip') || {hash: '#'}).hash.slice(1)),
  mains: document.querySelectorAll('main,[role=main]').length,
  banner: !!document.querySelector('header.md-header'),
  footer: !!document.querySelector('footer'),
  title: document.title,
})"""
