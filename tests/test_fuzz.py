"""Never a traceback: the fuzz corpus (tests/fuzz/) run through the one loader and the generator.

``make test`` runs 800 cases (about 50 s: each loads the whole sample project, 年报 included; every
kind of mistake is tried at least 6 times); ``make fuzz`` runs 30,000 with another seed each day. Set GONGKAI_FUZZ_CASES / GONGKAI_FUZZ_SEED to choose. A failing
case prints the command that shows and reproduces it.
"""
from __future__ import annotations

import os
import resource
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from conftest_fuzz import project_copy, scratch  # noqa: F401 - fixtures
from gongkai.data import yamlio
from gongkai.runtime.paths import SOURCE_ROOT
from fuzz.corpus import BILLION_LAUGHS, MUTATORS, Case, cases, import_samples, make_import_case, sample_files
from fuzz.harness import run_case, run_import_case
from gongkai.data.loader import load_project
from gongkai.pages.components import make_env
from gongkai.data.yamlio import MAX_BYTES, load_file

CASES = int(os.environ.get("GONGKAI_FUZZ_CASES", "800"))
SEED = int(os.environ.get("GONGKAI_FUZZ_SEED", "8"))
MAX_SECONDS = float(os.environ.get("GONGKAI_FUZZ_MAX_SECONDS", "10"))
MAX_RSS_GROWTH_MB = 400


def _calibrate(root: Path, env) -> float:
    """Seconds to load and generate the unchanged sample here and now (machines and their load differ)."""
    from gongkai.pages.generate import generate
    times = []
    for _ in range(5):
        start = time.perf_counter()
        project, _ = load_project(root)
        generate(project, env)
        times.append(time.perf_counter() - start)
    return sorted(times)[2]


def test_fuzz_corpus_never_breaks_the_loader_or_generator(scratch):
    env = make_env(scratch / "templates")
    files = sample_files()
    # a case may take at most MAX_SECONDS, or 100 sample builds on a slow or busy machine
    limit = max(MAX_SECONDS, 100 * _calibrate(scratch, env))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    kinds: Counter[str] = Counter()
    valid = invalid = 0
    failures: list[str] = []
    slowest = (0.0, "")
    for case in cases(SEED, CASES, files):
        outcome = run_case(scratch, case, env, limit)
        kinds[case.mutator] += 1
        valid += outcome.valid
        invalid += not outcome.valid
        slowest = max(slowest, (outcome.seconds, case.id))
        for v in outcome.violations:
            failures.append(f"{case.id}: {v}\n  重现:python tests/fuzz/corpus.py --seed {SEED} --case {case.number} --write /tmp/case")
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 - rss_before
    print(f"\nfuzz: {CASES} cases, seed {SEED}: {valid} valid, {invalid} rejected with messages; "
          f"slowest {slowest[0]:.2f} s ({slowest[1]}, limit {limit:.1f} s); peak RSS growth {rss_growth} MB; {dict(kinds)}")
    assert not failures, f"{len(failures)} violations:\n" + "\n".join(failures[:10])
    assert set(kinds) == set(MUTATORS) or CASES < 200, "every kind of mistake was tried"
    assert valid and invalid, "the corpus has both loadable and broken projects"
    assert rss_growth < MAX_RSS_GROWTH_MB


