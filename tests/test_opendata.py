"""Open data of the built sample site: CSV with BOM, JSON valid against the published schemas,
Atom feed and sitemap well-formed, the indicator chart's SVG, and byte-for-byte determinism."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import subprocess
import sys
from xml.etree import ElementTree as ET

import pytest
from jsonschema import Draft202012Validator

from conftest_targets import REPO
from gongkai.pages import opendata
from gongkai.data.loader import load_project
from gongkai.data.targets import Target, all_targets
from gongkai.data.urls import plan_json_url

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def site(sample_site):
    return sample_site


@pytest.fixture(scope="module")
def project():
    project, problems = load_project(REPO)
    assert project is not None, problems.report()
    return project


def test_sample_data_has_enough_targets_with_progress_and_a_closed_one(project):
    targets = all_targets(project.plans)
    assert len(targets) >= 15
    assert sum(1 for t in targets if t.progress) >= 5
    closed = [t for t in targets if t.final]
    assert closed and all(t.closing.summary.slug == "keji-gongzuo-zongjie" for t in closed)
    assert {t.status for t in targets} == {"已完成", "进行中", "未完成", "无数据"}


def test_csv_has_bom_header_and_one_row_per_target(site, project):
    raw = (site / "sjkf/targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel in China reads UTF-8 only with the BOM
    assert b"\r\n" in raw and raw.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [name for name, _ in opendata.CSV_COLUMNS]
    assert rows[0][:3] == ["计划", "计划名称", "发布机构"]
    assert len(rows) - 1 == len(all_targets(project.plans))
    record = dict(zip(rows[0], next(r for r in rows if r[4] == "yanfa-zengzhang" and r[0].startswith("skjj/2021"))))
    assert (record["类型"], record["目标值"], record["单位"], record["基数"], record["目标水平"], record["指标单位"]) == \
        ("增长", "20", "%", "15.2", "18.24", "亿元")
    assert (record["最新值"], record["最终结果"], record["完成率"], record["状态"]) == ("18.5", "是", "108.6", "已完成")
    assert record["网址"] == "https://kj.example.gov.cn/xxgk/skjj/2021/keji-gongzuo-yaodian/#gk-target-yanfa-zengzhang"


def _schema(site, name):
    schema = json.loads((site / f"sjkf/schema/{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_every_plan_json_follows_the_published_schema(site, project):
    validator = _schema(site, "plan")
    files = sorted((site / "sjkf/plans").rglob("*.json"))
    assert len(files) == len(project.plans)
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, f"{path}: {errors}"
    data = json.loads((site / "sjkf/plans/gdkjj/2024/gongzuo-jihua.json").read_text(encoding="utf-8"))
    assert data["索引号"] == "1134172300325409XR/202403-00002" and data["发布时间"] == "15:00"
    gaoqi = next(t for t in data["指标"] if t["编号"] == "gaoqi")
    assert (gaoqi["目标值"], gaoqi["最新值"], gaoqi["最新日期"], gaoqi["状态"]) == (200, 191, "2024-09-30", "进行中")
    assert gaoqi["出处"] == {"序号": "（一）", "网址": "https://kj.example.gov.cn/xxgk/gdkjj/2024/gongzuo-jihua/#gk-p1"}
    summary = json.loads((site / "sjkf/plans/skjj/2021/keji-gongzuo-zongjie.json").read_text(encoding="utf-8"))
    assert len(summary["目标完成情况"]) == 10 and summary["指标"] == []


def test_topic_in_open_data_keeps_the_vocabulary_form_and_adds_the_page_form(site, project):
    """主题分类 stays the vocabulary value (科技、教育\\科技: existing consumers keep working); 主题分类显示 is
    exactly what the plan's page shows in its metadata block."""
    second_level = 0
    for plan in project.plans:
        data = json.loads((site / plan_json_url(plan)).read_text(encoding="utf-8"))
        assert data["主题分类"] == plan.topic
        page = (site / plan.url / "index.html").read_text(encoding="utf-8")
        shown = re.search(r'<dd data-gk-field="topic">([^<]*)</dd>', page).group(1)
        assert data["主题分类显示"] == shown and "\\" not in shown
        if "\\" in plan.topic:
            second_level += 1
            assert data["主题分类显示"] == plan.topic.replace("\\", " › ")
    assert second_level, "示例数据中应有二级主题分类"


