"""One search index over every department: the departments' own published indexes, merged.

The portal's ``search-index/`` has exactly the format of a department's (``pages/search.py``: same
terms, FNV-1a term shards, delta-encoded postings with a 5-bit weight, ``d/<n>.json`` per document,
``f.json`` filter columns), so the unchanged ``search.js`` searches it. Document URLs get the
department's path (``kjt/xxgk/…/``), the 发布机构 filter becomes the department, and results show the
department's name.

Why the departments' published index and not their per-plan JSON: it *is* the department's open data
turned into terms by the one tokenizer (``pages/search.py``), so the portal cannot tokenize differently,
and it needs no Markdown rendering of 200,000 bodies (see docs/multisite.md for the measurements).

Incremental: each department is cached in ``<cache>/<slug>/`` under a key made from its published
``search-index/meta.json`` (whose build id changes with its content) and its name and path. A
department that did not publish again is not read again (only its meta.json and plans.json). Its
postings are kept split into ``GROUPS`` groups by ``term_shard(term, GROUPS)``; the portal's shard count
is a power of two, so every portal shard is made from whole groups and the merge reads one group of
every department at a time (memory: about 1/64 of the postings). Merging is joining lists: department
k's documents are numbered after those of departments 0…k-1 and only the first gap of each of its lists
changes. Its ``d/`` files are hard links to the cached ones.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.pages.search import (BUNDLE_DIR, FILTERS, FORMAT_VERSION, MAX_SHARDS, SHARD_TARGET_BYTES,
                                  term_shard)
from gongkai.portal.config import Department
from gongkai.portal.source import DepartmentError, Published, check_doc, check_filters, check_shard, read_many

GROUPS = 64
CACHE_VERSION = "1"


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Cached:
    """A department's index as cached for merging."""

    department: Department
    folder: Path
    docs: int
    raw: int                        # the uncompressed size measure write_index uses to choose shards
    labels: dict[str, list[str]]    # the department's filter values, by filter name
    columns: dict[str, list[Any]]   # its f.json
    fetched: bool                   # read again in this run (False: taken from the cache)
    key: str = ""


def cache_key(pub: Published) -> str:
    dept = pub.department
    return hashlib.sha256(b"\0".join([CACHE_VERSION.encode(), dept.name.encode(), dept.path.encode(),
                                      pub.meta_bytes])).hexdigest()


def shown_department(dept: Department, publisher: str) -> str:
    """What a result shows as its 发布机构: the department, and the publishing office if it differs."""
    return dept.name if not publisher or publisher == dept.name else f"{dept.name}（{publisher}）"


