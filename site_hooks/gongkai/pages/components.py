"""The components' Jinja environment: one macro per folder in ``templates/components/<name>/``.

Autoescape is on, so a component's ``text`` params are always escaped and only ``html`` params
(``Markup``) go in as they are. :class:`RenderMemo` keeps the HTML of each distinct ``params``
between preview builds.
"""
from __future__ import annotations

import hashlib
import pickle
import re
from pathlib import Path
from typing import Any, Callable

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

_DICT_ATTRIBUTES = frozenset(dir(dict))


class ComponentEnvironment(Environment):
    """Jinja's environment, reading ``params.x`` from a dict without first trying a Python attribute.

    Jinja's ``getattr`` tries ``getattr(params, "x")`` first and looks the key up only after the
    ``AttributeError``; components read millions of dict keys in a 10,000-plan build, and the
    exception was ~12 % of page rendering. The result is the same: dict methods (``items``…, which
    the style guide forbids as keys) and every non-dict still go through Jinja's own lookup."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


# A component's macro.html: {% macro gk_<name>(params) %}{% include "components/<name>/template.html" %}{% endmacro %}
_OWN_TEMPLATE = re.compile(r'\{%-?\s*include\s+"(components/([a-z0-9_]+)/template\.html)"\s*-?%\}')


class ComponentLoader(FileSystemLoader):
    """Templates from the folder, with each component's template.html written into its macro.html.

    The files keep GOV.UK's shape (the macro includes its template), but an ``include`` at run time
    makes a new context on every call: the progress bar, called for every 主要目标 row (90,000 times
    at 10,000 plans), rendered twice as fast with its template in the macro, the 主要目标 table 1.6×.
    The output is the same (tests/test_components.py's golden HTML). A syntax error in a template.html is
    still reported in that file at its line (it is parsed alone first); an error while rendering names macro.html."""

    def get_source(self, environment: Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        if template.startswith("components/") and template.endswith("/macro.html"):
            folder = template[len("components/"):-len("/macro.html")]

            def own(m: re.Match) -> str:
                if m.group(2) != folder:
                    return m.group(0)
                text, path, _ = super(ComponentLoader, self).get_source(environment, m.group(1))
                environment.parse(text, m.group(1), path)  # a syntax error names template.html and its line
                return text.removesuffix("\n")

            source = _OWN_TEMPLATE.sub(own, source)
        return source, filename, uptodate


def make_env(templates_dir: Path | str) -> Environment:
    """The components' environment: autoescape on, so text params are always escaped."""
    return ComponentEnvironment(
        loader=ComponentLoader(str(templates_dir)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # one build reads each template once; no stat() per include
    )


def component(env: Environment, name: str, memo: RenderMemo | None = None) -> Callable[[dict[str, Any]], Markup]:
    """The macro ``gk_<name>`` from ``templates/components/<name>/macro.html``.

    With ``memo`` (the preview server's), the HTML of each distinct ``params`` is kept between builds:
    a macro's output depends on its params alone (no globals), so equal params give equal HTML."""
    module = env.get_template(f"components/{name}/macro.html").module
    macro = getattr(module, f"gk_{name}")

    def call(params: dict[str, Any]) -> Markup:
        html = macro(params)  # Markup already: the macro's template is autoescaped (and a copy of a page is not free)
        return html if type(html) is Markup else Markup(html)

    if memo is None:
        return call
    return lambda params: memo.get(name, params, lambda: call(params))


def digest(value: Any) -> bytes:
    """A short fingerprint of ``value``'s contents (pickle keeps Markup apart from str — trusted html
    vs escaped text — which json would not). Raises what pickle raises for values it cannot dump."""
    return hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()


class RenderMemo:
    """Rendered component HTML by (component, params), kept from one preview build to the next.

    Only what the last build used is kept, and everything is dropped when the templates change
    (:meth:`start` with a new key)."""

    def __init__(self) -> None:
        self.key: Any = None
        self._last: dict[tuple[str, bytes], Markup] = {}
        self._now: dict[tuple[str, bytes], Markup] = {}

    def start(self, key: Any) -> None:
        """Begin a build; ``key`` identifies the templates (their files' sizes and times)."""
        self._last = self._now if key == self.key else {}
        self._now, self.key = {}, key

    def get(self, name: str, params: Any, render: Callable[[], Markup]) -> Markup:
        try:
            key = (name, digest(params))
        except (pickle.PicklingError, TypeError, AttributeError):
            return render()
        html = self._now.get(key) or self._last.get(key)
        if html is None:
            html = render()
        self._now[key] = html
        return html
