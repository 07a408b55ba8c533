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
    what the 目标任务 and 指标 pages and the targets files show: the plan's title, URL and 指标.

A new page kind (年报, …) adds its jobs with a signature built the same way; the preview then
updates it without further code, except a page that reads the ``page`` facet (like the 汇编): an edit that
bumps only that facet signs just the jobs :func:`gongkai.pages.incremental.reachable_jobs` names (not all
10,000 plan pages), so such a page kind is added there too (``tests/test_preview_fast.py`` compares both).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from gongkai.data.model import Plan
from gongkai.pages.context import Page

FACETS = ("page", "entry", "targets")


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
