"""The only module that knows MkDocs' events: a :class:`Session` that feeds generated pages into a build.

``site_hooks/hooks.py`` makes one :class:`Session` (MkDocs loads the hooks file once per process) and
forwards every event to it. The session lives as long as the process: across the preview server's
rebuilds it keeps the parsed plan files, the rendered components, each page's digest and the last
good data. Everything that belongs to one build (the project, its pages, the theme shells, the
writers running beside MkDocs) is a :class:`Build`, made new in ``on_config``. Whether the session
serves a preview is a value (``serving``) set from MkDocs' ``on_startup``, not read from the environment.

To move to another engine, keep :func:`gongkai.pages.generate.generate` and replace this package.
"""
from __future__ import annotations

import functools
import gc
import logging
import multiprocessing
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Iterator, Set as AbstractSet
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import escape
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import clean_directory

from gongkai.data.loader import load_project, reload_plan
from gongkai.data.model import Project
from gongkai.engine import assets, bundles, theme_html
from gongkai.engine.assets import Release
from gongkai.engine.preview import Preview, placeholder_pages
from gongkai.pages import attachments, incremental, redirects, search
from gongkai.pages.components import RenderMemo, digest, make_env
from gongkai.pages.context import ROOT, Page
from gongkai.data.urls import (FEED, PLANS_JSON, SCHEMA_URLS, TARGETS_CSV, TARGETS_JSON, base_path, nianbao_data_url,
                               plan_json_url, src_of)
from gongkai.pages.generate import chrome, generate_jobs, render
from gongkai.pages.opendata import sitemap_files, write_open_data
from gongkai.problems import os_error_text
from gongkai.runtime.files import write_bytes, write_file
from gongkai.runtime.parallel import background, jobs, pmap, trim_heap
from gongkai.runtime.timing import phase

log = logging.getLogger("mkdocs.plugins.gongkai")


# Copied by the theme but never requested: the components' sources (templates/components/), and
# what only Material's own search plugin and named palettes use (the site has its own search, and
# main.html links no palette.css): 40 files and about 1 MB in every site.
UNUSED_THEME_FILES = ("components/", "assets/javascripts/lunr/", "assets/javascripts/workers/search.",
                      "assets/stylesheets/palette.")
# Material's source maps (bundle.*.min.js.map, main.*.min.css.map): not published (issue 19); its
# readable sources are in Material's repository, ours in templates/.
SOURCE_MAPS = re.compile(r"^assets/.+\.(?:js|css)\.map$")


class DataError(SystemExit):
    """Stops the build with the Chinese report and no traceback (MkDocs prints SystemExit plainly)."""


def project_root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


class Build:
    """What one MkDocs build knows; a new one is made in ``on_config`` and dropped when the build ends."""

    def __init__(self, project: Project | None = None) -> None:
        self.project = project
        self.pages: dict[str, Page] = {}
        self.chrome: dict[str, str] = {}
        self.shells: dict[tuple, list[str]] = {}
        self.page_urls: list[str] = []  # every HTML page's URL, for sitemap.xml
        self.handwritten: list[tuple[str, str, str]] = []  # (url, title, content html) for the search index
        self.full = True  # this build writes every page (else only the generated pages that changed)
        self.search_done: Any = None  # gongkai build: waits for the search index writer running beside MkDocs
        self.search_pages: Any = None  # gongkai build: the pipe that tells that writer where the hand-written pages are
        self.search_pages_file: str | None = None  # … and that file (removed after the writer has finished)
        # gongkai build: the pages on_post_build renders and writes: (file, theme shell, canonical URL, edit URL, page)
        self.deferred: list[tuple[str, list[str], str, str, _Later]] | None = None
        self.sigs: dict[str, Any] = {}  # preview: each generated page's signature (gongkai.pages.outputs)
        self.nav_urls: list[str] = []  # the URLs of the pages in the nav (on_nav)
        self.site_description = ""  # <meta name="description"> of a page that has none (escaped)

    def stop_writers(self) -> None:
        """The build stopped early: leave no writer process and no temporary file behind."""
        if self.search_pages is not None:  # stopped before on_env: the search writer sees the end of input and stops
            self.search_pages.close()
            self.search_pages = None
        if self.search_done is not None:  # stopped before on_post_build
            self.search_done()
            self.search_done = None
        if self.search_pages_file is not None:
            Path(self.search_pages_file).unlink(missing_ok=True)
            self.search_pages_file = None
        self.deferred = None


