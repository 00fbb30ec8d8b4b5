"""Syndication: wire copy and rewrites shared between articles, with offsets in both texts.

Indian outlets reprint and rewrite the same ANI, PTI and IANS copy, and all of them quote the
same posts on X. A per-outlet measure that ignores this measures the wire agency, not the
outlet. This module finds what each article shares with the others, so that every measure can
also be computed on each article's own text (:func:`sentence_reuse`, column ``own``).

What counts as shared
---------------------
Texts are compared as *reuse tokens*: runs of letters and digits (``\\w+``), lower-cased. They
are finer than :func:`analysis.text.sentences.word_tokens` on purpose, so that "India-US" and
"India – US", or curly and straight apostrophes, do not break a match. Words are counted in
these tokens everywhere below.

- **Verbatim passage**: a maximal run of at least ``shingle_size`` (8) consecutive identical
  tokens in both articles (a run of shared 8-word shingles), with its character offsets in
  both articles' ``clean_text``. Eight, not five: news repeats titles with names of six or
  seven tokens ("US Secretary of State Marco Rubio", "US Ambassador to India Sergio Gor") in
  articles that share nothing else; eight identical words in a row are shared phrasing.
- **Verbatim sentence pair**: the passages align at least ``verbatim_min_share`` (half) of the
  words of the shorter sentence (containment), or the two sentences have the same tokens. A
  quotation copied whole into a longer sentence is verbatim in both.
- **Rewrite sentence pair**: not verbatim; both sentences at least ``min_rewrite_words`` (8,
  one shingle) long; at least ``min_shared_words`` (4) content words (English stop words
  excluded) in common; and TF-IDF cosine over word unigrams and bigrams of at least
  ``rewrite_threshold`` (0.4). IDF is estimated on the sentences of the corpus at hand, so the
  vocabulary every article on a story shares (the minister's name, "critical minerals") weighs
  little, and the rare words and word pairs of the source carry the match. Shorter sentences
  are judged only as part of a verbatim passage: their cosine rests on two or three words
  ("In fact, we have to do that." against "In fact, we don't know that.").

Why 0.4: cosine over l2-normalised TF-IDF vectors is roughly the share of (weighted) word and
word-pair mass two sentences have in common. On the constructed cases of ``tests/test_reuse.py``
(two stories, each as wire copy, light edit, paraphrase and other articles on the same story
with the same names and stock phrases, written for this purpose and not taken from the seed
articles), light edits score 0.75 to 0.90, paraphrases 0.38 to 0.66, and the 542 sentence pairs
that are not rewrites at most 0.28 (95th percentile 0.16). The threshold sits in that gap, nearer
the paraphrases than the middle (0.33) would, because the chance of a spurious match grows with
the number of sentence pairs compared (hundreds per article pair) and the negatives' maximum
with it. It was not tuned on the hand marks in ``corpus/annotations/reuse_marks.csv``, against
which :func:`reuse_validation` scores it; :func:`threshold_sweep` shows how those scores move
with it.

A sentence's status is ``verbatim`` if it is in any verbatim pair, else ``rewrite`` if it is in
any rewrite pair, else ``original``; ``own`` is ``status == "original"``. Shares of text are
shares of *words* (reuse tokens) in shared sentences.

**Outlet template.** A sentence printed word for word in ``template_min_docs`` (5) or more
articles of one outlet (newsletter prompts, copyright and credit lines, recurring teasers in a
scrape) is the outlet's page furniture: it is neither matched nor sketched, and is listed in
:attr:`ReuseResult.templates`. With one article per outlet, as in the study corpus, there is
none.

Which pairs of articles are compared
------------------------------------
Up to ``all_pairs_max_docs`` (300: about 45,000 pairs, a minute or two) articles, every pair.
Beyond that, candidate pairs come from MinHash locality-sensitive hashing over sentences, so
that the work grows with the number of sentences and of candidates, not with the square of the
number of articles:

1. every sentence long enough to be judged is the set of its content words, leaving out the
   words of more than ``lsh_max_df`` (1,000) sentences of the corpus: two sentences that share
   only "said", "president" and "Tuesday" are common in a large news corpus, and would make
   most of the candidates; a set needs ``lsh_min_words`` (3) words left;
2. each set's MinHash signature (``num_perm`` 128 permutations) uses datasketch's permutations
   and ``affine32`` scheme (:func:`minhash_signatures` equals
   :meth:`datasketch.MinHash.update_batch`), vectorised, one band at a time;
3. the ``b`` bands of ``r`` rows are datasketch's choice (:class:`~datasketch.MinHashLSH`) for a
   Jaccard threshold of ``lsh_threshold`` (0.4: 32 bands of 4); the constructed paraphrases
   have content-word Jaccard 0.5 to 0.8, light edits 0.7 to 0.9;
4. two articles are a candidate pair when their sentences share band buckets at least
   ``lsh_min_collisions`` (2) times: a copied or closely rewritten sentence collides in several
   of the 32 bands (Jaccard 0.6: 4 expected), two unrelated sentences that happen to be similar
   mostly in one; a bucket holding more than ``max_bucket_docs`` (100) articles is boilerplate
   or a ubiquitous quotation and yields none (counted in the summary);
5. every candidate pair is verified exactly as in the all-pairs path, so the LSH path finds a
   subset of what all pairs would, never anything else.

Articles are read in chunks of ``chunk_size``: once to count document frequencies, find outlet
templates and collect the content-word sets (memory: a few integers per sentence). Candidate
pairs are then verified in blocks of about 4,000 pairs, grouped by first article, the first
articles taken in a bandwidth-reducing order of the candidate graph (reverse Cuthill-McKee), so
that articles which are candidates of each other are verified close together; the features of
up to 2,000 articles that later blocks need are kept between blocks, the others remade when
needed (on the full AllSides corpus this order makes 26% fewer features than article order).
Each article is first screened against all
its candidate partners at once: a pair that shares no shingle and no sentence, and whose judged
sentences' TF-IDF cosines (one sparse product for all partners) stay more than 1e-6 below the
threshold, can share nothing and is not compared further; every other pair is compared exactly
as above, so the screen changes no result, only the time. Blocks are independent: ``workers``
processes verify them, with the same tables (every pair is verified alone, and the tables are
sorted in article order afterwards). The LSH index is numpy, not
:class:`~datasketch.MinHashLSH` itself, whose in-memory storage keeps Python sets per band and
key: measured, 1.1 GB and 84 s for 100,000 signatures, so some 18 GB for the 1.7 million
sentences of a 37,000-article corpus.

Examples
--------
>>> import pandas as pd
>>> wire = ("External Affairs Minister S Jaishankar will visit the United States from "
...         "February 2 to 5 to attend a ministerial meeting on critical minerals.")
>>> articles = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
...                          "clean_text": [wire, "New Delhi: " + wire]})
>>> from analysis.text.sentences import split_sentences
>>> result = detect_reuse(articles, split_sentences(articles))
>>> result.pairs[["doc_a", "doc_b", "kind", "share_a", "share_b"]].round(2).to_dict("records")
[{'doc_a': 'a', 'doc_b': 'b', 'kind': 'verbatim', 'share_a': 1.0, 'share_b': 1.0}]
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components, reverse_cuthill_mckee
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils import murmurhash3_32
from threadpoolctl import threadpool_limits

from analysis.core.config import CORPUS_DIR, RANDOM_SEED
from analysis.core.errors import InputError
from analysis.core.parallel import ordered_map
from analysis.core.progress import progress

#: The hand marks of reused sentences between the seed articles.
REUSE_MARKS_FILE = CORPUS_DIR / "annotations" / "reuse_marks.csv"

PASSAGE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "n_words"]
MATCH_COLUMNS = [
    "doc_a",
    "sent_idx_a",
    "doc_b",
    "sent_idx_b",
    "kind",
    "similarity",
    "shared_words",
]
PAIR_COLUMNS = [
    "doc_a",
    "doc_b",
    "outlet_a",
    "outlet_b",
    "kind",
    "share_a",
    "share_b",
    "verbatim_share_a",
    "verbatim_share_b",
    "n_verbatim_sentences",
    "n_rewrite_sentences",
    "n_passages",
    "longest_passage_words",
]
SENTENCE_REUSE_COLUMNS = [
    "doc_id",
    "sent_idx",
    "n_words",
    "status",
    "own",
    "shared_with",
    "verbatim_with",
    "rewrite_with",
    "best_match_doc",
    "best_match_sent",
    "similarity",
]
ARTICLE_REUSE_COLUMNS = [
    "doc_id",
    "outlet",
    "n_sentences",
    "n_words",
    "shared_share",
    "n_shared_sentences",
    "n_verbatim_sentences",
    "n_rewrite_sentences",
    "nearest_doc",
    "nearest_share",
    "neighbours",
]
VALIDATION_COLUMNS = [
    "level",
    "kind",
    "n_marked",
    "n_detected",
    "true_positives",
    "precision",
    "recall",
    "precision_any_kind",
    "recall_any_kind",
    "note",
]
STATUSES = ("original", "verbatim", "rewrite")
KINDS = ("verbatim", "rewrite")

_TOKEN = re.compile(r"\w+")
_TOKEN_SPLIT = re.compile(r"(\w+)")
_N_HASH_FEATURES = 2**20
_SHINGLE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd; any fixed odd constant would do
_BAND_MULTIPLIER = np.uint64(0xC2B2AE3D27D4EB4F)
_MAX_CACHED_TOKENS = 2_000_000
_MINHASH_BATCH = 200_000  # features per vectorised MinHash step (x num_perm x 4 bytes)


@dataclass(frozen=True)
class ReuseSettings:
    """The detector's parameters; the defaults are the study's (see the module docstring).

    Parameters
    ----------
    shingle_size
        Words in a shingle; also the shortest verbatim passage.
    verbatim_min_share
        Share of the shorter sentence's words that verbatim passages must align for a
        verbatim sentence pair.
    rewrite_threshold
        Lowest TF-IDF cosine of a rewrite sentence pair.
    min_rewrite_words
        Shortest sentence (in words) judged for rewriting.
    min_shared_words
        Fewest content words (English stop words excluded) a rewrite pair must share.
    all_pairs_max_docs
        Largest corpus compared pair by pair; larger ones use MinHash-LSH candidates.
    num_perm, lsh_threshold
        MinHash permutations, and the Jaccard threshold the LSH bands are chosen for.
    lsh_min_words
        Fewest content words for a sentence to be sketched.
    lsh_max_df
        Words found in more sentences than this are left out of the sketches.
    lsh_min_collisions
        Fewest band collisions (over all their sentences) that make two articles a candidate.
    max_bucket_docs
        A band bucket with more articles than this yields no candidate pairs.
    template_min_docs
        A sentence printed word for word in this many articles of one outlet is the outlet's
        template text and is neither matched nor sketched.
    chunk_size
        Articles processed at a time on the LSH path.
    seed
        Seed of the MinHash permutations.
    """

    shingle_size: int = 8
    verbatim_min_share: float = 0.5
    rewrite_threshold: float = 0.4
    min_rewrite_words: int = 8
    min_shared_words: int = 4
    all_pairs_max_docs: int = 300
    num_perm: int = 128
    lsh_threshold: float = 0.4
    lsh_min_words: int = 3
    lsh_max_df: int = 1000
    lsh_min_collisions: int = 2
    max_bucket_docs: int = 100
    template_min_docs: int = 5
    chunk_size: int = 2000
    seed: int = RANDOM_SEED

    def __post_init__(self) -> None:
        checks = {
            "shingle_size": self.shingle_size >= 2,
            "verbatim_min_share": 0 < self.verbatim_min_share <= 1,
            "rewrite_threshold": 0 < self.rewrite_threshold <= 1,
            "min_rewrite_words": self.min_rewrite_words >= 1,
            "min_shared_words": self.min_shared_words >= 0,
            "num_perm": self.num_perm >= 2,
            "lsh_threshold": 0 < self.lsh_threshold < 1,
            "max_bucket_docs": self.max_bucket_docs >= 2,
            "lsh_min_collisions": self.lsh_min_collisions >= 1,
            "template_min_docs": self.template_min_docs >= 2,
            "chunk_size": self.chunk_size >= 1,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise InputError(
                f"reuse settings: invalid value for {', '.join(bad)} "
                f"({', '.join(f'{name}={getattr(self, name)!r}' for name in bad)})"
            )


@dataclass
class ReuseResult:
    """What :func:`detect_reuse` found.

    Attributes
    ----------
    passages
        One row per verbatim passage (:data:`PASSAGE_COLUMNS`): the two articles, the
        passage's character offsets in each article's ``clean_text`` and its length in words.
    matches
        One row per shared sentence pair (:data:`MATCH_COLUMNS`): kind ``verbatim`` or
        ``rewrite``, TF-IDF cosine, and words aligned by verbatim passages.
    pairs
        One row per pair of articles sharing at least one sentence (:data:`PAIR_COLUMNS`).
    templates
        ``doc_id, sent_idx`` of the sentences left out as outlet template text.
    summary
        Counts: articles, sentences, all pairs, candidate pairs, pairs found, method, LSH
        bands and rows, skipped buckets; and the settings.
    """

    passages: pd.DataFrame
    matches: pd.DataFrame
    pairs: pd.DataFrame
    templates: pd.DataFrame
    summary: dict = field(default_factory=dict)


# --- tokens and features of one article -------------------------------------------------------


def reuse_tokens(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Lower-cased ``\\w+`` tokens of ``text`` with their character start and end offsets.

    >>> tokens, starts, ends = reuse_tokens("India–US ties: Gor’s post")
    >>> tokens, starts.tolist()
    (['india', 'us', 'ties', 'gor', 's', 'post'], [0, 6, 9, 15, 19, 21])
    """
    lowered = text.lower()
    exact = len(lowered) == len(text)  # a few characters lower-case to two; keep offsets exact
    source = lowered if exact else text
    # one pass in C: the split alternates gaps and tokens, and the lengths give the offsets
    pieces = _TOKEN_SPLIT.split(source)
    ends = np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)))[1::2]
    tokens = pieces[1::2]
    starts = ends - np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    if not exact:
        tokens = [token.lower() for token in tokens]
    return tokens, starts, ends


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


