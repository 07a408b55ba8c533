"""Live preview (issue 6): a real `gongkai serve` on a free port in a temp copy of the repo.

Edits in data/, templates/ and content/ trigger a rebuild that the browser's live-reload poll
sees; a broken file shows its Chinese error on every page and in the terminal, and the server
keeps running until it is fixed.
"""
from __future__ import annotations

import re
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from conftest import ServeProcess
from conftest_editors import REPO, copy_repo

PLAN = "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"
PAGE = "xxgk/skjj/2021/keji-gongzuo-yaodian/"


class Server(ServeProcess):
    """The preview server, and what its pages' live-reload script does."""

    def epoch(self, html: str) -> tuple[str, str]:
        m = re.search(r"livereload\((\d+), (\d+)\)", html)
        assert m, "no live-reload script in the page"
        return m.group(1), m.group(2)

    def reload_signal(self, html: str, seconds: float = 60) -> int:
        """What the browser's live-reload script does: long-poll until a newer build is visible."""
        epoch, request = self.epoch(html)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            answer = self.get(f"livereload/{epoch}/{request}", timeout=seconds)
            if answer and int(answer) > int(epoch):
                return int(answer)
        pytest.fail("no reload signal\n" + self.output())


@pytest.fixture
def server(tmp_path):
    s = Server(copy_repo(tmp_path / "repo"))
    yield s
    s.stop()


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_rebuild_and_reload_and_errors_show_on_the_page(server):
    root = server.root
    page = server.get(PAGE)
    assert "市科学技术局2021年全市科技工作要点" in page and "gk-preview-error" not in page

    edit(root, PLAN, "名称: 市科学技术局2021年全市科技工作要点", "名称: 市科学技术局2021年科技工作要点(修改)")
    server.reload_signal(page)
    page = server.wait_until(lambda: (p := server.get(PAGE)) and "科技工作要点(修改)" in p and p, 30, "data/ edit not shown")

    edit(root, PLAN, "生成日期: 2021-02-20", "生成日期: 2021-02-30")  # a mistake while typing
    server.reload_signal(page)
    page = server.wait_until(lambda: (p := server.get(PAGE)) and "gk-preview-error" in p and p, 30, "error not shown")
    panel = page[page.index('<div class="gk-preview-error"'):]
    assert f"{PLAN}:" in panel and "日期“2021-02-30”不存在" in panel and 'role="alert"' in panel
    assert "科技工作要点(修改)" in page  # the last good content stays visible under the panel
    assert "gk-preview-error" in server.get("")  # every page, hand-written ones too
    assert "数据检查未通过" in server.output() and "2021-02-30" in server.output()

    edit(root, PLAN, "生成日期: 2021-02-30", "生成日期: 2021-02-20")
    server.reload_signal(page)
    page = server.wait_until(lambda: (p := server.get(PAGE)) and "gk-preview-error" not in p and p, 30, "fix not shown")
    assert "问题已修正" in server.output()

    edit(root, "templates/components/article_info/template.html", "来源：", "信息来源：")
    server.reload_signal(page)
    page = server.wait_until(lambda: (p := server.get(PAGE)) and "信息来源：" in p and p, 30, "templates/ edit not shown")

    edit(root, "templates/components/article_info/template.html", "{%- endif %}", "{%- endif")  # broken template
    server.reload_signal(page)
    page = server.wait_until(lambda: (p := server.get("")) and "gk-preview-error" in p and p, 30, "template error not shown")
    assert "templates/components/article_info/template.html" in page and "模板有错误" in page

    edit(root, "templates/components/article_info/template.html", "{%- endif\n", "{%- endif %}\n")
    home = server.get("")
    edit(root, "content/index.md", "本网站公开本单位", "本网站依法公开本单位")
    server.reload_signal(home)
    server.wait_until(lambda: "本网站依法公开本单位" in server.get("") and "gk-preview-error" not in server.get(""), 30,
                      "content/ edit not shown")
    assert server.proc.poll() is None


def test_starts_even_when_the_data_is_broken(tmp_path):
    root = copy_repo(tmp_path / "repo")
    edit(root, PLAN, "组配分类: 规划计划", "组配分类: 规划计画")
    s = Server(root)
    try:
        home = s.get("")
        assert "gk-preview-error" in home and "“规划计画”不是“示例市科技局”的组配分类" in home
        assert "自动生成的页面暂时无法显示" in home
        assert "数据有错误" in s.get("xxgk/")
        edit(root, PLAN, "组配分类: 规划计画", "组配分类: 规划计划")
        s.reload_signal(home)
        s.wait_until(lambda: "市科学技术局2021年全市科技工作要点" in s.get(PAGE), 30, "fixed data not shown")
    finally:
        s.stop()


def test_click_is_pinned_below_the_live_reload_bug():
    """Live reload is broken with click 8.2.2–8.3.x; `gongkai serve` runs its own live-reload server (engine/server.py),
    which watches the folders itself rather than through MkDocs' command-line options."""
    pins = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert "click==8.2.1" in [p.split("#")[0].strip() for p in pins]
    from importlib.metadata import version

    assert version("click") == "8.2.1"
    source = (REPO / "site_hooks/gongkai/engine/server.py").read_text(encoding="utf-8")  # serve
    assert "server.watch(config.docs_dir)" in source and "for item in config.watch:" in source


