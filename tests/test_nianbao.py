"""政府信息公开工作年度报告 (issue 21): the data files and their checks, the pages, the open data, the import.

The broken-report corpus breaks each rule of the format once in the sample report
data/nianbao/skjj/2024.yml and lists the exact messages (``path:line: 行·列: 问题 — 怎么改``)."""
from __future__ import annotations

import csv
import io
from urllib.parse import urljoin
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project
from conftest_nianbao import write_docx, write_html
from gongkai.cli import main as cli_main
from gongkai.data import nianbao_format as nf
from gongkai.data.loader import load_project
from gongkai.data.yamlio import load_file
from gongkai.editors.nianbao_import import looks_like_report, read_report

F24, F23 = "data/nianbao/skjj/2024.yml", "data/nianbao/skjj/2023.yml"
SAMPLE24 = (ROOT / F24).read_text(encoding="utf-8")
SAMPLE23 = (ROOT / F23).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """The sample project without its plans (the reports' checks do not need them): fast to load."""
    root = copy_project(tmp_path_factory.mktemp("nianbao") / "proj")
    shutil.rmtree(root / "data" / "plans")
    return root


def _line(text: str, needle: str) -> int:
    """The line of the data file that starts with ``needle`` (after its indentation)."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(needle.strip()))


def test_the_sample_reports_load_and_agree():
    project, problems = load_project(ROOT)
    assert project is not None, problems.report()
    assert not [p for p in problems.items if p.path.startswith("data/nianbao/")], problems.report()
    r24, r23 = project.reports  # newest first
    assert (r24.year, r23.year) == (2024, 2023) and r24.department.slug == "skjj"
    assert r24.t3[(nf.CARRIED_IN,)] == r23.t3[(nf.CARRIED_OUT,)]
    assert r24.t2["行政规范性文件"]["现行有效件数"] == r23.t2["行政规范性文件"]["现行有效件数"] + 3 - 2
    total = r24.t3[(nf.RESULTS, nf.RESULTS_TOTAL)]
    assert total[nf.TOTAL] == 16 and r24.org((nf.RESULTS, nf.RESULTS_TOTAL)) == 4


def _sub(old: str, new: str, text: str = SAMPLE24, count: int = 1) -> str:
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


NEW = "  本年新收政府信息公开申请数量: {自然人: 12, 商业企业: 2, 科研机构: 0, 社会公益组织: 1, 法律服务机构: 0, 其他: 1, 总计: 16}"
CARRIED = "  上年结转政府信息公开申请数量: {自然人: 1, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 2}"
OUT = "  结转下年度继续办理: {自然人: 1, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 2}"
TOTAL = "    总计: {自然人: 12, 商业企业: 2, 科研机构: 0, 社会公益组织: 1, 法律服务机构: 0, 其他: 1, 总计: 16}"
SECRET = "      属于行政查询事项: {自然人: 0, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 0}"
REVIEW = "  行政复议: {结果维持: 0, 结果纠正: 1, 其他结果: 0, 尚未审结: 1, 总计: 2}"
T3 = "三、本年度办理结果"

# (id, the broken 2024 file, [(needle of the line, message after "path:line: ")], warning)
BROKEN = [
    ("row-total", _sub("其他: 1, 总计: 16}", "其他: 1, 总计: 17}"),
     [("本年新收", "一、本年新收政府信息公开申请数量·总计: 是 17，应为 自然人+法人或其他组织 = 16 — 改正其中一项")]),
    ("org-parts", _sub(NEW, NEW.replace("其他: 1,", "其他: 1, 法人或其他组织: 5,")),
     [("本年新收", "一、本年新收政府信息公开申请数量·法人或其他组织: 是 5，应为 商业企业+科研机构+社会公益组织+法律服务机构+其他 = 4 — 改正其中一项")]),
    ("group-subtotal", _sub(SECRET, SECRET + "\n      小计: {自然人: 2, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 1}"),
     [("小计", f"{T3}（三）不予公开小计·自然人: 是 2，应为 1.+…+8. = 1 — 改正其中一项")]),
    ("results-total", _sub(TOTAL, TOTAL.replace("自然人: 12", "自然人: 13")),
     [("    总计: {自然人: 13", f"{T3}（七）总计·自然人: 是 13，应为 （一）+…+（六） = 12 — 改正其中一项")]),
    ("item-typo", _sub("    予以公开: {自然人: 7,", "    予以公开: {自然人: 8,"),
     [("    总计: {自然人: 12", f"{T3}（七）总计·自然人: 是 12，应为 （一）+…+（六） = 13 — 改正其中一项")]),
    ("column-identity", _sub(OUT, OUT.replace("自然人: 1, 商业企业: 1", "自然人: 0, 商业企业: 2")),
     [("结转下年度", "四、结转下年度继续办理·商业企业: 是 2，应为 一+二−三（七） = 1 — 本年新收 + 上年结转 = 办理结果总计 + 结转下年度；请核对这一列"),
      ("结转下年度", "四、结转下年度继续办理·自然人: 是 0，应为 一+二−三（七） = 1 — 本年新收 + 上年结转 = 办理结果总计 + 结转下年度；请核对这一列")]),
    ("review-total", _sub(REVIEW, REVIEW.replace("总计: 2", "总计: 3")),
     [("行政复议: {", "四、行政复议·总计: 是 3，应为 结果维持+结果纠正+其他结果+尚未审结 = 2 — 改正其中一项")]),
    ("litigation-total", _sub("未经复议直接起诉: {结果维持: 1, 结果纠正: 0, 其他结果: 0, 尚未审结: 0, 总计: 1}",
                              "未经复议直接起诉: {结果维持: 1, 结果纠正: 0, 其他结果: 0, 尚未审结: 0, 总计: 0}"),
     [("未经复议直接起诉", "四、行政诉讼·未经复议直接起诉·总计: 是 0，应为 结果维持+结果纠正+其他结果+尚未审结 = 1 — 改正其中一项")]),
    ("carried-over", _sub(NEW, NEW.replace("自然人: 12", "自然人: 13").replace("总计: 16", "总计: 17"),
                          _sub(CARRIED, CARRIED.replace("自然人: 1", "自然人: 0").replace("总计: 2", "总计: 1"))),
     [("上年结转", "二、上年结转政府信息公开申请数量·总计: 是 1，应为2023年报告的“结转下年度继续办理” = 2（data/nianbao/skjj/2023.yml:{l23}）"
                  " — 上年结转的申请就是上一年结转下年度的申请；请改正本年或上年报告中的一处"),
      ("上年结转", "二、上年结转政府信息公开申请数量·自然人: 是 0，应为2023年报告的“结转下年度继续办理” = 1（data/nianbao/skjj/2023.yml:{l23}）"
                  " — 上年结转的申请就是上一年结转下年度的申请；请改正本年或上年报告中的一处")]),
    ("decimal-count", _sub("行政许可: {本年处理决定数量: 41}", "行政许可: {本年处理决定数量: 41.5}"),
     [("行政许可", "二、第二十条第（五）项·行政许可·本年处理决定数量: 是 41.5，应为整数 — 件数、数量只能是整数")]),
    ("negative", _sub("行政处罚: {本年处理决定数量: 2}", "行政处罚: {本年处理决定数量: -2}"),
     [("行政处罚", "二、第二十条第（六）项·行政处罚·本年处理决定数量: 是 -2，不能是负数 — 请核对原表")]),
    ("full-width", _sub("行政处罚: {本年处理决定数量: 2}", "行政处罚: {本年处理决定数量: \"２\"}"),
     [("行政处罚", "二、第二十条第（六）项·行政处罚·本年处理决定数量: “２”写成了文字或含有全角字符 — 请写成半角数字 2（不加引号）")]),
    ("with-unit", _sub("行政许可: {本年处理决定数量: 41}", "行政许可: {本年处理决定数量: 41件}"),
     [("行政许可", "二、第二十条第（五）项·行政许可·本年处理决定数量: “41件”不是数字 — 只写数字 41，不写单位“件”")]),
    ("amount-decimals", _sub("行政事业性收费: {本年收费金额: 0}", "行政事业性收费: {本年收费金额: 1.234}"),
     [("行政事业性收费", "二、第二十条第（八）项·行政事业性收费·本年收费金额（单位：万元）: 是 1.234，最多两位小数 — 金额以万元为单位，保留两位小数，例如 1.23")]),
    ("parts-incomplete", _sub(CARRIED, CARRIED.replace(" 科研机构: 0,", "")),
     [("上年结转", "二、上年结转政府信息公开申请数量·法人或其他组织: 五类只填了4类，缺少科研机构 — 五类都填（没有的写 0），或五类都不填、只写“法人或其他组织”合计")]),
    ("published-before-year-end", _sub('发布日期: "2025-01-17"', '发布日期: "2024-12-30"'),
     [("发布日期", "发布日期: 发布日期 2024-12-30 在2024年结束之前 — 2024年的报告在2025年公布，请核对年度（文件名）和发布日期")]),
]

WARNINGS = [
    ("in-force-chain", _sub("行政规范性文件: {本年制发件数: 3, 本年废止件数: 2, 现行有效件数: 7}",
                            "行政规范性文件: {本年制发件数: 3, 本年废止件数: 2, 现行有效件数: 8}"),
     ("行政规范性文件", "二、第二十条第（一）项·行政规范性文件·现行有效件数: 是 8，按2023年报告应为 6 + 3 − 2 = 7 — "
                   "上年现行有效 + 本年制发 − 本年废止；有修改、失效等其他变化的请在“其他需要报告的事项”中说明（提醒，不影响生成）")),
    ("published-late", _sub('发布日期: "2025-01-17"', '发布日期: "2025-02-03"'),
     ("发布日期", "发布日期: 2025-02-03 晚于条例第四十九条规定的 2025-01-31 — 年度报告应在每年1月31日前公布；已晚发布的请如实填写（提醒，不影响生成）")),
]


@pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in BROKEN], ids=[i for i, _, _ in BROKEN])
def test_each_broken_rule_is_named_by_file_line_row_and_column(small, text, expected):
    path = small / F24
    path.write_text(text, encoding="utf-8")
    try:
        project, problems = load_project(small)
    finally:
        path.write_text(SAMPLE24, encoding="utf-8")
    l23 = _line(SAMPLE23, "结转下年度继续办理")
    want = [f"{F24}:{_line(text, needle)}: {message.format(l23=l23)}" for needle, message in expected]
    got = [str(p) for p in problems.errors]
    assert project is None and got == want


@pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in WARNINGS], ids=[i for i, _, _ in WARNINGS])
def test_warnings_do_not_stop_the_build(small, text, expected):
    path = small / F24
    path.write_text(text, encoding="utf-8")
    try:
        project, problems = load_project(small)
    finally:
        path.write_text(SAMPLE24, encoding="utf-8")
    needle, message = expected
    assert project is not None, problems.report()
    assert [str(p) for p in problems.warnings if p.path == F24] == [f"{F24}:{_line(text, needle)}: {message}"]


def test_validate_exits_1_and_lists_every_problem_at_once(small, capsys):
    broken = _sub(REVIEW, REVIEW.replace("总计: 2", "总计: 3"), dict(BROKEN_TEXT)["row-total"])
    (small / F24).write_text(broken, encoding="utf-8")
    try:
        code = cli_main(["--root", str(small), "validate"])
    finally:
        (small / F24).write_text(SAMPLE24, encoding="utf-8")
    err = capsys.readouterr()
    text = err.out + err.err
    assert code == 1 and "Traceback" not in text
    assert f"{F24}:{_line(broken, '本年新收')}: 一、本年新收政府信息公开申请数量·总计: 是 17" in text
    assert f"{F24}:{_line(broken, '行政复议: {')}: 四、行政复议·总计: 是 3" in text


BROKEN_TEXT = [(i, t) for i, t, _ in BROKEN]


@pytest.mark.parametrize("rel,message", [
    ("data/nianbao/skjj/2024.yaml", "年度报告文件的位置或文件名不对 — 请把扩展名改为 .yml"),
    ("data/nianbao/nope/2024.yml", "文件夹“nope”不是已有的发布机构 — 可用的机构：gdkjj、skjj"),
    ("data/nianbao/skjj/２０２４.yml", "文件名“２０２４”不是4位年份 — 文件名写报告的统计年度，例如 2024.yml"),
])
def test_misplaced_files(small, rel, message):
    path = small / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SAMPLE24, encoding="utf-8")
    try:
        _, problems = load_project(small)
    finally:
        path.unlink()
        if not any(path.parent.iterdir()):
            path.parent.rmdir()
    assert f"{rel}: {message}" in [str(p) for p in problems.errors]


def test_site_items_are_counted_against_the_table(small):
    """A department that publishes its 行政规范性文件 as items: the report's 本年制发件数 is compared."""
    cats = small / "data" / "vocab" / "categories.yml"
    dept = small / "data" / "departments" / "skjj.yml"
    old_cats, old_dept = cats.read_text(encoding="utf-8"), dept.read_text(encoding="utf-8")
    cats.write_text(old_cats + "- 名称: 行政规范性文件\n  标识: xzgfxwj\n", encoding="utf-8")
    dept.write_text(old_dept.replace("  - 其他\n", "  - 其他\n  - 行政规范性文件\n"), encoding="utf-8")
    try:
        project, problems = load_project(small)
    finally:
        cats.write_text(old_cats, encoding="utf-8")
        dept.write_text(old_dept, encoding="utf-8")
    assert project is not None, problems.report()
    line = _line(SAMPLE24, "行政规范性文件: {")
    assert (f"{F24}:{line}: 二、第二十条第（一）项·行政规范性文件·本年制发件数: 是 3，本站公开的生成日期在2024年的“行政规范性文件”有 0 件"
            " — 请核对：报告的数字应与网站公开的文件一致（提醒，不影响生成）") in [str(p) for p in problems.warnings]


