"""Build the same synthetic plans with the code of several commits: what each change gained.

Usage:
    .venv/bin/python scripts/bench_commits.py [--sizes 1000] [--repeat 1] [--seed 1] COMMIT...

Each commit is exported with ``git archive`` into a scratch folder (no worktree, nothing
checked out), a synthetic project is written from that commit's templates, hooks and sample
data (``gongkai.bench.synth``, so every commit builds the same plans), and ``gongkai build`` runs
with that commit's ``site_hooks`` first on ``PYTHONPATH``. Prints wall time, user+sys CPU time
and peak memory of the process tree per commit and size, as a Markdown table: the run with the
least CPU time and the median CPU time of ``--repeat`` rounds (each round runs every commit once,
so a busy minute on a shared machine hits them all alike). Environment variables such as ``GONGKAI_JOBS`` pass through.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "site_hooks"))

from gongkai.bench import run as bench
from gongkai.bench import synth as benchdata  # noqa: E402


def export(commit: str, dest: Path) -> str:
    """``git archive`` of ``commit`` into ``dest``; returns the commit's one-line subject."""
    dest.mkdir(parents=True)
    archive = dest.with_suffix(".tar")
    with open(archive, "wb") as out:
        subprocess.run(["git", "-C", str(REPO), "archive", commit], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    archive.unlink()
    return subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %s", commit],
                          capture_output=True, text=True, check=True).stdout.strip()


def measure(code: Path, n: int, seed: int, work: Path) -> bench.RunStats:
    project = work / f"p{n}"
    shutil.rmtree(project, ignore_errors=True)
    benchdata.write_synthetic_project(project, n, seed, source=code)
    env = dict(os.environ, PYTHONPATH=str(code / "site_hooks"))
    stats = bench.run_measured([sys.executable, "-m", "gongkai.cli", "--root", str(project), "build"], cwd=project, env=env)
    if stats.returncode != 0:
        raise SystemExit(f"{code.name}: 生成失败\n{stats.output[-2000:]}")
    shutil.rmtree(project, ignore_errors=True)
    return stats


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("commits", nargs="+")
    p.add_argument("--sizes", default="1000", help="计划数,逗号分隔(默认 1000)")
    p.add_argument("--repeat", type=int, default=1, help="每个组合运行几次,取 CPU 时间最少的一次")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="gongkai-commits-") as tmp:
        codes = [(Path(tmp) / f"c{i}", commit) for i, commit in enumerate(args.commits)]
        subjects = [export(commit, code) for code, commit in codes]
        runs: dict[tuple[int, int], list[bench.RunStats]] = {}
        for _ in range(args.repeat):  # rounds interleave the commits, so a busy minute hits them all
            for i, (code, _commit) in enumerate(codes):
                for n in sizes:
                    stats = measure(code, n, args.seed, Path(tmp) / "work")
                    runs.setdefault((i, n), []).append(stats)
                    print(f"{subjects[i][:60]} n={n}: {stats.wall_s:.1f} s wall, {stats.cpu_s:.1f} s CPU, "
                          f"{stats.peak_bytes / 2**20:.0f} MB", file=sys.stderr, flush=True)
        for (i, n), measured in runs.items():
            best = min(measured, key=lambda r: r.cpu_s)
            rows.append([subjects[i][:60], f"{n:,}", f"{best.wall_s:.1f}", f"{best.cpu_s:.1f}",
                         f"{statistics.median(r.cpu_s for r in measured):.1f}", f"{best.peak_bytes / 2**20:.0f}"])
    print("| 提交 | 计划数 | 用时(秒) | CPU 最少(秒) | CPU 中位数(秒) | 峰值内存(MB) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n负载(1/5/15 分钟):{[round(x, 2) for x in os.getloadavg()]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
