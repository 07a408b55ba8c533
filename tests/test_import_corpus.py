"""gongkai import on a corpus of differently laid-out documents and saved pages (issue 17, part 6).

tests/import_corpus/ holds thirteen documents written for this test, varying the reference
texts by hand: compilations split by 篇1 / 【篇一】 / 第一篇 / repeated titles / “20XX年…”
titles / a 目录; separators, page markers, download lines, 推荐语, 相关文章 lists; Markdown,
GBK, GB18030 without a declaration, Big5 declared by <meta charset>; pages with a th/td
metadata table, span lists, dt/dd lists, <br> lines on one minified line. Each row of
``CORPUS`` is the expected split and fields; every test checks that every line of the source
is either in a plan or in the report.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from conftest_editors import html_text, no_space
from gongkai.editors import migration
from gongkai.editors.importer import _clean, read_document
from gongkai.markup.body import render_body

CORPUS_DIR = ROOT / "tests" / "import_corpus"

# file, titles of the plans it splits into, fields of the first plan (as read), reasons that must be in the report
CORPUS = [
    ("01-pian-arabic.txt", ["示例县科技局2024年工作计划", "示例镇2024年科技工作计划", "示例区科协2024年工作要点"], {},
     {"转载网站的推荐语", "汇编中的分篇标记", "下载链接", "分页标记", "相关文章列表"}),
    ("02-pian-cn-gbk.txt", ["示例市科学技术局2025年工作打算", "示例市科学技术局2025年科普工作打算"], {},
     {"汇编中的分篇标记", "免责声明或转载声明"}),
    ("03-dipian.md", ["示例县科技局2023年工作计划", "示例县科技局2023年科普工作计划"], {},
     {"汇编中的分篇标记", "汇编标题或转载网站的开头"}),
    ("04-repeated-titles.txt", ["示例区科技局2022年工作要点"] * 3, {}, {"分隔线", "汇编标题或转载网站的开头"}),
    ("05-year-titles.txt", ["示例县科技局2022年工作总结", "示例县科技局2023年工作计划"], {}, {"分页标记"}),
    ("06-toc.txt", ["示例市科技局2024年工作计划", "示例市科协2024年工作计划"], {}, {"汇编目录", "汇编标题"}),
    ("07-single-meta.txt", ["示例市科技局2024年科技创新工作计划"],
     {"索引号": "11341700MB0A12342H/202403-00031", "文号": "示科〔2024〕12号", "生成日期": "2024-03-06",
      "发布日期": "2024-03-08", "发布时间": "10:00"},
     {"页面元数据（已读入对应字段）", "分享和打印链接", "上一篇/下一篇"}),
    ("08-table-trs.html", ["示例市科技局2023年工作要点"],
     {"索引号": "11341700MB0A12342H/2023-00008", "组配分类": "计划总结", "主题分类": "科技", "发布机构": "示例市科技局",
      "文号": "示科〔2023〕5号", "生成日期": "2023-03-06", "发布日期": "2023-03-08", "有效性": "有效"},
     {"页面元数据（已读入对应字段）", "页面导航（当前位置）", "页面信息栏（发布时间、浏览次数、字体等）", "正文以外的页面内容（栏目、页头、页脚）"}),
    ("09-spans-gbk.html", ["示例市科技局关于印发2022年科技创新工作方案的通知"],
     {"索引号": "11341700MB0A12342H/202204-00003", "发布机构": "示例市科学技术局", "主题分类": "科技、教育/科技",
      "文号": "示科〔2022〕8号", "生成日期": "2022-04-12", "发布日期": "2022-04-15", "发布时间": "09:30", "有效性": "已废止"},
     {"页面元数据（已读入对应字段）", "附件链接（已列入“附件”）", "页面导航（当前位置）"}),
    ("10-gb18030-nometa.html", ["示例县科技局2021年工作总结"],
     {"索引号": "003217891/2022-00002", "组配分类": "计划总结", "生成日期": "2022-01-20", "发布日期": "2022-01-25"},
     {"页面元数据（已读入对应字段）", "正文以外的页面内容（栏目、页头、页脚）"}),
    ("11-compilation.html", ["示例县科协2024年工作计划", "示例镇科协2024年工作计划"], {},
     {"转载网站的推荐语", "汇编中的分篇标记", "分页标记", "下载链接", "分享和打印链接"}),
    ("12-br-oneline.htm", ["示例区科技局2025年科技工作计划"],
     {"发布日期": "2025-02-10", "发布时间": "16:30", "来源": "示例区科技局"},
     {"页面元数据（已读入对应字段）", "页面信息栏（发布时间、浏览次数、字体等）"}),
    ("13-dl-big5.html", ["示例縣科技局2024年工作計劃"],
     {"索引号": "11341700MB0A12342H/202402-00005", "发布机构": "示例市科技局", "发布日期": "2024-02-20"},
     {"页面元数据（已读入对应字段）"}),
]


def source_lines(path: Path, source: migration.Source) -> list[str]:
    """The text lines of the source: a document's lines, or a saved page's visible block lines."""
    if source.page is not None:
        return [pl.text for pl in source.page.lines]
    lines, _ = read_document(path)
    return lines


def check_nothing_lost(lines: list[str], source: migration.Source) -> None:
    result = source.result
    whole = Counter(no_space("".join(_clean(line) for line in lines)))
    kept = Counter(no_space("".join("".join(d.kept) for d in result.drafts)))
    dropped = Counter(no_space("".join(d.text for d in result.dropped)))
    assert whole == kept + dropped, (whole - (kept + dropped), (kept + dropped) - whole)
    for draft in result.drafts:
        page_text = html_text(str(render_body(draft.body_markdown())))
        title = draft.title if draft.title_line else ""
        assert no_space(title + page_text) == no_space("".join(draft.kept))


def test_the_corpus_is_large_and_varied():
    files = sorted(p.name for p in CORPUS_DIR.iterdir() if p.is_file() and p.suffix != ".pdf")
    assert files == sorted(row[0] for row in CORPUS) and len(files) >= 12
    raw = {name: (CORPUS_DIR / name).read_bytes() for name in files}
    for name in ("02-pian-cn-gbk.txt", "09-spans-gbk.html", "10-gb18030-nometa.html", "13-dl-big5.html"):
        with pytest.raises(UnicodeDecodeError):
            raw[name].decode("utf-8")  # really in a legacy encoding


@pytest.mark.parametrize("name,titles,fields,reasons", CORPUS, ids=[row[0] for row in CORPUS])
def test_corpus_document(name, titles, fields, reasons):
    path = CORPUS_DIR / name
    source = migration.read_source(path)
    drafts = source.result.drafts
    assert [d.title for d in drafts] == titles
    first = drafts[0].metadata if source.page is None else {**drafts[0].metadata, **source.page.metadata}
    for key, value in fields.items():
        assert first.get(key) == value, (key, first)
    assert reasons <= {d.reason for d in source.result.dropped}, {d.reason for d in source.result.dropped}
    for draft in drafts:
        assert draft.blocks, draft.title
        body = draft.body_markdown()
        for junk in ("以下是", "第2页", ".doc》", "相关文章", "最新文章", "分享到", "打印本页", "浏览次数", "扫一扫", "版权所有",
                     "网站首页", "篇一", "篇1", "【篇", "第一篇", "——————", "ICP备"):
            assert junk not in body, (draft.title, junk)
    for d in source.result.dropped:
        assert d.line >= 1 and d.reason  # every left-out line is reported with the line it came from
    check_nothing_lost(source_lines(path, source), source)


def test_split_plans_get_their_own_numbered_sections():
    source = migration.read_source(CORPUS_DIR / "01-pian-arabic.txt")
    assert [len(d.sections) for d in source.result.drafts] == [2, 2, 3]
    assert [[i.label for i in d.items] for d in source.result.drafts][:2] == [["1.", "2.", "3."], ["1.", "2.", "3."]]
    assert source.result.drafts[0].targets[0]["目标值"] == 20
    # a title written after the marker (篇1：…) stays the plan's title; the marker alone is reported
    marks = [(d.line, d.text) for d in source.result.dropped if d.reason == "汇编中的分篇标记"]
    assert marks == [(3, "篇1："), (12, "篇2"), (19, "篇3：")]


@pytest.mark.parametrize("text,parts", [
    ("篇1\n甲局2024年工作计划\n一、目标\n1.做好甲。\n篇2\n乙局2024年工作计划\n一、目标\n1.做好乙。\n", 2),
    ("第１篇 甲局2024年工作计划\n一、目标\n1.做好甲。\n第２篇 乙局2024年工作计划\n一、目标\n1.做好乙。\n", 2),  # full-width digits
    ("（篇一）甲局2024年工作计划\n一、目标\n1.做好甲。\n（篇二）乙局2024年工作计划\n一、目标\n1.做好乙。\n", 2),
    # a sentence that starts like a marker is not one; a lone 篇2 without 篇1 does not split
    ("甲局2024年工作计划\n第一篇文章指出，要做好甲。\n一、目标\n1.做好甲。\n", 1),
    ("甲局2024年工作计划\n篇2\n一、目标\n1.做好甲。\n", 1),
    # the title repeated right above the body is one plan, not two
    ("甲局2024年工作计划\n甲局2024年工作计划\n一、目标\n1.做好甲。\n2.做好乙。\n", 1),
])
def test_split_table(tmp_path, text, parts):
    path = tmp_path / "汇编.txt"
    path.write_text(text, encoding="utf-8")
    source = migration.read_source(path)
    assert len(source.result.drafts) == parts
    check_nothing_lost(text.splitlines(), source)


# --- the saved-page reader, field by field --------------------------------------------------------
from gongkai.editors import oldsite  # noqa: E402


@pytest.mark.parametrize("line,expected", [
    ("索 引 号：11341700MB0A12342H/2023-00008", {"索引号": "11341700MB0A12342H/2023-00008"}),
    ("索引号:003217891/2022-00002 信息分类:计划总结", {"索引号": "003217891/2022-00002", "组配分类": "计划总结"}),
    ("标　　题：示例局2023年工作要点", {"名称": "示例局2023年工作要点"}),
    ("发文机关：示例市科技局　　发文字号：示科〔2023〕5号", {"发布机构": "示例市科技局", "文号": "示科〔2023〕5号"}),
    ("成文日期：２０２３年３月８日", {"生成日期": "２０２３年３月８日"}),
    ("发布时间：2024-03-01 15:00 来源：市科技局 浏览次数： 字体：[ ]", {"发布日期": "2024-03-01 15:00", "来源": "市科技局"}),
    ("时效性：现行有效｜主题分类：科技", {"有效性": "现行有效", "主题分类": "科技"}),
    ("發布機構：示例市科技局", {"发布机构": "示例市科技局"}),
])
def test_metadata_labels(line, expected):
    assert oldsite.is_metadata_line(line)
    assert {name: value for name, _, value in oldsite.metadata_pairs(line)} == expected


@pytest.mark.parametrize("line", ["来源于群众的意见：要多听。", "浏览次数：12", "今年的工作：一是……", "这份文件的索引号：见上"])
def test_sentences_are_not_metadata(line):
    assert not oldsite.is_metadata_line(line)


@pytest.mark.parametrize("text,expected", [
    ("2023年3月8日", ("2023-03-08", "")), ("２０２３年３月８日", ("2023-03-08", "")), ("2023-03-08 10:25:31", ("2023-03-08", "10:25")),
    ("2023/3/8 9:05", ("2023-03-08", "09:05")), ("2023.03.08", ("2023-03-08", "")), ("2023－03－08", ("2023-03-08", "")),
    ("2023年03月08日 10时25分", ("2023-03-08", "10:25")), ("无", None), ("", None),
])
def test_dates_as_published(text, expected):
    assert oldsite.normal_date(text) == expected


@pytest.mark.parametrize("raw,encoding", [
    ('<meta charset="gb2312"><p>示例局2023年工作计划，朱镕基</p>'.encode("gb18030"), "gb18030"),  # 镕 is GBK, not GB2312
    ('<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>示例</p>'.encode("gbk"), "gb18030"),
    ('<meta charset="utf-8"><p>示例局2023年工作计划</p>'.encode("gbk"), "gb18030"),  # declared wrongly: falls back
    ('<meta charset="big5"><p>示例縣科技局</p>'.encode("big5"), "big5"),
    ('<meta charset="x-nonsense"><p>示例</p>'.encode("utf-8"), "utf-8"),
    ("\ufeff<p>示例</p>".encode("utf-8"), "utf-8-sig"),
    ("<p>示例局</p>".encode("gb18030"), "gb18030"),  # no declaration at all
])
def test_page_encodings(raw, encoding):
    text, enc = oldsite.decode_page(raw)
    assert enc == encoding and "示例" in text


def test_old_urls_from_comments_and_mirror_folders(tmp_path):
    saved = tmp_path / "a.html"
    saved.write_text("<!-- saved from url=(0048)http://kjj.example.gov.cn/art/2023/3/8/art_1.html -->\n<html><body>"
                     "<h1>示例局2023年工作计划</h1><div class='content'><p>一、目标：做好示例局的各项工作，力争取得成效。</p></div></body></html>",
                     encoding="utf-8")
    assert oldsite.read_page(saved).urls == ["http://kjj.example.gov.cn/art/2023/3/8/art_1.html"]
    httrack = tmp_path / "b.html"
    httrack.write_text("<html><!-- Mirrored from kjj.example.gov.cn/col/col12/index.html by HTTrack Website Copier/3.x -->"
                       "<body><p>正文</p></body></html>", encoding="utf-8")
    assert oldsite.read_page(httrack).urls == ["http://kjj.example.gov.cn/col/col12/index.html"]
    mirror = tmp_path / "站点" / "kjj.example.gov.cn" / "art" / "2021" / "c.html"
    mirror.parent.mkdir(parents=True)
    mirror.write_text("<p>正文</p>", encoding="utf-8")
    assert oldsite.read_page(mirror, tmp_path / "站点").urls == ["http://kjj.example.gov.cn/art/2021/c.html"]
    assert oldsite.read_page(saved.rename(tmp_path / "plain.html")).urls  # the comment, not the file name
    bare = tmp_path / "d.html"
    bare.write_text("<p>正文</p>", encoding="utf-8")
    assert oldsite.read_page(bare, tmp_path).urls == []
