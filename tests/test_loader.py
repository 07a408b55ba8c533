"""The one loader on good and bad data: every bad input's message, field and line are checked."""
from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from unittest import mock

import pytest

from gongkai.data import loader
from gongkai.data.loader import load_project
from gongkai.runtime import parallel

PLAN = """\
# 测试用计划。渲染模板:templates/components/plan_page。修改后运行:make validate。
名称: 测试计划
组配分类: 规划计划
主题分类: 其他
文号: 广科〔2024〕3号
生成日期: 2024-03-01
发布日期: 2024-03-02
发布时间: "15:00"
正文: |
  (一)第一段。

  (二)第二段。
"""
PLAN_PATH = "data/plans/gdkjj/2024/ceshi-jihua.yml"


def write(project: Path, rel: str, text: str, encoding: str = "utf-8") -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def errors_of(project: Path):
    """The loader's verdict, which must be the same on the large-build path (the files parsed and their bodies
    rendered in forked workers, the results pickled back, as ``parallel`` does) as on the serial one."""
    loaded, problems = load_project(project)
    with mock.patch.object(parallel, "MIN_ITEMS", 1):  # fork however few the files are
        up_front, problems_up_front = load_project(project, parallel=True)
    assert list(map(str, problems_up_front.errors)) == list(map(str, problems.errors))
    assert list(map(str, problems_up_front.warnings)) == list(map(str, problems.warnings))
    assert (up_front is None) == (loaded is None)
    if loaded is not None:
        assert list(map(_plan_fields, up_front.plans)) == list(map(_plan_fields, loaded.plans))
        assert all(p.department is up_front.departments[p.department.slug] for p in up_front.plans)
    return loaded, problems.errors


def _plan_fields(plan) -> dict:
    """A plan's fields, its targets by what they read from the file (a Target refers back to its plan)."""
    fields = {f.name: getattr(plan, f.name) for f in dataclasses.fields(plan) if f.name not in ("department", "targets")}
    fields["department"] = dataclasses.astuple(plan.department)
    fields["targets"] = [(t.uid, t.line, t.kind, t.value, t.unit, t.deadline, t.wording, t.anchor, t.progress,
                          t.closing and (t.closing.summary.id, t.closing.value, t.closing.status)) for t in plan.targets]
    return fields


def test_the_forked_load_of_the_sample_equals_the_serial_one(repo_root):
    loaded, errors = errors_of(repo_root)
    assert loaded is not None and errors == []


def test_a_parallel_parse_hands_each_file_to_then_once_with_its_body_rendered(repo_root):
    from gongkai.markup import body, prime

    files = loader._plan_files(repo_root)
    prime.keep_only(())  # nothing memoised: the workers render every body
    seen = []

    def then(path, parsed):
        seen.append(path)
        text = parsed[0].data.get("正文")
        assert isinstance(text, str) and text in body.BODY_CACHE  # memoised before the file is checked

    with mock.patch.object(parallel, "MIN_ITEMS", 1):
        parsed = loader.parse_all(files, True, then=then)
    assert sorted(seen) == sorted(parsed) == files


