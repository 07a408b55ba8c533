"""附件 on the site: the plan page's list, the copies at stable URLs, and their text for search.

Each attachment checked by :mod:`gongkai.data.attachments` is copied to ``<plan URL>fj/<file name>``
(:func:`gongkai.data.urls.attachment_url`): the URL stays the same as long as the plan's does. The
text of DOCX (python-docx) and PDF (pypdf) attachments joins the plan's entry in the search index.
"""
from __future__ import annotations

import shutil
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


def text_of(attachment: Any) -> str:
    """The text of a DOCX or PDF attachment for the search index ("" for other types or unreadable files)."""
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
