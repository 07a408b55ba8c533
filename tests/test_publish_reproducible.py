"""Reproducible builds: the same commit gives byte-identical sites in other folders, time zones and environments."""
from __future__ import annotations

import gzip
import re
import struct
from calendar import timegm
from datetime import date, datetime, timezone

import pytest

from conftest_publish import PLAN_FILE, build, copy_project, git_commit, html_pages, tree
from gongkai.publish import release

COMMIT_DATE = "2024-03-05T10:00:00+08:00"  # 02:00 UTC on 5 March


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The same commit checked out in two differently named folders, built under different settings."""
    base = tmp_path_factory.mktemp("repro")
    one = copy_project(base / "first" / "kj")
    two = copy_project(base / "second-checkout" / "other-name")
    epochs = {git_commit(one, COMMIT_DATE), git_commit(two, COMMIT_DATE)}
    build(one, base / "out1" / "site", TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONHASHSEED="1")
    build(two, base / "out2" / "site", TZ="Asia/Shanghai", LANG="zh_CN.UTF-8", PYTHONHASHSEED="2",
          HOME=str(base), TMPDIR=str(base))
    return base, epochs.pop(), base / "out1" / "site", base / "out2" / "site"


def test_same_commit_gives_byte_identical_sites(two_builds):
    base, _, one, two = two_builds
    a, b = tree(one), tree(two)
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == []
    assert len(a) > 60 and "sitemap.xml.gz" in a and "robots.txt" in a


def test_no_build_time_or_folder_leaks_into_the_site(two_builds):
    base, epoch, one, _ = two_builds
    sitemap = (one / "sitemap.xml").read_text(encoding="utf-8")
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    # <lastmod> comes from the data (each page's 发布日期), never from the build's clock.
    published = set(re.findall(r"^发布日期: (\d{4}-\d{2}-\d{2})", "\n".join(
        p.read_text(encoding="utf-8") for p in (base / "first" / "kj" / "data" / "plans").rglob("*.yml")), re.M))
    assert lastmods and lastmods <= published, lastmods - published
    raw = (one / "sitemap.xml.gz").read_bytes()
    (mtime,) = struct.unpack("<I", raw[4:8])  # gzip header: MTIME
    assert mtime in (0, timegm((2024, 3, 5, 0, 0, 0))) and datetime.fromtimestamp(epoch, timezone.utc).date() == date(2024, 3, 5)
    assert gzip.decompress(raw).decode("utf-8") == sitemap
    for name, data in tree(one).items():
        text = data.decode("utf-8", errors="ignore")
        assert str(base) not in text and "/tmp/" not in text and "/home/" not in text, name


def test_every_page_names_the_same_release(two_builds):
    _, _, one, two = two_builds
    ids = {release.page_release((one / page).read_text(encoding="utf-8")) for page in html_pages(one)}
    assert len(ids) == 1 and re.fullmatch(r"[0-9a-f]{12}", ids.pop() or "")
    assert release.page_release((one / "index.html").read_text(encoding="utf-8")) == \
        release.page_release((two / "index.html").read_text(encoding="utf-8"))


def test_release_id_follows_the_inputs(tmp_path):
    project = copy_project(tmp_path / "kj")
    first = release.release_id(project)
    assert release.release_id(project) == first
    plan = project / PLAN_FILE
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# 注释\n", encoding="utf-8")
    second = release.release_id(project)
    assert second != first
    (project / "templates" / "assets" / "gongkai" / "gongkai.css").write_text("/* 新样式 */\n", encoding="utf-8")
    assert release.release_id(project) not in (first, second)


def test_release_id_takes_the_loader_s_digests_of_the_plan_files(tmp_path):
    """The build hashes no plan file twice: the loader's digests give the id reading every file gives."""
    from gongkai.data.loader import load_project

    project = copy_project(tmp_path / "kj")
    loaded, _ = load_project(project)
    assert loaded is not None and PLAN_FILE in loaded.sources and len(loaded.sources) == len(loaded.plans)
    assert release.release_id(project, loaded.sources) == release.release_id(project)
    plan = project / PLAN_FILE
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# 读取之后改的\n", encoding="utf-8")
    assert release.release_id(project, loaded.sources) != release.release_id(project)  # the id names the data as read


def test_build_date_comes_from_git_then_data(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "kj")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)

    class P:  # the newest 发布日期 in the data decides outside git
        plans = [type("Plan", (), {"published": date(2024, 3, 1)})(), type("Plan", (), {"published": date(2021, 1, 4)})()]

    assert release.git_commit_epoch(project) is None
    assert release.source_date_epoch(project, P()) == timegm((2024, 3, 1, 0, 0, 0))
    epoch = git_commit(project, "2023-12-31T23:30:00+00:00")
    assert release.source_date_epoch(project, P()) == epoch == timegm((2023, 12, 31, 23, 30, 0))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert release.source_date_epoch(project, P()) == 1700000000


def test_build_leaves_the_environment_as_it_was(tmp_path, monkeypatch):
    """`gongkai build` in a long-lived process sets SOURCE_DATE_EPOCH only for the build."""
    from gongkai.engine.build import build_site

    project = copy_project(tmp_path / "kj")
    git_commit(project, COMMIT_DATE)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_site(project, tmp_path / "site", quiet=True) == 0
    import os
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert (tmp_path / "site" / "sitemap.xml").is_file() and (tmp_path / "site" / "robots.txt").is_file()


def test_fingerprinted_assets_are_named_after_their_content(two_builds):
    _, _, one, _ = two_builds
    pages = html_pages(one)
    referenced = set()
    for page in pages:
        html = (one / page).read_text(encoding="utf-8")
        referenced.update(re.findall(r'(?:href|src)="(?:\.\./|\./|/)*(assets/gongkai/[^"]+\.(?:css|js))"', html))
    assert referenced, "pages should load the Gongkai stylesheet and scripts"
    for uri in referenced:
        assert release.FINGERPRINTED.search(uri), f"{uri} is loaded without a content fingerprint"
        data = (one / uri).read_bytes()
        stem = re.sub(r"\.[0-9a-f]{8}(\.(?:min\.)?(?:css|js))$", r"\1", uri)
        assert release.fingerprinted_name(stem, data) == uri
        assert (one / stem).read_bytes() == data  # the original name stays, for links written by hand