def test_plan_files_are_listed_as_rglob_lists_them(tmp_path):
    base = tmp_path / "data" / "plans"
    for rel in ["a/2024/x.yml", "a/2024/.hidden.yml", "a/2024/x/附件/f.pdf", "a/2024/x/other.txt", ".git/b.yml",
                "a/2023/y.yaml", "b/2024/z.yml", "a-b/2024/q.yml", "a.b/2024/r.yml", "b/2024/w/附件/g.pdf",
                "b/2024/v/附件.txt"]:
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text("x", encoding="utf-8")
    (base / "a" / "2024" / "link.yml").symlink_to(base / "b" / "2024" / "z.yml")
    (base / "a" / "folder-link").symlink_to(base / "b")
    (base / "b" / "2024" / "u").mkdir()
    (base / "b" / "2024" / "u" / "附件").symlink_to(base / "b" / "2024" / "w" / "附件")  # Path.is_dir follows it
    expected = sorted(p for p in base.rglob("*") if (p.is_file() or p.is_symlink()) and not p.name.startswith(".")
                      and not loader._in_attachment_folder(p.relative_to(base).parts))
    assert loader._plan_files(tmp_path) == expected  # in the order Path objects sort ("a-b" < "a.b" < "a/…")
    assert base / "a" / "folder-link" in expected and base / ".git" / "b.yml" in expected
    files, links, with_attachments = loader._scan_plans(tmp_path)
    assert files == expected
    assert links == {str(p) for p in expected if p.is_symlink()} == {
        str(base / "a/2024/link.yml"), str(base / "a/folder-link"), str(base / "b/2024/u/附件")}  # as rglob lists them
    plans = {"/".join(p.relative_to(base).parts[:3]) for p in base.rglob("*") if len(p.relative_to(base).parts) == 3}
    assert with_attachments == {p for p in plans if (base / p / "附件").is_dir()} == {"a/2024/x", "b/2024/w", "b/2024/u"}


def test_sample_data_loads_without_errors(repo_root):
    loaded, problems = load_project(repo_root)
    assert problems.errors == [], problems.report()
    assert loaded is not None
    ref = next(p for p in loaded.plans if p.id == "gdkjj/2024/gongzuo-jihua")
    # The reference page's metadata, field for field.
    assert ref.index_no == "1134172300325409XR/202403-00002" and not ref.index_assigned
    assert (ref.category, ref.department.short_name, ref.topic) == ("规划计划", "市科技局", "其他")
    assert ref.title == "广德市科技局2024年工作计划" and ref.doc_no == ""
    assert ref.created.isoformat() == ref.published.isoformat() == "2024-03-01"
    assert ref.published_text == "2024-03-01 15:00" and ref.source == "市科技局"
    # Every sample plan has its 索引号 recorded in its file (published numbers never change).
    assert all(not p.index_assigned for p in loaded.plans)


def test_a_good_new_plan_loads_and_gets_an_index_number(project):
    write(project, PLAN_PATH, PLAN)
    loaded, errors = errors_of(project)
    assert errors == []
    plan = next(p for p in loaded.plans if p.slug == "ceshi-jihua")
    assert plan.index_assigned
    # gdkjj already has 202403-00002 on file; the counter is per department per month.
    assert plan.index_no == "1134172300325409XR/202403-00003"
    assert plan.doc_no == "广科〔2024〕3号"


def _replace(old: str, new: str) -> str:
    assert old in PLAN
    return PLAN.replace(old, new)


