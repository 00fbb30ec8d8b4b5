"""Per-sentence measures against VADER alone, on the same sentences in the same run.

Usage: python benchmarks/featurisation.py [--articles N]

Samples 2N AllSides articles (fixed seed) and, for each half in turn (the first with the
per-word caches empty, the second after it), cleans and splits them, then times (a) VADER alone on
every sentence and (b) the whole featurisation: quotations and speakers, narration/quotation
segments, codebook frames with negation/hedging, and VADER per sentence and per segment.
Prints words per second per core for each and their ratio.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from analysis import measures
from analysis.config import RANDOM_SEED, SHARED_DATA_DIR
from analysis.pipeline import study_from_articles
from analysis.sentences import count_words
from analysis.sentiment import iter_compound

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"


def featurise(raw: pd.DataFrame) -> dict[str, float]:
    """CPU seconds of VADER alone and of the whole featurisation on ``raw``'s articles."""
    study = study_from_articles(raw, ALLSIDES)
    words = sum(count_words(text) for text in study.sentences["text"])
    start = time.process_time()
    for _ in iter_compound(study.sentences["text"]):
        pass
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False)
    raw = raw.sample(n=2 * args.articles, random_state=RANDOM_SEED)
    raw = raw.rename(columns={"id": "doc_id"}).assign(wire="")
    # The first sample starts with empty per-word caches (stems, indicator triggers); the
    # second runs after it, as every chunk but a worker's first does in a long run.
    for label, part in [
        ("first sample (cold caches)", raw.iloc[: args.articles]),
        ("second sample (warm caches)", raw.iloc[args.articles :]),
    ]:
        result = featurise(part)
        words, vader, full = result["words"], result["vader"], result["full"]
        print(
            f"{label}: articles {result['articles']}, sentences {result['sentences']}, "
            f"words {words}"
        )
        print(f"  VADER alone:          {words / vader:10.0f} words/s per core ({vader:.1f} s CPU)")
        print(f"  whole featurisation:  {words / full:10.0f} words/s per core ({full:.1f} s CPU)")
        print(f"  ratio (featurisation / VADER alone): {full / vader:.2f}  (target <= 1.8)")


if __name__ == "__main__":
    main()