class Session:
    """One per process: MkDocs' events in, generated pages out; the preview server's caches in between."""

    def __init__(self) -> None:
        self.serving = False  # `gongkai serve` / `mkdocs serve`: a broken file is shown on the pages, not fatal
        self.dirty = False  # MkDocs' dirty builds (the preview): the site folder is not emptied first
        self.parallel = False  # `gongkai build` turns it on; the preview server has threads and must not fork
        self.preloaded: Project | None = None  # set by `gongkai build`, which has validated already
        # kept from one preview build to the next:
        self.parse_cache: dict[tuple, bytes] = {}  # plan files parsed (gongkai.data.loader.parse_all)
        self.memo = RenderMemo()  # rendered components (gongkai.pages.components.RenderMemo)
        self.page_keys: dict[str, bytes] = {}  # digest of each generated page at the last build
        self.chrome_key: bytes | None = None  # digest of everything all pages share at the last build
        self.preview = Preview()
        self.release = Release()
        self.build = Build()
        # the preview's fast path (fast_update): the last build's outputs, and how to write a page without MkDocs
        self.generated: incremental.Generated | None = None
        self.env: Any = None  # the components' environment of the last build
        self.shells: dict[tuple, list[str]] = {}  # theme shells of the pages written so far
        self.records: dict[str, tuple[tuple, str, str, str]] = {}  # src_uri → (shell key, canonical, edit URL, file)
        # the hand-written pages' search documents: a dirty build renders only those that changed (their order
        # is that of the last full build: adding or removing a page makes a full build)
        self.handwritten: dict[str, tuple[str, str, str]] = {}

    # --- set by the caller ---------------------------------------------------------------

    def preload(self, project: Project, *, parallel: bool) -> None:
        """``gongkai build``: the next build uses this validated project, a clean build, on all cores if ``parallel``."""
        self.preloaded, self.parallel, self.dirty, self.serving = project, parallel, False, False

    def finish(self) -> None:
        """After a build, failed or not: stop what runs beside it, forget it, restore the environment."""
        self.build.stop_writers()
        self.build = Build()
        self.parallel = False
        self.release.done()

    # --- MkDocs' events, in lifecycle order ---------------------------------------------------

    def on_startup(self, command: str, dirty: bool) -> None:
        """``serve``: a preview session; its dirty builds write only the pages that changed."""
        self.serving = command == "serve"
        self.dirty = self.serving and dirty

    def on_config(self, config: Any) -> Any:
        """Load and validate the data; stop with every problem listed if anything is wrong."""
        root = project_root(config)
        if self.serving:
            gc.unfreeze()  # the last build's objects (frozen for the fast path) may be collected again
        reuse = self.parse_cache if self.dirty else None
        project, problems = (self.preloaded, None) if self.preloaded is not None else load_project(root, reuse=reuse, drafts=self.serving)
        self.preloaded = None
        self.preview.start_build()
        if project is None and self.serving:  # live preview: show the report on the pages, keep serving
            self.preview.record_problems(problems)
            config["strict"] = False
            project = self.preview.last_good
        elif project is None:
            raise DataError("\n数据检查未通过，网站没有生成：\n" + problems.report())
        else:
            if self.serving:
                self.preview.succeeded(project)
        for warning in problems.warnings if problems else []:
            log.info(str(warning))
        self.build = Build(project)
        if project is not None:
            config["site_name"] = escape(project.site.name)  # MkDocs' theme env has no autoescape: text goes in as HTML
            # <meta name="description"> of pages that give none (hand-written pages; generated ones set their own)
            config["site_description"] = escape(f"{project.site.name}：政府信息公开，工作计划、目标任务及完成情况。")
            self.build.site_description = str(config["site_description"])
            if not config.get("site_url"):
                config["site_url"] = project.site.base_url
        return self.release.on_config(config, root, project)

    def on_files(self, files: Any, config: Any) -> Any:
        """Add one generated file per page; drop the components' docs that the theme folder would copy;
        join the bundles; fingerprint the assets."""
        b = self.build
        # The search index of the plans can be counted now, beside everything MkDocs does next; the
        # hand-written pages join it in on_env, once MkDocs has read them (see _search_beside).
        b.search_done, b.search_pages = self._search_beside(Path(config["site_dir"]))
        env = make_env(project_root(config) / "templates")
        memo = templates_key = None
        if self.dirty:
            templates_key = _tree_key(project_root(config) / "templates")
            memo = self.memo
            memo.start(templates_key)
        # `gongkai build` on every core: each generated page is listed now and rendered by the worker that writes
        # it (on_post_build), so no page's HTML comes back to this process or stays in it (10,000 plans: about
        # 0.5 GB less at the peak, and no pickling of every page). A page in the nav, or one a hand-written page
        # links into, is rendered here when MkDocs asks for it (_Later).
        b.deferred = [] if self.parallel and not self.dirty and not self.serving and _fast_pages() else None
        try:
            if b.project is not None:
                jobs = generate_jobs(b.project, env, memo=memo)
                if b.deferred is not None:
                    pages = [_Later(j) for j in jobs]
                else:
                    with phase("计划页、目标任务页、汇编页"):
                        pages = render(jobs, parallel=self.parallel)
                if self.serving:
                    b.sigs, self.env = {j.key: j.sig for j in jobs}, env
            else:
                pages = placeholder_pages()
            b.chrome = chrome(b.project, env) if b.project is not None else {}
        except Exception as exc:  # noqa: BLE001 - while previewing, a broken template is shown, not fatal
            if not self.serving:
                raise
            self.preview.record_message(getattr(exc, "filename", None) or "templates/", _describe(exc))
            config["strict"] = False
            pages, b.chrome = placeholder_pages(), {}
        for f in list(files):
            if f.src_uri.startswith(UNUSED_THEME_FILES) or SOURCE_MAPS.match(f.src_uri):
                files.remove(f)
        clashes = []
        for page in pages:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                clashes.append(f"content/{page.src_uri}: 与自动生成的页面 {page.url} 重名 — 请给这个手写页面换一个文件名")
                continue
            f = File.generated(config, page.src_uri, content="")
            if page.edit_path:
                f.edit_uri = "../" + page.edit_path  # edit_uri is relative to content/; the YAML lives in data/
            files.append(f)
            b.pages[page.src_uri] = page
        if b.project is not None:  # the open data is written beside MkDocs, which must not copy a file over it
            taken = _open_data_paths(b.project)
            clashes += [f"content/{f.src_uri}: 与自动生成的数据开放文件 {f.dest_uri} 重名 — 请给这个文件换一个名字或位置"
                        for f in files if f.dest_uri in taken and f.generated_by is None]
        if clashes and self.serving:
            for clash in clashes:
                self.preview.record_message(*clash.split(": ", 1))
        elif clashes:
            raise DataError("\n" + "\n".join(clashes))
        b.page_urls = [f.url for f in files.documentation_pages()]
        if self.dirty:
            self._skip_unchanged(files, config, templates_key)
        if self.serving and b.full:
            self.handwritten = {}
        bundles.bundle(files, config)
        files = self.release.on_files(files, config)
        assets.add_admin(files, config, b.project, project_root(config), self.release.assets, serving=self.serving)
        return files

    def on_nav(self, nav: Any) -> None:
        """Which pages are in the nav: those are rendered through the theme for real (their nav item is active)."""
        self.build.nav_urls = [p.url for p in nav.pages]

    def on_pre_page(self, page: Any) -> Any:
        """Generated pages are HTML already: replace MkDocs' Markdown step (a new parser per page)."""
        generated = self.build.pages.get(page.file.src_uri)
        if generated is not None:
            later = self.build.deferred is not None and not self._in_nav(page.url)

            def render(config: Any, files: Any) -> None:
                page.toc = get_toc([])
                page.links_to_anchors = {}
                # read only if a hand-written page links into it
                page.present_anchor_ids = _AnchorIds(lambda: generated.html)
                if later:  # gongkai build: the worker that writes the page renders it (on_post_build)
                    page.content = ""
                    return
                page.content = generated.html
                page._title_from_render = str(escape(generated.title))  # the theme prints titles as HTML

            page.render = render
        return page

    def on_page_markdown(self, markdown: str, page: Any) -> str:
        """Generated pages carry no Markdown: skip the parser for them."""
        generated = self.build.pages.get(page.file.src_uri)
        if generated is None:
            return markdown
        if not _fast_pages():
            values = _page_values(page, generated, self.build.site_description)
            page.meta.update(title=values[_TOKENS["TITLE"]], gk_head=values[_TOKENS["HEAD"]])
            if generated.description:
                page.meta["description"] = values[_TOKENS["DESC"]]
        else:
            page.meta["template"] = FAST_TEMPLATE
        return ""

    def on_page_content(self, html: str, page: Any) -> str:
        generated = self.build.pages.get(page.file.src_uri)
        if generated is None and not page.meta.get("gk_search"):  # the search page itself is not indexed
            self.build.handwritten.append((page.url, page.title or "", html))
            if self.serving:
                self.handwritten[page.url] = (page.url, page.title or "", html)
        return self.preview.panel_html() + html if self.serving else html

    def on_env(self, env: Any, config: Any) -> Any:
        b = self.build
        env.globals["gk"] = dict({"footer_html": "", "top_links_html": "", "site_meta_html": "", "a11y_toolbar_html": ""},
                                 **b.chrome, root_token=ROOT)

        @pass_context
        def fast_page(ctx: Any) -> str:
            return self._fast_page(ctx)

        env.globals["gk_fast_page"] = fast_page
        # Every page's content is known now (MkDocs has read the hand-written ones): send them to the
        # search index writer, which has been counting the plans' terms since on_files.
        if b.search_pages is not None:
            sender, b.search_pages = b.search_pages, None
            try:
                # through a file: a pipe holds 64 KB, and the writer reads only after counting the plans
                fd, b.search_pages_file = tempfile.mkstemp(prefix="gongkai-pages-", suffix=".pickle")
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(list(b.handwritten), f, protocol=pickle.HIGHEST_PROTOCOL)
                sender.send(b.search_pages_file)
            except OSError as exc:  # the writer sees the end of input and stops quietly; finish() waits for it
                raise _writer_failed("站内搜索索引", exc) from exc
            finally:
                sender.close()
        return self.release.on_env(env, self.serving)

    def on_post_page(self, output: str) -> str:
        """Material's markup that no template block reaches, fixed (gongkai.engine.theme_html)."""
        return theme_html.fix(output)

    def on_post_build(self, config: Any) -> None:
        """Open data, Atom feed, sitemap.xml (gongkai.pages.opendata) and the search index (gongkai.pages.search),
        written into the (temporary) site folder; a search index failure stops the build."""
        b = self.build
        try:
            site_dir = Path(config["site_dir"])
            if self.serving:  # a dirty build rendered only the hand-written pages that changed
                b.handwritten = list(self.handwritten.values())
            # Each writer is taken out of the build just before it is waited for: if one fails,
            # finish() still waits for the others.
            if b.project is not None:
                if b.search_done is None:  # else the search index writer beside has written it
                    _finish("数据开放文件", None, _write_open_data, b.project, site_dir, self.parallel)
                _finish("网站地图（sitemap.xml）", None, _write_sitemap, b.project, site_dir, b.page_urls)
            _made_folders.clear()  # a second build in this process writes into a new folder of the same name
            _encoded_shells.clear()  # and has new shells
            pages, b.deferred = b.deferred or [], None
            write = functools.partial(_write_page, b.site_description)
            start = 0
            running = getattr(b.search_done, "running", None)
            with phase("计划页、目标任务页、汇编页（等待搜索索引和数据开放文件时在本进程生成并写入）"):
                # the search index writer still works on the other core: write pages here meanwhile, and fork
                # the workers for the rest only once it is done (two processes, two cores)
                while running is not None and start < len(pages) and running():
                    _write_pages(write, pages[start:start + 20], parallel=False)
                    start += 20
            done, b.search_done = b.search_done, None  # taken out just before it is waited for (see above)
            figures = _finish("站内搜索索引", done, _write_search_index, b.project, b.handwritten, site_dir, self.parallel)
            if done is not None and figures["open_data"] is not None:
                raise DataError(f"\n数据开放文件生成失败，网站没有生成：{figures['open_data']}")
            with phase("计划页、目标任务页、汇编页（生成并写入文件）"):
                # interleaved: the large 目标任务/汇编 pages come last in MkDocs' order
                _write_pages(write, pages[start:], parallel=self.parallel)
            if self.serving:
                self._keep_for_preview(figures)
        finally:
            self.release.done()

    def on_build_error(self, error: Any) -> None:
        self.release.done()

    # --- the preview's fast path -------------------------------------------------------------

    def _keep_for_preview(self, figures: Any) -> None:
        """After a preview build: what fast_update needs (nothing while the data has errors)."""
        b = self.build
        b.pages = {}  # every generated page's HTML (~0.3 GB at 10,000 plans): written and digested, not read again
        if b.full:
            self.shells = {}
        self.shells.update(b.shells)
        if b.project is None or self.preview.failed or not b.sigs:
            self.generated = None
            return
        state = figures.get("state") if isinstance(figures, dict) else None
        self.generated = incremental.Generated(b.project, b.sigs, list(b.handwritten), state)
        self.generated.warm()
        gc.freeze()  # what this build made stays until the next one: the collector need not walk it again

    def fast_update(self, path: Path, site_dir: Path) -> int | None:
        """Preview: one plan file was edited. Re-check it alone and rewrite only the outputs that depend on it
        (gongkai.pages.incremental); the number of pages written, or None when the whole site must be built
        (the file has a problem, the edit touches other files' checks, or pages come or go)."""
        g = self.generated
        if g is None or self.preview.failed or self.env is None:
            return None
        # The collector would walk the whole site's objects (millions at 10,000 plans) several times while
        # the few new ones are made: off for this short step (the last build's objects are frozen too).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._fast_update(g, path, site_dir)
        finally:
            if collecting:
                gc.enable()

    def _fast_update(self, g: incremental.Generated, path: Path, site_dir: Path) -> int | None:
        project, plan, touched, _ = reload_plan(g.project, path, g.closings())
        if project is None or plan is None:
            return None
        old = next(p for p in g.project.plans if p.path == plan.path)
        if any(src_of(url) not in self.records for url in (plan.url,)):
            return None
        self.generated = None  # until the update is complete: a failure in between means a full build
        pages = incremental.update(g, project, plan, old, touched, self.env, site_dir)
        if pages is None or any(p.src_uri not in self.records for p in pages):
            return None
        panel = self.preview.panel_html()
        for page in pages:
            key, canonical, edit, dest = self.records[page.src_uri]
            values = _values(page, canonical, edit, panel + page.html, self.build.site_description)
            write_bytes(dest, _fill_bytes(self.shells[key], values))
            self.page_keys[page.src_uri] = digest(page)  # what a later dirty build compares with
        self.preview.last_good = project
        self.generated = g
        return len(pages)

    # --- helpers of the events -------------------------------------------------------------

    def _may_fork_beside(self) -> bool:
        return self.parallel and jobs() > 1 and not self.dirty and self.build.project is not None

    def _beside(self, what: str, func: Any, *args: Any) -> Any:
        """``gongkai build`` on two or more cores: start ``func(*args)`` in a forked process beside MkDocs'
        page loop and return the function that waits for it (see :func:`_finish`); otherwise None, and
        on_post_build runs it itself."""
        if not self._may_fork_beside():
            return None
        try:
            return background(f"{what}生成失败", func, *args)
        except OSError as exc:  # no room for its result file, or no process could be started
            raise _writer_failed(what, exc) from exc

    def _search_beside(self, site_dir: Path) -> tuple[Any, Any]:
        """``gongkai build`` on two or more cores: start the search index writer in a forked process now,
        before MkDocs has read the hand-written pages; they are sent to it through a pipe in on_env.
        Returns (wait function, sending end), or (None, None): on_post_build writes the index itself.
        (Counting only the terms beside MkDocs and sending 8 million postings back measured worse:
        docs/benchmarks.md, "Session 2".)"""
        if not self._may_fork_beside():
            return None, None
        receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
        try:
            done = self._beside("站内搜索索引", _write_search_index_when_told, self.build.project, receiver, sender, site_dir)
        except DataError:
            sender.close()
            raise
        finally:
            receiver.close()  # the child holds its own copy
        return done, sender

    def _skip_unchanged(self, files: Any, config: Any, templates_key: tuple) -> None:
        """Preview (dirty builds): MkDocs writes only the generated pages whose content changed.

        What every page shares — the theme shell and chrome, the templates, the list of pages (the
        navigation), mkdocs.yml, the red error panel, and the 附件 files and 原网址 (a full rebuild copies
        them again) — is digested too; when it changes, the site
        folder is emptied and every page written, as in a clean build."""
        b = self.build
        keys = {src: digest(page) for src, page in b.pages.items()}
        config_file = Path(config.config_file_path)
        shared = digest((b.chrome, self.preview.panel_html(), sorted(f.src_uri for f in files),
                         config_file.stat().st_mtime_ns, templates_key, _files_key(b.project)))
        b.full = shared != self.chrome_key
        if b.full:
            clean_directory(config["site_dir"])
        else:
            for f in files:
                if f.src_uri in keys:
                    changed = self.page_keys.get(f.src_uri) != keys[f.src_uri]
                    f.is_modified = lambda changed=changed: changed  # MkDocs' dirty build asks each file
        self.page_keys, self.chrome_key = keys, shared

    def _in_nav(self, url: str) -> bool:
        """The page is in the nav, or nav links point inside it."""
        return url in self.build.nav_urls or bool(url) and any(u.startswith(url) for u in self.build.nav_urls)

    @staticmethod
    def _shell_key(page: Any, in_nav: bool = False) -> tuple:
        # Relative links in the theme (nav, assets) depend on the page's folder, not only its depth;
        # a page in the nav marks its own item. (A page without a description gets the site's, as the theme
        # would print it: one shell serves both.)
        folder = page.url.rstrip("/").rpartition("/")[0]
        key = (folder, page.edit_url is not None, page.canonical_url is not None)
        return key + (page.file.src_uri,) if in_nav else key

    def _shell(self, ctx: Any, page: Any, key: tuple | None = None) -> list[str]:
        key = key or self._shell_key(page)
        shell = self.build.shells.get(key)
        if shell is None:
            saved = (page.content, page.canonical_url, page.edit_url, page.meta)
            page.meta = dict(page.meta, title=_TOKENS["TITLE"], gk_head=_TOKENS["HEAD"], description=_TOKENS["DESC"])
            page.content = _TOKENS["CONTENT"] + "<h1>"  # Material adds an <h1> to content without one
            page.canonical_url = _TOKENS["CANON"] if saved[1] is not None else None
            page.edit_url = _TOKENS["EDIT"] if saved[2] is not None else None
            try:
                html = _render(ctx)
            finally:
                page.content, page.canonical_url, page.edit_url, page.meta = saved
            html = theme_html.fix(html)  # deferred pages are written from the shell, past on_post_page
            shell = self.build.shells[key] = _SPLIT.split(html.replace(_TOKENS["CONTENT"] + "<h1>", _TOKENS["CONTENT"]))
        return shell

    def _fast_page(self, ctx: Any) -> str:
        page = ctx["page"]
        generated = self.build.pages[page.file.src_uri]
        in_nav = self._in_nav(page.url)
        if self.serving:  # the preview's fast path writes this page again after an edit (fast_update)
            key = self._shell_key(page, in_nav)
            self._shell(ctx, page, key)
            self.records[page.file.src_uri] = (key, page.canonical_url or "", page.edit_url or "", page.file.abs_dest_path)
        if self.build.deferred is not None and not in_nav:
            # `gongkai build`: MkDocs writes no file for an empty page; on_post_build renders and writes these on every core
            self.build.deferred.append((page.file.abs_dest_path, self._shell(ctx, page), page.canonical_url or "",
                                        page.edit_url or "", generated))
            return ""
        values = _page_values(page, generated, self.build.site_description)
        if in_nav:
            # its nav item is active, or nav links point inside it: render it for real
            saved = page.meta
            page.meta = dict(saved, title=values[_TOKENS["TITLE"]], gk_head=values[_TOKENS["HEAD"]])
            if generated.description:
                page.meta["description"] = values[_TOKENS["DESC"]]
            try:
                return _render(ctx)
            finally:
                page.meta = saved
        return _fill(self._shell(ctx, page), values)


