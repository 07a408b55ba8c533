"""Reading what a department published: from its built site folder or over HTTP from its address.

Only published files are read: ``sjkf/plans.json`` (the list of items, open data) and the site search
index ``search-index/`` (``meta.json``, every ``t/<n>.json`` shard, ``f.json`` and ``d/<n>.json``).
Whatever goes wrong — folder missing, server down, HTTP error, a file that is not the JSON it should be —
becomes one :class:`DepartmentError` with a Chinese sentence; the portal reports it and skips the
department.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.pages.search import BUNDLE_DIR, FORMAT_VERSION
from gongkai.portal.config import Department
from gongkai.problems import os_error_text

PLANS_JSON = "sjkf/plans.json"
HTTP_TIMEOUT = 20  # seconds per request
HTTP_WORKERS = 8   # requests in flight per department


class DepartmentError(Exception):
    """A department's published files cannot be used; ``str(exc)`` is Chinese."""


@dataclass
class Published:
    """What the portal uses of one department."""

    department: Department
    plans: dict[str, Any]            # sjkf/plans.json
    meta_bytes: bytes                # search-index/meta.json as published (its build id keys the cache)
    meta: dict[str, Any]


def _network_text(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "连接被拒绝（该网站的服务器没有运行或端口不对）"
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"超过 {HTTP_TIMEOUT} 秒没有响应"
    if isinstance(reason, OSError) and getattr(reason, "errno", None) in (-2, -3, -5):
        return "找不到这个域名"
    return os_error_text(reason) if isinstance(reason, OSError) else str(reason)


def read(dept: Department, rel: str) -> bytes:
    """The bytes of one published file of ``dept``; DepartmentError when it cannot be read."""
    if dept.is_http:
        url = dept.source + rel
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "gongkai-portal"}),
                                        timeout=HTTP_TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raise DepartmentError(f"{url} 返回 HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise DepartmentError(f"无法连接 {url}：{_network_text(getattr(exc, 'reason', exc))}") from None
    path = Path(dept.source) / rel
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DepartmentError(f"无法读取 {path}：{os_error_text(exc)}") from None


def read_json(dept: Department, rel: str) -> Any:
    raw = read(dept, rel)
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DepartmentError(f"{rel} 不是有效的 JSON（{len(raw)} 字节）") from None


def read_many(dept: Department, rels: list[str]) -> list[Any]:
    """:func:`read_json` of every path, over HTTP several at a time, in the given order."""
    if not dept.is_http:
        return [read_json(dept, rel) for rel in rels]
    with ThreadPoolExecutor(HTTP_WORKERS) as pool:
        return list(pool.map(lambda rel: read_json(dept, rel), rels))


def _is_int_list(value: Any) -> bool:
    return isinstance(value, list) and all(type(v) is int and v >= 0 for v in value)


def check_plans(plans: Any) -> dict[str, Any]:
    if not isinstance(plans, dict) or not isinstance(plans.get("条目"), list) or not isinstance(plans.get("网址"), str):
        raise DepartmentError(f"{PLANS_JSON} 的内容不是 Gongkai 的信息清单（缺少“网址”或“条目”）")
    for i, item in enumerate(plans["条目"]):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("名称", "网址", "发布日期")):
            raise DepartmentError(f"{PLANS_JSON} 第 {i + 1} 条缺少名称、网址或发布日期")
    return plans


def check_meta(meta: Any) -> dict[str, Any]:
    if (not isinstance(meta, dict) or meta.get("version") != FORMAT_VERSION or type(meta.get("docs")) is not int
            or type(meta.get("shards")) is not int or meta["shards"] < 1 or not isinstance(meta.get("filters"), list)):
        raise DepartmentError(f"{BUNDLE_DIR}/meta.json 不是第 {FORMAT_VERSION} 版的 Gongkai 搜索索引")
    return meta


def check_shard(n: int, shard: Any) -> dict[str, list[int]]:
    if not isinstance(shard, dict) or not all(isinstance(t, str) and _is_int_list(v) for t, v in shard.items()):
        raise DepartmentError(f"{BUNDLE_DIR}/t/{n}.json 不是搜索索引的分块")
    return shard


def check_doc(n: int, doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict) or not isinstance(doc.get("u"), str) or not isinstance(doc.get("t"), str):
        raise DepartmentError(f"{BUNDLE_DIR}/d/{n}.json 不是搜索结果的记录")
    return doc


def check_filters(columns: Any, meta: dict[str, Any]) -> dict[str, list[Any]]:
    names = [f.get("name") for f in meta["filters"] if isinstance(f, dict)]
    if not isinstance(columns, dict) or any(not isinstance(columns.get(n), list) or len(columns[n]) != meta["docs"]
                                            for n in names):
        raise DepartmentError(f"{BUNDLE_DIR}/f.json 与 meta.json 的条数不一致")
    return columns


def read_front(dept: Department) -> Published:
    """plans.json and the index's meta.json: enough to know whether the department changed."""
    plans = check_plans(read_json(dept, PLANS_JSON))
    meta_bytes = read(dept, f"{BUNDLE_DIR}/meta.json")
    try:
        meta = json.loads(meta_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DepartmentError(f"{BUNDLE_DIR}/meta.json 不是有效的 JSON") from None
    return Published(dept, plans, meta_bytes, check_meta(meta))
