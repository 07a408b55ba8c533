"""The only module that knows MkDocs: feeds generated pages into a MkDocs build.

``site_hooks/hooks.py`` calls these functions from MkDocs' events. To move to
another engine, keep :mod:`gongkai.generate` and replace this module.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Iterator, Set as AbstractSet
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import escape

from gongkai.data import history
from gongkai.engine import preview
from gongkai.pages import search
from gongkai.pages.generate import ROOT, Page, chrome, generate
from gongkai.data.loader import load_project
from gongkai.data.model import Project
from gongkai.pages.opendata import sitemap_files, write_open_data
from gongkai.runtime.parallel import background, jobs, pmap
from gongkai.problems import os_error_text
from gongkai.markup.body import RenderMemo, digest, make_env
from gongkai.runtime.timing import phase

log = logging.getLogger("mkdocs.plugins.gongkai")


# Copied by the theme but never requested: the components' sources (templates/components/), and
# what only Material's own search plugin and named palettes use (the site has its own search, and
# main.html links no palette.css): 40 files and about 1 MB in every site.
UNUSED_THEME_FILES = ("components/", "assets/javascripts/lunr/", "assets/javascripts/workers/search.",
                      "assets/stylesheets/palette.")


class DataError(SystemExit):
    """Stops the build with the Chinese report and no traceback (MkDocs prints SystemExit plainly)."""


class _State:
    project: Project | None = None
    preloaded: Project | None = None  # set by `gongkai build`, which has validated already
    pages: dict[str, Page] = {}
    chrome: dict[str, str] = {}
    shells: dict[tuple, list[str]] = {}
    parallel: bool = False  # `gongkai build` turns it on; the preview server has threads and must not fork
    page_urls: list[str] = []  # every HTML page's URL, for sitemap.xml
    handwritten: list[tuple[str, str, str]] = []  # (url, title, content html) for the search index
    # The preview server's (gongkai serve: dirty builds), kept from one build to the next:
    dirty: bool = False  # MkDocs does not empty the site folder before building
    parse_cache: dict[tuple, bytes] = {}  # plan files parsed (gongkai.loader._parse_all)
    memo = RenderMemo()  # rendered components (gongkai.render.RenderMemo)
    page_keys: dict[str, bytes] = {}  # digest of each generated page at the last build
    chrome_key: bytes | None = None  # digest of everything all pages share at the last build
    full: bool = True  # this build writes every page (else only the generated pages that changed)
    open_data_done: Any = None  # gongkai build: waits for the open-data writer running beside MkDocs
    search_done: Any = None  # gongkai build: waits for the search index writer running beside MkDocs
    search_pages: Any = None  # gongkai build: the pipe that tells that writer where the hand-written pages are
    search_pages_file: str | None = None  # … and that file (removed after the writer has finished)
    deferred: list[tuple[str, list[str], dict[str, str]]] | None = None  # gongkai build: pages to write in on_post_build


state = _State()


def on_startup(command: str, dirty: bool) -> None:
    """``gongkai serve`` runs MkDocs' dirty builds: pages that did not change are not written again."""
    state.dirty = command == "serve" and dirty


def project_root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: Any) -> Any:
    """Load and validate the data; stop with every problem listed if anything is wrong."""
    root = project_root(config)
    reuse = state.parse_cache if state.dirty else None
    project, problems = (state.preloaded, None) if state.preloaded is not None else load_project(root, reuse=reuse)
    state.preloaded = None
    preview.start_build()
    if project is None and is_serving():  # live preview: show the report on the pages, keep serving
        preview.record_problems(problems)
        config["strict"] = False
        project = preview.preview.last_good
    elif project is None:
        raise DataError("\n数据检查未通过,网站没有生成:\n" + problems.report())
    else:
        if is_serving():
            preview.succeeded(project)
        project.history = history.collect(root, [p.path for p in project.plans])
        if project.history.reason and not is_serving():
            print(f"提醒:{project.history.reason}。", file=sys.stderr)
    for warning in problems.warnings if problems else []:
        log.info(str(warning))
    state.project = project
    if project is None:
        return config
    config["site_name"] = escape(project.site.name)  # MkDocs' theme env has no autoescape: text goes in as HTML
    if not config.get("site_url"):
        config["site_url"] = project.site.base_url
    return config


