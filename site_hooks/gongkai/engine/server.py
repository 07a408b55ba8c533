"""The preview server of ``gongkai serve``: MkDocs' live-reload server, told which files changed.

MkDocs' own ``serve`` polls the watched folders every 0.5 s and rebuilds the whole site (dirty) after
any change. Here the watcher uses the kernel's notifications (inotify on Linux; polling where there is
none), remembers the paths that changed, and an edit to one plan file goes to the session's fast path
(:meth:`gongkai.engine.adapter.Session.fast_update`, which re-renders only what depends on that plan).
Anything else, or anything the fast path declines, is MkDocs' dirty build as before.

MkDocs' English log lines are translated or dropped by :class:`ChineseLog`; a port in use is a
Chinese sentence and exit status 1 (:func:`serve`).
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gongkai.runtime.ports import in_use

log = logging.getLogger("mkdocs.gongkai.serve")

# MkDocs' messages while serving: what an editor needs, in Chinese; None drops the line.
_TRANSLATIONS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"^Building documentation"), "正在生成网站……"),
    (re.compile(r"^Cleaning site directory"), None),
    (re.compile(r"^Documentation built in ([0-9.]+) seconds"), r"网站已生成，用时 \1 秒"),
    (re.compile(r"^Serving on (\S+)"), r"预览地址:\1"),
    (re.compile(r"^Watching paths for changes"), None),
    (re.compile(r"^Detected file changes"), None),
    (re.compile(r"^Reloading browsers"), None),
    (re.compile(r"^Shutting down"), "预览已停止。"),
    (re.compile(r"^Browser connected"), None),
    (re.compile(r"^A 'dirty' build"), None),
    (re.compile(r"^An error happened during the rebuild"), "生成时出错（见上面的提示）；改正并保存后会重新生成。"),
    (re.compile(r"^The following pages exist in the docs directory, but are not included in the \"nav\""), None),
]


class ChineseLog(logging.Filter):
    """MkDocs' log while previewing: known lines in Chinese, noise dropped, the rest prefixed ``MkDocs 提示：``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("mkdocs") or record.name.startswith("mkdocs.gongkai") \
                or record.name.startswith("mkdocs.plugins.gongkai"):
            return True
        message = record.getMessage()
        for pattern, chinese in _TRANSLATIONS:
            m = pattern.search(message)
            if m:
                if chinese is None:
                    return False
                record.msg, record.args = m.expand(chinese), ()
                return True
        if record.levelno < logging.WARNING:
            return False  # MkDocs' other information lines (timestamps, requests) say nothing to an editor
        record.msg, record.args = f"MkDocs 提示：{message}", ()
        return True


def _observer(timeout: float) -> Any:
    """The kernel's file notifications where there are any (inotify on Linux), else polling."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    try:
        return Observer(timeout=timeout)
    except (OSError, RuntimeError):  # pragma: no cover - no inotify here
        return PollingObserver(timeout=timeout)


def _server_class():
    from mkdocs.livereload import LiveReloadServer
    import watchdog.events

    class Server(LiveReloadServer):
        """LiveReloadServer that keeps the changed paths for the builder (see :func:`serve`)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.observer = _observer(0.5)
            self.build_delay = 0.03  # an editor's save is one write; MkDocs waits 0.1 s for more
            self.changed: set[str] = set()
            self._changed_lock = threading.Lock()

        def take_changed(self) -> set[str]:
            with self._changed_lock:
                changed, self.changed = self.changed, set()
            return changed

        def watch(self, path: str, func: Any = None, *, recursive: bool = True) -> None:
            path = os.path.abspath(path)
            if path in self._watched_paths:
                self._watched_paths[path] += 1
                return
            self._watched_paths[path] = 1
            server = self

            class Handler(watchdog.events.FileSystemEventHandler):
                def on_any_event(self, event: Any) -> None:
                    if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                        return
                    with server._changed_lock:
                        server.changed.add(os.fsdecode(event.src_path))
                        if getattr(event, "dest_path", ""):
                            server.changed.add(os.fsdecode(event.dest_path))
                    with server._rebuild_cond:
                        server._want_rebuild = True
                        server._rebuild_cond.notify_all()

            self._watch_refs[path] = self.observer.schedule(Handler(), path, recursive=recursive)

    return Server


def _plan_file(root: Path, path: str) -> bool:
    """A plan file (data/plans/<机构>/<年度>/<文件名>.yml), not an attachment or an editor's temporary file."""
    try:
        parts = Path(path).resolve().relative_to(root / "data" / "plans").parts
    except ValueError:
        return False
    return len(parts) == 3 and parts[2].endswith(".yml") and not parts[2].startswith(".")


def serve(config_file: Path, addr: str) -> int:
    """Preview ``config_file``'s project at ``addr`` until Ctrl+C; 1 with a Chinese message if it cannot start."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import _serve_url

    from gongkai.engine.adapter import session_of

    host, _, port_text = addr.rpartition(":")
    host = host or "127.0.0.1"
    if not port_text.isdigit():
        print(f"预览地址“{addr}”不对：请写成 127.0.0.1:8000 的样子。", file=sys.stderr)
        return 1
    port = int(port_text)
    if in_use(host, port):
        print(f"端口 {port} 已被占用（可能已经有一个预览在运行）。请先关闭它，或换一个端口："
              f"make serve PORT={port + 1}（或 gongkai serve --addr {host}:{port + 1}）。", file=sys.stderr)
        return 1
    root = Path(config_file).resolve().parent
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")  # the name MkDocs' own serve uses

    def get_config() -> Any:
        return load_config(config_file=str(config_file), site_dir=site_dir, dev_addr=addr, strict=False)

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=True)
    session = session_of(config)
    mount_path = urlsplit(config.site_url or "/").path
    config.site_url = serve_url = _serve_url(host, port, mount_path)
    server: Any = None

    def builder(config: Any = None) -> None:
        changed = server.take_changed() if server is not None and config is None else set()
        # an editor's temporary file (sed -i, some editors' safe save) is gone again: it changed nothing
        changed = {p for p in changed if os.path.exists(p) or p.endswith(".yml")}
        if len(changed) == 1 and _plan_file(root, path := next(iter(changed))) and os.path.exists(path):
            start = time.monotonic()
            try:
                written = session.fast_update(Path(path), Path(site_dir))
            except Exception as exc:  # noqa: BLE001 - the whole build below reports the problem properly
                log.debug("fast path failed: %r", exc)
                written = None
            if written is not None:
                print(f"已更新 {Path(path).name}：重新生成 {written} 个页面和相关的搜索索引、数据开放文件，"
                      f"用时 {time.monotonic() - start:.2f} 秒", file=sys.stderr, flush=True)
                return
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=True)

    server = _server_class()(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path)

    def error_page(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            print("预览已停止。", file=sys.stderr)
        except OSError as exc:  # the port was taken between the check and the start
            print(f"预览无法在 {addr} 启动：{exc.strerror or exc}。请换一个端口：make serve PORT={port + 1}。", file=sys.stderr)
            return 1
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
