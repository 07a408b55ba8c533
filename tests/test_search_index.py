"""The search index in Python: exact keys for 文号/索引号, terms, the index files, ranking, failures."""
from __future__ import annotations

import json

import pytest

from gongkai.pages import search
from gongkai.data.loader import load_project
from gongkai.pages.search import SearchDoc

from conftest import ROOT

# --- 文号: every way of typing it gives one key; different documents never share one ---------
SAME_DOC_NO = [
    "广科〔2024〕3号", "广科[2024]3号", "广科【2024】3号", "广科(2024)3号", "广科（2024）3号",
    "广科〔２０２４〕３号", "广科［２０２４］３号", "广科 〔2024〕 3 号", "广科〔2024〕03号", "广科〔2024〕第3号",
    "广科〔2024〕3", "  广科[2024]3号  ",
]
NOT_DOC_NO = ["", "广科", "2024", "高新技术企业", "广科〔24〕3号", "广科〔2024〕0号", "〔2024〕3号", "广科2024年3号"]


@pytest.mark.parametrize("text", SAME_DOC_NO)
def test_doc_no_variants_share_one_key(text):
    assert search.doc_no_key(text) == "gkwh05e7f079d1y2024n3z"


@pytest.mark.parametrize("text", NOT_DOC_NO)
def test_not_a_doc_no(text):
    assert search.doc_no_key(text) is None


def test_doc_no_keys_differ_and_are_not_prefixes():
    k3, k30 = search.doc_no_key("广科〔2024〕3号"), search.doc_no_key("广科〔2024〕30号")
    other_year, other_agency = search.doc_no_key("广科〔2023〕3号"), search.doc_no_key("示科〔2024〕3号")
    assert len({k3, k30, other_year, other_agency}) == 4
    assert not k30.startswith(k3) and not k3.startswith(k30)
    assert k3.isascii() and k3.isalnum()


# --- 索引号 ---------------------------------------------------------------------------------
SAME_INDEX_NO = [
    "1134172300325409XR/202403-00002", "1134172300325409xr/202403-00002", "1134172300325409XR/202403-2",
    "１１３４１７２３００３２５４０９ＸＲ／２０２４０３－００００２", "1134172300325409XR / 202403 - 00002",
    "1134172300325409XR\\202403-00002", "1134172300325409XR/202403—00002",
]


@pytest.mark.parametrize("text", SAME_INDEX_NO)
def test_index_no_variants_share_one_key(text):
    assert search.index_no_key(text) == "gksy1134172300325409xr20240300002z"


@pytest.mark.parametrize("text", ["", "1134172300325409XR", "1134172300325409XR/202403", "11341723/202403-00002",
                                  "000014349/2017-00110x", "高新技术企业"])
def test_not_an_index_no(text):
    assert search.index_no_key(text) is None


def test_national_index_no_format():
    assert search.index_no_key("000014349/2017-00110") == "gksy000014349201700110z"


# --- terms -----------------------------------------------------------------------------------
# --- the browser's copy of both grammars: generated from the Python ones, and equal in a real engine ---------
def test_search_js_grammars_are_generated_from_python():
    import importlib.util

    spec = importlib.util.spec_from_file_location("sync_search_js", ROOT / "scripts" / "sync_search_js.py")
    sync = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sync)
    text = sync.SEARCH_JS.read_text(encoding="utf-8")
    assert sync.synced(text) == text, "search.js 过期：请运行 python scripts/sync_search_js.py"
    stale = text.replace("([0-9]{2,4})", "([0-9]{4})", 1)
    assert stale != text and sync.synced(stale) == text