def on_files(files: Any, config: Any) -> Any:
    """Add one generated file per page; drop the components' docs that the theme folder would copy."""
    from mkdocs.structure.files import File

    # The search index of the plans can be counted now, beside everything MkDocs does next; the
    # hand-written pages join it in on_env, once MkDocs has read them (see _search_beside).
    state.search_done, state.search_pages = _search_beside(Path(config["site_dir"]))
    env = make_env(project_root(config) / "templates")
    state.shells = {}  # templates may have changed since the last preview build
    memo = templates_key = None
    if state.dirty:
        templates_key = _tree_key(project_root(config) / "templates")
        memo = state.memo
        memo.start(templates_key)
    try:
        pages = (generate(state.project, env, parallel=state.parallel, memo=memo) if state.project is not None
                 else preview.placeholder_pages())
        state.chrome = chrome(state.project, env) if state.project is not None else {}
    except Exception as exc:  # noqa: BLE001 - while previewing, a broken template is shown, not fatal
        if not is_serving():
            raise
        preview.record_message(getattr(exc, "filename", None) or "templates/", _describe(exc))
        config["strict"] = False
        pages, state.chrome = preview.placeholder_pages(), {}
    state.pages = {}
    state.handwritten = []
    for f in list(files):
        if f.src_uri.startswith(UNUSED_THEME_FILES):
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
        state.pages[page.src_uri] = page
    if clashes and is_serving():
        for clash in clashes:
            preview.record_message(*clash.split(": ", 1))
    elif clashes:
        raise DataError("\n" + "\n".join(clashes))
    state.page_urls = [f.url for f in files.documentation_pages()]
    state.deferred = [] if state.parallel and not state.dirty else None
    if state.dirty:
        _skip_unchanged(files, config, templates_key)
    # Open data needs only the project and the page list: it can be written while MkDocs writes the
    # pages (sitemap.xml is written in on_post_build, after the theme's own).
    state.open_data_done = _beside("数据开放文件", _write_open_data, state.project, Path(config["site_dir"]),
                                   state.page_urls)
    return files


def _beside(what: str, func: Any, *args: Any) -> Any:
    """``gongkai build`` on two or more cores: start ``func(*args)`` in a forked process beside MkDocs'
    page loop and return the function that waits for it (see :func:`_finish`); otherwise None, and
    on_post_build runs it itself."""
    if not _may_fork_beside():
        return None
    try:
        return background(f"{what}生成失败", func, *args)
    except OSError as exc:  # no room for its result file, or no process could be started
        raise _writer_failed(what, exc) from exc


def _may_fork_beside() -> bool:
    return state.parallel and jobs() > 1 and not state.dirty and state.project is not None


def _writer_failed(what: str, exc: BaseException) -> DataError:
    return DataError(f"\n{what}生成失败，网站没有生成：{os_error_text(exc)}")


def _finish(what: str, done: Any, func: Any, *args: Any) -> None:
    """on_post_build: wait for ``what`` started by :func:`_beside`, or make it now if ``done`` is None.
    A failure stops the build (the forked process has printed its reason on the line above)."""
    if done is not None:
        with phase(f"{what}（等待后台进程）"):
            ok, _ = done()
        if not ok:
            raise DataError(f"\n{what}生成失败，网站没有生成（原因见上一行）。")
        return
    try:
        with phase(what):
            func(*args)
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


