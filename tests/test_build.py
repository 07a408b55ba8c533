"""A strict MkDocs build of the sample project, and what the generated pages say."""
from __future__ import annotations

import posixpath
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import gongkai_cmd
from gongkai.engine.build import build_site

PLAN = "xxgk/gdkjj/2024/gongzuo-jihua/index.html"


@pytest.fixture(scope="module")
def built_project(sample_project) -> Path:
    """The sample project, built once for the whole run (conftest.py)."""
    return sample_project


@pytest.fixture(scope="module")
def site(built_project) -> Path:
    return built_project / "site"


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> list[str]:
    from conftest_publish import html_pages as pages  # without the redirect pages of 原网址

    return pages(site)


def resolve(page: str, href: str) -> str:
    """The file a relative link on ``page`` points at, inside the site."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), urlsplit(href).path))
    if target == ".":
        return "index.html"
    return target + "/index.html" if href.endswith("/") or not posixpath.splitext(target)[1] else target


def test_plan_page_reproduces_the_reference_metadata(site):
    page = soup(site, PLAN)
    labels = [dt.get_text() for dt in page.select(".gk-meta dt")]
    assert labels == ["索引号", "组配分类", "发布机构", "主题分类", "名称", "文号", "生成日期", "发布日期"]
    values = {dd["data-gk-field"]: dd.get_text() for dd in page.select(".gk-meta dd")}
    assert values == {
        "index_no": "1134172300325409XR/202403-00002", "category": "规划计划", "department": "市科技局",
        "topic": "其他", "title": "广德市科技局2024年工作计划", "doc_no": "",
        "created": "2024-03-01", "published": "2024-03-01",
    }
    assert [h.get_text() for h in page.select("h1")] == ["广德市科技局2024年工作计划"]
    info = " ".join(page.select_one(".gk-info").get_text().split())
    assert "发布时间：2024-03-01 15:00" in info and "来源：市科技局" in info and "字体：[" in info
    assert page.select_one(".gk-info time")["datetime"] == "2024-03-01T15:00"
    paragraphs = [p.get_text() for p in page.select("#gk-body > p")]
    assert [p[:3] for p in paragraphs] == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    assert "高新技术企业达200家" in paragraphs[0]
    assert page.html["lang"] == "zh-CN"


def test_plan_page_breadcrumb_and_related_links_resolve(site):
    page = soup(site, PLAN)
    nav = page.select_one("nav.gk-breadcrumb")
    assert nav["aria-label"] == "当前位置"
    crumbs = [(a.get_text(), resolve(PLAN, a["href"])) for a in nav.select("a")]
    assert crumbs == [
        ("网站首页", "index.html"), ("政府信息公开首页", "xxgk/index.html"),
        ("市科技局", "xxgk/gdkjj/index.html"), ("规划计划", "xxgk/gdkjj/ghjh/index.html"),
    ]
    assert nav.select("a")[-1]["aria-current"] == "location"
    for _, target in crumbs:
        assert (site / target).is_file(), target
    related = page.select(".gk-related a")
    assert [a.get_text() for a in related] == ["市科学技术局2024年度工作计划"]
    assert (site / resolve(PLAN, related[0]["href"])).is_file()


def test_plan_page_meta_tags(site):
    page = soup(site, PLAN)
    names = [m["name"] for m in page.select("meta[name]")]
    assert len(names) == len(set(names)), "每个 meta 只应出现一次"
    meta = {m["name"]: m["content"] for m in page.select("meta[name]")}
    assert meta["SiteName"] == "科技政务公开示例网站"
    assert meta["SiteDomain"] == "kj.example.gov.cn"
    assert meta["SiteIDCode"] == "3418820001"
    assert meta["ColumnName"] == "规划计划"
    assert meta["ColumnType"] == "政府信息公开"
    assert meta["ArticleTitle"] == "广德市科技局2024年工作计划"
    assert meta["PubDate"] == "2024-03-01 15:00"
    assert meta["ContentSource"] == "市科技局"


def test_catalogue_pages_list_newest_first(site):
    page = soup(site, "xxgk/skjj/index.html")
    dates = [t.get_text() for t in page.select(".gk-catalogue tbody time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    row = page.select(".gk-catalogue tbody tr")[-1]
    assert row.select_one("th a").get_text() == "市科学技术局2021年全市科技工作要点"
    assert [td.get_text() for td in row.select("td")] == ["示科〔2021〕5号", "2021-02-23", "11341700MB0A12342H/202102-00001"]
    cat = soup(site, "xxgk/gdkjj/ghjh/index.html")
    assert [a.get_text() for a in cat.select(".gk-catalogue tbody a")] == ["广德市科技局2024年工作计划"]
    assert soup(site, "xxgk/gdkjj/zcfg/index.html").select_one(".gk-catalogue__empty") is not None


def test_disclosure_home_has_every_entry_point(site):
    page = soup(site, "xxgk/index.html")
    headings = [h.get_text() for h in page.select("h2")]
    for heading in ["按发布机构", "按组配分类", "按主题分类", "按年度", "政府信息公开", "最新信息"]:
        assert heading in headings
    for a in page.select(".gk-linklist a, .gk-catalogue a"):
        assert (site / resolve("xxgk/index.html", a["href"])).is_file(), a["href"]
    guide = [a.get_text() for a in page.select("#gk-guide ~ ul a")]
    assert guide == ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]


def test_every_page_has_the_government_site_chrome(site):
    for rel in html_pages(site):
        page = soup(site, rel)
        footer = page.select_one("footer.gk-footer")
        assert footer is not None, rel
        text = footer.get_text(" ", strip=True)
        for needle in ["网站主办单位：广德市科学技术局", "网站标识码：3418820001", "皖ICP备00000000号", "皖公网安备", "我为政府网站找错", "联系我们", "网站地图"]:
            assert needle in text, (rel, needle)
        assert footer.find("a", string="皖ICP备00000000号")["href"] == "https://beian.miit.gov.cn/"
        sitemap = footer.find("a", string="网站地图")["href"]
        if rel == "404.html":  # served at any depth, so its links start at the site root
            assert sitemap == "/wzdt/"
        else:
            assert (site / resolve(rel, sitemap)).is_file(), (rel, sitemap)
        top = page.select_one("nav.gk-toplinks")
        assert [a.get_text() for a in top.select("a")] == ["无障碍", "长辈版", "标准版"], rel  # 标准版 shows in 长辈版 only
        assert page.html["lang"] == "zh-CN"


def test_no_request_can_leave_the_site(site):
    """Nothing the browser loads by itself (scripts, styles, images, fonts, frames) points at another host."""
    loaded = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src", "embed": "src", "object": "data"}
    for rel in html_pages(site):
        page = soup(site, rel)
        for tag, attr in loaded.items():
            for el in page.find_all(tag):
                if el.get(attr):
                    assert not urlsplit(el[attr]).netloc, (rel, el[attr])
        for link in page.find_all("link"):
            if set(link.get("rel", [])) & {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest"}:
                assert not urlsplit(link["href"]).netloc, (rel, link["href"])
        for a in page.find_all("a", href=True):
            assert not a["href"].startswith("//"), (rel, a["href"])  # protocol-relative: another host
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]+)\)", css.read_text(encoding="utf-8", errors="replace")):
            assert not re.match(r"['\"]?(https?:)?//", url), (css, url)
        assert "@import" not in css.read_text(encoding="utf-8", errors="replace") or "//" not in css.read_text(encoding="utf-8")


def test_page_size_does_not_grow_with_the_catalogue(site):
    """Lean navigation: a plan page does not embed links to every other plan."""
    page = soup(site, PLAN)
    plan_links = [a for a in page.select(".md-nav a") if "/20" in a.get("href", "")]
    assert plan_links == []


def test_sitemap_page_lists_sections(site):
    page = soup(site, "wzdt/index.html")
    headings = [h.get_text() for h in page.select(".gk-sitemap h2")]
    assert headings[:2] == ["网站首页", "政府信息公开"]
    assert "广德市科学技术局" in headings and "示例市科学技术局" in headings
    for a in page.select(".gk-sitemap a"):
        assert (site / resolve("wzdt/index.html", a["href"])).is_file(), a["href"]


@pytest.mark.parametrize("kind, rel", [("plan", PLAN), ("catalogue", "xxgk/skjj/ghjh/index.html"), ("sitemap", "wzdt/index.html"),
                                       ("disclosure-home", "xxgk/index.html")])
def test_generated_page_matches_golden(site, kind, rel, golden):
    article = soup(site, rel).select_one("article.md-content__inner")
    for button in article.select(".md-content__button"):
        button.decompose()  # Material's edit button depends on repo settings, not on us
    golden(f"pages/{kind}.html", article.decode_contents())


def run_cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(gongkai_cmd() + ["--root", str(project), *args], capture_output=True, text=True, timeout=120)


def test_broken_date_fails_validate_and_build_without_touching_the_site(project):
    assert run_cli(project, "build").returncode == 0
    index = project / "site" / PLAN
    before = index.read_bytes()
    plan = project / "data/plans/gdkjj/2024/gongzuo-jihua.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("发布日期: 2024-03-01", "发布日期: 2024-02-30"), encoding="utf-8")
    for command in ("validate", "build"):
        result = run_cli(project, command)
        assert result.returncode == 1, result
        assert "data/plans/gdkjj/2024/gongzuo-jihua.yml:10: 发布日期: 日期“2024-02-30”不存在" in result.stderr
        assert "Traceback" not in result.stderr + result.stdout
    assert index.read_bytes() == before
    assert not list(project.glob(".site.tmp-*"))


def test_content_page_with_a_broken_link_fails_the_strict_build(project):
    (project / "content/lxwm.md").write_text("# 联系我们\n\n[没有的页面](meiyou.md)\n", encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert "meiyou.md" in result.stderr and "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_content_page_clashing_with_a_generated_page_is_an_error(project):
    (project / "content/wzdt").mkdir()
    (project / "content/wzdt/index.md").write_text("# 手写的网站地图\n", encoding="utf-8")
    result = run_cli(project, "build")
    assert result.returncode == 1
    assert "content/wzdt/index.md: 与自动生成的" in result.stderr and "wzdt/" in result.stderr


def test_validate_fix_writes_the_assigned_index_number(project):
    plan = project / "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"
    original = plan.read_text(encoding="utf-8")
    plan.write_text("".join(l for l in original.splitlines(keepends=True) if not l.startswith("索引号:")), encoding="utf-8")
    result = run_cli(project, "validate")
    assert result.returncode == 0 and "还没有写入索引号" in result.stdout
    assert run_cli(project, "validate", "--fix").returncode == 0
    assert plan.read_text(encoding="utf-8") == original


def test_fast_page_rendering_gives_the_same_bytes_as_a_full_theme_render(site, built_project, tmp_path, monkeypatch):
    """Generated pages reuse one theme render per depth; the result must equal rendering each page."""
    monkeypatch.setenv("GONGKAI_FAST_PAGES", "0")
    slow = tmp_path / "slow"
    assert build_site(built_project, slow, quiet=True) == 0
    fast_files = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert fast_files == sorted(p.relative_to(slow) for p in slow.rglob("*.html"))
    for rel in fast_files:
        assert (site / rel).read_bytes() == (slow / rel).read_bytes(), rel


def test_unused_theme_files_are_not_published(site):
    """Material's search worker and lunr languages, its palette stylesheet and the components' sources
    are never requested by the site; they are left out of it (the browser tests load every page type)."""
    assert (site / "assets/stylesheets").is_dir() and list((site / "assets/javascripts").glob("bundle.*.js"))
    assert not (site / "assets/javascripts/lunr").exists()
    assert not list((site / "assets/javascripts").rglob("search.*.js"))
    assert not list((site / "assets/stylesheets").glob("palette.*"))
    assert not (site / "components").exists()


def test_topics_are_shown_in_one_display_form_never_with_the_backslash(site):
    """主题分类 keeps the catalogue's 一级\\二级 in the data; every page shows 一级 › 二级 (issue 22)."""
    raw = "科技、教育\\科技"
    pages = html_pages(site)
    assert not [p for p in pages if raw in (site / p).read_text(encoding="utf-8")]
    meta = soup(site, "xxgk/skjj/2024/niandu-gongzuo-jihua/index.html").select_one(".gk-meta")
    assert "科技、教育 › 科技" in meta.get_text()
    topic_page = next(p for p in pages if p.startswith("xxgk/zt/") and "科技、教育 › 科技" in soup(site, p).h1.get_text())
    assert topic_page


