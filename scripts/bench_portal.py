"""Portal search benchmark: one merged index (a) against the browser querying every department (b).

Usage:
    .venv/bin/python scripts/bench_portal.py                              # 10, 50, 100 departments × 2,000 plans
    .venv/bin/python scripts/bench_portal.py --portals 3,5 --plans 200    # a quick look
    .venv/bin/python scripts/bench_portal.py --workdir /tmp/gk-portal --keep --json

What it does:
1. writes ``--variants`` synthetic department projects of ``--plans`` plans each (gongkai.bench.synth, the
   one generator, one seed per variant) and builds each with ``gongkai build``: real sites, real
   department search indexes, real open data;
2. publishes them as departments ``d001/``, ``d002/``, … (department i is variant i mod ``--variants``,
   under its own path and name) and, for each portal size, runs ``gongkai portal`` (the real merge,
   folders as sources) — timing the full build and the rebuild after one department published again;
3. serves the portal and all departments on 127.0.0.1 with gzip (level 6), as a static host would;
4. in headless Chromium (Debian's /usr/bin/chromium), with an empty cache, for each query:
   (a) the portal's search page (the shipped search.js on the merged index): bytes from opening the page
       to the first result and the time from typing to the first result; then the same query filtered
       to one department;
   (b) a bench page whose script fetches every department's meta.json and the shards of the query's
       terms, ranks all matches with the summed document frequencies (so the ranking is the merged
       one), and fetches the ten best documents: the same figures;
5. prints a table and where each stops meeting the budget (300 KB and 1 s to the first result).

Exit status: 0 when the run completed (the figures say what is within budget), 2 on a setup error.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "site_hooks"))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_search import serve  # noqa: E402  (the gzip static server of the search benchmark)
from gongkai.bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from gongkai.bench.synth import write_synthetic_project  # noqa: E402
from gongkai.engine.build import build_site  # noqa: E402
from gongkai.portal.build import build_portal  # noqa: E402

BUDGET_BYTES = 300 * 1024
BUDGET_SECONDS = 1.0
QUERIES = ["高新技术企业", "科技成果转化", "科技特派员"]

# Option (b), measured only (not shipped): the browser reads every department's own index.
FANOUT_JS = r"""
import { queryTerms } from "./assets/gongkai/search.js";
const TF_MAX = 7, META_BIT = 8, TITLE_BIT = 16;
function shardOf(term, shards) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h % shards;
}
const json = (url) => fetch(url).then((r) => { if (!r.ok) throw new Error(url); return r.json(); });
const metas = new Map();
const metaOf = (path) => { if (!metas.has(path)) metas.set(path, json(path + "search-index/meta.json")); return metas.get(path); };
/* Like the search page, which reads meta.json when it opens: every department's, before the visitor types. */
export async function prefetch(paths) { await Promise.all(paths.map(metaOf)); return paths.length; }
export async function fanout(paths, query) {
  const terms = queryTerms(query);
  const depts = await Promise.all(paths.map(async (path) => {
    const meta = await metaOf(path);
    const lists = await Promise.all(terms.map(async (t) => {
      const shard = await json(path + "search-index/t/" + shardOf(t, meta.shards) + ".json?v=" + meta.build);
      const docs = [], weights = [];
      let doc = -1;
      for (const v of shard[t] || []) { doc += Math.floor(v / 32); docs.push(doc); weights.push(v % 32); }
      return { docs, weights };
    }));
    return { path, meta, lists };
  }));
  const total = depts.reduce((n, d) => n + d.meta.docs, 0);
  const df = terms.map((_, i) => depts.reduce((n, d) => n + d.lists[i].docs.length, 0));
  const scored = [];
  for (const d of depts) {
    let matched = null;
    d.lists.forEach((list, i) => {
      const idf = Math.log(1 + (total - df[i] + 0.5) / (df[i] + 0.5));
      const here = new Map();
      list.docs.forEach((doc, j) => {
        const w = list.weights[j], tf = w & TF_MAX;
        here.set(doc, idf * (tf / (tf + 1.2)) * (1 + (w & META_BIT ? 1.5 : 0) + (w & TITLE_BIT ? 3 : 0)));
      });
      if (matched === null) matched = here;
      else { const next = new Map(); for (const [k, s] of matched) if (here.has(k)) next.set(k, s + here.get(k)); matched = next; }
    });
    for (const [doc, s] of matched || []) scored.push([s, d, doc]);
  }
  scored.sort((x, y) => y[0] - x[0]);
  const top = await Promise.all(scored.slice(0, 10).map(([, d, doc]) => json(d.path + "search-index/d/" + doc + ".json?v=" + d.meta.build)));
  const list = document.getElementById("results");
  for (const r of top) { const li = document.createElement("li"); li.textContent = r.t; list.append(li); }
  list.dataset.count = String(scored.length);
  return scored.length;
}
"""
FANOUT_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>b</title>
<script type="module">import { fanout, prefetch } from "./fanout.js"; window.fanout = fanout; window.prefetch = prefetch;</script></head>
<body><ol id="results"></ol></body></html>"""


