"""Drafts cannot publish by accident (issue 22): 草稿, template placeholders, 待核对, removed HTML, a folded 正文.

Each is an error of `gongkai validate` and `gongkai build` (CI, main) at its own line, all at once; the preview
(`gongkai serve`, `gongkai build --drafts`) builds the plan and shows a 草稿/待核对 banner on its page.
"""
from __future__ import annotations

import re

import pytest

from conftest import cli_build, copy_project
from gongkai.data.drafts import title_year
from gongkai.data.loader import load_project

PLAN = "data/plans/skjj/2024/gongzuo-jihua-ba-xiang.yml"
PAGE = "xxgk/skjj/2024/gongzuo-jihua-ba-xiang/index.html"


def _edit(root, old: str, new: str, rel: str = PLAN) -> list[str]:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text.splitlines()


def _mine(problems, rel: str = PLAN):
    return [p for p in problems.items if p.path == rel]


def _body_start(root, rel: str = PLAN) -> int:
    return next(i for i, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1) if line.startswith("正文:"))


# --- what is not ready, one case per row: (change to the plan, field, words of the message, the line's text) ---------
CASES = [
    ("draft-flag", "名称:", "草稿: true\n名称:", "草稿", "标记为草稿", "草稿: true"),
    ("placeholder-new", "正文: |\n", "正文: |\n  （待填写：前言，一段概述今年工作的总体思路和目标。）\n\n", "正文", "占位文字", "  （待填写："),
    ("placeholder-half-width", "正文: |\n", "正文: |\n  (待填写:第一部分的标题)\n\n", "正文", "占位文字", "  (待填写:"),
    ("placeholder-old-template", "正文: |\n", "正文: |\n  (请在这里写前言:一段概述今年工作的总体思路和目标。)\n\n", "正文", "占位文字", "  (请在这里写"),
    ("review-list", "名称:", "待核对:\n  - 候选指标“入库企业不少于60家”没有填入“指标”\n名称:", "待核对.第1项", "入库企业", "  - 候选指标"),
    ("script", "正文: |\n", "正文: |\n  第一段。\n\n  <script>alert(1)</script>\n\n", "正文", "<script>", "  <script>"),
    ("onclick", "正文: |\n", "正文: |\n  <p onclick=\"x()\">点我</p>\n\n", "正文", "onclick 事件属性", "  <p onclick"),
    ("javascript-link", "正文: |\n", "正文: |\n  [链接](javascript:alert(1))\n\n", "正文", "javascript:alert(1)", "  [链接](javascript"),
    ("javascript-reference", "正文: |\n", "正文: |\n  见[附件][fj]。\n\n  [fj]: javascript:alert(1)\n\n", "正文",
     "javascript:alert(1)", "  [fj]: javascript"),
    ("first-level-heading", "正文: |\n", "正文: |\n  # 一、总体要求\n\n", "正文", "以一个“#”开头的标题行", "  # 一、总体要求"),
    ("setext-heading", "正文: |\n", "正文: |\n  一、总体要求\n  ======\n\n", "正文", "以一个“#”开头的标题行", "  ======"),
]


