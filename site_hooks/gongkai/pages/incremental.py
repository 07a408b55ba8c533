"""The preview's fast path: after an edit to one plan, re-render only the outputs that depend on it.

:class:`Generated` is what the preview keeps of the last build: the project, every page's signature
(:mod:`gongkai.pages.outputs`), the plans' facet versions and the search index's state. :func:`update`
takes the edited plan (checked by :func:`gongkai.data.loader.reload_plan`) and returns the pages to write;
it writes the open-data files and the search index entries that change itself. What depends on what:

=====================  ==============================================================================
edit changes           outputs re-rendered
=====================  ==============================================================================
anything               the plan page; its 汇编 page; its JSON (``sjkf/plans/…``); its search document
                       (the shards of the terms that differ, ``d/<n>.json``, ``f.json``, ``meta.json``)
title (名称)           + the catalogue pages listing it (department, 组配分类, 主题分类, year, 首页 if among
                       the newest), the pages of plans whose 相关文件 name it, the 目标任务/指标 pages with a
                       row of its 指标, ``plans.json``, ``targets.csv`` (not ``targets.json``: it names plans by
                       their id), ``feed.xml`` if among the newest
文号                   + the catalogue pages listing it, ``plans.json``, ``feed.xml``
指标                   + 目标任务 (index, year, department) and 指标 pages, ``targets.json``/``.csv``, ``plans.json``
组配分类/主题分类       + the catalogues it leaves and joins (their later pages shift), counts on 首页
目标完成情况 (工作总结)  + for each plan whose targets' final result it changes (added, dropped, another value,
                       the summary's new title: :func:`gongkai.data.targets.close_again` in ``reload_plan``):
                       that plan's page, its 汇编 page and JSON, the 目标任务/指标 pages listing it,
                       ``targets.json``/``.csv`` (its ``page``, ``targets`` and ``measures`` facets are bumped)
=====================  ==============================================================================

Only the jobs an edit can reach are signed when it moves the plan between no lists (:func:`reachable_jobs`:
the same department, 组配分类, 主题分类, year, date and indicators; a rename, a new target value, a body edit);
any other edit signs every job. Either way only the jobs whose signature changed are rendered.

An edit that adds or removes a page (a catalogue that becomes empty, a new page of a catalogue, a page of
目标任务, 指标 or 汇编 parts fewer) returns None: the caller builds the whole site (MkDocs' dirty build empties
the site folder when the list of pages changes, so no surplus page stays). So does an edit the loader cannot
check alone (dates, 索引号, an edit to a plan whose targets a 工作总结 closes, …).
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment

from gongkai.data.model import Plan, Project
from gongkai.data.targets import Target, closings
from gongkai.data.urls import FEED, PLANS_JSON, TARGETS_CSV, TARGETS_JSON, compilation_url
from gongkai.pages import opendata, search
from gongkai.pages.context import Page
from gongkai.pages.generate import generate_jobs
from gongkai.pages.outputs import Focus, Job, Versions
from gongkai.runtime.files import write_file


@dataclass
class Generated:
    """What the preview keeps of the last build, to update it after an edit."""

    project: Project
    sigs: dict[str, Any]  # page URL → signature
    handwritten: list[tuple[str, str, str]]  # (url, title, html) of the hand-written pages, for the search index
    search: search.IndexState | None = None
    versions: Versions = field(default_factory=Versions)
    # targets.closings(project.plans): computed once, and again only after an edit to a 工作总结 changed a final
    # result (reload_plan sends an edit to a plan whose targets one closes to the whole build)
    closed: dict[str, list[Target]] | None = None
    records: opendata.RecordCache = field(default_factory=opendata.RecordCache)  # targets.json/.csv pieces
    entries: opendata.EntryCache = field(default_factory=opendata.EntryCache)  # plans.json entries

    def closings(self) -> dict[str, list[Target]]:
        if self.closed is None:
            self.closed = closings(self.project.plans)
        return self.closed

    def warm(self) -> None:
        """Fill what the first rename would otherwise make: the closings and the kept pieces of plans.json and
        targets.json/.csv (about 0.9 s at 10,000 plans, once after a full build; the first rename then takes as
        long as the next: it took 1.24 s against 0.39–0.47 s for the next ones when this was added)."""
        self.closings()
        self.records.files(self.project)
        opendata.plans_json(self.project, self.entries)


def _target_key(t: Any) -> tuple:
    if not isinstance(t, Target):
        return (repr(t),)
    return tuple(getattr(t, f.name) for f in dataclasses.fields(t) if f.name not in ("plan", "closing"))


def facets_changed(old: Plan, new: Plan) -> set[str]:
    """The facets (:mod:`gongkai.pages.outputs`) an edit from ``old`` to ``new`` changes; ``page`` always."""
    facets = {"page"}
    if (old.title, old.url, old.doc_no, old.published, old.index_no, old.validity) != \
            (new.title, new.url, new.doc_no, new.published, new.index_no, new.validity):
        facets.add("entry")
    measures = [_target_key(t) for t in old.targets] != [_target_key(t) for t in new.targets]
    if measures:
        facets.add("measures")
    if measures or old.title != new.title:
        facets.add("targets")
    return facets


def _place(plan: Plan) -> tuple:
    """What decides the lists a plan is in and where: its department, 组配分类, 主题分类, year, URL and date."""
    return plan.department.slug, plan.category, plan.topic, plan.year, plan.url, plan.published, plan.published_time


def _indicators(plan: Plan) -> list[str]:
    """What decides the 目标任务 and 指标 lists the plan's targets are in, and how long they are."""
    return sorted(t.indicator.name for t in plan.targets if isinstance(t, Target))


