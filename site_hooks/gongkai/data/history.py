"""修订记录 of a plan: what the department states about its changes, from the plan's own 修订说明.

A government page may show only what the department says about the document, dated with the
document's dates. So the page's 修订记录 is not read from git (commit messages are written for
developers, often in English, and a commit may touch a plan for reasons a citizen need not see):
the editor writes each revision into the plan file, where the reviewer (审核, 保密审查) sees it in
the merge request like every other public word::

    修订说明:
      - 日期: 2024-06-15
        说明: 更正第三部分高新技术企业培育目标。

``read_revisions`` checks them (a date in YYYY-MM-DD, not before 发布日期; a sentence), and
``page_params`` turns them into the ``revision_history`` component's params: 最后更新 and the list,
newest first, ending with the first publication. A plan without 修订说明 shows no 修订记录.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from gongkai.rules import codes

MAX_SHOWN = 20


@dataclass(frozen=True)
class Revision:
    date: _dt.date
    text: str


def read_revisions(c: Any, raw: Any, published: _dt.date | None) -> list[Revision]:
    """The checked 修订说明 of one plan file (``c`` is its data.checker.FileChecker); problems go to ``c``.

    The schema has already checked the shape (a list of 日期 + 说明); this checks the values."""
    out: list[Revision] = []
    if not isinstance(raw, list):
        return out
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict):
            continue
        text = str(entry.get("说明") or "").strip()
        value = entry.get("日期")
        if value is None or str(value).strip() == "" or not text:
            continue  # reported by the schema (a required field, or an empty one)
        try:
            date = codes.parse_date(str(value))
        except codes.CodeError as exc:
            c.error(("修订说明", i, "日期"), exc.message, exc.hint)
            continue
        if published and date < published:
            c.error(("修订说明", i, "日期"), f"修订日期 {date} 早于发布日期 {published}",
                    "修订只能在发布之后；请核对日期（发布前的修改不用写在这里）")
            continue
        out.append(Revision(date, text))
    return sorted(out, key=lambda r: r.date, reverse=True)


def page_params(revisions: list[Revision], published: _dt.date) -> dict | None:
    """Params of the ``revision_history`` component, or None when the plan was never revised."""
    if not revisions:
        return None
    changes = [{"date": r.date.isoformat(), "text": r.text} for r in revisions]
    params: dict = {"updated": changes[0]["date"]}
    if len(changes) >= MAX_SHOWN:  # the list stays at MAX_SHOWN lines, the first publication included
        params["note"] = f"共修订 {len(changes)} 次，这里列出最近 {MAX_SHOWN - 1} 次和首次发布。"
        changes = changes[:MAX_SHOWN - 1]
    params["changes"] = changes + [{"date": published.isoformat(), "text": "首次发布。"}]
    return params
