"""Search budget benchmark: bytes and time from a visitor's first query to the first result.

Usage:
    .venv/bin/python scripts/bench_search.py                 # 10,000 synthetic plans (seed 1)
    .venv/bin/python scripts/bench_search.py --plans 100     # the smoke test `make test` runs
    .venv/bin/python scripts/bench_search.py --plans 10000 --workdir /tmp/gk-bench --keep

What it does:
1. writes a synthetic project of N plans (gongkai.bench.synth, the generator of gongkai bench, deterministic for --seed) and builds it
   with `gongkai build` (the search index is written by the build);
2. serves the site on 127.0.0.1 with gzip (level 6) for text files, as a static host would;
3. in headless Chromium (Debian's /usr/bin/chromium, Playwright), for each query and with an
   empty cache: opens a plan page, checks that nothing search-related was downloaded, focuses
   the header search box, enters the query, and waits for the first result in #search-results;
4. prints, per query, the compressed bytes transferred from the focus to the first result
   (Chrome's encodedDataLength, headers included) and the time, and checks the budget:
   at most 300 KB and 1 s, and no search request before the focus.

Exit status: 0 when every query met the budget, 1 otherwise, 2 on a setup error.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import shutil
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "site_hooks"))

from gongkai.pages import search as gk_search  # noqa: E402
from gongkai.bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from gongkai.engine.build import build_site  # noqa: E402
from gongkai.data.loader import load_project  # noqa: E402
from gongkai.bench.synth import write_synthetic_project  # noqa: E402

BUDGET_BYTES = 300 * 1024
BUDGET_SECONDS = 1.0
SEARCH_PATHS = ("assets/gongkai/search.js", gk_search.BUNDLE_DIR + "/")
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, gzip-compressed on the fly for text types when the client accepts gzip."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "application/javascript",
                      ".json": "application/json", ".svg": "image/svg+xml"}

    def log_message(self, *args):  # quiet
        pass

    def send_head(self):
        fs_path = Path(self.translate_path(self.path))
        if fs_path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slash form
            fs_path = fs_path / "index.html"
        ctype = self.guess_type(str(fs_path))
        if not fs_path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") or not ctype.startswith(GZIP_TYPES):
            return super().send_head()
        body = gzip.compress(fs_path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype if "charset" in ctype or ctype.startswith("image/") else ctype + "; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site_dir: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def pick_queries(root: Path) -> tuple[str, list[tuple[str, str, str | None]]]:
    """A plan page to start from and the queries: (label, query, expected first URL or None)."""
    project, problems = load_project(root)
    if project is None:
        raise RuntimeError(problems.report())
    with_doc_no = next(p for p in project.plans if p.doc_no)
    other = project.plans[len(project.plans) // 2]
    doc_no_variant = with_doc_no.doc_no.replace("〔", "[").replace("〕", "]")
    doc_no_variant = doc_no_variant.translate({ord(str(i)): chr(0xFF10 + i) for i in range(10)})
    index_variant = other.index_no.lower()
    return project.plans[-1].url, [
        ("词语", "高新技术企业", None),
        ("词语", "科技特派员", None),
        ("短语", "科技成果转化", None),
        ("文号(方括号、全角数字)", doc_no_variant, with_doc_no.url),
        ("索引号(小写)", index_variant, other.url),
        ("无结果", "量子引力波探测器", None),
    ]


def measure(browser, base: str, start_url: str, query: str, timeout_s: float = 30.0) -> dict:
    """One cold visit: bytes before focus, then bytes and time from the focus to the first result."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    log: list[tuple[str, int, float]] = []
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: log.append((urls.get(e["requestId"], ""), int(e["encodedDataLength"]), time.monotonic())))
    page.goto(base + start_url, wait_until="load")
    page.wait_for_timeout(500)  # let idle work (if any) start, so "nothing before focus" means something
    before = list(log)
    early = [u for u, _, _ in before if any(s in u for s in SEARCH_PATHS)]
    mark = len(log)
    t0 = time.monotonic()
    page.focus("#gk-search-input")
    page.fill("#gk-search-input", query)
    page.wait_for_selector("#search-results li, #search-results .gk-search__empty", timeout=timeout_s * 1000)
    elapsed = time.monotonic() - t0
    after = log[mark:]
    first = page.eval_on_selector_all("#search-results li a.gk-search__title", "els => els.map(a => a.getAttribute('href'))")
    count = page.inner_text("#search-results .gk-search__count") if page.query_selector("#search-results .gk-search__count") else ""
    result = {
        "query": query, "bytes": sum(b for _, b, _ in after), "requests": len(after), "seconds": elapsed,
        "early_search_requests": early, "page_bytes": sum(b for _, b, _ in before), "count": count,
        "first": first[0] if first else None, "files": sorted(((b, u.replace(base, "")) for u, b, _ in after), reverse=True),
    }
    context.close()
    return result


