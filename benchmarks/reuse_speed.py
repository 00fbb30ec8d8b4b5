"""Benchmark: shared-text detection of two versions of the code, interleaved, on the first N
AllSides articles (issue 22, item 3).

Runs ``benchmarks/reuse_allsides.py --limit N --workers W --out pairs.csv`` of each code tree
(a checkout of this repository: ``--old`` and ``--new``) in a subprocess, one after the other
for each N and W, and prints wall time, CPU time (the run and its reaped workers), the peak
proportional set size of the process tree (sampled twice a second, as in
``benchmarks/scale.py``), the stage times the run prints, and whether the two pair tables are
byte-identical.

Usage::

    .venv/bin/python benchmarks/reuse_speed.py --old /tmp/old --new . --limits 5000 10000 \\
        --workers 1 2 --out /tmp/reuse-speed
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import tree_memory_mb  # noqa: E402

PATTERNS = {
    "detect_s": r"reuse detection in ([\d.]+) s",
    "verify_s": r"verifying candidates ([\d.]+) s",
    "candidates": r"candidate pairs: ([\d,]+)",
    "found": r"pairs found: ([\d,]+)",
}


def children_cpu() -> float:
    """User and system CPU seconds of this process's reaped children (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(tree: Path, limit: int, workers: int, out: Path) -> dict:
    """Run one version's benchmark; its wall and CPU seconds, peak tree Pss, printed numbers."""
    command = [sys.executable, "benchmarks/reuse_allsides.py", "--limit", str(limit)]
    command += ["--workers", str(workers), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cpu, start = children_cpu(), time.perf_counter()
    process = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, text=True)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_memory_mb(process.pid))
        time.sleep(0.5)
    printed = process.stdout.read()
    if process.returncode != 0:
        raise SystemExit(f"failed in {tree}: {' '.join(command)}")
    result = {"wall_s": time.perf_counter() - start, "cpu_s": children_cpu() - cpu, "pss_mb": peak}
    for name, pattern in PATTERNS.items():
        found = re.search(pattern, printed)
        result[name] = float(found.group(1).replace(",", "")) if found else float("nan")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="code tree before")
    parser.add_argument("--new", type=Path, required=True, help="code tree after")
    parser.add_argument("--limits", type=int, nargs="+", default=[5000, 10000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, required=True, help="folder for the pair tables")
    parser.add_argument(
        "--new-first", action="store_true", help="run the new code before the old at each size"
    )
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    print(
        "| articles | workers | code | wall s | CPU s | detection s | verifying s | peak Pss MB "
        "| candidates | pairs found |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for limit in arguments.limits:
        for workers in arguments.workers:
            tables = {}
            for name in ("new", "old") if arguments.new_first else ("old", "new"):
                tables[name] = arguments.out / f"{name}_{limit}_{workers}.csv"
                r = run(getattr(arguments, name).resolve(), limit, workers, tables[name])
                print(
                    f"| {limit:,} | {workers} | {name} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} "
                    f"| {r['detect_s']:.1f} | {r['verify_s']:.1f} | {r['pss_mb']:,.0f} "
                    f"| {r['candidates']:,.0f} | {r['found']:,.0f} |",
                    flush=True,
                )
            same = filecmp.cmp(tables["old"], tables["new"], shallow=False)
            print(f"pair tables of {limit:,} articles, {workers} workers: identical {same}")


if __name__ == "__main__":
    main()
