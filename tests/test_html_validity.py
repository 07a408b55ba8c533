"""Every page of the sample site is valid HTML for the W3C Nu HTML Checker (issue 19).

The checker is ``vnu.jar`` from the npm package ``vnu-jar`` (exact version and sha256 in the Makefile,
installed by ``make test-deps`` into tests/.deps/vnu/), run with Java ONCE over every HTML file the
build writes — the public site and the editor's ``site-admin/`` — because the JVM takes longer to
start than the checking. ``PAGE_TYPES`` names one page of every kind; each must be among the checked
files, so that a kind of page that stops being generated does not silently drop out of the check.
Errors fail the test; warnings are printed (``make vnu`` shows them).
"""
from __future__ import annotations

import collections
import re

import pytest

from conftest import vnu_messages

# kind of page -> a path (regex, relative to the build folder) of one page of that kind
PAGE_TYPES = {
    "首页": r"site/index\.html",
    "政府信息公开首页": r"site/xxgk/index\.html",
    "部门": r"site/xxgk/skjj/index\.html",
    "部门 × 组配分类": r"site/xxgk/skjj/ghjh/index\.html",
    "主题分类": r"site/xxgk/zt/[^/]+/index\.html",
    "年度": r"site/xxgk/nd/\d{4}/index\.html",
    "计划（含主要目标）": r"site/xxgk/skjj/\d{4}/[^/]+/index\.html",
    "汇编": r"site/xxgk/hb/[^/]+/\d{4}/index\.html",
    "目标任务": r"site/mbrw/index\.html",
    "目标任务（年度）": r"site/mbrw/\d{4}/index\.html",
    "目标任务（年度 × 发布机构）": r"site/mbrw/\d{4}/[a-z0-9-]+/index\.html",
    "指标": r"site/mbrw/zb/[^/]+/index\.html",
    "数据开放": r"site/sjkf/index\.html",
    "搜索": r"site/search/index\.html",
    "网站地图": r"site/wzdt/index\.html",
    "404": r"site/404\.html",
    "手写页面": r"site/xxgk/zhinan/index\.html",
    "手写页面（不在导航中）": r"site/wza/index\.html",
    "原网址跳转页": r"site/art/.+\.html",
    "年报目录": r"site/xxgk/nianbao/index\.html",
    "年报": r"site/xxgk/nianbao/[^/]+/\d{4}/index\.html",
    "网页编辑器 /admin/": r"site-admin/admin/index\.html",
}


@pytest.fixture(scope="module")
def checked(sample_project):
    files = sorted(str(p.relative_to(sample_project)) for folder in ("site", "site-admin")
                   for p in (sample_project / folder).rglob("*.html"))
    return files, vnu_messages(files, sample_project)


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_every_kind_of_page_is_checked(kind, checked):
    files, _ = checked
    assert any(re.fullmatch(PAGE_TYPES[kind], f) for f in files), f"{kind}：示例网站中没有 {PAGE_TYPES[kind]}"


def test_plan_pages_with_targets_are_checked(checked, sample_project):
    files, _ = checked
    plans = [f for f in files if re.fullmatch(PAGE_TYPES["计划（含主要目标）"], f)]
    assert any('class="gk-targets__table' in (sample_project / f).read_text(encoding="utf-8") for f in plans)


def test_no_html_errors(checked):
    files, messages = checked
    where = lambda m: f'{m.get("url", "").split(":", 1)[-1]}:{m.get("lastLine", "?")}'  # noqa: E731
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    # the same warning on many pages differs only in the file it names: counted once, the name shortened
    warnings = collections.Counter(re.sub(r"“[^”]*/[^”]*”", "“…”", m.get("message", ""))
                                   for m in messages if m["type"] == "info")
    print(f"\nNu HTML Checker：{len(files)} 个文件，{len(errors)} 个错误，{sum(warnings.values())} 个警告")
    for text, n in warnings.most_common():
        print(f"  警告 ×{n}：{text}")
    assert not errors, "\n".join(f'{where(m)}: {m.get("message")}' for m in errors)
