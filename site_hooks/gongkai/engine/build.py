"""Build the site atomically, or serve the preview: the CLI's only way into the engine.

:func:`build_site` validates, builds into a temporary folder, then swaps it into place; :func:`serve_site`
runs MkDocs' live-reloading preview server.

A failing or interrupted build never touches the previous ``site/``: MkDocs writes
into ``.site.tmp-<pid>/`` beside it, and only a complete build is renamed in.
"""
from __future__ import annotations

import gc
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from gongkai.data.loader import load_project
from gongkai.runtime.timing import phase, report


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


# Deletes a folder at low priority, in a process of its own that does not end with the build.
_DELETER = "import os, shutil, sys; os.nice(10); shutil.rmtree(sys.argv[1], ignore_errors=True)"


def _remove_in_background(path: Path) -> None:
    """Delete the folder ``path`` after the build has ended: the replaced site of a 10,000-plan project
    is ~160,000 files, and deleting them took 6.4 s of the build's time."""
    try:
        subprocess.Popen([sys.executable, "-c", _DELETER, str(path)], start_new_session=True, close_fds=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        _remove(path)


def swap_in(tmp: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` by ``tmp`` with two renames; the old copy is renamed to ``.<site>.trash-…`` (which
    :func:`recover` never puts back) and deleted in the background."""
    old = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists() or site_dir.is_symlink():
        os.replace(site_dir, old)
    os.replace(tmp, site_dir)
    if old.is_dir() and not old.is_symlink():
        trash = site_dir.with_name(f".{site_dir.name}.trash-{os.getpid()}-{time.time_ns()}")
        os.replace(old, trash)
        _remove_in_background(trash)
    elif old.exists() or old.is_symlink():
        _remove(old)


def recover(site_dir: Path) -> None:
    """Undo a swap cut short between its two renames: put the previous site back (or drop the copy)."""
    for old in sorted(site_dir.parent.glob(f".{site_dir.name}.old-*")):
        if not site_dir.exists() and not site_dir.is_symlink():
            os.replace(old, site_dir)
        else:
            _remove(old)


# The collector's thresholds while a site is built. The build makes millions of objects that live until
# it ends (the project, the pages' parts); with Python's default (700, 10, 10) the main process ran 3,571
# collections at 10,000 plans, 18 of them over every object, for 1.8 s of CPU; with these 29 and none, 0.3 s,
# and the same peak memory (docs/benchmarks.md, "Fourth round").
BUILD_GC_THRESHOLD = (50_000, 20, 20)


def build_site(root: Path, site_dir: Path | None = None, *, quiet: bool = False, drafts: bool = False) -> int:
    """Validate and build; return 0 on success, 1 with a Chinese report otherwise.

    ``drafts``: a copy for review, not for publishing: 草稿 and 待核对 plans are built and marked
    on their pages (as in the preview) instead of stopping the build."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLD)
    try:
        return _build_site(root, site_dir, quiet=quiet, drafts=drafts)
    finally:
        gc.set_threshold(*before)


def _build_site(root: Path, site_dir: Path | None, *, quiet: bool, drafts: bool) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from gongkai.engine.adapter import DataError, session_of

    start = time.monotonic()
    root = Path(root).resolve()
    site_dir = (site_dir or root / "site").resolve()
    recover(site_dir)
    with phase("读取和检查数据"):
        project, problems = load_project(root, parallel=True, drafts=drafts)  # a CLI process: forking workers is safe
    if project is None:
        print(problems.report(), file=sys.stderr)
        print(f"数据检查未通过，网站没有生成；原来的 {site_dir.name}/ 保持不变。", file=sys.stderr)
        return 1
    for warning in problems.warnings:
        print(warning, file=sys.stderr)
    for stale in site_dir.parent.glob(f".{site_dir.name}.tmp-*"):
        _remove(stale)  # left by a build that was killed
    for stale in site_dir.parent.glob(f".{site_dir.name}.trash-*"):
        _remove_in_background(stale)  # a deletion that was cut short (or is still going on: both end it)
    tmp = site_dir.with_name(f".{site_dir.name}.tmp-{os.getpid()}")
    _remove(tmp)
    mkdocs_log = logging.getLogger("mkdocs")
    collector = _Collector()
    mkdocs_log.addHandler(collector)
    old_level = mkdocs_log.level
    mkdocs_log.setLevel(logging.WARNING)
    ok = False
    session = None
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp), strict=True)
        session = session_of(config)
        session.preload(project, parallel=True)  # a clean build, even in a process that served before
        with phase("MkDocs 生成（含以上各步）"):
            build(config)
        ok = True
    except DataError as exc:
        print(exc.code, file=sys.stderr)
    except SystemExit as exc:  # click's Abort in strict mode and similar
        print(f"生成失败：{exc}", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - the editor gets a sentence, not a traceback
        message = getattr(exc, "message", None) or str(exc)
        print(f"生成失败：{type(exc).__name__}: {message}", file=sys.stderr)
    finally:
        mkdocs_log.removeHandler(collector)
        mkdocs_log.setLevel(old_level)
        if session is not None:
            session.finish()
    if not ok:
        for message in collector.messages:
            print(f"MkDocs 提示：{message}", file=sys.stderr)
        _remove(tmp)
        if any("link" in m or "anchor" in m for m in collector.messages):
            print("手写页面（content/）中有链接指向不存在的页面或锚点，请按上面的提示修改。", file=sys.stderr)
        print(f"网站没有生成；原来的 {site_dir.name}/ 保持不变。", file=sys.stderr)
        return 1
    with phase("替换原来的网站文件夹"):
        swap_in(tmp, site_dir)
    admin_dir = site_dir.with_name(f"{site_dir.name}-admin")
    with phase("网页编辑器（site-admin/）"):
        from gongkai.engine.assets import write_admin_folder
        from gongkai.pages.admin import editor_option

        try:
            admin_written = write_admin_folder(project, root, site_dir, admin_dir, editor_option(config).get("backend"))
        except OSError as exc:
            print(f"网页编辑器没有生成到 {admin_dir.name}/:{exc}", file=sys.stderr)
            admin_written = True
    if not quiet:
        print(f"网站已生成到 {site_dir}，共 {len(project.plans)} 条信息，用时 {time.monotonic() - start:.1f} 秒。")
        if admin_written:
            print(f"网页编辑器已生成到 {admin_dir}/admin/（供内网服务器使用，见 docs/editor.md）。")
        else:
            print("提醒：网页编辑器（Decap CMS）没有安装，没有生成 site-admin/；需要时运行 make cms-deps。")
        if timings := report():
            print(timings)
    return 0


def serve_site(root: Path, addr: str) -> int:
    """Preview at ``addr`` with live reload (gongkai.engine.server); returns 1 with the Chinese report if it cannot start."""
    from gongkai.engine.adapter import DataError
    from gongkai.engine.server import ChineseLog, serve

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(ChineseLog())
    try:
        # Not strict: while an editor is mid-edit, a broken link is a warning in the terminal, not a dead
        # preview. `gongkai build` (and so publishing) stays strict. Dirty builds: after an edit only the
        # pages that changed are written (gongkai.engine.adapter.Session._skip_unchanged), and an edit to
        # one plan file only the outputs that depend on it (Session.fast_update).
        return serve(Path(root) / "mkdocs.yml", addr)
    except DataError as exc:
        print(exc.code, file=sys.stderr)
        return 1