def test_every_page_has_one_description(site):
    """Lighthouse's SEO audit (issue 19): one non-empty <meta name="description"> per page, saying what is on it."""
    for rel in html_pages(site):
        tags = soup(site, rel).select('meta[name="description"]')
        assert len(tags) == 1 and tags[0]["content"].strip(), rel
    plan = soup(site, PLAN).select_one('meta[name="description"]')["content"]
    assert plan.startswith("(一)持续加大企业在科技创新中的主体地位") and len(plan) <= 120 and plan.endswith("。")
    catalogue = soup(site, "xxgk/skjj/ghjh/index.html").select_one('meta[name="description"]')["content"]
    assert "规划计划" in catalogue and "条" in catalogue


@pytest.mark.parametrize("text, expected", [
    ("短句。", "短句。"),
    ("## 一、总体要求\n\n" + "甲" * 70 + "，" + "乙" * 70 + "。", "一、总体要求 " + "甲" * 70 + "，"),
    ("[链接](https://example.gov.cn/x) *强调* " + "丙" * 200, "链接 强调 " + "丙" * 114 + "…"),
])
def test_description_lead(text, expected):
    from gongkai.pages.context import lead

    assert lead(text) == expected


def test_description_lead_of_a_long_body_is_that_of_the_whole_text():
    """lead() reads only the beginning of a long body: the same result as on the whole text, links cut there too."""
    from hypothesis import given, settings, strategies as st

    from gongkai.pages import context

    def whole(text, limit=120):
        plain = context._SPACES.sub(" ", context._MARKDOWN.sub(" ", text)).strip()
        if len(plain) <= limit:
            return plain
        cut = plain[:limit]
        stop = max(cut.rfind(mark) for mark in "。；！？，")
        return cut[:stop + 1] if stop >= limit // 2 else cut + "…"

    pieces = st.sampled_from(["甲", "乙，", "。", " ", "\n\n", "#", "**", "[", "](", ")", "(https://a.gov.cn/", "x" * 50,
                              "(http://b/" + "y" * 600 + ")", "  \t", "|", "`"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=400), st.integers(1, 200))
    def check(parts, limit):
        text = "".join(parts)
        assert context.lead(text, limit) == whole(text, limit)

    check()


