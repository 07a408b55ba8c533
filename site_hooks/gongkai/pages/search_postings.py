"""The search index's postings for many documents at once, counted on arrays with numpy.

``pages/search.py`` defines the terms (``index_terms``) and the posting format (``_block_postings``:
for each term, its documents in order as ``(gap << 5) | weight``). Counting them one document at a
time in Python was the build's largest cost: 9.3 s of CPU at 10,000 plans, for some 9 million
postings, in the one process that writes the index beside the build. The full build counts here
instead (about 1.5 s with the join). ``_block_postings`` stays the definition, and the preview's
one-document update uses it; ``tests/test_search_postings.py`` checks that both give the same postings
and shard files.

How: the folded texts of a block of documents are joined into one string, a line break after each,
and read as an array of code points. A table gives each code point's class (Chinese character, ASCII
letter or digit, other). Every term occurrence becomes one 64-bit number: its term, its document
within the block and its field (title, metadata, body). The term's number is

* for a single Chinese character, its code point (< 2**16: every indexed character is in the BMP);
* for a pair of Chinese characters, ``first << 16 | second``;
* for an ASCII word, ``2**32 +`` its number in a vocabulary shared by the whole index.

Sorting the occurrences brings together those of one term in one document; their count is the term
frequency, and their fields give META_BIT and TITLE_BIT.

Memory: a block (256 documents) makes arrays of a few MB; the joined rows are 8 bytes a posting (75 MB
at 10,000 plans), and joining them makes no second array of that size.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

import numpy as np

TF_MAX, META_BIT, TITLE_BIT = 7, 8, 16  # the same as pages/search.py

# Every Chinese character pages/search.py indexes is in the Basic Multilingual Plane (search._CJK), so a
# pair fits in 32 bits: ``first << 16 | second``, above every single character; words are numbered from 2**32.
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_WORD = 1 << 32
MAX_WORDS = 1 << 29                    # so that a term number needs at most 33 bits
_LOCAL_BITS = 21                       # a document's number within its block
_WEIGHT_BITS = 5
BLOCK = 256                            # documents counted together: arrays of a few MB, which stay in the cache
_FIELD_BITS = 2                        # 0 body, 1 metadata, 2 title
_CHUNK = 1 << 20                       # rows taken at a time where a whole-array temporary would be large
_CJK, _ALNUM = 1, 2


class LimitError(ValueError):
    """More words or documents than the 64-bit rows hold; the message is for the editor (search.write_index
    reports it as a search index error)."""


_classes: np.ndarray | None = None


def _class_table() -> np.ndarray:
    """The class of every code point (Chinese character, ASCII letter or digit, other), made on first use."""
    global _classes
    if _classes is None:
        table = np.zeros(0x110000, dtype=np.uint8)
        for low, high in CJK_RANGES:
            table[low:high + 1] = _CJK
        table[ord("0"):ord("9") + 1] = _ALNUM
        table[ord("a"):ord("z") + 1] = _ALNUM
        _classes = table
    return _classes


@dataclass
class Postings:
    """Counted documents, as one array per block of one 64-bit row per (term, document):
    ``term number << 26 | document << 5 | weight``, the document counted within its block.

    ``words``: the ASCII words by number, shared by every block. ``count``: documents counted so far."""

    blocks: list[tuple[int, np.ndarray]] = field(default_factory=list)  # (first document, rows)
    words: dict[str, int] = field(default_factory=dict)
    count: int = 0

    def add(self, docs: Sequence[Any], fold: Callable[[str], str]) -> None:
        """Count ``docs`` (SearchDocs), numbered from ``self.count``, in blocks of BLOCK documents."""
        for start in range(0, len(docs), BLOCK):
            block = docs[start:start + BLOCK]
            self.blocks.append((self.count, _block_rows(block, fold, self.words)))
            self.count += len(block)


def _block_rows(docs: Sequence[Any], fold: Callable[[str], str], words: dict[str, int]) -> np.ndarray:
    """The rows of one block (see :class:`Postings`), sorted; ``words`` gets the block's new words."""
    pieces: list[str] = []
    for doc in docs:  # each document's fields in this order: title (with the exact keys), metadata, body
        pieces.append(" ".join([fold(doc.title), *doc.keys]))
        pieces.append(fold(doc.meta_text))
        pieces.append(fold(doc.text))
    text = "\n".join(pieces) + "\n"  # a line break ends every piece: no term runs from one into the next
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    # what each character belongs to: document << 2 | field (title 2, metadata 1, body 0)
    piece_codes = (np.arange(len(docs), dtype=np.uint64).repeat(3) << np.uint64(_FIELD_BITS)) | np.tile(
        np.array([2, 1, 0], dtype=np.uint64), len(docs))
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)) + 1
    owner = piece_codes.repeat(lengths)
    cls = _class_table()[points]
    cjk = cls == _CJK
    next_cjk = np.zeros_like(cjk)
    next_cjk[:-1] = cjk[1:]
    prev_cjk = np.zeros_like(cjk)
    prev_cjk[1:] = cjk[:-1]

    # pairs: two Chinese characters side by side (a character is < 2**16, see CJK_RANGES)
    pair_at = np.flatnonzero(cjk & next_cjk)
    pair_keys = (points[pair_at].astype(np.uint64) << np.uint64(16)) | points[pair_at + 1]
    # single characters: all in titles and metadata; in bodies only those standing alone
    single_at = np.flatnonzero(cjk & (((owner & np.uint64(3)) != 0) | ~(prev_cjk | next_cjk)))
    # ASCII words: runs of letters and digits
    edges = np.diff((cls == _ALNUM).view(np.int8), prepend=np.int8(0))
    word_at = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)  # text ends with a line break: every run has its end
    number = words.setdefault
    word_ids = np.fromiter((number(text[a:b], len(words)) for a, b in zip(word_at.tolist(), ends.tolist())),
                           dtype=np.uint64, count=len(word_at))

    keys = np.concatenate([pair_keys, points[single_at].astype(np.uint64), word_ids + np.uint64(_WORD)])
    at = np.concatenate([pair_at, single_at, word_at])
    occurrences = (keys << np.uint64(30)) | owner[at]  # term << 30 | document << 2 | field
    if not len(occurrences):  # nothing to index in the whole block
        return np.zeros(0, dtype=np.uint64)
    occurrences.sort()
    term_doc = occurrences >> np.uint64(_FIELD_BITS)
    first = np.flatnonzero(np.concatenate([[True], term_doc[1:] != term_doc[:-1]]))
    tf = np.diff(np.append(first, len(occurrences)))
    bits = np.array([0, META_BIT, TITLE_BIT], dtype=np.uint64)[(occurrences & np.uint64(3)).astype(np.intp)]
    flags = np.bitwise_or.reduceat(bits, first)
    if len(words) > MAX_WORDS:
        raise LimitError("站内搜索索引放不下这么多不同的英文单词和数字（超过 5 亿个）：请检查正文中是否误放了大段编码或数据")
    row = term_doc[first]  # term << 28 | document
    local = row & np.uint64((1 << 28) - 1)
    return ((row >> np.uint64(28)) << np.uint64(_LOCAL_BITS + _WEIGHT_BITS)) | (local << np.uint64(_WEIGHT_BITS)) \
        | np.minimum(tf, TF_MAX).astype(np.uint64) | flags