def test_browser_grammars_give_the_same_groups_as_python():
    """The generated JavaScript, run by Node, splits every 文号 and 索引号 (and every non-one) as Python does."""
    import re
    import shutil
    import subprocess
    import unicodedata

    from gongkai.rules.codes import DOC_NO_LOOSE

    node = shutil.which("node")
    assert node, "make test-deps installs Node.js (with npm)"
    inputs = SAME_DOC_NO + NOT_DOC_NO + SAME_INDEX_NO + [
        "京1科〔2024〕3号", "国办发〔2021〕30号", "广科〈2024〉3号", "广科<2024>3号", "广科{2024}3号", "广科〔24〕3号",
        "广科\t〔2024〕\t3号", "广科〔٢٠٢٤〕3号", "粤科函〔2024〕第１２号", "000014349/2017-00110",
    ]
    script = search.browser_constants() + """
const out = [];
for (const text of JSON.parse(process.argv[1])) {
  const s = text.normalize("NFKC").trim();
  const d = DOC_NO.exec(s), i = INDEX_NO.exec(s.toUpperCase());
  out.push([d ? d.slice(1) : null, i ? i.slice(1) : null]);
}
console.log(JSON.stringify(out));
"""
    run = subprocess.run([node, "-e", script, json.dumps(inputs, ensure_ascii=False)], capture_output=True,
                         text=True, check=True)
    index_no = re.compile(search.INDEX_NO_SOURCE)
    expected = []
    for text in inputs:
        s = unicodedata.normalize("NFKC", text).strip()
        d, i = DOC_NO_LOOSE.match(s), index_no.match(s.upper())
        expected.append([list(d.groups()) if d else None, list(i.groups()) if i else None])
    assert json.loads(run.stdout) == expected
    assert sum(d is not None for d, _ in expected) >= len(SAME_DOC_NO)  # the table holds matches, not only misses


@pytest.mark.parametrize("query, terms", [
    ("高新技术企业", ["高新", "新技", "技术", "术企", "企业"]),
    ("科", ["科"]),
    ("科技 科技", ["科技"]),
    ("2024年 工作计划", ["2024", "年", "工作", "作计", "计划"]),
    ("ＡＢＣ１２３ 科技", ["abc123", "科技"]),
    ("“科技特派员”！", ["科技", "技特", "特派", "派员"]),
    ("  ,.;  ", []),
])
def test_query_terms(query, terms):
    assert search.query_terms(query) == terms


def test_index_terms_units():
    body = search.index_terms("高新技术 5号", unigrams=False)
    assert body == {"高新": 1, "新技": 1, "技术": 1, "5": 1, "号": 1}  # 号 stands alone; 高 新 技 术 are in pairs
    title = search.index_terms("高新技术")
    assert title["高"] == title["高新"] == 1 and len(title) == 7


def test_term_shard_is_fnv1a():
    assert search.term_shard("a", 2 ** 32) == 0xE40C292C  # FNV-1a 32 test vector
    assert search.term_shard("foobar", 2 ** 32) == 0xBF9CF968
    assert 0 <= search.term_shard("高新", 7) < 7


def test_html_to_text():
    html = "<h2>一、目标</h2><p>确保&amp;实现<strong>高新</strong>技术</p><ul><li>甲</li><li>乙</li></ul>"
    assert search.html_to_text(html) == "一、目标\n确保&实现高新技术\n甲\n乙"


# --- documents from the sample project ---------------------------------------------------------
@pytest.fixture(scope="module")
def project():
    project, problems = load_project(ROOT)
    assert project is not None, problems.report()
    return project


def test_plan_document_carries_metadata_filters_and_keys(project):
    plan = next(p for p in project.plans if p.doc_no)
    doc = search.plan_document(plan)
    assert doc.url == plan.url and doc.title == plan.title
    assert plan.index_no in doc.meta_text and plan.doc_no in doc.meta_text and plan.department.full_name in doc.meta_text
    assert doc.filters == {"department": [plan.department.short_name], "year": [f"{plan.year}年"],
                           "category": [plan.category], "topic": search.topic_labels(plan.topic)}
    assert search.doc_no_key(plan.doc_no) in doc.keys and search.index_no_key(plan.index_no) in doc.keys
    assert "高新技术企业" in doc.text and "<" not in doc.text


