"""The generated site as a dependency graph of outputs: what each page depends on, so that an edit
re-renders only the pages it touches (the preview, :mod:`gongkai.pages.incremental`).

Every generated page is one :class:`Job`: the URL it makes (``key``), a signature (``sig``) and the
function that renders it (``make``). The signature is a plain value made of what the page shows:
for each plan it lists, the plan's id and the *version* of the facet of the plan it reads
(:class:`Versions`); for the rest, the counts and labels it prints. Equal signatures give equal
pages, so after an edit only the jobs whose signature changed are run.

Facets of a plan (bumped by :func:`gongkai.pages.incremental.facets_changed` when an edit changes them):

``page``
    anything the plan's own page, its 汇编 entry and its open-data file show (every edit bumps it);
``entry``
    what a catalogue list shows: title, URL, 文号, 索引号, 发布日期, 有效性;
``targets``
    what a row of the 目标任务 and 指标 pages and of the targets files shows: the plan's title, URL and 指标;
``measures``
    what counts and totals of targets show (the 目标任务 index, a year's overview, the status counts of a
    department's year): the plan's 指标 alone, not its title (an edit that changes it changes ``targets`` too:
    the rows show the 指标 as well).

An edit that moves the plan between no lists (the same department, 组配分类, 主题分类, year, date and the
same indicators) signs only the jobs that can show what it changed (:class:`Focus`, given to
:func:`gongkai.pages.generate.generate_jobs`; :func:`gongkai.pages.incremental.reachable_jobs`); any other
edit signs every job. A new page kind (年报, …) adds its jobs with a signature built the same way, and to the
focused jobs if it shows a plan (``tests/test_preview_fast.py`` compares both ways for every plan).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from gongkai.data.model import Plan
from gongkai.pages.context import Page

FACETS = ("page", "entry", "targets", "measures")


@dataclass(frozen=True)
class Focus:
    """An edit of ``plan`` that changed ``facets`` and moved it between no lists, and ``others``: plans whose
    ``page`` facet alone it bumped (their 相关文件 or 失效 notice name it). The generator then makes only the jobs
    that can show one of those facets: the plans' pages and 汇编 parts; with ``entry``, the catalogues listing
    the plan (and the 首页 if it is among the newest); with ``targets``/``measures``, the 目标任务 pages of its
    year and department, its indicators' pages and the index."""

    plan: Plan
    facets: frozenset[str]
    others: tuple[Plan, ...] = ()


class Versions:
    """Each plan's facet versions: 0 after a full build, one more each time an edit changes the facet."""

    def __init__(self) -> None:
        self._v: dict[str, dict[str, int]] = {}
        self._named: dict[str, dict[str, str]] = {}  # facet → {plan id: "id@version"} for the versions above 0

    def of(self, plan: Plan, facet: str) -> tuple[str, int]:
        return plan.id, self._v.get(plan.id, {}).get(facet, 0)

    def of_all(self, plans: Iterable[Plan], facet: str) -> tuple[str, ...]:
        """The plans' ids, each with its version of ``facet`` when that is not 0 (only edited plans have one)."""
        named = self._named.get(facet)
        if not named:
            return tuple([p.id for p in plans])
        get = named.get
        return tuple([get(p.id, p.id) for p in plans])

    def bump(self, plan_id: str, facets: Iterable[str]) -> None:
        mine = self._v.setdefault(plan_id, {})
        for facet in facets:
            mine[facet] = mine.get(facet, 0) + 1
            self._named.setdefault(facet, {})[plan_id] = f"{plan_id}@{mine[facet]}"


NO_VERSIONS = Versions()  # a full build: every facet at version 0


@dataclass
class Job:
    """One generated page: its URL, what it depends on, how to render it, and the data file it shows
    (``source``, the page's edit link; known before it is rendered, so an engine can list the page first
    and render it later, in another process)."""

    key: str
    sig: Any
    make: Callable[[], Page]
    source: str | None = None

    def __call__(self) -> Page:
        return self.make()


def run(job: Job) -> Page:
    return job.make()