@dataclass
class Terms:
    """Every term of counted documents with its postings, ready to be written in shards.

    ``terms`` in Python's sort order; ``values[start[i]:stop[i]]`` are the postings of ``terms[i]``
    (``(gap << 5) | weight``, the first gap counted from document -1)."""

    terms: list[str]
    start: np.ndarray
    stop: np.ndarray
    values: np.ndarray

    def raw_size(self) -> int:
        """``sum(len(term in UTF-8) + 4 + 4 * len(postings))``: what the shard count is chosen from."""
        return sum(len(t.encode()) for t in self.terms) + 4 * len(self.terms) + 4 * len(self.values)

    def shard_texts(self, shards: int) -> Iterator[str]:
        """The JSON text of every shard in turn: ``{term: postings}`` of its terms in sorted order, compact, as
        ``search._dump`` writes it (the terms are Chinese characters and ASCII letters and digits: nothing
        to escape). One at a time, to be written as it comes: all of them are some 60 MB at 10,000 plans."""
        of = shards_of(self.terms, shards)
        members: list[list[int]] = [[] for _ in range(shards)]
        for i, n in enumerate(of.tolist()):
            members[n].append(i)
        terms, start, stop, values = self.terms, self.start.tolist(), self.stop.tolist(), self.values
        top = int(values.max()) if len(values) else 0
        if top >= _TABLE_LIMIT:  # a table of every number's digits would be too large: one number at a time
            for chosen in members:
                yield "{" + ",".join(f'"{terms[i]}":[{",".join(map(str, values[start[i]:stop[i]].tolist()))}]'
                                     for i in chosen) + "}"
            return
        table, widths = _digit_table(top)
        for chosen in members:
            if not chosen:
                yield "{}"
                continue
            numbers = np.concatenate([values[start[i]:stop[i]] for i in chosen])
            cells = table[numbers].ravel()
            text = cells[cells != 0].tobytes().decode("ascii")  # every number, each followed by a comma
            ends = np.zeros(len(numbers) + 1, dtype=np.int64)
            np.cumsum(widths[numbers], out=ends[1:])
            bounds = ends[np.cumsum([0] + [stop[i] - start[i] for i in chosen])].tolist()  # each term's text
            yield "{" + ",".join(f'"{terms[i]}":[{text[bounds[k]:max(bounds[k], bounds[k + 1] - 1)]}]'
                                 for k, i in enumerate(chosen)) + "}"