def test_plan_document_carries_its_targets(project):
    """A plan is found by the names of its 指标 (and their other names), not only by its body's words."""
    plan = next(p for p in project.plans if p.id == "gdkjj/2024/gongzuo-jihua")
    meta = search.plan_document(plan).meta_text
    assert all(t.indicator.name in meta and t.wording in meta for t in plan.targets) and plan.targets
    assert "高企" in meta and "上半年新入库培育企业32家" in meta  # an alias; a progress note
    assert "新认定省级企业研发中心数量" not in search.plan_document(plan).text  # metadata, not body text


def test_a_plan_is_found_by_an_indicator_name_its_body_lacks(sample_site):
    plan = (ROOT / "data/plans/skjj/2024/gongzuo-jihua-shi-da-tixi.yml").read_text(encoding="utf-8")
    assert "新认定高新技术企业数量" in plan and plan.count("新认定高新技术企业数量") == plan.count("指标: 新认定高新技术企业数量")
    assert "xxgk/skjj/2024/gongzuo-jihua-shi-da-tixi/" in search.search(sample_site, "新认定高新技术企业数量", limit=20)


def test_topic_labels():
    assert search.topic_labels("其他") == ["其他"]
    assert search.topic_labels("科技、教育\\科技") == ["科技、教育", "科技、教育 › 科技"]


# --- index files and ranking --------------------------------------------------------------------
def _doc(url, title, text, **kw):
    return SearchDoc(url=url, title=title, text=text, **kw)


@pytest.fixture
def small_index(tmp_path):
    docs = [
        _doc("a/", "科技特派员工作方案", "选派科技特派员。", department="甲局", published="2024-01-02",
             filters={"department": ["甲局"], "year": ["2024年"], "category": ["规划计划"], "topic": ["其他"]},
             keys=[search.doc_no_key("甲科〔2024〕3号")], doc_no="甲科〔2024〕3号"),
        _doc("b/", "年度工作计划", "培育高新技术企业。高新技术企业达到100家。", department="乙局",
             filters={"department": ["乙局"], "year": ["2023年"], "category": ["规划计划"], "topic": ["科技、教育", "科技、教育 › 科技"]},
             keys=[search.doc_no_key("甲科〔2024〕30号")]),
        _doc("c/", "工作要点", "高新区建设;技术企业服务。"),
        _doc("d/", "说明", "本页提到甲科〔2024〕3号文件和特派员。"),
    ]
    stats = search.write_index(tmp_path, docs)
    return tmp_path, stats


def test_write_index_files(small_index):
    site, stats = small_index
    out = site / search.BUNDLE_DIR
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["docs"] == 4 and meta["shards"] == stats["shards"] >= 1
    assert [f["name"] for f in meta["filters"]] == ["department", "year", "category", "topic"]
    assert meta["filters"][1]["values"] == ["2024年", "2023年"]  # newest year first
    assert len(list((out / "t").glob("*.json"))) == meta["shards"]
    doc = json.loads((out / "d" / "0.json").read_text(encoding="utf-8"))
    assert doc == {"u": "a/", "t": "科技特派员工作方案", "x": "选派科技特派员。", "d": "甲局", "p": "2024-01-02", "w": "甲科〔2024〕3号"}
    columns = json.loads((out / "f.json").read_text(encoding="utf-8"))
    assert columns["department"] == [0, 1, -1, -1] and columns["topic"][1] == [1, 2]


def test_search_and_semantics_and_ranking(small_index):
    site, _ = small_index
    assert search.search(site, "高新技术企业") == ["b/"]  # c/ has 高新 and 技术企业 but not the phrase
    assert search.search(site, "特派员") == ["a/", "d/"]  # title match first
    assert search.search(site, "量子") == []


def test_exact_doc_no_comes_first(small_index):
    site, _ = small_index
    for variant in ("甲科〔2024〕3号", "甲科[２０２４]3号", "甲科（2024）3号"):
        assert search.search(site, variant)[0] == "a/", variant
    assert search.search(site, "甲科〔2024〕30号")[0] == "b/"


