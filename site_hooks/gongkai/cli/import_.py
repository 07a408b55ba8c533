"""gongkai import FILE: turn an existing plan (.txt, .md, .docx) into plan files under data/plans/.

    gongkai import 工作要点.docx --dept skjj
    gongkai import 汇编.txt --dept skjj --out 草稿/      # a 汇编 becomes several files

Title, body (sections and items in every numbering style), the page's metadata when
the source is a copied web page, and targets marked 待核对: candidates that map onto the
indicator vocabulary become valid targets, the others are listed as comments under
``指标:`` with the reason (see gongkai/import_targets.py). Page furniture
(banners, download links, 免责声明, 相关文章) is dropped and listed in the report.
(The module is ``import_`` because ``import`` is a Python keyword.)
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from gongkai.rules import codes
from gongkai.editors.import_targets import fill_targets, load_vocab
from gongkai.editors.errors import ImportFailed
from gongkai.editors.importer import import_lines, read_document
from gongkai.data.loader import load_project
from gongkai.editors.planfile import (DEFAULT_CATEGORY, check_roundtrip, default_topic, existing_slugs, render_plan,
                        reserve_index_numbers, suggest_slug)


def register(sub):
    p = sub.add_parser("import", help="从 Word/文本导入计划", description="把已有的计划文档(.txt、.md、.docx)转换为计划文件,"
                       "识别标题、各级编号、候选指标,去掉网页上的栏目、下载链接、免责声明等并列出。")
    p.add_argument("file", type=Path, help="要导入的文件")
    p.add_argument("--dept", help="发布机构标识;不填时按文中的发布机构或唯一的机构确定")
    p.add_argument("--year", type=int, help="年度文件夹,默认取标题中的年份")
    p.add_argument("--out", type=Path, help="写到这个文件夹(默认 data/plans/<机构>/<年度>/)")
    p.add_argument("--slug", help="文件名(只导入一份计划时),默认由名称生成")
    p.add_argument("--date", help="原文没有日期时使用的生成日期和发布日期,默认今天")
    p.add_argument("--topic", help="主题分类,默认取原文中的或本机构最常用的")
    p.add_argument("--dry-run", action="store_true", help="只显示结果,不写文件")
    return p


def _pick_department(args, project, metadata: dict[str, str]) -> str | None:
    if args.dept:
        return args.dept
    if project is None:
        return None
    named = metadata.get("发布机构", "")
    for slug, d in project.departments.items():
        if named and named in (d.short_name, d.full_name, slug):
            return slug
    return next(iter(project.departments)) if len(project.departments) == 1 else None


def run(args) -> int:
    root = args.root
    source: Path = args.file
    if not source.is_file():
        print(f"找不到文件 {source}", file=sys.stderr)
        return 2
    if source.suffix.lower() not in (".txt", ".md", ".markdown", ".docx", ".text", ""):
        print(f"不支持 {source.suffix} 文件;请另存为 .docx(Word)或 .txt(纯文本)后再导入", file=sys.stderr)
        return 2
    try:
        lines, notes = read_document(source)
    except ImportFailed as exc:
        print(f"{source.name}:{exc}", file=sys.stderr)
        return 1
    result = import_lines(lines, source.stem)
    project, _ = load_project(root)
    if project is None:
        print("提醒:现有数据有错误(运行 gongkai validate 查看),索引号暂不预留;改正后运行 gongkai validate --fix 编号。", file=sys.stderr)
    departments = sorted(project.departments) if project else sorted(p.stem for p in (root / "data" / "departments").glob("*.yml"))
    dept = _pick_department(args, project, result.drafts[0].metadata)
    if dept not in departments:
        print(f"请用 --dept 指定发布机构,可选:{'、'.join(departments)}", file=sys.stderr)
        return 2
    if args.slug and len(result.drafts) > 1:
        print(f"这份文件含 {len(result.drafts)} 份计划,不能用 --slug 指定同一个文件名;请去掉 --slug", file=sys.stderr)
        return 2
    today = codes.parse_date(args.date) if args.date else dt.date.today()
    dept_obj = project.departments[dept] if project else None
    plans = []
    chosen: dict[tuple[str, int], set[str]] = {}
    for draft in result.drafts:
        meta = draft.metadata
        date = meta.get("发布日期") or meta.get("生成日期")
        warnings = list(draft.warnings)
        if not date:
            date = today.isoformat()
            warnings.append(f"原文没有日期,生成日期和发布日期暂填 {date},请核对")
        created = meta.get("生成日期") or date
        year = args.year or draft.year or int(date[:4])
        taken = existing_slugs(root, dept, year) | chosen.setdefault((dept, year), set())
        slug = args.slug or suggest_slug(draft.title, taken)
        chosen[(dept, year)].add(slug)
        folder = args.out if args.out else root / "data" / "plans" / dept / str(year)
        path = folder / f"{slug}.yml"
        category = meta.get("组配分类") if dept_obj and meta.get("组配分类") in dept_obj.categories else DEFAULT_CATEGORY
        topics = [t.name for t in project.topics] if project else []
        topic = args.topic or (meta["主题分类"] if meta.get("主题分类") in topics else default_topic(project, dept))
        fields = {"名称": draft.title, "组配分类": category, "主题分类": topic, "文号": None,
                  "生成日期": created, "发布日期": date}
        if meta.get("文号"):
            try:
                fields["文号"] = str(codes.parse_doc_number(meta["文号"]))
            except codes.CodeError as exc:
                warnings.append(f"原文的文号“{meta['文号']}”{exc.message},没有填入;{exc.hint}")
        if meta.get("发布时间"):
            fields["发布时间"] = meta["发布时间"]
        index_no = meta.get("索引号")
        if index_no and project is not None:
            used = {p.index_no: p.path for p in project.plans if not p.index_assigned}
            try:
                parsed = codes.parse_index_number(index_no, project.site.index_format)
            except codes.CodeError as exc:
                warnings.append(f"原文的索引号“{index_no}”{exc.message},已重新编号")
                index_no = None
            else:
                if parsed.code != dept_obj.index_code(project.site.index_format):
                    warnings.append(f"原文的索引号 {index_no} 不属于{dept_obj.short_name},已重新编号")
                    index_no = None
                elif str(parsed) in used:
                    warnings.append(f"原文的索引号 {index_no} 已被 {used[str(parsed)]} 使用(可能已经导入过),已重新编号")
                    index_no = None
                else:
                    index_no = str(parsed)
        plans.append({"draft": draft, "path": path, "fields": fields, "index_no": index_no, "warnings": warnings,
                      "date": codes.parse_date(date)})
    if project is not None:
        need = [p for p in plans if not p["index_no"]]
        numbers = reserve_index_numbers(project, [(dept, p["date"], _rel(root, p["path"])) for p in need])
        for p, number in zip(need, numbers):
            p["index_no"] = number
    code = 0
    written = []
    vocab = load_vocab(root)
    for p in plans:
        draft, path = p["draft"], p["path"]
        fields = {"名称": p["fields"].pop("名称")}
        if p["index_no"]:
            fields["索引号"] = p["index_no"]
        fields.update(p["fields"])
        notes_ = [f"由 gongkai import 从 {source.name} 导入:请核对标题、日期、分类和正文分段,核对后可删除本行。"]
        body = draft.body_markdown()
        targets, leftovers = fill_targets(draft.targets, body, vocab)
        text = render_plan(fields, body=body, targets=targets, notes=notes_, leftovers=leftovers)
        broken = check_roundtrip(text)
        rel = _rel(root, path)
        print(f"\n{rel}:{draft.title}")
        print(f"  {len(draft.sections)} 个部分，{len(draft.items)} 项工作；找到 {len(draft.targets)} 个候选指标："
              f"{len(targets)} 个已按指标词表填入“指标”（待核对），{len(leftovers)} 个未能填入（以注释列在“指标”下面）")
        for w in p["warnings"]:
            print(f"  提醒:{w}")
        if broken:  # pragma: no cover - a bug in the writer; never write a file that cannot be read
            print("  内部错误,没有写入:" + ";".join(broken), file=sys.stderr)
            code = 1
            continue
        if args.dry_run:
            print(text)
            continue
        if path.exists():
            print(f"  {rel} 已经存在,没有覆盖;请先改名或删除旧文件,或用 --out 写到别处", file=sys.stderr)
            code = 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    for w in result.warnings:
        print(f"\n提醒:{w}")
    for n in notes:
        print(f"提醒:{n}")
    if result.dropped:
        print(f"\n以下 {len(result.dropped)} 行不是计划正文(网页栏目、页面信息、免责声明等),没有导入;如有误删请手工补上:")
        for d in result.dropped:
            print(f"  {source.name} {d}")
    if written and not args.dry_run:
        _, problems = load_project(root)
        mine = [pr for pr in problems.items if pr.path in written]
        for pr in mine:
            print(pr, file=sys.stderr if not pr.warning else sys.stdout)
        if any(not pr.warning for pr in mine):
            code = 1
        elif all(w.startswith("data/plans/") for w in written):
            print(f"\n已写入 {len(written)} 个文件,检查通过。运行 make serve 预览,核对“待核对”的内容。")
        else:
            print(f"\n已写入 {len(written)} 个文件。移到 data/plans/<机构>/<年度>/ 后运行 make validate 检查。")
    return code


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
