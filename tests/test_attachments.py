"""附件 and 原网址 in the data: real files of every accepted type pass; renamed programs, macros, mismatched
extensions, oversized files, bad names and missing files are refused with the exact Chinese message and
the line of the entry; old URLs give their path, and two plans claiming one, or one that is a page of the
site, are errors."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import copy_project
from conftest_attachments import (EXE, JPG, PNG, make_docm, make_docx, make_ofd, make_ole, make_pdf, make_zip,
                                  write)
from gongkai.data import attachments, redirects
from gongkai.data.loader import load_project

PLAN = "data/plans/gdkjj/2024/gongzuo-jihua.yml"
FOLDER = "data/plans/gdkjj/2024/gongzuo-jihua/附件"
OTHER = "data/plans/skjj/2024/gongzuo-jihua-ba-xiang.yml"


def _xlsx() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("att") / "proj")


@pytest.fixture
def proj(base, tmp_path) -> Path:
    import shutil

    dest = tmp_path / "p"
    shutil.copytree(base, dest, symlinks=True)
    return dest


def _set(root: Path, rel: str, sections: str) -> None:
    """Replace the plan's 原网址/附件 (the sample ends with them) by ``sections``."""
    path = root / rel
    text = path.read_text(encoding="utf-8").split("原网址:")[0].rstrip("\n") + "\n"
    path.write_text(text + sections, encoding="utf-8")


def _line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_the_sample_plan_lists_a_pdf_and_a_docx(base):
    project, problems = load_project(base)
    assert project is not None, problems.report()
    plan = next(p for p in project.plans if p.id == "gdkjj/2024/gongzuo-jihua")
    assert [(a.name, a.kind, a.url) for a in plan.attachments] == [
        ("2024年工作计划（印发稿）", "PDF", "xxgk/gdkjj/2024/gongzuo-jihua/fj/2024年工作计划（印发稿）.pdf"),
        ("2024年重点任务分解表", "DOCX", "xxgk/gdkjj/2024/gongzuo-jihua/fj/重点任务分解表.docx")]
    assert plan.old_paths == ["/art/2024/3/1/art_5711_1234567.html"]
    assert not problems.warnings


GOOD = [
    ("要点.pdf", make_pdf("要点"), "PDF"),
    ("要点.PDF", make_pdf("要点"), "PDF"),
    ("电子公文.ofd", make_ofd(), "OFD"),
    ("分解表.docx", make_docx(["分解表"]), "DOCX"),
    ("汇总表.xlsx", _xlsx(), "XLSX"),
    ("旧文件.doc", make_ole(["WordDocument", "1Table"]), "DOC"),
    ("金山文字.wps", make_ole(["WordDocument"]), "WPS"),
    ("统计表.xls", make_ole(["Workbook"]), "XLS"),
    ("图片（一）.png", PNG, "PNG"),
    ("照片_1.jpg", JPG, "JPG"),
    ("照片-2.jpeg", JPG, "JPG"),
    ("资料包.zip", make_zip(), "ZIP"),
]


@pytest.mark.parametrize("name, data, kind", GOOD, ids=[g[0] for g in GOOD])
def test_accepted_attachments(proj, name, data, kind):
    write(proj / FOLDER, name, data)
    _set(proj, PLAN, f"附件:\n  - 文件: {name}\n")
    project, problems = load_project(proj)
    assert project is not None, problems.report()
    plan = next(p for p in project.plans if p.path == PLAN)
    (att,) = plan.attachments
    assert (att.kind, att.size, att.name) == (kind, len(data), Path(name).stem)
    warned = [w.message for w in problems.warnings if w.path == PLAN]
    assert any("2024年工作计划（印发稿）.pdf 没有列在“附件”中" in w for w in warned)  # the sample's files, now unlisted


