"""What makes a build publishable: reproducible bytes, a release id, fingerprinted assets, robots.txt.

Called from ``site_hooks/hooks.py``. Plain functions apart from the three ``on_*``
wrappers at the end, which take MkDocs objects.

- **Reproducible**: MkDocs dates the sitemap (``lastmod``) and the gzip header of
  ``sitemap.xml.gz`` with the build time unless ``SOURCE_DATE_EPOCH`` is set. The
  build sets it from the last git commit (or, outside git, from the newest
  发布日期 in the data), so the same commit gives the same bytes on any day, in any
  folder, in any time zone.
- **Release id**: a hash of everything the site is made from (data/, content/,
  templates/, site_hooks/, mkdocs.yml and the versions of the packages that render
  it). It is the same for the same inputs, and every page carries it in
  ``<meta name="gk-release">`` so a visitor's page view, a deploy and a rollback
  can be traced to one release.
- **Fingerprints**: every ``assets/gongkai/*.css|js`` also gets a copy named after
  its content (``gongkai.1a2b3c4d.css``), the name pages use, so hosts may cache it
  for a year (see ``gongkai nginx``); the unfingerprinted original stays for links
  written by hand.
"""
from __future__ import annotations

import hashlib
import os
import posixpath
import re
import subprocess
from calendar import timegm
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from gongkai.publish import csp

RELEASE_META = "gk-release"
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.(?:min\.)?(?:css|js)$")
_FINGERPRINT_DIR = "assets/gongkai/"
_FINGERPRINT_EXT = (".css", ".js")
# Inputs of a build, relative to the project root.
INPUT_DIRS = ("data", "content", "templates", "site_hooks")
INPUT_FILES = ("mkdocs.yml",)
# Packages that shape the output (the project's own requirements are added to these).
RENDERING_PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "markdown", "pymdown-extensions")


# ---------------------------------------------------------------- dates

def git_commit_epoch(root: Path) -> int | None:
    """Seconds since the epoch of the last commit of the repository holding ``root``, if any."""
    try:
        out = subprocess.run(
            ["git", "-c", f"safe.directory={root}", "-C", str(root), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    return int(value) if out.returncode == 0 and value.isdigit() else None


def data_epoch(project: Any) -> int | None:
    """Midnight UTC of the newest 发布日期 in the data (for builds outside git)."""
    dates = [p.published for p in getattr(project, "plans", []) if getattr(p, "published", None)]
    return timegm(max(dates).timetuple()) if dates else None


def source_date_epoch(root: Path, project: Any = None) -> int | None:
    """The build's date: ``SOURCE_DATE_EPOCH`` if set, else the last commit, else the data."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given.isdigit():
        return int(given)
    return git_commit_epoch(root) or data_epoch(project)


# ---------------------------------------------------------------- release id

def _input_files(root: Path) -> Iterable[tuple[str, Path]]:
    for name in INPUT_FILES:
        if (root / name).is_file():
            yield name, root / name
    for top in INPUT_DIRS:
        base = root / top
        if not base.is_dir():
            continue
        for folder, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for f in files:
                if f.startswith(".") or f.endswith((".pyc", "~")):
                    continue
                path = Path(folder, f)
                yield f"{top}/{path.relative_to(base).as_posix()}", path


def _package_versions() -> list[str]:
    names = set(RENDERING_PACKAGES)
    try:
        for req in metadata.requires("gongkai") or []:
            if "extra ==" not in req:
                names.add(re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0])
    except metadata.PackageNotFoundError:
        pass
    versions = []
    for name in sorted(n.lower() for n in names):
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}==none")
    return versions


def release_id(root: Path) -> str:
    """12 hex digits naming this build's inputs; the same inputs give the same id anywhere."""
    h = hashlib.sha256()
    for rel, path in sorted(_input_files(Path(root)), key=lambda item: item[0]):
        h.update(rel.encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for line in _package_versions():
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()[:12]


def page_release(html: str) -> str | None:
    """The release id a built page declares, or None."""
    m = re.search(r'<meta name="gk-release" content="([0-9a-f]+)"', html)
    return m.group(1) if m else None


# ---------------------------------------------------------------- fingerprints

def fingerprinted_name(uri: str, content: bytes) -> str:
    """``assets/gongkai/gongkai.css`` → ``assets/gongkai/gongkai.<8 hex>.css``."""
    folder, name = posixpath.split(uri)
    stem, ext = posixpath.splitext(name)
    if stem.endswith(".min"):
        stem, ext = stem[:-4], ".min" + ext
    return posixpath.join(folder, f"{stem}.{hashlib.sha256(content).hexdigest()[:8]}{ext}")


def fingerprint(files: Any, config: Any) -> dict[str, str]:
    """Add a content-named copy of each assets/gongkai/*.css|js and point extra_css/extra_javascript at it."""
    from mkdocs.structure.files import File

    mapping: dict[str, str] = {}
    for f in list(files):
        uri = f.src_uri
        if not (uri.startswith(_FINGERPRINT_DIR) and uri.endswith(_FINGERPRINT_EXT)) or FINGERPRINTED.search(uri):
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


# ---------------------------------------------------------------- robots.txt

def robots_txt(site_url: str) -> str:
    sitemap = (site_url or "").rstrip("/") + "/sitemap.xml" if site_url else "/sitemap.xml"
    return ("# 由 gongkai 生成。需要自定义时，在 content/ 下放一个 robots.txt，它会代替本文件。\n"
            "User-agent: *\n"
            "Disallow:\n"
            "\n"
            f"Sitemap: {sitemap}\n")


# ---------------------------------------------------------------- MkDocs glue

class _State:
    release: str = ""
    assets: dict[str, str] = {}
    saved_epoch: str | None = None
    epoch_set: bool = False


state = _State()


def on_config(config: Any, project: Any = None) -> Any:
    root = Path(config.config_file_path).resolve().parent
    override = os.environ.get("GONGKAI_SITE_URL", "").strip()
    if override:
        config["site_url"] = override.rstrip("/") + "/"
    epoch = source_date_epoch(root, project)
    state.saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    state.epoch_set = epoch is not None
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    state.release = release_id(root)
    return config


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    state.assets = fingerprint(files, config)
    if files.get_file_from_path("robots.txt") is None:
        files.append(File.generated(config, "robots.txt", content=robots_txt(config.get("site_url") or "")))
    return files


def on_env(env: Any, serving: bool) -> Any:
    from markupsafe import Markup

    env.globals["gk_publish"] = {
        "release": state.release,
        # Live preview injects an inline script for reloading: no CSP there.
        "csp_meta_html": Markup("" if serving else csp.meta_html()),
    }
    env.globals["gk_asset"] = lambda path: state.assets.get(path, path)
    return env


def on_done() -> None:
    """Put SOURCE_DATE_EPOCH back as it was (after a build, failed or not)."""
    if state.epoch_set:
        if state.saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = state.saved_epoch
    state.epoch_set = False