def build(root: Path, n: int, seed: int) -> dict:
    if not (root / "mkdocs.yml").exists():
        # the one generator of gongkai bench; one department per 200 plans, as a city's portal would have
        write_synthetic_project(root, n, seed, departments=max(2, min(64, n // 200)))
    start = time.monotonic()
    if build_site(root, quiet=True) != 0:
        raise RuntimeError("网站生成失败")
    seconds = time.monotonic() - start
    # The index alone, once more (bodies are rendered and cached by the build): wall and CPU seconds.
    project, _ = load_project(root)
    with tempfile.TemporaryDirectory() as scratch:
        wall, cpu = time.monotonic(), time.process_time()
        gk_search.write_index(Path(scratch), gk_search.documents(project))
        index_wall, index_cpu = time.monotonic() - wall, time.process_time() - cpu
    meta = json.loads((root / "site" / gk_search.BUNDLE_DIR / "meta.json").read_text(encoding="utf-8"))
    files = [p for p in (root / "site" / gk_search.BUNDLE_DIR).rglob("*") if p.is_file()]
    return {"seconds": seconds, "index_seconds": index_wall, "index_cpu_seconds": index_cpu, "docs": meta["docs"], "shards": meta["shards"], "files": len(files),
            "index_bytes": sum(p.stat().st_size for p in files)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=10_000, help="合成计划数(默认 10000)")
    ap.add_argument("--seed", type=int, default=1, help="随机种子(默认 1)")
    ap.add_argument("--workdir", type=Path, default=None, help="合成项目的目录(默认临时目录;已有项目时直接重用)")
    ap.add_argument("--keep", action="store_true", help="保留合成项目和生成的网站")
    ap.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    ap.add_argument("--site-ready", action="store_true",
                    help="--workdir 中的网站(site/)已经生成:不再生成,只测量(gongkai bench 用)")
    args = ap.parse_args(argv)
    if args.site_ready and args.workdir is None:
        ap.error("--site-ready 需要和 --workdir 一起使用")

    if not Path(CHROMIUM).exists():
        print(f"找不到 {CHROMIUM}:请先运行 make test-deps 安装 Chromium。", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    tmp = None
    root = args.workdir
    if root is None:
        tmp = tempfile.mkdtemp(prefix="gk-bench-search-")
        root = Path(tmp) / "project"
    try:
        built = None if args.site_ready else build(root, args.plans, args.seed)
        start_url, queries = pick_queries(root)
        server, base = serve(root / "site")
        results = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for label, query, expected in queries:
                        r = measure(browser, base, start_url, query)
                        r["label"], r["expected"] = label, expected
                        results.append(r)
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not trace back
        print(f"基准测试无法完成:{exc}", file=sys.stderr)
        return 2
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    ok = True
    for r in results:
        r["ok"] = (r["bytes"] <= BUDGET_BYTES and r["seconds"] <= BUDGET_SECONDS and not r["early_search_requests"]
                   and (r["expected"] is None or (r["first"] or "").rstrip("/").endswith(r["expected"].rstrip("/"))))
        ok = ok and r["ok"]
    if args.json:
        print(json.dumps({"plans": args.plans, "seed": args.seed, "build": built, "results": results,
                          "bytes_to_first_result": max(r["bytes"] for r in results),
                          "seconds_to_first_result": max(r["seconds"] for r in results), "ok": ok},
                         ensure_ascii=False, indent=1))
        return 0 if ok else 1
    if built:
        print(f"站内搜索基准:{args.plans} 条合成计划(种子 {args.seed}),生成用时 {built['seconds']:.1f} 秒"
              f"(其中写索引 {built['index_seconds']:.1f} 秒,CPU {built['index_cpu_seconds']:.1f} 秒);"
              f"索引 {built['docs']} 个文档、{built['shards']} 个词项分片、{built['files']} 个文件、{built['index_bytes'] / 1e6:.1f} MB(未压缩)。")
    print(f"预算:从点入搜索框到第一条结果 ≤ {BUDGET_BYTES // 1024} KB(压缩后)、≤ {BUDGET_SECONDS:.0f} 秒;点入之前不下载任何搜索文件。")
    print(f"{'查询':<24}{'类型':<16}{'字节(KB)':>10}{'请求':>6}{'用时(秒)':>10}  {'点入前搜索请求':<8}  结果")
    for r in results:
        print(f"{r['query']:<24}{r['label']:<16}{r['bytes'] / 1024:>10.1f}{r['requests']:>6}{r['seconds']:>10.2f}  "
              f"{len(r['early_search_requests']):<8}  {r['count'] or '-'}  {'达标' if r['ok'] else '未达标'}")
    worst = max(results, key=lambda r: r["bytes"])
    print(f"最多字节的查询:{worst['query']}({worst['bytes'] / 1024:.1f} KB),其中最大的文件:"
          + ",".join(f"{u} {b / 1024:.1f} KB" for b, u in worst["files"][:4]))
    print("结论:" + ("全部达标。" if ok else "有查询未达标。"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
