"""gongkai import → targets that validate: indicators from the vocabulary, 类型, units, 出处, commented leftovers."""
from __future__ import annotations

import re

import pytest

from conftest_editors import REFERENCE, REPO, html_text, project_copy, review_done, run_cli  # noqa: F401
from gongkai.data.yamlio import parse_text
from gongkai.data import targets as tg
from gongkai.editors.import_targets import (fill_targets, find_keyword, keywords, load_vocab, match_indicator, source_ref,
                                    target_kind)
from gongkai.editors.importer import find_targets, import_text
from gongkai.data.loader import load_project
from gongkai.markup.anchors import resolve_source

WORK_POINTS = REFERENCE / "plans" / "work-points-2021.txt"
COMPILATION = REFERENCE / "plans" / "compilation-3-plans-2024.txt"
GUANGDE = REFERENCE / "page-guangde-2024-plan.txt"


@pytest.fixture(scope="module")
def vocab() -> tg.Vocab:
    v = load_vocab(REPO)
    assert v.loaded and v.indicators and v.units
    return v


# --- recognising the indicator -----------------------------------------------------------------

@pytest.mark.parametrize("keyword,text,expected", [
    ("高新技术企业", "确保实现我市高新技术企业达200家", (6, "高新技术企业")),
    ("新增…科技型中小企业", "力争新增国家科技型中小企业200家", (9, "新增国家科技型中小企业")),
    ("新增…科技型中小企业", "新增科技型中小企业", (9, "新增科技型中小企业")),  # “…” may stand for nothing
    ("新增…科技型中小企业", "新增就业岗位和大量的各类服务型、科技型中小企业", None),  # more than 10 characters apart
    ("科研成果…转化", "力争每年50项以上科研成果在我市转化及产业化应用", (6, "科研成果在我市转化")),
    ("揭榜挂帅", "争取立项2项以上", None),
])
def test_find_keyword(keyword, text, expected):
    assert find_keyword(keyword, text) == expected


def test_keywords_are_the_name_its_core_and_the_aliases(vocab):
    assert keywords(vocab.indicators["科技特派员人数"]) == ["科技特派员人数", "科技特派员"]
    assert keywords(vocab.indicators["科技招商对接会场次"])[:2] == ["科技招商对接会场次", "科技招商对接会"]
    assert "培育高企" in keywords(vocab.indicators["新认定高新技术企业数量"])


@pytest.mark.parametrize("text,expected", [
    ("高新技术企业", "高新技术企业数量"),
    ("新认定国家高新技术企业", "新认定高新技术企业数量"),  # the longer, more specific name wins
    ("新增备案省级高新技术企业", "新增备案省级高新技术企业数量"),
    ("培育高企", "新认定高新技术企业数量"),
    ("科技型中小企业入库备案数", "科技型中小企业数量"),
    ("新增国家科技型中小企业", "新增科技型中小企业数量"),
    ("新增长沙市级以上创新平台", "新增市级以上创新平台数量"),
    ("各类创新平台数量", "创新平台数量"),
    ("选认台胞科技特派员", "台胞科技特派员人数"),
    ("认定省、市、县级科技特派员", "科技特派员人数"),
    ("R&D经费投入经费增长", "研发经费投入"),
    ("技术合同登记项数", "技术合同登记数"),
    ("新增就业岗位", None),
    ("争创省级高新技术开发区", None),  # qualitative indicators never take a number
    # the indicator's words must name what is counted, not describe another noun (issue 22)
    ("高新技术企业培育库入库企业", None),
    ("加强高新技术企业培育,入库企业", None),
    ("培育高企后备入库企业", None),
    ("科技型中小企业入库", "科技型中小企业数量"),  # 入库 is what happens to them: still counted
    ("揭榜挂帅项目立项", "揭榜挂帅项目立项数"),  # 项目 is the indicator's own noun
])
def test_match_indicator(vocab, text, expected):
    match = match_indicator([text], vocab)
    assert (match.indicator.name if match and match.indicator else None) == expected


