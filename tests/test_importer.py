"""gongkai import: the importer on the reference plans and on harder cases (issue 6)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT as REPO
from conftest_editors import REFERENCE, html_text, no_space, project_copy, review_done, run_cli  # noqa: F401
from gongkai.data.yamlio import parse_text
from gongkai.editors.importer import _clean, find_date, find_targets, import_lines, import_text, md_escape, read_document
from gongkai.data.loader import load_project
from gongkai.markup.body import render_body

WORK_POINTS = REFERENCE / "plans" / "work-points-2021.txt"
COMPILATION = REFERENCE / "plans" / "compilation-3-plans-2024.txt"
GUANGDE = REFERENCE / "page-guangde-2024-plan.txt"


def _values(draft):
    return [(t["目标值"], t["单位"]) for t in draft.targets]


def assert_nothing_lost(lines: list[str], result) -> None:
    """Every character of the source is in a draft or in the furniture report, and each draft's
    rendered page text is exactly the source text it carries."""
    source = Counter(no_space("".join(_clean(line) for line in lines)))
    kept = Counter(no_space("".join("".join(d.kept) for d in result.drafts)))
    dropped = Counter(no_space("".join(d.text for d in result.dropped)))
    assert source == kept + dropped
    for draft in result.drafts:
        page_text = html_text(str(render_body(draft.body_markdown())))
        title = draft.title if draft.title_line else ""  # a stand-in title is not source text
        assert no_space(title + page_text) == no_space("".join(draft.kept))


# --- the reference texts ----------------------------------------------------------------------

def test_work_points_2021():
    lines, _ = read_document(WORK_POINTS)
    result = import_lines(lines)
    assert len(result.drafts) == 1
    d = result.drafts[0]
    assert d.title == "科学技术局2021年全市科技工作要点"
    assert d.year == 2021
    assert [s.label for s in d.sections] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"]
    assert len(d.items) == 23 and [i.number for i in d.items] == list(range(1, 24))
    assert d.items[4].where == "二、5."
    assert d.preamble[0].startswith("2021年是“十四五”规划开局之年")
    assert _values(d) == [(60, "个"), (25, "家"), (30, "家"), (20, "%"), (2, "家"), (1, "场"), (100, "家"),
                          (500, "人"), (10, "名"), (10, "名"), (1, "个"), (50, "项")]
    by_value = {(t["目标值"], t["单位"]): t for t in d.targets}
    assert by_value[(25, "家")]["指标"] == "新认定国家高新技术企业"
    assert "力争" in by_value[(25, "家")]["措辞"]
    assert by_value[(500, "人")]["措辞"].startswith("不少于")
    assert by_value[(20, "%")]["说明"].endswith("力争2021年全市R&D经费投入经费增长20%以上。")
    assert d.metadata["发布日期"] == "2021-02-23" and d.metadata["发布时间"] == "10:17"
    reasons = {x.reason for x in result.dropped}
    assert {"免责声明或转载声明", "网址或链接地址", "页面导航（当前位置）", "重复的标题"} <= reasons
    assert any("免责声明" in x.text for x in result.dropped)
    assert not d.warnings
    assert_nothing_lost(lines, result)


def test_compilation_becomes_three_plans():
    lines, _ = read_document(COMPILATION)
    result = import_lines(lines)
    assert [d.title for d in result.drafts] == ["市科学技术局2024年度工作计划", "市科学技术局2024年工作计划", "市科学技术局2024年工作计划"]
    assert [len(d.sections) for d in result.drafts] == [2, 8, 0]
    assert [len(d.items) for d in result.drafts] == [5, 0, 10]
    assert [i.label for i in result.drafts[2].items][:3] == ["一是", "二是", "三是"]
    assert _values(result.drafts[1]) == [(38, "亿元"), (65, "亿元"), (550, "家"), (600, "家"), (250, "家"), (10, "家"),
                                         (1, "家"), (2, "项"), (2, "项"), (70, "亿元"), (2000, "项")]
    assert _values(result.drafts[2]) == [(1, "万平方米"), (200, "家"), (40, "家"), (1, "家"), (20, "家"), (7, "项"),
                                         (70, "%"), (300, "项")]
    assert {x.reason for x in result.dropped} == {"汇编标题", "汇编目录"}
    assert "汇编" in result.warnings[0]
    assert_nothing_lost(lines, result)


def test_guangde_page_reads_metadata_and_runs():
    lines, _ = read_document(GUANGDE)
    result = import_lines(lines)
    (d,) = result.drafts
    assert d.title == "广德市科技局2024年工作计划"
    assert d.metadata["索引号"] == "1134172300325409XR/202403-00002"
    assert d.metadata["生成日期"] == "2024-03-01" and d.metadata["发布时间"] == "15:00"
    assert [s.label for s in d.sections] == ["(一)", "(二)", "(三)", "(四)", "(五)"]
    assert len(d.items) == 20 and {i.style for i in d.items} == {"run"}
    assert [i.where for i in d.items][9:11] == ["(三)一是", "(三)二是"]
    assert _values(d) == [(200, "家"), (200, "家"), (10, "%"), (16, "家"), (2, "个")]
    assert {"网站栏目链接", "页面元数据（已读入对应字段）", "页面信息栏（发布时间、浏览次数、字体等）"} <= {x.reason for x in result.dropped}
    assert_nothing_lost(lines, result)


# --- harder cases -----------------------------------------------------------------------------

ALL_STYLES = """示例县科学技术局2025年工作计划
今年的总体要求是稳中求进。
一、主要目标
（一）创新主体
1.新认定高新技术企业３０家以上。
2、科技型中小企业入库不少于１２０家。
（二）创新平台
(1)新建省级研发平台2个。
(2)建成孵化器面积达到1.5万平方米。
二、重点任务
(一)抓好项目
① 组织实施重大科技项目10项。
② 技术合同成交额超过5亿元。
(二)抓好服务
一是走访企业。二是宣讲政策,力争培训企业200家以上。三是兑现奖补。
"""


def test_every_numbering_style():
    result = import_text(ALL_STYLES)
    (d,) = result.drafts
    assert d.title == "示例县科学技术局2025年工作计划"
    assert [s.label for s in d.sections] == ["一、", "二、"]
    assert [(i.label, i.style) for i in d.items] == [
        ("（一）", "paren-cn"), ("1.", "arabic"), ("2、", "arabic"), ("（二）", "paren-cn"), ("(1)", "paren-arabic"),
        ("(2)", "paren-arabic"), ("(一)", "paren-cn"), ("①", "circled"), ("②", "circled"), ("(二)", "paren-cn"),
        ("一是", "run"), ("二是", "run"), ("三是", "run")]
    headings = [(b.level, b.text) for b in d.blocks if b.kind == "heading"]
    assert headings[:2] == [(2, "一、主要目标"), (3, "（一）创新主体")]
    assert _values(d) == [(30, "家"), (120, "家"), (2, "个"), (1.5, "万平方米"), (10, "项"), (5, "亿元"), (200, "家")]
    assert d.targets[0]["原文"] == "３０家以上"  # full-width digits read, original wording kept
    html = str(render_body(d.body_markdown()))
    assert "<h2" in html and "<h3" in html and "<ol" not in html  # "1." stays text, never a renumbered list
    assert_nothing_lost(ALL_STYLES.splitlines(), result)


def test_unfamiliar_layout_imports_with_a_warning():
    text = "关于做好今年几件事\n第一件事情是把路修好\n第二件事情是把桥建好\n"
    result = import_text(text, "几件事")
    (d,) = result.drafts
    assert d.title == "关于做好今年几件事"
    assert any("没有识别出" in w for w in d.warnings)
    assert_nothing_lost(text.splitlines(), result)


def test_no_title_at_all_still_imports():
    text = "。。。这是一段没有标题也没有编号的文字,只有一句话。\n"
    result = import_text(text, "无题")
    assert result.drafts[0].title == "无题"
    assert any("没有找到标题" in w for w in result.drafts[0].warnings)
    assert_nothing_lost(text.splitlines(), result)


def test_hard_wrapped_text_is_joined_into_paragraphs():
    para = "全市科技工作要坚持创新驱动发展战略,推动科技创新和产业创新深度融合,加快培育新质生产力,为高质量发展提供有力支撑。" * 2
    wrapped = [para[i:i + 30] for i in range(0, len(para), 30)]
    text = "\n".join(["某局2025年工作要点", *wrapped, "一、目标任务", "1.新增高新技术企业10家。", *wrapped])
    result = import_text(text)
    (d,) = result.drafts
    assert any("折行" in w for w in d.warnings)
    assert d.preamble == [para]
    assert len(d.sections) == 1 and len(d.items) == 1
    assert_nothing_lost(text.splitlines(), result)


def test_related_articles_and_downloads_are_furniture():
    text = "\n".join(["某局2025年工作计划", "附件下载:2025年工作计划.docx", "一、目标", "1.新增企业10家。",
                      "上一篇:某局2024年工作总结", "相关文章", "某局2023年工作计划", "某局2022年工作计划"])
    result = import_text(text)
    reasons = [(x.text, x.reason) for x in result.dropped]
    assert ("附件下载:2025年工作计划.docx", "下载链接") in reasons
    assert ("上一篇:某局2024年工作总结", "上一篇/下一篇") in reasons
    assert ("某局2022年工作计划", "相关文章列表") in reasons
    assert_nothing_lost(text.splitlines(), result)


@pytest.mark.parametrize("text", [
    "1. 第一项", "# 不是标题", "使用 *星号* 和 _下划线_ 与 [方括号](链接)", "a<b 且 c>d", "R&D 与 &amp; 字样",
    "- 不是列表", "> 不是引用", "{: #not-an-attr }", "反斜杠 \\ 保留", "`代码`",
])
def test_markdown_escaping_keeps_text(text):
    assert html_text(str(render_body(md_escape(text)))).strip() == text


# --- candidate targets ------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,expected", [
    ("确保实现我市高新技术企业达200家、科技型中小企业200家。", [("高新技术企业", 200, "家"), ("科技型中小企业", 200, "家")]),
    ("技术合同成交额达到70亿元。", [("技术合同成交额", 70, "亿元")]),
    ("力争研发投入年增长10%以上。", [("研发投入年增长", 10, "%")]),
    ("新增创业孵化面积1万平方米以上。", [("新增创业孵化面积", 1, "万平方米")]),
    ("力争全年认定科技特派员不少于500人。", [("认定科技特派员", 500, "人")]),
    ("组织实施80项科技创新项目。", [("组织实施科技创新项目", 80, "项")]),
    ("新增就业岗位１２００个。", [("新增就业岗位", 1200, "个")]),
    ("每年投入专项资金超过500万元。", [("投入专项资金", 500, "万元")]),
    ("持续推进年销售收入1亿元以上无研发活动的企业清零。", []),  # a threshold, not a target
    ("并予以3-4年时间的稳定支持。", []),
    ("推进与市科委达成的10个方面合作共识。", []),
    ("2024年是关键之年。", []),
])
def test_find_targets(sentence, expected):
    found = [(t["指标"], t["目标值"], t["单位"]) for t in find_targets(sentence)]
    assert found == expected
    for t in find_targets(sentence):
        assert t["说明"] == sentence and t["原文"] in sentence


# --- Word -------------------------------------------------------------------------------------

def _make_docx(path: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "示例县人民政府文件"
    numbering = doc.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("chineseCounting", "（%2）")]):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)

    def numbered(text: str, ilvl: int) -> None:
        p = doc.add_paragraph(text)
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = ilvl
        num_pr.get_or_add_numId().val = 90

    doc.add_paragraph("示例县科学技术局2025年工作计划", style="Title")
    doc.add_paragraph("2025年,我局将继续坚持创新驱动。")
    numbered("主要目标", 0)
    numbered("创新主体", 1)
    doc.add_paragraph("新认定高新技术企业30家以上。", style="List Number")
    doc.add_paragraph("科技型中小企业入库达到120家。", style="List Number")
    table = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("指标", "目标值"), ("高新技术企业", "30家"), ("研发投入 | 增长", "10%")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    numbered("重点任务", 0)
    doc.add_paragraph("做好科技服务。")
    doc.save(str(path))


def test_docx_with_automatic_numbering_and_a_table(tmp_path):
    path = tmp_path / "计划.docx"
    _make_docx(path)
    lines, notes = read_document(path)
    assert "一、主要目标" in lines and "（一）创新主体" in lines and "1.新认定高新技术企业30家以上。" in lines
    assert "二、重点任务" in lines  # the counter continues across the table
    assert any("示例县人民政府文件" in n for n in notes)
    result = import_lines(lines)
    (d,) = result.drafts
    assert d.title == "示例县科学技术局2025年工作计划"
    assert [s.label for s in d.sections] == ["一、", "二、"]
    assert [i.label for i in d.items] == ["（一）", "1.", "2."]
    assert _values(d)[:2] == [(30, "家"), (120, "家")]
    html = str(render_body(d.body_markdown()))
    assert "<table>" in html and "研发投入 | 增长" in html_text(html)


# --- dates and Word tables (issue 22) --------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("2025年2月20日", ("2025-02-20", "")),
    ("2025 年 2 月 20 日", ("2025-02-20", "")),
    ("２０２５年２月２０日", ("2025-02-20", "")),  # full-width digits
    ("二〇二五年二月二十日", ("2025-02-20", "")),  # Chinese numerals, as a 落款 is written
    ("二零二五年十二月三十一日", ("2025-12-31", "")),
    ("二〇二四年十月一日", ("2024-10-01", "")),
    ("发布时间：2025-02-20 15:30", ("2025-02-20", "15:30")),
    ("发布时间：２０２５－02－20", None),  # full-width dashes are not a date separator here
    ("2025年2月30日", None),  # does not exist
    ("二〇二五年二月三十日", None),
    ("二〇二五年", None),
    ("第二十日", None),
])
def test_find_date(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize("ending, created", [
    ("示例市科学技术局\n2025年2月20日", "2025-02-20"),
    ("示例市科学技术局\n二〇二五年二月二十日", "2025-02-20"),
    ("示例市科学技术局 二〇二五年二月二十日", "2025-02-20"),
    ("（二〇二五年二月二十日）", None),  # not a 落款 line: left for the editor
    ("做好全年工作，确保2025年12月31日前完成。", None),  # a deadline in a sentence is not the signing date
])
def test_signature_date_at_the_end(ending, created):
    (d,) = import_text(f"示例市科学技术局2025年工作计划\n一、目标\n1.新增企业10家。\n{ending}\n").drafts
    assert d.metadata.get("生成日期") == created


def _make_target_docx(path: Path) -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("示例市科学技术局2025年工作计划", style="Title")
    doc.add_paragraph("一、主要目标")
    table = doc.add_table(rows=4, cols=3)
    rows = [("指标", "目标值", "责任单位"), ("高新技术企业数量", "200家", "市科技局"), ("入库企业", "不少于60家", "各县区"),
            ("技术合同成交额", "70亿元以上", "市科技局")]
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            table.cell(r, c).text = value
    doc.add_paragraph("二、保障措施")
    doc.add_paragraph("加强组织领导。")
    doc.add_paragraph("示例市科学技术局")
    doc.add_paragraph("二〇二五年二月二十日")
    doc.save(str(path))


def test_docx_in_december_lands_in_its_year_with_rows_as_targets(project_copy, capsys, tmp_path, monkeypatch):
    """The issue's case: a .docx ending with its 落款, imported in December 2026, with a target table."""
    path = tmp_path / "计划.docx"
    _make_target_docx(path)
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-06")
    code, out, err = run_cli(project_copy, "import", str(path), "--dept", "skjj", capsys=capsys)
    assert code == 0, out + err
    written = project_copy / "data/plans/skjj/2025/gongzuo-jihua.yml"
    data = parse_text(written.read_text(encoding="utf-8")).data
    assert data["生成日期"] == data["发布日期"] == "2025-02-20"
    assert data["索引号"].split("/")[1].startswith("202502-")  # the document's month, never today's
    assert not (project_copy / "data/plans/skjj/2026").exists()
    # one target per row, with the row's columns as its wording, never the table's pipes
    assert [(t["指标"], t["类型"], t["目标值"], t["单位"]) for t in data["指标"]] == [
        ("高新技术企业数量", "达到", 200, "家"), ("技术合同成交额", "不少于", 70, "亿元")]
    assert data["指标"][0]["原文"] == "指标：高新技术企业数量；目标值：200家；责任单位：市科技局"
    assert all("|" not in str(v) for t in data["指标"] for v in t.values())
    # 入库企业 is not 高新技术企业: left for the editor, with its row
    (left,) = [m for m in data["待核对"] if m.startswith("候选指标")]
    assert "“60家”" in left and "原句：指标：入库企业；目标值：不少于60家；责任单位：各县区" in left
    assert "落款日期“二〇二五年二月二十日”已填为生成日期" in out