@dataclass
class _Article:
    """Everything the comparison needs about one article (computed, used, dropped)."""

    position: int
    shingles: np.ndarray  # uint64, one per token position with a full shingle
    token_sentence: np.ndarray  # position of each token's sentence in this article, -1 outside
    token_starts: np.ndarray
    token_ends: np.ndarray
    sent_idx: np.ndarray
    sentence_words: np.ndarray
    sentence_keys: np.ndarray  # uint64 hash of each sentence's token sequence
    token_hashes: np.ndarray  # uint64 (32-bit values) hash of each token
    content: np.ndarray | None = None  # sorted codes sentence << 32 | hash of content words
    content_bounds: np.ndarray | None = None  # each sentence's slice of ``content``
    shingle_order: np.ndarray | None = None  # argsort of ``shingles``, made when needed
    template: np.ndarray | None = None  # sentences that are the outlet's template text
    vectors: sparse.csr_matrix | None = None  # l2-normalised TF-IDF, one row per sentence
    columns: np.ndarray | None = None  # distinct feature columns of ``vectors``
    entry_rows: np.ndarray | None = None  # sentence of each stored entry of ``vectors``
    entry_columns: np.ndarray | None = None  # position in ``columns`` of each stored entry

    def __post_init__(self) -> None:
        self.template = np.zeros(len(self.sentence_words), dtype=bool)
        sentence = self.token_sentence
        words = (sentence >= 0) & ~np.isin(self.token_hashes, _stop_word_hashes())
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
    token_sentence = np.full(len(tokens), -1, dtype=np.int64)
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
        token_starts=starts,
        token_ends=ends,
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


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer: spreads the bits of a combined hash."""
    values = values.astype(np.uint64)
    with np.errstate(over="ignore"):
        values ^= values >> np.uint64(33)
        values *= np.uint64(0xFF51AFD7ED558CCD)
        values ^= values >> np.uint64(33)
        values *= np.uint64(0xC4CEB9FE1A85EC53)
        values ^= values >> np.uint64(33)
    return values


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
        article.columns, article.entry_columns = np.unique(columns, return_inverse=True)
        article.entry_rows = rows


def _dense_on(article: _Article, positions: np.ndarray) -> np.ndarray:
    """The article's sentence vectors on its columns at ``positions``, as a dense array."""
    local = np.full(len(article.columns), -1)
    local[positions] = np.arange(len(positions))
    column = local[article.entry_columns]
    keep = column >= 0
    dense = np.zeros((article.vectors.shape[0], len(positions)))
    dense[article.entry_rows[keep], column[keep]] = article.vectors.data[keep]
    return dense


