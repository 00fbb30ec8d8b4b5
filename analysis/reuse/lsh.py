"""MinHash-LSH candidates: the pairs of articles worth comparing in a corpus too large to
compare every pair (steps 1 to 4 of "Which pairs of articles are compared" in
:mod:`analysis.reuse.detect`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from analysis.core.parallel import Mapper
from analysis.core.progress import progress
from analysis.reuse.features import _BAND_MULTIPLIER, _Article, _fmix, _sentence_keys
from analysis.reuse.settings import ReuseSettings

_MINHASH_BATCH = 200_000  # features per vectorised MinHash step (x num_perm x 4 bytes)


@lru_cache(maxsize=8)
def lsh_parameters(num_perm: int, threshold: float, seed: int) -> tuple[int, int, np.ndarray]:
    """Bands ``b``, rows per band ``r`` and the permutations ``(a, b)`` for MinHash-LSH.

    ``(b, r)`` is datasketch's choice (:class:`~datasketch.MinHashLSH`, equal weights on false
    positives and negatives) for the Jaccard ``threshold``; the permutations are those of a
    datasketch :class:`~datasketch.MinHash` with ``seed`` and the ``affine32`` scheme.

    >>> bands, rows, _ = lsh_parameters(128, 0.4, 1)
    >>> bands * rows <= 128
    True
    """
    from datasketch import MinHash, MinHashLSH

    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    permutations = MinHash(num_perm=num_perm, seed=seed % 2**32, scheme="affine32").permutations
    return index.b, index.r, np.asarray(permutations, dtype=np.uint32)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch's pre-mix for the affine32 scheme)."""
    return _fmix(values, np.uint32, (16, 13, 16), (0x85EBCA6B, 0xC2B2AE35))


def minhash_signatures(
    features: np.ndarray, offsets: np.ndarray, permutations: np.ndarray
) -> np.ndarray:
    """MinHash signatures of many sets at once, equal to datasketch's ``MinHash.update_batch``.

    Parameters
    ----------
    features
        uint32 hashes of the sets' elements, set after set.
    offsets
        Start of each set in ``features`` (non-decreasing; empty sets not allowed).
    permutations
        ``(2, num_perm)`` uint32 array of datasketch ``affine32`` permutations.

    Returns
    -------
    numpy.ndarray
        ``(n_sets, num_perm)`` uint32 signatures.

    Examples
    --------
    >>> from datasketch import MinHash
    >>> reference = MinHash(num_perm=16, seed=3, hashfunc=int)
    >>> reference.update_batch([11, 22, 33])
    >>> _, _, perms = lsh_parameters(16, 0.5, 3)
    >>> ours = minhash_signatures(np.array([11, 22, 33], dtype=np.uint32), np.array([0]), perms)
    >>> bool((ours[0] == reference.hashvalues).all())
    True
    """
    a, b = permutations
    mixed = _fmix32(features)
    result = np.empty((len(offsets), permutations.shape[1]), dtype=np.uint32)
    ends = np.r_[offsets[1:], len(features)]
    first = 0
    while first < len(offsets):
        last = np.searchsorted(offsets, offsets[first] + _MINHASH_BATCH, side="right")
        last = max(last, first + 1)
        lo, hi = offsets[first], ends[last - 1]
        with np.errstate(over="ignore"):
            values = mixed[lo:hi, None] * a[None, :] + b[None, :]
        result[first:last] = np.minimum.reduceat(values, offsets[first:last] - lo, axis=0)
        first = last
    return result


def _band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            key = np.zeros(len(signatures), dtype=np.uint64)
            for column in range(band * rows, (band + 1) * rows):
                key = key * _BAND_MULTIPLIER + signatures[:, column].astype(np.uint64)
            keys[:, band] = key
    return keys


@dataclass
class _ContentSets:
    """Sets of content-word hashes, one per sketchable sentence, stored flat."""

    features: np.ndarray  # uint32, set after set
    sizes: np.ndarray  # elements per set
    owners: np.ndarray  # article position of each set
    keys: np.ndarray  # outlet sentence key of each set (see :func:`_sentence_keys`)

    @classmethod
    def concatenate(cls, parts: list[_ContentSets]) -> _ContentSets:
        if not parts:
            return cls(
                *(np.zeros(0, dtype) for dtype in (np.uint32, np.int64, np.int64, np.uint64))
            )
        return cls(
            *(
                np.concatenate([getattr(part, name) for part in parts])
                for name in cls.__annotations__
            )
        )

    def keep(self, sets: np.ndarray, elements: np.ndarray) -> _ContentSets:
        """Only the sets where ``sets`` is true, and in them the elements where ``elements`` is."""
        owner_set = np.repeat(np.arange(len(self.sizes)), self.sizes)
        mask = sets[owner_set] & elements
        sizes = np.bincount(owner_set[mask], minlength=len(self.sizes))
        return _ContentSets(self.features[mask], sizes[sets], self.owners[sets], self.keys[sets])


