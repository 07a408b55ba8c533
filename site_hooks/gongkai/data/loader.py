"""The one loader: reads ``data/``, checks everything, returns a :class:`Project`.

Used by the MkDocs hook, the CLI and the tests alike. It never raises for bad
data: every problem in every file is collected into :class:`Problems` so an
editor sees all mistakes in one run.
"""
from __future__ import annotations

import dataclasses

import difflib
import functools
import os
import pickle
import re
import stat
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Callable

from gongkai.data import attachments, drafts, history, index_numbers, nianbao, redirects, schema, security, targets, urls, withdrawal
from gongkai.data.checker import FileChecker, is_valid, Parsed, is_web_url, read_file, relpath
from gongkai.data.model import Category, Department, Plan, Project, Related, Site, Topic, Validity
from gongkai.data.yamlio import load_file
from gongkai.markup import prime
from gongkai.problems import Problems
from gongkai.rules import codes
from gongkai.runtime.parallel import pmap
from gongkai.runtime.timing import phase

def _load_site(root: Path, problems: Problems) -> Site | None:
    path = root / "data" / "site.yml"
    if not path.exists():
        problems.add("data/site.yml", 0, "", "缺少网站设置文件", "请从示例复制 data/site.yml 并修改")
        return None
    c = read_file("site", path, root, problems)
    if c is None:
        return None
    d = c.doc.data
    for key in ("ICP备案链接", "公安机关备案链接", "找错链接", "网站地址"):
        if d.get(key) and not is_web_url(str(d[key])):
            c.error((key,), f"“{d[key]}”不是完整的网址", "请以 http:// 或 https:// 开头")
    site_id = c.text("网站标识码")
    if site_id and not re.fullmatch(schema.SITE["properties"]["网站标识码"]["pattern"], site_id):  # its x-check
        c.error(("网站标识码",), f"“{site_id}”不是网站标识码", "10位数字，或 bm 加8位数字；请加英文引号，例如 \"3418820001\"")
    idx = d.get("索引号") or {}
    fmt = codes.INDEX_FORMATS.get(idx.get("格式", ""), codes.INDEX_FORMATS["安徽"])
    default_period = "月" if fmt.period == "month" else "年"
    badge = d.get("党政机关网站标识")
    security.check_badge(c, root)
    domain = c.text("网站域名")
    return Site(
        name=c.text("网站名称"),
        domain=domain,
        base_url=c.text("网站地址", f"https://{domain}/").rstrip("/") + "/",
        sponsor=c.text("主办单位"),
        organizer=c.text("承办单位"),
        contact={k: str(v) for k, v in (d.get("联系方式") or {}).items() if v},
        site_id=c.text("网站标识码"),
        icp=c.text("ICP备案号"),
        icp_url=c.text("ICP备案链接", "https://beian.miit.gov.cn/"),
        police=c.text("公安机关备案号"),
        police_url=c.text("公安机关备案链接"),
        badge={k: str(v) for k, v in badge.items()} if isinstance(badge, dict) else None,
        report_url=c.text("找错链接"),
        index_format=fmt,
        index_scope=str(idx.get("序号范围") or "部门"),
        index_period=str(idx.get("序号周期") or default_period),
    )


def _load_vocab(root: Path, problems: Problems):
    vocab_dir = root / "data" / "vocab"
    result: dict[str, list] = {"categories": [], "topics": [], "validity": []}
    for kind in result:
        path = vocab_dir / f"{kind}.yml"
        if not path.exists():
            problems.add(f"data/vocab/{kind}.yml", 0, "", "缺少词表文件", "请从示例复制")
            continue
        c = read_file(kind, path, root, problems)
        if c is None:
            continue
        seen: dict[str, int] = {}
        for i, entry in enumerate(c.doc.data):
            for key in ("名称", "标识"):
                value = str(entry[key])
                if (key, value) in seen:
                    c.error((i, key), f"“{value}”重复（第{seen[(key, value)]}行已有）", "词表中的名称和标识都不能重复")
                seen[(key, value)] = c.doc.line((i, key))
            if kind == "categories":
                if str(entry["标识"]).isdigit():
                    c.error((i, "标识"), "标识不能全是数字（会与年度网址冲突）", "请加上字母，例如 ghjh")
                result[kind].append(Category(str(entry["名称"]), str(entry["标识"]), str(entry.get("说明") or "")))
            elif kind == "topics":
                parent = str(entry["名称"])
                result[kind].append(Topic(parent, str(entry["标识"])))
                for child in entry.get("子类") or []:
                    result[kind].append(Topic(f"{parent}\\{child['名称']}", f"{entry['标识']}-{child['标识']}", parent))
            else:
                result[kind].append(Validity(str(entry["名称"]), str(entry["标识"]), bool(entry.get("失效")), str(entry.get("说明") or "")))
    return result["categories"], result["topics"], result["validity"]