def _skip_unchanged(files: Any, config: Any, templates_key: tuple) -> None:
    """Preview (dirty builds): MkDocs writes only the generated pages whose content changed.

    What every page shares — the theme shell and chrome, the templates, the list of pages (the
    navigation), mkdocs.yml and the red error panel — is digested too; when it changes, the site
    folder is emptied and every page written, as in a clean build."""
    from mkdocs.utils import clean_directory

    keys = {src: digest(page) for src, page in state.pages.items()}
    config_file = Path(config.config_file_path)
    shared = digest((state.chrome, preview.panel_html(), sorted(f.src_uri for f in files),
                      config_file.stat().st_mtime_ns, templates_key))
    state.full = shared != state.chrome_key
    if state.full:
        clean_directory(config["site_dir"])
    else:
        for f in files:
            if f.src_uri in keys:
                changed = state.page_keys.get(f.src_uri) != keys[f.src_uri]
                f.is_modified = lambda changed=changed: changed  # MkDocs' dirty build asks each file
    state.page_keys, state.chrome_key = keys, shared


_ID = re.compile(r'\sid="([^"]+)"')


class _AnchorIds(AbstractSet[str]):
    """The ids in a generated page (our own output: ids are plain), found the first time MkDocs asks.

    MkDocs only asks when a hand-written page links to an anchor in it; finding them in every page
    up front cost ~0.2 ms a page in the one process that runs MkDocs' page loop."""

    def __init__(self, html: str) -> None:
        self._html: str | None = html
        self._ids: frozenset[str] = frozenset()

    def _found(self) -> frozenset[str]:
        if self._html is not None:
            self._ids, self._html = frozenset(_ID.findall(self._html)), None
        return self._ids

    def __contains__(self, anchor: object) -> bool:
        return anchor in self._found()

    def __iter__(self) -> Iterator[str]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())


def on_pre_page(page: Any) -> Any:
    """Generated pages are HTML already: replace MkDocs' Markdown step (a new parser per page)."""
    generated = state.pages.get(page.file.src_uri)
    if generated is not None:
        def render(config: Any, files: Any) -> None:
            from mkdocs.structure.toc import get_toc

            page.content = generated.html
            page.toc = get_toc([])
            page._title_from_render = str(escape(generated.title))  # the theme prints titles as HTML
            page.present_anchor_ids = _AnchorIds(generated.html)  # read only if a hand-written page links into it
            page.links_to_anchors = {}

        page.render = render
    return page


def _describe(exc: Exception) -> str:
    line = getattr(exc, "lineno", None)
    where = f"第{line}行:" if line else ""
    return f"{where}模板有错误({type(exc).__name__}: {getattr(exc, 'message', None) or exc})— 请检查刚才修改的模板"


def on_page_markdown(markdown: str, page: Any) -> str:
    """Generated pages carry no Markdown: skip the parser for them."""
    generated = state.pages.get(page.file.src_uri)
    if generated is None:
        return markdown
    if os.environ.get("GONGKAI_FAST_PAGES", "1") == "0":  # the plain path, kept to test the fast one
        values = _page_values(page, generated)
        page.meta.update(title=values[_TOKENS["TITLE"]], gk_head=values[_TOKENS["HEAD"]])
        if generated.description:
            page.meta["description"] = values[_TOKENS["DESC"]]
    else:
        page.meta["template"] = FAST_TEMPLATE
    return ""


def on_page_content(html: str, page: Any) -> str:
    generated = state.pages.get(page.file.src_uri)
    if generated is None and not page.meta.get("gk_search"):  # the search page itself is not indexed
        state.handwritten.append((page.url, page.title or "", html))
    html = generated.html if generated is not None else html
    return preview.panel_html() + html if is_serving() else html


def on_env(env: Any, config: Any) -> Any:
    env.globals["gk"] = dict({"footer_html": "", "top_links_html": "", "site_meta_html": "", "a11y_toolbar_html": ""}, **state.chrome, root_token=ROOT)
    env.globals["gk_fast_page"] = _fast_page
    # Every page's content is known now (MkDocs has read the hand-written ones): send them to the
    # search index writer, which has been counting the plans' terms since on_files.
    if state.search_pages is not None:
        sender, state.search_pages = state.search_pages, None
        try:
            # through a file: a pipe holds 64 KB, and the writer reads only after counting the plans
            fd, state.search_pages_file = tempfile.mkstemp(prefix="gongkai-pages-", suffix=".pickle")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(list(state.handwritten), f, protocol=pickle.HIGHEST_PROTOCOL)
            sender.send(state.search_pages_file)
        except OSError as exc:  # the writer sees the end of input and stops quietly; reset() waits for it
            raise _writer_failed("站内搜索索引", exc) from exc
        finally:
            sender.close()
    return env


