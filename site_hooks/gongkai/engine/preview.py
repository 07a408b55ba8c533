"""Live preview (``gongkai serve``): a broken file shows its Chinese error instead of stopping the server.

In a normal build a data error stops everything (nothing half-built is published).
While previewing, the editor is in the middle of typing, so the build goes on:
the terminal prints the report, every page carries it in a red panel at the top,
and the pages themselves are those of the last good data (or, if the data has
never been good in this session, placeholders for the generated pages). As soon
as the file is fixed the next rebuild clears the panel and the browser reloads.
"""
from __future__ import annotations

import sys

from markupsafe import escape

from gongkai.data.urls import SITEMAP, XXGK, src_of
from gongkai.pages.context import Page
from gongkai.data.model import Project
from gongkai.problems import Problems


class Preview:
    """The preview server's report: kept by the :class:`~gongkai.engine.adapter.Session` across rebuilds."""

    def __init__(self) -> None:
        self.last_good: Project | None = None
        self.problems: list[tuple[str, str]] = []  # (where, message)
        self.failed = False

    def record_problems(self, problems: Problems) -> None:
        """Remember a failed load and print the report to the terminal."""
        self.failed = True
        self.problems = []
        for p in problems.errors + problems.warnings:
            where = f"{p.path}:{p.line}" if p.line else p.path
            what = f"{p.field}: {p.message}" if p.field else p.message
            self.problems.append((where, what + (f" — {p.hint}" if p.hint else "") + ("（提醒）" if p.warning else "")))
        print("\n数据检查未通过，预览页面顶部显示了下面的问题；改正并保存后会自动刷新：\n" + problems.report(), file=sys.stderr, flush=True)

    def record_message(self, where: str, message: str) -> None:
        """A problem found while generating (a template error, a clashing page name)."""
        self.failed = True
        self.problems.append((where, message))
        print(f"\n生成预览时出错：{where}: {message}", file=sys.stderr, flush=True)

    def succeeded(self, project: Project) -> None:
        if self.failed:
            print("\n问题已修正，预览已更新。", file=sys.stderr, flush=True)
        self.failed = False
        self.problems = []
        self.last_good = project

    def start_build(self) -> None:
        self.problems = []

    def panel_html(self) -> str:
        """The red panel shown at the top of every page while the data has errors."""
        if not self.problems:
            return ""
        items = "".join(f"<li><code>{escape(where)}</code> {escape(what)}</li>" for where, what in self.problems)
        stale = "下面显示的是上一次检查通过时的内容。" if self.last_good is not None else "改正之前，自动生成的页面暂时无法显示。"
        return (f'<div class="gk-preview-error" role="alert" id="gk-preview-error">'
                f'<h2>数据有错误，预览未更新（共 {len(self.problems)} 处）</h2>'
                f'<p>请按提示修改对应文件，保存后页面会自动刷新。{stale}</p><ol>{items}</ol></div>')


def placeholder_pages() -> list[Page]:
    """Generated pages the navigation needs, when there is no good data to generate them from."""
    pages = []
    for url, title in ((XXGK, "政府信息公开"), (SITEMAP, "网站地图")):
        pages.append(Page(src_of(url), url, title, f"<h1>{escape(title)}</h1><p>数据有错误，本页暂时无法生成。</p>", "catalogue"))
    return pages