def make_departments(work: Path, variants: int, plans: int, seed: int) -> list[Path]:
    sites = []
    for v in range(variants):
        root = work / f"variant-{v}"
        site = root / "site"
        if not (site / "search-index" / "meta.json").exists():
            if not (root / "mkdocs.yml").exists():
                write_synthetic_project(root, plans, seed + v, departments=1)
            t0 = time.monotonic()
            if build_site(root, quiet=True) != 0:
                raise RuntimeError(f"合成部门 {v} 生成失败")
            print(f"部门网站 {v + 1}/{variants}：{plans} 条计划，生成 {time.monotonic() - t0:.0f} 秒", file=sys.stderr)
        sites.append(site)
    return sites


def publish_tree(www: Path, sites: list[Path], count: int) -> list[str]:
    """Departments d001…: symlinks to the variant sites (a department's published folder)."""
    www.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = f"d{i + 1:03d}"
        link = www / path
        if not link.is_symlink():
            os.symlink(sites[i % len(sites)], link)
        paths.append(path + "/")
    return paths


def write_config(where: Path, paths: list[str], www: Path) -> Path:
    text = "门户名称: 基准测试门户\n门户地址: https://www.example.gov.cn/\n部门:\n" + "".join(
        f"  - 名称: 部门{p.rstrip('/')}\n    路径: {p}\n    来源: {www / p}\n" for p in paths)
    where.write_text(text, encoding="utf-8")
    return where


def cdp_page(browser):
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    log: list[int] = []
    cdp.on("Network.loadingFinished", lambda e: log.append(int(e["encodedDataLength"])))
    return context, page, log


def measure_merged(browser, base: str, portal: str, query: str, department: str | None) -> dict:
    context, page, log = cdp_page(browser)
    page.goto(base + portal + "search/", wait_until="load")
    page.wait_for_selector("[data-gk-search-ready]")
    page.wait_for_function("document.querySelectorAll('#gk-filter-department option').length > 1")
    if department:
        page.select_option("#gk-filter-department", department)
    t0 = time.monotonic()
    page.fill("#gk-search-input", query)
    page.wait_for_function("q => document.getElementById('search-results').dataset.gkQuery === q", arg=query, timeout=120_000)
    seconds = time.monotonic() - t0
    count = page.inner_text("#search-results .gk-search__count")
    page_bytes = sum(log)
    context.close()
    return {"bytes": page_bytes, "seconds": seconds, "count": count}