def _similarities(a: _Article, b: _Article) -> np.ndarray:
    """Cosine similarity of every sentence of ``a`` with every sentence of ``b``.

    Only the feature columns both articles use contribute, so the product is taken on those
    (a sparse product over all 2**20 hashed columns would cost more than the whole comparison).
    """
    shape = (len(a.sentence_words), len(b.sentence_words))
    if a.vectors is None or b.vectors is None:
        return np.zeros(shape)
    _, in_a, in_b = np.intersect1d(a.columns, b.columns, assume_unique=True, return_indices=True)
    if not len(in_a):
        return np.zeros(shape)
    return _dense_on(a, in_a) @ _dense_on(b, in_b).T


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


# --- comparing two articles -------------------------------------------------------------------


def _aligned_runs(a: _Article, b: _Article, size: int) -> np.ndarray:
    """Maximal runs of shared shingles on one diagonal: rows (first_a, first_b, n_shingles)."""
    if not len(a.shingles) or not len(b.shingles):
        return np.zeros((0, 3), dtype=np.int64)
    if b.shingle_order is None:
        b.shingle_order = np.argsort(b.shingles, kind="stable")
    order = b.shingle_order
    sorted_b = b.shingles[order]
    low = np.searchsorted(sorted_b, a.shingles, side="left")
    counts = np.searchsorted(sorted_b, a.shingles, side="right") - low
    if not counts.any():
        return np.zeros((0, 3), dtype=np.int64)
    at_a = np.repeat(np.arange(len(a.shingles)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    at_b = order[np.repeat(low, counts) + within]
    diagonal = at_a - at_b
    ordered = np.lexsort((at_a, diagonal))
    at_a, at_b, diagonal = at_a[ordered], at_b[ordered], diagonal[ordered]
    starts = np.r_[True, (diagonal[1:] != diagonal[:-1]) | (at_a[1:] != at_a[:-1] + 1)]
    first = np.flatnonzero(starts)
    lengths = np.diff(np.r_[first, len(at_a)])
    return np.column_stack([at_a[first], at_b[first], lengths])


def _shared_words(
    a: _Article, b: _Article, runs: np.ndarray, size: int
) -> dict[tuple[int, int], int]:
    """Words aligned by the runs for each (sentence of a, sentence of b)."""
    if not len(runs):
        return {}
    words = runs[:, 2] + size - 1
    within = np.arange(words.sum()) - np.repeat(np.cumsum(words) - words, words)
    token_a = np.repeat(runs[:, 0], words) + within
    token_b = np.repeat(runs[:, 1], words) + within
    sent_a, sent_b = a.token_sentence[token_a], b.token_sentence[token_b]
    keep = (sent_a >= 0) & (sent_b >= 0)
    token_a, token_b, sent_a, sent_b = token_a[keep], token_b[keep], sent_a[keep], sent_b[keep]
    width = len(b.sentence_words) + 1
    pair = sent_a * width + sent_b
    # count distinct tokens on each side, so a phrase repeated in one article counts once
    side_a = np.unique(pair * (len(a.token_sentence) + 1) + token_a) // (len(a.token_sentence) + 1)
    side_b = np.unique(pair * (len(b.token_sentence) + 1) + token_b) // (len(b.token_sentence) + 1)
    keys_a, counts_a = np.unique(side_a, return_counts=True)
    keys_b, counts_b = np.unique(side_b, return_counts=True)
    count_b = dict(zip(keys_b.tolist(), counts_b.tolist(), strict=True))
    return {
        divmod(key, width): min(count, count_b.get(key, 0))
        for key, count in zip(keys_a.tolist(), counts_a.tolist(), strict=True)
    }


def _covered(n_tokens: int, firsts: np.ndarray, lengths: np.ndarray, sentence: np.ndarray) -> int:
    """Tokens inside sentences covered by the union of runs [first, first + length)."""
    if not len(firsts):
        return 0
    marks = np.zeros(n_tokens + 1, dtype=np.int64)
    np.add.at(marks, firsts, 1)
    np.add.at(marks, firsts + lengths, -1)
    covered = np.cumsum(marks[:-1]) > 0
    return int((covered & (sentence >= 0)).sum())


def _compare(a: _Article, b: _Article, settings: ReuseSettings) -> tuple[list, list, dict]:
    """Passages, sentence matches and shares of one pair of articles."""
    size = settings.shingle_size
    runs = _aligned_runs(a, b, size)
    shared = _shared_words(a, b, runs, size)
    words_a, words_b = a.sentence_words, b.sentence_words
    similarity = _similarities(a, b)
    long_enough = np.outer(
        words_a >= settings.min_rewrite_words, words_b >= settings.min_rewrite_words
    )
    usable = np.outer(~a.template, ~b.template)
    verbatim = np.zeros(similarity.shape, dtype=bool)
    shared_matrix = np.zeros(similarity.shape, dtype=np.int64)
    for (sent_a, sent_b), count in shared.items():
        shared_matrix[sent_a, sent_b] = count
        shorter = min(words_a[sent_a], words_b[sent_b])
        verbatim[sent_a, sent_b] = count >= settings.verbatim_min_share * shorter
    identical = (a.sentence_keys[:, None] == b.sentence_keys[None, :]) & long_enough
    verbatim = (verbatim | identical) & usable
    rewrite = (similarity >= settings.rewrite_threshold - 1e-9) & long_enough & usable & ~verbatim
    for sent_a, sent_b in zip(*np.nonzero(rewrite), strict=True):
        common = np.intersect1d(
            a.content_words(sent_a), b.content_words(sent_b), assume_unique=True
        )
        rewrite[sent_a, sent_b] = len(common) >= settings.min_shared_words
    matches = []
    for kind, mask in (("verbatim", verbatim), ("rewrite", rewrite)):
        for sent_a, sent_b in zip(*np.nonzero(mask), strict=True):
            matches.append(
                (
                    int(a.sent_idx[sent_a]),
                    int(b.sent_idx[sent_b]),
                    kind,
                    float(similarity[sent_a, sent_b]),
                    int(shared_matrix[sent_a, sent_b]),
                )
            )
    passages = []
    for first_a, first_b, n_shingles in runs.tolist():
        last = n_shingles + size - 2
        passages.append(
            (
                int(a.token_starts[first_a]),
                int(a.token_ends[first_a + last]),
                int(b.token_starts[first_b]),
                int(b.token_ends[first_b + last]),
                n_shingles + size - 1,
            )
        )
    matched = verbatim | rewrite
    lengths = runs[:, 2] + size - 1 if len(runs) else runs[:, 2]
    summary = {
        "shared_words_a": int(words_a[matched.any(axis=1)].sum()),
        "shared_words_b": int(words_b[matched.any(axis=0)].sum()),
        "verbatim_words_a": _covered(len(a.token_sentence), runs[:, 0], lengths, a.token_sentence),
        "verbatim_words_b": _covered(len(b.token_sentence), runs[:, 1], lengths, b.token_sentence),
        "n_verbatim_sentences": int(verbatim.sum()),
        "n_rewrite_sentences": int(rewrite.sum()),
        "longest_passage_words": int(lengths.max()) if len(lengths) else 0,
    }
    return passages, matches, summary


# --- MinHash-LSH candidates -------------------------------------------------------------------


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
    values = values.astype(np.uint32)
    with np.errstate(over="ignore"):
        values ^= values >> np.uint32(16)
        values *= np.uint32(0x85EBCA6B)
        values ^= values >> np.uint32(13)
        values *= np.uint32(0xC2B2AE35)
        values ^= values >> np.uint32(16)
    return values


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


def _sentence_keys(article: _Article, outlet: int) -> np.ndarray:
    """Keys of the article's sentences that are equal for the same text in the same outlet."""
    with np.errstate(over="ignore"):
        return article.sentence_keys.astype(np.uint64) * _BAND_MULTIPLIER + np.uint64(outlet)


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
    sets: _ContentSets, n_docs: int, settings: ReuseSettings
) -> tuple[np.ndarray, dict]:
    """Candidate article pairs from MinHash-LSH over the sets, one band at a time (so that
    memory holds one band's ``r`` signature rows, not the whole signature matrix)."""
    bands, rows, permutations = lsh_parameters(
        settings.num_perm, settings.lsh_threshold, settings.seed
    )
    offsets = np.r_[0, np.cumsum(sets.sizes)[:-1]].astype(np.int64)
    codes = np.zeros(0, dtype=np.int64)
    counts = np.zeros(0, dtype=np.int64)
    skipped = 0
    for band in progress(range(bands), desc="reuse: LSH bands", unit="band"):
        if not len(sets.sizes):
            break
        signature = minhash_signatures(
            sets.features, offsets, permutations[:, band * rows : (band + 1) * rows]
        )
        pairs, band_skipped = _bucket_pairs(
            _band_keys(signature, 1, rows)[:, 0], sets.owners, settings.max_bucket_docs
        )
        skipped += band_skipped
        codes, inverse = np.unique(
            np.concatenate([codes, pairs[:, 0] * n_docs + pairs[:, 1]]), return_inverse=True
        )
        counts = np.bincount(
            inverse,
            weights=np.concatenate([counts, np.ones(len(pairs), dtype=np.int64)]),
            minlength=len(codes),
        ).astype(np.int64)
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


def _template_keys(keys: np.ndarray, owners: np.ndarray, min_docs: int) -> np.ndarray:
    """Outlet sentence keys found in at least ``min_docs`` articles (sorted)."""
    if not len(keys):
        return np.zeros(0, dtype=np.uint64)
    order = np.lexsort((owners, keys))
    keys, owners = keys[order], owners[order]
    distinct = np.r_[True, (keys[1:] != keys[:-1]) | (owners[1:] != owners[:-1])]
    values, counts = np.unique(keys[distinct], return_counts=True)
    return values[counts >= min_docs]


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


# --- the detector -----------------------------------------------------------------------------


def _spans_by_article(
    articles: pd.DataFrame, sentences: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Sentence (sent_idx, start, end) rows grouped by article position, and the offsets."""
    positions = pd.Index(articles["doc_id"]).get_indexer(sentences["doc_id"])
    if (positions < 0).any():
        unknown = sentences["doc_id"][positions < 0].iloc[0]
        raise InputError(f"sentence table: doc_id {unknown!r} is not in the article table")
    table = np.column_stack(
        [
            positions,
            sentences["start"].to_numpy(np.int64),
            sentences["sent_idx"].to_numpy(np.int64),
            sentences["end"].to_numpy(np.int64),
        ]
    )
    table = table[np.lexsort((table[:, 1], table[:, 0]))]
    offsets = np.searchsorted(table[:, 0], np.arange(len(articles) + 1))
    return table[:, [2, 1, 3]], offsets


def _texts(articles: pd.DataFrame) -> pd.Series:
    column = "clean_text" if "clean_text" in articles.columns else "text"
    if column not in articles.columns:
        raise InputError("article table: needs a 'clean_text' (or 'text') column")
    return articles[column].fillna("").astype(str)


def detect_reuse(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    settings: ReuseSettings | None = None,
    method: str = "auto",
    workers: int = 1,
) -> ReuseResult:
    """Find verbatim passages and shared sentences between every pair of articles.

    Parameters
    ----------
    articles
        One row per article: ``doc_id``, ``clean_text`` (or ``text``), ``outlet`` (optional).
    sentences
        The sentence table (``doc_id, sent_idx, start, end``; offsets into ``clean_text``).
    settings
        Detector parameters; :class:`ReuseSettings` defaults when ``None``.
    method
        ``"all_pairs"``, ``"lsh"``, or ``"auto"`` (all pairs up to
        ``settings.all_pairs_max_docs`` articles, LSH beyond).
    workers
        Local processes verifying the candidate pairs (1: in this process). The candidates
        are verified a block of first articles at a time; the results are identical whatever
        the number of workers.

    Returns
    -------
    ReuseResult
        Passages, sentence matches, article pairs and a summary.

    See Also
    --------
    reuse_pairs : the article-pair table alone.
    sentence_reuse, article_reuse : per-sentence status and per-article shares.
    """
    settings = settings or ReuseSettings()
    if method not in {"auto", "all_pairs", "lsh"}:
        raise InputError(f"reuse: method must be auto, all_pairs or lsh, not {method!r}")
    if workers < 1:
        raise InputError(f"reuse: workers must be 1 or more, not {workers!r}")
    if articles["doc_id"].duplicated().any():
        duplicate = articles["doc_id"][articles["doc_id"].duplicated()].iloc[0]
        raise InputError(f"article table: doc_id {duplicate!r} appears more than once")
    n_docs = len(articles)
    if method == "auto":
        method = "all_pairs" if n_docs <= settings.all_pairs_max_docs else "lsh"
    texts = _texts(articles)
    spans, offsets = _spans_by_article(articles, sentences)
    outlets = (
        articles["outlet"].fillna("").astype(str).to_numpy()
        if "outlet" in articles.columns
        else np.full(n_docs, "", dtype=object)
    )
    # articles with no outlet are each their own outlet: they cannot share a template
    named = np.where(outlets == "", articles["doc_id"].astype(str).to_numpy(), outlets)
    outlet_codes = pd.factorize(named)[0]
    hashes = _TokenHashes()

    def features(positions: Iterable[int]) -> list[_Article]:
        made = [
            _article_features(
                int(p), texts.iat[int(p)], spans[offsets[p] : offsets[p + 1]], settings, hashes
            )
            for p in positions
        ]
        if len(hashes) > _MAX_CACHED_TOKENS:
            hashes.clear()
        return made

    summary: dict = {
        "method": method,
        "n_articles": n_docs,
        "n_sentences": len(sentences),
        "n_all_pairs": n_docs * (n_docs - 1) // 2,
    }
    chunks = [
        np.arange(start, min(start + settings.chunk_size, n_docs))
        for start in range(0, n_docs, settings.chunk_size)
    ]
    started = time.perf_counter()
    # pass 1: document frequencies, outlet sentence keys and (for LSH) content-word sets
    df = np.zeros(_N_HASH_FEATURES, dtype=np.int64)
    n_rows = 0
    key_parts, owner_parts, set_parts = [], [], []
    for chunk in progress(chunks, desc="reuse: reading articles", unit="chunk"):
        chunk_articles = features(chunk)
        chunk_df, chunk_rows = _document_frequencies(chunk_articles)
        df += chunk_df
        n_rows += chunk_rows
        for article in chunk_articles:
            key_parts.append(_sentence_keys(article, outlet_codes[article.position]))
            owner_parts.append(np.full(len(article.sentence_words), article.position))
        if method == "lsh":
            set_parts.append(_content_sets(chunk_articles, outlet_codes, settings))
    sentence_keys = np.concatenate(key_parts) if key_parts else np.zeros(0, np.uint64)
    sentence_owners = np.concatenate(owner_parts) if owner_parts else np.zeros(0, np.int64)
    del key_parts, owner_parts
    templates = _template_keys(sentence_keys, sentence_owners, settings.template_min_docs)
    template_rows = np.flatnonzero(np.isin(sentence_keys, templates))
    template_owners = sentence_owners[template_rows]
    template_table = pd.DataFrame(
        {
            "doc_id": articles["doc_id"].to_numpy()[template_owners],
            "sent_idx": spans[template_rows, 0] if len(template_rows) else np.zeros(0, np.int64),
        }
    )
    del sentence_keys, sentence_owners
    summary["template_sentences"] = len(template_table)
    if method == "all_pairs":
        candidates = np.array(
            [(i, j) for i in range(n_docs) for j in range(i + 1, n_docs)], dtype=np.int64
        ).reshape(-1, 2)
        summary["n_candidate_pairs"] = len(candidates)
    else:
        sets = _ContentSets.concatenate(set_parts)
        del set_parts
        sets = sets.keep(~np.isin(sets.keys, templates), np.ones(len(sets.features), dtype=bool))
        words, counts = np.unique(sets.features, return_counts=True)
        common = words[counts > settings.lsh_max_df]
        sets = sets.keep(np.ones(len(sets.sizes), dtype=bool), ~np.isin(sets.features, common))
        sets = sets.keep(sets.sizes >= settings.lsh_min_words, np.ones(len(sets.features), bool))
        candidates, lsh_summary = _lsh_candidates(sets, n_docs, settings)
        del sets
        summary.update(n_candidate_pairs=len(candidates), common_words=len(common), **lsh_summary)
    blocks, needs = _blocks(candidates, _bandwidth_rank(candidates, n_docs))
    del candidates
    doc_ids = articles["doc_id"].to_numpy()
    verifier = _Verifier(
        texts=texts.tolist(),
        spans=spans,
        offsets=offsets,
        outlet_codes=outlet_codes,
        templates=templates,
        idf=_idf(df, n_rows),
        settings=settings,
        doc_ids=doc_ids,
        outlets=outlets,
        needs=needs,
        n_blocks=len(blocks),
    )
    summary["seconds_preparing"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    total = summary["n_candidate_pairs"]
    done = progress(range(total), desc="reuse: verifying pairs", unit="pair", total=total)
    passage_rows, match_rows, pair_rows = _verify(verifier, blocks, workers, done)
    summary["n_pairs_found"] = len(pair_rows)
    summary["seconds_verifying"] = round(time.perf_counter() - started, 1)
    summary["settings"] = asdict(settings)
    position = {doc: i for i, doc in enumerate(doc_ids)}

    def in_article_order(rows: list, columns: list[str]) -> pd.DataFrame:
        table = pd.DataFrame(rows, columns=columns)
        order = np.lexsort((table["doc_b"].map(position), table["doc_a"].map(position)))
        return table.iloc[order].reset_index(drop=True)

    return ReuseResult(
        passages=in_article_order(passage_rows, PASSAGE_COLUMNS),
        matches=in_article_order(match_rows, MATCH_COLUMNS),
        pairs=in_article_order(pair_rows, PAIR_COLUMNS),
        templates=template_table,
        summary=summary,
    )


def _pair_rows(
    a: _Article, b: _Article, settings: ReuseSettings, doc_ids: np.ndarray, outlets: np.ndarray
) -> tuple[list, list, list]:
    """Passage, match and pair rows of one pair of articles (:func:`_compare`, as table rows)."""
    passages, matches, shares = _compare(a, b, settings)
    first, second = a.position, b.position
    doc_a, doc_b = doc_ids[first], doc_ids[second]
    passage_rows = [(doc_a, doc_b, *passage) for passage in passages]
    if not matches:
        return passage_rows, [], []
    match_rows = [(doc_a, m[0], doc_b, *m[1:]) for m in matches]
    n_verbatim, n_rewrite = shares["n_verbatim_sentences"], shares["n_rewrite_sentences"]
    kind = "both" if n_verbatim and n_rewrite else "verbatim" if n_verbatim else "rewrite"
    pair_row = (
        doc_a,
        doc_b,
        outlets[first],
        outlets[second],
        kind,
        shares["shared_words_a"] / max(a.n_words, 1),
        shares["shared_words_b"] / max(b.n_words, 1),
        shares["verbatim_words_a"] / max(a.n_words, 1),
        shares["verbatim_words_b"] / max(b.n_words, 1),
        n_verbatim,
        n_rewrite,
        len(passages),
        shares["longest_passage_words"],
    )
    return passage_rows, match_rows, [pair_row]


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


def reuse_pairs(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    settings: ReuseSettings | None = None,
    method: str = "auto",
) -> pd.DataFrame:
    """One row per pair of articles that share text (``framing reuse PATH --out pairs.csv``).

    Columns (:data:`PAIR_COLUMNS`): ``doc_a, doc_b`` (``doc_a`` first in the article table),
    their outlets, ``kind`` (``verbatim``, ``rewrite`` or ``both``: the kinds of their shared
    sentence pairs), ``share_a`` (share of doc_a's words in sentences shared with doc_b) and
    ``share_b``, ``verbatim_share_a/b`` (share of words inside verbatim passages),
    ``n_verbatim_sentences`` and ``n_rewrite_sentences`` (sentence pairs of each kind),
    ``n_passages`` and ``longest_passage_words``.

    Examples
    --------
    >>> from analysis.text.sentences import split_sentences
    >>> text = "Rubio will host partners from across the globe for the inaugural ministerial."
    >>> articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "B", "C"],
    ...     "clean_text": [text, text, "Floods closed schools across the state on Monday."]})
    >>> reuse_pairs(articles, split_sentences(articles))[["doc_a", "doc_b", "kind"]].values.tolist()
    [['a', 'b', 'verbatim']]
    """
    return detect_reuse(articles, sentences, settings=settings, method=method).pairs


# --- per sentence, per article, clusters ------------------------------------------------------


def _partners(matches: pd.DataFrame) -> pd.DataFrame:
    """Matches seen from both sides: doc_id, sent_idx, other_doc, other_sent, kind, similarity."""
    forward = matches.rename(
        columns={
            "doc_a": "doc_id",
            "sent_idx_a": "sent_idx",
            "doc_b": "other_doc",
            "sent_idx_b": "other_sent",
        }
    )
    backward = matches.rename(
        columns={
            "doc_b": "doc_id",
            "sent_idx_b": "sent_idx",
            "doc_a": "other_doc",
            "sent_idx_a": "other_sent",
        }
    )
    columns = ["doc_id", "sent_idx", "other_doc", "other_sent", "kind", "similarity"]
    both = pd.concat([forward[columns], backward[columns]], ignore_index=True)
    return both.astype({"doc_id": str, "other_doc": str, "kind": str, "similarity": float})


def sentence_reuse(sentences: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Per sentence: whether it is shared with other articles, how, and with which.

    Parameters
    ----------
    sentences
        The sentence table (``doc_id, sent_idx, text``).
    matches
        Sentence matches (:attr:`ReuseResult.matches`).

    Returns
    -------
    pandas.DataFrame
        :data:`SENTENCE_REUSE_COLUMNS`: ``n_words`` (reuse tokens), ``status`` (``original``,
        ``verbatim`` or ``rewrite``), ``own`` (``status == "original"``: the sentence counts
        as the article's own text), ``shared_with`` (other articles, ``;``-joined),
        ``verbatim_with`` and ``rewrite_with`` (matched sentences as ``doc_id:sent_idx``),
        and the best match of the sentence's status (``best_match_doc``,
        ``best_match_sent``, ``similarity``: TF-IDF cosine; empty for original sentences).
    """
    table = sentences[["doc_id", "sent_idx"]].copy()
    table["n_words"] = [len(_TOKEN.findall(text)) for text in sentences["text"]]
    partners = _partners(matches)
    partners = partners[partners["doc_id"].isin(table["doc_id"])]
    partners = partners.assign(
        label=partners["other_doc"].astype(str)
        + ":"
        + partners["other_sent"].astype(int).astype(str)
    ).sort_values(["doc_id", "sent_idx", "other_doc", "other_sent", "kind"], kind="stable")
    keys = ["doc_id", "sent_idx"]

    def joined(frame: pd.DataFrame, column: str) -> pd.Series:
        return frame.groupby(keys, sort=False)[column].agg(
            lambda values: ";".join(dict.fromkeys(values))
        )

    indexed = table.set_index(keys).index
    by_kind = {kind: partners[partners["kind"] == kind] for kind in KINDS}
    table["shared_with"] = joined(partners, "other_doc").reindex(indexed).fillna("").to_numpy()
    for kind in KINDS:
        table[f"{kind}_with"] = (
            joined(by_kind[kind], "label").reindex(indexed).fillna("").to_numpy()
        )
    table["status"] = np.where(
        table["verbatim_with"] != "",
        "verbatim",
        np.where(table["rewrite_with"] != "", "rewrite", "original"),
    )
    table["own"] = table["status"] == "original"
    best = (
        partners.merge(table[[*keys, "status"]], on=keys)
        .query("kind == status")
        .sort_values(
            [*keys, "similarity", "other_doc", "other_sent"],
            ascending=[True, True, False, True, True],
            kind="stable",
        )
        .drop_duplicates(keys)
        .set_index(keys)
        .reindex(indexed)
    )
    table["best_match_doc"] = best["other_doc"].fillna("").to_numpy()
    table["best_match_sent"] = pd.array(best["other_sent"].to_numpy(), dtype="Int64")
    table["similarity"] = best["similarity"].astype(float).to_numpy()
    return table[SENTENCE_REUSE_COLUMNS].reset_index(drop=True)


