"""Verifying candidate pairs: blocks of pairs, a screen of each block's pairs at once (sparse
products), exact comparison, a cache of article features, and the worker processes.

Blocks are independent and every pair that passes the screen is compared alone, so the rows are
the same in one process or in several (:func:`_verify`); the detector sorts them afterwards.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import reverse_cuthill_mckee
from threadpoolctl import threadpool_limits

from analysis.core.parallel import ordered_map
from analysis.reuse.compare import _pair_rows
from analysis.reuse.features import (
    _MAX_CACHED_TOKENS,
    _N_HASH_FEATURES,
    _Article,
    _article_features,
    _in_sorted,
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
    """For each of ``others``, whether the pair with ``a`` can share anything at all
    (:func:`_may_share_block` for the pairs of ``a`` with each of ``others``)."""
    articles = {b.position: b for b in others} | {a.position: a}
    block = np.array([(a.position, b.position) for b in others], dtype=np.int64).reshape(-1, 2)
    return _may_share_block(block, articles, settings)


def _may_share_block(
    block: np.ndarray, articles: dict[int, _Article], settings: ReuseSettings
) -> np.ndarray:
    """For each candidate pair of a block (rows ``first, second``, grouped by ``first``; in
    :func:`_blocks`' blocks the lower-ranked article), whether the two articles can share
    anything at all.

    A necessary condition, checked for the whole block at once: a verbatim passage needs a
    shingle in both articles; a verbatim sentence pair needs a passage or two identical
    sentences; a rewrite pair needs two judged sentences with a TF-IDF cosine at the threshold.
    Shared shingles and sentences are one product of sparse indicator matrices (articles x
    values found in two or more of the block's articles) for all pairs; the cosines are one
    sparse-times-dense product per first article over its partners' stacked sentences, with
    :data:`_SCREEN_SLACK` below the threshold for the different order of summation. A pair
    that passes is compared exactly by :func:`_compare`, so the results are those of
    comparing every pair.
    """
    found = np.zeros(len(block), dtype=bool)
    if not len(block):
        return found
    positions = np.unique(block)
    members = [articles[int(p)] for p in positions]
    left = np.searchsorted(positions, block[:, 0])
    right = np.searchsorted(positions, block[:, 1])
    minimum = settings.min_rewrite_words
    found |= _share_any([m.shingles for m in members], left, right)
    found |= _share_any(
        [m.sentence_keys[m.sentence_words >= minimum] for m in members], left, right
    )
    judged = [_judged(m, settings) for m in members]
    counts = np.array([int(j.sum()) for j in judged])
    todo = ~found & (counts[left] > 0) & (counts[right] > 0)
    if not todo.any():
        return found
    # the judged sentence vectors of every article the block needs, stacked
    needed = np.zeros(len(members), dtype=bool)
    needed[left[todo]] = needed[right[todo]] = True
    counts[~needed] = 0
    chosen = [m for m, use in zip(members, needed, strict=True) if use]
    rows = np.flatnonzero(np.concatenate([j for j, use in zip(judged, needed, strict=True) if use]))
    row_starts = np.concatenate(
        [m.vectors.indptr[:-1] + offset for m, offset in zip(chosen, _offsets(chosen), strict=True)]
    )
    row_lengths = np.concatenate([np.diff(m.vectors.indptr) for m in chosen])[rows]
    entries = _ranges(row_starts[rows], row_starts[rows] + row_lengths)
    stacked = sparse.csr_matrix(
        (
            np.concatenate([m.vectors.data for m in chosen])[entries],
            np.concatenate([m.vectors.indices for m in chosen])[entries],
            np.r_[0, np.cumsum(row_lengths)],
        ),
        shape=(len(rows), _N_HASH_FEATURES),
    )
    starts = np.r_[0, np.cumsum(counts)]
    local = np.full(_N_HASH_FEATURES, -1, dtype=np.int32)  # a's columns, then reset
    reach = np.zeros(len(block))
    pairs = np.flatnonzero(todo)
    groups = np.flatnonzero(np.r_[True, left[pairs][1:] != left[pairs][:-1]])
    for lo, hi in zip(groups, np.r_[groups[1:], len(pairs)], strict=True):
        at = pairs[lo:hi]
        a = members[left[at[0]]]
        local[a.columns] = np.arange(len(a.columns))
        mine = stacked[starts[left[at[0]]] : starts[left[at[0]] + 1]]
        dense_a = np.zeros((len(a.columns), mine.shape[0]))  # a's columns x judged sentences
        dense_a[local[mine.indices], np.repeat(np.arange(mine.shape[0]), np.diff(mine.indptr))] = (
            mine.data
        )
        theirs = stacked[_ranges(starts[right[at]], starts[right[at] + 1])]
        column = local[theirs.indices]
        keep = column >= 0  # entries in columns a does not use contribute nothing
        kept = np.r_[0, np.cumsum(keep)]
        on_a = sparse.csr_matrix(
            (theirs.data[keep], column[keep], kept[theirs.indptr]),
            shape=(theirs.shape[0], len(a.columns)),
        )
        local[a.columns] = -1
        best = (on_a @ dense_a).max(axis=1)
        reach[at] = np.maximum.reduceat(best, np.r_[0, np.cumsum(counts[right[at]])[:-1]])
    return found | (reach >= settings.rewrite_threshold - 1e-9 - _SCREEN_SLACK)


def _offsets(articles: list[_Article]) -> np.ndarray:
    """Where each article's stored vector entries start when all are concatenated."""
    sizes = [m.vectors.indptr[-1] for m in articles]
    return np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)


def _ranges(lows: np.ndarray, highs: np.ndarray) -> np.ndarray:
    """The integers of the ranges [low, high), one range after the other."""
    sizes = highs - lows
    return np.repeat(lows - np.r_[0, np.cumsum(sizes)[:-1]], sizes) + np.arange(sizes.sum())


def _share_any(values: list[np.ndarray], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For each pair ``(left, right)`` of members, whether their uint64 ``values`` (one array
    per member) may have one in common: the row-wise product of two sparse indicator matrices,
    members x the values that two or more members have.

    Values are compared on their top :data:`_VALUE_BITS` bits, so two different values may
    rarely be taken as one (a pair that passes for it is compared exactly); a pair that does
    share a value always passes.
    """
    if len(values) > 2**_OWNER_BITS:
        raise ValueError(f"at most {2**_OWNER_BITS} members, not {len(values)}")
    owners = np.repeat(np.arange(len(values), dtype=np.uint64), [len(v) for v in values])
    if not len(owners):
        return np.zeros(len(left), dtype=bool)
    shift = np.uint64(_OWNER_BITS)
    codes = np.sort(np.concatenate(values) >> shift << shift | owners)
    value, owners = codes >> shift, (codes & np.uint64(2**_OWNER_BITS - 1)).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, value[1:] != value[:-1]])
    # owners are ascending within a value: several members have it if the first and last differ
    several = owners[starts] != owners[np.r_[starts[1:], len(owners)] - 1]
    number = np.cumsum(np.r_[True, value[1:] != value[:-1]]) - 1
    shared = several[number]
    if not shared.any():
        return np.zeros(len(left), dtype=bool)
    indicator = sparse.csr_matrix(
        (np.ones(int(shared.sum()), dtype=np.int32), (owners[shared], number[shared])),
        shape=(len(values), len(starts)),
    )
    return np.asarray(indicator[left].multiply(indicator[right]).sum(axis=1)).ravel() > 0


#: Bits of a block member's number in :func:`_share_any`'s sort keys; the value keeps the rest.
_OWNER_BITS = 20
_VALUE_BITS = 64 - _OWNER_BITS


class _Texts:
    """Article texts as one UTF-8 buffer: a worker process reads a text without writing to the
    pages it shares with its parent (a list of ``str`` would have each touched object's page
    copied into the worker, for its reference count)."""

    def __init__(self, texts: Iterable[str]) -> None:
        encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
        self.offsets = np.r_[0, np.cumsum([len(text) for text in encoded])].astype(np.int64)
        self.buffer = np.frombuffer(b"".join(encoded), dtype=np.uint8)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, position: int) -> str:
        lo, hi = self.offsets[position], self.offsets[position + 1]
        return self.buffer[lo:hi].tobytes().decode("utf-8", "surrogatepass")


@dataclass
class _Verifier:
    """Verifies candidate pairs block by block, keeping article features between blocks.

    One is made in the main process, or one in each worker process (:func:`_start_worker`);
    every one gives the same rows for the same pair.
    """

    texts: _Texts
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
    spill_dir: Path | None = None  # where features evicted while still needed are kept
    cache: dict = field(default_factory=dict)
    hashes: _TokenHashes = field(default_factory=_TokenHashes)
    spill: _Spill | None = None

    def articles(self, positions: np.ndarray) -> dict[int, _Article]:
        """Weighted features of the articles at ``positions``: from the cache, read back from
        the spill file, or made now."""
        missing = [int(p) for p in positions if int(p) not in self.cache]
        if self.spill is not None:
            self.cache.update((p, self.spill.read(p)) for p in missing if p in self.spill)
            missing = [p for p in missing if p not in self.cache]
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
                article.template = _in_sorted(keys, self.templates)
            made.append(article)
        if len(self.hashes) > _MAX_CACHED_TOKENS:
            self.hashes.clear()
        _weight(made, self.idf)
        for article in made:  # made into the vectors, and used by nothing after them
            article.token_hashes = None
        self.cache.update((article.position, article) for article in made)
        return {int(p): self.cache[int(p)] for p in positions}

    def verify(self, number: int, block: np.ndarray) -> tuple[list, list, list]:
        """Rows of the candidate pairs of one block (:func:`_blocks`), then forget the articles
        no later block uses and, beyond :data:`_CACHED_ARTICLES`, those used last."""
        passage_rows: list = []
        match_rows: list = []
        pair_rows: list = []
        if len(block):
            articles = self.articles(np.unique(block))
            with threadpool_limits(limits=1, user_api="blas"):
                passes = _may_share_block(block, articles, self.settings)
                for first, second in block[passes].tolist():
                    if first > second:  # stored by rank (:func:`_blocks`): compare in article order
                        first, second = second, first
                    rows = _pair_rows(
                        articles[first], articles[second], self.settings, self.doc_ids, self.outlets
                    )
                    passage_rows += rows[0]
                    match_rows += rows[1]
                    pair_rows += rows[2]
        self._forget(number)
        return passage_rows, match_rows, pair_rows

    def close(self) -> None:
        """Close this process's spill file (its folder is the caller's to remove)."""
        if self.spill is not None:
            self.spill.close()
            self.spill = None

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
        evicted = positions[order][_CACHED_ARTICLES:]
        if self.spill_dir is not None and len(evicted):  # used again later: kept on disk
            if self.spill is None:
                self.spill = _Spill(self.spill_dir)
            for position in evicted.tolist():
                self.spill.write(position, self.cache[position])
        for position in evicted.tolist() + positions[~used].tolist():
            self.cache.pop(position, None)


class _Spill:
    """Article features written to a file of this process when the cache evicts them while a
    later block still uses them, and read back then: reading them (about 0.1 ms for an
    AllSides article) costs about a tenth of making them again. On all 37,554 AllSides
    articles with two workers, the cache of :data:`_CACHED_ARTICLES` alone made 130,547
    features, 3.5 per article; with the spill files, 58,915 (benchmarks/RESULTS.md), which
    wrote about 3.4 GB. An article is written once; if the disk refuses a write, nothing more
    is written and the features are made again, as without a spill file."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / f"features-{os.getpid()}.bin"
        self.file = open(self.path, "w+b")  # noqa: SIM115 (closed by close())
        self.where: dict[int, tuple[int, int]] = {}
        self.size = 0
        self.full = False

    def __contains__(self, position: int) -> bool:
        return position in self.where

    def write(self, position: int, article: _Article) -> None:
        if self.full or position in self.where:
            return
        data = pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            written = os.pwrite(self.file.fileno(), data, self.size)
        except OSError:  # a full disk: the features will be made again when needed
            written = -1
        if written != len(data):
            self.full = True
            return
        self.where[position] = (self.size, len(data))
        self.size += len(data)

    def read(self, position: int) -> _Article:
        offset, length = self.where[position]
        return pickle.loads(os.pread(self.file.fileno(), length, offset))

    def close(self) -> None:
        self.file.close()


#: Articles whose features are kept between blocks (about 61 KB each for an AllSides article,
#: 180 MB for 3,000; 3,000 rather than 2,000 makes 17% fewer features on all 37,554 of them with
#: two workers: benchmarks/RESULTS.md).
_CACHED_ARTICLES = 3000

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
    same either way (every pair is verified alone, and the tables are sorted afterwards).
    Each process keeps the features its cache evicts while still needed in a spill file
    (:class:`_Spill`) of a temporary folder (Python's :func:`tempfile.gettempdir`: ``TMPDIR``
    or ``/tmp``), removed at the end."""
    passage_rows: list = []
    match_rows: list = []
    pair_rows: list = []
    in_workers = workers > 1 and len(blocks) > 1
    with tempfile.TemporaryDirectory(prefix="framing-reuse-") as folder:
        verifier.spill_dir = Path(folder)
        try:
            results = ordered_map(
                _verify_in_worker if in_workers else verifier.verify,
                enumerate(blocks),
                workers=workers if in_workers else 1,
                initializer=_start_worker,
                initargs=(verifier,),
            )
            for rows, block in zip(results, blocks, strict=True):  # rows come in block order
                passage_rows.extend(rows[0])
                match_rows.extend(rows[1])
                pair_rows.extend(rows[2])
                for _ in range(len(block)):
                    next(done, None)
        finally:
            verifier.close()
            verifier.spill_dir = None
    return passage_rows, match_rows, pair_rows


def _blocks(
    candidates: np.ndarray, rank: np.ndarray | None = None, max_pairs: int | None = None
) -> tuple[list[np.ndarray], np.ndarray]:
    """The candidate pairs grouped by the article of lower ``rank`` in each pair (a number per
    article; ``None``: article order), these articles taken in the order of ``rank`` and each
    one's partners in the same order, cut between groups into blocks of about ``max_pairs``
    pairs (default :data:`_MAX_BLOCK_PAIRS`); and the sorted codes ``position * n_blocks +
    block`` of the articles each block uses. A block's rows are ``(lower rank, higher rank)``;
    the verifier compares each pair in article order whichever way round it is stored. A
    block's articles are held at once while it is verified, so its size bounds a worker's
    memory.

    Grouping by the lower-ranked article, not by the first in article order, is what makes a
    bandwidth-reducing rank pay: an article's partners then all come after it in the rank,
    near it, so the blocks move through the articles as a window (on all 37,554 AllSides
    articles, 30% fewer features made than grouping by first article in the same rank in one
    process, 27% fewer with two workers: benchmarks/RESULTS.md)."""
    if not len(candidates):
        return [], np.zeros(0, dtype=np.int64)
    max_pairs = _MAX_BLOCK_PAIRS if max_pairs is None else max_pairs
    ranks = candidates if rank is None else rank[candidates]
    swap = ranks[:, 0] > ranks[:, 1]
    oriented = np.where(swap[:, None], candidates[:, ::-1], candidates)
    low, high = ranks.min(axis=1), ranks.max(axis=1)
    return _cut_blocks(oriented[np.lexsort((high, oriented[:, 0], low))], max_pairs)


def _cut_blocks(ordered: np.ndarray, max_pairs: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Pairs ``ordered`` with each group (same first column) contiguous, cut between groups
    into blocks of about ``max_pairs``; and the sorted codes ``position * n_blocks + block`` of
    the articles each block uses."""
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
    in this order reuse more of the articles the feature cache holds (:func:`_blocks`)."""
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
