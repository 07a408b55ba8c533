"""The site's URL scheme: where every page and published file of a project lives.

All URLs are site-relative and directory style (``xxgk/gdkjj/2024/gongzuo-jihua/``); pages link
with :func:`rel`, so the site works from any folder of any static host. The scheme belongs to the
data, not to page generation: the loader's checks (two sources writing one file, body links that
lead nowhere, a department slug taking a catalogue's folder) need it as much as the pages do.

==========================  ===========================================  ==========================
URL                         what                                         made by
==========================  ===========================================  ==========================
``xxgk/``                   政府信息公开首页                               gongkai.pages.generate
``xxgk/<机构>/``              a department's catalogue (paged by 100)      gongkai.pages.generate
``xxgk/<机构>/<分类>/``        department × 组配分类                         gongkai.pages.generate
``xxgk/<机构>/<年>/<文件>/``    a plan (:attr:`gongkai.data.model.Plan.url`)  gongkai.pages.generate
``xxgk/fl/ zt/ nd/``        across departments: 组配分类, 主题分类, 年度      gongkai.pages.generate
``xxgk/<机构>/<年>/<文件>/fj/<附件>``  a plan's attachments (:mod:`gongkai.data.attachments`)  gongkai.pages.attachments
``xxgk/hb/<机构>/<年>/``       the printable 年度计划汇编 (parts: ``<n>/``)     gongkai.pages.targets
``xxgk/nianbao/<机构>/<年>/``  政府信息公开工作年度报告; ``xxgk/nianbao/``: index  gongkai.pages.nianbao
``mbrw/`` …                 目标任务: per year, year × 机构, indicator (``zb/``)  gongkai.pages.targets
``sjkf/`` …                 数据开放: the page and the JSON/CSV/Atom files   gongkai.pages.opendata
``wzdt/``                   网站地图                                      gongkai.pages.generate
``redirects.json`` …        old platform URLs (``原网址``) → new pages      gongkai.pages.redirects
==========================  ===========================================  ==========================
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

PAGE_SIZE = 100  # catalogue entries per page: page n > 1 of a catalogue is <url><n>/
# The large generated pages are split so that none of a 10,000-plan site is much over ~400 KB of HTML
# (docs/benchmarks.md): a 目标任务 row is ~1.3 KB, an indicator's row with its chart bar ~1 KB, a 汇编 plan ~10 KB.
TARGET_ROWS = 200  # target rows per page of mbrw/<年>/<机构>/ and of an indicator's table (mbrw/zb/<指标>/)
COMPILATION_PLANS = 30  # plans per part of a 汇编 (xxgk/hb/<机构>/<年>/)


def page_count(count: int, size: int) -> int:
    """How many pages ``count`` items fill at ``size`` a page (at least one: an empty list still has its page)."""
    return max(1, -(-count // size))


def page_url(url: str, number: int) -> str:
    """Page ``number`` (from 1) of a paginated page: the first keeps the page's own URL, the rest are <url><n>/."""
    return url if number == 1 else f"{url}{number}/"


def target_pages(count: int) -> int:
    """Pages of ``count`` target rows (reads :data:`TARGET_ROWS` when called, so tests can change it)."""
    return page_count(count, TARGET_ROWS)


def compilation_parts(count: int) -> int:
    """Parts of a 汇编 of ``count`` plans (reads :data:`COMPILATION_PLANS` when called)."""
    return page_count(count, COMPILATION_PLANS)