def article_reuse(
    articles: pd.DataFrame, sentence_table: pd.DataFrame, pairs: pd.DataFrame
) -> pd.DataFrame:
    """Per article: the share of its text shared with other articles, and its neighbours.

    Parameters
    ----------
    articles
        ``doc_id`` and ``outlet`` of every article.
    sentence_table
        :func:`sentence_reuse`'s table.
    pairs
        :func:`reuse_pairs`'s table.

    Returns
    -------
    pandas.DataFrame
        :data:`ARTICLE_REUSE_COLUMNS`: ``shared_share`` is the share of the article's words in
        sentences that are not its own (verbatim or rewrite); ``nearest_doc`` is the article
        holding the largest share of this one's words (``nearest_share``, its ``share_a`` or
        ``share_b`` in the pair table); ``neighbours`` lists every article sharing text with
        it, largest share first, as ``doc_id (share)``.
    """
    table = articles[["doc_id"]].copy()
    table["outlet"] = articles["outlet"].to_numpy() if "outlet" in articles else ""
    grouped = sentence_table.assign(
        shared_words=sentence_table["n_words"].where(~sentence_table["own"], 0),
        verbatim=sentence_table["status"] == "verbatim",
        rewrite=sentence_table["status"] == "rewrite",
        shared=~sentence_table["own"],
    ).groupby("doc_id", sort=False)
    sums = grouped[["n_words", "shared_words", "shared", "verbatim", "rewrite"]].sum()
    sums["n_sentences"] = grouped.size()
    sums = sums.reindex(table["doc_id"]).fillna(0)
    table["n_sentences"] = sums["n_sentences"].astype(int).to_numpy()
    table["n_words"] = sums["n_words"].astype(int).to_numpy()
    table["shared_share"] = (
        sums["shared_words"] / sums["n_words"].where(sums["n_words"] > 0)
    ).to_numpy()
    table["n_shared_sentences"] = sums["shared"].astype(int).to_numpy()
    table["n_verbatim_sentences"] = sums["verbatim"].astype(int).to_numpy()
    table["n_rewrite_sentences"] = sums["rewrite"].astype(int).to_numpy()
    seen = pd.concat(
        [
            pairs[["doc_a", "doc_b", "share_a"]].set_axis(["doc_id", "other", "share"], axis=1),
            pairs[["doc_b", "doc_a", "share_b"]].set_axis(["doc_id", "other", "share"], axis=1),
        ],
        ignore_index=True,
    ).sort_values(["doc_id", "share", "other"], ascending=[True, False, True], kind="stable")
    nearest = seen.drop_duplicates("doc_id").set_index("doc_id").reindex(table["doc_id"])
    table["nearest_doc"] = nearest["other"].fillna("").to_numpy()
    table["nearest_share"] = nearest["share"].fillna(0.0).astype(float).to_numpy()
    listed = {
        doc_id: ";".join(
            f"{o} ({s:.2f})" for o, s in zip(rows["other"], rows["share"], strict=True)
        )
        for doc_id, rows in seen.groupby("doc_id", sort=False)
    }
    table["neighbours"] = [listed.get(doc_id, "") for doc_id in table["doc_id"]]
    return table[ARTICLE_REUSE_COLUMNS].reset_index(drop=True)


