"""Comparing two articles: verbatim passages (aligned runs of shingles), shared sentence
pairs (verbatim or rewrite) and the shares of each article's words they cover.

The rules are those of :mod:`analysis.reuse.detect` ("What counts as shared"); every candidate
pair, on either path, is compared here.
"""

from __future__ import annotations

import numpy as np

from analysis.reuse.features import _Article, _dense_on, _offset_type
from analysis.reuse.settings import ReuseSettings


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


def _aligned_runs(a: _Article, b: _Article, size: int) -> np.ndarray:
    """Maximal runs of shared shingles on one diagonal: rows (first_a, first_b, n_shingles)."""
    if not len(a.shingles) or not len(b.shingles):
        return np.zeros((0, 3), dtype=np.int64)
    if b.shingle_order is None:
        b.shingle_order = np.argsort(b.shingles, kind="stable").astype(
            _offset_type(len(b.shingles))
        )
    order = b.shingle_order
    sorted_b = b.shingles[order]
    low = np.searchsorted(sorted_b, a.shingles, side="left")
    hit = sorted_b[np.minimum(low, len(sorted_b) - 1)] == a.shingles
    counts = np.zeros(len(a.shingles), dtype=np.int64)  # matches in b: counted for hits only
    counts[hit] = np.searchsorted(sorted_b, a.shingles[hit], side="right") - low[hit]
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
    sent_a = a.token_sentence[token_a].astype(np.int64)  # int32 stored; products below need 64
    sent_b = b.token_sentence[token_b].astype(np.int64)
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