def session_of(config: Any) -> Session:
    """The session of the hooks file a loaded MkDocs config uses (MkDocs registers hooks as plugins)."""
    for plugin in config.plugins.values():
        session = getattr(plugin, "session", None)
        if isinstance(session, Session):
            return session
    raise RuntimeError("mkdocs.yml 的 hooks 中没有 site_hooks/hooks.py（它创建 gongkai 的 Session）")


def _writer_failed(what: str, exc: BaseException) -> DataError:
    return DataError(f"\n{what}生成失败，网站没有生成：{os_error_text(exc)}")


def _finish(what: str, done: Any, func: Any, *args: Any) -> Any:
    """on_post_build: wait for ``what`` started by :meth:`Session._beside`, or make it now if ``done`` is None.
    A failure stops the build (the forked process has printed its reason on the line above)."""
    if done is not None:
        with phase(f"{what}（等待后台进程）"):
            ok, result = done()
        if not ok:
            raise DataError(f"\n{what}生成失败，网站没有生成（原因见上一行）。")
        return result
    try:
        with phase(what):
            return func(*args)
    except (OSError, search.SearchIndexError) as exc:
        raise _writer_failed(what, exc) from exc


def _tree_key(folder: Path) -> tuple:
    """Names, sizes and times of the files under ``folder``: changes when any of them is edited."""
    out = []
    for path in sorted(folder.rglob("*")):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((path.as_posix(), st.st_size, st.st_mtime_ns))
    return tuple(out)


