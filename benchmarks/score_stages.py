"""Where ``framing score``'s CPU goes, table by table, in a new process (issue 22, item 1).

Usage: python benchmarks/score_stages.py [--articles 500]

Samples ``--articles`` AllSides articles as ``benchmarks/score.py`` does (fixed seed; control
characters removed), writes them as one CSV corpus, then in this process (caches cold: the
Porter stems and VADER words are met for the first time, as in a user's ``framing score`` run)
times in CPU seconds loading the study (reading, checking, cleaning, Punkt splitting) and then
each derived table that ``framing score`` computes, in the order it needs them, each timed on
its own (a table's inputs are computed before it). Prints one line per stage and the floor of
``benchmarks/score.py`` (Punkt splitting plus stock VADER) over the same texts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.core.config import RANDOM_SEED, SHARED_DATA_DIR
from analysis.io.checks import CONTROL_CHARACTERS
from analysis.study import measures
from analysis.study.load import load_study

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score import punkt_vader  # noqa: E402  (the floor, measured as benchmarks/score.py does)

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"
#: The tables ``measures.score_table`` reads, each after the ones it is computed from.
STAGES = (
    "quotations",
    "segments",
    "voice",
    "evidence",
    "frames_per_sentence",
    "frames_per_title",
    "frames_per_article",
    "tone_per_sentence",
    "tone_per_segment",
    "tone_per_article",
    "reuse_detection",
    "reuse_per_sentence",
    "shared_share_per_article",
    "frames_per_article_own",
    "tone_per_article_own",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False)
    raw = raw.sample(n=args.articles, random_state=RANDOM_SEED)[
        ["id", "outlet", "date", "title", "text"]
    ]
    raw = raw.assign(text=raw["text"].str.replace(CONTROL_CHARACTERS, "", regex=True))
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.csv"
        raw.to_csv(corpus, index=False)
        started = time.process_time()
        study = load_study(corpus)
        total = time.process_time() - started
        print(f"{'loading, cleaning, splitting':32s} {total:6.2f} s")
        for name in STAGES:
            started = time.process_time()
            getattr(measures, name)(study)
            seconds = time.process_time() - started
            total += seconds
            print(f"{name:32s} {seconds:6.2f} s")
    print(f"{'all':32s} {total:6.2f} s CPU for {args.articles} articles")
    floor, _, _ = punkt_vader(raw["text"].tolist())
    print(f"floor (Punkt + stock VADER, as benchmarks/score.py): {floor:.2f} s")
    print(f"ratio (all / floor): {total / floor:.2f}")


if __name__ == "__main__":
    main()
