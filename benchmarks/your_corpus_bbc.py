"""A new user's corpus, start to finish: `framing figures` then `framing report` on 150 BBC
News articles, timed (issue 23).

Usage: python benchmarks/your_corpus_bbc.py [--per-category 30] [--workers 2] [--keep DIR]

Writes a corpus CSV of the first N distinct articles of each of the five BBC sections (the
section as the outlet, no dates) into a temporary folder, never into the repository, then runs
the real command line as the README's "Bring your own corpus" does:

    framing figures --corpus bbc.csv --out figures --workers 2
    framing report --corpus bbc.csv --out report --figures-dir figures

Each command's wall time, its CPU time with its worker processes (user + system), the load
average of the machine when it started, and its progress lines (one per stage; the lines of
choosing k and the three slowest figures are printed). The target: the figures in under
2 minutes, both commands together in under 3, on two cores. ``--keep DIR`` keeps the corpus
and the outputs in DIR (to look at report.html).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.core.config import SHARED_DATA_DIR

BBC = SHARED_DATA_DIR / "bbc_news.csv.xz"


def bbc_corpus(path: Path, per_category: int) -> Path:
    """The first ``per_category`` distinct articles of each BBC section, as a corpus CSV."""
    news = pd.read_csv(BBC, dtype=str, keep_default_na=False).drop_duplicates("text")
    news = news.groupby("category", sort=True).head(per_category)
    corpus = pd.DataFrame(
        {
            "id": news["id"],
            "outlet": news["category"],
            "date": "",
            "title": news["title"],
            "text": news["text"],
        }
    )
    corpus.to_csv(path, index=False)
    return path


def run(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the command and its workers, and its standard error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env={**os.environ, "FRAMING_PROGRESS": "log"},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{completed.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, completed.stderr


def slowest(log: str, count: int = 3) -> list[str]:
    """The ``count`` slowest figure lines of a progress log."""
    lines = [line for line in log.splitlines() if re.match(r"framing: figure \d+/", line)]
    seconds = [float(re.search(r"\((\d+\.\d) s\)$", line).group(1)) for line in lines]
    return [line for _, line in sorted(zip(seconds, lines, strict=True), reverse=True)[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="folder to keep the corpus and the outputs in")
    args = parser.parse_args()
    if not BBC.is_file():
        sys.exit(f"BBC News data not found at {BBC} (set FRAMING_SHARED_DATA)")
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        corpus = bbc_corpus(root / "bbc.csv", args.per_category)
        framing = [sys.executable, "-m", "analysis"]
        steps = {
            "figures": [
                *framing, "figures", "--corpus", str(corpus), "--out", str(root / "figures"),
                "--workers", str(args.workers),
            ],
            "report": [
                *framing, "report", "--corpus", str(corpus), "--out", str(root / "report"),
                "--figures-dir", str(root / "figures"),
            ],
        }  # fmt: skip
        print(f"corpus: {len(pd.read_csv(corpus))} BBC articles, {os.cpu_count()} cores")
        total = 0.0
        for name, command in steps.items():
            load = os.getloadavg()[0]
            wall, cpu, log = run(command)
            total += wall
            print(f"framing {name}: {wall:.1f} s wall, {cpu:.1f} s CPU (load {load:.1f} at start)")
            for line in log.splitlines():
                if "choosing k" in line or "loaded" in line:
                    print("   ", line)
            for line in slowest(log):
                print("   ", line)
        print(f"both: {total:.1f} s wall")


if __name__ == "__main__":
    main()