def _content_sets(
    articles: list[_Article], outlets: np.ndarray, settings: ReuseSettings
) -> _ContentSets:
    """The content words (English stop words removed) of every sentence long enough to be
    judged (``min_rewrite_words``), as sets of token hashes."""
    parts = []
    for article in articles:
        rows = (article.content >> np.uint64(32)).astype(np.int64)
        keep = article.sentence_words[rows] >= settings.min_rewrite_words
        numbers, sizes = np.unique(rows[keep], return_counts=True)
        parts.append(
            _ContentSets(
                (article.content[keep] & np.uint64(0xFFFFFFFF)).astype(np.uint32),
                sizes.astype(np.int64),
                np.full(len(sizes), article.position, dtype=np.int64),
                _sentence_keys(article, outlets[article.position])[numbers],
            )
        )
    return _ContentSets.concatenate(parts)


def _lsh_candidates(
    sets: _ContentSets, n_docs: int, settings: ReuseSettings, mapper: Mapper | None = None
) -> tuple[np.ndarray, dict]:
    """Candidate article pairs from MinHash-LSH over the sets, one band at a time (so that
    memory holds one band's ``r`` signature rows, not the whole signature matrix); with a
    ``mapper``, the bands are its tasks (the pairs are counted the same in any order)."""
    bands, rows, permutations = lsh_parameters(
        settings.num_perm, settings.lsh_threshold, settings.seed
    )
    offsets = np.r_[0, np.cumsum(sets.sizes)[:-1]].astype(np.int64)
    codes = np.zeros(0, dtype=np.int64)
    counts = np.zeros(0, dtype=np.int64)
    skipped = 0
    calls = [
        (permutations[:, band * rows : (band + 1) * rows],)
        for band in (range(bands) if len(sets.sizes) else [])
    ]
    state = (sets, offsets, rows, settings.max_bucket_docs)
    if mapper is None:
        _hold_sets(*state)
        results = (_band_pairs(*call) for call in calls)
    else:
        results = mapper(_band_pairs, calls, initializer=_hold_sets, initargs=state)
    bar = {"desc": "reuse: LSH bands", "unit": "band", "total": len(calls)}
    pending: list[np.ndarray] = []  # bands' pair codes not yet counted

    def count_pending() -> tuple[np.ndarray, np.ndarray]:
        merged, inverse = np.unique(np.concatenate([codes, *pending]), return_inverse=True)
        weights = np.concatenate([counts, np.ones(sum(map(len, pending)), dtype=np.int64)])
        pending.clear()
        return merged, np.bincount(inverse, weights=weights, minlength=len(merged)).astype(
            np.int64
        )

    for pairs, band_skipped in progress(results, **bar):
        skipped += band_skipped
        pending.append(pairs[:, 0] * n_docs + pairs[:, 1])
        if sum(map(len, pending)) > _PENDING_CODES:  # counted in batches: memory stays bounded
            codes, counts = count_pending()
    codes, counts = count_pending()
    _BANDS.clear()
    collided = len(codes)
    codes = codes[counts >= settings.lsh_min_collisions]
    candidates = np.column_stack([codes // n_docs, codes % n_docs]).astype(np.int64)
    return candidates.reshape(-1, 2), {
        "lsh_bands": bands,
        "lsh_rows": rows,
        "sketched_sentences": len(sets.sizes),
        "pairs_colliding_once_or_more": collided,
        "skipped_buckets": skipped,
    }


#: Band pair codes collected before they are counted together (about 80 MB of them).
_PENDING_CODES = 10_000_000

#: The sets the band tasks of this process work on (:func:`_hold_sets`).
_BANDS: dict = {}


def _hold_sets(sets: _ContentSets, offsets: np.ndarray, rows: int, max_bucket_docs: int) -> None:
    """Keep the sets for :func:`_band_pairs` in this process (a worker's initializer)."""
    _BANDS.update(sets=sets, offsets=offsets, rows=rows, max_bucket_docs=max_bucket_docs)


def _band_pairs(permutations: np.ndarray) -> tuple[np.ndarray, int]:
    """The article pairs sharing a bucket of one band (its ``permutations``), and the buckets
    skipped (:func:`_bucket_pairs`), over the sets :func:`_hold_sets` keeps."""
    sets, rows = _BANDS["sets"], _BANDS["rows"]
    signature = minhash_signatures(sets.features, _BANDS["offsets"], permutations)
    keys = _band_keys(signature, 1, rows)[:, 0]
    return _bucket_pairs(keys, sets.owners, _BANDS["max_bucket_docs"])


def _bucket_pairs(keys: np.ndarray, owners: np.ndarray, max_docs: int) -> tuple[np.ndarray, int]:
    """Article pairs (codes ``a * n + b``, a < b, before encoding) sharing a bucket of one band,
    and the number of buckets skipped for holding more than ``max_docs`` articles."""
    if not len(keys):
        return np.zeros((0, 2), dtype=np.int64), 0
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    distinct = np.r_[True, (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])]
    keys, owners = keys[distinct], owners[distinct]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    skipped = int((sizes > max_docs).sum())
    usable = (sizes >= 2) & (sizes <= max_docs)
    starts, sizes = starts[usable], sizes[usable]
    if not len(starts):
        return np.zeros((0, 2), dtype=np.int64), skipped
    # every element pairs with the elements after it in its bucket
    members = np.concatenate([np.arange(s, s + n) for s, n in zip(starts, sizes, strict=True)])
    ends = np.repeat(starts + sizes, sizes)
    after = ends - members - 1
    left = np.repeat(members, after)
    within = np.arange(after.sum()) - np.repeat(np.cumsum(after) - after, after)
    right = left + 1 + within
    pairs = np.column_stack([owners[left], owners[right]])
    pairs.sort(axis=1)
    return pairs, skipped