_ID = re.compile(r'\sid="([^"]+)"')


class _AnchorIds(AbstractSet[str]):
    """The ids in a generated page (our own output: ids are plain), found the first time MkDocs asks.

    MkDocs only asks when a hand-written page links to an anchor in it; finding them in every page
    up front cost ~0.2 ms a page in the one process that runs MkDocs' page loop."""

    def __init__(self, html: Callable[[], str]) -> None:
        self._html: Callable[[], str] | None = html  # a page not rendered yet (_Later) is rendered only if asked
        self._ids: frozenset[str] = frozenset()

    def _found(self) -> frozenset[str]:
        if self._html is not None:
            self._ids, self._html = frozenset(_ID.findall(self._html())), None
        return self._ids

    def __contains__(self, anchor: object) -> bool:
        return anchor in self._found()

    def __iter__(self) -> Iterator[str]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())


def _describe(exc: Exception) -> str:
    line = getattr(exc, "lineno", None)
    where = f"第{line}行:" if line else ""
    return f"{where}模板有错误（{type(exc).__name__}: {getattr(exc, 'message', None) or exc}）— 请检查刚才修改的模板"


def _write_search_index_when_told(project: Project, receiver: Any, sender: Any, site_dir: Path) -> dict[str, Any]:
    """In the forked writer: count the plans, write the open data, wait for the hand-written pages, write the index.

    In this one process: the main process keeps the other core busy meanwhile (MkDocs, then the pages).
    A pool of its own (as until issue 18's second round) made 7–9 processes on 2 cores, each holding its
    copy-on-write copy of the project: 10,000 plans peaked at 1.5–1.9 GB. The open data is written here
    too since the index is counted on arrays (issue 18, fourth round), while MkDocs reads the hand-written
    pages (it needs none of them). Counting first, while the main process is smallest, and giving the heap's
    free pages back after each step kept the tree's peak lowest (docs/benchmarks.md, "Fourth round").
    Returns ``{"open_data": None}``, or why the open data could not be written (then no index is written
    either: the build stops)."""
    sender.close()  # this process's copy of the parent's end: else recv() would never see the end of input
    docs = search.documents(project)
    counted = search.count_first(docs)
    trim_heap()
    try:
        _write_open_data(project, site_dir)
        failed = None
    except OSError as exc:  # the parent stops the build with this, as when it writes the open data itself
        failed = os_error_text(exc)
    trim_heap()
    try:
        with open(receiver.recv(), "rb") as f:  # after the open data: the parent must not find the pipe closed
            handwritten = pickle.load(f)
    except EOFError:
        os._exit(3)  # the build stopped before on_env (it reports why): no index, and no message from here
    if failed is None:
        search.write_index(site_dir, docs + [search.page_document(*p) for p in handwritten], parallel=False,
                           counted=counted)
    return {"open_data": failed}