# --- pages --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report_page(sample_site) -> BeautifulSoup:
    return BeautifulSoup((sample_site / "xxgk/nianbao/skjj/2024/index.html").read_text(encoding="utf-8"), "html.parser")


def test_report_page_has_six_parts_and_three_tables_in_order(report_page):
    heads = [h.get_text(strip=True) for h in report_page.select("article.gk-nianbao h2")]
    assert heads == [head for _, head in nf.PARTS]
    captions = [c.contents[0].strip() for c in report_page.select("table.gk-nianbao__table caption")]
    assert captions == ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]


def test_table_three_rows_in_the_official_order_with_full_labels(report_page):
    t3 = report_page.select_one("#gk-nb3")
    labels = [th.get_text(strip=True) for tr in t3.select("tbody tr") for th in tr.find_all("th")[-1:]]
    expected = [nf.T3_TOP[0][1], nf.T3_TOP[1][1]]
    for _, label, items in nf.RESULT_GROUPS:
        expected += [label] if items is None else [f"{n}.{item}" for n, item in enumerate(items, 1)]
    expected += [nf.RESULTS_TOTAL_LABEL, nf.T3_TOP[3][1]]
    assert labels == expected
    head = [th.get_text(strip=True) for th in t3.select("thead th")]
    assert head == ["申请人情况", nf.PERSON, nf.ORG, nf.TOTAL, *nf.ORG_PARTS]
    assert "部分公开（区分处理的，只计这一情形，不计其他情形）" in t3.get_text()