def test_no_date_no_number_until_the_dates_are_filled(project_copy, capsys, tmp_path, monkeypatch):
    """A document without any date: never today's 索引号; numbered once the editor has written its dates."""
    monkeypatch.setenv("GONGKAI_TODAY", "2026-12-06")
    path = tmp_path / "计划.txt"
    path.write_text("示例市科学技术局2025年工作计划\n一、目标\n1.做好科技服务。\n", encoding="utf-8")
    code, out, err = run_cli(project_copy, "import", str(path), "--dept", "skjj", capsys=capsys)
    plan = project_copy / "data/plans/skjj/2025/gongzuo-jihua.yml"
    text = plan.read_text(encoding="utf-8")
    assert "\n索引号:" not in text and "原文中没有找到日期" in text and "202612" not in text
    assert code == 1 and "生成日期: 不能为空" in err  # reported, nothing guessed
    plan.write_text(text.replace("生成日期:\n", "生成日期: 2025-02-20\n").replace("发布日期:\n", "发布日期: 2025-02-21\n"),
                    encoding="utf-8")
    code, out, err = run_cli(project_copy, "validate", "--fix", capsys=capsys)
    assert code == 1  # still 待核对 …
    number = parse_text(plan.read_text(encoding="utf-8")).data["索引号"]  # … but numbered by its own date
    assert number.split("/")[1].startswith("202502-"), number


