"""附件 on the site: the plan page's list, the copies at stable URLs, and their text for search.

Each attachment checked by :mod:`gongkai.data.attachments` is copied to ``<plan URL>fj/<file name>``
(:func:`gongkai.data.urls.attachment_url`): the URL stays the same as long as the plan's does. The
text of DOCX (python-docx) and PDF (pypdf) attachments joins the plan's entry in the search index.

Reading a PDF's text costs far more than the rest of its plan's page, and attachments rarely change, so
the text is kept in a cache keyed by the file's content (``$GONGKAI_CACHE_DIR``, default
``~/.cache/gongkai``): a rebuild reads each attachment's bytes once to hash them and parses only new
or changed files. A cache that cannot be written is skipped; the text is the same either way.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gongkai.data.model import Plan, Project
from gongkai.data.urls import rel

MAX_TEXT = 50_000  # characters of one attachment's text in the search index (as much as a plan body)


def href(plan_page_url: str, attachment: Any) -> str:
    """The link from the plan's page to the attachment, percent-encoded (file names are often Chinese)."""
    return quote(rel(plan_page_url, attachment.url), safe="/.-_~")


def page_params(plan: Plan, here: str) -> dict[str, Any] | None:
    """Params of the ``attachments`` component for the plan page at ``here``, or None without attachments."""
    if not plan.attachments:
        return None
    return {"files": [{"name": a.name, "href": href(here, a), "kind": a.kind, "size": a.size_text}
                      for a in plan.attachments]}


def copy_all(project: Project, site_dir: Path) -> list[Path]:
    """Copy every plan's attachments into ``site_dir`` at their URLs; return the written paths."""
    written = []
    for plan in project.plans:
        for a in plan.attachments:
            dest = site_dir / a.url
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(a.source, dest)
            written.append(dest)
    return written


CACHE_VERSION = f"1-{MAX_TEXT}"  # change when the extraction below changes what it returns


def cache_dir() -> Path:
    """Where extracted attachment text is kept between builds."""
    configured = os.environ.get("GONGKAI_CACHE_DIR")
    base = Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gongkai"
    return base / "attachment-text"


def text_of(attachment: Any) -> str:
    """The text of a DOCX or PDF attachment for the search index ("" for other types or unreadable files)."""
    if attachment.kind not in ("DOCX", "PDF"):
        return ""
    try:
        data = Path(attachment.source).read_bytes()
    except OSError:
        return ""
    key = hashlib.sha256(f"{CACHE_VERSION}:{attachment.kind}:".encode() + data).hexdigest()
    cached = cache_dir() / key[:2] / f"{key}.txt"
    try:
        return cached.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = extract_text(attachment)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, cached)  # whole or absent: parallel builds never read half a file
    except OSError:
        pass
    return text


def extract_text(attachment: Any) -> str:
    """Parse a DOCX or PDF attachment for its text, without the cache."""
    try:
        if attachment.kind == "DOCX":
            import docx  # python-docx

            document = docx.Document(str(attachment.source))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                parts += [cell.text for row in table.rows for cell in row.cells]
            return "\n".join(t for t in parts if t.strip())[:MAX_TEXT]
        if attachment.kind == "PDF":
            import pypdf

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reader = pypdf.PdfReader(str(attachment.source))
                out, size = [], 0
                for page in reader.pages:
                    text = page.extract_text() or ""
                    out.append(text)
                    size += len(text)
                    if size >= MAX_TEXT:
                        break
            return "\n".join(out)[:MAX_TEXT]
    except Exception:  # noqa: BLE001 - a damaged attachment is still published; only its text is not searchable
        return ""
    return ""
