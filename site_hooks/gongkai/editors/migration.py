"""Moving a department in: sources (saved pages, documents, a catalogue) → plan entries and a report.

``read_source(path)`` reads one document or saved page into a :class:`Source` (its drafts and
the lines left out); :func:`plan_entry` turns one draft into the fields of a plan file, keeping
the published values exactly (索引号, 文号, 生成日期, 发布日期, 发布时间, 发布机构, 有效性), mapping
the old platform's vocabulary through ``data/vocab/aliases.yml`` and checking against the
catalogue row. Every decision is recorded on the :class:`Entry` for the report: ``kept``,
``mapped``, ``review`` (to check by hand) and ``errors`` (``path:line: 字段: 问题 — 怎么改``,
the import then exits 1). Nothing here writes files; ``gongkai import`` (cli/import_.py) does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from gongkai.data.model import Project
from gongkai.editors import catalogue, oldsite
from gongkai.editors.importer import Dropped, ImportResult, PlanDraft, furniture_reason, import_lines, read_document
from gongkai.problems import Problem
from gongkai.rules import codes

DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".text")


@dataclass
class Source:
    path: Path
    name: str  # as shown in the report (relative to where the import started)
    result: ImportResult
    page: oldsite.SavedPage | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Entry:
    source: Source
    draft: PlanDraft
    fields: dict[str, Any] = field(default_factory=dict)
    index_no: str | None = None
    historic: bool = False
    attachments: list[tuple[Path, str, str]] = field(default_factory=list)  # (saved file, file name, 名称)
    kept: list[str] = field(default_factory=list)
    mapped: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    row: catalogue.Row | None = None
    path: Path | None = None


def page_lines(page: oldsite.SavedPage) -> tuple[list[str], list[int], list[Dropped]]:
    """The lines of a saved page the importer reads (title, article), and the ones left out, with why."""
    lines, numbers, dropped = [], [], []
    article = any(pl.in_article for pl in page.lines)
    for i, pl in enumerate(page.lines):
        if i == page.title_index:
            lines.append(pl.text)
            numbers.append(pl.line)
        elif i in page.meta_rows:
            dropped.append(Dropped(pl.line, pl.text, "页面元数据（已读入对应字段）"))
        elif pl.attachment_only:
            dropped.append(Dropped(pl.line, pl.text, "附件链接（已列入“附件”）"))
        elif pl.in_article or not article:
            lines.append(pl.text)
            numbers.append(pl.line)
        else:
            dropped.append(Dropped(pl.line, pl.text, furniture_reason(pl.text) or "正文以外的页面内容（栏目、页头、页脚）"))
    return lines, numbers, dropped


def read_source(path: Path, base: Path | None = None) -> Source:
    """One document or saved page; ImportFailed (a Chinese reason) when it cannot be read at all."""
    name = path.relative_to(base.parent).as_posix() if base and base in path.parents else path.name
    if path.suffix.lower() in oldsite.PAGE_SUFFIXES:
        page = oldsite.read_page(path, base)
        lines, numbers, dropped = page_lines(page)
        result = import_lines(lines, page.title or path.stem, numbers, metadata=dict(page.metadata))
        result.dropped = sorted(result.dropped + dropped, key=lambda d: d.line)
        notes = list(page.notes)
        if page.scripts:
            notes.append(f"网页中的脚本和样式（第{'、'.join(map(str, page.scripts[:10]))}行等 {len(page.scripts)} 处）不是文字内容，没有导入")
        if page.encoding not in ("utf-8", "utf-8-sig"):
            notes.append(f"网页编码是 {page.encoding}，已转换为 UTF-8")
        return Source(path, name, result, page, notes)
    lines, notes = read_document(path)
    return Source(path, name, import_lines(lines, path.stem), None, list(notes))


# --- vocabularies ----------------------------------------------------------------------------------
def map_value(kind: str, value: str, names: list[str], aliases: dict[str, dict[str, str]]) -> tuple[str | None, str]:
    """(name in today's vocabulary or None, how): exact, an alias from data/vocab/aliases.yml, or a 一级/二级 spelling."""
    value = value.strip()
    if value in names:
        return value, ""
    table = aliases.get(kind) or {}
    if value in table and table[value] in names:
        return table[value], "data/vocab/aliases.yml"
    squeezed = re.sub(r"\s+", "", value)
    if kind == "主题分类":
        fixed = re.sub(r"\s*[/／>＞]\s*", "\\\\", squeezed)
        if fixed in names:
            return fixed, "一级和二级之间改用反斜杠"
        children = [n for n in names if n.endswith("\\" + squeezed)]
        if len(children) == 1:
            return children[0], "按二级分类对应"
    for name in names:
        if re.sub(r"\s+", "", name) == squeezed:
            return name, "去掉了空格"
    return None, ""


def _choices(names: list[str]) -> str:
    return "、".join(names[:30]) + ("……" if len(names) > 30 else "")


def _same_meaning(name: str, a: str, b: str, project: Project, department) -> bool:
    """Two spellings of the same thing (市科技局 / 市科学技术局; 计划总结 / 规划计划) are not a mismatch."""
    if name == "发布机构":
        return department_of(a, project) is not None and department_of(a, project) == department_of(b, project)
    names = {"组配分类": department.categories, "主题分类": [t.name for t in project.topics]}.get(name)
    if names is None:
        return False
    mapped = map_value(name, a, names, project.aliases)[0]
    return mapped is not None and mapped == map_value(name, b, names, project.aliases)[0]


def department_of(name: str, project: Project) -> str | None:
    for slug, d in project.departments.items():
        if name in (d.short_name, d.full_name, slug):
            return slug
    return (project.aliases.get("发布机构") or {}).get(name)


# --- one plan --------------------------------------------------------------------------------------
def plan_entry(source: Source, draft: PlanDraft, project: Project, dept: str, *, single: bool,
               rows: list[catalogue.Row], catalogue_name: str, default_topic: str, default_category: str,
               today: str) -> Entry:
    """The plan file's fields for one draft, with the report of what was kept, mapped and left to review."""
    e = Entry(source, draft)
    page = source.page
    where = source.name
    meta = dict(draft.metadata)
    raw = dict(page.raw) if page and single else {k: v for k, v in meta.items()}
    lines = dict(page.meta_line) if page and single else {}
    urls = list(page.urls) if page and single else []
    department = project.departments[dept]

    def line_of(name: str) -> int:
        return lines.get(name, 0)

    # the catalogue row: fills what the page lacks, and every difference is reported
    if rows:
        row = catalogue.match(rows, urls, raw.get("索引号", ""), raw.get("名称") or draft.title)
        if row is None:
            e.review.append(f"目录 {catalogue_name} 中没有找到这一条（按网址、索引号、名称都对不上）")
        else:
            row.used = True
            e.row = row
            page_values = {**{k: v for k, v in meta.items() if k in catalogue.COMPARED}, **raw}
            page_values.setdefault("名称", draft.title)
            fills, differ = catalogue.compare(row, page_values)
            for name, value in fills.items():
                raw[name] = value
                if name in ("生成日期", "发布日期"):
                    d = oldsite.normal_date(value)
                    if d:
                        meta[name] = d[0]
                        if name == "发布日期" and d[1]:
                            meta.setdefault("发布时间", d[1])
                else:
                    meta[name] = value
                e.mapped.append(f"{name}“{value}”由目录补充（页面上没有）")
            for name, mine, theirs in differ:
                if _same_meaning(name, mine, theirs, project, department):
                    e.mapped.append(f"{name}：页面写“{mine}”，目录写“{theirs}”，对应到本站的同一个值")
                    continue
                e.errors.append(Problem(f"{catalogue_name}", row.line, name, f"目录写“{theirs}”，页面 {where} 写“{mine}”，两者不一致",
                                        "已按页面导入；请核对原平台上公开的是哪一个，改正计划文件"))
            if row.url:
                urls.append(row.url)
    # 名称
    title = raw.get("名称") if single and raw.get("名称") else draft.title
    if single and raw.get("名称"):  # the title is the published 名称 even where the page has no heading
        draft.warnings = [w for w in draft.warnings if not w.startswith("没有找到标题")]
    if title != draft.title:
        e.review.append(f"页面上的标题“{draft.title}”与元数据中的名称不同，已用元数据的名称")
    e.fields["名称"] = title
    # 索引号, kept as published
    index_no = (raw.get("索引号") or "").strip()
    if index_no:
        e.index_no = index_no
        try:
            parsed = codes.parse_index_number(index_no, project.site.index_format)
            historic = parsed.code != department.index_code(project.site.index_format)
        except codes.CodeError:
            historic = True
        e.historic = historic
        used = {p.index_no: p.path for p in project.plans if not p.index_assigned}
        if index_no in used:
            e.errors.append(Problem(where, line_of("索引号"), "索引号", f"索引号 {index_no} 已被 {used[index_no]} 使用",
                                    "可能已经导入过这一条；请核对，不要重复导入"))
        e.kept.append(f"索引号 {index_no}" + ("（按旧平台的规则编写，标为历史索引号，不重新编号）" if historic else ""))
    # 组配分类 and 主题分类 through the aliases
    for kind, names, default in (("组配分类", department.categories, default_category),
                                 ("主题分类", [t.name for t in project.topics], default_topic)):
        value = raw.get(kind) or meta.get(kind)
        if not value:
            e.fields[kind] = default
            e.review.append(f"原文没有{kind}，暂填“{default}”")
            continue
        name, how = map_value(kind, value, names, project.aliases)
        if name is None:
            e.fields[kind] = default
            e.errors.append(Problem(where, line_of(kind), kind, f"旧平台的{kind}“{value}”对应不到本站的{kind}（暂填“{default}”）",
                                    f"可选：{_choices(names)}；或在 data/vocab/aliases.yml 的“{kind}”下加一行“{value}: 名称”"))
        else:
            e.fields[kind] = name
            (e.mapped if how else e.kept).append(f"{kind}“{value}”→“{name}”（{how}）" if how else f"{kind} {name}")
    # 发布机构
    published_by = raw.get("发布机构")
    if published_by:
        slug = department_of(published_by, project)
        if slug is None:
            e.errors.append(Problem(where, line_of("发布机构"), "发布机构", f"页面上的发布机构“{published_by}”对应不到本站的发布机构",
                                    f"可选：{'、'.join(f'{d.short_name}({s})' for s, d in project.departments.items())}；"
                                    f"或在 data/vocab/aliases.yml 的“发布机构”下加一行“{published_by}: 机构标识”"))
        elif slug != dept:
            e.errors.append(Problem(where, line_of("发布机构"), "发布机构", f"页面上的发布机构“{published_by}”是 {slug}，不是 --dept {dept}",
                                    "请核对后用 --dept 指定正确的发布机构"))
        else:
            e.kept.append(f"发布机构“{published_by}”（{dept}）")
            if published_by not in (department.short_name,):
                e.mapped.append(f"发布机构“{published_by}”在本站显示为“{department.short_name}”")
    # 文号, exactly as published (a 文号 that does not follow today's writing is reported by validation)
    doc_no = raw.get("文号") or meta.get("文号")
    e.fields["文号"] = doc_no.strip() if doc_no else None
    if doc_no:
        e.kept.append(f"文号 {doc_no.strip()}")
    # dates and time
    published = meta.get("发布日期")
    created = meta.get("生成日期")
    if not published:
        published = created or today
        e.review.append(f"原文没有发布日期，暂填 {published}")
    if not created:
        created = published
        e.review.append(f"原文没有生成日期（成文日期），暂用发布日期 {published}")
    e.fields["生成日期"] = created
    e.fields["发布日期"] = published
    for name, value in (("生成日期", created), ("发布日期", published)):
        try:
            codes.parse_date(value)
        except codes.CodeError as exc:
            e.errors.append(Problem(where, line_of(name), name, f"原文的{name}“{raw.get(name, value)}”{exc.message}", exc.hint))
    e.kept.append(f"生成日期 {created}、发布日期 {published}" + (f" {meta['发布时间']}" if meta.get("发布时间") else ""))
    if meta.get("发布时间"):
        e.fields["发布时间"] = meta["发布时间"]
    if raw.get("来源") and raw["来源"] != department.short_name:
        e.fields["来源"] = raw["来源"]
        e.kept.append(f"来源“{raw['来源']}”")
    # 有效性
    validity = raw.get("有效性")
    if validity:
        names = [v.name for v in project.validity]
        name, how = map_value("有效性", validity, names, project.aliases)
        if name is None:
            e.errors.append(Problem(where, line_of("有效性"), "有效性", f"旧平台的有效性“{validity}”对应不到本站的有效性",
                                    f"可选：{_choices(names)}；或在 data/vocab/aliases.yml 的“有效性”下加一行“{validity}: 名称”"))
        else:
            e.fields["有效性"] = name
            (e.mapped if how else e.kept).append(f"有效性“{validity}”→“{name}”" if how else f"有效性 {name}")
    # 原网址
    clean_urls = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
    if clean_urls:
        e.fields["原网址"] = clean_urls
        e.kept.append("原网址 " + "、".join(clean_urls))
    elif page is not None:
        e.review.append("没有找到这一条在旧平台上的网址（页面中没有 canonical 或“saved from”，目录中也没有），旧网址不会跳转")
    # 附件
    if page is not None and single:
        seen: set[str] = set()
        for a in page.attachments:
            if a.file is None:
                e.errors.append(Problem(where, a.line, "附件", f"找不到附件“{a.name}”（链接 {a.href}）",
                                        "请从旧平台下载这个文件，放在保存的网页旁边后重新导入，或手工放进计划的“附件”文件夹"))
                continue
            filename = safe_filename(a.file.name, seen)
            seen.add(filename)
            label = _ATTACH_PREFIX.sub("", a.name or "").strip()
            if label.lower().endswith(oldsite.ATTACHMENT_SUFFIXES):  # “方案.pdf”: the page adds the type itself
                label = label.rsplit(".", 1)[0]
            label = label if label and label not in (PurePosixPath(filename).stem, filename) else ""
            e.attachments.append((a.file, filename, label))
        if e.attachments:
            e.kept.append(f"附件 {len(e.attachments)} 个：" + "、".join(f for _, f, _ in e.attachments))
        for img in page.images:
            e.review.append(f"正文第{img.line}行有图片“{img.name}”，没有导入；需要时请作为附件添加")
    return e


_ATTACH_PREFIX = re.compile(r"^\s*附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[:：、.．]\s*")


def safe_filename(name: str, taken: set[str]) -> str:
    """A file name that is safe on every host: no path, no control or reserved characters, not taken."""
    name = re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name).strip(" .") or "附件"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    return candidate


def sources_in(paths: list[Path]) -> tuple[list[tuple[Path, Path | None]], list[Path], list[str]]:
    """(documents and pages with the folder they came from, catalogues, problems) for the command's arguments."""
    docs, catalogues, problems = [], [], []
    for p in paths:
        if p.is_dir():
            pages = oldsite.find_pages(p)
            if not pages:
                problems.append(f"{p}：文件夹中没有 .html/.htm 网页")
            docs += [(x, p) for x in pages]
            catalogues += sorted(x for x in p.iterdir() if x.is_file() and x.suffix.lower() in catalogue.CATALOGUE_SUFFIXES)
        elif not p.is_file():
            problems.append(f"{p}：找不到这个文件")
        elif p.suffix.lower() in catalogue.CATALOGUE_SUFFIXES:
            catalogues.append(p)
        elif p.suffix.lower() in oldsite.PAGE_SUFFIXES + DOCUMENT_SUFFIXES or p.suffix == "":
            docs.append((p, None))
        else:
            problems.append(f"{p}：不支持 {p.suffix} 文件；请另存为 .docx（Word）、.txt（纯文本）或 .html（网页）后再导入")
    return docs, catalogues, problems