def test_import_via_make_names_make_variables(project_copy, capsys, tmp_path, monkeypatch):
    path = tmp_path / "计划.txt"
    path.write_text("某局工作计划\n一、目标\n1.新增企业10家。\n", encoding="utf-8")
    monkeypatch.setenv("GONGKAI_MAKE", "1")
    code, _, err = run_cli(project_copy, "import", str(path), capsys=capsys)
    assert code == 2 and "请用 DEPT=gdkjj 指定发布机构" in err and "--dept" not in err
    code, _, err = run_cli(project_copy, "import", str(path), "--dept", "skjj", capsys=capsys)
    assert code == 2 and "YEAR=" in err and "DATE=YYYY-MM-DD" in err and "--year" not in err


def test_damaged_docx_is_explained(tmp_path):
    from gongkai.editors.errors import ImportFailed as ImportError_

    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportError_, match="无法打开 Word 文件"):
        read_document(bad)


def test_markdown_source(tmp_path):
    path = tmp_path / "计划.md"
    path.write_text("# 某局2025年工作计划\n\n## 一、目标\n\n**1.新增**企业10家以上。\n\n- 一是走访。二是服务。\n", encoding="utf-8")
    lines, _ = read_document(path)
    (d,) = import_lines(lines).drafts
    assert d.title == "某局2025年工作计划"
    assert [s.label for s in d.sections] == ["一、"] and d.items[0].label == "1."
    assert _values(d) == [(10, "家")]