def cache_department(pub: Published, cache: Path) -> Cached:
    """The department's index in ``cache`` (read from the department only when it changed)."""
    dept = pub.department
    folder = Path(cache) / dept.slug
    key = cache_key(pub)
    info_path = folder / "info.json"
    if info_path.is_file():
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
            if info.get("key") == key:
                return Cached(dept, folder, info["docs"], info["raw"], info["labels"], info["columns"], False, key)
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache is read again
    meta = pub.meta
    shards = [check_shard(n, s) for n, s in enumerate(read_many(dept, [f"{BUNDLE_DIR}/t/{n}.json" for n in range(meta["shards"])]))]
    columns = check_filters(read_many(dept, [f"{BUNDLE_DIR}/f.json"])[0], meta)
    docs = [check_doc(n, d) for n, d in enumerate(read_many(dept, [f"{BUNDLE_DIR}/d/{n}.json" for n in range(meta["docs"])]))]
    for term, values in ((t, v) for s in shards for t, v in s.items()):
        last = sum(v >> 5 for v in values) - 1
        if values and last >= meta["docs"]:
            raise DepartmentError(f"{BUNDLE_DIR}/ 中“{term}”的记录指向不存在的第 {last} 条")
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "g").mkdir(parents=True)
    (tmp / "d").mkdir()
    groups: list[dict[str, list[int]]] = [{} for _ in range(GROUPS)]
    raw = 0
    for shard in shards:
        for term, values in shard.items():
            if values:  # led by the number of its last document (the merge joins lists at their ends)
                groups[term_shard(term, GROUPS)][term] = [sum(v >> 5 for v in values) - 1, *values]
                raw += len(term.encode()) + 4 + 4 * len(values)
    for g, group in enumerate(groups):
        (tmp / "g" / f"{g}.json").write_text(_dump(group), encoding="utf-8")
    for n, doc in enumerate(docs):
        doc = {**doc, "u": dept.path + doc["u"].lstrip("/"), "d": shown_department(dept, str(doc.get("d", "")))}
        (tmp / "d" / f"{n}.json").write_text(_dump(doc), encoding="utf-8")
    labels = {f["name"]: list(f.get("values", [])) for f in meta["filters"] if isinstance(f, dict) and "name" in f}
    info = {"key": key, "docs": meta["docs"], "raw": raw, "labels": labels, "columns": columns}
    (tmp / "info.json").write_text(_dump(info), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return Cached(dept, folder, meta["docs"], raw, labels, columns, True, key)


def shard_count(raw: int) -> int:
    """write_index's rule (about SHARD_TARGET_BYTES per shard), rounded to a power of two."""
    wanted = max(1.0, raw / SHARD_TARGET_BYTES)
    return max(1, min(MAX_SHARDS, 2 ** round(math.log2(wanted))))


def _values_of(labels: list[str], have: Any) -> list[str]:
    ids = have if isinstance(have, list) else [have]
    return [labels[i] for i in ids if isinstance(i, int) and 0 <= i < len(labels)]


def write_merged(site_dir: Path, parts: list[Cached]) -> dict[str, Any]:
    """Write ``site_dir/search-index/`` over every cached department, in the given order."""
    out = Path(site_dir) / BUNDLE_DIR
    shutil.rmtree(out, ignore_errors=True)
    (out / "t").mkdir(parents=True)
    (out / "d").mkdir()
    offsets, total_docs = [], 0
    for part in parts:
        offsets.append(total_docs)
        total_docs += part.docs
    shards = shard_count(sum(p.raw for p in parts))
    if shards >= GROUPS:
        units = [([g], [n for n in range(g, shards, GROUPS)]) for g in range(GROUPS)]
    else:
        units = [([g for g in range(n, GROUPS, shards)], [n]) for n in range(shards)]
    size = terms = 0
    for groups, unit_shards in units:
        merged: dict[str, list[int]] = {}  # term → [last global document, values…]
        for part, offset in zip(parts, offsets):
            for g in groups:
                group = json.loads((part.folder / "g" / f"{g}.json").read_text(encoding="utf-8"))
                for term, entry in group.items():
                    first_doc = offset + (entry[1] >> 5) - 1
                    have = merged.get(term)
                    if have is None:
                        entry[1] = ((first_doc + 1) << 5) | (entry[1] & 31)
                        entry[0] += offset
                        merged[term] = entry
                    else:
                        entry[1] = ((first_doc - have[0]) << 5) | (entry[1] & 31)
                        have[0] = entry[0] + offset
                        have += entry[1:]
        buckets: dict[int, dict[str, list[int]]] = {n: {} for n in unit_shards}
        for term in sorted(merged):
            buckets[term_shard(term, shards)][term] = merged[term][1:]
        terms += len(merged)
        for n, bucket in buckets.items():
            text = _dump(bucket)
            (out / "t" / f"{n}.json").write_text(text, encoding="utf-8")
            size += len(text.encode())
    for part, offset in zip(parts, offsets):
        for n in range(part.docs):
            src, dst = part.folder / "d" / f"{n}.json", out / "d" / f"{offset + n}.json"
            try:
                os.link(src, dst)
            except OSError:  # another file system: copy
                shutil.copyfile(src, dst)
            size += src.stat().st_size
    # Filters: the department (in portal.yml's order), then the departments' own values joined.
    per_doc: dict[str, list[list[str]]] = {name: [] for name, _ in FILTERS}
    for part in parts:
        for name, _ in FILTERS:
            if name == "department":
                per_doc[name] += [[part.department.name]] * part.docs
                continue
            labels, column = part.labels.get(name, []), part.columns.get(name, [-1] * part.docs)
            per_doc[name] += [_values_of(labels, have) for have in column]
    labels: dict[str, list[str]] = {}
    for name, _ in FILTERS:
        if name == "department":
            labels[name] = [p.department.name for p in parts]
        else:
            seen = Counter(v for values in per_doc[name] for v in values)
            labels[name] = sorted(seen, reverse=True) if name == "year" else [v for v, _ in seen.most_common()]
    columns: dict[str, list[Any]] = {}
    for name, _ in FILTERS:
        where = {v: i for i, v in enumerate(labels[name])}
        columns[name] = [(where[v[0]] if len(v) == 1 else [where[x] for x in v] if v else -1) for v in per_doc[name]]
    text = _dump(columns)
    (out / "f.json").write_text(text, encoding="utf-8")
    size += len(text.encode())
    build = hashlib.sha1(_dump([[p.department.path, p.key] for p in parts]).encode()).hexdigest()[:12]
    meta = {"version": FORMAT_VERSION, "build": build, "docs": total_docs, "shards": shards,
            "filters": [{"name": name, "label": label, "values": labels[name]} for name, label in FILTERS]}
    text = _dump(meta)
    (out / "meta.json").write_text(text, encoding="utf-8")
    size += len(text.encode())
    return {"documents": total_docs, "terms": terms, "shards": shards, "bytes": size, "build": build}
