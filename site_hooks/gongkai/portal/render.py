"""The portal's own files: home, 政府信息公开 catalogue by department, search page, sitemap index and
Atom feed, rendered with plain Jinja from ``templates/portal/`` and the sites' search partial."""
from __future__ import annotations

import hashlib
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jinja2

from gongkai.portal.config import Department, Portal
from gongkai.runtime.paths import SOURCE_ROOT

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ASSETS = ["a11y-init.js", "gongkai.css", "gongkai.js", "search.js"]  # the sites' own, from templates/assets/gongkai/
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Item:
    title: str
    url: str       # relative to the portal root: kjt/xxgk/…/
    date: str      # YYYY-MM-DD
    index_no: str
    department: str


@dataclass
class Listing:
    """One department as the portal's pages show it."""

    name: str
    path: str
    slug: str
    site_name: str
    items: list[Item]  # newest first

    @property
    def years(self) -> list[tuple[str, int]]:
        return sorted(Counter(i.date[:4] for i in self.items).items(), reverse=True)


def listing(dept: Department, plans: dict[str, Any]) -> Listing:
    """The department's items from its plans.json, with URLs under the portal path."""
    base = plans["网址"].rstrip("/") + "/"
    items = []
    for entry in plans["条目"]:
        url = entry["网址"]
        rel = url[len(base):] if url.startswith(base) else url.split("://", 1)[-1].split("/", 1)[-1]
        date = entry["发布日期"] if _DATE.match(entry["发布日期"]) else "1970-01-01"
        items.append(Item(entry["名称"], dept.path + rel, date, str(entry.get("索引号") or ""), dept.name))
    items.sort(key=lambda i: i.date, reverse=True)
    return Listing(dept.name, dept.path, dept.slug, str(plans.get("网站") or dept.name), items)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SOURCE_ROOT / "templates")), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.globals["gk_asset"] = lambda path: path  # the portal's assets are not fingerprinted
    return env


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def atom_feed(portal: Portal, listings: list[Listing], size: int = FEED_SIZE) -> bytes:
    """The newest ``size`` items of every department (ties: portal.yml order)."""
    ET.register_namespace("", ATOM_NS)
    q = lambda tag: f"{{{ATOM_NS}}}{tag}"  # noqa: E731
    newest = sorted((i for d in listings for i in d.items), key=lambda i: i.date, reverse=True)[:size]
    feed = ET.Element(q("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    ET.SubElement(feed, q("id")).text = portal.base_url + "atom.xml"
    ET.SubElement(feed, q("title")).text = f"{portal.name} 最新信息"
    ET.SubElement(feed, q("updated")).text = f"{newest[0].date if newest else '1970-01-01'}T00:00:00+08:00"
    ET.SubElement(feed, q("link"), {"rel": "self", "type": "application/atom+xml", "href": portal.base_url + "atom.xml"})
    ET.SubElement(feed, q("link"), {"rel": "alternate", "type": "text/html", "href": portal.base_url})
    ET.SubElement(ET.SubElement(feed, q("author")), q("name")).text = portal.name
    for item in newest:
        entry = ET.SubElement(feed, q("entry"))
        ET.SubElement(entry, q("id")).text = portal.base_url + item.url
        ET.SubElement(entry, q("title")).text = item.title
        ET.SubElement(entry, q("link"), {"rel": "alternate", "type": "text/html", "href": portal.base_url + item.url})
        stamp = f"{item.date}T00:00:00+08:00"
        ET.SubElement(entry, q("published")).text = stamp
        ET.SubElement(entry, q("updated")).text = stamp
        ET.SubElement(ET.SubElement(entry, q("author")), q("name")).text = item.department
    return _xml(feed)


def sitemap_index(portal: Portal, listings: list[Listing]) -> bytes:
    """sitemap.xml: a sitemap index of the portal's own pages and every department's sitemap.xml."""
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for loc in [portal.base_url + "sitemap-portal.xml", *(portal.base_url + d.path + "sitemap.xml" for d in listings)]:
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP_NS}}}sitemap"), f"{{{SITEMAP_NS}}}loc").text = loc
    return _xml(root)


def portal_sitemap(portal: Portal) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in ("", "xxgk/", "search/"):
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP_NS}}}url"), f"{{{SITEMAP_NS}}}loc").text = portal.base_url + url
    return _xml(root)


def release_of(build: str) -> str:
    """The portal's release id (``<meta name="gk-release">``, which ``gongkai deploy`` requires): its index's
    build id and the templates and assets it is made of."""
    h = hashlib.sha256(build.encode())
    for folder in ("portal", "partials", "assets/gongkai"):
        for path in sorted((SOURCE_ROOT / "templates" / folder).glob("*.*")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def write_pages(out: Path, portal: Portal, listings: list[Listing], documents: int, build: str = "") -> list[str]:
    """Every page and file of the portal except its search index; the site-relative paths written."""
    env = _env()
    common = {"portal": portal, "departments": listings, "documents": documents, "release": release_of(build)}
    pages = {
        "404.html": ("portal/404.html", {"title": "页面不存在", "root": "/", "here": ""}),
        "index.html": ("portal/index.html", {"title": "首页", "root": "", "here": "home"}),
        "xxgk/index.html": ("portal/xxgk.html", {"title": "政府信息公开", "root": "../", "here": "xxgk"}),
        "search/index.html": ("portal/search.html", {"title": "搜索", "root": "../", "here": "search", "base_url": ".."}),
    }
    written = []
    for rel, (template, extra) in pages.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.get_template(template).render(**common, **extra), encoding="utf-8")
        written.append(rel)
    files = {"atom.xml": atom_feed(portal, listings), "sitemap.xml": sitemap_index(portal, listings),
             "sitemap-portal.xml": portal_sitemap(portal),
             "robots.txt": f"User-agent: *\n\nSitemap: {portal.base_url}sitemap.xml\n".encode()}
    for rel, data in files.items():
        (out / rel).write_bytes(data)
        written.append(rel)
    assets = out / "assets" / "gongkai"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(SOURCE_ROOT / "templates" / "assets" / "gongkai" / name, assets / name)
    shutil.copyfile(SOURCE_ROOT / "templates" / "portal" / "portal.css", assets / "portal.css")
    written += [f"assets/gongkai/{n}" for n in (*ASSETS, "portal.css")]
    return written
