"""The built sample site carries what a migrated department needs: 附件 copied to stable URLs and listed on
the plan page and in open data, their DOCX and PDF text found by site search, and the redirect map of
原网址 (nginx map, redirects.json, a redirect page at the old path). nginx answering 301 is tested in
tests/test_publish_nginx.py."""
from __future__ import annotations

import json
from posixpath import join, normpath
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup

from conftest_targets import REPO
from gongkai.pages import search

PLAN = "xxgk/gdkjj/2024/gongzuo-jihua/"
OLD = "art/2024/3/1/art_5711_1234567.html"
SRC = REPO / "data/plans/gdkjj/2024/gongzuo-jihua/附件"


@pytest.fixture(scope="module")
def site(sample_site):
    return sample_site


def test_plan_page_lists_the_attachments_with_type_and_size(site):
    soup = BeautifulSoup((site / PLAN / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select(".gk-attachments li")
    assert [li.get_text() for li in items] == ["附件1：2024年工作计划（印发稿）（PDF，2 KB）",
                                              "附件2：2024年重点任务分解表（DOCX，36 KB）"]
    for li, name in zip(items, ["2024年工作计划（印发稿）.pdf", "重点任务分解表.docx"]):
        href = li.a["href"]
        assert unquote(href) == f"fj/{name}" and "%" in href  # percent-encoded Chinese, relative to the page
        assert (site / PLAN / unquote(href)).read_bytes() == (SRC / name).read_bytes()
    assert soup.select_one(".gk-attachments").find_next_sibling("section")["class"] == ["gk-related"]


def test_open_data_lists_the_attachments_and_old_urls(site):
    record = json.loads((site / "sjkf/plans/gdkjj/2024/gongzuo-jihua.json").read_text(encoding="utf-8"))
    assert [(a["名称"], a["类型"], a["大小"]) for a in record["附件"]] == [
        ("2024年工作计划（印发稿）", "PDF", (SRC / "2024年工作计划（印发稿）.pdf").stat().st_size),
        ("2024年重点任务分解表", "DOCX", (SRC / "重点任务分解表.docx").stat().st_size)]
    assert unquote(record["附件"][1]["网址"]) == f"https://kj.example.gov.cn/{PLAN}fj/重点任务分解表.docx"
    assert record["原网址"] == ["/" + OLD]
    other = json.loads((site / "sjkf/plans/skjj/2024/gongzuo-jihua-ba-xiang.json").read_text(encoding="utf-8"))
    assert other["附件"] == [] and other["原网址"] == []


@pytest.mark.parametrize("query", ["对照分工", "牵头单位", "科技创新平台建设"])
def test_search_finds_words_that_are_only_in_the_attachments(site, query):
    assert query not in (REPO / "data/plans/gdkjj/2024/gongzuo-jihua.yml").read_text(encoding="utf-8")
    assert PLAN in search.search(site, query)


def test_redirect_map_json_and_page(site):
    lines = [line for line in (site / "redirects.map").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines == [f'"/{OLD}" "/{PLAN}";']
    data = json.loads((site / "redirects.json").read_text(encoding="utf-8"))
    assert data == {"redirects": [{"from": "/" + OLD, "to": "/" + PLAN, "status": 301}]}
    soup = BeautifulSoup((site / OLD).read_text(encoding="utf-8"), "html.parser")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("link", rel="canonical")["href"] == f"https://kj.example.gov.cn/{PLAN}"
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    href = soup.a["href"]
    assert refresh == f"0; url={href}" and href == "../../../../" + PLAN
    assert normpath(join("/art/2024/3/1/", href)) + "/" == "/" + PLAN  # relative to the old path's folder
    assert "广德市科技局2024年工作计划" in soup.a.get_text()