@pytest.mark.parametrize("sentence", [
    "1.加强高新技术企业培育,入库企业不少于60家。",
    "1.高新技术企业培育库入库企业不少于60家。",
    "1.加强高新技术企业培育，入库企业不少于６０家。",  # full-width digits and comma
])
def test_entered_enterprises_are_not_high_tech_enterprises(vocab, sentence):
    """“入库企业不少于60家” must not become 高新技术企业数量 ≥ 60 (issue 22): it stays for the editor, with its sentence."""
    body = f"## 一、目标\n\n{sentence}\n"
    filled, left = fill_targets(find_targets(sentence), body, vocab)
    assert filled == [] and len(left) == 1 and left[0]["说明"] == sentence and left[0]["出处"] == sentence
    assert left[0]["目标值"] == 60 and left[0]["原因"] == "指标词表中没有对应的指标"


def test_match_looks_at_the_name_then_the_clause_then_the_sentence(vocab):
    match = match_indicator(["立项", "争取立项2项以上", "指导企业申报湖南省、长沙市揭榜挂帅项目,争取立项2项以上。"], vocab)
    assert match.indicator.name == "揭榜挂帅项目立项数" and match.matched == "揭榜挂帅"
    # the candidate's own name is trusted before a longer match elsewhere in the sentence
    match = match_indicator(["高新技术企业", "新认定国家高新技术企业数"], vocab)
    assert match.indicator.name == "高新技术企业数量"


def test_a_tie_between_two_indicators_is_not_a_match():
    units = {"家": tg.Unit("家", True)}
    indicators = {n: tg.Indicator(n, s, "家", aliases=("孵化企业",)) for n, s in (("甲企业数量", "jia"), ("乙企业数量", "yi"))}
    match = match_indicator(["新增孵化企业"], tg.Vocab(units, indicators, True))
    assert match.indicator is None and match.others == ("甲企业数量", "乙企业数量")
    candidates = find_targets("新增孵化企业10家。")
    filled, left = fill_targets(candidates, "新增孵化企业10家。\n", tg.Vocab(units, indicators, True))
    assert filled == [] and "“孵化企业”可能是“甲企业数量”或“乙企业数量”" in left[0]["原因"]


@pytest.mark.parametrize("wording,unit,number,expected", [
    ("力争、以上", "个", "60个以上", "不少于"),
    ("不少于、力争、认定", "人", "500人", "不少于"),
    ("达超、争取", "家", "550家", "不少于"),
    ("超", "家", "600家", "不少于"),
    ("超过", "项", "2000项", "不少于"),
    ("达到、引进、以上", "家", "100家以上", "不少于"),
    ("争取、选认", "名", "10-20名", "不少于"),  # a range: at least its lower end
    ("达", "家", "200家", "达到"),
    ("力争、新认定", "家", "25家", "达到"),
    ("确保", "家", "200家", "达到"),
    ("增长、力争、以上", "%", "20%以上", "增长"),
    ("提高", "%", "5%", "增长"),
    ("提升至、以上", "%", "70%以上", "不少于"),  # raised TO a level, not BY a rate
    ("增加", "家", "10家", "达到"),
    ("不超过", "家", "300家", None),
    ("以内", "万元", "50万元以内", None),
])
def test_target_kind(wording, unit, number, expected):
    assert target_kind(wording, unit, number) == expected


# --- 出处 ---------------------------------------------------------------------------------------

BODY = """## 一、主要目标

1.新认定高新技术企业30家以上。

2.科技型中小企业入库达到120家。

## 二、重点任务

1.技术合同成交额达到70亿元。

1.再写一遍的编号,技术合同登记数超过2000项。

全年举办科技招商对接会3场。
"""


