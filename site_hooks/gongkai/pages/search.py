"""Site search: a compact Chinese index written after the build, searched by ``search.js``.

Why our own index and not Pagefind or Material's search: ``docs/search.md`` has the
measurements. In short, at 10,000 plans Material ships the whole index (tens of MB)
and Pagefind's positional index needs ~570 KB and seconds for one common word,
while this index needs a few tens of KB per query.

How it works (plain functions, no MkDocs in them):

* **Terms** (:func:`index_terms`, :func:`query_terms`): text is folded with NFKC
  and lower-cased; every run of Chinese characters gives its single characters
  and its overlapping pairs (高新技术 → 高 新 技 术 高新 新技 技术); runs of ASCII
  letters and digits give whole words. A query of two or more Chinese characters
  becomes its pairs and matches documents holding all of them, which is nearly a
  phrase match and needs no dictionary — so the browser and Python split text
  identically (a dictionary segmenter such as jieba at index time and the
  browser's ``Intl.Segmenter`` at query time disagree, and then searches miss).
* **Exact keys** (:func:`doc_no_key`, :func:`index_no_key`): a 文号 or 索引号,
  however it is typed (〔〕 [] 【】 () （）, full-width digits and letters, spaces),
  becomes one ASCII word indexed with its plan; ``search.js`` computes the same
  word from a query shaped like a 文号 or 索引号 and looks up only that word (a
  document that merely contains the same characters and digits is no answer).
* **Files** (:func:`write_index`) in ``<site>/search-index/``: ``meta.json`` (counts,
  filter labels, build id), ``t/<n>.json`` (the postings of the terms whose hash
  falls in shard n: document numbers delta-encoded with a 5-bit weight),
  ``d/<n>.json`` (one document: URL, title, 发布机构, 发布日期, 文号, 索引号 and
  its text for the snippet) and ``f.json`` (each document's 发布机构, 年份, 组配分类
  and 主题分类, loaded only when filtering). A query downloads ``meta.json``, one
  shard per term and one ``d/`` file per result shown.

``tests/test_search_index.py`` checks the Python side and
``tests/test_search_browser.py`` the same queries through ``search.js``.
"""
from __future__ import annotations

import hashlib
import html as _html
import json
import math
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Sequence

from gongkai.runtime.parallel import pmap, pmap_blocks
from gongkai.problems import os_error_text
from gongkai.runtime.timing import phase

BUNDLE_DIR = "search-index"  # inside the built site; search.js finds it from the site root
FORMAT_VERSION = 1
FILTERS = [("department", "发布机构"), ("year", "年份"), ("category", "组配分类"), ("topic", "主题分类")]
SHARD_TARGET_BYTES = 16_000  # uncompressed bytes per term shard; about 5 KB gzipped
MAX_SHARDS = 4096

# Weight bits of a posting: term frequency (capped at 7), found in the metadata, found in the title.
TF_MAX = 7
META_BIT = 8
TITLE_BIT = 16

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_OPEN = "〔[【(（〈<{［｛"
_CLOSE = "〕]】)）〉>}］｝"
_DOC_NO = re.compile(
    rf"^(?P<agency>[^\s\d{re.escape(_OPEN + _CLOSE)}]+?)\s*[{re.escape(_OPEN)}]\s*(?P<year>\d{{4}})\s*"
    rf"[{re.escape(_CLOSE)}]\s*第?\s*(?P<serial>\d+)\s*号?$"
)
_INDEX_NO = re.compile(r"^(?P<code>[0-9A-Z]{9}|[0-9A-Z]{18})\s*[/\\|]\s*(?P<period>\d{4}|\d{6})\s*[-—–_－]\s*(?P<serial>\d{1,5})$")
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|td|th|div|dd|dt|blockquote|pre|figcaption|caption)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


class SearchIndexError(Exception):
    """The search index could not be written; ``str(exc)`` is a Chinese sentence for the editor."""


# --- text → terms -----------------------------------------------------------------

# Text made only of these needs no NFKC for its terms: ASCII, CJK unified ideographs (NFKC leaves both
# alone) and punctuation whose NFKC form holds no letter, digit or ideograph (full-width and Chinese
# marks: at most they become ASCII punctuation, which separates terms exactly as they do). Plan text is
# almost always of this kind, and it is full of ， （ ） that would make every body go through NFKC.
_TERMS_NEED_NO_NFKC = re.compile(
    "[\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff、。“”‘’—…·《》〈〉「」『』【】〔〕\u3000"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e]*")


def fold(text: str) -> str:
    """Text whose terms are those of its NFKC form (full-width letters, digits and brackets to ASCII),
    lower case. Punctuation that cannot change a term may stay as it was (see _TERMS_NEED_NO_NFKC)."""
    text = str(text)
    if not _TERMS_NEED_NO_NFKC.fullmatch(text) and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def _is_cjk(run: str) -> bool:
    return not ("0" <= run[0] <= "9" or "a" <= run[0] <= "z")