def base_path(base_url: str) -> str:
    """The path the site lives under, from its full address: "/" or "/kjj/" (always with both slashes)."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def src_of(url: str) -> str:
    """The docs-relative source name MkDocs maps to ``url`` (directory URLs)."""
    return (url + "index.md") if url.endswith("/") or url == "" else url + ".md"


def rel(from_url: str, to_url: str) -> str:
    """Relative link from page ``from_url`` to ``to_url`` (both site-relative, directory style)."""
    if to_url.startswith(("http://", "https://", "mailto:", "#")):
        return to_url
    anchor = ""
    if "#" in to_url:
        to_url, anchor = to_url.split("#", 1)
        anchor = "#" + anchor
    base = from_url.split("/")[:-1]  # the folder the page is in ("a/b/" → [a, b]; "a/x.html" → [a])
    parts = to_url.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    target = "../" * (len(base) - common) + "/".join(parts[common:])
    return (target or "./") + anchor


# --- the catalogue (政府信息公开) ---------------------------------------------------------

XXGK = "xxgk/"
CATALOGUE_FOLDERS = {"fl", "zt", "nd", "nianbao"}  # xxgk/<these>/ hold the catalogue across departments, and the 年报


def dept_url(slug: str) -> str:
    return f"xxgk/{slug}/"


def dept_cat_url(slug: str, cat_slug: str) -> str:
    return f"xxgk/{slug}/{cat_slug}/"


def cat_url(cat_slug: str) -> str:
    return f"xxgk/fl/{cat_slug}/"


def topic_url(topic_slug: str) -> str:
    return f"xxgk/zt/{topic_slug}/"


def year_url(year: int) -> str:
    return f"xxgk/nd/{year}/"


def plan_url(dept_slug: str, year: int, slug: str) -> str:
    return f"xxgk/{dept_slug}/{year}/{slug}/"


def attachment_url(plan_page_url: str, file_name: str) -> str:
    """Where the build copies a plan's 附件: ``<plan URL>fj/<file name>`` (stable while the plan's URL is)."""
    return f"{plan_page_url}fj/{file_name}"


def compilation_url(dept: str, year: int) -> str:
    """The printable 年度计划汇编 of one department and year."""
    return f"xxgk/hb/{dept}/{year}/"


# --- 政府信息公开工作年度报告 (gongkai.data.nianbao, gongkai.pages.nianbao) ------------------------

NIANBAO_URL = "xxgk/nianbao/"  # the index by year and department (the 政府信息公开年报 entry)


def nianbao_url(dept: str, year: int) -> str:
    return f"xxgk/nianbao/{dept}/{year}/"


def nianbao_data_url(dept: str, year: int, ext: str) -> str:
    """A report's tables as open data: ``sjkf/nianbao/<机构>/<年度>.csv`` or ``.json``."""
    return f"sjkf/nianbao/{dept}/{year}.{ext}"


SITEMAP = "wzdt/"
GUIDE_PAGES = [  # the four standard entries: hand-written pages in content/xxgk/ (年报: generated, gongkai.pages.nianbao)
    ("政府信息公开指南", "xxgk/zhinan/"),
    ("政府信息公开制度", "xxgk/zhidu/"),
    ("法定主动公开内容", "xxgk/fdzdgknr/"),
    ("政府信息公开年报", "xxgk/nianbao/"),
]

# --- 目标任务 ----------------------------------------------------------------------------

TARGETS_URL = "mbrw/"


def targets_year_url(year: int) -> str:
    return f"mbrw/{year}/"


def targets_dept_url(year: int, dept: str) -> str:
    """One department's targets of one year (paginated: ``<n>/``); ``mbrw/<year>/`` is the overview."""
    return f"mbrw/{year}/{dept}/"


def indicator_url(slug: str) -> str:
    return f"mbrw/zb/{slug}/"


# --- 数据开放: the page and the files ---------------------------------------------------------

OPEN_DATA_URL = "sjkf/"
PLANS_JSON = "sjkf/plans.json"
TARGETS_CSV = "sjkf/targets.csv"
TARGETS_JSON = "sjkf/targets.json"
FEED = "sjkf/atom.xml"
SITEMAP_XML = "sitemap.xml"
SCHEMA_URLS = {"plan": "sjkf/schema/plan.schema.json", "plans": "sjkf/schema/plans.schema.json",
               "targets": "sjkf/schema/targets.schema.json"}


def plan_json_url(plan: Any) -> str:
    """The open-data file of a :class:`~gongkai.data.model.Plan` (this module is below the model)."""
    return f"sjkf/plans/{plan.department.slug}/{plan.year}/{plan.slug}.json"