ALIAS_KINDS = ("组配分类", "主题分类", "有效性", "发布机构")


def _load_aliases(root: Path, names: dict[str, list[str]], problems: Problems) -> dict[str, dict[str, str]]:
    """data/vocab/aliases.yml (optional): per vocabulary, old platform wording → a name of today's vocabulary.

    ``names`` holds each vocabulary's valid names (发布机构: the department slugs); an alias
    pointing elsewhere is reported with its line and the choices."""
    path = root / "data" / "vocab" / "aliases.yml"
    out: dict[str, dict[str, str]] = {kind: {} for kind in ALIAS_KINDS}
    if not path.exists():
        return out
    c = read_file("aliases", path, root, problems)
    if c is None or not isinstance(c.doc.data, dict):
        return out
    for kind in ALIAS_KINDS:
        for alias, target in (c.doc.data.get(kind) or {}).items():
            target = str(target)
            if names.get(kind) and target not in names[kind]:
                close = difflib.get_close_matches(target, names[kind], n=1, cutoff=0.5)
                hint = f"是否想写“{close[0]}”？" if close else "可选:" + "、".join(names[kind])
                c.error((kind, alias), f"别名“{alias}”对应的“{target}”不在{kind}中", hint)
                continue
            out[kind][str(alias)] = target
    return out


def _load_departments(root: Path, site: Site | None, categories: list[Category], problems: Problems) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    names = [c.name for c in categories]
    pages = set(security.content_urls(root))
    for path in sorted((root / "data" / "departments").glob("*")):
        rel = relpath(root, path)
        if path.suffix != ".yml":
            problems.add(rel, 0, "", "发布机构文件的扩展名应为 .yml", "请改名为 <标识>.yml")
            continue
        c = read_file("department", path, root, problems)
        if c is None:
            continue
        d = c.doc.data
        slug = c.text("标识")
        security.check_department_slug(c, path.stem, pages)
        if slug and slug != path.stem:
            c.error(("标识",), f"标识“{slug}”与文件名“{path.stem}”不一致", f"请把文件改名为 {slug}.yml，或把标识改为 {path.stem}")
        uscc = c.checked("统一社会信用代码", codes.check_uscc, required=False)
        org = c.checked("组织机构代码", codes.check_org_code, required=False)
        if not d.get("统一社会信用代码") and not d.get("组织机构代码"):
            c.error((), "统一社会信用代码和组织机构代码至少要填一个", "索引号由它生成")
        if uscc and org and uscc[8:17] != org:
            c.error(("组织机构代码",), f"与统一社会信用代码第9至17位（{uscc[8:17]}）不一致", "请核对两个代码")
        if site and (uscc or org):
            probe = Department(slug, "", "", uscc, org, [], "", rel)
            if probe.index_code(site.index_format) is None:
                c.error(("统一社会信用代码",), f"本站索引号格式“{site.index_format.key}”需要统一社会信用代码", "请填写18位统一社会信用代码")
        cats = [str(x) for x in d.get("组配分类") or []]
        for i, cat in enumerate(cats):
            if cat not in names:
                close = difflib.get_close_matches(cat, names, n=1)
                c.error(("组配分类", i), f"“{cat}”不在组配分类词表中", f"是否想写“{close[0]}”？" if close else "请先在 data/vocab/categories.yml 中添加")
        order = [names.index(x) for x in cats if x in names]
        if order != sorted(order):
            c.error(("组配分类",), "组配分类的顺序与词表不一致", "请按 data/vocab/categories.yml 中的顺序排列")
        departments[path.stem] = Department(
            slug=path.stem, full_name=c.text("全称"), short_name=c.text("简称"), uscc=uscc, org_code=org,
            categories=cats, intro=c.text("简介"), path=rel,
        )
    if not departments:
        problems.add("data/departments", 0, "", "还没有任何发布机构", "请在 data/departments/ 下添加一个 <标识>.yml")
    return departments


