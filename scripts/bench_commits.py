"""Build the same synthetic plans with the code of several commits: what each change gained.

Usage:
    .venv/bin/python scripts/bench_commits.py [--sizes 1000] [--repeat 1] [--seed 1] COMMIT...

Each commit is exported with ``git archive`` into a scratch folder (no worktree, nothing
checked out), a synthetic project is written from that commit's templates, hooks and sample
data (``gongkai.benchdata``, so every commit builds the same plans), and ``gongkai build`` runs
with that commit's ``site_hooks`` first on ``PYTHONPATH``. Prints wall time, user+sys CPU time
and peak memory of the process tree per commit and size (the best of ``--repeat`` runs by CPU
time), as a Markdown table. Environment variables such as ``GONGKAI_JOBS`` pass through.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "site_hooks"))

from gongkai import bench, benchdata  # noqa: E402


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
        for i, commit in enumerate(args.commits):
            code = Path(tmp) / f"c{i}"
            subject = export(commit, code)
            for n in sizes:
                runs = [measure(code, n, args.seed, Path(tmp) / "work") for _ in range(args.repeat)]
                best = min(runs, key=lambda r: r.cpu_s)
                rows.append([subject[:60], f"{n:,}", f"{best.wall_s:.1f}", f"{best.cpu_s:.1f}", f"{best.peak_bytes / 2**20:.0f}"])
                print(f"{subject[:60]} n={n}: {best.wall_s:.1f} s wall, {best.cpu_s:.1f} s CPU, "
                      f"{best.peak_bytes / 2**20:.0f} MB", file=sys.stderr, flush=True)
            shutil.rmtree(code)
    print("| 提交 | 计划数 | 用时(秒) | CPU(秒) | 峰值内存(MB) |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n负载(1/5/15 分钟):{[round(x, 2) for x in os.getloadavg()]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
