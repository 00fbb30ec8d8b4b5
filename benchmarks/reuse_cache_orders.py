"""How many article features shared-text verification makes, for three orders of its blocks.

Verification (:func:`analysis.reuse.detect_reuse`) keeps at most ``_CACHED_ARTICLES`` articles'
features between blocks of candidate pairs and remakes the others when a later block needs
them. This script finds the candidate pairs of the first N AllSides articles, then replays the
cache (the detector's own eviction, :meth:`analysis.reuse.verify._Verifier._forget`) without
comparing anything, for the detector's blocks and for blocks of first articles taken in three
orders: article order (the detector's until commit 1b024e0, which also cut blocks at reading
chunks), outlet then article, and a bandwidth-reducing order of the candidate graph (reverse
Cuthill-McKee, the detector's since), which puts articles that are candidates of each other
near each other. It prints the features each order makes.

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
    verifier: reuse_verify._Verifier, blocks: list[np.ndarray], needs: np.ndarray
) -> int:
    """Articles whose features the blocks make, in order, with the detector's cache policy."""
    verifier.cache, verifier.needs, verifier.n_blocks = {}, needs, len(blocks)
    made = 0
    for number, block in enumerate(blocks):
        missing = [int(p) for p in np.unique(block) if int(p) not in verifier.cache]
        made += len(missing)
        verifier.cache.update(dict.fromkeys(missing))
        verifier._forget(number)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=10_000, help="first N articles")
    arguments = parser.parse_args()
    verifier, blocks = candidate_blocks(arguments.limit)
    candidates = np.concatenate(blocks)
    n_articles = len(verifier.texts)
    codes = np.asarray(verifier.outlet_codes, dtype=np.int64)
    within = (codes[candidates[:, 0]] == codes[candidates[:, 1]]).mean()
    print(
        f"{n_articles:,} articles, {len(candidates):,} candidate pairs "
        f"({within:.1%} within one outlet), {len(blocks)} blocks; "
        f"cache of {reuse_verify._CACHED_ARTICLES:,} articles"
    )
    print(f"detector's order: {features_made(verifier, blocks, verifier.needs):,} features made")
    for label, rank in [
        ("article order", None),
        ("outlet, then article", codes),
        ("reverse Cuthill-McKee", reuse_verify._bandwidth_rank(candidates, n_articles)),
    ]:
        made = features_made(verifier, *reuse_verify._blocks(candidates, rank))
        print(f"{label}: {made:,} features made")


if __name__ == "__main__":
    main()
