"""Smoke test of scripts/bench_search.py at a small N: it builds, measures in Chromium and reports.
Timing is the benchmark's business, not this test's; bytes, the lazy loading and the exact
文号/索引号 hits are checked here because they do not depend on the machine's speed."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest_search import ROOT


def test_bench_search_small(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_search.py"), "--plans", "100", "--json",
                           "--workdir", str(tmp_path / "p")], capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr  # 1 = over budget (e.g. slow machine); 2 = could not run
    report = json.loads(proc.stdout)
    assert report["build"]["docs"] == 100 + len(list((ROOT / "content").rglob("*.md"))) - 1  # plans + pages - search page
    results = report["results"]
    assert len(results) == 6
    for r in results:
        assert r["early_search_requests"] == [], r
        assert 0 < r["bytes"] <= 300 * 1024, r
        assert any("search-index/meta.json" in u for _, u in r["files"])
        if r["expected"]:
            assert r["first"].endswith(r["expected"]), r
            assert r["count"] == "共找到 1 条结果"
    assert results[-1]["count"] == "没有找到结果"
    assert all(r["count"].startswith("共找到") for r in results[:3])