def test_every_number_names_its_row_and_column_headers(report_page):
    for table in report_page.select("table.gk-nianbao__table"):
        ids = {th["id"]: th.get_text(strip=True) for th in table.find_all("th") if th.get("id")}
        assert all(th.get("scope") in ("row", "col", "colgroup") for th in table.find_all("th"))
        for td in table.select("tbody td"):
            names = td.get_attribute_list("headers")
            assert names and all(n in ids for n in names), td
    # (三)不予公开 6.属于四类过程性信息 · 自然人 = 1, read through its headers
    t3 = report_page.select_one("#gk-nb3")
    ids = {th["id"]: th.get_text(strip=True) for th in t3.find_all("th") if th.get("id")}
    cells = {tuple(ids[n] for n in td.get_attribute_list("headers")): td.get_text() for td in t3.select("tbody td")}
    assert cells[(T3, "（三）不予公开", "6.属于四类过程性信息", "申请人情况", "自然人")] == "1"
    assert cells[(T3, "（七）总计", "申请人情况", "法人或其他组织", "其他")] == "1"
    assert cells[(T3, "（七）总计", "申请人情况", "总计")] == "16"
    t4 = report_page.select_one("#gk-nb4")
    ids = {th["id"]: th.get_text(strip=True) for th in t4.find_all("th") if th.get("id")}
    cells = {tuple(ids[n] for n in td.get_attribute_list("headers")): td.get_text() for td in t4.select("tbody td")}
    assert cells[("行政诉讼", "未经复议直接起诉", "结果维持")] == "1" and cells[("行政复议", "总计")] == "2"