def _search_beside(site_dir: Path) -> tuple[Any, Any]:
    """``gongkai build`` on two or more cores: start the search index writer in a forked process now,
    before MkDocs has read the hand-written pages; they are sent to it through a pipe in on_env.
    Returns (wait function, sending end), or (None, None): on_post_build writes the index itself.
    (Counting only the terms beside MkDocs and sending 8 million postings back measured worse:
    docs/benchmarks.md, "Session 2".)"""
    if not _may_fork_beside():
        return None, None
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    try:
        done = _beside("站内搜索索引", _write_search_index_when_told, state.project, receiver, sender, site_dir)
    except DataError:
        sender.close()
        raise
    finally:
        receiver.close()  # the child holds its own copy
    return done, sender


def _write_search_index_when_told(project: Project, receiver: Any, sender: Any, site_dir: Path) -> None:
    """In the forked writer: count the plans, wait for the hand-written pages, write the index."""
    sender.close()  # this process's copy of the parent's end: else recv() would never see the end of input
    docs = search.documents(project)
    counted = search.count_first(docs, parallel=True)
    try:
        with open(receiver.recv(), "rb") as f:
            handwritten = pickle.load(f)
    except EOFError:
        os._exit(3)  # the build stopped before on_env (it reports why): no index, and no message from here
    search.write_index(site_dir, docs + [search.page_document(*p) for p in handwritten], parallel=True, counted=counted)


def _write_search_index(project: Project, handwritten: list[tuple[str, str, str]], site_dir: Path,
                        parallel: bool) -> None:
    search.write_index(site_dir, search.documents(project, handwritten), parallel=parallel)


def _write_open_data(project: Project, site_dir: Path, page_urls: list[str], parallel: bool = True) -> None:
    write_open_data(project, site_dir, page_urls, parallel=parallel, sitemap=False)


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


def _shell(ctx: Any, page: Any, generated: Page) -> list[str]:
    # Relative links in the theme (nav, assets) depend on the page's folder, not only its depth.
    folder = page.url.rstrip("/").rpartition("/")[0]
    key = (folder, page.edit_url is not None, page.canonical_url is not None, bool(generated.description))
    shell = state.shells.get(key)
    if shell is None:
        saved = (page.content, page.canonical_url, page.edit_url, page.meta)
        page.meta = dict(page.meta, title=_TOKENS["TITLE"], gk_head=_TOKENS["HEAD"])
        if generated.description:
            page.meta["description"] = _TOKENS["DESC"]
        page.content = _TOKENS["CONTENT"] + "<h1>"  # Material adds an <h1> to content without one
        page.canonical_url = _TOKENS["CANON"] if saved[1] is not None else None
        page.edit_url = _TOKENS["EDIT"] if saved[2] is not None else None
        try:
            html = _render(ctx)
        finally:
            page.content, page.canonical_url, page.edit_url, page.meta = saved
        shell = state.shells[key] = _SPLIT.split(html.replace(_TOKENS["CONTENT"] + "<h1>", _TOKENS["CONTENT"]))
    return shell


def _page_values(page: Any, generated: Page) -> dict[str, str]:
    return {
        _TOKENS["TITLE"]: str(escape(generated.title)),
        _TOKENS["DESC"]: str(escape(generated.description)),
        _TOKENS["HEAD"]: "".join(f'<meta name="{n}" content="{escape(v)}">' for n, v in generated.meta),
        _TOKENS["CANON"]: str(escape(page.canonical_url or "")),
        _TOKENS["EDIT"]: str(escape(page.edit_url or "")),
        _TOKENS["CONTENT"]: page.content if page.content is not None else generated.html,
    }