def measure_fanout(browser, base: str, paths: list[str], query: str) -> dict:
    context, page, log = cdp_page(browser)
    page.goto(base + "fanout.html", wait_until="load")
    page.wait_for_function("typeof window.fanout === 'function'")
    urls = [base + p for p in paths]
    page.evaluate("p => window.prefetch(p)", urls)
    t0 = time.monotonic()
    count = page.evaluate("([p, q]) => window.fanout(p, q)", [urls, query])
    seconds = time.monotonic() - t0
    total = sum(log)
    context.close()
    return {"bytes": total, "seconds": seconds, "count": f"共找到 {count} 条结果"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--portals", default="10,50,100", help="门户的部门数，逗号分隔（默认 10,50,100）")
    ap.add_argument("--plans", type=int, default=2000, help="每个部门的计划数（默认 2000）")
    ap.add_argument("--variants", type=int, default=4, help="不同的合成部门网站个数（默认 4，部门轮流使用）")
    ap.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
    ap.add_argument("--workdir", type=Path, default=None, help="工作目录（默认临时目录；已有的合成网站直接重用）")
    ap.add_argument("--keep", action="store_true", help="保留工作目录")
    ap.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    ap.add_argument("--repeat", type=int, default=1, help="每项测量重复几次，取最少的时间（默认 1；机器繁忙时用 3）")
    ap.add_argument("--reuse", action="store_true",
                    help="--workdir 中已经生成的门户直接使用，只在浏览器中测量（不再计时生成）")
    args = ap.parse_args(argv)
    if args.reuse and args.workdir is None:
        ap.error("--reuse 需要和 --workdir 一起使用")
    try:
        sizes = sorted({int(s) for s in args.portals.split(",") if s.strip()})
    except ValueError:
        ap.error("--portals 应当是逗号分隔的整数，例如 10,50,100")
    if not Path(CHROMIUM).exists():
        print(f"找不到 {CHROMIUM}：请先运行 make test-deps 安装 Chromium。", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    tmp = None
    work = args.workdir
    if work is None:
        tmp = tempfile.mkdtemp(prefix="gk-bench-portal-")
        work = Path(tmp)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        sites = make_departments(work, args.variants, args.plans, args.seed)
        www = work / "www"
        all_paths = publish_tree(www, sites, max(sizes))
        (www / "fanout.js").write_text(FANOUT_JS, encoding="utf-8")
        (www / "fanout.html").write_text(FANOUT_HTML, encoding="utf-8")
        (www / "assets" / "gongkai").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "templates" / "assets" / "gongkai" / "search.js", www / "assets" / "gongkai" / "search.js")
        builds = {}
        for n in sizes:
            config = write_config(work / f"portal-{n}.yml", all_paths[:n], www)
            out = www / f"p{n}"
            if args.reuse and (out / "search-index" / "meta.json").is_file():
                meta = json.loads((out / "search-index" / "meta.json").read_text(encoding="utf-8"))
                files = [p for p in (out / "search-index").rglob("*") if p.is_file()]
                builds[n] = {"docs": meta["docs"], "shards": meta["shards"],
                             "index_mb": sum(p.stat().st_size for p in files) / 1e6, "full_seconds": None,
                             "fetched_full": None, "incremental_seconds": None, "fetched_incremental": []}
                continue
            t0 = time.monotonic()
            result = build_portal(config, out, work / "cache")
            full = time.monotonic() - t0
            if result.code != 0:
                raise RuntimeError("；".join(result.errors))
            # One department publishes again: its folder now holds another variant's site.
            changed = www / all_paths[n - 1].rstrip("/")
            target = os.readlink(changed)
            os.unlink(changed)
            os.symlink(sites[(all_paths.index(all_paths[n - 1]) + 1) % len(sites)], changed)
            t0 = time.monotonic()
            again = build_portal(config, out, work / "cache")
            incremental = time.monotonic() - t0
            os.unlink(changed)
            os.symlink(target, changed)
            build_portal(config, out, work / "cache")
            files = [p for p in (out / "search-index").rglob("*") if p.is_file()]
            builds[n] = {"docs": result.figures["documents"], "shards": result.figures["shards"],
                         "index_mb": sum(p.stat().st_size for p in files) / 1e6, "full_seconds": full,
                         "fetched_full": len(result.fetched), "incremental_seconds": incremental,
                         "fetched_incremental": again.fetched}
            print(f"门户 {n} 个部门：{builds[n]['docs']} 条，{builds[n]['shards']} 个分块，{builds[n]['index_mb']:.0f} MB；"
                  f"生成 {full:.0f} 秒（读取 {len(result.fetched)} 个部门），一个部门重新发布后 {incremental:.0f} 秒"
                  f"（读取 {'、'.join(again.fetched)}）", file=sys.stderr)
        server, base = serve(www)
        server.handle_error = lambda request, address: None  # a page closed mid-download is no error here
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    for n in sizes:
                        for q in QUERIES:
                            def best(measure):  # the least time of --repeat runs (the bytes do not vary)
                                return min((measure() for _ in range(max(1, args.repeat))), key=lambda m: m["seconds"])
                            a = best(lambda: measure_merged(browser, base, f"p{n}/", q, None))
                            af = best(lambda: measure_merged(browser, base, f"p{n}/", q, "部门d001"))
                            b = best(lambda: measure_fanout(browser, base, all_paths[:n], q))
                            rows.append({"departments": n, "docs": builds[n]["docs"], "query": q,
                                         "merged": a, "merged_filtered": af, "fanout": b})
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not trace back
        print(f"基准测试无法完成：{exc}", file=sys.stderr)
        return 2
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    def ok(m: dict) -> bool:
        return m["bytes"] <= BUDGET_BYTES and m["seconds"] <= BUDGET_SECONDS

    if args.json:
        print(json.dumps({"plans": args.plans, "variants": args.variants, "builds": builds, "rows": rows},
                         ensure_ascii=False, indent=1))
        return 0
    print(f"门户搜索基准：每个部门 {args.plans} 条合成计划（{args.variants} 个不同的部门网站轮流使用），gzip 6，冷缓存。")
    print(f"预算：第一条结果 ≤ {BUDGET_BYTES // 1024} KB（压缩后，含 search.js）、≤ {BUDGET_SECONDS:.0f} 秒。")
    for n in sizes:
        b = builds[n]
        timed = (f"门户生成 {b['full_seconds']:.0f} 秒，一个部门重新发布后 {b['incremental_seconds']:.0f} 秒。"
                 if b["full_seconds"] is not None else "（--reuse：生成未计时）")
        print(f"{n} 个部门（{b['docs']} 条）：合并索引 {b['shards']} 个分块、{b['index_mb']:.0f} MB，{timed}")
    print(f"{'部门':>4} {'文档':>7}  {'查询':<10} {'(a)合并 KB':>10} {'秒':>5} {'(a)按部门筛选 KB':>15} {'秒':>5} "
          f"{'(b)逐个部门 KB':>14} {'秒':>5}")
    for r in rows:
        a, af, b = r["merged"], r["merged_filtered"], r["fanout"]
        print(f"{r['departments']:>4} {r['docs']:>7}  {r['query']:<10} {a['bytes'] / 1024:>10.0f} {a['seconds']:>5.2f} "
              f"{af['bytes'] / 1024:>15.0f} {af['seconds']:>5.2f} {b['bytes'] / 1024:>14.0f} {b['seconds']:>5.2f}")
    for key, label in (("merged", "(a) 合并索引"), ("merged_filtered", "(a) 按部门筛选"), ("fanout", "(b) 逐个部门查询")):
        over = [n for n in sizes if not all(ok(r[key]) for r in rows if r["departments"] == n)]
        print(f"{label}：" + (f"从 {over[0]} 个部门起超出预算。" if over else f"到 {max(sizes)} 个部门都在预算内。"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