_PLAN_RE = re.compile(r"^data/plans/(?P<dept>[^/]+)/(?P<year>[^/]+)/(?P<slug>[^/]+)\.yml$")


def _plan_files(root: Path) -> list[Path]:
    """Every file (or link) under data/plans/ but the hidden ones and the attachments, sorted."""
    return _scan_plans(root)[0]


def _scan_plans(root: Path) -> tuple[list[Path], set[str], set[str]]:
    """The plan files (:func:`_plan_files`), which of them are links (their paths as text), and the plans that
    have an attachment folder (``机构/年度/文件名``): the loader asks no more of the disk about either.

    A walk by ``os.scandir`` reads the kinds from the folder listing (``Path.rglob`` + ``is_file`` stats each
    one); like ``rglob`` it does not follow a link to a folder but lists the link."""
    base = root / "data" / "plans"
    if not base.is_dir():
        return [], set(), set()
    found: list[tuple[tuple[str, ...], str]] = []
    links: set[str] = set()
    with_attachments: set[str] = set()
    folders: list[tuple[str, tuple[str, ...]]] = [(str(base), ())]
    while folders:
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue  # as rglob: a folder that cannot be read is left out
        for entry in entries:
            where = (*parts, entry.name)
            if len(where) == 4 and entry.name == attachments.FOLDER and entry.is_dir():  # as Path.is_dir: follows a link
                with_attachments.add("/".join(parts))
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, where))
                continue
            link = entry.is_symlink()
            if (link or entry.is_file()) and not entry.name.startswith(".") and not _in_attachment_folder(where):
                found.append((where, entry.path))
                if link:
                    links.add(entry.path)
    found.sort()  # by path parts, as Path objects sort, without making them to compare
    return [Path(path) for _, path in found], links, with_attachments


def _in_attachment_folder(parts: tuple[str, ...]) -> bool:
    """data/plans/<机构>/<年度>/<文件名>/附件/… holds a plan's attachments (gongkai.data.attachments), not plans."""
    return len(parts) >= 5 and parts[3] == attachments.FOLDER


def _parse_one(path: Path, links: AbstractSet[str] | None = None) -> Parsed | None:
    """``path`` parsed and schema-checked; None for a link (``links``: the scan's, else asked of the disk)."""
    if (str(path) in links) if links is not None else path.is_symlink():
        return None  # read_file reports links; never follow them
    doc = load_file(path)
    return doc, not doc.errors and is_valid("plan", doc.data)


def _parse_and_render(links: AbstractSet[str], path: Path) -> tuple[Parsed, prime.Rendered | None] | None:
    """A forked worker's share of a parallel load: the file parsed, and its body rendered (gongkai.markup.prime)
    while the text is at hand. One pass instead of two: the bodies were a second map of their own, whose
    fork and ordering left a core idle (issue 18)."""
    parsed = _parse_one(path, links)
    if parsed is None:
        return None
    data = parsed[0].data
    text = data.get("正文") if isinstance(data, dict) else None
    return parsed, (prime.render(text) if isinstance(text, str) and text else None)