def _write_search_index(project: Project, handwritten: list[tuple[str, str, str]], site_dir: Path,
                        parallel: bool) -> dict[str, Any]:
    return search.write_index(site_dir, search.documents(project, handwritten), parallel=parallel)


def _write_open_data(project: Project, site_dir: Path, parallel: bool = False) -> None:
    """Open data, the 附件 copies (gongkai.pages.attachments) and the redirect map of 原网址 (gongkai.pages.redirects);
    not sitemap.xml, which lists the pages (:func:`_write_sitemap`).

    ``parallel``: the per-plan files on every core (when no search index writer runs beside)."""
    write_open_data(project, site_dir, (), parallel=parallel, sitemap=False)
    attachments.copy_all(project, site_dir)
    for rel_path, data in redirects.redirect_files(project).items():
        path = site_dir / rel_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _open_data_paths(project: Project) -> set[str]:
    """Every site-relative file :func:`_write_open_data` writes (tests/test_opendata.py compares with a build)."""
    paths = {PLANS_JSON, TARGETS_CSV, TARGETS_JSON, FEED, *SCHEMA_URLS.values(), redirects.MAP_FILE, redirects.JSON_FILE}
    paths.update(plan_json_url(plan) for plan in project.plans)
    paths.update(a.url for plan in project.plans for a in plan.attachments)
    paths.update(nianbao_data_url(r.department.slug, r.year, ext) for r in project.reports for ext in ("csv", "json"))
    base = base_path(project.site.base_url)
    paths.update(filter(None, (redirects.page_file(old, base) for old, *_ in redirects.entries(project))))
    return paths


