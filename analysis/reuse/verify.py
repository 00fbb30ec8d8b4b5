"""Verifying candidate pairs: blocks of pairs, a screen of each article against all its
partners, exact comparison, a cache of article features, and the worker processes.

Blocks are independent and every pair is verified alone, so the rows are the same in one
process or in several (:func:`_verify`); the detector sorts them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import reverse_cuthill_mckee
from threadpoolctl import threadpool_limits

from analysis.core.parallel import ordered_map
from analysis.reuse.compare import _pair_rows
from analysis.reuse.features import (
    _MAX_CACHED_TOKENS,
    _Article,
    _article_features,
    _dense_on,
    _sentence_keys,
    _TokenHashes,
    _weight,
)
from analysis.reuse.settings import ReuseSettings

#: Slack of the screening cosine (:func:`_may_share`): its sums run in another order than the
#: exact cosine's, which moves them by about 1e-16 per term, far below this.
_SCREEN_SLACK = 1e-6


def _judged(article: _Article, settings: ReuseSettings) -> np.ndarray:
    """Sentences that can be in a rewrite pair: long enough and not template text."""
    return (article.sentence_words >= settings.min_rewrite_words) & ~article.template


def _may_share(a: _Article, others: list[_Article], settings: ReuseSettings) -> np.ndarray:
    """For each of ``others``, whether the pair with ``a`` can share anything at all.

    A necessary condition, checked for all of ``a``'s candidate partners at once: a verbatim
    passage needs a shingle in both articles; a verbatim sentence pair needs a passage or
    two identical sentences; a rewrite pair needs two judged sentences with a TF-IDF cosine at
    the threshold. The cosines here are one sparse-times-dense product over the partners'
    stacked sentences, with :data:`_SCREEN_SLACK` below the threshold for the different order
    of summation; a pair that passes is compared exactly by :func:`_compare`, so the results
    are those of comparing every pair.
    """
    n = len(others)
    found = np.zeros(n, dtype=bool)
    if not n:
        return found
    minimum = settings.min_rewrite_words
    for values, reference in (
        ([b.shingles for b in others], a.shingles),
        (
            [b.sentence_keys[b.sentence_words >= minimum] for b in others],
            a.sentence_keys[a.sentence_words >= minimum],
        ),
    ):
        owners = np.repeat(np.arange(n), [len(part) for part in values])
        found[owners[_isin_sorted(np.concatenate(values), np.sort(reference))]] = True
    judged_a = np.flatnonzero(_judged(a, settings))
    if not len(judged_a) or found.all():
        return found
    dense_a = _dense_on(a, np.arange(len(a.columns)))[judged_a].T  # a's columns x sentences
    data, columns, rows, owners = [], [], [], []
    n_rows = 0
    for number, b in enumerate(others):
        judged_b = _judged(b, settings)
        if found[number] or not judged_b.any():
            continue
        keep = judged_b[b.entry_rows]
        data.append(b.vectors.data[keep])
        columns.append(b.vectors.indices[keep])
        rows.append(b.entry_rows[keep] + n_rows)
        owners.append(np.full(len(judged_b), number))
        n_rows += len(judged_b)
    if not n_rows:
        return found
    columns = np.concatenate(columns)
    # onto a's columns: entries in columns a does not use contribute nothing
    local = np.minimum(np.searchsorted(a.columns, columns), len(a.columns) - 1)
    keep = a.columns[local] == columns
    on_a = sparse.csr_matrix(
        (np.concatenate(data)[keep], (np.concatenate(rows)[keep], local[keep])),
        shape=(n_rows, len(a.columns)),
    )
    reach = np.zeros(n)
    np.maximum.at(reach, np.concatenate(owners), (on_a @ dense_a).max(axis=1))
    return found | (reach >= settings.rewrite_threshold - 1e-9 - _SCREEN_SLACK)


def _isin_sorted(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``np.isin(values, reference)`` for a sorted ``reference``."""
    if not len(reference):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(reference, values), len(reference) - 1)
    return reference[at] == values


