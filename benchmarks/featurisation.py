"""Per-sentence measures against VADER alone, on the same sentences in the same run.

Usage: python benchmarks/featurisation.py [--articles N] [--chunk-articles C]

Samples 2N AllSides articles (fixed seed) and goes through them C articles at a time (by
default 500, as ``framing run`` does), cleaning and splitting each chunk. For each chunk it
times (a) VADER alone on every sentence and, straight after, (b) the whole featurisation of
the same chunk: quotations and speakers, narration/quotation segments, codebook frames with
negation/hedging, and VADER per sentence and per segment. The two are interleaved chunk by
chunk, so a burst of load from another process on a shared machine falls on both alike; a
single VADER pass followed by a single full pass gave ratios from 2.5 to 4.0 on the same
sample on the same day. The chunk size matters: every chunk pays fixed pandas costs, so
chunks of 50 articles gave a ratio about 1.3 times that of chunks of 500.

Prints words per second per core for each and their ratio, for the first N articles (the
per-word caches, stems and indicator triggers, start empty) and for the second N (caches
filled by the first half, as in every chunk but a worker's first in a long run).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.core.config import RANDOM_SEED, SHARED_DATA_DIR
from analysis.io.chunks import DEFAULT_CHUNK_SIZE
from analysis.study import measures
from analysis.study.load import study_from_articles
from analysis.text.tokens import count_words

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"


def featurise(raw: pd.DataFrame) -> dict[str, float]:
    """CPU seconds of VADER alone and of the whole featurisation on ``raw``'s articles."""
    study = study_from_articles(raw, ALLSIDES)
    words = sum(count_words(text) for text in study.sentences["text"])
    start = time.process_time()
    stock = SentimentIntensityAnalyzer()  # VADER alone: the stock analyzer, not the package's
    for text in study.sentences["text"]:
        stock.polarity_scores(text)
    vader = time.process_time() - start
    start = time.process_time()
    measures.evidence(study)
    measures.tone_per_sentence(study)
    measures.tone_per_segment(study)
    full = time.process_time() - start
    return {
        "articles": len(study.articles),
        "sentences": len(study.sentences),
        "words": words,
        "vader": vader,
        "full": full,
    }


def featurise_in_chunks(raw: pd.DataFrame, chunk_articles: int) -> dict[str, float]:
    """:func:`featurise` on consecutive chunks of ``chunk_articles`` articles, summed."""
    totals = dict.fromkeys(["articles", "sentences", "words", "vader", "full"], 0.0)
    for first in range(0, len(raw), chunk_articles):
        for key, value in featurise(raw.iloc[first : first + chunk_articles]).items():
            totals[key] += value
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chunk-articles", type=int, default=DEFAULT_CHUNK_SIZE)
    args = parser.parse_args()
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False)
    raw = raw.sample(n=2 * args.articles, random_state=RANDOM_SEED)
    raw = raw.rename(columns={"id": "doc_id"}).assign(wire="")
    for label, part in [
        ("first sample (cold caches)", raw.iloc[: args.articles]),
        ("second sample (warm caches)", raw.iloc[args.articles :]),
    ]:
        result = featurise_in_chunks(part, args.chunk_articles)
        words, vader, full = result["words"], result["vader"], result["full"]
        print(
            f"{label}: articles {result['articles']:.0f}, sentences {result['sentences']:.0f}, "
            f"words {words:.0f}, chunks of {args.chunk_articles} articles"
        )
        print(f"  VADER alone:          {words / vader:10.0f} words/s per core ({vader:.1f} s CPU)")
        print(f"  whole featurisation:  {words / full:10.0f} words/s per core ({full:.1f} s CPU)")
        print(f"  ratio (featurisation / VADER alone): {full / vader:.2f}  (target <= 1.8)")


if __name__ == "__main__":
    main()