def test_targets_json_and_plans_list_follow_their_schemas(site, project):
    targets = json.loads((site / "sjkf/targets.json").read_text(encoding="utf-8"))
    assert not list(_schema(site, "targets").iter_errors(targets))
    assert len(targets["目标"]) == len(all_targets(project.plans))
    plans = json.loads((site / "sjkf/plans.json").read_text(encoding="utf-8"))
    assert not list(_schema(site, "plans").iter_errors(plans))
    assert [p["标识"] for p in plans["条目"]] == [p.id for p in project.plans]
    for entry in plans["条目"]:  # every listed data URL exists in the site
        rel = entry["数据"].removeprefix(project.site.base_url)
        assert (site / rel).is_file(), rel


def test_schema_rejects_a_broken_record(site):
    data = json.loads((site / "sjkf/plans/gdkjj/2024/gongzuo-jihua.json").read_text(encoding="utf-8"))
    data["指标"][0]["状态"] = "差不多"
    del data["发布日期"]
    messages = [e.message for e in _schema(site, "plan").iter_errors(data)]
    assert any("差不多" in m for m in messages) and any("发布日期" in m for m in messages)


def test_atom_feed_is_well_formed_and_dated_from_the_data(site, project):
    root = ET.fromstring((site / "sjkf/atom.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == min(len(project.plans), opendata.FEED_SIZE)
    newest = project.plans[0]
    assert root.findtext(f"{ATOM}updated") == f"{newest.published.isoformat()}T{newest.published_time.strftime('%H:%M')}:00+08:00"
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        for tag in ("id", "title", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{tag}"), tag
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+08:00", entry.findtext(f"{ATOM}updated"))
        link = entry.find(f"{ATOM}link[@type='text/html']").get("href")
        assert link.startswith(project.site.base_url)
        assert (site / link.removeprefix(project.site.base_url) / "index.html").is_file()


def test_sitemap_lists_every_page_with_dates_from_the_data(site, project):
    raw = (site / "sitemap.xml").read_bytes()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == raw
    root = ET.fromstring(raw)
    urls = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")}
    base = project.site.base_url
    pages = {str(p.parent.relative_to(site)).replace(".", "") for p in site.rglob("index.html")}
    assert {u.removeprefix(base).rstrip("/") for u in urls} == {p for p in pages}
    for plan in project.plans:
        assert urls[base + plan.url] == plan.published.isoformat()
    assert urls[base + "mbrw/"] is None and urls[base + "sjkf/"] is None  # no build date anywhere


def test_open_data_is_deterministic(project):
    urls = ["", "xxgk/", "mbrw/", "./"]
    first = opendata.open_data_files(project, urls)
    second = opendata.open_data_files(project, list(reversed(urls)))
    assert first == second
    assert b"2026" not in first["sitemap.xml"]  # no build timestamps (the data is from 2021-2024)


def test_indicator_chart_svg(site):
    html = (site / "mbrw/zb/gaoqi-xinrending/index.html").read_text(encoding="utf-8")
    svg_text = re.search(r"<svg class=\"gk-chart\".*?</svg>", html, re.S).group(0)
    svg = ET.fromstring(svg_text)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "gk-chart-gaoqi-xinrending-title gk-chart-gaoqi-xinrending-desc"
    assert svg.findtext(f"{ns}title") == "新认定高新技术企业数量：历年目标与实际"
    desc = svg.findtext(f"{ns}desc")
    assert "2021年 示例市科技局：目标25家，实际31家（最终）" in desc and "2024年 示例市科技局：目标40家，实际22家（截至2024-09-30）" in desc
    labels = [t.text for t in svg.iter(f"{ns}text")]
    for expected in ("目标", "实际", "单位：家", "2021年", "2024年", "目标 25", "实际 31", "目标 40", "实际 22", "0", "40"):
        assert expected in labels
    bars = {r.get("class"): [] for r in svg.iter(f"{ns}rect")}
    for r in svg.iter(f"{ns}rect"):
        bars[r.get("class")].append(float(r.get("width")))
    # bar lengths are proportional to the values (axis 0-40 over 250 units); legend swatches are 28 wide
    assert bars["gk-chart__target"][1:] == pytest.approx([25 / 40 * 250, 250], abs=0.1)
    assert bars["gk-chart__actual"][1:] == pytest.approx([31 / 40 * 250, 22 / 40 * 250], abs=0.1)
    assert "<script" not in svg_text and "font-face" not in svg_text and "href=\"http" not in svg_text
    # the same numbers are in the table beside it
    table = html[html.index('<table class="gk-targets__table gk-indicator-table">'):]
    for number in (">25<", ">31 <", ">40<", ">22 <", "124.0%", "55.0%"):
        assert number in table


def test_open_data_page_lists_every_file(site):
    html = (site / "sjkf/index.html").read_text(encoding="utf-8")
    for path in ("sjkf/targets.csv", "sjkf/targets.json", "sjkf/plans.json", "sjkf/atom.xml", "sitemap.xml",
                 "sjkf/schema/plan.schema.json", "sjkf/schema/targets.schema.json"):
        assert f"<code>{path}</code>" in html, path
        assert (site / path).is_file(), path
    hrefs = re.findall(r'href="([^"#]+)"', html)
    for href in hrefs:
        if href.startswith(("http", "mailto", "?")) or "assets/" in href:
            continue
        target = (site / "sjkf" / href).resolve()
        assert target.is_file() or (target / "index.html").is_file(), href


@pytest.mark.parametrize("jobs,message", [
    ("2", "数据开放文件生成失败，网站没有生成：磁盘已满(测试)"),  # while the search index writer works beside
    ("1", "数据开放文件生成失败，网站没有生成：磁盘已满(测试)"),  # one core: after MkDocs' page loop
])
def test_failing_open_data_writer_fails_the_build_in_chinese_and_keeps_the_old_site(tmp_path, jobs, message):
    """gongkai build writes the open data after MkDocs' page loop (beside the search index writer on two cores);
    a failure must stop the build."""
    from conftest import assert_failed_keeping_the_old_site, build_with_patch

    proc, site = build_with_patch(tmp_path, f"""
        import os
        os.environ["GONGKAI_JOBS"] = "{jobs}"
        from gongkai.pages import opendata
        def broken(*args, **options):
            raise OSError("磁盘已满(测试)")
        opendata.write_open_data = broken
    """)
    assert_failed_keeping_the_old_site(proc, site, message)


def test_targets_files_joined_from_the_previews_kept_pieces_are_the_same_bytes(project):
    """The preview writes targets.json/.csv from RecordCache's per-plan JSON texts and CSV lines; a plan replaced
    by a new object with other targets (the fast path's edited plan) is encoded again, and a plan gone is dropped."""
    import dataclasses

    assert any(all_targets(project.plans)), "the sample has targets"
    cache = opendata.RecordCache()
    for _ in range(2):  # made, then joined from what was kept
        assert cache.files(project) == (opendata.targets_json(project), opendata.targets_csv(project))
    json.loads(cache.files(project)[0])
    plan = next(p for p in project.plans if any(isinstance(t, Target) for t in p.targets))
    first = next(t for t in plan.targets if isinstance(t, Target))
    edited = dataclasses.replace(plan, title=plan.title + "（修订）")  # the fast path's new plan, new targets
    edited.targets = [dataclasses.replace(t, plan=edited, **({"value": 12345} if t is first else {}))
                      if isinstance(t, Target) else t for t in plan.targets]
    changed = dataclasses.replace(project, plans=[edited if p is plan else p for p in project.plans])
    files = cache.files(changed)
    assert files == (opendata.targets_json(changed), opendata.targets_csv(changed))
    assert cache.files(changed, with_json=False) == (None, files[1])
    # swapped into the last call's pieces (no closing changed): the same bytes, and again after a move in the order
    assert cache.files(project, same_closings=True) == (opendata.targets_json(project), opendata.targets_csv(project))
    assert cache.files(changed, same_closings=True) == files
    later = dataclasses.replace(edited, published=edited.published.replace(year=edited.published.year + 1))
    later.targets = [dataclasses.replace(t, plan=later) if isinstance(t, Target) else t for t in edited.targets]
    moved = dataclasses.replace(project, plans=[later if p is plan else p for p in project.plans])
    assert cache.files(moved, same_closings=True) == (opendata.targets_json(moved), opendata.targets_csv(moved))
    assert "（修订）" in files[1].decode("utf-8") and ",12345," in files[1].decode("utf-8")
    fewer = dataclasses.replace(project, plans=[p for p in project.plans if p is not plan])
    assert cache.files(fewer) == (opendata.targets_json(fewer), opendata.targets_csv(fewer))
    assert plan.id not in {k for k in cache._by}


def test_plans_json_joined_from_the_previews_kept_entries_is_the_same_bytes(project):
    """The preview writes plans.json from EntryCache's per-plan texts; a plan changed in place, or replaced by
    a new object (the fast path's edited plan), is encoded again; with ``replaced_only``, a replaced one is."""
    import dataclasses

    plans, title = list(project.plans), project.plans[1].title
    try:
        cache = opendata.EntryCache()
        for _ in range(2):  # made, then joined from what was kept
            assert opendata.plans_json(project, cache) == opendata.plans_json(project)
        first = project.plans[0]
        project.plans[0] = dataclasses.replace(first, title=first.title + "（改）")  # a new object, as after an edit
        assert "（改）" in json.loads(opendata.plans_json(project, cache))["条目"][0]["名称"]
        assert opendata.plans_json(project, cache) == opendata.plans_json(project)
        project.plans[1].title += "（原地改）"  # the same object changed: not the kept text
        assert opendata.plans_json(project, cache) == opendata.plans_json(project)
        assert "（原地改）" in opendata.plans_json(project, cache).decode("utf-8")
        for n in (2, 2, 3):  # replaced, then replaced again, then another one
            project.plans[n] = dataclasses.replace(project.plans[n], title=project.plans[n].title + "（换）")
            assert opendata.plans_json(project, cache, replaced_only=True) == opendata.plans_json(project)
        assert opendata.plans_json(project, cache, replaced_only=True).decode("utf-8").count("（换）") == 3
    finally:  # the module's project as it was
        project.plans[:] = plans
        project.plans[1].title = title


def test_the_open_data_paths_are_the_files_the_open_data_writer_writes(tmp_path, project):
    """The build checks hand-written files against _open_data_paths (the writer beside MkDocs writes these while
    MkDocs copies content/): the list must be every file it writes, attachments, 年报 tables and redirects too."""
    from gongkai.engine.adapter import _open_data_paths, _write_open_data

    _write_open_data(project, tmp_path)
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == _open_data_paths(project)
    assert any(p.startswith("sjkf/plans/") for p in written) and "redirects.map" in written
    assert any(a.url in written for plan in project.plans for a in plan.attachments)
    assert any(p.endswith(".html") for p in written)  # a redirect page at an old path
    assert any(r.department.slug in p and p.endswith(".csv") for r in project.reports for p in written)


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_hand_written_file_where_open_data_goes_stops_the_build_in_chinese(tmp_path, jobs):
    from conftest import copy_project

    root = copy_project(tmp_path / "proj")
    (root / "content/sjkf").mkdir(parents=True)
    (root / "content/sjkf/plans.json").write_text("{}", encoding="utf-8")
    site = tmp_path / "site"
    code = "import sys; from gongkai.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", code, "--root", str(root), "build", "--site-dir", str(site)],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "GONGKAI_JOBS": jobs})
    assert proc.returncode == 1, proc.stderr
    assert "content/sjkf/plans.json: 与自动生成的数据开放文件 sjkf/plans.json 重名 — 请给这个文件换一个名字或位置" in proc.stderr
    assert "Traceback" not in proc.stderr and not site.exists()


def test_a_rename_leaves_targets_json_as_it_was_and_changes_the_csv(project):
    """The preview skips targets.json after a rename (gongkai.pages.incremental.update): it names plans by id."""
    import dataclasses

    plan = next(p for p in project.plans if any(isinstance(t, Target) for t in p.targets))
    renamed = dataclasses.replace(plan, title=plan.title + "（修订）")
    renamed.targets = [dataclasses.replace(t, plan=renamed) if isinstance(t, Target) else t for t in plan.targets]
    after = dataclasses.replace(project, plans=[renamed if p is plan else p for p in project.plans])
    assert opendata.targets_json(after) == opendata.targets_json(project)
    assert opendata.targets_csv(after) != opendata.targets_csv(project)
