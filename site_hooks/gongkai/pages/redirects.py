"""Old URLs keep working: the redirect map from every plan's 原网址 (:mod:`gongkai.data.redirects`).

The build writes three things into the site folder (docs/publishing.md):

- ``redirects.map`` — the body of an nginx ``map $uri $gongkai_redirect { … }``; ``gongkai nginx``
  includes it and answers each old path with ``301`` to the plan's page.
- ``redirects.json`` — the same list for other hosts and CDNs (``from``, ``to``, ``status``).
- a small redirect page at each old path that a static file can stand for (``…/``, ``….html``/``.htm``/
  ``.shtml``, or a path without an extension), always: on a host that redirects (nginx) the host
  answers first, on one that cannot the page sends the visitor on (``meta refresh`` and a link,
  ``noindex``, ``canonical`` to the new page). Old paths ending in ``.jsp``, ``.aspx``, ``.php`` …
  get no page: a static host would serve it as a download.
"""
from __future__ import annotations

import json
from html import escape
from pathlib import PurePosixPath

from gongkai.data.model import Project
from gongkai.data.urls import base_path, rel

MAP_FILE = "redirects.map"
JSON_FILE = "redirects.json"
PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


def entries(project: Project) -> list[tuple[str, str, str, str]]:
    """(old path, new path, new URL relative to the site root, plan title) for every 原网址, sorted by old path."""
    base = base_path(project.site.base_url)
    out = [(old, base + plan.url, plan.url, plan.title) for plan in project.plans for old in plan.old_paths]
    return sorted(out)


def page_file(old: str, base: str) -> str | None:
    """The site-relative file that stands for the old path on a static host, or None."""
    if not old.startswith(base):
        return None  # outside the folder the site is published in
    inside = old[len(base):]
    if not inside or old.endswith("/"):
        return inside + "index.html"
    suffix = PurePosixPath(inside).suffix.lower()
    if suffix in PAGE_SUFFIXES:
        return inside
    if not suffix:
        return inside + "/index.html"
    return None


def redirect_page(project: Project, file: str, new_url: str, title: str) -> bytes:
    """A page that sends the visitor to ``new_url`` (site-relative) from the site-relative ``file``."""
    here = file.removesuffix("index.html") if file.endswith("index.html") else file
    href = escape(rel(here, new_url))
    canonical = escape(project.site.base_url + new_url)
    name = escape(title)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<title>页面已迁移：{name}</title>\n'
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '</head>\n<body>\n'
        f'<p>本页面已迁移到新的网址：<a href="{href}">{name}</a>。</p>\n'
        '</body>\n</html>\n'
    ).encode("utf-8")


def redirect_files(project: Project) -> dict[str, bytes]:
    """Every redirect file as {site-relative path: bytes} (the map and the JSON even when empty)."""
    rows = entries(project)
    base = base_path(project.site.base_url)
    lines = ["# 由 gongkai build 生成：旧平台网址（计划文件的“原网址”）→ 新页面。gongkai nginx 输出的配置包含本文件。\n"]
    lines += [f'"{old}" "{new}";\n' for old, new, _, _ in rows]
    files = {
        MAP_FILE: "".join(lines).encode("utf-8"),
        JSON_FILE: (json.dumps({"redirects": [{"from": old, "to": new, "status": 301} for old, new, _, _ in rows]},
                               ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    }
    for old, _, url, title in rows:
        file = page_file(old, base)
        if file is not None:
            files.setdefault(file, redirect_page(project, file, url, title))
    return files
