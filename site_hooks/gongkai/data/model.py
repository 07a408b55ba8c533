"""Plain data objects the loader produces and the generator consumes."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.data import urls
from gongkai.rules.codes import IndexFormat


@dataclass
class Site:
    name: str
    domain: str
    base_url: str
    sponsor: str
    organizer: str
    contact: dict[str, str]
    site_id: str
    icp: str
    icp_url: str
    police: str
    police_url: str
    badge: dict[str, str] | None
    report_url: str
    index_format: IndexFormat
    index_scope: str  # 部门 / 全站
    index_period: str  # 年 / 月


@dataclass
class Category:
    name: str
    slug: str
    description: str = ""


def topic_text(name: str) -> str:
    """How a 主题分类 is shown to people: ``科技、教育\\科技`` → ``科技、教育 › 科技`` (the data and the
    vocabulary keep the backslash form of the national catalogue; no page shows it)."""
    return name.replace("\\", " › ")


@dataclass
class Topic:
    name: str  # "一级" or "一级\二级"
    slug: str
    parent: str | None = None  # parent's name for second-level topics

    @property
    def text(self) -> str:
        return topic_text(self.name)


@dataclass
class Validity:
    name: str
    slug: str
    expired: bool = False
    description: str = ""


@dataclass
class Department:
    slug: str
    full_name: str
    short_name: str
    uscc: str | None
    org_code: str | None
    categories: list[str]
    intro: str
    path: str

    def index_code(self, fmt: IndexFormat) -> str | None:
        if fmt.code_kind == "uscc":
            return self.uscc
        return self.org_code or (self.uscc[8:17] if self.uscc else None)


@dataclass
class Related:
    title: str
    href: str  # site-relative URL of a plan ("xxgk/…/") or an absolute external URL
    relation: str
    internal: bool
    plan_id: str | None = None


@dataclass
class Plan:
    id: str  # "<department>/<year>/<slug>"
    path: str  # the data file, relative to the project root (posix)
    department: Department
    year: int
    slug: str
    title: str
    index_no: str
    index_assigned: bool  # True when the number was assigned now, not read from the file
    category: str
    topic: str
    doc_no: str
    created: dt.date
    published: dt.date
    published_time: dt.time | None
    source: str
    validity: str
    keywords: list[str]
    summary: str
    body: str
    targets: list[dict[str, Any]]
    related_raw: list[dict[str, Any]]
    related: list[Related] = field(default_factory=list)
    line_of: dict[tuple, int] = field(default_factory=dict, repr=False)
    # 有效性 details (gongkai.withdrawal): the date it stopped being valid, what replaces it, why
    withdrawn_on: dt.date | None = None
    replaced_by: Related | None = None
    validity_note: str = ""
    revisions: list[Any] = field(default_factory=list)  # data.history.Revision, newest first (修订说明)
    historic_index: bool = False  # 历史索引号: kept as published on the old platform, not checked against today's rule
    old_paths: list[str] = field(default_factory=list)  # 原网址: decoded paths on the old platform ("/art/…html")
    attachments: list[Any] = field(default_factory=list)  # 附件: gongkai.data.attachments.Attachment
    review: list[Any] = field(default_factory=list)  # data.drafts.ReviewItem: 草稿、待核对 (only shown by the preview)

    @property
    def url(self) -> str:
        return urls.plan_url(self.department.slug, self.year, self.slug)

    @property
    def sort_key(self) -> tuple:
        """Newest first: publish date, time, then index number for a stable order."""
        t = self.published_time or dt.time(0, 0)
        return (self.published, t, self.index_no)

    @property
    def published_text(self) -> str:
        if self.published_time is None:
            return self.published.isoformat()
        return f"{self.published.isoformat()} {self.published_time.strftime('%H:%M')}"


@dataclass
class Project:
    root: Path
    site: Site
    categories: list[Category]
    topics: list[Topic]
    validity: list[Validity]
    departments: dict[str, Department]
    plans: list[Plan]
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # data/vocab/aliases.yml: 词表 → {旧写法: 名称}
    reports: list[Any] = field(default_factory=list)  # 年报: gongkai.data.nianbao.Report, newest year first
    # sha256 of each plan file's bytes as the loader read them, by data/plans/… path (release_id reads them not again)
    sources: dict[str, bytes] = field(default_factory=dict)

    def category(self, name: str) -> Category:
        return next(c for c in self.categories if c.name == name)

    def topic(self, name: str) -> Topic:
        return next(t for t in self.topics if t.name == name)

    def validity_of(self, name: str) -> Validity:
        return next(v for v in self.validity if v.name == name)
