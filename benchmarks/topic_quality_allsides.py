"""Choosing k on a user-sized corpus: batch against online LDA in ``topic_quality``.

Usage: python benchmarks/topic_quality_allsides.py --learning {batch,online} [--units N]

Takes the paragraphs (lines of more than five words) of the first 1,500 AllSides articles, a
seeded sample of ``--units`` of them (default 1,500), and runs
:func:`analysis.topics.topic_quality` for LDA with k = 2 to 8 (each k fitted once and refitted
five times for stability), in batch (``online_units=None``) or online (minibatches of
:data:`analysis.topics.QUALITY_ONLINE_BATCH`). Prints the quality table, the k that
:func:`analysis.topics.choose_k` picks, and the CPU time. Run both back to back (or at once on
two cores) and compare the curves and the times.
"""

from __future__ import annotations

import argparse
import re
import sys
import time

import numpy as np
import pandas as pd

from analysis.core.config import SHARED_DATA_DIR
from analysis.topics import QUALITY_ONLINE_BATCH, choose_k, topic_quality

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learning", choices=["batch", "online"], required=True)
    parser.add_argument("--units", type=int, default=1_500)
    args = parser.parse_args()
    if not ALLSIDES.is_file():
        sys.exit(f"AllSides data not found at {ALLSIDES} (set FRAMING_SHARED_DATA)")
    articles = pd.read_csv(ALLSIDES, nrows=1_500, dtype=str, keep_default_na=False)
    paragraphs = [
        line for text in articles["text"] for line in re.split(r"\n", text) if len(line.split()) > 5
    ]
    chosen = np.random.default_rng(0).choice(len(paragraphs), args.units, replace=False)
    texts = [paragraphs[i] for i in np.sort(chosen)]
    params = {"batch_size": QUALITY_ONLINE_BATCH} if args.learning == "online" else {}
    start = time.process_time()
    quality = topic_quality(texts, methods=["lda"], model_params=params, online_units=None)
    seconds = time.process_time() - start
    print(quality.round(3).to_string(index=False))
    print(f"{args.learning}: chosen k {choose_k(quality, method='lda')}, {seconds:.0f} s CPU")


if __name__ == "__main__":
    main()
