"""Checks that keep editors' data from breaking out of its place (see SECURITY.md).

Called by the loader; every finding is a Chinese ``path:line`` problem:

- :func:`check_department_slug` — a department's folder name becomes ``xxgk/<slug>/``:
  it must be a slug, not a Windows device name, and not one of the catalogue's own folders.
- :func:`check_badge` — the 党政机关网站标识 image must be a file inside ``content/``
  (no ``..``, absolute paths, backslashes, links, scripts in SVG) and its link a web address.
- the body's HTML that the sanitizer removes is reported by :mod:`gongkai.data.drafts` at its own line.
- :func:`check_outputs` — no two sources write the same output file (generated pages,
  pagination pages, hand-written pages, files copied from ``content/``), and relative links
  in a body point at a page that exists.
"""
from __future__ import annotations

import posixpath
from collections import Counter
import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from gongkai.data import schema
from gongkai.data.checker import FileChecker, is_web_url
from gongkai.data.targets import Target
from gongkai.data.urls import (CATALOGUE_FOLDERS, FEED, OPEN_DATA_URL, PAGE_SIZE, PLANS_JSON, SCHEMA_URLS, SITEMAP,
                               SITEMAP_XML, TARGETS_CSV, TARGETS_JSON, TARGETS_URL, XXGK, NIANBAO_URL, cat_url, compilation_parts,
                               compilation_url, dept_cat_url, dept_url, indicator_url, page_url, target_pages, targets_dept_url,
                               targets_year_url, topic_url, year_url)
from gongkai.markup.body import render_body
from gongkai.markup.removed import inventory

if TYPE_CHECKING:  # pragma: no cover
    from gongkai.data.model import Project
    from gongkai.problems import Problems

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


# --- names and paths ----------------------------------------------------------------------


def slug_problem(stem: str, name_hint: str, reserved_hint: str) -> tuple[str, str] | None:
    """(message, hint) when a file name cannot be a URL folder (not a slug, a Windows device name), else None.
    The one rule for departments' and plans' file names; the hints say what to name that kind of file."""
    if unicodedata.normalize("NFC", stem) != stem or not re.fullmatch(schema.SLUG_PATTERN, stem):
        return f"文件名“{stem}”不能用作网址", name_hint
    if stem in WINDOWS_RESERVED:
        return f"文件名“{stem}”是 Windows 的保留名", reserved_hint
    return None


def check_department_slug(c: FileChecker, stem: str, content_urls: set[str]) -> None:
    """The department's file name (its URL folder) must be a safe, free slug."""
    where = ("标识",) if "标识" in (c.doc.data or {}) else ()
    bad = slug_problem(stem, "发布机构文件名只用小写字母、数字和连字符，例如 gdkjj.yml", "请换一个标识，例如加上地名缩写")
    if bad:
        c.error(where, *bad)
    elif stem in CATALOGUE_FOLDERS or f"xxgk/{stem}/" in content_urls:
        c.error(where, f"标识“{stem}”与网站已有的栏目网址 xxgk/{stem}/ 重复", "请换一个标识（fl、zt、nd、nianbao 和 content/xxgk/ 下的页面名已被使用）")


def check_badge(c: FileChecker, root: Path) -> None:
    """党政机关网站标识: an image file inside content/, and a web address to link to."""
    badge = c.doc.data.get("党政机关网站标识")
    if not isinstance(badge, dict):
        return
    link = badge.get("链接")
    if link not in (None, "") and not is_web_url(str(link)):
        c.error(("党政机关网站标识", "链接"), f"“{link}”不是完整的网址", "请以 http:// 或 https:// 开头")
    image = str(badge.get("图片") or "")
    if not image:
        return
    problem = content_path_problem(image, root, IMAGE_TYPES)
    if problem:
        c.error(("党政机关网站标识", "图片"), problem, "请把标识图片放到 content/assets/ 下，写成 assets/dzjg.png 这样的相对路径")


def content_path_problem(value: str, root: Path, suffixes: set[str]) -> str | None:
    """Why ``value`` is not a safe path to an existing file in content/ with one of ``suffixes`` (or None)."""
    if "\\" in value:
        return f"路径“{value}”含有反斜杠“\\”"
    if urlsplit(value).scheme or value.startswith("/"):
        return f"“{value}”不是 content/ 下的相对路径"
    parts = value.split("/")
    if any(p.startswith(".") or not p for p in parts):
        return f"路径“{value}”不能含有“..”或以“.”开头的部分"
    if re.search(r"[\x00-\x1f\x7f]", value) or unicodedata.normalize("NFC", value) != value:
        return f"路径“{value}”含有控制字符或未规范化的字符"
    if PurePosixPath(value).suffix.lower() not in suffixes:
        return f"“{value}”不是允许的文件类型（可用：{'、'.join(sorted(suffixes))}）"
    content = (root / "content").resolve()
    path = root / "content" / value
    if path.is_symlink() or not path.resolve().is_relative_to(content):
        return f"“{value}”是符号链接或指向 content/ 以外"
    if not path.is_file():
        return f"找不到文件 content/{value}"
    return None