def test_gbk_text_file(tmp_path):
    path = tmp_path / "计划.txt"
    path.write_bytes("某局2025年工作计划\n一、目标\n1.新增企业10家。\n".encode("gbk"))
    lines, _ = read_document(path)
    assert lines[0] == "某局2025年工作计划"


# --- the command ------------------------------------------------------------------------------

def test_cli_imports_work_points_into_a_valid_buildable_plan(project_copy, capsys, tmp_path):
    root = project_copy
    code, out, err = run_cli(root, "import", str(WORK_POINTS), "--dept", "skjj", capsys=capsys)
    assert code == 0, out + err
    path = root / "data/plans/skjj/2021/keji-gongzuo-yaodian-2.yml"  # the sample already uses the plain name
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 政府信息公开条目（工作计划）。渲染模板：templates/components/plan_page")
    assert "修改后运行：make validate" in text.splitlines()[1]
    assert "索引号: 11341700MB0A12342H/202102-00002" in text  # next after the sample's 00001
    # 12 candidates: 8 became targets (each with its 待核对 line), 4 are in the plan's 待核对 list with the reason
    data = parse_text(text).data
    assert [bool(t.get("待核对", "").startswith("指标按原文中的“")) for t in data["指标"]] == [True] * 8
    assert "找到 12 个候选指标：8 个已按指标词表填入“指标”（待核对），4 个未能填入（列在“待核对”中）" in out
    marks = data["待核对"]
    assert marks[0].startswith("由 gongkai import 从 work-points-2021.txt 导入")
    left = [m for m in marks if m.startswith("候选指标")]
    assert len(left) == 4
    assert left[0].startswith("候选指标“20%以上”没有填入“指标”：“增长”类目标需要基数") and "“研发经费投入”" in left[0]
    assert left[0].endswith("力争2021年全市R&D经费投入经费增长20%以上。——是目标的按 docs/targets.md 写进“指标”，不是的删除这一项")
    assert "单位“家”与指标“新增科技孵化平台数量”的单位“个”不一致" in left[1] and left[2].startswith("候选指标“10-20名”")
    # “建成1个以上星创天地等创业服务平台”: 创业服务平台 are counted, not 孵化平台 — not mapped
    assert left[3].startswith("候选指标“1个以上”没有填入“指标”：指标词表中没有对应的指标")
    assert "免责声明" in out and "还有 13 处“待核对”" in out
    # not publishable until reviewed: every 待核对 is an error of `gongkai validate`, at its own line …
    project, problems = load_project(root)
    assert project is None
    mine = [p for p in problems.errors if "keji-gongzuo-yaodian-2" in p.path]
    assert len(mine) == len(problems.errors) == 13 and all("待核对" in p.field for p in mine)
    assert all(text.splitlines()[p.line - 1].lstrip(" -").startswith(("待核对", '"')) for p in mine)
    # … the preview shows the plan, marked
    project, problems = load_project(root, drafts=True)
    assert project is not None, problems.report()
    # the editor reviews: deletes each 待核对; then it validates and builds
    removed = review_done(path)
    assert len(removed.splitlines()) == 1 + 1 + 5 + 8  # comment and key of the list, its 5 items, 8 targets' lines
    project, problems = load_project(root)
    assert project is not None, problems.report()
    assert not [p for p in problems.items if "keji-gongzuo-yaodian-2" in p.path]
    plan = next(p for p in project.plans if p.path.endswith("keji-gongzuo-yaodian-2.yml"))
    assert plan.title == "科学技术局2021年全市科技工作要点"
    assert plan.topic == "科技、教育\\科技"  # the department's usual topic
    assert plan.published_text == "2021-02-23 10:17"
    assert [(t.indicator.name, t.kind, t.value, t.anchor_label) for t in plan.targets][:3] == [
        ("列入上级科技计划项目数", "不少于", 60, "一、1."), ("新认定高新技术企业数量", "达到", 25, "二、5."),
        ("新增备案省级高新技术企业数量", "达到", 30, "二、5.")]
    assert len(plan.targets) == 8
    from gongkai.engine.build import build_site

    assert build_site(root, tmp_path / "site", quiet=True) == 0
    page = (tmp_path / "site/xxgk/skjj/2021/keji-gongzuo-yaodian-2/index.html").read_text(encoding="utf-8")
    assert "科学技术局2021年全市科技工作要点" in page and "23.加强科技管理队伍建设" in page
    assert "免责声明" not in page and "bsmz.net" not in page
    table = page[page.index('<section class="gk-targets"'):]
    table = table[:table.index("</section>")]
    assert "本文件共有8项主要目标" in table
    row = re.search(r'<tr id="gk-target-gaoqi-xinrending">(.*?)</tr>', table, re.S).group(1)
    assert "新认定高新技术企业数量" in row and "达到 25" in html_text(row) and 'href="#gk-s2-n5"' in row
    assert 'id="gk-s2-n5"' in page  # the paragraph the target links to


