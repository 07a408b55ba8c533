"""What makes a build publishable: reproducible bytes, a release id, fingerprinted assets, robots.txt.

Plain functions on files and strings; :mod:`gongkai.engine.assets` applies them to a MkDocs build.

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


FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.(?:min\.)?(?:css|js)$")
FINGERPRINT_DIR = "assets/gongkai/"  # the files given content-named copies
FINGERPRINT_EXT = (".css", ".js")
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

def _input_files(root: Path) -> Iterable[tuple[str, str]]:
    """(path relative to ``root`` with "/", path) of every input file; strings, not Paths (10,000 plan files)."""
    for name in INPUT_FILES:
        if (root / name).is_file():
            yield name, str(root / name)
    for top in INPUT_DIRS:
        base = str(root / top)
        if not os.path.isdir(base):
            continue
        for folder, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            prefix = top + folder[len(base):].replace(os.sep, "/")
            for f in files:
                if f.startswith(".") or f.endswith((".pyc", "~")):
                    continue
                yield f"{prefix}/{f}", os.path.join(folder, f)


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


def release_id(root: Path, known: dict[str, bytes] | None = None) -> str:
    """12 hex digits naming this build's inputs; the same inputs give the same id anywhere.

    ``known``: the sha256 of files read already, by relative path (the loader's of the plan files: 10,000
    of them read a second time took 0.3 s of a build, issue 18)."""
    h = hashlib.sha256()
    known = known or {}
    for rel, path in sorted(_input_files(Path(root)), key=lambda item: item[0]):
        h.update(rel.encode("utf-8") + b"\0")
        digest = known.get(rel)
        if digest is None:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).digest()
        h.update(digest)
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


# ---------------------------------------------------------------- robots.txt

def robots_txt(site_url: str) -> str:
    sitemap = (site_url or "").rstrip("/") + "/sitemap.xml" if site_url else "/sitemap.xml"
    return ("# 由 gongkai 生成。需要自定义时，在 content/ 下放一个 robots.txt，它会代替本文件。\n"
            "User-agent: *\n"
            "Disallow: /admin/\n"
            "\n"
            f"Sitemap: {sitemap}\n")