def reuse_clusters(
    pairs: pd.DataFrame, doc_ids: Sequence[str], *, min_share: float = 0.25
) -> pd.DataFrame:
    """Groups of articles that share a source: connected components of the pairs in which
    at least ``min_share`` of one article's words are shared with the other.

    A quarter, so that one shared quotation or a stock sentence does not join two articles,
    while a short wire story reprinted inside a longer article does. Single linkage: two
    articles in one cluster may share nothing directly, only through a third.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, cluster, cluster_size``; clusters numbered from 0 in the order of their first
        article in ``doc_ids``; an article linked to none is a cluster of size 1.

    Examples
    --------
    >>> pairs = pd.DataFrame({"doc_a": ["a"], "doc_b": ["c"], "share_a": [0.6], "share_b": [0.3]})
    >>> reuse_clusters(pairs, ["a", "b", "c"])["cluster"].tolist()
    [0, 1, 0]
    """
    doc_ids = list(doc_ids)
    index = {doc: i for i, doc in enumerate(doc_ids)}
    linked = pairs[pairs[["share_a", "share_b"]].max(axis=1) >= min_share]
    linked = linked[linked["doc_a"].isin(index) & linked["doc_b"].isin(index)]
    rows = linked["doc_a"].map(index).to_numpy(dtype=np.int64)
    columns = linked["doc_b"].map(index).to_numpy(dtype=np.int64)
    graph = sparse.coo_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(doc_ids), len(doc_ids))
    )
    _, labels = connected_components(graph, directed=False)
    renumber: dict[int, int] = {}
    clusters = [renumber.setdefault(label, len(renumber)) for label in labels.tolist()]
    table = pd.DataFrame({"doc_id": doc_ids, "cluster": clusters})
    table["cluster_size"] = table.groupby("cluster")["doc_id"].transform("size")
    return table


