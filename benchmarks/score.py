"""`framing score` as a user runs it against Punkt plus VADER alone, on the same texts in one run.

Usage: python benchmarks/score.py [--articles N] [--chunk-articles C] [--profile FILE]

Samples N AllSides articles (fixed seed) and writes them as corpora of C articles each (CSV, the
columns a user gives; control characters, which the corpus check refuses, removed). For each
corpus, one straight after the other, it times in CPU seconds:

(a) the floor: Punkt sentence splitting (the package's own tokenizer, parameters and
    paragraphs) of every article's text, then VADER compound of every sentence with the stock
    ``vaderSentiment`` analyzer (not the package's faster one, which gives the same scores);
(b) ``framing score CORPUS --out scores.csv --evidence evidence.csv`` run in this process:
    loading and checking the file, cleaning, splitting, quotations and speakers, segments,
    frames, tone per sentence and per segment, shared text among the corpus's articles, the
    per-article table, and writing both CSVs.

Interleaving the two corpus by corpus makes a burst of load from another process on a shared
machine fall on both alike. Prints words per second per core for each and the ratio (b)/(a),
per corpus and in total (the issue's target: at most 1.8). ``--profile FILE`` writes a cProfile
of the (b) runs.
"""

from __future__ import annotations

import argparse
import cProfile
import tempfile
import time
from functools import cache
from pathlib import Path

import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import analysis.study.measures  # noqa: F401  (imported here, so no run times the imports)
from analysis.cli.main import main as framing
from analysis.core.config import RANDOM_SEED, SHARED_DATA_DIR
from analysis.io.checks import CONTROL_CHARACTERS
from analysis.text.sentences import paragraph_spans, sentence_spans
from analysis.text.tokens import count_words

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"


def punkt_vader(texts: list[str]) -> tuple[float, int, int]:
    """CPU seconds of Punkt splitting and (stock) VADER scoring of ``texts``; sentences;
    words."""
    analyzer = _stock_vader()
    start = time.process_time()
    sentences = [
        text[para_start + begin : para_start + end]
        for text in texts
        for para_start, para_end in paragraph_spans(text)
        for begin, end in sentence_spans(text[para_start:para_end])
    ]
    for sentence in sentences:
        analyzer.polarity_scores(sentence)
    seconds = time.process_time() - start
    return seconds, len(sentences), sum(count_words(text) for text in texts)


@cache
def _stock_vader() -> SentimentIntensityAnalyzer:
    """The stock VADER analyzer (its lexicon read once)."""
    return SentimentIntensityAnalyzer()


def score(corpus: Path, out: Path, profiler: cProfile.Profile | None) -> float:
    """CPU seconds of ``framing score`` on ``corpus``, its outputs written under ``out``."""
    argv = ["score", str(corpus), "--out", str(out / "scores.csv")]
    argv += ["--evidence", str(out / "evidence.csv")]
    start = time.process_time()
    if profiler is not None:
        profiler.enable()
    code = framing(argv)
    if profiler is not None:
        profiler.disable()
    seconds = time.process_time() - start
    if code:
        raise SystemExit(f"framing score failed on {corpus} (exit {code})")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chunk-articles", type=int, default=500)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the score runs here")
    args = parser.parse_args()
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False)
    raw = raw.sample(n=args.articles, random_state=RANDOM_SEED)[
        ["id", "outlet", "date", "title", "text"]
    ]
    # control characters, which the corpus check refuses (a few AllSides texts have them), are
    # removed, as a user would before running ``framing score``
    raw = raw.assign(text=raw["text"].str.replace(CONTROL_CHARACTERS, "", regex=True))
    profiler = cProfile.Profile() if args.profile else None
    totals = {"floor": 0.0, "score": 0.0, "words": 0, "sentences": 0}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for first in range(0, len(raw), args.chunk_articles):
            chunk = raw.iloc[first : first + args.chunk_articles]
            corpus = work / f"corpus_{first}.csv"
            chunk.to_csv(corpus, index=False)
            floor, sentences, words = punkt_vader(chunk["text"].tolist())
            full = score(corpus, work, profiler)
            totals["floor"] += floor
            totals["score"] += full
            totals["words"] += words
            totals["sentences"] += sentences
            print(
                f"  articles {first}-{first + len(chunk) - 1}: Punkt+VADER {floor:6.1f} s, "
                f"framing score {full:6.1f} s, ratio {full / floor:.2f}",
                flush=True,
            )
    floor, full, words = totals["floor"], totals["score"], totals["words"]
    print(
        f"{args.articles} articles in corpora of {args.chunk_articles}: {words:.0f} words, "
        f"{totals['sentences']:.0f} Punkt sentences"
    )
    print(f"  Punkt + VADER alone: {words / floor:10.0f} words/s per core ({floor:.1f} s CPU)")
    print(f"  framing score:       {words / full:10.0f} words/s per core ({full:.1f} s CPU)")
    print(f"  ratio (framing score / Punkt+VADER): {full / floor:.2f}  (target <= 1.8)")
    if profiler is not None:
        profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