# --- the body's Markdown: nesting, and what the sanitizer removed ----------------------------

MAX_BODY_NESTING = 10  # quote and list levels; Markdown's toc walks the tree quadratically in its depth
_MARKER = re.compile(r"\s*(?:>|[-*+](?=\s)|\d{1,9}[.)](?=\s))")


def body_nesting(body: str) -> tuple[int, int]:
    """(deepest quote/list nesting, its line within the body), counting markers and 4-space indents."""
    deepest, where = 0, 0
    for n, line in enumerate(body.split("\n"), 1):
        indent = (len(line) - len(line.lstrip(" "))) // 4
        depth, pos = 0, 0
        while (m := _MARKER.match(line, pos)) and m.end() > pos:
            depth, pos = depth + 1, m.end()
        if depth + indent > deepest:
            deepest, where = depth + indent, n
    return deepest, where


def check_body(c: FileChecker, body: str) -> bool:
    """Markdown the renderer cannot handle in reasonable time is an error (before it is rendered)."""
    depth, n = body_nesting(body)
    if depth > MAX_BODY_NESTING:
        c.error(("正文",), f"正文第{n}行的引用或列表嵌套太深（{depth}层，最多{MAX_BODY_NESTING}层）",
                "请检查这一行开头的“>”“-”和缩进是否多写了")
        return False
    return True



# --- output files ------------------------------------------------------------------------------


def content_urls(root: Path) -> dict[str, str]:
    """Output URL → source, for every file MkDocs takes from content/ (pages and copied files)."""
    out: dict[str, str] = {}
    base = root / "content"
    if not base.is_dir():
        return out
    for path in sorted(base.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(base).parts):
            continue
        rel = path.relative_to(base).as_posix()
        if rel.endswith(".md"):
            stem = rel[:-3]
            name = posixpath.basename(stem)
            url = (posixpath.dirname(stem) + "/").lstrip("/") if name in ("index", "README") else stem + "/"
        elif rel.endswith("/index.html") or rel == "index.html":
            url = rel[: -len("index.html")]
        else:
            url = rel  # a copied file: its own name
        out.setdefault(url, f"content/{rel}")
    return out


