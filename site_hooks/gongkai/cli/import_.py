"""gongkai import FILE…: turn existing plans (.txt, .md, .docx) or the old platform's saved pages into plan files.

    gongkai import 工作要点.docx --dept skjj
    gongkai import 汇编.txt --dept skjj --out 草稿/      # a 汇编 becomes several files
    gongkai import 旧网站/ 目录.xlsx --dept skjj          # moving in: saved pages (.html) + the catalogue export

Saved pages (and a folder of them, with a catalogue .xlsx/.csv) go through
gongkai/editors/migration.py: the published 索引号, 文号, dates, 发布机构 and 有效性 are kept exactly,
the old platform's categories are mapped through data/vocab/aliases.yml, attachments saved beside
the pages are copied, and the report lists per item what was kept, mapped, dropped (with its line)
and what to review; exit 1 with the ``path:line`` list when anything does not validate.

Title, body (sections and items in every numbering style), the page's metadata when
the source is a copied web page, and targets marked 待核对: candidates that map onto the
indicator vocabulary become valid targets, the others are listed as comments under
``指标:`` with the reason (see gongkai/import_targets.py). Page furniture
(banners, download links, 免责声明, 相关文章) is dropped and listed in the report.
(The module is ``import_`` because ``import`` is a Python keyword.)
"""
from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

from gongkai.problems import Problem
from gongkai.rules import codes
from gongkai.editors.import_targets import fill_targets, load_vocab
from gongkai.editors import catalogue, migration, nianbao_import, oldsite
from gongkai.editors.errors import ImportFailed
from gongkai.editors.importer import import_lines, read_document
from gongkai.data.loader import load_project
from gongkai.editors.planfile import (DEFAULT_CATEGORY, check_roundtrip, default_topic, existing_slugs, leftover_text,
                                     render_plan, reserve_index_numbers, suggest_slug)
from gongkai.cli.argparse_zh import option


def register(sub):
    p = sub.add_parser("import", help="从 Word/文本/旧平台网页导入计划", description="把已有的计划文档（.txt、.md、.docx）"
                       "或旧政府信息公开平台上保存的网页（.html、.htm，或整个文件夹，可同时给出目录导出表 .xlsx/.csv）转换为计划文件，"
                       "识别标题、各级编号、候选指标，去掉网页上的栏目、下载链接、免责声明等并列出。")
    p.add_argument("files", type=Path, nargs="+", metavar="file", help="要导入的文件或文件夹；目录导出表（.xlsx、.csv）与网页一起给出")
    p.add_argument("--dept", help="发布机构标识；不填时按文中的发布机构或唯一的机构确定")
    p.add_argument("--year", type=int, help="年度文件夹，默认取标题中的年份")
    p.add_argument("--out", type=Path, help="写到这个文件夹（默认 data/plans/<机构>/<年度>/）")
    p.add_argument("--slug", help="文件名（只导入一份计划时），默认由名称生成")
    p.add_argument("--date", help="原文没有日期（落款、成文日期、发布日期）时使用的生成日期和发布日期；不给出时留空待填，"
                                  "索引号在填好日期后编号（从不按今天编号）")
    p.add_argument("--topic", help="主题分类，默认取原文中的或本机构最常用的")
    p.add_argument("--dry-run", action="store_true", help="只显示结果，不写文件")
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
    files: list[Path] = args.files
    one = files[0] if len(files) == 1 else None
    if one is not None and nianbao_import.looks_like_report(one):
        return _run_report(args, one)  # a 政府信息公开工作年度报告 (issue 21)
    if one is not None and (not one.exists() or (one.is_file() and one.suffix.lower() not in _MIGRATION_SUFFIXES)):
        return _run_document(args, one)  # one plan document: the editor's import (issue 6)
    return _run_migration(args, files)


