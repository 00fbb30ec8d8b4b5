"""Tokens and features of one article: reuse tokens, shingles, sentence keys, TF-IDF vectors.

Reuse tokens are the letter-digit runs of :func:`analysis.text.tokens.alnum_tokens`.

What the comparison of two articles (:mod:`analysis.reuse.compare`), the LSH candidates
(:mod:`analysis.reuse.lsh`) and the verifier (:mod:`analysis.reuse.verify`) know about an
article is made here, one article at a time, and dropped when no longer needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils import murmurhash3_32

from analysis.reuse.settings import ReuseSettings
from analysis.text.tokens import alnum_tokens as reuse_tokens

_N_HASH_FEATURES = 2**20
_SHINGLE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd; any fixed odd constant would do
_BAND_MULTIPLIER = np.uint64(0xC2B2AE3D27D4EB4F)
_MAX_CACHED_TOKENS = 2_000_000


class _TokenHashes(dict):
    """Stable 32-bit hashes of tokens (MurmurHash3), computed once per distinct token."""

    def __missing__(self, token: str) -> int:
        value = murmurhash3_32(token, seed=0, positive=True)
        self[token] = value
        return value


@lru_cache(maxsize=1)
def _stop_word_hashes() -> np.ndarray:
    """Token hashes of scikit-learn's English stop words (sorted)."""
    return np.unique(
        np.array([murmurhash3_32(word, seed=0, positive=True) for word in ENGLISH_STOP_WORDS])
    ).astype(np.uint64)