def _files_key(project: Project | None) -> tuple:
    """What the preview must notice besides the pages: every attachment (path, size, time) and every old path."""
    if project is None:
        return ()
    out = []
    for plan in project.plans:
        for a in plan.attachments:
            try:
                st = a.source.stat()
                out.append((a.url, st.st_size, st.st_mtime_ns))
            except OSError:
                out.append((a.url, -1, -1))
        out.extend(plan.old_paths)
    return tuple(out)


def _write_sitemap(project: Project, site_dir: Path, page_urls: list[str]) -> None:
    """sitemap.xml(.gz), written after the theme's own (which the open data's replaces)."""
    for rel_path, data in sitemap_files(project, page_urls).items():
        (site_dir / rel_path).write_bytes(data)


# --- rendering the theme once per kind of page -----------------------------------
#
# Material's base.html costs ~10 ms a page. Every generated page outside the nav at the same
# depth gets the same theme output except its title, description, <meta> tags, canonical URL,
# edit URL and content (no nav item is active on it). So the theme is rendered once per depth
# with placeholders, split at them, and each page is a join of the pieces with its own escaped
# values. Pages in the nav (政府信息公开首页, 网站地图) mark their nav item and render normally.

FAST_TEMPLATE = "gk-fast.html"
_TOKENS = {name: f"@@GK_{name}@@" for name in ("TITLE", "DESC", "HEAD", "CANON", "EDIT", "CONTENT")}
_SPLIT = re.compile("(" + "|".join(map(re.escape, _TOKENS.values())) + ")")