OVERSIZED = object()
MISSING = object()
BAD = [
    ("程序.pdf", EXE, "附件“程序.pdf”的内容是可执行程序，不是 PDF 文件"),
    ("文件.pdf", make_docx(["x"]), "附件“文件.pdf”的扩展名是 .pdf，内容却是 DOCX 文件"),
    ("表格.docx", make_pdf("x"), "附件“表格.docx”的扩展名是 .docx，内容却是 PDF 文件"),
    ("资料.zip", make_docx(["x"]), "附件“资料.zip”的扩展名是 .zip，内容却是 DOCX 文件"),
    ("带宏.docm", make_docm(["x"]), "“带宏.docm”是带宏的 Office 文件（.docm）"),
    ("表格.xlsm", _xlsx(), "“表格.xlsm”是带宏的 Office 文件（.xlsm）"),
    ("改名.docx", make_docm(["x"]), "“改名.docx”含有宏（VBA 代码）"),
    ("旧宏.doc", make_ole(["WordDocument", "Macros/"]), "“旧宏.doc”含有宏（VBA 代码）"),
    ("旧宏.xls", make_ole(["Workbook", "_VBA_PROJECT_CUR/"]), "“旧宏.xls”含有宏（VBA 代码）"),
    ("未知.pdf", b"hello, not a pdf", "附件“未知.pdf”的内容不是 PDF 文件（无法识别的格式）"),
    ("坏的.docx", b"PK\x03\x04broken", "附件“坏的.docx”已损坏：压缩包无法打开"),
    ("空的.pdf", b"", "附件“空的.pdf”是空文件"),
    ("程序.exe", EXE, "不能发布 .exe 类型的附件"),
    ("大文件.pdf", OVERSIZED, "附件“大文件.pdf”太大（20.0 MB，上限 20 MB）"),
    ("缺少.pdf", MISSING, "找不到附件文件 data/plans/gdkjj/2024/gongzuo-jihua/附件/缺少.pdf"),
    ("子目录/要点.pdf", MISSING, "“子目录/要点.pdf”含有文件夹分隔符"),
    ("..\\要点.pdf", MISSING, "“..\\要点.pdf”含有文件夹分隔符"),
    ("\"要点\".pdf", MISSING, "文件名含有不能用的字符“\"”"),
    ("要点\t.pdf", MISSING, "文件名含有不能用的字符“U+0009”"),  # U+202E and the like: the YAML reader refuses them
    ("要点?.pdf", MISSING, "文件名含有不能用的字符“?”"),
    (".隐藏.pdf", MISSING, "文件名不能以点、连字符或空格开头"),
    ("要点", MISSING, "文件名没有扩展名"),
    ("长" * 121 + ".pdf", MISSING, "文件名太长（125个字，上限120个）"),
]


@pytest.mark.parametrize("name, data, message", BAD, ids=[b[0][:20] for b in BAD])
def test_refused_attachments(proj, name, data, message):
    if data is OVERSIZED:
        path = write(proj / FOLDER, name, make_pdf("大"))
        with path.open("r+b") as f:
            f.truncate(attachments.MAX_BYTES + 1)  # sparse: a valid PDF header, one byte over the limit
    elif data is not MISSING:
        write(proj / FOLDER, name, data)
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    _set(proj, PLAN, f'附件:\n  - 文件: 2024年工作计划（印发稿）.pdf\n  - 文件: "{quoted}"\n    名称: 测试\n')
    project, problems = load_project(proj)
    assert project is None
    errors = [p for p in problems.errors if p.path == PLAN]
    assert len(errors) == 1, problems.report()
    (err,) = errors
    assert message in err.message, err
    assert err.field == "附件.第2项.文件"
    assert err.line == _line_of(proj, PLAN, "- 文件: \"")
    assert err.hint and "Traceback" not in problems.report()


def test_a_link_is_refused_and_a_repeated_entry_is_named(proj):
    os.symlink("/etc/passwd", proj / FOLDER / "链接.pdf")
    _set(proj, PLAN, "附件:\n  - 文件: 链接.pdf\n  - 文件: 重点任务分解表.docx\n  - 文件: 重点任务分解表.DOCX\n")
    _, problems = load_project(proj)
    messages = [(p.line, p.message) for p in problems.errors if p.path == PLAN]
    first = _line_of(proj, PLAN, "链接.pdf")
    assert messages == [(first, "附件 data/plans/gdkjj/2024/gongzuo-jihua/附件/链接.pdf 是符号链接（快捷方式）"),
                        (first + 2, "附件“重点任务分解表.DOCX”重复列出")]


def test_files_in_the_attachment_folder_are_not_read_as_plans(proj):
    write(proj / FOLDER, "说明.yml", "名称: 不是计划\n".encode())
    _set(proj, PLAN, "附件:\n  - 文件: 2024年工作计划（印发稿）.pdf\n  - 文件: 重点任务分解表.docx\n")
    project, problems = load_project(proj)
    assert project is not None, problems.report()
    assert [w.message for w in problems.warnings] == ["“附件”文件夹里的 说明.yml 没有列在“附件”中，不会发布"]


# --- 原网址 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, path, query", [
    ("http://kjj.example.gov.cn/art/2023/3/8/art_1234_5678.html", "/art/2023/3/8/art_1234_5678.html", False),
    ("HTTPS://old.example.gov.cn/col/col123/index.html", "/col/col123/index.html", False),
    ("/art/2023/3/8/art_1.html", "/art/2023/3/8/art_1.html", False),
    ("http://x.gov.cn/module/detail.jsp?id=5&t=1", "/module/detail.jsp", True),
    ("http://x.gov.cn/%E6%96%87%E4%BB%B6/1.html", "/文件/1.html", False),
    ("/zwgk/xxgk/2023/", "/zwgk/xxgk/2023/", False),
    ("http://x.gov.cn/a.html#top", "/a.html", False),
])
def test_old_urls_give_their_path(value, path, query):
    assert redirects.old_path(value) == (path, query)


