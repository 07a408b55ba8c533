"""The whole ``gongkai portal`` run: read portal.yml, read every department (skipping those that are down
or publish bad data), merge their search indexes, write the pages, and swap the new portal in."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.portal.config import load_portal
from gongkai.portal.merge import Cached, cache_department, write_merged
from gongkai.portal.render import Listing, listing, write_pages
from gongkai.portal.source import DepartmentError, read_front
from gongkai.problems import os_error_text

# Exit codes of gongkai portal (docs/multisite.md).
OK, FAILED, PARTIAL = 0, 1, 3


@dataclass
class PortalResult:
    code: int
    errors: list[str] = field(default_factory=list)   # Chinese lines: portal.yml problems, unusable departments
    included: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)  # departments read again (the others came from the cache)
    skipped: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)


def build_portal(config: Path, out: Path, cache: Path | None = None) -> PortalResult:
    """Build the portal described by ``config`` into ``out`` (replaced only when the build succeeds)."""
    config, out = Path(config), Path(out)
    portal, problems = load_portal(config)
    if portal is None:
        return PortalResult(FAILED, [str(p) for p in problems.errors])
    cache = Path(cache) if cache is not None else config.parent / ".gongkai-portal-cache"
    result = PortalResult(OK)
    parts: list[Cached] = []
    listings: list[Listing] = []
    for dept in portal.departments:
        try:
            pub = read_front(dept)
            part = cache_department(pub, cache)
            entry = listing(dept, pub.plans)
        except DepartmentError as exc:
            result.skipped.append(dept.name)
            result.errors.append(f"{config.name}:{dept.line}: 部门“{dept.name}”: {exc} — 已跳过这个部门，其余部门照常发布；"
                                 f"请检查它的网站（{dept.source}）是否已完整发布")
            continue
        except OSError as exc:
            result.errors.append(f"{cache}: 无法写入门户的缓存：{os_error_text(exc)} — 检查磁盘空间和目录权限")
            return PortalResult(FAILED, result.errors)
        parts.append(part)
        listings.append(entry)
        result.included.append(dept.name)
        if part.fetched:
            result.fetched.append(dept.name)
    if not parts:
        result.errors.append(f"{config.name}: 部门： 没有一个部门可以读取，门户没有生成 — 先解决上面的问题")
        return PortalResult(FAILED, result.errors, skipped=result.skipped)
    tmp = out.with_name(f".{out.name}.tmp")
    old = out.with_name(f".{out.name}.old")
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        result.figures = write_merged(tmp, parts)
        write_pages(tmp, portal, listings, result.figures["documents"], result.figures["build"])
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        result.errors.append(f"{out}: 无法写入门户网站：{os_error_text(exc)} — 检查磁盘空间和目录权限；原来的门户没有改变")
        return PortalResult(FAILED, result.errors, skipped=result.skipped)
    result.code = PARTIAL if result.skipped else OK
    return result