def test_year_over_year_chart_and_index(report_page, sample_site):
    chart = report_page.select_one("svg.gk-chart#gk-chart-nianbao")
    assert "2023年" in chart.get_text() and "2024年" in chart.get_text()
    assert "本年新收申请：2023年15件，2024年16件" in chart.select_one("desc").get_text()
    index = BeautifulSoup((sample_site / "xxgk/nianbao/index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(strip=True): a["href"] for a in index.select("table a")}
    assert links == {"示例市科学技术局2024年政府信息公开工作年度报告": "skjj/2024/", "示例市科学技术局2023年政府信息公开工作年度报告": "skjj/2023/"}
    xxgk = BeautifulSoup((sample_site / "xxgk/index.html").read_text(encoding="utf-8"), "html.parser")
    targets = {urljoin("/xxgk/", a["href"]) for a in xxgk.find_all("a", string="政府信息公开年报")}
    assert targets == {"/xxgk/nianbao/"}  # the catalogue entry and the 栏目导航 link alike


def test_tables_as_open_data(sample_site):
    rows = list(csv.reader(io.StringIO((sample_site / "sjkf/nianbao/skjj/2024.csv").read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["表", "行", "列", "数值"]
    assert ["三", f"{T3}（七）总计", "总计", "16"] in rows and ["四", "行政诉讼·未经复议直接起诉", "结果维持", "1"] in rows
    data = json.loads((sample_site / "sjkf/nianbao/skjj/2024.json").read_text(encoding="utf-8"))
    assert data[nf.T3][nf.RESULTS]["不予公开"]["属于四类过程性信息"][nf.PERSON] == 1
    assert data[nf.T3][nf.CARRIED_OUT][nf.ORG] == 1 and data["格式"] == "国办公开办函〔2021〕30号"
    page = (sample_site / "sjkf/index.html").read_text(encoding="utf-8")
    assert "../sjkf/nianbao/skjj/2024.csv" in page or "nianbao/skjj/2024.csv" in page


# --- import -------------------------------------------------------------------------------------------

SAMPLE_DATA = load_file(ROOT / F24).data


def _same(got: dict, want: dict) -> None:
    for key in (nf.T2, nf.T3, nf.T4):
        assert got[key] == want[key], key
    for key in (*nf.PROSE_PARTS, "前言"):
        assert got[key].strip() == want[key].strip(), key
    assert got["名称"] == want["名称"]


@pytest.mark.parametrize("writer,suffix,numbering", [
    (write_docx, ".docx", "（一）"), (write_html, ".html", "（一）"), (write_html, ".htm", "(一)"), (write_docx, ".docx", "(一)"),
], ids=["docx", "html", "html-half-width", "docx-half-width"])
def test_import_reads_every_cell_of_a_published_layout(tmp_path, writer, suffix, numbering):
    path = writer(tmp_path / f"report{suffix}", SAMPLE_DATA, numbering=numbering)
    assert looks_like_report(path)
    imp = read_report(path)
    assert (imp.unplaced, imp.missing, imp.year) == ([], [], 2024)
    _same(imp.data, SAMPLE_DATA)


def test_import_reports_what_it_could_not_place(tmp_path):
    path = write_html(tmp_path / "r.html", SAMPLE_DATA)
    text = path.read_text(encoding="utf-8")
    text = text.replace("<p><span>2.重复申请</span></p>", "<p><span>2.重复提交</span></p>")  # a row label not in the format
    text = re.sub(r"<tr><td><p><span>行政强制</span></p></td>.*?</tr>", "", text)  # a row left out
    path.write_text(text, encoding="utf-8")
    imp = read_report(path)
    assert imp.missing == ["二、行政强制·本年处理决定数量", "三、本年度办理结果（五）不予处理2.重复申请（整行）"]
    assert imp.unplaced == ["表三第20行“三、本年度办理结果(五)不予处理2.重复提交”：1、0、0、0、0、0、1（不认识这一行）"]


def test_a_plan_is_not_taken_for_a_report(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("示例市科技局2024年工作计划")
    d.add_paragraph("一、总体要求")
    d.save(str(tmp_path / "plan.docx"))
    assert not looks_like_report(tmp_path / "plan.docx")


def test_gongkai_import_writes_a_valid_report_file(tmp_path, capsys):
    root = copy_project(tmp_path / "proj")
    shutil.rmtree(root / "data" / "plans")
    (root / F24).unlink()
    source = write_docx(tmp_path / "示例市科学技术局2024年年报.docx", SAMPLE_DATA)
    code = cli_main(["--root", str(root), "import", str(source), "--date", "2025-01-17"])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert "已写入 data/nianbao/skjj/2024.yml（年度报告，0 处没有放进表格，0 处没有找到）" in out.out
    written = load_file(root / F24).data
    _same(written, SAMPLE_DATA)
    assert written["发布日期"] == "2025-01-17"
    project, problems = load_project(root)
    assert project is not None and not problems.items, problems.report()
    # again: the file is there, nothing is overwritten
    assert cli_main(["--root", str(root), "import", str(source)]) == 1
    assert "已存在" in capsys.readouterr().err


# --- in the browser: the phone and the printed page ------------------------------------------------

from conftest_a11y import a11y_server, new_page, settings_script  # noqa: E402,F401 - fixtures

REPORT = "xxgk/nianbao/skjj/2024/"
JS_STICKY = """() => {
  const wrap = document.querySelector('#gk-nb3').parentElement;
  const head = [...document.querySelectorAll('#gk-nb3 th')].find(th => th.textContent === '1.属于国家秘密');
  const cell = head.parentElement.querySelector('td');
  const before = [head.getBoundingClientRect().left, cell.getBoundingClientRect().left];
  wrap.scrollLeft = 400;
  const after = [head.getBoundingClientRect().left, cell.getBoundingClientRect().left];
  return {wrapLeft: wrap.getBoundingClientRect().left, scrolled: wrap.scrollLeft, before, after,
          scrollable: wrap.scrollWidth > wrap.clientWidth, focusable: wrap.tabIndex === 0};
}"""


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_on_a_phone_the_row_header_stays_in_view(new_page, a11y_server, elder):
    page = new_page(width=390, height=800)
    if elder:
        page.context.add_init_script(settings_script(elder=True))
    page.goto(a11y_server + REPORT)
    got = page.evaluate(JS_STICKY)
    assert got["scrollable"] and got["focusable"] and got["scrolled"] > 0
    assert got["after"][1] < got["before"][1] - 100, "the numbers scroll sideways"
    assert abs(got["after"][0] - got["wrapLeft"]) <= 2, f"the row header sticks at the left: {got}"


def test_print_keeps_the_official_tables_only(new_page, a11y_server):
    page = new_page()
    page.goto(a11y_server + REPORT)
    page.emulate_media(media="print")
    got = page.evaluate("""() => ({
      compare: getComputedStyle(document.querySelector('.gk-nianbao__compare')).display,
      data: getComputedStyle(document.querySelector('.gk-nianbao__data')).display,
      border: getComputedStyle(document.querySelector('#gk-nb3 tbody td')).borderTopColor,
      thead: getComputedStyle(document.querySelector('#gk-nb3 thead')).display,
      sticky: getComputedStyle([...document.querySelectorAll('#gk-nb3 th')].find(th => th.textContent === '1.属于国家秘密')).position,
      overflow: getComputedStyle(document.querySelector('.gk-nianbao__wrap')).overflowX,
      header: getComputedStyle(document.querySelector('.md-header')).display})""")
    assert got == {"compare": "none", "data": "none", "border": "rgb(0, 0, 0)", "thead": "table-header-group",
                   "sticky": "static", "overflow": "visible", "header": "none"}