def _render(ctx: Any) -> str:
    return ctx.environment.get_template("main.html").render(ctx.get_all())


def _description(generated: Any, site_description: str) -> str:
    """What the theme prints in <meta name="description">: the page's own, else the site's (already escaped)."""
    return str(escape(generated.description)) if generated.description else site_description


def _values(generated: Any, canonical: str, edit: str, content: str, site_description: str) -> dict[str, str]:
    return {
        _TOKENS["TITLE"]: str(escape(generated.title)),
        _TOKENS["DESC"]: _description(generated, site_description),
        _TOKENS["HEAD"]: "".join(f'<meta name="{n}" content="{escape(v)}">' for n, v in generated.meta),
        _TOKENS["CANON"]: str(escape(canonical)),
        _TOKENS["EDIT"]: str(escape(edit)),
        _TOKENS["CONTENT"]: content,
    }


def _page_values(page: Any, generated: Page, site_description: str) -> dict[str, str]:
    return _values(generated, page.canonical_url or "", page.edit_url or "",
                   page.content if page.content is not None else generated.html, site_description)


def _fast_pages() -> bool:
    return os.environ.get("GONGKAI_FAST_PAGES", "1") != "0"  # "0": the plain path, kept to test the fast one


class _Later:
    """A generated page listed before it is rendered (``gongkai build``): its URL, source name and data file
    come from its job; anything else renders it here, once, on first use (a page in the nav, or one that a
    hand-written page links into). The other pages are rendered by the worker that writes them (_write_page)."""

    __slots__ = ("job", "url", "src_uri", "edit_path", "_page")

    def __init__(self, job: Any) -> None:
        self.job, self.url, self.src_uri, self.edit_path = job, job.key, src_of(job.key), job.source
        self._page: Page | None = None

    def __getattr__(self, name: str) -> Any:  # title, html, description, meta, kind
        if self._page is None:
            self._page = self.job.make()
        return getattr(self._page, name)


