"""索引号 of a project's plans: the given ones checked, duplicates refused, the missing ones numbered.

The format of one 索引号 (prefix code, period, serial) is a rule of its own in
:mod:`gongkai.rules.codes` (``INDEX_FORMATS``, ``parse_index_number``); this module applies it to
all plans at once: numbering per department (or site) and per year (or month), in publishing order,
so the same data always gets the same numbers. ``gongkai new`` reserves numbers through :func:`assign`.
"""
from __future__ import annotations

import datetime as dt

from gongkai.data.checker import FileChecker
from gongkai.data.model import Plan, Site
from gongkai.problems import Problems
from gongkai.rules import codes


def assign(site: Site, plans: list[Plan], checkers: dict[str, FileChecker], problems: Problems) -> None:
    """Validate given 索引号, reject duplicates, and assign missing ones deterministically."""
    fmt = site.index_format
    taken: dict[str, Plan] = {}
    serials: dict[tuple[str, str], int] = {}

    def group(plan: Plan, period: str) -> tuple[str, str]:
        return (plan.department.slug if site.index_scope == "部门" else "*", period)

    def counter_period(date: dt.date, written: str = "") -> str:
        """The period a serial counts in: the year or the month (of the number if it says, else of the date)."""
        if site.index_period == "年":
            return written[:4] or f"{date.year:04d}"
        return written if len(written) == 6 else f"{date.year:04d}{date.month:02d}"

    for plan in plans:
        if not plan.index_no:
            continue
        c = checkers[plan.path]
        if plan.historic_index:  # 历史索引号: as published on the old platform; only duplicates are refused
            key_text = codes.to_halfwidth(plan.index_no).replace(" ", "").upper()
            if key_text in taken:
                other = taken[key_text]
                hint = "每条信息的索引号必须唯一；请核对两个文件是否是同一条信息（可能导入了两次），删除重复的文件"
                c.error(("索引号",), f"索引号 {plan.index_no} 与 {other.path} 重复", hint)
                checkers[other.path].error(("索引号",), f"索引号 {other.index_no} 与 {plan.path} 重复", hint)
                continue
            taken[key_text] = plan
            try:
                num = codes.parse_index_number(plan.index_no, fmt)
            except codes.CodeError:
                continue
            if num.code == plan.department.index_code(fmt):  # it also fits today's rule: later numbers continue after it
                key = group(plan, counter_period(plan.published, num.period))
                serials[key] = max(serials.get(key, 0), num.serial)
            continue
        try:
            num = codes.parse_index_number(plan.index_no, fmt)
        except codes.CodeError as exc:
            c.error(("索引号",), exc.message, exc.hint)
            continue
        code = plan.department.index_code(fmt)
        if code and num.code != code:
            c.error(("索引号",), f"前段码 {num.code} 与发布机构“{plan.department.short_name}”的代码 {code} 不一致",
                    "索引号一经发布不再改变；如果是新文件，请删除这一行后运行 gongkai validate --fix 重新编号")
        if str(num) in taken:
            other = taken[str(num)]
            hint = "每条信息的索引号必须唯一；请删除后发布的那个文件中的索引号，再运行 gongkai validate --fix 重新编号"
            c.error(("索引号",), f"索引号 {num} 与 {other.path} 重复", hint)
            checkers[other.path].error(("索引号",), f"索引号 {num} 与 {plan.path} 重复", hint)
            continue
        taken[str(num)] = plan
        key = group(plan, counter_period(plan.published, num.period))
        serials[key] = max(serials.get(key, 0), num.serial)
    missing = sorted((p for p in plans if not p.index_no), key=lambda p: (p.published, p.published_time or dt.time(0), p.path))
    for plan in missing:
        code = plan.department.index_code(fmt)
        if code is None:
            continue
        key = group(plan, counter_period(plan.published))
        serials[key] = serials.get(key, 0) + 1
        plan.index_no = fmt.format(code, fmt.period_of(plan.published), serials[key])
        plan.index_assigned = True