def test_empty_index_is_an_error(tmp_path):
    with pytest.raises(search.SearchIndexError, match="没有可以检索的页面"):
        search.write_index(tmp_path, [])


def test_unwritable_site_is_a_chinese_error(tmp_path):
    blocker = tmp_path / "site"
    blocker.write_text("不是目录")
    with pytest.raises(search.SearchIndexError, match="无法写入站内搜索索引"):
        search.write_index(blocker, [_doc("a/", "甲", "乙")])


# --- fold: skipping NFKC on plain plan text must not change a single term ----------------------

def _terms_by_full_nfkc(text: str, unigrams: bool = True):
    """The obvious way: NFKC and lower-case everything, then split (the oracle for search.fold's shortcut)."""
    import unicodedata
    from collections import Counter

    counts = Counter()
    for run in search._TOKEN.findall(unicodedata.normalize("NFKC", text).lower()):
        if len(run) > 1 and search._is_cjk(run):
            counts.update(run[i:i + 2] for i in range(len(run) - 1))
            if unigrams:
                counts.update(run)
        else:
            counts[run] += 1
    return counts


FOLD_CASES = [
    "新认定高新技术企业25家，全年完成（预计）目标。",
    "广科〔２０２４〕３号：【重点】任务——“科技特派员”；见《计划》…",
    "ＡＢＣ公司与ｘｙｚ平台，Ｒ＆Ｄ投入增长１２．５％",
    "①第一项 ⑵第二项 ㈠第三项 Ⅱ类 ㎡ ½ ²",
    "兀﨑（兼容汉字）與\u3000全角空格　和 tab\t分隔",
    "e\u0301 组合符号 café CAFÉ",
    "！＂＃＄％＆＇（）＊＋，－．／：；＜＝＞？＠［＼］＾＿｀｛｜｝～",
]


@pytest.mark.parametrize("text", FOLD_CASES)
def test_fold_shortcut_gives_the_terms_of_full_nfkc(text):
    assert search.index_terms(text) == _terms_by_full_nfkc(text)
    assert search.index_terms(text, unigrams=False) == _terms_by_full_nfkc(text, unigrams=False)


def test_fold_shortcut_on_every_sample_body():
    project, problems = load_project(ROOT)
    assert project is not None, problems.report()
    docs = search.documents(project)
    assert len(docs) >= 5
    for doc in docs:
        for text in (doc.text, doc.meta_text, doc.title):
            assert search.index_terms(text) == _terms_by_full_nfkc(text), doc.url


def test_punctuation_allowed_without_nfkc_never_becomes_a_term():
    import unicodedata

    allowed = [chr(c) for c in range(0x80, 0x10000) if search._TERMS_NEED_NO_NFKC.fullmatch(chr(c))
               and not (0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF) and unicodedata.category(chr(c)) != "Cs"]
    assert "，" in allowed and "①" not in allowed and "Ａ" not in allowed and "兀" not in allowed
    for c in allowed:
        assert not search._TOKEN.search(unicodedata.normalize("NFKC", c).lower()), repr(c)
        assert unicodedata.combining(c) == 0, repr(c)


def test_count_terms_in_blocks_equals_one_pass_and_decodes_to_documents(monkeypatch):
    """Postings are stored as gaps; joining the blocks counted on two cores must give the same lists."""
    from gongkai.runtime import parallel

    docs = [SearchDoc(url=f"d{i}/", title=f"标题{i % 3}", text="高新技术企业" * (i % 4) + f"第{i}号 abc{i % 5}",
                      meta_text="科学技术局" if i % 2 else "") for i in range(41)]
    one = search.count_terms(docs, parallel=False)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    assert search.count_terms(docs, parallel=True) == one
    doc, seen = -1, []
    for value in one["高新"]:
        doc += value >> 5
        seen.append((doc, value & search.TF_MAX))
    assert seen == [(i, min(i % 4, search.TF_MAX)) for i in range(41) if i % 4]
    assert [v & search.META_BIT for v in one["科学"]] and all(v & search.META_BIT for v in one["科学"])
