"""Do the topic models recover known topics? NMI and purity on BBC News's five sections.

Usage: python benchmarks/topics_bbc.py [--per-category N]

Reads the shared BBC News data set (2,225 articles, 2,092 distinct texts; business,
entertainment, politics, sport, tech), keeps each text once, and runs
:func:`analysis.topics.topic_validity`: LDA and NMF with five topics on whole articles, each
article assigned to its largest topic, compared with the sections by normalised mutual
information and purity. Prints one line per method with the CPU time. ``--per-category N``
keeps the first N distinct articles of each section (the test uses 60).
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from analysis.core.config import SHARED_DATA_DIR
from analysis.topics import METHODS, topic_validity

BBC = SHARED_DATA_DIR / "bbc_news.csv.xz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-category", type=int, default=None)
    args = parser.parse_args()
    if not BBC.is_file():
        sys.exit(f"BBC News data not found at {BBC} (set FRAMING_SHARED_DATA)")
    news = pd.read_csv(BBC, dtype=str, keep_default_na=False).drop_duplicates("text")
    if args.per_category:
        news = news.groupby("category", sort=True).head(args.per_category)
    print(f"articles {len(news)} (distinct texts), sections {news['category'].nunique()}")
    for method in METHODS:
        start = time.process_time()
        row = topic_validity(news, methods=[method]).iloc[0]
        seconds = time.process_time() - start
        print(
            f"{method.upper():4s} k={row['n_topics']}  NMI {row['nmi']:.3f}  "
            f"purity {row['purity']:.3f}  ({seconds:.0f} s CPU)"
        )


if __name__ == "__main__":
    main()
