"""The search index is part of the build: written into the site, covering plans and hand-written
pages (not catalogues, not the search page), and a failing indexer stops the build in Chinese."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest_search import *  # noqa: F401,F403
from conftest import assert_failed_keeping_the_old_site, build_with_patch
from conftest_search import ROOT
from gongkai.pages import search


def _index_urls(site: Path) -> set[str]:
    out = site / search.BUNDLE_DIR
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    return {json.loads((out / "d" / f"{n}.json").read_text(encoding="utf-8"))["u"] for n in range(meta["docs"])}


def test_index_covers_plans_and_handwritten_pages(sample_site):
    urls = _index_urls(sample_site)
    plans = {str(p.parent.relative_to(ROOT / "data" / "plans")) + "/" + p.stem for p in (ROOT / "data" / "plans").glob("*/*/*.yml")}
    assert {f"xxgk/{p}/" for p in plans} <= urls
    assert {"", "lxwm/", "wza/", "xxgk/zhinan/"} <= urls
    assert "search/" not in urls  # the search page itself
    assert not any(u.startswith(("xxgk/fl/", "xxgk/nd/", "wzdt/")) or u in ("xxgk/", "xxgk/gdkjj/") for u in urls)


def test_every_page_has_the_box_but_loads_no_search_script(sample_site):
    for page in ["index.html", "xxgk/index.html", "xxgk/gdkjj/2024/gongzuo-jihua/index.html", "wzdt/index.html"]:
        html = (sample_site / page).read_text(encoding="utf-8")
        assert html.count('id="search-results"') == 1, page
        assert re.search(r'<input[^>]*type="search"[^>]*id="gk-search-input"', html), page
        assert '<label class="gk-searchbar__label" for="gk-search-input">' in html
        assert "search.js" not in re.sub(r'data-gk-search-src="[^"]*"', "", html), page  # only as data, never a <script>
        assert "search-index" not in html
    plan = (sample_site / "xxgk/gdkjj/2024/gongzuo-jihua/index.html").read_text(encoding="utf-8")
    assert 'data-gk-search-root="../../../../"' in plan and 'action="../../../../search/"' in plan


def test_search_page(sample_site):
    html = (sample_site / "search" / "index.html").read_text(encoding="utf-8")
    assert html.count('id="search-results"') == 1 and html.count('id="gk-search-input"') == 1
    assert "gk-searchbar" not in html  # no second box in the header
    for name, label in search.FILTERS:
        assert f'<label for="gk-filter-{name}">{label}</label>' in html
    assert "data-gk-search-page" in html


def test_no_inline_scripts_or_outside_requests():
    """Our templates add no <script> at all (the loader lives in gongkai.js); the code names no other site."""
    for name in ["partials/gk-search-box.html", "partials/gk-search-page.html", "gk-search.html"]:
        assert "<script" not in (ROOT / "templates" / name).read_text(encoding="utf-8"), name
    js = (ROOT / "templates/assets/gongkai/search.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://", js)
    assert "innerHTML" not in js and "eval(" not in js


@pytest.mark.parametrize("jobs,message", [
    ("2", "站内搜索索引生成失败：磁盘已满(测试)"),  # written by a forked process beside MkDocs' page loop
    ("1", "站内搜索索引生成失败，网站没有生成：磁盘已满(测试)"),  # one core: written after the pages
])
def test_failing_index_fails_the_build_in_chinese_and_keeps_the_old_site(tmp_path, sample_site, jobs, message):
    proc, site = build_with_patch(tmp_path, f"""
        import os
        os.environ["GONGKAI_JOBS"] = "{jobs}"
        from gongkai.pages import search
        def broken(site_dir, docs, **options):
            raise search.SearchIndexError("磁盘已满(测试)")
        search.write_index = broken
    """)
    assert_failed_keeping_the_old_site(proc, site, message)
