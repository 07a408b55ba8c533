"""Paths and names stay inside the site; references that point nowhere are errors; the sanitizer reports.

Each case edits a fresh copy of the sample project and checks the exact Chinese message,
file and line the editor gets.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from conftest_fuzz import project_copy  # noqa: F401 - fixture
from gongkai.pages.generate import generate
from gongkai.data.loader import load_project
from gongkai.pages.components import make_env
from gongkai.markup.body import render_body
from gongkai.data.security import content_path_problem
from gongkai.markup.removed import removed_html

PLAN = "data/plans/gdkjj/2024/gongzuo-jihua.yml"
SITE = "data/site.yml"


def _yaml(root: Path, rel: str):
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def _write(root: Path, rel: str, data) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _errors(root: Path, path: str | None = None) -> list:
    project, problems = load_project(root)
    assert project is None, "expected the data to be refused"
    return [p for p in problems.errors if path is None or p.path == path]


# --- plan and department names -------------------------------------------------------------------

@pytest.mark.parametrize("name, message", [
    ("CON", "不能用作网址"), ("con", "Windows 的保留名"), ("lpt1", "Windows 的保留名"), ("a b", "不能用作网址"),
    ("Gongzuo", "不能用作网址"), ("中文", "不能用作网址"), ("cafe\u0301", "不能用作网址"), ("-x", "不能用作网址"),
    ("x..y", "不能用作网址"), ("a\\b", "不能用作网址"), ("a\x01b", "不能用作网址"),
])
def test_plan_file_names_that_cannot_be_urls(project_copy, name, message):
    src = project_copy / PLAN
    dest = src.with_name(f"{name}.yml")
    src.rename(dest)
    rel = dest.relative_to(project_copy).as_posix()
    errors = _errors(project_copy, rel)
    assert any(message in e.message for e in errors), [str(e) for e in errors]


@pytest.mark.parametrize("stem, message", [
    ("fl", "栏目网址 xxgk/fl/"), ("zt", "栏目网址 xxgk/zt/"), ("nd", "栏目网址 xxgk/nd/"),
    ("zhinan", "栏目网址 xxgk/zhinan/"), ("nianbao", "栏目网址 xxgk/nianbao/"), ("aux", "Windows 的保留名"), ("Skjj", "不能用作网址"),
])
def test_department_slugs_that_would_collide_or_escape(project_copy, stem, message):
    data = _yaml(project_copy, "data/departments/gdkjj.yml")
    data["标识"] = stem
    (project_copy / "data/departments/gdkjj.yml").unlink()
    _write(project_copy, f"data/departments/{stem}.yml", data)
    errors = _errors(project_copy, f"data/departments/{stem}.yml")
    assert any(message in e.message for e in errors), [str(e) for e in errors]
    assert all(e.line >= 1 for e in errors if message in e.message)


def test_department_fl_collision_is_caught_before_generation(project_copy):
    """A department named fl wrote xxgk/fl/ghjh/ twice (its 规划计划 list and the cross-department one)."""
    test_department_slugs_that_would_collide_or_escape(project_copy, "fl", "xxgk/fl/")


@pytest.mark.parametrize("page, url", [
    ("content/xxgk/gdkjj/index.md", "xxgk/gdkjj/"),
    ("content/xxgk/gdkjj.md", "xxgk/gdkjj/"),
    ("content/wzdt.md", "wzdt/"),
    ("content/xxgk/gdkjj/2024/gongzuo-jihua/index.html", "xxgk/gdkjj/2024/gongzuo-jihua/"),
    ("content/xxgk/nd/2024/README.md", "xxgk/nd/2024/"),
])
def test_hand_written_page_on_a_generated_url(project_copy, page, url):
    path = project_copy / page
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# 手写\n", encoding="utf-8")
    errors = _errors(project_copy)
    # reported at the hand-written page, or at the department whose folder it takes
    assert any((e.path == page and f"网址 {url} 相同" in e.message) or f"栏目网址 {url} 重复" in e.message
               for e in errors), [str(e) for e in errors]


def test_valid_sample_generates_unique_urls_inside_the_site():
    root = ROOT
    project, problems = load_project(root)
    assert project is not None, problems.report()
    urls = [p.url for p in generate(project, make_env(root / "templates"))]
    assert len(urls) == len(set(urls))
    assert all(".." not in u and not u.startswith("/") and "\\" not in u for u in urls)


# --- site.yml: the badge image and links ---------------------------------------------------------

@pytest.mark.parametrize("image, message", [
    ("../data/site.yml", "不能含有“..”"), ("/etc/hostname", "不是 content/ 下的相对路径"),
    ("assets/../../mkdocs.yml", "不能含有“..”"), ("assets\\dzjg.png", "反斜杠"),
    ("https://evil.example/x.png", "不是 content/ 下的相对路径"), ("javascript:alert(1)", "不是 content/ 下的相对路径"),
    ("assets/dzjg.svg", "不是允许的文件类型"), ("assets/missing.png", "找不到文件 content/assets/missing.png"),
    ("index.md", "不是允许的文件类型"),
])
def test_badge_image_must_be_an_image_inside_content(project_copy, image, message):
    (project_copy / "content/assets").mkdir(exist_ok=True)
    (project_copy / "content/assets/dzjg.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (project_copy / "content/assets/dzjg.svg").write_text("<svg onload='alert(1)'/>", encoding="utf-8")
    site = _yaml(project_copy, SITE)
    site["党政机关网站标识"] = {"图片": image, "链接": "https://bszs.conac.cn/"}
    _write(project_copy, SITE, site)
    errors = _errors(project_copy, SITE)
    assert any(e.field == "党政机关网站标识.图片" and message in e.message and e.line >= 1 for e in errors), [str(e) for e in errors]


def test_badge_image_symlink_out_of_content_is_refused(project_copy):
    (project_copy / "content/assets").mkdir(exist_ok=True)
    (project_copy / "content/assets/dzjg.png").symlink_to("/etc/hostname")
    site = _yaml(project_copy, SITE)
    site["党政机关网站标识"] = {"图片": "assets/dzjg.png"}
    _write(project_copy, SITE, site)
    assert any("符号链接" in e.message for e in _errors(project_copy, SITE))


def test_good_badge_is_accepted(project_copy):
    (project_copy / "content/assets").mkdir(exist_ok=True)
    (project_copy / "content/assets/dzjg.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = _yaml(project_copy, SITE)
    site["党政机关网站标识"] = {"图片": "assets/dzjg.png", "链接": "https://bszs.conac.cn/"}
    _write(project_copy, SITE, site)
    project, problems = load_project(project_copy)
    assert project is not None, problems.report()
    assert project.site.badge == {"图片": "assets/dzjg.png", "链接": "https://bszs.conac.cn/"}


@pytest.mark.parametrize("key, value", [
    (("党政机关网站标识", "链接"), "javascript:alert(1)"), (("网站地址",), "javascript:alert(1)"),
    (("找错链接",), "data:text/html,<script>"), (("ICP备案链接",), "//evil.example/"),
])
def test_site_links_must_be_web_addresses(project_copy, key, value):
    (project_copy / "content/assets").mkdir(exist_ok=True)
    (project_copy / "content/assets/dzjg.png").write_bytes(b"\x89PNG")
    site = _yaml(project_copy, SITE)
    if key[0] == "党政机关网站标识":
        site["党政机关网站标识"] = {"图片": "assets/dzjg.png", "链接": value}
    else:
        site[key[0]] = value
    _write(project_copy, SITE, site)
    errors = _errors(project_copy, SITE)
    assert any(e.field == ".".join(key) and "不是完整的网址" in e.message for e in errors), [str(e) for e in errors]


def test_content_path_problem_accepts_only_plain_relative_paths(tmp_path):
    (tmp_path / "content/a").mkdir(parents=True)
    (tmp_path / "content/a/b.png").write_bytes(b"x")
    assert content_path_problem("a/b.png", tmp_path, {".png"}) is None
    for bad in ("a/../a/b.png", "./a/b.png", "a/.b.png", "/a/b.png", "file:///etc/passwd", "a/b.PNG ", "a/b.png\x00"):
        assert content_path_problem(bad, tmp_path, {".png"}), bad


# --- references ------------------------------------------------------------------------------------

@pytest.mark.parametrize("link, message", [
    ("../../../skjj/2024/nope/", "指向的页面不存在"),
    ("../../../../../../etc/passwd", "指向网站以外"),
    ("#没有这个标题", "指向本页不存在的位置"),
    ("../../../nope.md", "指向的页面不存在"),
])
def test_body_links_that_point_nowhere(project_copy, link, message):
    data = _yaml(project_copy, PLAN)
    data["正文"] += f"\n\n[参见]({link})\n"
    _write(project_copy, PLAN, data)
    errors = _errors(project_copy, PLAN)
    assert any(e.field == "正文" and message in e.message and e.line >= 1 for e in errors), [str(e) for e in errors]


@pytest.mark.parametrize("link", [
    "../../../skjj/2024/niandu-gongzuo-jihua/", "../../../../xxgk/zhinan/", "../../../../", "https://www.gov.cn/",
    "mailto:kjj@example.gov.cn", "#一抓好企业研发经费投入",
])
def test_body_links_that_resolve_are_accepted(project_copy, link):
    data = _yaml(project_copy, PLAN)
    data["正文"] = "## 一、抓好企业研发经费投入\n\n" + data["正文"] + f"\n\n[参见]({link})\n"
    _write(project_copy, PLAN, data)
    project, problems = load_project(project_copy)
    assert project is not None, problems.report()


def test_related_file_and_department_references(project_copy):
    data = _yaml(project_copy, PLAN)
    data["相关文件"] = [{"文件": "skjj/2024/nope"}, {"文件": "gdkjj/2024/gongzuo-jihua"}]
    _write(project_copy, PLAN, data)
    messages = [(e.field, e.message) for e in _errors(project_copy, PLAN)]
    assert ("相关文件.第1项.文件", "找不到站内文件“skjj/2024/nope”") in messages
    assert ("相关文件.第2项.文件", "相关文件不能指向自己") in messages
    data["相关文件"] = [{"文件": "../../etc/passwd"}]
    _write(project_copy, PLAN, data)
    assert any(e.field == "相关文件.第1项.文件" and "格式不对" in e.message for e in _errors(project_copy, PLAN))
    data["发布机构"] = "skjj"
    del data["相关文件"]
    _write(project_copy, PLAN, data)
    assert any("与所在文件夹“gdkjj”不一致" in e.message for e in _errors(project_copy, PLAN))


def test_plan_in_unknown_department_folder(project_copy):
    src = project_copy / PLAN
    dest = project_copy / "data/plans/nobody/2024/gongzuo-jihua.yml"
    dest.parent.mkdir(parents=True)
    src.rename(dest)
    errors = _errors(project_copy, "data/plans/nobody/2024/gongzuo-jihua.yml")
    assert any("不是已有的发布机构" in e.message for e in errors)


# --- the sanitizer's report ---------------------------------------------------------------------------

def test_removed_html_compares_parsed_elements_not_text():
    raw = '<p onclick="x()">a</p><script>b()</script><a href="javascript:c()">d</a><a href="https://ok/">e</a>'
    clean = '<p>a</p><a rel="noopener noreferrer">d</a><a href="https://ok/" rel="noopener noreferrer">e</a>'
    assert removed_html(raw, clean) == ["<script>", "onclick 事件属性", "链接地址“javascript:c()”"]
    assert removed_html("<p>&lt;script&gt;</p>", "<p>&lt;script&gt;</p>") == []  # text that looks like a tag is not a tag


def test_plain_markdown_body_gets_no_warning(project_copy):
    data = _yaml(project_copy, PLAN)
    data.pop("指标", None)  # the body is replaced: its targets' 出处 would point nowhere
    data["正文"] = "## 一、标题\n\n段落 **加粗** [链接](https://www.gov.cn/) <kjj@example.gov.cn>\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n"
    _write(project_copy, PLAN, data)
    project, problems = load_project(project_copy)
    assert project is not None and not problems.warnings, problems.report()


@pytest.mark.parametrize("body, shown", [
    ("<script>alert(1)</script>", "<script>"),
    ('<p onclick="alert(1)">x</p>', "onclick 事件属性"),
    ("[x](javascript:alert(1))", "链接地址“javascript:alert(1)”"),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe>"),
    ('<p style="color:red">x</p>', "style 属性"),
    ('<table><tr><td style="text-align:left;background:url(https://evil.example/)">x</td></tr></table>', "style 属性"),
    ("<form><input name=a></form>", "<form>"),
    ('<svg><script>alert(1)</script></svg>', "<svg>"),
    ("## 标题 {: onclick=\"alert(1)\" }", "onclick 事件属性"),
    ('<div id="__drawer">x</div>', "id 属性"),
])
def test_sanitizer_removal_is_reported_at_the_body_line(project_copy, body, shown):
    """What the sanitizer removes is an error at the line of the markup (issue 22); a warning in the preview."""
    data = _yaml(project_copy, PLAN)
    data.pop("指标", None)  # the body is replaced: its targets' 出处 would point nowhere
    data.pop("正文")
    _write(project_copy, PLAN, data)
    path = project_copy / PLAN
    path.write_text(path.read_text(encoding="utf-8") + "正文: |\n  正文开头。\n\n  " + body + "\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    markup = next(n for n, text in enumerate(lines, 1) if text == "  " + body)
    project, problems = load_project(project_copy)
    assert project is None  # not published as it is
    errors = [e for e in problems.errors if e.path == PLAN and e.field == "正文"]
    assert errors and shown in errors[0].message, problems.report()
    assert errors[0].line == markup  # the markup's own line inside the block, not the line of 正文:
    project, problems = load_project(project_copy, drafts=True)  # the preview: removed, reported, built
    assert project is not None, problems.report()
    warnings = [w for w in problems.warnings if w.path == PLAN and w.field == "正文"]
    assert warnings and shown in warnings[0].message and warnings[0].line == markup
    html = str(render_body(body))
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html and "url(" not in html and "color" not in html


def test_many_broken_body_links_are_summarised(project_copy):
    data = _yaml(project_copy, PLAN)
    data["正文"] += "\n\n" + " ".join(f"[第{i}个](x{i})" for i in range(50))
    _write(project_copy, PLAN, data)
    messages = [e.message for e in _errors(project_copy, PLAN)]
    assert len(messages) == 6
    assert messages[-1] == "链接问题还有 45 处没有列出"


@pytest.mark.parametrize("value", ["341882000", "３４１８８２０００１", "bm1234567", "<b>1</b>", "0341882000x"])
def test_site_id_is_checked(project_copy, value):
    """Its schema pattern was skipped for a specific check that did not exist: any 网站标识码 passed."""
    site = _yaml(project_copy, SITE)
    site["网站标识码"] = value
    _write(project_copy, SITE, site)
    assert any(e.field == "网站标识码" and "不是网站标识码" in e.message for e in _errors(project_copy, SITE))


def test_full_width_year_folder_is_refused(project_copy):
    src = project_copy / PLAN
    dest = project_copy / "data/plans/gdkjj/２０２４/gongzuo-jihua.yml"
    dest.parent.mkdir()
    src.rename(dest)
    errors = _errors(project_copy, "data/plans/gdkjj/２０２４/gongzuo-jihua.yml")
    assert any("不是4位年份" in e.message for e in errors), [str(e) for e in errors]