# --- validation against the hand marks --------------------------------------------------------


def article_reuse_with_clusters(
    articles: pd.DataFrame, sentences: pd.DataFrame, pairs: pd.DataFrame
) -> pd.DataFrame:
    """:func:`article_reuse` with each article's :func:`reuse_clusters` cluster and size."""
    table = article_reuse(articles, sentences, pairs)
    return table.merge(reuse_clusters(pairs, articles["doc_id"]), on="doc_id", how="left")


def _pair_key(doc_a: str, sent_a: int, doc_b: str, sent_b: int) -> tuple:
    return tuple(sorted([(doc_a, int(sent_a)), (doc_b, int(sent_b))]))


def read_reuse_marks(path: Path | str = REUSE_MARKS_FILE) -> pd.DataFrame:
    """The hand marks: ``doc_a, sent_idx_a, doc_b, sent_idx_b, kind`` (and who, when, note).

    Raises :class:`InputError` naming the file, row and field of a bad value.
    """
    try:
        marks = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such annotation file") from None
    missing = {"doc_a", "sent_idx_a", "doc_b", "sent_idx_b", "kind"} - set(marks.columns)
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    for row_number, row in enumerate(marks.itertuples(index=False), start=2):
        if row.kind not in KINDS:
            raise InputError(
                f"{path}: row {row_number}: field 'kind' must be verbatim or rewrite, "
                f"not {row.kind!r}"
            )
        for column in ("sent_idx_a", "sent_idx_b"):
            if not getattr(row, column).isdigit():
                raise InputError(
                    f"{path}: row {row_number}: field {column!r} must be a sentence number"
                )
    return marks.astype({"sent_idx_a": int, "sent_idx_b": int})