# (case id, file text, expected (line, field, fragment of message or hint))
BAD_PLANS = [
    ("missing-title", _replace("名称: 测试计划\n", ""), (1, "名称", "缺少这个必填字段")),
    ("empty-title", _replace("名称: 测试计划", "名称: ''"), (2, "名称", "不能为空")),
    ("impossible-date", _replace("生成日期: 2024-03-01", "生成日期: 2024-02-30"), (6, "生成日期", "不存在")),
    ("chinese-date", _replace("发布日期: 2024-03-02", "发布日期: ２０２４年３月２日"), (7, "发布日期", "请写成 2024-03-02")),
    ("slash-date", _replace("发布日期: 2024-03-02", "发布日期: 2024/3/2"), (7, "发布日期", "请写成 2024-03-02")),
    ("published-before-created", _replace("发布日期: 2024-03-02", "发布日期: 2024-02-01"), (7, "发布日期", "早于生成日期")),
    ("bad-time", _replace('发布时间: "15:00"', "发布时间: 3点"), (8, "发布时间", "HH:MM")),
    ("unknown-category", _replace("组配分类: 规划计划", "组配分类: 规划"), (3, "组配分类", "是否想写“规划计划”")),
    ("category-not-of-department", _replace("组配分类: 规划计划", "组配分类: 财政信息"), (3, "组配分类", "不是“市科技局”的组配分类")),
    ("unknown-topic", _replace("主题分类: 其他", "主题分类: 科技"), (4, "主题分类", "不在主题分类词表中")),
    ("topic-with-slash", _replace("主题分类: 其他", "主题分类: 科技、教育/科技"), (4, "主题分类", "科技、教育\\科技")),
    ("docno-square-brackets", _replace("广科〔2024〕3号", "广科[2024]3号"), (5, "文号", "请写成 广科〔2024〕3号")),
    ("docno-lenticular", _replace("广科〔2024〕3号", "广科【2024】3号"), (5, "文号", "请写成 广科〔2024〕3号")),
    ("docno-parentheses", _replace("广科〔2024〕3号", "广科（2024）3号"), (5, "文号", "请写成 广科〔2024〕3号")),
    ("docno-fullwidth-digits", _replace("广科〔2024〕3号", "广科〔２０２４〕３号"), (5, "文号", "请写成 广科〔2024〕3号")),
    ("index-malformed", _replace("名称: 测试计划\n", "名称: 测试计划\n索引号: 123\n"), (3, "索引号", "不符合本站的“安徽”格式")),
    ("index-fullwidth", _replace("名称: 测试计划\n", "名称: 测试计划\n索引号: 1134172300325409XR／202403－00009\n"),
     (3, "索引号", "请写成 1134172300325409XR/202403-00009")),
    ("index-wrong-code", _replace("名称: 测试计划\n", "名称: 测试计划\n索引号: 11341700MB0A12342H/202403-00009\n"),
     (3, "索引号", "代码 1134172300325409XR 不一致")),
    ("index-duplicate", _replace("名称: 测试计划\n", "名称: 测试计划\n索引号: 1134172300325409XR/202403-00002\n"),
     (3, "索引号", "与 data/plans/gdkjj/2024/gongzuo-jihua.yml 重复")),
    ("duplicate-key", _replace('发布时间: "15:00"\n', '发布时间: "15:00"\n名称: 又一个\n'), (9, "", "字段“名称”重复出现（第2行已经写过）")),
    ("tab-indent", _replace("  (一)第一段。", "\t(一)第一段。"), (10, "", "制表符")),
    ("fullwidth-colon", _replace("主题分类: 其他", "主题分类：其他"), (4, "", "中文冒号")),
    ("unknown-field", _replace("名称: 测试计划", "名称: 测试计划\n发布日: 2024-03-02"), (3, "发布日", "是否想写“发布日期”")),
    ("wrong-type", _replace("文号: 广科〔2024〕3号", "文号:\n  - 广科〔2024〕3号"), (5, "文号", "文号“['广科〔2024〕3号']”格式不对")),
    ("slug-mismatch", _replace("名称: 测试计划", "标识: bie-de\n名称: 测试计划"), (2, "标识", "与文件名“ceshi-jihua”不一致")),
    ("department-mismatch", _replace("名称: 测试计划", "发布机构: skjj\n名称: 测试计划"), (2, "发布机构", "与所在文件夹“gdkjj”不一致")),
    ("alias", _replace("生成日期: 2024-03-01\n发布日期: 2024-03-02", "生成日期: &d 2024-03-02\n发布日期: *d"), (7, "", "锚点和别名")),
    ("merge-key", PLAN + "相关文件:\n  - &a {文件: skjj/2021/keji-gongzuo-yaodian}\n  - <<: *a\n", (0, "", "")),
    ("related-missing", PLAN + "相关文件:\n  - 文件: skjj/2021/meiyou\n", (14, "相关文件.第1项.文件", "找不到站内文件")),
    ("related-external-half", PLAN + "相关文件:\n  - 名称: 解读\n", (14, "相关文件.第1项", "同时填写")),
    ("empty-file", "", (1, "", "文件是空的")),
    ("comment-only", "# 只有注释\n", (1, "", "文件是空的")),
    ("a-list-not-fields", "- 名称: 测试\n", (1, "", "“字段: 值”的形式")),
    ("blank-category", _replace("组配分类: 规划计划", "组配分类: ' '"), (3, "组配分类", "不能为空")),
    ("unclosed-quote", _replace('发布时间: "15:00"', '发布时间: "15:00'), (0, "", "")),
]