def test_rebuild_swaps_the_new_site_in_and_deletes_the_old_one_in_the_background(project):
    assert run_cli(project, "build").returncode == 0
    (project / "site" / "leftover.txt").write_text("上一次的网站", encoding="utf-8")
    assert run_cli(project, "build").returncode == 0
    assert (project / "site" / PLAN).is_file() and not (project / "site" / "leftover.txt").exists()
    assert not list(project.glob(".site.old-*")), "recover() must never find the deleted copy"
    deadline = time.monotonic() + 60
    while list(project.glob(".site.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(project.glob(".site.trash-*")), "the replaced site is deleted after the build"


def test_the_build_raises_the_collectors_thresholds_and_puts_them_back(tmp_path, monkeypatch, capsys):
    import gc

    from gongkai.engine import build as build_module

    seen = []

    class Problems:
        def report(self):
            return "（测试）"

    def load(*args, **options):
        seen.append(gc.get_threshold())
        return None, Problems()

    monkeypatch.setattr(build_module, "load_project", load)
    before = gc.get_threshold()
    assert build_module.build_site(tmp_path, quiet=True) == 1
    assert seen == [build_module.BUILD_GC_THRESHOLD] != [before]
    assert gc.get_threshold() == before
    assert "数据检查未通过" in capsys.readouterr().err