@pytest.mark.parametrize("sentence,expected", [
    ("1.新认定高新技术企业30家以上。", "1.新认定高新技术企业30家以上。"),  # the exact source sentence
    ("2.科技型中小企业入库达到120家。", "2.科技型中小企业入库达到120家。"),
    ("1.再写一遍的编号,技术合同登记数超过2000项。", "1.再写一遍的编号,技术合同登记数超过2000项。"),  # numbering ambiguous: fine
    ("全年举办科技招商对接会3场。", None),  # a paragraph without numbering: no 出处
])
def test_source_ref_is_the_exact_source_sentence(sentence, expected):
    ref, _ = source_ref(BODY, sentence)
    assert ref == expected
    if ref:
        anchor, label, message, _ = resolve_source(BODY, ref)
        assert not message and anchor and label in ("一、1.", "一、2.", "二、1.")


def test_source_ref_falls_back_to_the_numbering_when_the_sentence_is_elsewhere_too():
    body = "## 一、甲\n\n1.新增企业10家。\n\n## 二、乙\n\n1.新增企业10家。\n"
    assert source_ref(body, "1.新增企业10家。", 0) == ("1.新增企业10家。", 1)
    assert source_ref(body, "1.新增企业10家。", 2) == ("二、1.", 3)  # the second one: its numbering


# --- a plan's candidates --------------------------------------------------------------------------

EVERY_CASE = """示例县科学技术局2025年工作计划
一、主要目标
1.新认定高新技术企业30家以上,科技型中小企业入库达到120家。
2.研发经费投入增长15%。
3.全年引进科技企业达到100户以上。
4.新增科技孵化平台1.5个。
5.科技型中小企业数量不超过300家。
6.新增就业岗位1200个。
二、其他
全年举办科技招商对接会3场。
"""


SENTENCE_1 = "1.新认定高新技术企业30家以上,科技型中小企业入库达到120家。"


def test_fill_targets_maps_what_it_can_and_explains_the_rest(vocab):
    (draft,) = import_text(EVERY_CASE).drafts
    filled, left = fill_targets(draft.targets, draft.body_markdown(), vocab)
    assert [(t["编号"], t["指标"], t["类型"], t["目标值"], t["单位"], t["出处"], t["原文"]) for t in filled] == [
        ("gaoqi-xinrending", "新认定高新技术企业数量", "不少于", 30, "家", SENTENCE_1, "新认定高新技术企业30家以上"),
        ("kexiao-shuliang", "科技型中小企业数量", "达到", 120, "家", SENTENCE_1, "科技型中小企业入库达到120家"),
        ("zhaoshang-duijiehui", "科技招商对接会场次", "达到", 3, "场", None, "全年举办科技招商对接会3场"),
    ]
    assert "没有序号，没有填出处" in filled[2]["待核对"]
    reasons = {(c["目标值"], c["单位"], c["出处"]): c["原因"] for c in left}
    growth, households, fraction, upper, jobs = [(c["目标值"], c["单位"], c["出处"]) for c in left]
    assert list(reasons) == [(15, "%", "2.研发经费投入增长15%。"), (100, "户", "3.全年引进科技企业达到100户以上。"),
                             (1.5, "个", "4.新增科技孵化平台1.5个。"), (300, "家", "5.科技型中小企业数量不超过300家。"),
                             (1200, "个", "6.新增就业岗位1200个。")]
    assert reasons[growth].startswith("“增长”类目标需要基数") and "研发经费投入" in reasons[growth]
    assert reasons[households].startswith("单位“户”不在单位词表")
    assert reasons[fraction].startswith("目标值 1.5 不是整数")
    assert reasons[upper].startswith("“300家”是上限")
    assert reasons[jobs] == "指标词表中没有对应的指标"


def test_without_a_vocabulary_every_candidate_is_left_for_the_editor():
    (draft,) = import_text(EVERY_CASE).drafts
    filled, left = fill_targets(draft.targets, draft.body_markdown(), tg.Vocab())
    assert filled == [] and len(left) == len(draft.targets) == 8
    assert all("没有指标词表" in c["原因"] for c in left)
    from gongkai.editors.planfile import check_roundtrip, render_plan
    from gongkai.data.yamlio import parse_text

    text = render_plan({"名称": draft.title}, body=draft.body_markdown(), targets=filled, leftovers=left)
    data = parse_text(text).data
    assert check_roundtrip(text) == [] and data["指标"] == [] and len(data["待核对"]) == 8
    for c, mark in zip(left, data["待核对"]):  # each with its exact sentence, as data the validator sees
        assert f"：{c['说明']}——" in mark and "没有指标词表" in mark