@pytest.mark.parametrize("old, new, field, words, line_text", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_not_ready_is_an_error_at_its_line_and_a_warning_in_the_preview(project, old, new, field, words, line_text):
    lines = _edit(project, old, new)
    _, problems = load_project(project)
    (problem,) = [p for p in _mine(problems) if not p.warning]
    assert problem.field == field and words in problem.message, str(problem)
    assert lines[problem.line - 1].startswith(line_text), (problem.line, lines[problem.line - 1])
    assert re.search(r"[\u4e00-\u9fff]", problem.hint)  # what to do, in Chinese
    project_, problems = load_project(project, drafts=True)
    assert project_ is not None and [(p.line, p.warning) for p in _mine(problems)] == [(problem.line, True)]
    plan = next(p for p in project_.plans if p.path == PLAN)
    assert [(r.line, r.field) for r in plan.review] == [(problem.line, field)]


def test_a_target_marked_for_review(project):
    lines = _edit(project, "  - 编号: gaoqi-xinrending\n", "  - 编号: gaoqi-xinrending\n    待核对: 指标按原文中的“高新技术企业”对应\n",
                  "data/plans/skjj/2021/keji-gongzuo-yaodian.yml")
    _, problems = load_project(project)
    (problem,) = problems.errors
    assert problem.field == "指标.gaoqi-xinrending.待核对" and "高新技术企业" in problem.message
    assert lines[problem.line - 1].strip().startswith("待核对:")


def test_everything_at_once(project):
    _edit(project, "名称:", "草稿: true\n待核对:\n  - 甲\n  - 乙\n名称:")
    _edit(project, "正文: |\n", "正文: |\n  （待填写：标题）\n\n  <script>x</script>\n\n  <iframe src=\"https://e.example/\"></iframe>\n\n")
    _, problems = load_project(project)
    assert [p.field for p in problems.errors] == ["草稿", "待核对.第1项", "待核对.第2项", "正文", "正文", "正文"]
    assert len({p.line for p in problems.errors}) == 6  # each at its own line, the two HTML lines apart


@pytest.mark.parametrize("body, error", [
    ("正文: 一、总体要求\n  （一）第一段。\n  （二）第二段。\n", True),  # plain, several lines: folded into one
    ("正文: \"一、总体要求\n  （一）第一段。\"\n", True),  # quoted, several lines
    ("正文: >\n  （一）第一段。\n  （二）第二段。\n", True),  # folded block
    ("正文: （一）第一段。（二）第二段。\n", True),  # one line that runs (一)(二) together
    ("正文: (一)第一段。 (二)第二段。\n", True),  # half-width brackets
    ("正文: 一句话的正文。\n", False),  # one line, one paragraph: fine
    ("正文: |\n  （一）第一段。\n\n  （二）第二段。\n", False),
    ("正文: |-\n  （一）第一段。（二）写在一行也由编辑决定。\n", False),  # a | block is what the editor wrote
])
def test_a_scalar_body_that_lost_its_paragraphs(project, body, error):
    path = project / PLAN
    text = path.read_text(encoding="utf-8")
    start = text.index("正文: |")
    end = text.index("\n# 指标", start) + 1 if "\n# 指标" in text[start:] else text.index("\n指标:", start) + 1
    path.write_text(text[:start] + body + text[end:], encoding="utf-8")
    _, problems = load_project(project)
    found = [p for p in _mine(problems) if p.field == "正文" and "正文: |" in p.hint]
    assert bool(found) == error, problems.report()
    if error:
        assert found[0].line == _body_start(project) and "连成了一段" in found[0].message


@pytest.mark.parametrize("folder, title, created, message", [
    ("2026", "市科学技术局2025年工作计划", "2025-02-20", "名称写的是2025年，文件却在年度文件夹 2026/ 中"),
    ("2026", "市科学技术局二〇二五年工作计划", "2025-02-20", "名称写的是2025年"),
    ("2026", "市科学技术局２０２５年工作计划", "2025-02-20", "名称写的是2025年"),  # full-width digits
    ("2024", "市科学技术局工作计划", "2021-02-20", "生成日期是2021年，文件却在年度文件夹 2024/ 中"),
    ("2025", "市科学技术局2025年工作计划", "2024-12-20", None),  # drafted in December for next year
    ("2024", "市科学技术局工作计划", "2023-12-28", None),
    ("2024", "2023年工作总结和2024年工作计划", "2024-01-10", None),  # two years named: not judged by the title
])
def test_the_year_folder_fits_the_plan(project, folder, title, created, message):
    src = project / PLAN
    text = src.read_text(encoding="utf-8")
    text = re.sub(r"^名称: .*$", f"名称: {title}", text, count=1, flags=re.M)
    text = re.sub(r"^生成日期: .*$", f"生成日期: {created}", text, count=1, flags=re.M)
    text = re.sub(r"^发布日期: .*$", f"发布日期: {created}", text, count=1, flags=re.M)
    text = re.sub(r"^索引号: .*\n", "", text, count=1, flags=re.M)
    src.unlink()
    rel = f"data/plans/skjj/{folder}/moved.yml"
    (project / rel).parent.mkdir(parents=True, exist_ok=True)
    (project / rel).write_text(text, encoding="utf-8")
    _, problems = load_project(project)
    found = [p for p in problems.errors if p.path == rel and "年度文件夹" in p.message]
    if message is None:
        assert not found, problems.report()
    else:
        (problem,) = found
        assert message in problem.message and "把文件移到 data/plans/skjj/" in problem.hint


def test_title_year_reads_chinese_numerals_with_the_one_reader():
    assert title_year("二〇二五年") == 2025 and title_year("二零二四年度") == 2024 and title_year("一九九九年") == 1999
    assert title_year("十二五规划") is None and title_year("二五年") is None


# --- the preview shows the draft, CI refuses it ------------------------------------------------------------------
@pytest.fixture(scope="module")
def draft_project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("drafts") / "proj")
    _edit(root, "名称:", "草稿: true\n待核对:\n  - 候选指标“入库企业不少于60家”没有填入“指标”\n名称:")
    _edit(root, "正文: |\n", "正文: |\n  （待填写：前言）\n\n")
    _edit(root, "  - 编号: gaoqi\n", "  - 编号: gaoqi\n    待核对: 指标按原文中的“高新技术企业”对应\n")
    return root