def test_cli_splits_a_compilation_and_keeps_a_real_index_number(project_copy, capsys):
    root = project_copy
    # the compilation has no dates: without --date nothing is numbered, and the files cannot pass until dated
    code, out, err = run_cli(root, "import", str(COMPILATION), "--dept", "skjj", "--dry-run", capsys=capsys)
    assert code == 0 and "\n索引号:" not in out and "原文中没有找到日期" in out
    code, out, err = run_cli(root, "import", str(COMPILATION), "--dept", "skjj", "--date", "2024-03-01", capsys=capsys)
    assert code == 0, out + err
    mine = ["gongzuo-jihua-2.yml", "gongzuo-jihua.yml", "niandu-gongzuo-jihua-2.yml"]  # 2024, beside the sample's
    assert sorted(set(p.name for p in (root / "data/plans/skjj/2024").glob("*.yml")) - set(p.name for p in (REPO / "data/plans/skjj/2024").glob("*.yml"))) == mine
    numbers = [re.search(r"^索引号: (.*)$", (root / "data/plans/skjj/2024" / f).read_text(), re.M).group(1) for f in mine]
    assert len(set(numbers)) == 3 and all("/202403-" in n for n in numbers)  # the period of the document's date
    assert "找到 11 个候选指标：11 个已按指标词表填入“指标”（待核对），0 个未能填入" in out and "格式检查通过" in out
    # the Guangde page carries a published 索引号: kept when free …
    (root / "data/plans/gdkjj/2024/gongzuo-jihua.yml").rename(root / "gongzuo-jihua.yml.bak")
    code, out, err = run_cli(root, "import", str(GUANGDE), capsys=capsys)  # 发布机构“市科技局” is gdkjj's 简称
    assert code == 0, out + err
    path = root / "data/plans/gdkjj/2024/gongzuo-jihua.yml"
    text = path.read_text(encoding="utf-8")
    assert "索引号: 1134172300325409XR/202403-00002" in text and "主题分类: 其他" in text and '发布时间: "15:00"' in text
    assert "找到 5 个候选指标：4 个已按指标词表填入“指标”（待核对），1 个未能填入" in out and "格式检查通过" in out
    assert any(m.startswith("候选指标“10%以上”") and m.endswith("力争研发投入年增长10%以上。——是目标的按 docs/targets.md 写进“指标”，不是的删除这一项")
               for m in parse_text(text).data["待核对"])
    # … and never renumbered (issue 17): a second import of the same page is refused, nothing written
    before = sorted(p.name for p in (root / "data/plans/gdkjj/2024").glob("*.yml"))
    code, out, err = run_cli(root, "import", str(GUANGDE), "--dept", "gdkjj", capsys=capsys)
    assert code == 1 and "索引号 1134172300325409XR/202403-00002 已被 data/plans/gdkjj/2024/gongzuo-jihua.yml 使用" in err
    assert "没有导入" in err and sorted(p.name for p in (root / "data/plans/gdkjj/2024").glob("*.yml")) == before


def test_cli_refuses_what_it_cannot_read(project_copy, capsys, tmp_path):
    pdf = tmp_path / "计划.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    code, _, err = run_cli(project_copy, "import", str(pdf), "--dept", "skjj", capsys=capsys)
    assert code == 2 and "不支持 .pdf" in err
    code, out, _ = run_cli(project_copy, "import", str(WORK_POINTS), "--dept", "skjj", "--dry-run", capsys=capsys)
    assert code == 0 and "正文: |" in out
    assert not (project_copy / "data/plans/skjj/2021/keji-gongzuo-yaodian-2.yml").exists()