def planned_urls(project: "Project") -> list[tuple[str, str, int, str]]:
    """(url, source file, line, what) for every page :func:`gongkai.pages.generate.generate` writes."""
    out: list[tuple[str, str, int, str]] = []

    def paged(url: str, count: int, source: str, line: int, what: str) -> None:
        out.append((url, source, line, what))
        for n in range(2, -(-count // PAGE_SIZE) + 1):
            out.append((f"{url}{n}/", source, line, f"{what}第{n}页"))

    plans = project.plans
    for p in plans:
        out.append((p.url, p.path, 0, f"计划“{p.title}”"))
        for i, a in enumerate(p.attachments):
            out.append((a.url, p.path, p.line_of.get(("附件", i, "文件"), 0), f"附件“{a.file}”"))
    # counted in one pass (counting per list was 500,000 comparisons at 10,000 plans, twice a build)
    per_dept = Counter(p.department.slug for p in plans)
    per_dept_cat = Counter((p.department.slug, p.category) for p in plans)
    per_cat = Counter(p.category for p in plans)
    per_topic = Counter(p.topic for p in plans)
    per_first_topic = Counter(p.topic.split("\\")[0] for p in plans)  # a plan of “一级\\二级” is listed under 一级 too
    for slug, dept in sorted(project.departments.items()):
        paged(dept_url(slug), per_dept[slug], dept.path, 0, f"发布机构“{dept.short_name}”的目录")
        for name in dept.categories:
            cat = project.category(name)
            paged(dept_cat_url(slug, cat.slug), per_dept_cat[(slug, name)], dept.path, 0, f"“{dept.short_name} {name}”目录")
    for cat in project.categories:
        if per_cat[cat.name]:
            paged(cat_url(cat.slug), per_cat[cat.name], "data/vocab/categories.yml", 0, f"组配分类“{cat.name}”目录")
    for t in project.topics:
        count = per_topic[t.name] if "\\" in t.name else per_first_topic[t.name]
        if count:
            paged(topic_url(t.slug), count, "data/vocab/topics.yml", 0, f"主题分类“{t.name}”目录")
    for year, count in sorted(Counter(p.year for p in plans).items()):
        paged(year_url(year), count, "data/plans", 0, f"{year}年度目录")
    out.append((XXGK, "data/plans", 0, "政府信息公开首页"))
    out.append((NIANBAO_URL, "data/nianbao", 0, "政府信息公开年报目录"))
    for r in project.reports:
        out.append((r.url, r.path, 0, f"年度报告“{r.title}”"))
    out.append((SITEMAP, "data/site.yml", 0, "网站地图"))
    _targets_urls(project, out)
    return out


def _targets_urls(project: "Project", out: list[tuple[str, str, int, str]]) -> None:
    """The 目标任务 pages (per year, year × department, indicator; paginated) and the 汇编 parts
    (:mod:`gongkai.pages.targets`), counted the way it paginates them."""
    years: dict[int, dict[str, int]] = {}
    indicators: dict[str, tuple[str, int]] = {}
    compilations: dict[tuple[str, int], int] = {}
    for p in project.plans:
        compilations[(p.department.slug, p.year)] = compilations.get((p.department.slug, p.year), 0) + 1
        for t in p.targets:
            if isinstance(t, Target):
                depts = years.setdefault(p.year, {})
                depts[p.department.slug] = depts.get(p.department.slug, 0) + 1
                slug, n = indicators.get(t.indicator.name, (t.indicator.slug, 0))
                indicators[t.indicator.name] = (slug, n + 1)
    where = "data/vocab/indicators.yml"
    out.append((TARGETS_URL, "data/plans", 0, "目标任务首页"))
    for year, depts in sorted(years.items()):
        out.append((targets_year_url(year), "data/plans", 0, f"{year}年目标任务"))
        for dept, count in sorted(depts.items()):
            for n in range(1, target_pages(count) + 1):
                out.append((page_url(targets_dept_url(year, dept), n), "data/plans", 0,
                            f"“{project.departments[dept].short_name}”{year}年目标任务" + (f"第{n}页" if n > 1 else "")))
    for name, (slug, count) in sorted(indicators.items()):
        for n in range(1, target_pages(count) + 1):
            out.append((page_url(indicator_url(slug), n), where, 0, f"指标“{name}”的页面" + (f"第{n}页" if n > 1 else "")))
    for (dept, year), count in sorted(compilations.items()):
        for n in range(1, compilation_parts(count) + 1):
            out.append((page_url(compilation_url(dept, year), n), "data/plans", 0,
                        f"“{project.departments[dept].short_name}”{year}年度计划汇编" + (f"第{n}部分" if n > 1 else "")))


def output_names(project: "Project", planned: list[tuple[str, str, int, str]] | None = None) -> dict[str, str]:
    """Every site-relative URL the build writes (pages, copied files, data files) → what it is, for messages
    (``planned``: :func:`planned_urls`, if the caller has it)."""
    out = {url: what for url, _, _, what in (planned_urls(project) if planned is None else planned)}
    for url, source in content_urls(project.root).items():
        out.setdefault(url, f"手写页面（{source}）")
    for url in (OPEN_DATA_URL, PLANS_JSON, TARGETS_CSV, TARGETS_JSON, FEED, SITEMAP_XML, TARGETS_URL,
                *SCHEMA_URLS.values(), "404.html", "robots.txt", "redirects.json", "search/", "assets/"):
        out.setdefault(url, "自动生成的文件")
    return out


def check_outputs(project: "Project", problems: "Problems", planned: list[tuple[str, str, int, str]] | None = None) -> None:
    """Two sources never write one output file; relative links in bodies lead to a page (``planned``: as above)."""
    written: dict[str, tuple[str, int, str]] = {}
    for url, source, line, what in (planned_urls(project) if planned is None else planned):
        if url in written:
            other = written[url]
            problems.add(source, line, "", f"{what}的网址 {url} 与{other[2]}（{other[0]}）相同",
                         "请修改标识或文件名，使网址不重复")
            continue
        written[url] = (source, line, what)
    content = content_urls(project.root)
    for url, source in content.items():
        if url in written:
            problems.add(source, 0, "", f"与自动生成的{written[url][2]}网址 {url} 相同",
                         "请给这个手写页面换一个文件名或文件夹")
    known = set(written) | set(content)
    for plan in project.plans:
        _check_body_links(plan, known, problems)


def _check_body_links(plan, known: set[str], problems: "Problems", limit: int = 5) -> None:
    if "](" not in plan.body and "href" not in plan.body:
        return
    inv = inventory(str(render_body(plan.body)))
    line = plan.line_of.get(("正文",), 0)
    found: list[tuple[str, str]] = []
    for href in dict.fromkeys(inv.hrefs):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("//"):
            continue  # external: the visitor's browser fetches it only when clicked
        if not parts.path:
            if parts.fragment and unquote(parts.fragment) not in inv.ids:
                found.append((f"链接“{href}”指向本页不存在的位置", "“#”后面要写本页某个标题生成的 id；不确定时请删除这个链接"))
            continue
        target = posixpath.normpath(posixpath.join(plan.url, unquote(parts.path)))
        if target.startswith("../") or target == "..":
            found.append((f"链接“{href}”指向网站以外", "站内链接请写相对于本页的路径"))
            continue
        target = "" if target == "." else target
        candidates = {target, target + "/", target.removesuffix("index.html"), target.removesuffix(".md") + "/"}
        if not candidates & known:
            found.append((f"链接“{href}”指向的页面不存在", "请检查链接；其他计划请在“相关文件”里用“文件: 机构标识/年度/文件名”引用"))
    for message, hint in found[:limit]:
        problems.add(plan.path, line, "正文", message, hint)
    if len(found) > limit:
        problems.add(plan.path, line, "正文", f"链接问题还有 {len(found) - limit} 处没有列出", "请先修改上面的链接")
