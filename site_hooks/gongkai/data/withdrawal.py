"""有效性: a plan marked 已修订 / 已废止 / 已失效, with the date and what replaces it.

The page keeps its URL; it shows the status prominently (component
``validity_notice``), the catalogue marks the entry, and the status is part of
the page text that search indexes. Called by the loader after the plans are read.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

from gongkai.rules import codes
from gongkai.data.model import Plan, Related, Validity
from gongkai.problems import Problems

VALID = "有效"
_ID = re.compile(r"^[a-z0-9-]+/\d{4}/[a-z0-9-]+$")


def check(plans: list[Plan], checkers: dict[str, Any], vocab: list[Validity], problems: Problems) -> None:
    """Read 失效日期 / 替代文件 / 失效说明 into each plan; report mistakes with lines."""
    by_id = {p.id: p for p in plans}
    names = {v.name: v for v in vocab}
    for plan in plans:
        c = checkers.get(plan.path)
        if c is None:
            continue
        data = c.doc.data
        date_text = str(data.get("失效日期") or "").strip()
        target = str(data.get("替代文件") or "").strip()
        plan.validity_note = str(data.get("失效说明") or "").strip()
        status = names.get(plan.validity)
        current = plan.validity == VALID or (status is not None and not status.expired and plan.validity != "已修订")
        if current and (date_text or target or plan.validity_note):
            field = "失效日期" if date_text else "替代文件" if target else "失效说明"
            c.error((field,), f"有效性为“{plan.validity}”时不应填写{field}",
                    "文件被修订、废止或失效时，请把“有效性”改为已修订、已废止或已失效；否则删除这一行")
            continue
        if date_text:
            try:
                plan.withdrawn_on = codes.parse_date(date_text)
            except codes.CodeError as exc:
                c.error(("失效日期",), exc.message, exc.hint)
            else:
                if plan.withdrawn_on < plan.published:
                    c.error(("失效日期",), f"失效日期 {plan.withdrawn_on} 早于发布日期 {plan.published}", "请核对两个日期")
        elif not current:
            problems.warn(plan.path, c.doc.line(("有效性",)), "失效日期", f"本文件{plan.validity}，但没有填写失效日期",
                          "请添加“失效日期: YYYY-MM-DD”，页面上会显示从哪天起不再有效")
        if target:
            if target.startswith(("http://", "https://")):
                if re.match(r"^https?://[^\s<>\"']+$", target):
                    plan.replaced_by = Related(target, target, "替代", False)
                else:
                    c.error(("替代文件",), f"“{target}”不是完整的网址", "站外文件请写 https:// 开头的网址")
            elif _ID.match(target) and target in by_id and by_id[target] is not plan:
                other = by_id[target]
                plan.replaced_by = Related(other.title, other.url, "替代", True, other.id)
            elif target in problems.unavailable:
                pass  # that file has errors of its own
            elif target == plan.id:
                c.error(("替代文件",), "替代文件不能是本文件自己", "请填写代替本文件的新文件")
            else:
                close = difflib.get_close_matches(target, list(by_id), n=1)
                c.error(("替代文件",), f"找不到站内文件“{target}”",
                        f"是否想写“{close[0]}”？" if close else "站内文件写 机构标识/年度/文件名（不含 .yml），站外文件写完整网址")
        elif plan.validity == "已修订":
            problems.warn(plan.path, c.doc.line(("有效性",)), "替代文件", "本文件已修订，但没有填写修订后的文件",
                          "请添加“替代文件: 机构标识/年度/文件名”，页面上会链接到修订后的文件")


def notice_params(plan: Plan, validity: Validity | None, href_of) -> dict[str, Any] | None:
    """Params of the ``validity_notice`` component for a plan that is no longer fully valid."""
    if plan.validity == VALID:
        return None
    params: dict[str, Any] = {
        "status": plan.validity,
        "expired": bool(validity.expired) if validity else True,
        "description": validity.description if validity else "",
        "note": plan.validity_note,
    }
    if plan.withdrawn_on:
        params["date"] = plan.withdrawn_on.isoformat()
    if plan.replaced_by:
        r = plan.replaced_by
        params["replacement"] = {"text": r.title, "href": href_of(r.href) if r.internal else r.href, "external": not r.internal}
    return params