def _run_report(args, source: Path) -> int:
    """A 年报 (.docx or saved page) → data/nianbao/<机构>/<年度>.yml; the reading is in editors/nianbao_import.py."""
    project, loaded = load_project(args.root)
    if project is None:
        print("现有数据有错误，请先运行 gongkai validate 改正：\n" + loaded.report(), file=sys.stderr)
        return 1
    try:
        target, text, imp, errors = nianbao_import.import_report(
            source, project.departments, dept=args.dept, year=args.year, date=args.date or dt.date.today().isoformat(),
            out=args.out, root=args.root)
    except ImportFailed as exc:
        print(f"{source}: {exc}", file=sys.stderr)
        return 2
    for e in errors:
        print(f"{source}: {e}", file=sys.stderr)
    if target is None:
        return 2
    for line in imp.unplaced:
        print(f"{source}: 没有放进表格：{line}")
    for line in imp.missing:
        print(f"{source}: 没有找到：{line}")
    if args.dry_run:
        print(text)
        return 0
    if target.exists():
        print(f"{_rel(args.root, target)} 已存在，没有覆盖；请先移走它，或用 --out 写到别处", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"已写入 {_rel(args.root, target)}（年度报告，{len(imp.unplaced)} 处没有放进表格，{len(imp.missing)} 处没有找到）")
    _, problems = load_project(args.root)
    mine = [p for p in problems.items if p.path == _rel(args.root, target)]
    for p in mine:
        print(p, file=sys.stderr)
    return 1 if any(not p.warning for p in mine) else 0