@pass_context
def _fast_page(ctx: Any) -> str:
    page = ctx["page"]
    generated = state.pages[page.file.src_uri]
    values = _page_values(page, generated)
    nav_pages = ctx["nav"].pages
    if page in nav_pages or any(p.url.startswith(page.url) for p in nav_pages if page.url):
        # its nav item is active, or nav links point inside it: render it for real
        saved = page.meta
        page.meta = dict(saved, title=values[_TOKENS["TITLE"]], gk_head=values[_TOKENS["HEAD"]])
        if generated.description:
            page.meta["description"] = values[_TOKENS["DESC"]]
        try:
            return _render(ctx)
        finally:
            page.meta = saved
    shell = _shell(ctx, page, generated)
    if state.deferred is not None:
        # `gongkai build`: MkDocs writes no file for an empty page; on_post_build writes these on every core
        state.deferred.append((page.file.abs_dest_path, shell, values))
        return ""
    return _fill(shell, values)


def _fill(shell: list[str], values: dict[str, str]) -> str:
    return "".join(values.get(part, part) for part in shell)


_made_folders: set[str] = set()  # folders made by this process in this build (cleared before each build's writes)


def _write_page(page: tuple[str, list[str], dict[str, str]]) -> None:
    """Write one page _fast_page deferred (in a worker: the shells and HTML are inherited)."""
    path, shell, values = page
    folder = os.path.dirname(path)
    if folder not in _made_folders:
        os.makedirs(folder, exist_ok=True)
        _made_folders.add(folder)
    with open(path, "wb") as f:
        f.write(_fill(shell, values).encode("utf-8", errors="xmlcharrefreplace"))  # as MkDocs writes pages


def on_post_build(config: Any) -> None:
    """Open data, Atom feed, sitemap.xml (gongkai.opendata) and the search index (gongkai.search),
    written into the (temporary) site folder; a search index failure stops the build."""
    if state.dirty and not state.full:
        return  # preview after an edit: open data and the search index stay as the first build wrote them
    site_dir = Path(config["site_dir"])
    if state.deferred:
        with phase("计划页等写入文件"):
            try:
                _made_folders.clear()  # a second build in this process writes into a new folder of the same name
                # interleaved: the large 目标任务/汇编 pages come last in MkDocs' order
                pmap(_write_page, state.deferred, parallel=state.parallel, interleave=True)
            except OSError as exc:
                raise DataError(f"\n网页文件写入失败，网站没有生成：{os_error_text(exc)}") from exc
            finally:
                state.deferred = None
    # Each writer is taken out of `state` just before it is waited for: if one fails, reset() still
    # waits for the others.
    if state.project is not None:
        done, state.open_data_done = state.open_data_done, None
        _finish("数据开放文件", done, _write_open_data, state.project, site_dir, state.page_urls, state.parallel)
        _finish("网站地图（sitemap.xml）", None, _write_sitemap, state.project, site_dir, state.page_urls)
    done, state.search_done = state.search_done, None
    _finish("站内搜索索引", done, _write_search_index, state.project, state.handwritten, site_dir, state.parallel)


def reset() -> None:
    """Forget the previous build (used between builds in one process)."""
    if state.search_pages is not None:  # stopped before on_env: the search writer sees the end of input and stops
        state.search_pages.close()
        state.search_pages = None
    for name in ("open_data_done", "search_done"):  # the build stopped before on_post_build: leave no process behind
        if getattr(state, name) is not None:
            getattr(state, name)()
            setattr(state, name, None)
    if state.search_pages_file is not None:
        Path(state.search_pages_file).unlink(missing_ok=True)
        state.search_pages_file = None
    state.project = None
    state.pages = {}
    state.chrome = {}
    state.shells = {}
    state.handwritten = []
    state.deferred = None


def is_serving() -> bool:
    return os.environ.get("GONGKAI_SERVE") == "1"
