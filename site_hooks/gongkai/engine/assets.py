"""What publishing adds to a MkDocs build: fingerprinted assets, robots.txt, the release id and CSP in the theme.

The rules are :mod:`gongkai.publish.release` (plain functions); this module applies them to MkDocs'
files and theme environment, for the :class:`~gongkai.engine.adapter.Session` that holds the state.
"""
from __future__ import annotations

import os
from typing import Any

from markupsafe import Markup
from mkdocs.structure.files import File

from gongkai.publish import csp
from gongkai.publish.release import (FINGERPRINT_DIR, FINGERPRINT_EXT, FINGERPRINTED, fingerprinted_name, release_id,
                                     robots_txt, source_date_epoch)


def fingerprint(files: Any, config: Any) -> dict[str, str]:
    """Add a content-named copy of each assets/gongkai/*.css|js and point extra_css/extra_javascript at it."""
    mapping: dict[str, str] = {}
    for f in list(files):
        uri = f.src_uri
        if not (uri.startswith(FINGERPRINT_DIR) and uri.endswith(FINGERPRINT_EXT)) or FINGERPRINTED.search(uri):
            continue
        new = fingerprinted_name(uri, f.content_bytes)
        files.append(File.generated(config, new, abs_src_path=f.abs_src_path) if f.abs_src_path
                     else File.generated(config, new, content=f.content_bytes))
        mapping[uri] = new
    config["extra_css"] = [mapping.get(path, path) for path in config["extra_css"]]
    for script in config["extra_javascript"]:
        if isinstance(script, str):
            continue
        script.path = mapping.get(script.path, script.path)
    config["extra_javascript"] = [mapping.get(s, s) if isinstance(s, str) else s for s in config["extra_javascript"]]
    return mapping


class Release:
    """The release of one build: its id, its fingerprinted assets, and SOURCE_DATE_EPOCH while it runs."""

    def __init__(self) -> None:
        self.id = ""
        self.assets: dict[str, str] = {}
        self._saved_epoch: str | None = None
        self._epoch_set = False

    def on_config(self, config: Any, root: Any, project: Any = None) -> Any:
        override = os.environ.get("GONGKAI_SITE_URL", "").strip()
        if override:
            config["site_url"] = override.rstrip("/") + "/"
        epoch = source_date_epoch(root, project)
        self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        self._epoch_set = epoch is not None
        if epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        self.id = release_id(root, getattr(project, "sources", None))
        return config

    def on_files(self, files: Any, config: Any) -> Any:
        self.assets = fingerprint(files, config)
        if files.get_file_from_path("robots.txt") is None:
            files.append(File.generated(config, "robots.txt", content=robots_txt(config.get("site_url") or "")))
        return files

    def on_env(self, env: Any, serving: bool) -> Any:
        env.globals["gk_publish"] = {
            "release": self.id,
            # Live preview injects an inline script for reloading: no CSP there.
            "csp_meta_html": Markup("" if serving else csp.meta_html()),
        }
        env.globals["gk_asset"] = lambda path: self.assets.get(path, path)
        return env

    def done(self) -> None:
        """Put SOURCE_DATE_EPOCH back as it was (after a build, failed or not)."""
        if self._epoch_set:
            if self._saved_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = self._saved_epoch
        self._epoch_set = False


# --- The web editor at /admin/ (Decap CMS; gongkai.pages.admin, docs/editor.md) ---------------------------

def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def admin_payload(project: Any, root: Any, *, local: bool, backend: dict[str, Any] | None,
                  css_href: str) -> dict[str, Any]:
    """admin/<name> → text (str) or file to copy (Path). Empty when Decap CMS is not installed."""
    from gongkai.pages import admin

    vendor = admin.vendor_files()
    if not vendor:
        return {}
    config = admin.cms_config(project, root, local=local, backend=backend)
    if local:
        connect = (_origin(admin.local_backend_url()),)
    else:
        b = config["backend"]
        connect = tuple(o for o in {_origin(b.get("api_root", "")), _origin(b.get("base_url", ""))} if o)
    payload: dict[str, Any] = {p.name: p for p in vendor}
    payload["config.yml"] = admin.config_yaml(config)
    payload["preview.js"] = admin.PREVIEW_JS
    short = {slug: d.short_name for slug, d in project.departments.items()} if project is not None else {}
    payload["index.html"] = admin.index_html(csp.admin_meta_html(tuple(sorted(connect))), css_href, short)
    return payload


def add_admin(files: Any, config: Any, project: Any, root: Any, assets: dict[str, str], *, serving: bool) -> None:
    """Put the editor into this build: always in preview; in the public site only if the option says so."""
    from gongkai.pages.admin import editor_option

    option = editor_option(config)
    if project is None or not (serving or option["with_public_site"]):
        return
    css = assets.get("assets/gongkai/site.css", "assets/gongkai/site.css")
    payload = admin_payload(project, root, local=serving, backend=option.get("backend"), css_href="../" + css)
    for name, value in payload.items():
        uri = f"admin/{name}"
        if files.get_file_from_path(uri) is not None:
            continue
        files.append(File.generated(config, uri, abs_src_path=str(value)) if not isinstance(value, str)
                     else File.generated(config, uri, content=value))


def write_admin_folder(project: Any, root: Any, site_dir: Any, out: Any, backend: dict[str, Any] | None) -> bool:
    """``site-admin/``: the editor alone, for an intranet host (its preview stylesheet copied from the site)."""
    import shutil
    from pathlib import Path

    payload = admin_payload(project, root, local=False, backend=backend, css_href="site.css")
    if not payload:
        return False
    folder = Path(out) / "admin"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, value in payload.items():
        if isinstance(value, str):
            (folder / name).write_text(value, encoding="utf-8")
        else:
            shutil.copyfile(value, folder / name)
    css = Path(site_dir) / "assets" / "gongkai" / "site.css"  # the bundle (its fingerprinted copy has the same bytes)
    if css.is_file():
        shutil.copyfile(css, folder / "site.css")
    (Path(out) / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    return True
