"""Jinja environment for the components, and the plan body's Markdown → safe HTML."""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import markdown
import markdown.extensions.toc  # render_body() is also used outside MkDocs, which imports it otherwise
import nh3
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

# The safe subset of HTML a plan body may contain (documented in SECURITY.md / 编辑指南).
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "code", "pre", "a", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "abbr", "span", "div", "dl", "dt", "dd", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def make_env(templates_dir: Path | str) -> Environment:
    """The components' environment: autoescape on, so text params are always escaped."""
    return Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def component(env: Environment, name: str) -> Callable[[dict[str, Any]], Markup]:
    """The macro ``gk_<name>`` from ``templates/components/<name>/macro.html``."""
    module = env.get_template(f"components/{name}/macro.html").module
    macro = getattr(module, f"gk_{name}")
    return lambda params: Markup(macro(params))


_local = threading.local()


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(
            extensions=["tables", "attr_list", "sane_lists", "toc"],
            extension_configs={"toc": {"slugify": markdown.extensions.toc.slugify_unicode, "permalink": False}},
            output_format="html",
        )
        _local.md = md
    return md


def sanitize(html: str) -> str:
    """Remove everything outside the safe subset (scripts, handlers, styles, unsafe URLs)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@lru_cache(maxsize=None)
def _cached_body(text: str) -> str:
    md = _markdown()
    md.reset()
    return sanitize(md.convert(text))


def render_body(text: str) -> Markup:
    """A plan body (Markdown written by an editor) as sanitised HTML."""
    return Markup(_cached_body(text))
