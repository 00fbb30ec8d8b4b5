"""How many article features shared-text verification makes, for four ways to block its pairs.

Verification (:func:`analysis.reuse.detect_reuse`) keeps at most ``_CACHED_ARTICLES`` articles'
features between blocks of candidate pairs and remakes the others when a later block needs
them. This script finds the candidate pairs of the first N AllSides articles, then replays the
cache (the detector's own eviction, :meth:`analysis.reuse.verify._Verifier._forget`) without
comparing anything, in one process and with two workers taking the blocks in turn, for:
pairs grouped by first article in article order (the detector's until commit 1b024e0, which
also cut blocks at reading chunks); by first article, the first articles taken outlet by
outlet; by first article, the first articles taken in a bandwidth-reducing order of the
candidate graph (reverse Cuthill-McKee: the detector's from 1b024e0 to 2026-12-07); and grouped
by the lower-ranked article of each pair in that order, its partners in the same order
(:func:`analysis.reuse.verify._blocks`, the detector's since). It prints the features each
makes.

Usage: .venv/bin/python benchmarks/reuse_cache_orders.py [--limit N]
"""

from __future__ import annotations

import argparse

import numpy as np
from reuse_allsides import CORPUS, read_articles

from analysis.reuse import detect as reuse_detect
from analysis.reuse import verify as reuse_verify
from analysis.text.sentences import split_sentences


def candidate_blocks(limit: int | None) -> tuple[reuse_verify._Verifier, list[np.ndarray]]:
    """The detector's verifier and blocks for the first ``limit`` articles (nothing verified)."""
    articles = read_articles(CORPUS, limit)
    sentences = split_sentences(articles).drop(columns=["text"])
    captured = {}

    def keep(verifier, blocks, workers, done):
        captured.update(verifier=verifier, blocks=blocks)
        return [], [], []

    verify, reuse_detect._verify = reuse_detect._verify, keep
    try:
        reuse_detect.detect_reuse(articles, sentences, method="lsh")
    finally:
        reuse_detect._verify = verify
    return captured["verifier"], captured["blocks"]


def features_made(
    verifier: reuse_verify._Verifier, blocks: list[np.ndarray], needs: np.ndarray, workers: int
) -> int:
    """Articles whose features the blocks make, in order, with the detector's cache policy;
    with ``workers`` > 1, block ``i`` goes to worker ``i % workers``, each with its own cache."""
    made = 0
    for worker in range(workers):
        verifier.cache, verifier.needs, verifier.n_blocks = {}, needs, len(blocks)
        for number in range(worker, len(blocks), workers):
            missing = [int(p) for p in np.unique(blocks[number]) if int(p) not in verifier.cache]
            made += len(missing)
            verifier.cache.update(dict.fromkeys(missing))
            verifier._forget(number)
    return made


def by_first_article(
    candidates: np.ndarray, rank: np.ndarray | None
) -> tuple[list[np.ndarray], np.ndarray]:
    """Blocks of pairs grouped by first article (in article order), the first articles taken
    in the order of ``rank``: the detector's blocks before it grouped by lower rank."""
    first_rank = candidates[:, 0] if rank is None else rank[candidates[:, 0]]
    ordered = candidates[np.lexsort((candidates[:, 1], candidates[:, 0], first_rank))]
    return reuse_verify._cut_blocks(ordered, reuse_verify._MAX_BLOCK_PAIRS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10_000, help="first N articles")
    arguments = parser.parse_args()
    verifier, blocks = candidate_blocks(arguments.limit)
    candidates = np.concatenate(blocks)
    candidates = candidates[np.lexsort((candidates.max(axis=1), candidates.min(axis=1)))]
    candidates = np.column_stack([candidates.min(axis=1), candidates.max(axis=1)])
    n_articles = len(verifier.texts)
    codes = np.asarray(verifier.outlet_codes, dtype=np.int64)
    within = (codes[candidates[:, 0]] == codes[candidates[:, 1]]).mean()
    print(
        f"{n_articles:,} articles, {len(candidates):,} candidate pairs "
        f"({within:.1%} within one outlet), {len(blocks)} blocks; "
        f"cache of {reuse_verify._CACHED_ARTICLES:,} articles"
    )
    rank = reuse_verify._bandwidth_rank(candidates, n_articles)
    for label, made_blocks in [
        ("first article, article order", by_first_article(candidates, None)),
        ("first article, outlet then article", by_first_article(candidates, codes)),
        ("first article, reverse Cuthill-McKee", by_first_article(candidates, rank)),
        ("lower-ranked article, reverse Cuthill-McKee", reuse_verify._blocks(candidates, rank)),
    ]:
        one = features_made(verifier, *made_blocks, workers=1)
        two = features_made(verifier, *made_blocks, workers=2)
        print(f"{label}: {one:,} features made in one process, {two:,} with two workers")


if __name__ == "__main__":
    main()