def _in_sorted(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_values)`` for a sorted ``sorted_values``, as a binary search:
    np.isin sorts both arrays again on every call, which for a few words of one article against
    tens of thousands of template keys cost about a millisecond an article.

    >>> _in_sorted(np.array([3, 5, 9]), np.array([1, 3, 9])).tolist()
    [True, False, True]
    """
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[at] == values


@dataclass
class _Article:
    """Everything the comparison needs about one article (computed, used, dropped)."""

    position: int
    shingles: np.ndarray  # uint64, one per token position with a full shingle
    token_sentence: np.ndarray  # int32 position of each token's sentence in this article, -1
    # outside (compare in int64 what is multiplied by it)
    token_starts: np.ndarray  # character offsets, int32 (int64 for a text of 2**31 or more)
    token_ends: np.ndarray
    sent_idx: np.ndarray
    sentence_words: np.ndarray
    sentence_keys: np.ndarray  # uint64 hash of each sentence's token sequence
    token_hashes: np.ndarray | None  # uint64 (32-bit values) hash of each token (None:
    # dropped once the TF-IDF vectors are made, by the verifier)
    content: np.ndarray | None = None  # sorted codes sentence << 32 | hash of content words
    content_bounds: np.ndarray | None = None  # each sentence's slice of ``content``
    shingle_order: np.ndarray | None = None  # argsort of ``shingles`` (int32), made when needed
    template: np.ndarray | None = None  # sentences that are the outlet's template text
    vectors: sparse.csr_matrix | None = None  # l2-normalised TF-IDF, one row per sentence
    columns: np.ndarray | None = None  # distinct feature columns of ``vectors``
    entry_columns: np.ndarray | None = None  # position in ``columns`` of each stored entry

    def __post_init__(self) -> None:
        self.template = np.zeros(len(self.sentence_words), dtype=bool)
        sentence = self.token_sentence
        words = (sentence >= 0) & ~_in_sorted(self.token_hashes, _stop_word_hashes())
        self.content = np.unique(
            sentence[words].astype(np.uint64) << np.uint64(32) | self.token_hashes[words]
        )
        self.content_bounds = np.searchsorted(
            self.content >> np.uint64(32), np.arange(len(self.sentence_words) + 1)
        )

    def content_words(self, sentence: int) -> np.ndarray:
        """Hashes of the content words (stop words removed) of one sentence, sorted."""
        lo, hi = self.content_bounds[sentence], self.content_bounds[sentence + 1]
        return self.content[lo:hi] & np.uint64(0xFFFFFFFF)

    @property
    def n_words(self) -> int:
        return int(self.sentence_words.sum())


def _offset_type(length: int) -> type:
    """The integer type of offsets into an array of ``length``: 4 bytes below 2**31, which
    halves what a cached article's token positions take (the verifier keeps thousands).

    >>> _offset_type(10_000).__name__, _offset_type(2**31).__name__
    ('int32', 'int64')
    """
    return np.int32 if length < 2**31 else np.int64


def _shingle_hashes(token_hashes: np.ndarray, size: int) -> np.ndarray:
    if len(token_hashes) < size:
        return np.zeros(0, dtype=np.uint64)
    count = len(token_hashes) - size + 1
    result = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            result = result * _SHINGLE_MULTIPLIER + token_hashes[offset : offset + count]
    return result


def _article_features(
    position: int,
    text: str,
    spans: np.ndarray,
    settings: ReuseSettings,
    hashes: _TokenHashes,
) -> _Article:
    """Tokens, shingles and sentence membership of one article; ``spans`` is (n, 3) of
    sent_idx, start, end, in text order."""
    tokens, starts, ends = reuse_tokens(text)
    token_hashes = np.fromiter(map(hashes.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    n_sentences = len(spans)
    # sentences do not overlap and are in text order: each holds a contiguous run of tokens
    first = np.searchsorted(starts, spans[:, 1], side="left")
    last = np.maximum(np.searchsorted(ends, spans[:, 2], side="right"), first)
    words = last - first
    token_sentence = np.full(len(tokens), -1, dtype=np.int32)
    inside = np.repeat(np.arange(n_sentences), words)
    within = np.arange(words.sum()) - np.repeat(np.cumsum(words) - words, words)
    token_sentence[np.repeat(first, words) + within] = inside
    # a key per sentence, equal for equal token sequences: sum of hash x multiplier**position
    keys = np.zeros(n_sentences, dtype=np.uint64)
    if len(inside):
        with np.errstate(over="ignore"):
            powers = np.cumprod(np.full(int(words.max()), _SHINGLE_MULTIPLIER, dtype=np.uint64))
            np.add.at(keys, inside, token_hashes[np.repeat(first, words) + within] * powers[within])
            keys += words.astype(np.uint64)
    return _Article(
        position=position,
        shingles=_shingle_hashes(token_hashes, settings.shingle_size),
        token_sentence=token_sentence,
        token_starts=starts.astype(_offset_type(len(text))),
        token_ends=ends.astype(_offset_type(len(text))),
        sent_idx=spans[:, 0].copy(),
        sentence_words=words,
        sentence_keys=keys,
        token_hashes=token_hashes,
    )


def _sentence_features(article: _Article) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashed word unigram and bigram counts of each sentence: (row, column, count), sorted.

    Columns are the token hash (unigram) or a mix of two consecutive token hashes within a
    sentence (bigram), modulo ``2**20``; a collision merges two rare features, which moves a
    cosine by little.
    """
    hashes, sentence = article.token_hashes, article.token_sentence
    inside = sentence >= 0
    pair = inside[:-1] & (sentence[:-1] == sentence[1:])
    with np.errstate(over="ignore"):
        bigrams = _fmix64(hashes[:-1][pair] * _SHINGLE_MULTIPLIER + hashes[1:][pair])
    rows = np.concatenate([sentence[inside], sentence[:-1][pair]]).astype(np.uint64)
    columns = np.concatenate([hashes[inside], bigrams]) % np.uint64(_N_HASH_FEATURES)
    codes, counts = np.unique(rows * np.uint64(_N_HASH_FEATURES) + columns, return_counts=True)
    return (
        (codes // np.uint64(_N_HASH_FEATURES)).astype(np.int64),
        (codes % np.uint64(_N_HASH_FEATURES)).astype(np.int64),
        counts,
    )


def _fmix(
    values: np.ndarray, dtype: type, shifts: tuple[int, int, int], multipliers: tuple[int, int]
) -> np.ndarray:
    """MurmurHash3's finalizer on ``dtype`` words: xor-shift, multiply, xor-shift, multiply,
    xor-shift, with the ``shifts`` and ``multipliers`` of that word size."""
    values = values.astype(dtype)
    with np.errstate(over="ignore"):
        for shift, multiplier in zip(shifts, (*multipliers, None), strict=True):
            values ^= values >> dtype(shift)
            if multiplier is not None:
                values *= dtype(multiplier)
    return values


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: spreads the bits of a combined hash."""
    return _fmix(values, np.uint64, (33, 33, 33), (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53))


def _weight(articles: list[_Article], idf: np.ndarray) -> None:
    """Give each article its l2-normalised TF-IDF sentence vectors (sublinear tf)."""
    for article in articles:
        rows, columns, counts = _sentence_features(article)
        values = (1.0 + np.log(counts)) * idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=values**2, minlength=len(article.sent_idx)))
        values = values / norms[rows]
        n = len(article.sent_idx)
        article.vectors = sparse.csr_matrix(
            (values, columns, np.searchsorted(rows, np.arange(n + 1))),
            shape=(n, _N_HASH_FEATURES),
        )
        columns, entry_columns = np.unique(columns, return_inverse=True)
        # indices below 2**31 (columns below 2**20, entries per article far fewer): 4 bytes
        article.columns = columns.astype(np.int32)
        article.entry_columns = entry_columns.astype(np.int32)


def _dense_on(article: _Article, positions: np.ndarray) -> np.ndarray:
    """The article's sentence vectors on its columns at ``positions``, as a dense array."""
    local = np.full(len(article.columns), -1)
    local[positions] = np.arange(len(positions))
    column = local[article.entry_columns]
    keep = column >= 0
    n_rows = article.vectors.shape[0]
    rows = np.repeat(np.arange(n_rows), np.diff(article.vectors.indptr))  # each entry's sentence
    dense = np.zeros((n_rows, len(positions)))
    dense[rows[keep], column[keep]] = article.vectors.data[keep]
    return dense


def _document_frequencies(articles: Iterable[_Article]) -> tuple[np.ndarray, int]:
    """Sentences containing each hashed feature, and the number of sentences."""
    columns = [_sentence_features(article)[1] for article in articles]
    n_sentences = sum(len(article.sent_idx) for article in articles)
    if not columns:
        return np.zeros(_N_HASH_FEATURES, dtype=np.int64), n_sentences
    return np.bincount(np.concatenate(columns), minlength=_N_HASH_FEATURES), n_sentences


def _idf(df: np.ndarray, n_sentences: int) -> np.ndarray:
    """Smoothed IDF, as scikit-learn's ``TfidfTransformer(smooth_idf=True)``."""
    return np.log((1.0 + n_sentences) / (1.0 + df)) + 1.0


# --- outlet template text ---------------------------------------------------------------------


def _sentence_keys(article: _Article, outlet: int) -> np.ndarray:
    """Keys of the article's sentences that are equal for the same text in the same outlet."""
    with np.errstate(over="ignore"):
        return article.sentence_keys.astype(np.uint64) * _BAND_MULTIPLIER + np.uint64(outlet)


def _template_keys(keys: np.ndarray, owners: np.ndarray, min_docs: int) -> np.ndarray:
    """Outlet sentence keys found in at least ``min_docs`` articles (sorted)."""
    if not len(keys):
        return np.zeros(0, dtype=np.uint64)
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    distinct = np.r_[True, (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])]
    values, counts = np.unique(keys[distinct], return_counts=True)
    return values[counts >= min_docs]
