"""Extrapolate the pipeline's stage times and memory from the scaling table to a larger corpus.

Usage: python benchmarks/extrapolate.py SCALING_JSON [--articles 500000] [--cores 2 16]

SCALING_JSON is what ``benchmarks/scale.py --scaling N ... --keep DIR`` writes
(``DIR/scaling.json``: one row per stage and size with its wall seconds and peak Pss). For each
stage a power law ``y = a * n ** b`` is fitted by least squares on log-log axes to the sizes
measured. Time is extrapolated from the largest size measured with the fitted exponent, or 1 if
the fit is below 1 (no stage's work can grow more slowly than the corpus; a fitted exponent
below 1 comes from a noisy measurement at a smaller size); memory with the fitted exponent.
This is an extrapolation, not a measurement: it
assumes that no stage changes behaviour between the largest size measured and the target (no
swapping, no new kind of work). On more cores it gives two bounds: no gain (what the
two-core machine measured when two local workers were compared with one) and perfect
scaling of the measured time by ``2 / cores``, which no stage reaches (reading the corpus and
fitting the topic model run in one process).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def power_law(sizes: list[int], values: list[float]) -> tuple[float, float]:
    """``(a, b)`` of ``values = a * sizes ** b``, least squares on logarithms."""
    slope, intercept = np.polyfit(np.log(sizes), np.log(values), 1)
    return float(np.exp(intercept)), float(slope)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scaling", type=Path)
    parser.add_argument("--articles", type=int, default=500_000)
    parser.add_argument("--cores", type=int, nargs="+", default=[2, 16])
    args = parser.parse_args()
    rows = json.loads(args.scaling.read_text())
    stages = list(dict.fromkeys(row["stage"] for row in rows))
    print(
        "| stage | time exponent (fitted) | memory exponent | "
        f"time at {args.articles:,} articles, 2 cores | "
        f"on {max(args.cores)} cores (perfect scaling to no gain) | peak memory |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    total = 0.0
    for stage in stages:
        measured = [row for row in rows if row["stage"] == stage]
        sizes = [row["articles"] for row in measured]
        _, b_time = power_law(sizes, [row["seconds"] for row in measured])
        a_memory, b_memory = power_law(sizes, [row["peak_mb"] for row in measured])
        largest = max(measured, key=lambda row: row["articles"])
        growth = args.articles / largest["articles"]
        seconds = largest["seconds"] * growth ** max(b_time, 1.0)
        memory = a_memory * args.articles**b_memory
        total += seconds
        best = seconds * 2 / max(args.cores)
        print(
            f"| {stage} | {b_time:.2f} | {b_memory:.2f} | {seconds / 60:,.0f} min | "
            f"{best / 60:,.0f} to {seconds / 60:,.0f} min | {memory / 1024:,.1f} GB |"
        )
    print(
        f"| **pipeline** | | | **{total / 3600:,.1f} h** | "
        f"**{total * 2 / max(args.cores) / 3600:,.1f} to {total / 3600:,.1f} h** | |"
    )


if __name__ == "__main__":
    main()
