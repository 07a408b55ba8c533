"""What the page modules share: the :class:`Page` record, the generation's :class:`PageContext`.

Breadcrumbs (:meth:`PageContext.crumbs`) and catalogue entries (:meth:`PageContext.entry`) are made
here for every page type. ``ROOT`` is the placeholder for the way back to the site root in the
chrome rendered once for all pages; the theme replaces it per page.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from jinja2 import Environment
from markupsafe import Markup, escape

from gongkai.data.model import Plan, Project
from gongkai.data.targets import closings
from gongkai.data.urls import XXGK, page_url, rel
from gongkai.pages.components import RenderMemo, component

ROOT = "@@GK_ROOT@@"  # replaced by the theme with the relative path to the site root


@dataclass
class Page:
    src_uri: str  # docs-relative "file" name, e.g. "xxgk/gdkjj/2024/gongzuo-jihua.md"
    url: str  # e.g. "xxgk/gdkjj/2024/gongzuo-jihua/"
    title: str
    html: str
    kind: str  # plan | catalogue | sitemap
    meta: list[tuple[str, str]] = field(default_factory=list)
    edit_path: str | None = None  # data file relative to the repository root
    description: str = ""


_MARKDOWN = re.compile(r"[#>*_`|\[\]]+|\(https?://[^)]*\)")
_SPACES = re.compile(r"\s+")


def lead(text: str, limit: int = 120) -> str:
    """The first ``limit`` characters of a plan's text (Markdown marks dropped), for ``<meta name="description">``:
    cut after the last full stop, semicolon or comma inside the limit."""
    text = str(text)
    plain = None
    # Only the beginning of a long body matters: what the marks and spaces of its first 4 × limit characters
    # become is the beginning of what the whole becomes (a link's "(http…)" cut there is taken up to its ")").
    end = 4 * limit
    if len(text) > end:
        opened = text.rfind("(", 0, end)
        if opened >= 0 and text.find(")", opened, end) < 0:
            closed = text.find(")", end)
            end = len(text) if closed < 0 else closed + 1
        head = _SPACES.sub(" ", _MARKDOWN.sub(" ", text[:end])).strip()
        plain = head if len(head) > limit + 1 else None
    if plain is None:
        plain = _SPACES.sub(" ", _MARKDOWN.sub(" ", text)).strip()
    if len(plain) <= limit:
        return plain
    cut = plain[:limit]
    stop = max(cut.rfind(mark) for mark in "。；！？，")
    return cut[:stop + 1] if stop >= limit // 2 else cut + "…"


def pager(url: str, here: str, number: int, total: int, unit: str = "页", label: str = "") -> str:
    """The ``gk-pager`` navigation of page ``number`` of ``total`` of the paginated page ``url`` (empty for one page):
    第1页 第2页 … for catalogues and 目标任务 tables, 第1部分 … (``unit``) for a 汇编; ``label`` names the navigation
    (two on one page need two names)."""
    if total <= 1:
        return ""
    links = []
    for n in range(1, total + 1):
        attr = ' aria-current="page"' if n == number else ""
        links.append(f'<li><a href="{rel(here, page_url(url, n))}"{attr}>第{n}{unit}</a></li>')
    label = label or ("分页" if unit == "页" else f"各{unit}")
    return f'<nav class="gk-pager" aria-label="{label}"><ul>{"".join(links)}</ul></nav>'


def esc(text: Any) -> str:
    """``text`` escaped for HTML, as a plain string (for pages assembled with f-strings)."""
    return str(escape(str(text)))


class PageContext:
    """What every page of one generation shares: the project, the components, breadcrumbs, list entries."""

    def __init__(self, project: Project, env: Environment, memo: RenderMemo | None = None,
                 closed: dict[str, list[Any]] | None = None):
        """``closed``: ``closings(project.plans)`` when the caller has it already (the preview keeps it)."""
        self.project = project
        self.env = env
        self.memo = memo
        self.c = {name: component(env, name, memo) for name in (
            "plan_page", "catalogue_list", "link_list", "breadcrumb", "site_footer", "top_links")}
        self.closings = closings(project.plans) if closed is None else closed  # 工作总结 → the targets it closes, once
        self._components: dict[str, Callable[[dict[str, Any]], Markup]] = dict(self.c)
        self.kept: dict[str, dict[Any, Any]] = {}  # what a pages/ module renders once per generation, by name (its own keys)

    def components(self, names: Iterable[str]) -> dict[str, Callable[[dict[str, Any]], Markup]]:
        """The macros ``names`` (each loaded once per generation), by name."""
        for name in names:
            if name not in self._components:
                self._components[name] = component(self.env, name, self.memo)
        return {name: self._components[name] for name in names}

    def crumbs(self, here: str, trail: list[tuple[str, str]], current: str = "page") -> dict[str, Any]:
        items = [{"text": "网站首页", "href": rel(here, "")}, {"text": "政府信息公开首页", "href": rel(here, XXGK)}]
        items += [{"text": text, "href": rel(here, url)} for text, url in trail]
        if items:
            items[-1]["current"] = current if items[-1]["href"] else None
        if here == XXGK:
            items = items[:2]
            items[-1]["current"] = "page"
        return {"crumbs": items}

    def status_of(self, plan: Plan) -> str:
        return plan.validity if plan.validity != "有效" else ""

    def entry(self, here: str, plan: Plan) -> dict[str, Any]:
        return {"title": plan.title, "href": rel(here, plan.url), "doc_no": plan.doc_no,
                "published": plan.published.isoformat(), "index_no": plan.index_no, "status": self.status_of(plan)}