IMPORT_CASES = max(40, CASES // 50)  # each case runs the whole command (two project loads)


def test_fuzz_import_inputs_never_traceback_and_lose_nothing(scratch, tmp_path):
    """Saved pages, documents and catalogues, broken in many ways (issue 17): gongkai import answers in Chinese."""
    samples = import_samples()
    failures = []
    for n in range(IMPORT_CASES):
        case_id, name, content = make_import_case(SEED, n, samples)
        for v in run_import_case(scratch, tmp_path / f"case{n}", name, content, MAX_SECONDS):
            failures.append(f"{case_id}: {v}")
    assert not failures, f"{len(failures)} violations:\n" + "\n".join(failures[:10])


def _bounded(path: Path, max_seconds: float = 2.0, max_mib: float = 32.0):
    """Load one file measuring wall time and peak Python allocations."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        doc = load_file(path)
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert seconds < max_seconds, f"{seconds:.2f} s"
    assert peak < max_mib, f"{peak:.1f} MiB"
    return doc


@pytest.mark.parametrize("name, content, message, line", [
    ("billion-laughs", BILLION_LAUGHS.encode(), "锚点和别名", 2),
    ("alias-to-body", "名称: &t 计划\n摘要: *t\n".encode(), "锚点和别名", 2),
    ("merge-key", "a: {b: 1}\nc:\n  <<: {d: 2}\n".encode(), "合并键", 3),
    ("deep-flow-100k", b"a: " + b"[" * 100_000 + b"]" * 100_000, "嵌套层级太深", 1),
    ("deep-map-100k", b"a: " + b"{a: " * 100_000 + b"1" + b"}" * 100_000, "嵌套层级太深", 1),
    ("deep-dashes", b"- " * 50_000 + b"x\n", "嵌套层级太深", 1),
    ("deep-block", "".join("  " * i + "a:\n" for i in range(600)).encode(), "嵌套层级太深", 22),
    ("too-large", b"# x\n" * (MAX_BYTES // 4 + 1), "文件太大", 1),
    ("binary", bytes(range(256)) * 4000, "二进制", 1),
    ("utf-16", "名称: 计划\n".encode("utf-16"), "UTF-16", 1),
    ("gbk", "名称: 计划\n正文: 科技局\n".encode("gbk"), "GBK", 1),
    ("python-tag", "名称: !!python/object/apply:os.system [\"echo hi\"]\n".encode(), "不支持的 YAML 标记", 1),
    ("binary-tag", "名称: !!binary aGk=\n".encode(), "不支持的 YAML 标记", 1),
    ("control-char", "名称: 工作\x07计划\n".encode(), "控制字符（U+0007）", 1),
    ("escaped-control", "名称: ok\n摘要: \"a\\x01b\"\n".encode(), "控制字符（U+0001）", 2),
    ("bidi-override", "名称: ok\n来源: \"\\u202e局技科\"\n".encode(), "控制字符（U+202E）", 2),
    ("non-string-key", "? [a, b]\n: c\n".encode(), "字段名必须是文字", 1),
    ("two-documents", "名称: a\n---\n名称: b\n".encode(), "多个文档", 2),
    ("tab-indent", "联系方式:\n\t电话: 1\n".encode(), "制表符", 2),
    ("duplicate-key", "名称: a\n正文: b\n名称: c\n".encode(), "重复出现（第1行已经写过）", 3),
])
def test_hostile_file_fails_fast_small_and_in_chinese(tmp_path, name, content, message, line):
    path = tmp_path / f"{name}.yml"
    path.write_bytes(content)
    doc = _bounded(path)
    assert doc.errors, name
    assert any(message in m for _, m, _ in doc.errors), doc.errors
    assert doc.errors[0][0] == line, doc.errors
    assert len(doc.errors) <= 21  # capped, one line says how many more


@pytest.mark.parametrize("indent,marks", [(0, 0), (248, 0), (249, 0), (249, 1), (250, 0), (100, 297), (100, 298),
                                           (1, 495), (1, 496), (0, 498), (0, 497), (3, 492)])
def test_depth_is_read_from_the_events_exactly_when_the_bound_says_it_may_crash(monkeypatch, indent, marks):
    """_too_deep reads the event stream (slow) only when 2 × the deepest indent + brackets/items + 2 reaches
    500, the depth libyaml's C composer could not survive; it tells that from the text without measuring
    every line's indent, and must decide as the formula does, at both sides of the limit."""
    text = "a:\n" + " " * indent + "b: x\n" + "c: " + "[" * marks + "]" * marks + "\n"
    bound = 2 * indent + marks + 2
    read: list[str] = []
    real = yamlio.yaml.parse
    monkeypatch.setattr(yamlio.yaml, "parse", lambda t, **kw: (read.append(t), real(t, **kw))[1])
    yamlio._too_deep(text)
    assert bool(read) == (bound >= yamlio._CRASH_SAFE_DEPTH), bound


def test_control_character_from_an_escape_is_found_only_in_double_quotes_and_raw_ones_anywhere():
    """A clean text makes control characters only through double-quoted escapes; elsewhere they are raw."""
    assert "U+0085" in yamlio.parse_text('名称: "a\\Nb"\n').errors[0][1]
    assert not yamlio.parse_text("名称: 'a\\Nb'\n摘要: a\\x01b\n正文: |\n  \\u202e\n").errors
    for raw in ("名称: 'a\x01b'\n", "正文: |\n  a\u202eb\n", "名称: a\x85b\n"):
        assert "控制字符" in yamlio.parse_text(raw).errors[0][1], raw


def test_error_list_is_capped_with_a_count(tmp_path):
    path = tmp_path / "many.yml"
    path.write_text("".join(f"k{i}: &a{i} x\nr{i}: *a{i}\n" for i in range(100)), encoding="utf-8")
    doc = load_file(path)
    assert len(doc.errors) == 21
    assert doc.errors[-1][1] == "这个文件还有 80 处类似问题没有列出"


def test_huge_integer_stays_text_and_gets_a_schema_message(project_copy):
    plan = project_copy / "data/plans/gdkjj/2024/gongzuo-jihua.yml"
    plan.write_text(plan.read_text(encoding="utf-8") + "摘要: " + "9" * 5000 + "\n", encoding="utf-8")
    project, problems = load_project(project_copy)
    assert project is not None  # a long digit string is just text in a text field
    assert project.plans and any(p.summary == "9" * 5000 for p in project.plans)


# --- regressions: every hole the fuzzing found ------------------------------------------------

PLAN = "data/plans/gdkjj/2024/gongzuo-jihua.yml"
DEPT = "data/departments/skjj.yml"
SITE = "data/site.yml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _line_of(root: Path, rel: str, needle: str) -> int:
    for n, line in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(needle):
            return n
    raise AssertionError(needle)


@pytest.mark.parametrize("rel, old, new, field, message", [
    # a wrong type used to crash later checks (TypeError / AttributeError)
    (DEPT, "组配分类:\n  - 政策法规\n  - 规划计划\n  - 决策部署落实情况\n  - 其他\n", "组配分类: 5\n", "组配分类", "应该是列表"),
    (SITE, "联系方式:\n", "联系方式: [电话]\n_old:\n", "联系方式", "应该是一组字段"),
    (SITE, "索引号:\n  格式: 安徽\n", "索引号: 安徽\n_x:\n  格式: 安徽\n", "索引号", "应该是一组字段"),
    (PLAN, "正文:", "关键词: 5\n正文:", "关键词", "应该是列表"),
    (PLAN, "相关文件:\n  - 文件: skjj/2024/niandu-gongzuo-jihua\n    关系: 计划\n", "相关文件: [x]\n", "相关文件.第1项", "应该是一组字段"),
    # an empty required field used to drop the plan without a message
    (PLAN, "生成日期: 2024-03-01", "生成日期: ''", "生成日期", "不能为空"),
    (PLAN, "生成日期: 2024-03-01", "生成日期:", "生成日期", "不能为空"),
    # ... or crash the generator (StopIteration on an empty 组配分类)
    (PLAN, "组配分类: 规划计划", "组配分类: ' '", "组配分类", "不能为空"),
    # dates an editor types
    (PLAN, "生成日期: 2024-03-01", "生成日期: 2024-02-30", "生成日期", "不存在（2024年2月没有30日）"),
    (PLAN, "生成日期: 2024-03-01", "生成日期: ２０２４年３月１日", "生成日期", "写法不对"),
    (PLAN, "生成日期: 2024-03-01", "生成日期: 2024/1/5", "生成日期", "写法不对"),
    # Python's \d matches full-width digits: "２０２４-０３-０１" passed as a valid date
    (PLAN, "生成日期: 2024-03-01", "生成日期: ２０２４-０３-０１", "生成日期", "写法不对"),
    (PLAN, "索引号: 1134172300325409XR/202403-00002", "索引号: 1134172300325409XR/２０２４０３-00002", "索引号", "全角字符"),
    (SITE, "邮编: \"242200\"", "邮编: \"２４２２００\"", "联系方式.邮编", "格式不对"),
    # limits: Markdown's run time grows with the body's length and, quadratically, with its nesting
    (PLAN, "正文: |", "正文: |\n  " + "> - " * 20 + "深\n_rest: |", "正文", "正文第1行的引用或列表嵌套太深（40层，最多10层）"),
    (PLAN, "正文: |", "正文: |\n  " + "长" * 50_001 + "\n_rest: |", "正文", "太长（50002字，上限50000字）"),
])
def test_regression_values(project_copy, rel, old, new, field, message):
    _edit(project_copy, rel, old, new)
    project, problems = load_project(project_copy)
    assert project is None
    hits = [p for p in problems.errors if p.path == rel and p.field == field and message in p.message]
    assert hits, problems.report()
    assert hits[0].line >= 1


def test_plan_missing_dates_is_reported_not_dropped(project_copy):
    _edit(project_copy, PLAN, "发布日期: 2024-03-01\n", "")
    project, problems = load_project(project_copy)
    assert project is None
    assert any(p.path == PLAN and "发布日期" in p.field and "必填" in p.message for p in problems.errors)


def test_symlink_in_data_is_refused(project_copy):
    link = project_copy / "data/plans/gdkjj/2024/passwd.yml"
    link.symlink_to("/etc/passwd")
    project, problems = load_project(project_copy)
    assert project is None
    assert any(p.path.endswith("passwd.yml") and "符号链接" in p.message for p in problems.errors)


def test_broken_symlink_is_reported_too(project_copy):
    (project_copy / "data/plans/gdkjj/2024/nowhere.yml").symlink_to("/nonexistent")
    project, problems = load_project(project_copy)
    assert project is None and any("符号链接" in p.message for p in problems.errors)


def test_generator_runs_without_mkdocs_imported():
    """render.py used markdown.extensions.toc without importing it: generate() failed outside MkDocs."""
    import subprocess
    import sys
    code = ("import sys; from gongkai.data.loader import load_project; from gongkai.pages.generate import generate; "
            "from gongkai.pages.components import make_env; p, _ = load_project('.'); pages = generate(p, make_env('templates')); "
            "assert 'mkdocs' not in sys.modules; print(len(pages))")
    out = subprocess.run([sys.executable, "-c", code], cwd=SOURCE_ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 5


def test_case_ids_are_reproducible():
    files = sample_files()
    a = [c.id for c in cases(SEED, 20, files)]
    b = [c.id for c in cases(SEED, 20, files)]
    assert a == b and len(set(a)) == 20
    assert isinstance(next(iter(cases(SEED, 1, files))), Case)
