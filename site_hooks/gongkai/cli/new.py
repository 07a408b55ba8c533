"""gongkai new: create a plan file for a department and year, with the next 索引号 reserved.

    gongkai new --dept skjj --title "市科学技术局2025年工作计划"      # flags
    gongkai new                                                    # asks, when run in a terminal

Dates default to today, 组配分类 to 规划计划, 主题分类 to the one the department uses
most; every field gets a Chinese comment. The file is checked before it is written.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sys

from gongkai.rules import codes
from gongkai.cli.argparse_zh import option
from gongkai.data.drafts import title_year
from gongkai.data.loader import load_project
from gongkai.editors.planfile import (DEFAULT_CATEGORY, check_roundtrip, default_topic, existing_slugs, render_plan,
                        reserve_index_numbers, suggest_slug)

BODY_TEMPLATE = """（待填写：前言，一段概述今年工作的总体思路和目标。）

## 一、（待填写：第一部分的标题）

1.（待填写：第一项工作。写清楚做什么、做到什么程度，例如“新认定高新技术企业25家”。）

2.（待填写：第二项工作。）

## 二、（待填写：第二部分的标题）

3.（待填写：第三项工作。）
"""
# Every “（待填写：…）” is a placeholder: gongkai validate fails until each is replaced (gongkai.data.drafts).


def proposed_year(today: dt.date) -> int:
    """The year a new plan is most likely for: next year in December (plans are drafted then), else this year."""
    return today.year + 1 if today.month == 12 else today.year


def register(sub):
    p = sub.add_parser("new", help="新建一份计划文件", description="新建计划文件：预留下一个索引号，日期默认今天，每个字段都有中文说明。"
                       "在终端里运行且缺少参数时会逐项提问。")
    p.add_argument("--dept", help="发布机构标识（data/departments/ 下的文件名），只有一个机构时可不填")
    p.add_argument("--year", type=int, help="年度（年度文件夹）：默认取名称中的年份（2025年、二〇二五年）；名称中没有年份时必须给出"
                                            "（在终端里运行时会询问，12月份建议下一年）")
    p.add_argument("--title", help="名称，例如“市科学技术局2025年工作计划”")
    p.add_argument("--slug", help="文件名（网址的一部分，只用小写字母、数字和连字符），默认由名称生成")
    p.add_argument("--date", help="生成日期和发布日期，YYYY-MM-DD，默认今天；年度早于今年时必须给出（索引号按这个日期编号）")
    p.add_argument("--category", default=None, help=f"组配分类，默认“{DEFAULT_CATEGORY}”")
    p.add_argument("--topic", help="主题分类，默认取本机构最常用的主题分类")
    p.add_argument("--doc-no", default="", help="文号，例如 示科〔2025〕3号；没有可不填")
    p.add_argument("--no-input", action="store_true", help="不提问（缺少的参数用默认值，没有默认值时报错）")
    return p


def _ask(prompt: str, default: str = "", choices: list[str] | None = None) -> str:
    hint = f"（可选：{'、'.join(choices)}）" if choices else ""
    shown = f" [{default}]" if default else ""
    while True:
        try:
            answer = input(f"{prompt}{hint}{shown}:").strip()
        except EOFError:
            answer = ""
        answer = answer or default
        if answer and (not choices or answer in choices):
            return answer
        print("请重新输入。" if answer else "这一项不能为空。")


def today() -> dt.date:
    """Today; tests set GONGKAI_TODAY=YYYY-MM-DD to fix the clock (the December proposal)."""
    fixed = os.environ.get("GONGKAI_TODAY")
    return codes.parse_date(fixed) if fixed else dt.date.today()


def run(args) -> int:
    root = args.root
    project, problems = load_project(root, drafts=True)  # other drafts are numbered too: they count
    interactive = sys.stdin.isatty() and not args.no_input
    departments = sorted(p.stem for p in (root / "data" / "departments").glob("*.yml"))
    if project is not None:
        departments = sorted(project.departments)
    dept = args.dept
    if not dept and len(departments) == 1:
        dept = departments[0]
    if not dept and interactive:
        dept = _ask("发布机构标识", choices=departments)
    if not dept or dept not in departments:
        example = departments[0] if departments else "skjj"
        print(f"请用 {option('--dept', example)} 指定发布机构，可选：{'、'.join(departments) or '（还没有发布机构，请先在 data/departments/ 添加）'}", file=sys.stderr)
        return 2
    now = today()
    try:
        date = codes.parse_date(args.date) if args.date else None
    except codes.CodeError as exc:
        print(f"{option('--date', 'YYYY-MM-DD')}:{exc.message} — {exc.hint}", file=sys.stderr)
        return 2
    title = args.title or (_ask("名称（文件的正式标题）") if interactive else "")
    if not title:
        print(f"请用 {option('--title', '市科学技术局2025年工作计划')} 指定名称", file=sys.stderr)
        return 2
    named = title_year(title)
    if args.year and named and args.year != named:
        print(f"名称写的是{named}年，{option('--year', str(args.year))} 却是另一年；请改正其中一个", file=sys.stderr)
        return 2
    year = args.year or named
    if year is None and interactive:
        answer = _ask("年度（计划是哪一年的）", str(proposed_year(now)))
        year = int(answer) if re.fullmatch(r"(19|20)\d\d", answer) else None
        if year is None:
            print(f"“{answer}”不是4位年份", file=sys.stderr)
            return 2
    if year is None:
        print(f"名称中没有年份，请用 {option('--year', str(proposed_year(now)))} 指定计划的年度"
              f"（也可以把年份写进名称，例如“……{proposed_year(now)}年工作计划”）", file=sys.stderr)
        return 2
    if date is None and year < now.year:
        if interactive:
            answer = _ask(f"生成日期（成文日期，{year}年的计划，YYYY-MM-DD）")
            try:
                date = codes.parse_date(answer)
            except codes.CodeError as exc:
                print(f"{exc.message} — {exc.hint}", file=sys.stderr)
                return 2
        else:
            print(f"这是{year}年的计划，生成日期不能默认今天（{now.isoformat()}）：请用 {option('--date', f'{year}-02-20')} "
                  "给出它的生成日期（成文日期），索引号按这个日期编号", file=sys.stderr)
            return 2
    date = date or now
    if abs(date.year - year) > 1:
        print(f"生成日期 {date.isoformat()} 与年度 {year} 相差太远；请核对 {option('--date', 'YYYY-MM-DD')} 和年度", file=sys.stderr)
        return 2
    slug = args.slug or suggest_slug(title, existing_slugs(root, dept, year))
    if interactive and not args.slug:
        slug = _ask("文件名（网址的一部分）", slug)
    category = args.category or DEFAULT_CATEGORY
    topic = args.topic or default_topic(project, dept)
    if interactive and not args.topic and project is not None:
        topic = _ask("主题分类", topic, [t.name for t in project.topics])
    path = root / "data" / "plans" / dept / str(year) / f"{slug}.yml"
    rel = path.relative_to(root).as_posix()
    if path.exists():
        print(f"{rel} 已经存在，没有覆盖。请用 {option('--slug', suggest_slug(title) + '-2')} 换一个文件名。", file=sys.stderr)
        return 1
    notes = []
    index_no = None
    if project is not None:
        index_no = reserve_index_numbers(project, [(dept, date, rel)])[0]
    else:
        notes.append("索引号暂未填写：其他文件有错误，改正后运行 gongkai validate --fix 自动编号。")
        print("提醒：现有数据有错误，无法预留索引号；文件照常创建，改正错误后运行 gongkai validate --fix 编号。", file=sys.stderr)
    fields = {"名称": title}
    if index_no:
        fields["索引号"] = index_no
    fields.update({"组配分类": category, "主题分类": topic, "文号": args.doc_no or None,
                   "生成日期": date.isoformat(), "发布日期": date.isoformat()})
    text = render_plan(fields, body=BODY_TEMPLATE, notes=notes)
    broken = check_roundtrip(text)
    if broken:  # pragma: no cover - a bug in render_plan, never the editor's fault
        print("内部错误，文件没有写入：" + ";".join(broken), file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"已创建 {rel}" + (f"，索引号 {index_no}" if index_no else ""))
    _, after = load_project(root, drafts=True)  # the placeholders are expected now: reminders, not errors
    mine = [p for p in after.items if p.path == rel]
    for p in mine:
        if not p.warning:
            print(p)
    blanks = [p for p in mine if p.warning and "占位文字" in p.message]
    if blanks:
        print(f"还有 {len(blanks)} 处“（待填写：……）”（第{'、'.join(str(p.line) for p in blanks)}行）："
              "全部换成正式内容后 make validate 才会通过，在此之前预览中标为草稿、不能发布。")
    print("下一步：打开这个文件，按注释填写正文等内容，然后运行 make validate 检查、make serve 预览。")
    return 1 if any(not p.warning for p in mine) else 0