def _scores(marked: dict, detected: dict, level: str, note: str) -> list[dict]:
    rows = []
    for kind in (*KINDS, "all"):
        marked_kind = {k for k, v in marked.items() if kind == "all" or v == kind}
        detected_kind = {k for k, v in detected.items() if kind == "all" or v == kind}
        strict = len(marked_kind & detected_kind)
        rows.append(
            {
                "level": level,
                "kind": kind,
                "n_marked": len(marked_kind),
                "n_detected": len(detected_kind),
                "true_positives": strict,
                "precision": strict / len(detected_kind) if detected_kind else float("nan"),
                "recall": strict / len(marked_kind) if marked_kind else float("nan"),
                "precision_any_kind": len(detected_kind & set(marked)) / len(detected_kind)
                if detected_kind
                else float("nan"),
                "recall_any_kind": len(marked_kind & set(detected)) / len(marked_kind)
                if marked_kind
                else float("nan"),
                "note": note,
            }
        )
    return rows


def reuse_validation(
    sentence_table: pd.DataFrame, marks_path: Path | str = REUSE_MARKS_FILE
) -> pd.DataFrame:
    """Precision and recall of the detector against hand marks of reused sentences.

    Two levels: ``sentence pair`` (a marked pair of sentences is found when the detector
    matched exactly those two sentences) and ``sentence`` (a sentence is shared at all). Per
    kind, ``precision`` and ``recall`` require the same kind (a marked verbatim pair found as
    a rewrite is a miss for both kinds); ``precision_any_kind`` and ``recall_any_kind`` ignore
    the kind. A sentence's marked kind is ``verbatim`` if any of its marks is verbatim, else
    ``rewrite``; the detector's is its status. Only articles named in the marks are scored, and
    only if they are all in ``sentence_table`` with the marked sentence numbers; otherwise
    (a user's own corpus) the table has counts of zero and a note.

    Parameters
    ----------
    sentence_table
        :func:`sentence_reuse`'s table (``verbatim_with`` and ``rewrite_with`` give the pairs).
    marks_path
        The hand marks (``corpus/annotations/reuse_marks.csv`` by default).
    """
    marks = read_reuse_marks(marks_path)
    marked_docs = set(marks["doc_a"]) | set(marks["doc_b"])
    present = set(zip(sentence_table["doc_id"], sentence_table["sent_idx"], strict=True))
    absent = sorted(
        {
            doc
            for doc, sent in [
                *zip(marks["doc_a"], marks["sent_idx_a"], strict=True),
                *zip(marks["doc_b"], marks["sent_idx_b"], strict=True),
            ]
            if (doc, sent) not in present
        }
    )
    if absent:
        if not marked_docs & set(sentence_table["doc_id"]):
            note = f"not scored: no hand marks for this corpus ({Path(marks_path).name} has none)"
        else:
            note = (
                f"not scored: {len(absent)} marked article(s) missing or split differently "
                f"({', '.join(absent)})"
            )
        empty: dict = {}
        return pd.DataFrame(
            _scores(empty, empty, "sentence pair", note) + _scores(empty, empty, "sentence", note),
            columns=VALIDATION_COLUMNS,
        )
    marked_pairs = {}
    for row in marks.itertuples(index=False):
        key = _pair_key(row.doc_a, row.sent_idx_a, row.doc_b, row.sent_idx_b)
        if marked_pairs.get(key) != "verbatim":
            marked_pairs[key] = row.kind
    scored = sentence_table[sentence_table["doc_id"].isin(marked_docs)]
    detected_pairs = {}
    for kind in KINDS:
        for doc, sent, listed in zip(
            scored["doc_id"], scored["sent_idx"], scored[f"{kind}_with"], strict=True
        ):
            for label in filter(None, listed.split(";")):
                other_doc, other_sent = label.rsplit(":", 1)
                if other_doc in marked_docs:
                    detected_pairs[_pair_key(doc, sent, other_doc, int(other_sent))] = kind
    marked_sentences: dict = {}
    for (first, second), kind in marked_pairs.items():
        for sentence in (first, second):
            if marked_sentences.get(sentence) != "verbatim":
                marked_sentences[sentence] = kind
    detected_sentences: dict = {}
    for (first, second), kind in detected_pairs.items():
        for sentence in (first, second):
            if detected_sentences.get(sentence) != "verbatim":
                detected_sentences[sentence] = kind
    note = f"{len(marked_docs)} marked articles; pairs between them only"
    return pd.DataFrame(
        _scores(marked_pairs, detected_pairs, "sentence pair", note)
        + _scores(marked_sentences, detected_sentences, "sentence", note),
        columns=VALIDATION_COLUMNS,
    )