# Numbers below this are written through a table of their digits (:func:`_digit_table`): 10,000 plans' postings
# go up to 320,017 (a 2.2 MB table); 9.4 million of them took 1.06 s as str() each, 0.44 s so (issue 18).
_TABLE_LIMIT = 1 << 21


def _digit_table(top: int) -> tuple[np.ndarray, np.ndarray]:
    """For every number 0…``top``: its decimal digits and a comma as ASCII bytes, right-aligned in a row padded
    with zero bytes in front; and the length of that text (digits + comma)."""
    width = len(str(top))
    numbers = np.arange(top + 1, dtype=np.int64)
    table = np.zeros((top + 1, width + 1), dtype=np.uint8)
    table[:, width] = ord(",")
    lengths = np.ones(top + 1, dtype=np.int64)  # the comma
    for k in range(width):  # the k-th digit from the right; a number has it if it is at least 10**k (0 has one)
        present = (numbers >= 10 ** k) | (k == 0)
        table[:, width - 1 - k] = np.where(present, ord("0") + (numbers // 10 ** k) % 10, 0)
        lengths += present
    return table, lengths


def joined(postings: Postings) -> Terms:
    """The postings of every block as one sorted list of terms, documents numbered across the blocks.

    The blocks are released as they are copied: ``postings`` holds none afterwards. At 10,000 plans the
    rows are 75 MB; no second array of their size is made."""
    blocks, postings.blocks = postings.blocks, []
    total = sum(len(rows) for _, rows in blocks)
    if not total:
        return Terms([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    doc_bits = max(1, (postings.count - 1).bit_length())
    if 33 + doc_bits + _WEIGHT_BITS > 64:
        raise LimitError("站内搜索索引放不下这么多页面（超过 6,700 万个）：请把网站分成几个部门网站，由门户合并搜索")
    rows = np.empty(total, dtype=np.uint64)  # term << (doc_bits + 5) | document << 5 | weight
    at = 0
    blocks.reverse()
    while blocks:
        begin, block = blocks.pop()
        out = rows[at:at + len(block)]
        np.right_shift(block, np.uint64(_LOCAL_BITS + _WEIGHT_BITS), out=out)
        out <<= np.uint64(doc_bits + _WEIGHT_BITS)
        block &= np.uint64((1 << (_LOCAL_BITS + _WEIGHT_BITS)) - 1)  # local document << 5 | weight
        block += np.uint64(begin << _WEIGHT_BITS)
        out |= block
        at += len(block)
        del block, out
    rows.sort()
    # Both passes below go by chunks, so that no second array of the rows' size is made (50,000 plans: 375 MB).
    shift, n = np.uint64(doc_bits + _WEIGHT_BITS), len(rows)
    is_first = np.empty(n, dtype=bool)
    is_first[0] = True
    for a in range(1, n, _CHUNK):
        b = min(n, a + _CHUNK)
        np.not_equal(rows[a:b] >> shift, rows[a - 1:b - 1] >> shift, out=is_first[a:b])
    first = np.flatnonzero(is_first)
    del is_first
    names = _names(rows[first] >> shift, postings.words)
    # In place: rows become document << 5 | weight, then (gap << 5) | weight, where a term's first gap is
    # counted from document -1, i.e. (document + 1) << 5 | weight. From the end, so that each chunk reads
    # the row before it unchanged.
    rows &= np.uint64((1 << (doc_bits + _WEIGHT_BITS)) - 1)
    gaps = rows.view(np.int64)
    starts = gaps[first] + 32
    for b in range(n, 1, -_CHUNK):
        a = max(1, b - _CHUNK)
        gaps[a:b] -= gaps[a - 1:b - 1] & ~np.int64(31)  # the right side is a new array, made before the change
    gaps[first] = starts
    # Python's string order (ASCII words below every Chinese character, a single character before the
    # pairs it begins): sorting the names is simplest and, with some 10**5 terms, cheap.
    order = sorted(range(len(names)), key=names.__getitem__)
    stop = np.append(first[1:], len(gaps))
    return Terms([names[i] for i in order], first[order], stop[order], gaps)


def _names(keys: np.ndarray, words: dict[str, int]) -> list[str]:
    """The text of each term number."""
    by_number = list(words)  # numbered in insertion order
    names: list[str] = [""] * len(keys)
    is_word = keys >= np.uint64(_WORD)
    is_pair = ~is_word & (keys >= np.uint64(1 << 16))
    is_single = ~is_word & ~is_pair
    at = np.flatnonzero(is_single)
    for i, c in zip(at.tolist(), keys[at].astype("<u4").tobytes().decode("utf-32-le")):
        names[i] = c
    at = np.flatnonzero(is_pair)
    two = np.empty((len(at), 2), dtype="<u4")
    two[:, 0] = keys[at] >> np.uint64(16)
    two[:, 1] = keys[at] & np.uint64(0xFFFF)
    text = two.tobytes().decode("utf-32-le")
    for n, i in enumerate(at.tolist()):
        names[i] = text[2 * n:2 * n + 2]
    for i, k in zip(np.flatnonzero(is_word).tolist(), (keys[is_word] - np.uint64(_WORD)).tolist()):
        names[i] = by_number[k]
    return names


def shards_of(terms: list[str], shards: int) -> np.ndarray:
    """``term_shard(term, shards)`` of every term (FNV-1a of the UTF-8 bytes), computed on arrays."""
    raw = np.frombuffer("".join(terms).encode("utf-8"), dtype=np.uint8)
    lengths = np.fromiter((len(t.encode("utf-8")) for t in terms), dtype=np.int64, count=len(terms))
    starts = np.cumsum(lengths) - lengths
    h = np.full(len(terms), 0x811C9DC5, dtype=np.uint32)
    prime = np.uint32(0x01000193)
    for k in range(int(lengths.max()) if len(terms) else 0):
        live = np.flatnonzero(lengths > k)
        h[live] = (h[live] ^ raw[starts[live] + k]) * prime
    return h % np.uint32(shards)