def _run_document(args, source: Path) -> int:
    root = args.root
    if not source.is_file():
        print(f"找不到文件 {source}", file=sys.stderr)
        return 2
    if source.suffix.lower() not in (".txt", ".md", ".markdown", ".docx", ".text", ""):
        print(f"不支持 {source.suffix} 文件；请另存为 .docx（Word）或 .txt（纯文本）后再导入", file=sys.stderr)
        return 2
    try:
        lines, notes = read_document(source)
    except ImportFailed as exc:
        print(f"{source.name}:{exc}", file=sys.stderr)
        return 1
    result = import_lines(lines, source.stem)
    project, _ = load_project(root, drafts=True)  # drafts and unreviewed imports hold their 索引号 too
    if project is None:
        print("提醒：现有数据有错误（运行 gongkai validate 查看），索引号暂不预留；改正后运行 gongkai validate --fix 编号。", file=sys.stderr)
    departments = sorted(project.departments) if project else sorted(p.stem for p in (root / "data" / "departments").glob("*.yml"))
    dept = _pick_department(args, project, result.drafts[0].metadata)
    if dept not in departments:
        print(f"请用 {option('--dept', departments[0] if departments else 'skjj')} 指定发布机构，可选：{'、'.join(departments)}",
              file=sys.stderr)
        return 2
    if args.slug and len(result.drafts) > 1:
        print(f"这份文件含 {len(result.drafts)} 份计划，不能用 {option('--slug', 'x')} 指定同一个文件名；请去掉它", file=sys.stderr)
        return 2
    try:
        given = codes.parse_date(args.date) if args.date else None
    except codes.CodeError as exc:
        print(f"{option('--date', 'YYYY-MM-DD')}:{exc.message} — {exc.hint}", file=sys.stderr)
        return 2
    dept_obj = project.departments[dept] if project else None
    used = {p.index_no: p.path for p in project.plans if not p.index_assigned} if project else {}
    plans = []
    code = 0
    chosen: dict[tuple[str, int], set[str]] = {}
    for draft in result.drafts:
        meta = draft.metadata
        warnings = list(draft.warnings)
        review = [f"由 gongkai import 从 {source.name} 导入：请核对名称、日期、分类和正文分段，核对后删除这一项"]
        date = meta.get("发布日期") or meta.get("生成日期")
        if not date and given:
            date = given.isoformat()
            warnings.append(f"原文没有日期，生成日期和发布日期按 {option('--date', date)} 填写")
        elif not date:
            review.append("原文中没有找到日期（落款、成文日期或发布日期）：请填写生成日期和发布日期；"
                          "索引号按这两个日期编号，填好后运行 gongkai validate --fix（或合并后自动编号）")
        created = meta.get("生成日期") or date
        year = args.year or draft.year or (int(date[:4]) if date else None)
        if year is None:
            print(f"“{draft.title}”：名称中没有年份，原文中也没有日期，不知道放进哪个年度文件夹；"
                  f"请用 {option('--year', str(dt.date.today().year))} 指定年度，或用 {option('--date', 'YYYY-MM-DD')} 给出生成日期",
                  file=sys.stderr)
            return 2
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
                warnings.append(f"原文的文号“{meta['文号']}”{exc.message}，没有填入；{exc.hint}")
        if meta.get("发布时间"):
            fields["发布时间"] = meta["发布时间"]
        index_no, historic = meta.get("索引号"), False
        if index_no and project is not None:
            # A 索引号 in the document was published with it: kept as written, never renumbered (issue 17).
            try:
                parsed = codes.parse_index_number(index_no, project.site.index_format)
                fits = parsed.code == dept_obj.index_code(project.site.index_format)
                key = str(parsed) if fits else codes.to_halfwidth(index_no).replace(" ", "").upper()
            except codes.CodeError:
                parsed, fits, key = None, False, codes.to_halfwidth(index_no).replace(" ", "").upper()
            if key in used:
                print(f"{source.name}：“{draft.title}”的索引号 {index_no} 已被 {used[key]} 使用（可能已经导入过），没有导入；"
                      "已发布的索引号不能改，请核对是不是同一份文件", file=sys.stderr)
                code = 1
                continue
            used[key] = _rel(root, path)
            if fits:
                index_no = str(parsed)
            else:
                historic = True
                review.append(f"原文的索引号“{index_no}”不符合本站今天的规则，已按原样保留为历史索引号：请核对它就是当时发布的索引号")
        plans.append({"draft": draft, "path": path, "fields": fields, "index_no": index_no if project else None,
                      "historic": historic, "warnings": warnings, "review": review,
                      "date": codes.parse_date(date) if date else None})
    if project is not None:
        need = [p for p in plans if not p["index_no"] and p["date"]]  # reserved only with the document's real dates
        kept = [(dept, p["date"] or dt.date.today(), p["index_no"]) for p in plans if p["index_no"] and not p["historic"]]
        numbers = reserve_index_numbers(project, [(dept, p["date"], _rel(root, p["path"])) for p in need], kept=kept)
        for p, number in zip(need, numbers):
            p["index_no"] = number
    written = []
    vocab = load_vocab(root)
    for p in plans:
        draft, path = p["draft"], p["path"]
        fields = {"名称": p["fields"].pop("名称")}
        if p["index_no"]:
            fields["索引号"] = p["index_no"]
        if p["historic"]:
            fields["历史索引号"] = True
        fields.update(p["fields"])
        notes_ = [f"由 gongkai import 从 {source.name} 导入：核对“待核对”中的每一项，处理后删除；全部处理完才能发布。"]
        body = draft.body_markdown()
        targets, leftovers = fill_targets(draft.targets, body, vocab)
        text = render_plan(fields, body=body, targets=targets, notes=notes_, leftovers=leftovers,
                           review=p["review"] + p["warnings"])
        broken = check_roundtrip(text)
        rel = _rel(root, path)
        print(f"\n{rel}:{draft.title}")
        print(f"  {len(draft.sections)} 个部分，{len(draft.items)} 项工作；找到 {len(draft.targets)} 个候选指标："
              f"{len(targets)} 个已按指标词表填入“指标”（待核对），{len(leftovers)} 个未能填入（列在“待核对”中）")
        for w in p["warnings"]:
            print(f"  提醒：{w}")
        for c in leftovers:
            print(f"  待核对：{leftover_text(c)}")
        if broken:  # pragma: no cover - a bug in the writer; never write a file that cannot be read
            print("  内部错误，没有写入：" + ";".join(broken), file=sys.stderr)
            code = 1
            continue
        if args.dry_run:
            print(text)
            continue
        if path.exists():
            print(f"  {rel} 已经存在，没有覆盖；请先改名或删除旧文件，或用 --out 写到别处", file=sys.stderr)
            code = 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    for w in result.warnings:
        print(f"\n提醒：{w}")
    for n in notes:
        print(f"提醒：{n}")
    if result.dropped:
        print(f"\n以下 {len(result.dropped)} 行不是计划正文（网页栏目、页面信息、免责声明等），没有导入；如有误删请手工补上：")
        for d in result.dropped:
            print(f"  {source.name} {d}")
    if written and not args.dry_run:
        _, problems = load_project(root, drafts=True)  # 待核对 is expected now: listed, not an import failure
        mine = [pr for pr in problems.items if pr.path in written]
        for pr in mine:
            if not pr.warning:
                print(pr, file=sys.stderr)
        marks = sum(1 for pr in mine if pr.warning and pr.field.startswith(("待核对", "指标.")) and "待核对" in pr.field)
        if any(not pr.warning for pr in mine):
            code = 1
        elif all(w.startswith("data/plans/") for w in written):
            print(f"\n已写入 {len(written)} 个文件，格式检查通过；还有 {marks} 处“待核对”：运行 make serve 预览（页面上标出），"
                  "逐项核对处理后删除，make validate 才会通过、才能发布。")
        else:
            print(f"\n已写入 {len(written)} 个文件，还有 {marks} 处“待核对”。移到 data/plans/<机构>/<年度>/ 后运行 make validate 检查。")
    return code


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# --- moving in from the old platform: saved pages, folders, catalogues --------------------------------
_MIGRATION_SUFFIXES = oldsite.PAGE_SUFFIXES + catalogue.CATALOGUE_SUFFIXES
_ORDER = ["名称", "索引号", "历史索引号", "组配分类", "主题分类", "文号", "生成日期", "发布日期", "发布时间", "来源", "有效性", "原网址", "附件"]