@pytest.mark.parametrize("case, text, expected", BAD_PLANS, ids=[c[0] for c in BAD_PLANS])
def test_bad_plan_is_reported_with_file_line_and_field(project, case, text, expected):
    write(project, PLAN_PATH, text)
    loaded, errors = errors_of(project)
    assert loaded is None, "a broken file must stop the build"
    mine = [e for e in errors if e.path == PLAN_PATH]
    assert mine, f"no error for {PLAN_PATH}: {errors}"
    line, field, fragment = expected
    if line:
        assert any(e.line == line and e.field == field and fragment in f"{e.message} {e.hint}" for e in mine), \
            "\n".join(map(str, mine))
    # Every message is Chinese and says what to do.
    for e in mine:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in e.message)
        assert e.line >= 1


@pytest.mark.parametrize(
    "encoding, raw, fragment",
    [
        ("gbk", None, "GBK"),
        ("utf-16", None, "UTF-16"),
        (None, b"\x00\x01\x02binary", "不是文本文件"),
    ],
)
def test_encodings(project, encoding, raw, fragment):
    path = project / PLAN_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw if raw is not None else PLAN.encode(encoding))
    loaded, errors = errors_of(project)
    assert loaded is None
    assert any(fragment in e.message and e.path == PLAN_PATH for e in errors)


def test_utf8_bom_and_crlf_are_accepted(project):
    write(project, PLAN_PATH, "\ufeff" + PLAN.replace("\n", "\r\n"))
    loaded, errors = errors_of(project)
    assert errors == []
    assert any(p.slug == "ceshi-jihua" and p.title == "测试计划" for p in loaded.plans)


@pytest.mark.parametrize(
    "rel, fragment",
    [
        ("data/plans/gdkjj/2024/CeShi.yml", "不能用作网址"),
        ("data/plans/gdkjj/2024/测试.yml", "不能用作网址"),
        ("data/plans/gdkjj/2024/con.yml", "Windows 的保留名"),
        ("data/plans/gdkjj/24/ceshi.yml", "不是4位年份"),
        ("data/plans/nobody/2024/ceshi.yml", "不是已有的发布机构"),
        ("data/plans/gdkjj/2024/ceshi.yaml", "请把扩展名改为 .yml"),
        ("data/plans/gdkjj/ceshi.yml", "文件位置或扩展名不对"),
    ],
)
def test_bad_paths(project, rel, fragment):
    write(project, rel, PLAN)
    loaded, errors = errors_of(project)
    assert loaded is None
    assert any(e.path == rel and fragment in f"{e.message}{e.hint}" for e in errors), errors


def test_all_errors_in_one_run(project):
    write(project, PLAN_PATH, _replace("生成日期: 2024-03-01", "生成日期: 2024-02-30"))
    write(project, "data/plans/gdkjj/2024/di-er.yml", _replace("广科〔2024〕3号", "广科[2024]3号"))
    write(project, "data/departments/gdkjj.yml",
          (project / "data/departments/gdkjj.yml").read_text(encoding="utf-8").replace("1134172300325409XR", "1134172300325409XA"))
    _, errors = errors_of(project)
    paths = {e.path for e in errors}
    assert {PLAN_PATH, "data/plans/gdkjj/2024/di-er.yml", "data/departments/gdkjj.yml"} <= paths


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (("1134172300325409XR", "1134172300325409XA"), "最后一位应为“R”"),
        (("标识: gdkjj", "标识: gd"), "与文件名“gdkjj”不一致"),
        (("  - 规划计划\n", "  - 规划计化\n"), "不在组配分类词表中"),
        (("  - 政策法规\n  - 规划计划\n", "  - 规划计划\n  - 政策法规\n"), "顺序与词表不一致"),
        (("简称: 市科技局\n", ""), "缺少这个必填字段"),
    ],
)
def test_bad_department(project, edit, fragment):
    path = project / "data/departments/gdkjj.yml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(*edit), encoding="utf-8")
    _, errors = errors_of(project)
    assert any(e.path == "data/departments/gdkjj.yml" and fragment in e.message + e.hint for e in errors), errors