def reachable_jobs(state: Generated, project: Project, plan: Plan, old: Plan, facets: set[str], touched: list[Plan],
                   env: Environment) -> list[Job] | None:
    """The jobs an edit that moves the plan between no lists can change (``touched``: other plans whose page alone
    shows it): the plans' pages and 汇编 parts, and the lists and 目标任务 pages showing the facets it changed,
    signed without signing the other 10,000 pages (:class:`~gongkai.pages.outputs.Focus`). None when the edit
    moves the plan (another department, 组配分类, 主题分类, year, date, or other indicators, so that lists gain or
    lose entries and pages): then every job is signed and compared."""
    if _place(old) != _place(plan) or _indicators(old) != _indicators(plan):
        return None
    focus = Focus(plan, frozenset(facets), tuple(touched))
    jobs = generate_jobs(project, env, versions=state.versions, closed=state.closings(), focus=focus)
    # a 汇编 whose parts come or go (not one that moves no plan, but its keys are cheap to check): every job
    for dept, year in {(p.department.slug, p.year) for p in (plan, *touched)}:
        prefix = compilation_url(dept, year)
        if {j.key for j in jobs if j.key.startswith(prefix)} != {k for k in state.sigs if k.startswith(prefix)}:
            return None
    return jobs


def _write(site_dir: Path, rel_path: str, data: bytes) -> None:
    write_file(os.path.join(site_dir, rel_path), data, set())  # a few files: their folders checked each time


def update(state: Generated, project: Project, plan: Plan, old: Plan, touched: list[Plan], env: Environment,
           site_dir: Path) -> list[Page] | None:
    """The pages to write after ``old`` became ``plan`` in ``project`` (``touched``: other plans whose pages
    show it; :func:`gongkai.data.loader.reload_plan` was given ``state.closings()``, made before it changed any
    closing); the open-data files and the search index in ``site_dir`` are updated here. None: the edit adds or
    removes pages, build the whole site (``state`` is then stale)."""
    facets = facets_changed(old, plan)
    state.versions.bump(plan.id, facets)
    # the plans whose targets' final results a 工作总结's edit changed (reload_plan set them): their own pages and
    # 汇编 entries, every 目标任务 and 指标 page listing them, the targets files; the map of closings is made again
    was = {id(t.plan) for t in state.closings().get(old.path, [])}
    reclosed = [p for p in touched if id(p) in was or any(
        isinstance(t, Target) and t.closing is not None and t.closing.summary is plan for t in p.targets)]
    if reclosed:
        state.closed = None
    for other in touched:
        state.versions.bump(other.id, {"page", "targets", "measures"} if any(other is p for p in reclosed) else {"page"})
    jobs = None if reclosed else reachable_jobs(state, project, plan, old, facets, touched, env)
    if jobs is None:
        jobs = generate_jobs(project, env, versions=state.versions, closed=state.closings())
        if len(jobs) != len(state.sigs) or any(j.key not in state.sigs for j in jobs):
            return None
    elif any(j.key not in state.sigs for j in jobs):
        return None
    todo = [j for j in jobs if state.sigs[j.key] != j.sig]
    pages = [j.make() for j in todo]
    for j in todo:
        state.sigs[j.key] = j.sig

    # open data (gongkai.pages.opendata): the plan's own file and those of the plans showing it
    one_plan = opendata.plan_files(project, state.closings())
    for p in [plan, *touched]:
        _write(site_dir, *one_plan(p))
    if facets & {"entry", "targets"}:
        # the plans reload_plan did not replace changed only in their 相关文件, 替代文件 and closings: no entry shows them
        _write(site_dir, PLANS_JSON, opendata.plans_json(project, state.entries, replaced_only=True))
    if "targets" in facets or reclosed:  # targets.json names plans by id: not after a rename
        targets_json, targets_csv = state.records.files(project, with_json="measures" in facets or bool(reclosed),
                                                        same_closings=not reclosed)
        if targets_json is not None:
            _write(site_dir, TARGETS_JSON, targets_json)
        _write(site_dir, TARGETS_CSV, targets_csv)
    newest = project.plans[:opendata.FEED_SIZE]
    if any(p is plan for p in newest):
        _write(site_dir, FEED, opendata.atom_feed(project))
    # sitemap.xml: the fast path never changes a page's URL or date (gongkai.data.loader.reload_plan)

    # the search index (gongkai.pages.search): one document
    before, after = search.plan_document(old), search.plan_document(plan)
    if before != after:
        number = next(i for i, p in enumerate(project.plans) if p is plan)
        new_state = None
        if state.search is not None:
            new_state = search.update_document(site_dir, number, before, after, state.search)
        if new_state is None:  # the shard count moved: the whole index again
            new_state = search.write_index(site_dir, search.documents(project, state.handwritten))["state"]
        state.search = new_state
    state.project = project
    return pages