OTHER_PAGE = "xxgk/skjj/2024/gongzuo-jihua-ba-xiang/index.html"  # unrelated to PLAN (the 2021 总结 links to it)


def test_an_edit_rewrites_only_the_pages_it_changes_and_a_template_edit_rewrites_all(tmp_path):
    """Dirty builds: after a body edit the other plans' files stay as they were; a template edit
    changes what every page shares, so the folder is emptied and every page written again."""
    root = copy_repo(tmp_path / "repo")
    (tmp_path / "tmp").mkdir()
    s = Server(root, env={"TMPDIR": str(tmp_path / "tmp")})  # MkDocs serves from a folder it makes there
    try:
        site = next((tmp_path / "tmp").glob("mkdocs_*"))
        edited, other = site / PAGE / "index.html", site / OTHER_PAGE
        before = (edited.stat().st_mtime_ns, other.stat().st_mtime_ns)
        page = s.get(PAGE)
        edit(root, PLAN, "名称: 市科学技术局2021年全市科技工作要点", "名称: 市科学技术局2021年全市科技工作要点(改)")
        s.reload_signal(page)
        page = s.wait_until(lambda: (p := s.get(PAGE)) and "工作要点(改)" in p and p, 30, "edit not shown")
        assert edited.stat().st_mtime_ns > before[0]
        assert other.stat().st_mtime_ns == before[1], "an unchanged plan page was written again"
        assert "工作要点(改)" in s.get("xxgk/")  # the catalogue lists the new title

        edit(root, "templates/components/article_info/template.html", "来源：", "信息来源：")
        s.reload_signal(page)
        s.wait_until(lambda: "信息来源：" in s.get(OTHER_PAGE.removesuffix("index.html")), 30, "template edit not shown")
        assert other.stat().st_mtime_ns > before[1]
    finally:
        s.stop()


def test_an_attachment_change_is_a_full_rebuild_that_copies_it_again(tmp_path):
    """附件 are copied beside the pages: replacing a file, or listing a new one, must reach the preview."""
    from urllib.parse import quote

    from conftest_attachments import make_docx, make_pdf

    root = copy_repo(tmp_path / "repo")
    plan, page_url = "data/plans/gdkjj/2024/gongzuo-jihua.yml", "xxgk/gdkjj/2024/gongzuo-jihua/"
    folder = root / "data/plans/gdkjj/2024/gongzuo-jihua/附件"
    s = Server(root)

    def fetch(path: str) -> bytes:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{s.port}/{path}", timeout=10) as r:
                return r.read()
        except OSError:
            return b""

    try:
        pdf_url = page_url + "fj/" + quote("2024年工作计划（印发稿）.pdf")
        assert fetch(pdf_url) == (folder / "2024年工作计划（印发稿）.pdf").read_bytes()
        page = s.get(page_url)
        new_pdf = make_pdf("改过的印发稿：第二版")
        (folder / "2024年工作计划（印发稿）.pdf").write_bytes(new_pdf)
        s.reload_signal(page)
        s.wait_until(lambda: fetch(pdf_url) == new_pdf, 30, "the replaced attachment was not copied again")

        page = s.get(page_url)
        (folder / "补充说明.docx").write_bytes(make_docx(["补充说明"]))
        edit(root, plan, "    名称: 2024年重点任务分解表\n", "    名称: 2024年重点任务分解表\n  - 文件: 补充说明.docx\n")
        s.reload_signal(page)
        s.wait_until(lambda: "附件3：" in s.get(page_url), 30, "the new attachment is not listed")
        assert fetch(page_url + "fj/" + quote("补充说明.docx")) == (folder / "补充说明.docx").read_bytes()
    finally:
        s.stop()


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the processes whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                cmd = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                out.append((int(stat.parent.name), cmd))
        except (OSError, IndexError, ValueError):
            continue
    return out


def test_stopping_the_preview_stops_the_editor_backend_too(tmp_path):
    """SIGTERM (what CI, systemd and the tests send) ends decap-server with the preview, not leaving it running."""
    from gongkai.editors import cms_server

    if cms_server.missing():
        pytest.skip(cms_server.missing())
    s = Server(copy_repo(tmp_path / "repo"))
    try:
        backends = [pid for pid, cmd in _children(s.proc.pid) if "decap-server" in cmd]
        assert len(backends) == 1, _children(s.proc.pid)
    finally:
        s.stop()
    assert s.proc.returncode is not None
    gone = False
    for _ in range(50):
        if not Path(f"/proc/{backends[0]}").exists() or "Z" in Path(f"/proc/{backends[0]}/stat").read_text().rsplit(")", 1)[1].split()[0]:
            gone = True
            break
        time.sleep(0.1)
    assert gone, "decap-server is still running after the preview stopped"