@dataclass
class _Verifier:
    """Verifies candidate pairs block by block, keeping article features between blocks.

    One is made in the main process, or one in each worker process (:func:`_start_worker`);
    every one gives the same rows for the same pair.
    """

    texts: list[str]
    spans: np.ndarray
    offsets: np.ndarray
    outlet_codes: np.ndarray
    templates: np.ndarray
    idf: np.ndarray
    settings: ReuseSettings
    doc_ids: np.ndarray
    outlets: np.ndarray
    needs: np.ndarray  # sorted codes position * n_blocks + block of the articles each block uses
    n_blocks: int
    cache: dict = field(default_factory=dict)
    hashes: _TokenHashes = field(default_factory=_TokenHashes)

    def articles(self, positions: np.ndarray) -> dict[int, _Article]:
        """Weighted features of the articles at ``positions``, from the cache or made now."""
        missing = [int(p) for p in positions if int(p) not in self.cache]
        made = []
        for p in missing:
            article = _article_features(
                p,
                self.texts[p],
                self.spans[self.offsets[p] : self.offsets[p + 1]],
                self.settings,
                self.hashes,
            )
            if len(self.templates):
                keys = _sentence_keys(article, self.outlet_codes[p])
                article.template = np.isin(keys, self.templates)
            made.append(article)
        if len(self.hashes) > _MAX_CACHED_TOKENS:
            self.hashes.clear()
        _weight(made, self.idf)
        self.cache.update((article.position, article) for article in made)
        return {int(p): self.cache[int(p)] for p in positions}

    def verify(self, number: int, block: np.ndarray) -> tuple[list, list, list]:
        """Rows of the candidate pairs of one block (sorted by first article), then forget the
        articles no later block uses and, beyond :data:`_CACHED_ARTICLES`, those used last."""
        passage_rows: list = []
        match_rows: list = []
        pair_rows: list = []
        if len(block):
            articles = self.articles(np.unique(block))
            starts = np.flatnonzero(np.r_[True, block[1:, 0] != block[:-1, 0]])
            with threadpool_limits(limits=1, user_api="blas"):
                for lo, hi in zip(starts, np.r_[starts[1:], len(block)], strict=True):
                    a = articles[int(block[lo, 0])]
                    others = [articles[int(p)] for p in block[lo:hi, 1]]
                    for b, passes in zip(others, _may_share(a, others, self.settings), strict=True):
                        if passes:
                            rows = _pair_rows(a, b, self.settings, self.doc_ids, self.outlets)
                            passage_rows += rows[0]
                            match_rows += rows[1]
                            pair_rows += rows[2]
        self._forget(number)
        return passage_rows, match_rows, pair_rows

    def _forget(self, number: int) -> None:
        if not self.cache:
            return
        positions = np.fromiter(self.cache, dtype=np.int64, count=len(self.cache))
        # the next block after this one that uses each cached article (n_blocks: none)
        at = np.searchsorted(self.needs, positions * self.n_blocks + number + 1)
        at = np.minimum(at, len(self.needs) - 1)
        later = self.needs[at] if len(self.needs) else np.zeros(len(positions), np.int64)
        used = (later // self.n_blocks == positions) & (later % self.n_blocks > number)
        next_use = np.where(used, later % self.n_blocks, self.n_blocks)
        order = np.lexsort((positions, next_use))
        drop = positions[order][_CACHED_ARTICLES:].tolist() + positions[~used].tolist()
        for position in drop:
            self.cache.pop(position, None)


#: Articles whose features are kept between blocks (about 0.25 MB each for a news article).
_CACHED_ARTICLES = 2000

_WORKER: _Verifier | None = None


def _start_worker(verifier: _Verifier) -> None:
    global _WORKER
    _WORKER = verifier


def _verify_in_worker(number: int, block: np.ndarray) -> tuple[list, list, list]:
    return _WORKER.verify(number, block)


def _verify(
    verifier: _Verifier, blocks: list[np.ndarray], workers: int, done
) -> tuple[list, list, list]:
    """Verify every block, in this process or in ``workers`` processes; the rows are the
    same either way (every pair is verified alone, and the tables are sorted afterwards)."""
    passage_rows: list = []
    match_rows: list = []
    pair_rows: list = []

    def collect(rows: tuple[list, list, list], n_pairs: int) -> None:
        passage_rows.extend(rows[0])
        match_rows.extend(rows[1])
        pair_rows.extend(rows[2])
        for _ in range(n_pairs):
            next(done, None)

    in_workers = workers > 1 and len(blocks) > 1
    results = ordered_map(
        _verify_in_worker if in_workers else verifier.verify,
        enumerate(blocks),
        workers=workers if in_workers else 1,
        initializer=_start_worker,
        initargs=(verifier,),
    )
    for rows, block in zip(results, blocks, strict=True):  # rows arrive in block order
        collect(rows, len(block))
    return passage_rows, match_rows, pair_rows


def _blocks(
    candidates: np.ndarray, rank: np.ndarray | None = None, max_pairs: int | None = None
) -> tuple[list[np.ndarray], np.ndarray]:
    """The candidate pairs grouped by first article, the first articles taken in the order of
    ``rank`` (a number per article; ``None``: article order), cut between first articles into
    blocks of about ``max_pairs`` pairs (default :data:`_MAX_BLOCK_PAIRS`); and the sorted
    codes ``position * n_blocks + block`` of the articles each block uses. A block's articles
    are held at once while it is verified, so its size bounds a worker's memory."""
    if not len(candidates):
        return [], np.zeros(0, dtype=np.int64)
    max_pairs = _MAX_BLOCK_PAIRS if max_pairs is None else max_pairs
    first_rank = candidates[:, 0] if rank is None else rank[candidates[:, 0]]
    ordered = candidates[np.lexsort((candidates[:, 1], candidates[:, 0], first_rank))]
    bounds = [0]
    for group_start in np.flatnonzero(ordered[1:, 0] != ordered[:-1, 0]) + 1:
        if group_start - bounds[-1] >= max_pairs:
            bounds.append(int(group_start))
    bounds.append(len(ordered))
    blocks = [ordered[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    block_of = np.repeat(np.arange(len(blocks)), np.diff(bounds))
    codes = [ordered[:, side] * len(blocks) + block_of for side in (0, 1)]
    return blocks, np.unique(np.concatenate(codes))


def _bandwidth_rank(candidates: np.ndarray, n_docs: int) -> np.ndarray:
    """A rank per article from a bandwidth-reducing order of the candidate graph (reverse
    Cuthill-McKee): articles that are candidates of each other get near ranks, so blocks taken
    in this order reuse more of the articles the feature cache holds (on all 37,554 AllSides
    articles, 26% fewer features made than in article order: benchmarks/RESULTS.md)."""
    graph = sparse.coo_matrix(
        (np.ones(len(candidates), dtype=np.int8), (candidates[:, 0], candidates[:, 1])),
        shape=(n_docs, n_docs),
    ).tocsr()
    order = reverse_cuthill_mckee((graph + graph.T).tocsr(), symmetric_mode=True)
    rank = np.empty(n_docs, dtype=np.int64)
    rank[order] = np.arange(n_docs)
    return rank


#: Candidate pairs per block of verification (about 0.25 MB of features per article a block
#: uses: 26,889 pairs of 10,000 AllSides articles used 5,382 articles and 1.7 GB).
_MAX_BLOCK_PAIRS = 4000
