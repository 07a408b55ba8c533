"""gongkai bench: build synthetic sites of N plans, measure, compare with plain MkDocs + Material.

Prints the table and writes it into docs/benchmarks.md (between the markers; the rest of the
file is kept). Figures only: nothing here passes or fails on a timing.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gongkai.bench import run as bench


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(x.replace("_", "")) for x in text.replace("，", ",").split(",") if x.strip())  # 全角逗号也可以
    except ValueError:
        raise argparse.ArgumentTypeError(f"规模应写成逗号分隔的整数，例如 100,1000,10000；现在是“{text}”") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("规模至少要有一个正整数")
    return sizes


def _preview_sizes(text: str) -> tuple[int, ...]:
    """``--preview-size``: like ``--sizes``; ``0`` alone measures no preview."""
    if text.strip() == "0":
        return ()
    return _sizes(text)


def register(sub):
    p = sub.add_parser("bench", help="性能基准：生成合成网站并测量",
                       description="生成 N 条合成计划的网站，测量生成用时、CPU、峰值内存、输出大小、页面大小和预览延迟，"
                                   "并与同样内容的 MkDocs + Material 对比；结果写入 docs/benchmarks.md。")
    p.add_argument("--sizes", type=_sizes, default=(100, 1000, 10000), help="计划数，逗号分隔（默认 100,1000,10000）")
    p.add_argument("--seed", type=int, default=1, help="合成数据的随机种子（默认 1；同一种子生成完全相同的数据）")
    p.add_argument("--default-sizes", type=_sizes, default=(1000, 2000),
                   help="MkDocs 默认配置（完整导航，用时随页数平方增长）的计划数（默认 1000,2000）")
    p.add_argument("--speed-sizes", type=_sizes, default=None, help="MkDocs 提速配置的计划数（默认与 --sizes 相同）")
    p.add_argument("--no-baseline", action="store_true", help="不与 MkDocs + Material 对比（不需要对照环境）")
    p.add_argument("--no-page", action="store_true", help="不在 Chromium 中测量页面大小")
    p.add_argument("--preview-size", type=_preview_sizes, default=(1000, 10000), metavar="N[,N…]",
                   help="测量 gongkai serve 预览延迟的计划数，逗号分隔（默认 1000,10000；对照系统只在最小的规模上测；0 表示不测）")
    p.add_argument("--preview-edits", type=int, default=5, help="预览测量中修改文件的次数（默认 5，取中位数）")
    p.add_argument("--no-peers-preview", action="store_true", help="不测量 mkdocs serve --dirty 和 zensical serve 的预览延迟")
    p.add_argument("--no-zensical", action="store_true", help="不安装、不测量 zensical")
    p.add_argument("--no-memory", action="store_true", help="不另外生成一次来测量进程树的峰值内存（PSS）")
    p.add_argument("--output", type=Path, default=None, help="写入的 Markdown 文件（默认 docs/benchmarks.md）")
    p.add_argument("--no-write", action="store_true", help="只打印，不写文件")
    p.add_argument("--json", type=Path, default=None, help="另存全部数字为 JSON")
    p.add_argument("--report-from", type=Path, default=None, metavar="JSON",
                   help="不测量，只把以前保存的结果（--json 或 .bench/work/last-results.json）重新写成表格")
    p.add_argument("--work", type=Path, default=None, help="临时文件夹（默认 .bench/work）")
    p.add_argument("--keep", action="store_true", help="保留生成的合成项目和网站")
    p.add_argument("--repeats", type=int, default=3, metavar="N",
                   help="不超过 --repeat-up-to 条的规模各生成 N 次，取校准后 CPU 时间居中的一次"
                        "（默认 3；小规模单次起伏大，这台机器的速度几分钟内也会变化三成）")
    p.add_argument("--repeat-up-to", type=int, default=10000, metavar="N",
                   help="重复生成的最大规模（默认 10000；更大的规模只生成一次）")
    p.add_argument("--flat-rounds", type=int, default=3, metavar="N",
                   help="最后把 1000、2000 条和最大规模交替生成 N 轮，用中位数判断每条用时是否随规模增长（默认 3；0 表示不做）")
    p.add_argument("--settle", type=float, default=150, metavar="秒",
                   help="每次生成前最多等待多少秒，让磁盘从删除文件后的慢速状态恢复（默认 150；0 表示只探测不等待）")
    return p


def run(args) -> int:
    opts = bench.Options(
        sizes=args.sizes, seed=args.seed, default_sizes=args.default_sizes, speed_sizes=args.speed_sizes,
        baseline=not args.no_baseline, page=not args.no_page, preview_sizes=args.preview_size, preview_edits=max(1, args.preview_edits),
        work=args.work, keep=args.keep, settle_s=max(0.0, args.settle), repeats=max(1, args.repeats),
        repeat_up_to=args.repeat_up_to,
        flat_rounds=max(0, args.flat_rounds), peers_preview=not args.no_peers_preview, zensical=not args.no_zensical,
        memory=not args.no_memory,
    )
    try:
        if args.report_from:
            results = json.loads(args.report_from.read_text(encoding="utf-8"))
            results["derived"] = bench.derive(results)
        else:
            results = bench.run(args.root, opts)
    except bench.BenchError as exc:
        print(f"基准测试没有完成：{exc}", file=sys.stderr)
        return 1
    print(bench.render_markdown(results))
    if args.json:
        args.json.write_text(bench.to_json(results), encoding="utf-8")
    if not args.no_write:
        out = args.output or args.root / "docs" / "benchmarks.md"
        bench.write_report(out, results)
        print(f"已写入 {out}", file=sys.stderr)
    return 0