def test_cli_writes_leftovers_as_review_items_and_the_file_validates_once_reviewed(project_copy, capsys, tmp_path):
    source = tmp_path / "计划.txt"
    source.write_text(EVERY_CASE, encoding="utf-8")
    code, out, err = run_cli(project_copy, "import", str(source), "--dept", "skjj", "--date", "2025-02-20", capsys=capsys)
    assert code == 0, out + err
    assert "找到 8 个候选指标：3 个已按指标词表填入“指标”（待核对），5 个未能填入（列在“待核对”中）" in out
    assert "还有 10 处“待核对”" in out  # the import itself, the date taken from --date, 5 candidates, 3 targets
    path = project_copy / "data/plans/skjj/2025/gongzuo-jihua.yml"
    text = path.read_text(encoding="utf-8")
    data = parse_text(text).data
    assert [t["待核对"].startswith("指标按原文中的") for t in data["指标"]] == [True] * 3
    marks = data["待核对"]
    assert len(marks) == 2 + 5 and "生成日期和发布日期按 --date 2025-02-20 填写" in marks[1]
    assert marks[2].startswith("候选指标“15%”没有填入“指标”：“增长”类目标需要基数")
    for sentence in ("3.全年引进科技企业达到100户以上。", "4.新增科技孵化平台1.5个。", "5.科技型中小企业数量不超过300家。",
                     "6.新增就业岗位1200个。"):
        assert any(f"：{sentence}——" in m for m in marks), sentence
    # validate fails, listing each at its line (all at once) …
    project, problems = load_project(project_copy)
    assert project is None and len(problems.errors) == 10
    lines = text.splitlines()
    assert all("待核对" in lines[p.line - 1] or lines[p.line - 1].startswith("  - ") for p in problems.errors)
    # … the import report and the preview's page show them; once reviewed it validates
    review_done(path)
    project, problems = load_project(project_copy)
    assert project is not None and not [p for p in problems.items if p.path.endswith("gongzuo-jihua.yml") and "2025" in p.path]
    plan = next(p for p in project.plans if p.path == "data/plans/skjj/2025/gongzuo-jihua.yml")
    assert [(t.indicator.slug, t.kind, t.value, t.anchor_label) for t in plan.targets] == [
        ("gaoqi-xinrending", "不少于", 30, "一、1."), ("kexiao-shuliang", "达到", 120, "一、1."),
        ("zhaoshang-duijiehui", "达到", 3, "")]


# --- the reference plans, against the targets a person wrote for the sample site ------------------

def _targets(plan) -> set[tuple]:
    return {(t.indicator.name, t.kind, t.value, t.anchor_label) for t in plan.targets}


