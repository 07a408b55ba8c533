"""Per-plan work split over processes (loading, rendering, open data, search index) gives exactly
what a plain loop gives."""

import subprocess
import sys
import textwrap

import pytest

from gongkai.runtime import parallel
from gongkai.engine.build import build_site


def square(x):
    return x * x


def test_pmap_keeps_order_and_results(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    items = list(range(1000))
    assert parallel.pmap(square, items) == [x * x for x in items]
    assert parallel.pmap(square, items, parallel=False) == [x * x for x in items]
    for n in (1, 7, 8, 9, 1000, 1001):  # fewer, as many as and more items than tasks
        assert parallel.pmap(square, items[:n], interleave=True) == [x * x for x in items[:n]]


def _slow_pid(x):
    import os
    import time

    time.sleep(0.005)
    return os.getpid(), x


def _fails_at_50(x):
    if x == 50:
        raise ValueError("第 50 项出错(测试)")
    return _slow_pid(x)


def test_pmap_results_come_back_from_every_process_through_files_it_removes(monkeypatch, tmp_path):
    import os
    import tempfile

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    got = parallel.pmap(_slow_pid, list(range(200)))
    assert [x for _, x in got] == list(range(200))
    pids = {pid for pid, _ in got}
    assert os.getpid() in pids and len(pids) == 2  # this process and its worker each took tasks
    assert list(tmp_path.iterdir()) == []
    for _ in range(3):  # wherever the failing item lands (this process or the worker): raised here, nothing left
        with pytest.raises(ValueError, match="第 50 项出错"):
            parallel.pmap(_fails_at_50, list(range(200)))
        assert list(tmp_path.iterdir()) == []
    assert parallel._work is None  # the next map may fork again


@pytest.mark.parametrize("count", [1, 7, 399, 1000])  # below MIN_ITEMS (400) the map is a loop in this process
def test_pmap_then_sees_every_result_once_in_this_process(monkeypatch, count):
    import os

    monkeypatch.setenv("GONGKAI_JOBS", "2")
    if count < 400:
        monkeypatch.setattr(parallel, "MIN_ITEMS", 400)
    seen: dict[int, int] = {}
    here = os.getpid()

    def then(start, results):
        assert os.getpid() == here
        for k, result in enumerate(results):
            assert start + k not in seen
            seen[start + k] = result

    items = list(range(count))
    assert parallel.pmap(square, items, then=then) == [x * x for x in items]
    assert seen == {x: x * x for x in items}
    with pytest.raises(ValueError):
        parallel.pmap(square, items, interleave=True, then=then)


def test_pmap_results_come_through_the_pipe_when_no_temporary_file_can_be_written(monkeypatch):
    import errno
    import tempfile

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    monkeypatch.setattr(tempfile, "mkstemp", full)  # the forked worker inherits it
    got = parallel.pmap(_slow_pid, list(range(200)))
    assert [x for _, x in got] == list(range(200)) and len({pid for pid, _ in got}) == 2


def test_interleaved_tasks_spread_the_first_items(monkeypatch):
    """Each task of an interleaved pmap takes every n-th item: the first (large) items land in different tasks."""
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    seen = []
    monkeypatch.setattr(parallel, "_fork_map", lambda runner, func, items, tasks: seen.append(tasks) or
                        [[func(items[i]) for i in range(a, len(items), b)] for a, b in tasks])
    assert parallel.pmap(square, list(range(100)), interleave=True) == [x * x for x in range(100)]
    tasks = seen[0]
    pieces = 2 * parallel.TASKS_PER_JOB
    assert len(tasks) == pieces and {start for start, _ in tasks} == set(range(pieces))  # the first items in different tasks


def test_parallel_build_equals_serial_build(project, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    _forget_rendered_bodies()
    assert build_site(project, tmp_path / "par", quiet=True) == 0
    _forget_rendered_bodies()
    monkeypatch.setenv("GONGKAI_JOBS", "1")
    assert build_site(project, tmp_path / "ser", quiet=True) == 0
    files = sorted(p.relative_to(tmp_path / "par") for p in (tmp_path / "par").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "ser") for p in (tmp_path / "ser").rglob("*") if p.is_file())
    for rel in files:
        if rel.name != "sitemap.xml.gz":  # gzip header holds a timestamp (reproducible builds deal with it)
            assert (tmp_path / "par" / rel).read_bytes() == (tmp_path / "ser" / rel).read_bytes(), rel


def _forget_rendered_bodies():
    """Earlier tests in this process may have rendered the same bodies; start from nothing."""
    from gongkai.markup import anchors, body, removed

    body.BODY_CACHE.clear()
    anchors.ANCHORED_CACHE.clear()
    removed.REMOVED_CACHE.clear()
    anchors.body_map.cache_clear()


def block_sum(start, block):
    return (start, len(block), sum(block))


def test_pmap_blocks_gives_one_result_per_consecutive_block_in_order(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    items = list(range(1001))
    blocks = parallel.pmap_blocks(block_sum, items)
    assert len(blocks) == 2
    assert [b[0] for b in blocks] == [0, blocks[0][1]]  # the second block starts where the first ends
    assert sum(b[1] for b in blocks) == len(items) and sum(b[2] for b in blocks) == sum(items)
    assert parallel.pmap_blocks(block_sum, items, parallel=False) == [(0, 1001, sum(items))]
    assert parallel.pmap_blocks(block_sum, [], parallel=False) == []


def test_parallel_load_renders_every_body_in_workers_and_reports_the_same_problems(project, monkeypatch):
    from gongkai.markup import anchors, body, prime
    from gongkai.data.loader import load_project

    plan = next((project / "data/plans/skjj/2024").glob("*.yml"))
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("正文: |", "备注: 多余的字段\n正文: |\n  <script>alert(1)</script>\n", 1), encoding="utf-8")
    other = project / "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"
    other.write_text(other.read_text(encoding="utf-8").replace("发布日期:", "发布日期: 2021-13-45\n旧发布日期:", 1), encoding="utf-8")
    (project / "data/plans/skjj/2024/link.yml").symlink_to(plan)

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    _forget_rendered_bodies()
    kept = []
    real_keep = prime.keep
    monkeypatch.setattr(prime, "keep", lambda text, rendered: (kept.append(text), real_keep(text, rendered)))
    par_project, par_problems = load_project(project, parallel=True)
    assert len(kept) >= 5  # every plan body was rendered by the workers and memoised here
    import yaml
    good = yaml.safe_load((project / "data/plans/gdkjj/2024/gongzuo-jihua.yml").read_text(encoding="utf-8"))["正文"]
    assert good in kept and good in body.BODY_CACHE and good in anchors.ANCHORED_CACHE
    _forget_rendered_bodies()
    ser_project, ser_problems = load_project(project, parallel=False)
    assert par_project is None and ser_project is None
    assert par_problems.report() == ser_problems.report()
    assert par_problems.warnings == ser_problems.warnings
    report = par_problems.report()
    assert "备注" in report and "2021-13-45" in report and "符号链接" in report


def _write_marker(path, text):
    path.write_text(text, encoding="utf-8")


def _fail(path):
    raise OSError("磁盘已满(测试)")


def test_background_runs_beside_the_caller_and_reports_failure_in_chinese(tmp_path, capfd, monkeypatch):
    monkeypatch.setenv("GONGKAI_JOBS", "2")
    done = parallel.background("写标记失败", _write_marker, tmp_path / "a.txt", "甲")
    assert done() == (True, None) and (tmp_path / "a.txt").read_text(encoding="utf-8") == "甲"
    assert parallel.background("计算失败", sum, [[1, 2], [3]], [])() == (True, [1, 2, 3])  # the result comes back
    failed = parallel.background("数据开放文件生成失败", _fail, tmp_path)
    assert failed() == (False, None)
    err = capfd.readouterr().err
    assert "数据开放文件生成失败：磁盘已满(测试)" in err and "Traceback" not in err
    inline = parallel.background("写标记失败", _write_marker, tmp_path / "b.txt", "乙", parallel=False)
    assert (tmp_path / "b.txt").exists() and inline() == (True, None)  # without parallel it ran at once


def test_file_system_errors_are_told_in_chinese():
    import errno

    from gongkai.problems import os_error_text

    assert os_error_text(OSError(errno.ENOSPC, "No space left on device", "/srv/site/a.json")) == "磁盘空间不足（/srv/site/a.json）"
    assert os_error_text(OSError(errno.EACCES, "Permission denied")) == "没有写入权限"
    assert os_error_text(OSError("磁盘已满(测试)")) == "磁盘已满(测试)"  # no errno: its own words


def test_failing_page_writer_fails_the_build_in_chinese_and_keeps_the_old_site(tmp_path):
    """gongkai build writes the generated pages on every core after MkDocs' page loop; a full disk in a
    worker must stop the build with a Chinese sentence and leave the old site."""
    from conftest import assert_failed_keeping_the_old_site, build_with_patch

    proc, site = build_with_patch(tmp_path, """
        import errno, os
        from gongkai.engine import adapter
        from gongkai.runtime import parallel
        parallel.MIN_ITEMS = 1
        os.environ["GONGKAI_JOBS"] = "2"
        def broken(site_description, item):
            raise OSError(errno.ENOSPC, "No space left on device", item[0])
        adapter._write_page = broken
    """)
    assert_failed_keeping_the_old_site(proc, site, "网页文件写入失败，网站没有生成：磁盘空间不足")


def test_two_builds_in_one_process_write_every_page(project, tmp_path, monkeypatch):
    """The page writer remembers the folders it made; the second build writes into a new temporary
    folder of the same name, so it must not trust what the first one made."""
    monkeypatch.setenv("GONGKAI_JOBS", "1")  # pages written in this process
    site = tmp_path / "site"
    assert build_site(project, site, quiet=True) == 0
    first = sorted(p.relative_to(site) for p in site.rglob("index.html"))
    assert build_site(project, site, quiet=True) == 0
    assert sorted(p.relative_to(site) for p in site.rglob("index.html")) == first and len(first) > 20


def test_build_stopped_before_the_pages_are_read_stops_the_search_writer_quietly(tmp_path):
    """The search index writer starts in on_files and waits for the hand-written pages (sent in on_env).
    A build that stops in between must not hang, and must not blame the search index."""
    from conftest import assert_failed_keeping_the_old_site, build_with_patch

    proc, site = build_with_patch(tmp_path, """
        import os
        from gongkai.engine import adapter
        os.environ["GONGKAI_JOBS"] = "2"
        def broken(*args, **kwargs):
            raise adapter.DataError("\\n页面生成失败(测试),网站没有生成")
        adapter.generate_jobs = broken  # the page generation step (pages.generate.generate_jobs)
    """)
    assert_failed_keeping_the_old_site(proc, site, "页面生成失败(测试)")
    assert "站内搜索索引" not in proc.stderr


def test_search_writer_that_cannot_get_the_pages_fails_the_build_in_chinese(tmp_path):
    """on_env hands the hand-written pages to the search writer through a temporary file; if that
    file cannot be written, the build stops with a Chinese reason and keeps the old site."""
    from conftest import assert_failed_keeping_the_old_site, build_with_patch

    proc, site = build_with_patch(tmp_path, """
        import errno, os, tempfile, types
        from gongkai.engine import adapter
        os.environ["GONGKAI_JOBS"] = "2"
        def mkstemp(*args, **kwargs):
            if kwargs.get("prefix") == "gongkai-pages-":
                raise OSError(errno.ENOSPC, "No space left on device")
            return tempfile.mkstemp(*args, **kwargs)
        adapter.tempfile = types.SimpleNamespace(mkstemp=mkstemp)
    """)
    assert_failed_keeping_the_old_site(proc, site, "站内搜索索引生成失败，网站没有生成：磁盘空间不足")


def test_background_writers_that_cannot_start_fail_the_build_in_chinese(tmp_path):
    """parallel.background needs a temporary file for its result; with the disk full the build stops
    with the writer's name and a Chinese reason, not Python's English error."""
    from conftest import assert_failed_keeping_the_old_site, build_with_patch

    proc, site = build_with_patch(tmp_path, """
        import errno, os, tempfile, types
        from gongkai.runtime import parallel
        os.environ["GONGKAI_JOBS"] = "2"
        def mkstemp(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")
        parallel.tempfile = types.SimpleNamespace(mkstemp=mkstemp)
    """)
    assert_failed_keeping_the_old_site(proc, site, "站内搜索索引生成失败，网站没有生成：磁盘空间不足")
    assert "Errno" not in proc.stderr


def test_writers_end_when_the_build_is_killed(tmp_path):
    """A killed build (SIGKILL: a cancelled CI job, the OOM killer) takes its forked writers and workers with it:
    otherwise they go on writing into its temporary site folder after the next build has removed it."""
    import time

    from conftest import ROOT

    script = textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(ROOT / "site_hooks")!r})
        os.environ["GONGKAI_JOBS"] = "2"
        from gongkai.runtime import parallel
        def late(path):
            time.sleep(1.5)
            open(path, "w").write("written")
        def slow(x):
            time.sleep(0.01)
            return x
        parallel.background("写入", late, {str(tmp_path / "background.txt")!r})
        parallel.MIN_ITEMS = 1
        print("ready", flush=True)
        parallel.pmap(slow, list(range(10000)))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.3)  # the pool's worker is working
    children = _children(proc.pid)
    assert len(children) >= 2  # the background writer and the pool's worker
    proc.kill()
    proc.wait()
    proc.stdout.close()
    time.sleep(2)
    assert not (tmp_path / "background.txt").exists()  # the writer ended with the build
    assert [pid for pid in children if _alive(pid)] == []


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc: field 4 of /proc/<n>/stat)."""
    import pathlib

    out = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    import os
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(sys.platform != "linux", reason="malloc_trim is glibc's")
def test_trim_heap_gives_freed_pages_back_to_the_system():
    """The search index writer calls it between its steps (issue 18: the build tree's peak memory)."""
    code = textwrap.dedent("""
        import os
        from gongkai.runtime import parallel
        def rss():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        keep, drop = [], []
        for i in range(100_000):  # 200 MB of small blocks, one in 50 kept: the heap cannot shrink from its top
            (keep if i % 50 == 0 else drop).append(bytearray(2000))
        del drop
        before = rss()
        print(parallel.trim_heap(), before - rss())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "True" and int(out[1]) > 100_000_000


def test_a_page_filled_as_bytes_is_the_page_filled_as_text_then_encoded():
    """_write_page encodes each shell's text once and joins bytes; the file must be the text MkDocs would write
    (UTF-8, xmlcharrefreplace), whatever the characters and wherever the values sit."""
    from gongkai.engine import adapter

    t = adapter._TOKENS
    shell = [t["CONTENT"], "<html lang=\"zh-CN\">中文 ", t["TITLE"], "𠀀 emoji 😀", t["CANON"], "", t["HEAD"], "\ud800 lone", t["CONTENT"]]
    values = {t["TITLE"]: "标题 &amp;", t["DESC"]: "", t["HEAD"]: '<meta name="a" content="b">', t["CANON"]: "https://x/",
              t["EDIT"]: "", t["CONTENT"]: "<p>正文\udfff</p>"}
    expected = adapter._fill(shell, values).encode("utf-8", errors="xmlcharrefreplace")
    assert adapter._fill_bytes(shell, values) == expected
    assert adapter._fill_bytes(shell, values) == expected  # again, from the encoded shell kept for it
    other = list(shell)  # another shell (a later build's) is encoded for itself, not taken for the first
    other[1] = "<html>"
    assert adapter._fill_bytes(other, values) == adapter._fill(other, values).encode("utf-8", errors="xmlcharrefreplace")


def test_write_file_writes_all_bytes_truncates_makes_folders_once_and_keeps_the_umask(tmp_path):
    import os
    import stat
    from pathlib import Path

    from gongkai.runtime.files import write_file

    made: set[str] = set()
    path = str(tmp_path / "a" / "b" / "index.html")
    big = "正文".encode() * 200_000  # 1.2 MB
    assert write_file(path, big, made) == path and Path(path).read_bytes() == big
    assert made == {str(tmp_path / "a" / "b")}
    write_file(path, b"short", made)  # a shorter page replaces a longer one completely
    assert Path(path).read_bytes() == b"short"
    write_file(str(tmp_path / "a" / "b" / "empty"), b"", made)
    assert (tmp_path / "a" / "b" / "empty").read_bytes() == b""
    old = os.umask(0o027)
    try:
        write_file(str(tmp_path / "a" / "masked"), b"x", made)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a" / "masked").stat().st_mode) == 0o640  # as open(path, "wb") makes it