def parse_all(paths: list[Path], parallel: bool, reuse: dict[tuple, bytes] | None = None,
              then: Callable[[Path, Parsed], None] | None = None, links: AbstractSet[str] | None = None) -> dict[Path, Parsed]:
    """Every plan file parsed and schema-checked, and its body rendered into the memos of
    gongkai.markup.prime, on all cores when ``parallel`` (the loader's largest costs); the messages
    for files that fail are still made by :meth:`FileChecker.check_schema`.

    ``reuse`` (the preview server's, kept between its builds) holds each file's result by
    (path, mtime, size, inode), pickled: a file that did not change is not parsed again, and each
    build gets fresh objects (the checks may change ``doc.data``).

    ``then(path, parsed)`` is called with each file parsed as soon as this process has it (in no particular
    order; its body is memoised by then): the loader checks the first files while the workers parse the last.
    ``links``: which of ``paths`` are links, if known (:func:`_scan_plans`); they are never read."""
    is_valid("plan", {})  # compiles the validator here, not once in every forked worker
    if reuse is None:
        if not parallel:
            return {}
        out: dict[Path, Parsed] = {}

        def arrived(start: int, results: list) -> None:
            for path, result in zip(paths[start:start + len(results)], results):
                if result is not None:
                    parsed, rendered = result
                    if rendered is not None:
                        prime.keep(parsed[0].data["正文"], rendered)
                    out[path] = parsed
                    if then is not None:
                        then(path, parsed)

        pmap(functools.partial(_parse_and_render, links), paths, then=arrived)
        return out
    out: dict[Path, Parsed] = {}
    kept: dict[tuple, bytes] = {}
    for path in paths:
        try:
            st = path.lstat()
        except OSError:
            continue  # vanished while listing: _read reports it
        if stat.S_ISLNK(st.st_mode):
            continue
        key = (str(path), st.st_mtime_ns, st.st_size, st.st_ino)
        blob = reuse.get(key)
        if blob is None:
            parsed = _parse_one(path)
            if parsed is None:
                continue
            blob = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
        kept[key] = blob
        out[path] = pickle.loads(blob)
        if then is not None:
            then(path, out[path])
    reuse.clear()
    reuse.update(kept)
    return out


def _load_plan(path: Path, root: Path, project_bits: dict, problems: Problems,
               parsed: Parsed | None = None) -> tuple[Plan | None, FileChecker | None]:
    rel = relpath(root, path)
    m = _PLAN_RE.match(rel)
    if not m:
        hint = "请把扩展名改为 .yml" if rel.endswith(".yaml") else "计划文件应放在 data/plans/<机构标识>/<年度>/<文件名>.yml"
        problems.add(rel, 0, "", "文件位置或扩展名不对", hint)
        return None, None
    dept_slug, year_text, slug = m["dept"], m["year"], m["slug"]
    ok_path = True
    bad_slug = security.slug_problem(slug, "文件名只用小写字母、数字和连字符，例如 gongzuo-jihua.yml", "请换一个文件名，例如加上年份")
    if bad_slug:
        problems.add(rel, 0, "", *bad_slug)
        ok_path = False
    if not re.fullmatch(r"(19|20|21)[0-9][0-9]", year_text):
        problems.add(rel, 0, "", f"年度文件夹“{year_text}”不是4位年份", "请放到 data/plans/<机构>/<年份>/ 下，例如 2024")
        ok_path = False
    departments: dict[str, Department] = project_bits["departments"]
    dept = departments.get(dept_slug)
    if dept is None:
        problems.add(rel, 0, "", f"文件夹“{dept_slug}”不是已有的发布机构", "可用的机构:" + "、".join(departments) if departments else "请先添加发布机构")
        ok_path = False
    before = problems.error_count
    c = read_file("plan", path, root, problems, parsed)
    if c is None or not ok_path:
        return None, c
    d = c.doc.data
    if c.text("标识") and c.text("标识") != slug:
        c.error(("标识",), f"标识“{c.text('标识')}”与文件名“{slug}”不一致", f"请删除这一行，或把文件改名为 {c.text('标识')}.yml")
    if c.text("发布机构") and c.text("发布机构") != dept_slug:
        c.error(("发布机构",), f"“{c.text('发布机构')}”与所在文件夹“{dept_slug}”不一致", f"请把文件移到 data/plans/{c.text('发布机构')}/{year_text}/，或删除这一行")
    category = c.text("组配分类")
    if category and category not in dept.categories:
        close = difflib.get_close_matches(category, dept.categories, n=1)
        hint = f"是否想写“{close[0]}”？" if close else f"{dept.short_name}的组配分类:" + "、".join(dept.categories)
        c.error(("组配分类",), f"“{category}”不是“{dept.short_name}”的组配分类", hint)
    topic = c.text("主题分类")
    topic_names = [t.name for t in project_bits["topics"]]
    if topic and topic_names and topic not in topic_names:
        fixed = re.sub(r"\s*[/／、>>]\s*(?=[^、]*$)", "\\\\", topic) if "\\" not in topic else topic
        if fixed in topic_names:
            hint = f"一级和二级之间用反斜杠，请写成 {fixed}"
        else:
            close = difflib.get_close_matches(topic, topic_names, n=1, cutoff=0.5)
            hint = f"是否想写“{close[0]}”？" if close else "请从 data/vocab/topics.yml 中选择"
        c.error(("主题分类",), f"“{topic}”不在主题分类词表中", hint)
    validity = c.text("有效性", "有效")
    if project_bits["validity"] and validity not in [v.name for v in project_bits["validity"]]:
        c.error(("有效性",), f"“{validity}”不是可选的有效性", "可选:" + "、".join(v.name for v in project_bits["validity"]))
    doc_no = ""
    if d.get("文号") not in (None, ""):
        parsed = c.checked("文号", codes.parse_doc_number)
        doc_no = str(parsed) if parsed else ""
    created = c.checked("生成日期", codes.parse_date)
    published = c.checked("发布日期", codes.parse_date)
    if created and published and published < created:
        c.error(("发布日期",), f"发布日期 {published} 早于生成日期 {created}", "发布日期不能早于生成日期，请核对两个日期")
    pub_time = c.checked("发布时间", codes.parse_time, required=False)
    body = str(d.get("正文") or "")
    review = drafts.check(c, d, body, int(year_text), created) if security.check_body(c, body) else []
    keywords = [str(k) for k in d.get("关键词") or []]
    revisions = history.read_revisions(c, d.get("修订说明"), published)
    index_text = c.text("索引号")
    historic = d.get("历史索引号") is True
    if historic and not index_text:
        c.error(("历史索引号",), "写了“历史索引号: true”却没有索引号",
                "历史索引号只用于从旧平台迁移来的索引号；请填写原来发布的索引号，或删除这一行")
    old_paths = redirects.read(c)
    folders = project_bits.get("attachment_folders")  # from the scan (load_project); else asked of the disk
    files = attachments.check(c, root, dept_slug, year_text, slug, urls.plan_url(dept_slug, int(year_text), slug),
                              None if folders is None else f"{dept_slug}/{year_text}/{slug}" in folders)
    if problems.error_count > before or created is None or published is None:
        return None, c
    plan = Plan(
        id=f"{dept_slug}/{year_text}/{slug}", path=rel, department=dept, year=int(year_text), slug=slug,
        title=c.text("名称"), index_no=index_text, index_assigned=False, category=category, topic=topic,
        doc_no=doc_no, created=created, published=published, published_time=pub_time,
        source=c.text("来源", dept.short_name), validity=validity, keywords=keywords, summary=c.text("摘要"),
        body=body, targets=list(d.get("指标") or []), related_raw=list(d.get("相关文件") or []), line_of=c.doc.lines,  # read only, as the file was parsed
        revisions=revisions,
        historic_index=historic,
        old_paths=old_paths, attachments=files, review=review,
    )
    return plan, c