def test_reference_imports_validate_build_and_agree_with_the_hand_written_samples(project_copy, capsys, tmp_path):
    root = project_copy
    # the Guangde page is the sample's own plan: without its published 索引号 it is a new document (else refused)
    guangde = tmp_path / GUANGDE.name
    guangde.write_text(re.sub(r"索引号: \S+", "", GUANGDE.read_text(encoding="utf-8")), encoding="utf-8")
    for args in ((str(WORK_POINTS), "--dept", "skjj"), (str(COMPILATION), "--dept", "skjj", "--date", "2024-03-01"),
                 (str(guangde), "--dept", "gdkjj")):
        code, out, err = run_cli(root, "import", *args, capsys=capsys)
        assert code == 0 and "格式检查通过" in out, out + err
    for path in root.glob("data/plans/*/*/*.yml"):
        if not (REPO / path.relative_to(root)).exists():
            review_done(path)  # the editor has checked every 待核对
    project, problems = load_project(root)
    assert project is not None and not problems.items, problems.report()
    plans = {p.path.removeprefix("data/plans/").removesuffix(".yml"): p for p in project.plans}
    # the sample site's plans hold the same texts, with targets chosen by hand
    pairs = {"skjj/2021/keji-gongzuo-yaodian-2": "skjj/2021/keji-gongzuo-yaodian",
             "skjj/2024/niandu-gongzuo-jihua-2": "skjj/2024/niandu-gongzuo-jihua",
             "skjj/2024/gongzuo-jihua": "skjj/2024/gongzuo-jihua-ba-xiang",
             "skjj/2024/gongzuo-jihua-2": "skjj/2024/gongzuo-jihua-shi-da-tixi",
             "gdkjj/2024/gongzuo-jihua-2": "gdkjj/2024/gongzuo-jihua"}
    missing = {  # hand-written targets the importer leaves as comments, with the reason
        "skjj/2021/keji-gongzuo-yaodian-2": {("研发经费投入", "增长", 20, "二、6."),  # needs a 基数
                                             ("新增科技孵化平台数量", "不少于", 2, "三、9.")},  # 2家: the indicator counts 个
        "gdkjj/2024/gongzuo-jihua-2": {("研发经费投入", "增长", 10, "（二）")},
    }
    extra = {  # found by the importer, left out by the person
        "skjj/2024/gongzuo-jihua": {("研发经费投入", "达到", 38, "一、")},
    }
    for imported, sample in pairs.items():
        by_hand = {t for t in _targets(plans[sample]) if t[1] != "定性"}
        assert _targets(plans[imported]) == by_hand - missing.get(imported, set()) | extra.get(imported, set()), imported
    from gongkai.engine.build import build_site

    site = tmp_path / "site"
    assert build_site(root, site, quiet=True) == 0
    for imported in pairs:
        plan = plans[imported]
        page = (site / "xxgk" / imported / "index.html").read_text(encoding="utf-8")
        section = page[page.index('<section class="gk-targets"'):]
        section = section[:section.index("</section>")]
        assert "主要目标" in section and f"本文件共有{len(plan.targets)}项主要目标" in section
        rows = re.findall(r'<tr id="gk-target-([a-z0-9-]+)">(.*?)</tr>', section, re.S)
        assert [key for key, _ in rows] == [t.key for t in plan.targets]
        for (key, row), target in zip(rows, plan.targets):
            assert target.indicator.name in row and f'href="#{target.anchor}"' in row
            assert f'id="{target.anchor}"' in page
    row = dict(re.findall(r'<tr id="gk-target-([a-z0-9-]+)">(.*?)</tr>',
                          (site / "xxgk/skjj/2021/keji-gongzuo-yaodian-2/index.html").read_text(encoding="utf-8"), re.S))
    assert "新认定高新技术企业数量" in row["gaoqi-xinrending"] and "达到 25" in html_text(row["gaoqi-xinrending"])
    assert "“力争2021年新认定国家高新技术企业25家”" in html_text(row["gaoqi-xinrending"])


# --- the vocabulary's 别名 --------------------------------------------------------------------------

def test_an_alias_belongs_to_one_indicator(project_copy):
    path = project_copy / "data/vocab/indicators.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  别名: [高企]\n", "  别名: [高企, 企业研发中心]\n")
    path.write_text(text, encoding="utf-8")
    _, problems = load_project(project_copy)
    (problem,) = [p for p in problems.errors if p.path == "data/vocab/indicators.yml"]
    assert "别名“企业研发中心”已经属于指标“高新技术企业数量”" in problem.message
    assert text.splitlines()[problem.line - 1].strip().startswith("别名:")
    assert "`别名“高企”已经属于指标“高新技术企业数量”`" in (REPO / "docs/editing-guide.md").read_text(encoding="utf-8")


def test_aliases_must_be_a_list_of_words(project_copy):
    path = project_copy / "data/vocab/indicators.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  别名: [高企]\n", "  别名: 高企\n"), encoding="utf-8")
    _, problems = load_project(project_copy)
    assert any(p.path == "data/vocab/indicators.yml" and "别名" in p.field for p in problems.errors), problems.report()