def test_build_refuses_a_draft_and_lists_what_to_review(draft_project, tmp_path):
    proc = cli_build(draft_project, tmp_path / "site")
    assert proc.returncode == 1 and not (tmp_path / "site").exists()
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith(PLAN + ":")]
    assert len(lines) == 4 and "草稿: 这份文件标记为草稿，不能发布" in lines[0] and "入库企业不少于60家" in lines[1]
    assert "占位文字“（待填写：前言）”" in lines[2] and "指标.gaoqi.待核对: 指标按原文中的“高新技术企业”对应" in lines[3]
    assert "共发现 4 处错误" in proc.stderr and "其中 4 处要在发布前处理" in proc.stderr


def test_the_preview_build_marks_the_page(draft_project, tmp_path):
    code = "import sys; from gongkai.cli import main; sys.exit(main(sys.argv[1:]))"
    import subprocess
    import sys

    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-c", code, "--root", str(draft_project), "build", "--drafts", "--site-dir", str(site)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (site / PAGE).read_text(encoding="utf-8")
    banner = page[page.index('<div class="gk-validity gk-draft"'):]
    banner = banner[:banner.index("</div>")]
    assert 'data-gk-draft="草稿"' in banner and "草稿：本文件还不能发布（共 4 处）" in banner
    marks = re.findall(r'<li data-gk-line="(\d+)"><mark>第\1行 ([^<]+)</mark>：([^<]+)</li>', banner)
    assert [(field, message[:6]) for _, field, message in marks] == [
        ("草稿", "这份文件标记"), ("待核对.第1项", "候选指标“入"), ("正文", "还是模板的占"), ("指标.gaoqi.待核对", "指标按原文中")]
    # … and the target still to review is marked in the 主要目标 table, the others are not
    rows = dict(re.findall(r'<tr id="gk-target-([a-z0-9-]+)">(.*?)</tr>', page, re.S))
    assert '<mark class="gk-targets__review">待核对</mark>' in rows["gaoqi"]
    assert all("gk-targets__review" not in row for key, row in rows.items() if key != "gaoqi")
    # the other plans carry no banner
    assert "gk-draft" not in (site / "xxgk/skjj/2021/keji-gongzuo-yaodian/index.html").read_text(encoding="utf-8")


def test_the_preview_server_shows_the_draft_and_its_marks(tmp_path):
    """`gongkai serve` (MkDocs' serve command): the draft's page is built and carries the banner, no red panel."""
    from conftest import ServeProcess

    root = copy_project(tmp_path / "proj")
    _edit(root, "名称:", "草稿: true\n名称:")
    server = ServeProcess(root, ready=PAGE)
    try:
        page = server.get(PAGE)
        assert 'data-gk-draft="草稿"' in page and "草稿：本文件还不能发布（共 1 处）" in page
        assert "gk-preview-error" not in page  # a draft is not a data error: the page is today's, not the last good one
    finally:
        server.stop()
