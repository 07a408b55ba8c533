"""The site's own stylesheets as one file, and the scripts that must run before the first paint as one.

A page is not painted before every stylesheet in its ``<head>`` and every synchronous script
there have arrived (docs/benchmarks.md, "Page weight"). The sources stay separate in
``templates/assets/gongkai/`` — the page styles, the 主要目标 styles, the 无障碍 toolbar and
the 长辈版 each have their own file, their own comments and their own size budget
(tests/test_a11y_layout.py) — and the build joins them, in the order below, into one file
each. :func:`gongkai.release.fingerprint` then names the joined file after its content.

The parts are not published on their own: no page loads them.

Every stylesheet and script of the site's own (``assets/gongkai/*.css|js``, bundles included) is then
minified (:func:`minify`: rcssmin and rjsmin, which only drop comments and whitespace; a ``/*! … */``
comment is kept), in ``gongkai build`` and in the preview alike, so that what is previewed is what is
published. The readable sources stay in templates/; no source map is written (the comment at the top
of a bundle names its sources instead).
"""
from __future__ import annotations

import posixpath
from typing import Any

import rcssmin
import rjsmin

OWN_ASSETS = "assets/gongkai/"

# bundle -> its parts, in order. For the stylesheet the order is the cascade order: later rules win.
BUNDLES: dict[str, tuple[str, ...]] = {
    # mkdocs.yml extra_css: the only stylesheet after Material's main.css (base.html's block styles
    # is overridden in templates/main.html without palette.css, which has no rule for primary: custom).
    "assets/gongkai/site.css": (
        "assets/gongkai/gongkai.css",   # page, metadata table, header and footer colours
        "assets/gongkai/targets.css",   # 主要目标 table, progress bars, charts, print styles of the 汇编
        "assets/gongkai/nianbao.css",   # 年报 tables: phone scrolling with sticky row headers, 长辈版, print layout
        "assets/gongkai/a11y.css",      # skip link, focus, the 无障碍 toolbar and its settings, print
        "assets/gongkai/elder.css",     # 长辈版 (html.gk-elder)
    ),
    # templates/partials/javascripts/base.html: the one synchronous script, in <head>. Both parts must
    # run before the first paint: Material's __md_* helpers (which its deferred bundle reads) and the
    # stored 长辈版 / 无障碍 settings (which would otherwise flash in after the first paint).
    "assets/gongkai/init.js": (
        "assets/gongkai/material-init.js",
        "assets/gongkai/a11y-init.js",
    ),
}


class BundleError(SystemExit):
    """A part is missing: MkDocs prints the Chinese message plainly and stops."""


def join(name: str, parts: list[tuple[str, bytes]]) -> bytes:
    """The bundle ``name`` made of ``parts`` ([(uri, bytes)]), each after a comment naming its source."""
    sources = "、".join("templates/" + uri for uri, _ in parts)
    out = [f"/*! {posixpath.basename(name)}：由 site_hooks/gongkai/engine/bundles.py 合并 {sources} 生成；请修改这些源文件。 */\n"]
    for uri, data in parts:
        text = data.decode("utf-8").lstrip("\ufeff").rstrip()
        if name.endswith(".js") and not text.endswith(";"):
            text += ";"  # the next part may start with "(": it must not become a call
        out.append(f"\n/* ---- {posixpath.basename(uri)} ---- */\n{text}\n")
    return "".join(out).encode("utf-8")


def bundle(files: Any, config: Any) -> list[str]:
    """Replace each bundle's parts in MkDocs' ``files`` by the joined file; returns the bundles' names."""
    from mkdocs.structure.files import File

    for name, uris in BUNDLES.items():
        parts = []
        for uri in uris:
            f = files.get_file_from_path(uri)
            if f is None:
                raise BundleError(f"\ntemplates/{uri}：找不到这个文件 — 它是 {name} 的一部分；"
                                  "请恢复它，或从 site_hooks/gongkai/engine/bundles.py 的 BUNDLES 中删去")
            parts.append((uri, f.content_bytes))
            files.remove(f)
        files.append(File.generated(config, name, content=join(name, parts)))
    minify(files, config)
    return list(BUNDLES)


def minified(uri: str, data: bytes) -> bytes:
    """``data`` (the file ``uri``, .css or .js) without comments and needless whitespace."""
    text = data.decode("utf-8").lstrip("\ufeff")
    small = (rcssmin.cssmin(text, keep_bang_comments=True) if uri.endswith(".css")
             else rjsmin.jsmin(text, keep_bang_comments=True))
    return small.encode("utf-8")


def minify(files: Any, config: Any) -> None:
    """Replace each of the site's own stylesheets and scripts in ``files`` by its minified copy."""
    from mkdocs.structure.files import File

    for f in list(files):
        uri = f.src_uri
        if uri.startswith(OWN_ASSETS) and uri.endswith((".css", ".js")):
            files.remove(f)
            files.append(File.generated(config, uri, content=minified(uri, f.content_bytes)))