def threshold_sweep(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    thresholds: Sequence[float],
    marks_path: Path | str = REUSE_MARKS_FILE,
    *,
    settings: ReuseSettings | None = None,
) -> pd.DataFrame:
    """How the scores against the hand marks move with the rewrite threshold (a sensitivity
    analysis: the threshold is chosen on constructed cases, not here).

    Detection runs once at the lowest threshold; a higher threshold keeps the rewrite matches
    whose similarity reaches it (every other condition of a rewrite does not depend on the
    threshold, and verbatim matches not at all), so the result equals a run per threshold.

    Returns
    -------
    pandas.DataFrame
        :func:`reuse_validation`'s columns with ``rewrite_threshold`` first.
    """
    settings = settings or ReuseSettings()
    lowest = ReuseSettings(**{**asdict(settings), "rewrite_threshold": min(thresholds)})
    marks = read_reuse_marks(marks_path)
    if not set(marks["doc_a"]) | set(marks["doc_b"]) <= set(sentences["doc_id"]):
        table = reuse_validation(sentence_reuse(sentences, _no_matches()), marks_path)
        return table.assign(rewrite_threshold=float("nan"))[
            ["rewrite_threshold", *VALIDATION_COLUMNS]
        ]
    matches = detect_reuse(articles, sentences, settings=lowest).matches
    tables = []
    for threshold in sorted(thresholds):
        kept = matches[
            (matches["kind"] == "verbatim") | (matches["similarity"] >= threshold - 1e-9)
        ]
        table = reuse_validation(sentence_reuse(sentences, kept), marks_path)
        tables.append(table.assign(rewrite_threshold=float(threshold)))
    return pd.concat(tables, ignore_index=True)[["rewrite_threshold", *VALIDATION_COLUMNS]]


def _no_matches() -> pd.DataFrame:
    return pd.DataFrame(
        {
            column: pd.Series(dtype=int if column.startswith("sent_idx") else object)
            for column in MATCH_COLUMNS
        }
    )


def passage_texts(passages: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The passage table with the passages' text in each article (``text_a``, ``text_b``),
    sliced from ``clean_text`` with the offsets.

    >>> articles = pd.DataFrame({"doc_id": ["a", "b"],
    ...                          "clean_text": ["Hello there.", "Oh, hello."]})
    >>> passages = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "start_a": [0], "end_a": [5],
    ...                          "start_b": [4], "end_b": [9], "n_words": [1]})
    >>> passage_texts(passages, articles)[["text_a", "text_b"]].values.tolist()
    [['Hello', 'hello']]
    """
    texts = dict(zip(articles["doc_id"], _texts(articles), strict=True))
    table = passages.copy()
    for side in ("a", "b"):
        table[f"text_{side}"] = [
            texts[doc][start:end]
            for doc, start, end in zip(
                table[f"doc_{side}"], table[f"start_{side}"], table[f"end_{side}"], strict=True
            )
        ]
    return table
