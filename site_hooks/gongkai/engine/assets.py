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
        self.id = release_id(root)
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
