"""portal.yml: the portal's name and address, and its departments (name, path under the portal, source).

::

    门户名称: 示例省政府信息公开门户
    门户地址: https://www.example.gov.cn/
    部门:
      - 名称: 省科技厅
        路径: kjt/                       # where the department's site is published under the portal
        来源: ../depts/kjt/site          # its built site folder, or its address: https://www.example.gov.cn/kjt/

Every mistake is reported at once, as ``portal.yml:行: 字段: 问题 — 怎么改``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from gongkai.data.yamlio import load_file
from gongkai.problems import Problems

_PATH = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*/$")


@dataclass(frozen=True)
class Department:
    name: str    # 名称, shown on the portal and used as the search filter
    path: str    # 路径 under the portal, ends with "/" (kjt/)
    source: str  # 来源: a folder (resolved against portal.yml's folder) or an http(s) address ending with "/"
    line: int = 0

    @property
    def slug(self) -> str:
        return self.path.rstrip("/").replace("/", "-")

    @property
    def is_http(self) -> bool:
        return self.source.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Portal:
    name: str
    base_url: str  # ends with "/"
    departments: tuple[Department, ...]
    path: Path


def load_portal(path: Path) -> tuple[Portal | None, Problems]:
    """Read portal.yml; (None, problems) when it has errors."""
    path = Path(path)
    problems = Problems()
    where = path.name
    doc = load_file(path)
    for line, message, hint in doc.errors:
        problems.add(where, line, "", message, hint)
    if problems:
        return None, problems
    data = doc.data
    if not isinstance(data, dict):
        problems.add(where, 1, "", "门户配置应当是“字段: 值”的形式", "参照 docs/multisite.md 中 portal.yml 的示例")
        return None, problems

    def text(value) -> str:
        return str(value).strip() if value is not None else ""

    name = text(data.get("门户名称"))
    if not name:
        problems.add(where, doc.line(("门户名称",)), "门户名称", "没有填写", "写门户网站的名称，例如 示例省政府信息公开门户")
    base = text(data.get("门户地址"))
    if not re.match(r"^https?://[^/\s]+/(\S*/)?$", base):
        problems.add(where, doc.line(("门户地址",)), "门户地址", f"“{base}”不是以 / 结尾的网址",
                     "写门户首页的完整网址，例如 https://www.example.gov.cn/")
    depts = data.get("部门")
    if not isinstance(depts, list) or not depts:
        problems.add(where, doc.line(("部门",)), "部门", "没有列出任何部门", "每个部门写一项：名称、路径、来源")
        depts = []
    seen_paths: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    out: list[Department] = []
    for i, item in enumerate(depts):
        line = doc.line(("部门", i))
        if not isinstance(item, dict):
            problems.add(where, line, f"部门第{i + 1}项", "应当写成 名称、路径、来源 三个字段", "参照 docs/multisite.md 的示例")
            continue
        dname, dpath, source = text(item.get("名称")), text(item.get("路径")), text(item.get("来源"))
        ok = True
        if not dname:
            problems.add(where, doc.line(("部门", i, "名称")), f"部门第{i + 1}项.名称", "没有填写", "写部门的名称，例如 省科技厅")
            ok = False
        elif dname in seen_names:
            problems.add(where, doc.line(("部门", i, "名称")), f"部门第{i + 1}项.名称",
                         f"“{dname}”与第 {seen_names[dname]} 行重复", "每个部门的名称只能出现一次")
            ok = False
        if not _PATH.match(dpath):
            problems.add(where, doc.line(("部门", i, "路径")), f"部门第{i + 1}项.路径",
                         f"“{dpath}”不是门户下的路径", "用小写字母、数字和 - 组成，以 / 结尾，例如 kjt/")
            ok = False
        elif dpath in seen_paths:
            problems.add(where, doc.line(("部门", i, "路径")), f"部门第{i + 1}项.路径",
                         f"“{dpath}”与第 {seen_paths[dpath]} 行重复", "每个部门发布在自己的路径下")
            ok = False
        elif dpath.rstrip("/") in ("search", "search-index", "assets", "xxgk"):
            problems.add(where, doc.line(("部门", i, "路径")), f"部门第{i + 1}项.路径",
                         f"“{dpath}”是门户自己的页面使用的路径", "换一个路径，例如部门简称的拼音")
            ok = False
        if not source:
            problems.add(where, doc.line(("部门", i, "来源")), f"部门第{i + 1}项.来源", "没有填写",
                         "写该部门生成好的网站目录，或它的网址（以 / 结尾）")
            ok = False
        elif source.startswith(("http://", "https://")) and not source.endswith("/"):
            source += "/"
        if ok:
            seen_names[dname] = line
            seen_paths[dpath] = line
            if not source.startswith(("http://", "https://")):
                source = str((path.parent / source).resolve())
            out.append(Department(dname, dpath, source, line))
    if problems:
        return None, problems
    return Portal(name, base, tuple(out), path), problems