def _run_migration(args, files: list[Path]) -> int:
    root = args.root
    docs, catalogues, bad = migration.sources_in(files)
    for b in bad:
        print(b, file=sys.stderr)
    if bad and not docs:
        return 2
    project, loaded = load_project(root, drafts=True)
    if project is None:
        print("现有数据有错误，迁移需要正确的词表和发布机构；请先运行 gongkai validate 改正下面的问题：", file=sys.stderr)
        print(loaded.report(), file=sys.stderr)
        return 1
    errors: list[Problem] = []
    rows: list[catalogue.Row] = []
    catalogue_name = "、".join(c.name for c in catalogues)
    for c in catalogues:
        try:
            rows += catalogue.read_catalogue(c)
        except ImportFailed as exc:
            errors.append(Problem(c.name, 0, "", str(exc), "请检查目录导出表"))
        except (OSError, ValueError, KeyError) as exc:  # a damaged spreadsheet: never a traceback
            errors.append(Problem(c.name, 0, "", f"无法读取目录导出表（{type(exc).__name__}）", "请用 Excel 或 WPS 另存后再试"))
    today = codes.parse_date(args.date).isoformat() if args.date else dt.date.today().isoformat()
    entries: list[migration.Entry] = []
    sources: list[migration.Source] = []
    skipped: list[str] = []
    chosen: dict[tuple[str, int], set[str]] = {}
    for path, base in docs:
        name = path.relative_to(base.parent).as_posix() if base else path.name
        try:
            source = migration.read_source(path, base)
        except ImportFailed as exc:
            errors.append(Problem(name, 0, "", f"没有导入：{exc}", "请检查这个文件"))
            continue
        except (OSError, ValueError, LookupError, RecursionError) as exc:  # never a traceback on odd input
            errors.append(Problem(name, 0, "", f"没有导入：无法读取这个文件（{type(exc).__name__}）", "请检查这个文件"))
            continue
        if (base is not None and source.page is not None and not source.page.raw
                and catalogue.match(rows, source.page.urls, "", "") is None):
            skipped.append(name)  # a column list, the home page…: found in the folder, not an item
            continue
        sources.append(source)
        single = len(source.result.drafts) == 1
        first = source.result.drafts[0].metadata
        published_by = (source.page.raw.get("发布机构") if source.page else "") or first.get("发布机构", "")
        dept = args.dept or (migration.department_of(published_by, project) if published_by else None)
        if dept is None and len(project.departments) == 1:
            dept = next(iter(project.departments))
        if dept not in project.departments:
            errors.append(Problem(name, 0, "发布机构", f"不知道这个文件属于哪个发布机构（页面上写“{published_by}”）" if published_by
                                            else "不知道这个文件属于哪个发布机构",
                                            "请用 --dept 指定，可选：" + "、".join(project.departments)))
            continue
        for draft in source.result.drafts:
            e = migration.plan_entry(source, draft, project, dept, single=single, rows=rows, catalogue_name=catalogue_name,
                                     default_topic=args.topic or default_topic(project, dept), default_category=DEFAULT_CATEGORY,
                                     today=today)
            year = args.year or draft.year or int(e.fields["发布日期"][:4])
            taken = existing_slugs(root, dept, year) | chosen.setdefault((dept, year), set())
            slug = args.slug if args.slug and len(docs) == 1 and single else suggest_slug(e.fields["名称"], taken)
            chosen[(dept, year)].add(slug)
            e.path = (args.out if args.out else root / "data" / "plans" / dept / str(year)) / f"{slug}.yml"
            e.fields["_dept"] = dept
            entries.append(e)
    for row in rows:
        if not row.used:
            errors.append(Problem(catalogue_name, row.line, "", f"目录中的“{row.values.get('名称') or row.values.get('索引号') or row.url}”"
                                            "没有找到对应的网页，没有导入", "请从旧平台保存这个网页，放进文件夹后一起重新导入"))
    need = [e for e in entries if not e.index_no]
    numbers = reserve_index_numbers(project, [(e.fields["_dept"], _date_or_today(e.fields["发布日期"]), _rel(root, e.path))
                                              for e in need]) if need else []
    for e, number in zip(need, numbers):
        e.index_no = number
        e.mapped.append(f"原文没有索引号，已按本站规则编号 {number}")
    vocab = load_vocab(root)
    written: list[str] = []
    for e in entries:
        rel = _rel(root, e.path)
        fields = _plan_fields(e)
        body = e.draft.body_markdown()
        targets, leftovers = fill_targets(e.draft.targets, body, vocab)
        note = f"由 gongkai import 从旧平台的 {e.source.name} 迁移：已发布的索引号、文号和日期保持原样，不要修改；请核对分类和正文分段。"
        text = render_plan(fields, body=body, targets=targets, notes=[note], leftovers=leftovers)
        broken = check_roundtrip(text)
        print(f"\n{rel}:{e.fields['名称']}（来自 {e.source.name}）")
        for label, items in (("保留", e.kept), ("对应", e.mapped), ("待核对", e.review + e.draft.warnings)):
            for item in items:
                print(f"  {label}：{item}")
        print(f"  正文：{len(e.draft.sections)} 个部分，{len(e.draft.items)} 项工作；候选指标 {len(e.draft.targets)} 个，"
              f"{len(targets)} 个已填入“指标”（待核对）")
        if broken:  # pragma: no cover - a bug in the writer; never write a file that cannot be read
            errors.append(Problem(rel, 0, "", "内部错误，没有写入：" + ";".join(broken)))
            continue
        if args.dry_run:
            print(text)
            continue
        if e.path.exists():
            errors.append(Problem(rel, 0, "", "文件已经存在，没有覆盖", "请先改名或删除旧文件，或用 --out 写到别处"))
            continue
        e.path.parent.mkdir(parents=True, exist_ok=True)
        e.path.write_text(text, encoding="utf-8")
        if e.attachments:
            folder = e.path.parent / e.path.stem / "附件"
            folder.mkdir(parents=True, exist_ok=True)
            for src, filename, _label in e.attachments:
                shutil.copyfile(src, folder / filename)
        written.append(rel)
    for source in sources:
        for n in source.notes + source.result.warnings:
            print(f"\n{source.name}：提醒：{n}")
        if source.result.dropped:
            print(f"\n{source.name}：以下 {len(source.result.dropped)} 行不是计划正文，没有导入（如有误删请手工补上）：")
            for d in source.result.dropped:
                print(f"  {source.name}:{d.line}:{d.reason}:{d.text if len(d.text) <= 60 else d.text[:60] + '…'}")
    if skipped:
        print(f"\n以下 {len(skipped)} 个网页没有元数据块（索引号、发布日期等），目录中也没有，不像是一条信息（栏目页、首页等），没有导入；"
              "如果是信息页面，请单独导入这个文件：")
        for name in skipped:
            print(f"  {name}")
    marks = 0
    if written and not args.dry_run:
        _, problems = load_project(root, drafts=True)  # 待核对 (imported targets) is expected: listed, not a failure
        for pr in problems.items:
            if pr.path in written and not pr.warning:
                errors.append(Problem(pr.path, pr.line, pr.field, pr.message, pr.hint))
            elif pr.path in written:
                marks += "待核对" in pr.field
                print(f"待核对：{pr}")
    errors = [x for e in entries for x in e.errors] + errors
    if errors:
        print(f"\n共 {len(errors)} 个问题需要处理（文件:行号: 字段: 问题 — 怎么改）：", file=sys.stderr)
        for pr in errors:
            print(str(pr), file=sys.stderr)
        return 1
    if not args.dry_run and marks:
        print(f"\n已写入 {len(written)} 个文件，格式检查通过；还有 {marks} 处“待核对”（导入时填写的指标等）：运行 make serve 预览"
              "（页面上标出），逐项核对处理后删除，make validate 才会通过、才能发布。")
    elif not args.dry_run:
        print(f"\n已写入 {len(written)} 个文件，检查通过。运行 make serve 预览，核对“待核对”的内容。")
    return 0


def _date_or_today(text: str) -> dt.date:
    try:
        return codes.parse_date(text)
    except codes.CodeError:  # reported with the entry; the number is reserved for today
        return dt.date.today()


def _plan_fields(e: migration.Entry) -> dict:
    fields = {k: v for k, v in e.fields.items() if not k.startswith("_")}
    if e.index_no:
        fields["索引号"] = e.index_no
    if e.historic:
        fields["历史索引号"] = True
    if e.attachments:
        fields["附件"] = [{"文件": f, **({"名称": label} if label else {})} for _, f, label in e.attachments]
    return {k: fields[k] for k in _ORDER if k in fields}