def _resolve_related(plans: list[Plan], checkers: dict[str, FileChecker], unavailable: set[str]) -> None:
    by_id = {p.id: p for p in plans}
    for plan in plans:
        c = checkers[plan.path]
        for i, entry in enumerate(plan.related_raw):
            relation = str(entry.get("关系") or "其他")
            if entry.get("文件"):
                target = by_id.get(str(entry["文件"]))
                if target is None and str(entry["文件"]) in unavailable:
                    continue  # that file has errors of its own
                if target is None:
                    close = difflib.get_close_matches(str(entry["文件"]), list(by_id), n=1)
                    c.error(("相关文件", i, "文件"), f"找不到站内文件“{entry['文件']}”",
                            f"是否想写“{close[0]}”？" if close else "格式为 机构标识/年度/文件名（不含 .yml）")
                    continue
                if target is plan:
                    c.error(("相关文件", i, "文件"), "相关文件不能指向自己", "请删除这一项")
                    continue
                plan.related.append(Related(target.title, target.url, relation, True, target.id))
            else:
                title, link = str(entry.get("名称") or ""), str(entry.get("链接") or "")
                if not title or not link:
                    c.error(("相关文件", i), "站外文件要同时填写“名称”和“链接”", "站内文件请写“文件: 机构标识/年度/文件名”")
                elif not is_web_url(link):
                    c.error(("相关文件", i, "链接"), f"“{link}”不是完整的网址", "请以 https:// 开头")
                else:
                    plan.related.append(Related(title, link, relation, False))


