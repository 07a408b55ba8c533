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
    config["site_name"] = Markup.escape(project.site.name)  # MkDocs' theme env has no autoescape: text goes in as HTML
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
    for f in list(files):
        if f.src_uri.startswith("components/"):
            files.remove(f)
    clashes = []
    for page in pages:
        existing = files.get_file_from_path(page.src_uri)
        if existing is not None:
            clashes.append(f"content/{page.src_uri}: 与自动生成的页面 {page.url} 重名 — 请给这个手写页面换一个文件名")
            continue
        front = "---\ntitle: " + json.dumps(str(Markup.escape(page.title)), ensure_ascii=False) + "\n---\n"  # as HTML: see on_config
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
        page.meta["description"] = Markup.escape(generated.description)
    return ""


def on_page_content(html: str, page: Any) -> str:
    generated = state.pages.get(page.file.src_uri)
    return generated.html if generated is not None else html


def on_env(env: Any) -> Any:
    env.globals["gk"] = dict(state.chrome, root_token=ROOT)
    return env


def reset() -> None:
    """Forget the previous build (used between builds in one process)."""
    state.project = None
    state.pages = {}
    state.chrome = {}


def is_serving() -> bool:
    return os.environ.get("GONGKAI_SERVE") == "1"