@pytest.mark.parametrize("value, message", [
    ("kjj.example.gov.cn/art/1.html", "既不是完整网址，也不是以 / 开头的路径"),
    ("art/1.html", "既不是完整网址，也不是以 / 开头的路径"),
    ("ftp://x.gov.cn/a.html", "不是 http 或 https 网址"),
    ("javascript:alert(1)", "不是 http 或 https 网址"),
    ("//x.gov.cn/a.html", "缺少 http:// 或 https://"),
    ("http://x.gov.cn/", "是旧网站的首页"),
    ("/a b.html", "路径中有不能用的字符“U+0020”"),
    ("/a%20b.html", "路径中有不能用的字符“U+0020”"),
    ('/a".html', "路径中有不能用的字符“\"”"),
    ("/a$x.html", "路径中有不能用的字符“$”"),
    ("/a;b", "路径中有不能用的字符“;”"),
    ("/a/../b.html", "含有 .、.. 或连续的 /"),
    ("/a//b.html", "含有 .、.. 或连续的 /"),
    ("/" + "a" * 400, "路径太长"),
])
def test_bad_old_urls(value, message):
    with pytest.raises(redirects.OldUrlError) as err:
        redirects.old_path(value)
    assert message in err.value.message and err.value.hint


def test_two_plans_claiming_one_old_path(proj):
    with (proj / OTHER).open("a", encoding="utf-8") as f:
        f.write("原网址:\n  - https://other.example.gov.cn/ART/2024/3/1/art_5711_1234567.html\n")
    _, problems = load_project(proj)
    (err,) = problems.errors
    assert (err.path, err.line, err.field) == (OTHER, _line_of(proj, OTHER, "https://other"), "原网址.第1项")
    assert err.message == ("旧路径 /ART/2024/3/1/art_5711_1234567.html 已经由“广德市科技局2024年工作计划”"
                           f"（{PLAN}:{_line_of(proj, PLAN, 'art_5711')}）使用（不区分大小写）")


@pytest.mark.parametrize("value, what", [
    ("/xxgk/", "政府信息公开首页"),
    ("/xxgk/gdkjj", "发布机构“市科技局”的目录"),
    ("/xxgk/skjj/2024/gongzuo-jihua-ba-xiang/index.html", "计划“"),
    ("/sjkf/plans.json", "自动生成的文件"),
    ("/xxgk/gdkjj/2024/gongzuo-jihua/fj/重点任务分解表.docx", "附件“重点任务分解表.docx”"),
    ("/redirects.json", "自动生成的文件"),
])
def test_an_old_path_that_is_a_page_of_the_site(proj, value, what):
    _set(proj, PLAN, f"原网址:\n  - {value}\n附件:\n  - 文件: 2024年工作计划（印发稿）.pdf\n  - 文件: 重点任务分解表.docx\n")
    _, problems = load_project(proj)
    (err,) = problems.errors
    assert (err.path, err.line) == (PLAN, _line_of(proj, PLAN, value))
    assert f"就是本站的{what}" in err.message, err.message


def test_a_query_string_is_a_warning_and_a_repeated_path_an_error(proj):
    _set(proj, PLAN, "原网址:\n  - http://x.gov.cn/detail.jsp?id=1\n  - /detail.jsp\n")
    _, problems = load_project(proj)
    assert [(p.line, p.message) for p in problems.errors] == [
        (_line_of(proj, PLAN, "- /detail.jsp"), "路径 /detail.jsp 重复列出")]
    assert any(p.message.startswith("网址中“?”后面的部分不参与跳转，只有路径 /detail.jsp") for p in problems.warnings)


def test_attachment_text_is_read_once_and_then_taken_from_the_cache(tmp_path, monkeypatch):
    """The text of a PDF is parsed on the first build only; a changed file is parsed again."""
    from types import SimpleNamespace

    from gongkai.pages import attachments as site_attachments

    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    pdf = tmp_path / "附件1.pdf"
    pdf.write_bytes(make_pdf("新认定高新技术企业二十五家"))
    att = SimpleNamespace(kind="PDF", source=pdf)
    parsed = []
    real = site_attachments.extract_text
    monkeypatch.setattr(site_attachments, "extract_text", lambda a: parsed.append(a.source) or real(a))

    assert "高新技术企业" in site_attachments.text_of(att)
    assert "高新技术企业" in site_attachments.text_of(att)
    assert parsed == [pdf]  # the second build read the cache
    assert len(list((tmp_path / "cache").rglob("*.txt"))) == 1

    pdf.write_bytes(make_pdf("科技型中小企业评价入库"))
    assert "入库" in site_attachments.text_of(att)
    assert parsed == [pdf, pdf]  # new content, parsed again


def test_an_unwritable_cache_changes_nothing(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from gongkai.pages import attachments as site_attachments

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(blocker))
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(make_pdf("科技创新"))
    assert site_attachments.text_of(SimpleNamespace(kind="PDF", source=pdf)) == "科技创新"
    assert site_attachments.text_of(SimpleNamespace(kind="PNG", source=pdf)) == ""
