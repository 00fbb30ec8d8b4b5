"""Scale benchmark on the AllSides corpus: import and chunked measures at several sizes, peak
memory per size, and Dask with 2 local workers against 1.

Usage: python benchmarks/scale.py [--sizes 5000 10000 20000 37554] [--dask-articles 2000]

Each step runs the real command line (``framing import``, ``framing run``) in a subprocess and
reads its wall time and peak resident memory (the largest of the process and its workers) from
``os.wait4``. Subsets are the first N rows of the file. Prints one line per step, in the format
of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.config import SHARED_DATA_DIR

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command and the children it waited for."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[5000, 10000, 20000, 37554])
    parser.add_argument("--dask-articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    framing = [sys.executable, "-m", "analysis"]
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        if args.dask_articles:
            subset = scratch / "dask.csv"
            raw.head(args.dask_articles).to_csv(subset, index=False)
            outputs = {}
            for workers in (1, 2):
                out = scratch / f"dask{workers}"
                seconds, _ = timed(
                    [
                        *framing,
                        "run",
                        str(subset),
                        "--out",
                        str(out),
                        "--no-cache",
                        "--domain-col",
                        "source_url",
                        "--dask",
                        f"local:{workers}",
                    ]
                )
                outputs[workers] = (out / "scores.csv").read_bytes()
                print(f"dask local:{workers}, {args.dask_articles} articles: {seconds:.1f} s")
            print(f"dask speed-up 2 vs 1 workers: identical outputs {outputs[1] == outputs[2]}")
        for size in args.sizes:
            subset = scratch / f"allsides_{size}.csv"
            raw.head(size).to_csv(subset, index=False)
            corpus = scratch / f"allsides_{size}.parquet"
            seconds, peak = timed(
                [
                    *framing,
                    "import",
                    str(subset),
                    "--out",
                    str(corpus),
                    "--domain-col",
                    "source_url",
                ]
            )
            print(f"import {size}: {seconds:.1f} s, peak {peak:.0f} MB")
            seconds, peak = timed(
                [
                    *framing,
                    "run",
                    str(corpus),
                    "--out",
                    str(scratch / f"run{size}"),
                    "--no-cache",
                    "--workers",
                    str(args.workers),
                ]
            )
            print(f"run {size} (--workers {args.workers}): {seconds:.1f} s, peak {peak:.0f} MB")
            subset.unlink()


if __name__ == "__main__":
    main()