def index_terms(text: str, unigrams: bool = True) -> Counter:
    """Every term of ``text`` with its count: Chinese pairs, ASCII words, and single Chinese characters
    (all of them when ``unigrams``, as for titles and metadata; otherwise only characters standing
    alone, as for body text, where single characters would double the index for little use)."""
    runs = _TOKEN.findall(fold(text))
    long_cjk = [r for r in runs if len(r) > 1 and _is_cjk(r)]
    # One Counter call over every pair (map(str.__add__) builds them at C speed); the rest are few.
    counts = Counter(chain.from_iterable(map(str.__add__, r[:-1], r[1:]) for r in long_cjk))
    counts.update(r for r in runs if len(r) == 1 or not _is_cjk(r))
    if unigrams:
        counts.update(chain.from_iterable(long_cjk))
    return counts


def query_terms(query: str) -> list[str]:
    """The terms a query must all match, in order, without repeats (search.js does the same)."""
    terms: list[str] = []
    for run in _TOKEN.findall(fold(query)):
        parts = [run] if not _is_cjk(run) or len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        terms += [t for t in parts if t not in terms]
    return terms


def doc_no_key(text: str) -> str | None:
    """One ASCII word for a 文号, the same for every way of typing it; None if ``text`` is not a 文号.

    ``广科〔2024〕3号``, ``广科[2024]3号``, ``广科【２０２４】３号`` and ``广科（2024）03号`` all
    give ``gkwh05e7f079d1y2024n3z``: ``gkwh``, the 机关代字 as 5-digit hex code points,
    ``y`` + year, ``n`` + serial, and a closing ``z`` (so that the key of 3号 is not a
    prefix of the key of 30号).
    """
    match = _DOC_NO.match(unicodedata.normalize("NFKC", str(text)).strip())
    if not match or int(match["serial"]) == 0:
        return None
    agency = "".join(f"{ord(c):05x}" for c in match["agency"])
    return f"gkwh{agency}y{match['year']}n{int(match['serial'])}z"


def index_no_key(text: str) -> str | None:
    """One ASCII word for a 索引号 (any case, full-width, spaces); None if ``text`` is not one.

    ``1134172300325409XR/202403-00002`` and ``１１３４１７２３００３２５４０９ｘｒ／２０２４０３－２``
    both give ``gksy1134172300325409xr20240300002z``.
    """
    match = _INDEX_NO.match(unicodedata.normalize("NFKC", str(text)).strip().upper())
    if not match:
        return None
    return f"gksy{match['code'].lower()}{match['period']}{int(match['serial']):05d}z"


def term_shard(term: str, shards: int) -> int:
    """The shard of a term: FNV-1a (32 bit) of its UTF-8 bytes, modulo the shard count."""
    h = 0x811C9DC5
    for byte in term.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h % shards


def html_to_text(html: str) -> str:
    """Plain text of sanitised HTML: block ends become line breaks, tags vanish, entities decode."""
    text = _TAG.sub("", _BLOCK_END.sub("\n", html))
    lines = (_SPACE.sub(" ", line).strip() for line in _html.unescape(text).split("\n"))
    return "\n".join(line for line in lines if line)


# --- documents ---------------------------------------------------------------------

@dataclass
class SearchDoc:
    """One searchable page. ``url`` is site-relative (``xxgk/…/``); ``text`` is shown in snippets."""

    url: str
    title: str
    text: str
    meta_text: str = ""
    department: str = ""
    published: str = ""
    doc_no: str = ""
    index_no: str = ""
    validity: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)


def topic_labels(topic: str) -> list[str]:
    """Filter values of a 主题分类: the first level, and ``一级 › 二级`` for second-level topics."""
    if "\\" not in topic:
        return [topic]
    first, second = topic.split("\\", 1)
    return [first, f"{first} › {second}"]


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def plan_document(plan: Any) -> SearchDoc:
    """The search document of a plan: title, metadata, targets and body text, filters, exact keys."""
    from gongkai.markup.body import render_body  # cached: the generator has rendered the same body already

    dept = plan.department
    meta_parts = [plan.index_no, plan.category, dept.full_name, dept.short_name, plan.topic.replace("\\", " "),
                  plan.doc_no, plan.published.isoformat(), plan.source, *plan.keywords, *_strings(plan.targets)]
    from gongkai.pages.attachments import text_of  # DOCX and PDF attachments: their text is searchable too

    files = [f"附件：{a.name}\n{text_of(a)}" for a in getattr(plan, "attachments", ())]
    body = "\n".join(p for p in (plan.summary, html_to_text(str(render_body(plan.body))), *files) if p)
    keys = [k for k in (doc_no_key(plan.doc_no) if plan.doc_no else None, index_no_key(plan.index_no)) if k]
    return SearchDoc(
        url=plan.url, title=plan.title, text=body, meta_text=" ".join(p for p in meta_parts if p),
        department=dept.short_name, published=plan.published.isoformat(), doc_no=plan.doc_no,
        index_no=plan.index_no, validity="" if plan.validity == "有效" else plan.validity,
        filters={"department": [dept.short_name], "year": [f"{plan.year}年"], "category": [plan.category],
                 "topic": topic_labels(plan.topic)},
        keys=keys,
    )


