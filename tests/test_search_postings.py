"""The search index counted on arrays (pages/search_postings.py) gives the same postings and the same shard
files as the one-document-at-a-time definition in pages/search.py (count_terms, _dump, term_shard)."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings, strategies as st

from gongkai.pages import search, search_postings
from gongkai.pages.search import SearchDoc
from gongkai.pages.search_postings import Postings, joined, shards_of


def _as_dict(terms: search_postings.Terms) -> dict[str, list[int]]:
    return {t: terms.values[a:b].tolist() for t, a, b in zip(terms.terms, terms.start.tolist(), terms.stop.tolist())}


def _counted(docs: list[SearchDoc]) -> search_postings.Terms:
    postings = Postings()
    postings.add(docs, search.fold)
    return joined(postings)


def _reference_shards(reference: dict[str, list[int]], shards: int) -> list[str]:
    buckets: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    for term in sorted(reference):
        buckets[search.term_shard(term, shards)][term] = reference[term]
    return [search._dump(b) for b in buckets]


DOCS = [
    SearchDoc("a/", "2024年科技工作计划", "新认定高新技术企业25家。科技型中小企业评价入库1200家。"),
    SearchDoc("b/", "关于印发《示范区建设方案》的通知", "一、总体要求\n（一）到２０２５年，建成【示范】基地3个。",
              meta_text="广科〔2024〕3号 科技局 2024-03-01", keys=["gkwh05e7f079d1y2024n3z"]),
    SearchDoc("c/", "Ｒ＆Ｄ经费 AI 5G", "研发投入强度达到3.5%，r&d 经费；ＡＩ产业；5g基站 5G。"),
    SearchDoc("d/", "", ""),                                         # empty fields
    SearchDoc("e/", "一", "字 单 独 的 字，以及 两字 和 三个字。甲"),   # lone characters, in title and body
    SearchDoc("f/", "重复重复重复重复重复重复重复重复", "重复" * 20, meta_text="重复"),  # tf capped at 7
    SearchDoc("g/", "兼容豈字", "﨑崎 㐀 丽", meta_text="Ⅻ ﬁle"),        # compatibility ideographs, NFKC
    SearchDoc("h/", "科技", "科技", meta_text="科技", keys=["abc123", "abc123"]),
]


def test_counted_postings_equal_the_definition():
    assert _as_dict(_counted(DOCS)) == search.count_terms(DOCS)


def test_terms_are_in_python_sort_order_and_shards_equal_the_reference():
    terms = _counted(DOCS)
    assert terms.terms == sorted(terms.terms)
    reference = search.count_terms(DOCS)
    for shards in (1, 3, 7):
        texts = list(terms.shard_texts(shards))
        assert texts == _reference_shards(reference, shards)
        assert {k: v for t in texts for k, v in json.loads(t).items()} == reference
    assert terms.raw_size() == sum(len(t.encode()) + 4 + 4 * len(v) for t, v in reference.items())


@pytest.mark.parametrize("chunk", [1, 2, 5, 1 << 20])  # the join's passes by chunks of rows, across their edges
def test_blocks_are_joined_with_gaps_across_them(monkeypatch, chunk):
    monkeypatch.setattr(search_postings, "BLOCK", 3)
    monkeypatch.setattr(search_postings, "_CHUNK", chunk)
    docs = [SearchDoc(f"{n}/", f"计划{n % 4}", "科技 企业" if n % 2 else "企业 abc") for n in range(20)]
    postings = Postings()
    postings.add(docs[:5], search.fold)   # counted first, as the build does while MkDocs reads pages
    postings.add(docs[5:], search.fold)
    assert len(postings.blocks) == 2 + 5  # 5 = 3 + 2, 15 = 3 * 5
    assert _as_dict(joined(postings)) == search.count_terms(docs)


def test_the_first_gap_counts_from_document_minus_one():
    docs = [SearchDoc("a/", "", "甲"), SearchDoc("b/", "", "乙"), SearchDoc("c/", "", "甲")]
    got = _as_dict(_counted(docs))
    assert got["甲"] == [(1 << 5) | 1, (2 << 5) | 1]   # documents 0 and 2
    assert got["乙"] == [(2 << 5) | 1]                  # document 1


def test_no_documents_give_no_terms():
    terms = joined(Postings())
    assert terms.terms == [] and list(terms.shard_texts(2)) == ["{}", "{}"] and terms.raw_size() == 0


def test_shard_numbers_equal_term_shard():
    terms = ["a", "z9", "科", "科技", "gkwh05e7f079d1y2024n3z", "𠀀x", "0"]
    for shards in (1, 2, 97, 4096):
        assert shards_of(terms, shards).tolist() == [search.term_shard(t, shards) for t in terms]


def test_constants_are_those_of_search_py():
    assert (search_postings.TF_MAX, search_postings.META_BIT, search_postings.TITLE_BIT) == (
        search.TF_MAX, search.META_BIT, search.TITLE_BIT)
    ranges = re.findall(r"\\u([0-9a-f]{4})-\\u([0-9a-f]{4})", search._CJK.encode("unicode_escape").decode())
    assert [(int(a, 16), int(b, 16)) for a, b in ranges] == list(search_postings.CJK_RANGES)


_TEXT = st.text(alphabet=st.sampled_from(list("科技企业计划一二三年月日abcAB09０９（）【】〔〕、，。 \n%Ｒ﨑丽")), max_size=40)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, _TEXT), min_size=1, max_size=6))
def test_any_texts_give_the_definitions_postings(fields):
    docs = [SearchDoc(f"{n}/", title, body, meta_text=meta) for n, (title, meta, body) in enumerate(fields)]
    assert _as_dict(_counted(docs)) == search.count_terms(docs)


def test_documents_without_terms_are_counted_in_order():
    docs = [SearchDoc("a/", "", "。"), SearchDoc("b/", "", "！"), SearchDoc("c/", "甲", "")]
    assert joined(Postings()).terms == []
    postings = Postings()
    postings.add(docs[:2], search.fold)
    assert joined(postings).terms == []
    postings.add(docs[2:], search.fold)
    assert _as_dict(joined(postings)) == search.count_terms(docs) == {"甲": [(3 << 5) | 1 | search.TITLE_BIT]}


def test_a_limit_of_the_arrays_is_a_chinese_search_index_error(tmp_path, monkeypatch):
    monkeypatch.setattr(search_postings, "MAX_WORDS", 1)
    with pytest.raises(search.SearchIndexError, match="站内搜索索引放不下这么多不同的英文单词和数字"):
        search.write_index(tmp_path, [SearchDoc("a/", "abc def", "")])


@pytest.mark.parametrize("limit", [search_postings._TABLE_LIMIT, 0])  # through the digit table, and one number at a time
def test_shard_texts_write_every_number_as_json_does(monkeypatch, limit):
    import numpy as np

    monkeypatch.setattr(search_postings, "_TABLE_LIMIT", limit)
    edges = sorted({0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 65536, 320017, 999999, 1000000, (1 << 21) - 1})
    lists = {"a": edges, "科": [7], "科技": edges[::-1], "z": [], "企业": [10 ** 5] * 3}
    names = sorted(lists)
    start = np.cumsum([0] + [len(lists[t]) for t in names])
    terms = search_postings.Terms(names, start[:-1].astype(np.int64), start[1:].astype(np.int64),
                                  np.array([v for t in names for v in lists[t]], dtype=np.int64))
    for shards in (1, 2, 5):
        texts = list(terms.shard_texts(shards))
        assert texts == _reference_shards(lists, shards)
        assert {k: v for t in texts for k, v in json.loads(t).items()} == lists