def _write_pages(write: Callable[[Any], None], pages: list[Any], *, parallel: bool) -> None:
    try:
        pmap(write, pages, parallel=parallel, interleave=True)
    except OSError as exc:
        raise DataError(f"\n网页文件写入失败，网站没有生成：{os_error_text(exc)}") from exc


def _fill(shell: list[str], values: dict[str, str]) -> str:
    return "".join(values.get(part, part) for part in shell)


_TOKEN_SET = frozenset(_TOKENS.values())
# id(shell) → (the shell, its text pieces in UTF-8, None where a value goes): each shell is encoded once per process
_encoded_shells: dict[int, tuple[list[str], list[bytes | None]]] = {}


def _fill_bytes(shell: list[str], values: dict[str, str]) -> bytes:
    """``_fill(shell, values)`` in UTF-8 as MkDocs writes pages (``xmlcharrefreplace``), with the shell's text
    encoded once: a plan page's shell is 16 KB of its 28, and joining the text first and then encoding the whole
    page took three times as long (26 µs against 8 a page; issue 18)."""
    kept = _encoded_shells.get(id(shell))
    if kept is None or kept[0] is not shell:
        kept = _encoded_shells[id(shell)] = (shell, [None if part in _TOKEN_SET else part.encode("utf-8", errors="xmlcharrefreplace")
                                                     for part in shell])
    return b"".join([values[part].encode("utf-8", errors="xmlcharrefreplace") if piece is None else piece
                     for part, piece in zip(shell, kept[1])])


_made_folders: set[str] = set()  # folders made by this process in this build (cleared before each build's writes)


def _write_page(site_description: str, item: tuple[str, list[str], str, str, _Later]) -> None:
    """Render and write one page _fast_page deferred (in a worker: the shells and the jobs are inherited;
    the page is dropped once written, nothing goes back to the parent)."""
    path, shell, canonical, edit, later = item
    page = later.job.make()
    if page.src_uri != later.src_uri:
        raise RuntimeError(f"{later.job.key}: 生成的页面 {page.src_uri} 与任务不符")
    values = _values(page, canonical, edit, page.html, site_description)
    write_file(path, _fill_bytes(shell, values), _made_folders)