def page_document(url: str, title: str, html: str) -> SearchDoc:
    """The search document of a hand-written page (its content HTML)."""
    return SearchDoc(url=url, title=title, text=html_to_text(html))


def documents(project: Any, pages: Iterable[tuple[str, str, str]] = ()) -> list[SearchDoc]:
    """Every plan (newest first), then the hand-written pages given as ``(url, title, html)``."""
    docs = [plan_document(p) for p in project.plans] if project is not None else []
    return docs + [page_document(*page) for page in pages]


# --- the index files -------------------------------------------------------------

def count_terms(docs: Sequence[SearchDoc], parallel: bool = False) -> dict[str, list[int]]:
    """term → [(document gap << 5) | weight, …] in document order, the form the shards store: the first
    gap counted from document -1 (weight: tf ≤ 7, META_BIT, TITLE_BIT).

    The build's largest search cost (counting the terms of every document), so with ``parallel``
    each core counts one block of consecutive documents and the blocks' lists are joined in order.
    """
    return _join(count_first(docs, parallel)[1])


def _join(blocks: Iterable[dict[str, list[int]]]) -> dict[str, list[int]]:
    """The lists of :func:`_block_postings` for consecutive blocks of documents, as one list per term."""
    postings: dict[str, list[int]] = {}
    for block in blocks:
        for term, values in block.items():
            have = postings.get(term)
            if have is None:
                postings[term] = values
            else:  # the block's first gap was counted from document -1: count it from have's last document
                values[1] -= 32 + have[0]
                have[0] = values[0]
                have += values[1:]
    for values in postings.values():
        del values[0]
    return postings


def _block_postings(start: int, docs: Sequence[SearchDoc]) -> dict[str, list[int]]:
    """:func:`count_terms` of ``docs``, numbered from ``start``, each list led by its last document << 5.

    10,000 plans make some 8 million postings, so this loop is kept to the fastest form measured (a
    ``defaultdict``; ``array`` appends and ``setdefault`` were both ~1.7× slower). The gaps are taken
    here, while the numbers are in the cache: a separate pass over 8 million scattered ints took 1.4 s."""
    postings: defaultdict[str, list[int]] = defaultdict(lambda: [-32])
    for number, doc in enumerate(docs, start):
        title = index_terms(doc.title)
        meta = index_terms(doc.meta_text)
        title.update(doc.keys)
        counts = index_terms(doc.text, unigrams=False)
        counts.update(meta)
        counts.update(title)
        base = number << 5
        for term, count in counts.items():
            entry = postings[term]
            entry.append((base - entry[0]) | (count if count < TF_MAX else TF_MAX))
            entry[0] = base
        for term in meta:
            postings[term][-1] |= META_BIT
        for term in title:
            postings[term][-1] |= TITLE_BIT
    return dict(postings)


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _write(path: Path, text: str) -> int:
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


Counted = tuple[int, list[dict[str, list[int]]]]  # (how many documents, their postings in blocks)


def count_first(docs: Sequence[SearchDoc], parallel: bool = False) -> Counted:
    """The terms of the first documents, counted before the rest are known (for :func:`write_index`'s
    ``counted``): the build counts the plans while MkDocs is still reading the hand-written pages."""
    return len(docs), pmap_blocks(_block_postings, docs, parallel=parallel)