def load_project(root: Path | str, *, parallel: bool = False, reuse: dict[tuple, bytes] | None = None,
                 drafts: bool = False) -> tuple[Project | None, Problems]:
    """Load and check all data under ``root``. Returns (project, problems); project is None on errors.

    ``parallel`` (``gongkai build``) parses the plan files and renders their bodies on every core
    first (it forks: not in the threaded preview server); the checks and messages are the same.
    ``reuse`` is the preview server's cache of parsed files (see :func:`parse_all`). ``drafts`` (the preview)
    lets 草稿 and 待核对 plans through as warnings, marked on their pages (:mod:`gongkai.data.drafts`)."""
    root = Path(root).resolve()
    problems = Problems(drafts=drafts)
    site = _load_site(root, problems)
    categories, topics, validity = _load_vocab(root, problems)
    departments = _load_departments(root, site, categories, problems)
    aliases = _load_aliases(root, {"组配分类": [x.name for x in categories], "主题分类": [t.name for t in topics],
                                   "有效性": [v.name for v in validity], "发布机构": list(departments)}, problems)
    bits = {"departments": departments, "topics": topics, "validity": validity}
    plans: list[Plan] = []
    checkers: dict[str, FileChecker] = {}
    files, links, bits["attachment_folders"] = _scan_plans(root)
    loaded: dict[Path, tuple[Plan | None, FileChecker | None]] = {}

    def check(path: Path, parsed: Parsed) -> None:
        loaded[path] = _load_plan(path, root, bits, problems, parsed)

    with phase("读取和检查计划文件（YAML、JSON Schema、各文件的检查）"):
        parsed = parse_all(files, parallel, reuse, then=check, links=links)
    with phase("正文 Markdown → HTML"):  # the bodies the parse did not render (none in a parallel load)
        prime.prime((d.data.get("正文") for d, _ in parsed.values() if isinstance(d.data, dict)), parallel=parallel)
    for path in files:
        plan, checker = loaded.pop(path, None) or _load_plan(path, root, bits, problems, parsed.get(path))
        if plan is not None and checker is not None:
            plans.append(plan)
            checkers[plan.path] = checker
        elif (m := _PLAN_RE.match(relpath(root, path))):
            problems.unavailable.add(f"{m['dept']}/{m['year']}/{m['slug']}")
    prime.keep_only(p.body for p in plans)  # a long preview session keeps only today's bodies
    if site is not None:
        index_numbers.assign(site, plans, checkers, problems)
    _resolve_related(plans, checkers, problems.unavailable)
    withdrawal.check(plans, checkers, bits["validity"], problems)
    targets.check(root, plans, checkers, problems)  # 指标 and 目标完成情况 (gongkai/targets.py)
    reports = nianbao.load(root, departments, plans, problems)  # 年报 (gongkai/data/nianbao.py)
    if problems or site is None:
        return None, problems
    plans.sort(key=lambda p: p.sort_key, reverse=True)
    sources = {p.path: checkers[p.path].doc.digest for p in plans if checkers[p.path].doc.digest}
    project = Project(root, site, categories, topics, validity, departments, plans, aliases=aliases, reports=reports,
                      sources=sources)
    planned = security.planned_urls(project)  # every generated page's URL, for both checks
    security.check_outputs(project, problems, planned)
    redirects.check(project.plans, security.output_names(project, planned), urls.base_path(site.base_url), problems)
    return (None if problems else project), problems


# What an edit may change for :func:`reload_plan` to check it alone: every other field takes part in a
# check across files (索引号 numbering and duplicates, the order of the lists, 相关文件, 替代文件, 原网址,
# 附件), and an edit to it loads the whole project again. 目标完成情况 is checked again against every plan
# (targets.close_again); a plan whose targets a 工作总结 closes is not checked alone.
_ACROSS_FILES = ("index_no", "index_assigned", "historic_index", "published", "published_time", "created",
                 "validity", "related_raw", "old_paths", "attachments")
_WITHDRAWAL_FIELDS = ("失效日期", "替代文件", "失效说明", "目标完成情况")