def _set_index_rule(project: Path, rule: str) -> None:
    path = project / "data/site.yml"
    text = path.read_text(encoding="utf-8")
    start = text.index("索引号:\n")
    path.write_text(text[:start] + "索引号:\n" + textwrap.indent(rule, "  ") + "\n", encoding="utf-8")


def _strip_index_numbers(project: Path) -> None:
    for path in (project / "data/plans").rglob("*.yml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(l for l in lines if not l.startswith("索引号:")), encoding="utf-8")


def test_index_assignment_is_deterministic_per_department_and_month(project):
    _strip_index_numbers(project)
    first, _ = load_project(project)
    second, _ = load_project(project)
    numbers = {p.id: p.index_no for p in first.plans}
    assert numbers == {p.id: p.index_no for p in second.plans}
    assert numbers["skjj/2024/gongzuo-jihua-ba-xiang"] == "11341700MB0A12342H/202403-00001"  # 2024-03-08
    assert numbers["skjj/2024/gongzuo-jihua-shi-da-tixi"] == "11341700MB0A12342H/202403-00002"  # 2024-03-15
    assert numbers["gdkjj/2024/gongzuo-jihua"] == "1134172300325409XR/202403-00001"  # its own counter


def test_index_assignment_site_wide_yearly_guangdong(project):
    _set_index_rule(project, "格式: 广东\n序号范围: 全站\n序号周期: 年")
    _strip_index_numbers(project)
    loaded, problems = load_project(project)
    assert problems.errors == []
    numbers = sorted((p.published, p.index_no) for p in loaded.plans if p.year == 2024)
    # One counter for the whole site in 2024, in publishing order, each with its department's code.
    assert [n for _, n in numbers] == [
        "11341700MB0A12342H/2024-00001", "1134172300325409XR/2024-00002",
        "11341700MB0A12342H/2024-00003", "11341700MB0A12342H/2024-00004",
    ]


def test_index_assignment_national_uses_organisation_code(project):
    _set_index_rule(project, "格式: 全国")
    _strip_index_numbers(project)
    loaded, problems = load_project(project)
    assert problems.errors == []
    ref = next(p for p in loaded.plans if p.id == "gdkjj/2024/gongzuo-jihua")
    assert ref.index_no == "00325409X/2024-00001"


def test_site_settings_errors(project):
    path = project / "data/site.yml"
    text = path.read_text(encoding="utf-8").replace('网站标识码: "3418820001"', "网站标识码: 34188")
    text = text.replace("找错链接: https://", "找错链接: ftp://")
    path.write_text(text, encoding="utf-8")
    _, errors = errors_of(project)
    fields = {e.field for e in errors if e.path == "data/site.yml"}
    assert {"网站标识码", "找错链接"} <= fields


def test_a_broken_plan_is_not_reported_again_by_files_that_refer_to_it(project):
    """Only the file with the mistake is named: references to it do not cascade into "not found"."""
    broken = project / "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("发布日期: 2021-02-23", "发布日期: 2021-02-30"), encoding="utf-8")
    _, errors = errors_of(project)
    assert {e.path for e in errors} == {"data/plans/skjj/2021/keji-gongzuo-yaodian.yml"}, "\n".join(map(str, errors))