def write_index(site_dir: Path | str, docs: list[SearchDoc], *, parallel: bool = False,
                counted: Counted | None = None) -> dict[str, Any]:
    """Write ``site_dir/search-index/`` for ``docs``; return figures (documents, terms, shards, bytes).

    Raises :class:`SearchIndexError` (Chinese message) when there is nothing to index or
    the files cannot be written. ``parallel`` counts terms on every core (it forks).
    ``counted``: :func:`count_first` of ``docs[:n]``, already done; only the rest are counted here.
    """
    site_dir = Path(site_dir)
    if not docs:
        raise SearchIndexError("站内搜索索引是空的:没有可以检索的页面。")
    out = site_dir / BUNDLE_DIR
    try:
        if out.exists():
            shutil.rmtree(out)
        (out / "t").mkdir(parents=True)
        (out / "d").mkdir()
        with phase("搜索：统计词项"):
            if counted is None:
                postings = count_terms(docs, parallel)
            else:
                first, blocks = counted
                postings = _join([*blocks, _block_postings(first, docs[first:])])
        raw = sum(len(t.encode()) + 4 + 4 * len(v) for t, v in postings.items())
        shards = max(1, min(MAX_SHARDS, round(raw / SHARD_TARGET_BYTES)))
        buckets: list[list[str]] = [[] for _ in range(shards)]
        for term in sorted(postings):
            buckets[term_shard(term, shards)].append(term)

        def write_shard(n: int) -> int:  # runs in forked workers, which inherit the postings
            return _write(out / "t" / f"{n}.json", _dump({term: postings[term] for term in buckets[n]}))

        def write_doc(n: int) -> int:
            doc = docs[n]
            record = {"u": doc.url, "t": doc.title, "x": doc.text}
            for key, value in (("d", doc.department), ("p", doc.published), ("w", doc.doc_no),
                               ("s", doc.index_no), ("v", doc.validity)):
                if value:
                    record[key] = value
            return _write(out / "d" / f"{n}.json", _dump(record))

        with phase("搜索：写文件"):
            total = sum(pmap(write_shard, range(shards), parallel=parallel))
            total += sum(pmap(write_doc, range(len(docs)), parallel=parallel))
        # Filter values: years newest first, the others by number of documents (then first seen).
        seen: dict[str, Counter] = {name: Counter() for name, _ in FILTERS}
        for doc in docs:
            for name, _ in FILTERS:
                seen[name].update(doc.filters.get(name, []))
        labels = {name: sorted(seen[name], reverse=True) if name == "year" else [v for v, _ in seen[name].most_common()]
                  for name, _ in FILTERS}
        columns: dict[str, list[Any]] = {name: [] for name, _ in FILTERS}
        for doc in docs:
            for name, _ in FILTERS:
                ids = [labels[name].index(v) for v in doc.filters.get(name, [])]
                columns[name].append(ids[0] if len(ids) == 1 else ids if ids else -1)
        total += _write(out / "f.json", _dump(columns))
        build = hashlib.sha1(_dump([d.url for d in docs]).encode() + str(total).encode()).hexdigest()[:12]
        meta = {"version": FORMAT_VERSION, "build": build, "docs": len(docs), "shards": shards,
                "filters": [{"name": name, "label": label, "values": labels[name]} for name, label in FILTERS]}
        total += _write(out / "meta.json", _dump(meta))
    except OSError as exc:
        raise SearchIndexError(f"无法写入站内搜索索引 {out}:{os_error_text(exc)}") from exc
    return {"documents": len(docs), "terms": len(postings), "shards": shards, "bytes": total}


# --- the same search in Python (tests and the benchmark compare it with search.js) ---------

def search(site_dir: Path | str, query: str, limit: int = 10) -> list[str]:
    """URLs of the best ``limit`` documents for ``query``, ranked as search.js ranks them."""
    out = Path(site_dir) / BUNDLE_DIR
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    n_docs, shards = meta["docs"], meta["shards"]

    def lookup(term: str) -> list[tuple[int, int]]:
        bucket = json.loads((out / "t" / f"{term_shard(term, shards)}.json").read_text(encoding="utf-8"))
        doc, result = -1, []
        for value in bucket.get(term, []):
            doc += value >> 5
            result.append((doc, value & 31))
        return result

    def weight(w: int, df: int) -> float:
        idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        tf = w & TF_MAX
        return idf * (tf / (tf + 1.2)) * (1 + (1.5 if w & META_BIT else 0) + (3 if w & TITLE_BIT else 0))

    scores: dict[int, float] = {}
    key = doc_no_key(query) or index_no_key(query)
    if key:  # a 文号 or 索引号 is looked up exactly: a document with other numbers is no answer
        for doc, _ in lookup(key):
            scores[doc] = 1000.0
    terms = [] if key else query_terms(query)
    if terms:
        matched: dict[int, float] | None = None
        for term in terms:
            hits = lookup(term)
            here = {doc: weight(w, len(hits)) for doc, w in hits}
            matched = here if matched is None else {d: s + here[d] for d, s in matched.items() if d in here}
        for doc, score in (matched or {}).items():
            scores[doc] = scores.get(doc, 0.0) + score
    ranked = sorted(scores, key=lambda d: (-round(scores[d], 6), d))[:limit]
    return [json.loads((out / "d" / f"{d}.json").read_text(encoding="utf-8"))["u"] for d in ranked]


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - a debugging aid
    """``python -m gongkai.pages.search SITE_DIR QUERY``: print the top URLs for a query."""
    import sys

    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 2:
        print("用法:python -m gongkai.pages.search 网站目录 检索词", file=sys.stderr)
        return 2
    for url in search(args[0], args[1]):
        print(url)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
