"""The only module that knows MkDocs: feeds generated pages into a MkDocs build.

``site_hooks/hooks.py`` calls these functions from MkDocs' events. To move to
another engine, keep :mod:`gongkai.generate` and replace this module.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .generate import ROOT, Page, chrome, generate
from .loader import load_project
from .model import Project
from .render import make_env

log = logging.getLogger("mkdocs.plugins.gongkai")


class DataError(SystemExit):
    """Stops the build with the Chinese report and no traceback (MkDocs prints SystemExit plainly)."""


class _State:
    project: Project | None = None
    preloaded: Project | None = None  # set by `gongkai build`, which has validated already
    pages: dict[str, Page] = {}
    chrome: dict[str, str] = {}
    handwritten: list[tuple[str, str, str]] = []  # (url, title, content html) for the search index


state = _State()


def project_root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: Any) -> Any:
    """Load and validate the data; stop with every problem listed if anything is wrong."""
    root = project_root(config)
    project, problems = (state.preloaded, None) if state.preloaded is not None else load_project(root)
    state.preloaded = None
    if project is None:
        raise DataError("\n数据检查未通过,网站没有生成:\n" + problems.report())
    for warning in problems.warnings if problems else []:
        log.info(str(warning))
    state.project = project
    config["site_name"] = project.site.name
    if not config.get("site_url"):
        config["site_url"] = project.site.base_url
    return config


def on_files(files: Any, config: Any) -> Any:
    """Add one generated file per page; drop the components' docs that the theme folder would copy."""
    from mkdocs.structure.files import File

    assert state.project is not None
    env = make_env(project_root(config) / "templates")
    pages = generate(state.project, env)
    state.chrome = chrome(state.project, env)
    state.pages = {}
    state.handwritten = []
    for f in list(files):
        if f.src_uri.startswith("components/"):
            files.remove(f)
    clashes = []
    for page in pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            clashes.append(f"content/{page.src_uri}: 与自动生成的页面 {page.url} 重名 — 请给这个手写页面换一个文件名")
            continue
        front = "---\ntitle: " + json.dumps(page.title, ensure_ascii=False) + "\n---\n"
        f = File.generated(config, page.src_uri, content=front)
        if page.edit_path:
            f.edit_uri = "../" + page.edit_path  # edit_uri is relative to content/; the YAML lives in data/
        files.append(f)
        state.pages[page.src_uri] = page
    if clashes:
        raise DataError("\n" + "\n".join(clashes))
    return files


def on_page_markdown(markdown: str, page: Any) -> str:
    """Generated pages carry no Markdown: skip the parser for them."""
    generated = state.pages.get(page.file.src_uri)
    if generated is None:
        return markdown
    head = "".join(f'<meta name="{n}" content="{Markup.escape(v)}">' for n, v in generated.meta)
    page.meta["gk_head"] = head
    page.meta["gk_kind"] = generated.kind
    if generated.description:
        page.meta["description"] = generated.description
    return ""


def on_page_content(html: str, page: Any) -> str:
    generated = state.pages.get(page.file.src_uri)
    if generated is None and not page.meta.get("gk_search"):  # the search page itself is not indexed
        state.handwritten.append((page.url, page.title or "", html))
    return generated.html if generated is not None else html


def on_env(env: Any) -> Any:
    env.globals["gk"] = dict(state.chrome, root_token=ROOT)
    return env


def on_post_build(config: Any) -> None:
    """Write the site search index into the (temporary) site folder; stop the build if that fails."""
    from . import search

    try:
        search.write_index(Path(config["site_dir"]), search.documents(state.project, state.handwritten))
    except search.SearchIndexError as exc:
        raise DataError(f"\n站内搜索索引生成失败,网站没有生成:{exc}") from exc


def reset() -> None:
    """Forget the previous build (used between builds in one process)."""
    state.project = None
    state.pages = {}
    state.chrome = {}
    state.handwritten = []


def is_serving() -> bool:
    return os.environ.get("GONGKAI_SERVE") == "1"