def _same_withdrawal(data: dict, old: Plan) -> bool:
    """Whether a withdrawn plan's 失效日期, 替代文件 and 失效说明 in ``data`` are those ``old`` was loaded with."""
    date_text = str(data.get("失效日期") or "").strip()
    target = str(data.get("替代文件") or "").strip()
    if str(data.get("失效说明") or "").strip() != old.validity_note:
        return False
    if date_text:
        try:
            if codes.parse_date(date_text) != old.withdrawn_on:
                return False
        except codes.CodeError:
            return False
    elif old.withdrawn_on is not None:
        return False
    r = old.replaced_by
    if not target:
        return r is None
    return r is not None and (r.plan_id == target if r.internal else r.href == target)


def reload_plan(project: Project, path: Path, closed: dict[str, list] | None = None
                ) -> tuple[Project | None, Plan | None, list[Plan], Problems]:
    """The preview's fast path: one edited plan file read and checked again against a loaded ``project``.

    Returns ``(project, plan, touched, problems)``: the project with the new plan in the old one's place,
    the new plan, and the other plans whose pages show something of it (相关文件 links carrying its title,
    updated in place; for a 工作总结, the plans whose targets' final results it changed, their closings set in
    place: :func:`gongkai.data.targets.close_again`; ``closed``: ``targets.closings(project.plans)`` if the caller
    keeps it). A plan whose targets a 工作总结 closes is not checked alone. Returns ``(None, None, [], problems)`` when the file has a problem, or when the edit
    changes something checked across files (see ``_ACROSS_FILES``): the caller then loads the whole
    project with :func:`load_project`, which reports every problem."""
    root = project.root
    problems = Problems()
    path = Path(path).resolve()
    rel = relpath(root, path)
    old = next((p for p in project.plans if p.path == rel), None)
    if old is None or any(t.closing is not None for t in old.targets if hasattr(t, "closing")):
        return None, None, [], problems
    bits = {"departments": project.departments, "topics": project.topics, "validity": project.validity}
    plan, c = _load_plan(path, root, bits, problems)
    if plan is None or c is None or problems:
        return None, None, [], problems
    checkers = {plan.path: c}
    index_numbers.assign(project.site, [plan], checkers, problems)
    withdrawn = any(c.doc.data.get(f) for f in _WITHDRAWAL_FIELDS) or plan.validity != "有效"
    if not withdrawn:
        withdrawal.check([plan], checkers, project.validity, problems)
    targets.check(root, [plan], checkers, problems, close=False)  # its 目标完成情况 below, against every plan
    if problems or any(getattr(plan, f) != getattr(old, f) for f in _ACROSS_FILES):
        return None, None, [], problems
    if withdrawn:  # a 失效/废止/修订 plan: only when its 失效日期, 替代文件 and 失效说明 are as loaded (替代文件 names another file)
        if not _same_withdrawal(c.doc.data, old):
            return None, None, [], problems
        plan.withdrawn_on, plan.replaced_by, plan.validity_note = old.withdrawn_on, old.replaced_by, old.validity_note
    plan.related = list(old.related)  # 相关文件 unchanged: the same links to the same (unchanged) plans
    touched = []
    if plan.title != old.title:
        for other in project.plans:
            hits = [i for i, r in enumerate(other.related) if r.internal and r.plan_id == plan.id]
            for i in hits:
                r = other.related[i]
                other.related[i] = Related(plan.title, r.href, r.relation, True, plan.id)
            r = other.replaced_by  # 替代文件 names it: the other page's 失效 notice shows its title
            if r is not None and r.internal and r.plan_id == plan.id:
                other.replaced_by = Related(plan.title, r.href, r.relation, True, plan.id)
                hits.append(-1)
            if hits:
                touched.append(other)
    plans = [plan if p is old else p for p in project.plans]
    new = dataclasses.replace(project, plans=plans)  # every other part (年报, aliases, …) as it was
    before = (targets.closings(project.plans) if closed is None else closed).get(old.path, [])
    if before or c.doc.data.get("目标完成情况"):
        reclosed = targets.close_again(root, plan, c, plans, before, problems)
        if reclosed is None:
            return None, None, [], problems
        touched += [p for p in reclosed if all(p is not t for t in touched)]
    return new, plan, touched, problems
