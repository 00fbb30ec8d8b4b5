"""Distinctive language: which terms an outlet uses more than the others, and how surely.

The measure is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
Quinn 2008, "Fightin' words", section 3.5): for term w, outlet i and comparison j (all other
outlets together, or one other outlet),

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w))
              - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w)),
    var(delta_w) ~= 1 / (y_iw + a_w) + 1 / (y_jw + a_w),      z_w = delta_w / sqrt(var),

where y are term counts, n the total term counts, and the prior a_w is the term's count in the
whole corpus (times ``prior_scale``), a_0 their sum. The prior shrinks the log-odds of rare
terms towards the corpus's overall use, so a word used twice by one outlet does not top the
list just because nobody else used it; z says how far the difference is from zero in standard
errors. Positive: outlet i uses the term more.

Terms come from :class:`analysis.topics.PhraseAnalyzer` (stop words removed, collocations such
as "critical minerals" merged into one term), fitted on the same texts. Counts are summed over
an outlet's texts (units), so an outlet with more text weighs more in the prior, as in Monroe
et al.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import permutations

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.topics import AnalysedTexts, PhraseAnalyzer, analyse_texts

#: The comparison label of one outlet against all the others together.
ALL_OTHERS = "all others"

DISTINCTIVE_COLUMNS = ["outlet", "comparison", "term", "log_odds", "z", "count", "count_other"]


def log_odds_dirichlet(
    counts: np.ndarray, counts_other: np.ndarray, prior: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio of each term between two groups, with an informative Dirichlet prior.

    Parameters
    ----------
    counts, counts_other
        Term counts of the focal group and of the comparison group (same term order).
    prior
        Prior pseudo-counts a_w (positive), usually the corpus counts.

    Returns
    -------
    log_odds, z : ndarray
        delta_w and its z-score delta_w / sqrt(var); positive when the focal group uses the
        term more.

    Examples
    --------
    >>> log_odds, z = log_odds_dirichlet(np.array([5, 5]), np.array([0, 10]), np.array([5, 15]))
    >>> bool(z[0] > 0 > z[1])
    True
    """
    counts = np.asarray(counts, dtype=float)
    counts_other = np.asarray(counts_other, dtype=float)
    prior = np.asarray(prior, dtype=float)
    if np.any(prior <= 0):
        raise ValueError("every prior pseudo-count must be positive")
    prior_total = prior.sum()
    focal = np.log(counts + prior) - np.log(counts.sum() + prior_total - counts - prior)
    other = np.log(counts_other + prior) - np.log(
        counts_other.sum() + prior_total - counts_other - prior
    )
    log_odds = focal - other
    variance = 1.0 / (counts + prior) + 1.0 / (counts_other + prior)
    return log_odds, log_odds / np.sqrt(variance)


def group_term_counts(
    texts: pd.DataFrame,
    analyzer: Callable[[str], list[str]] | None,
    *,
    group_column: str = "outlet",
    text_column: str = "text",
    workers: int = 1,
    analysed: AnalysedTexts | None = None,
) -> tuple[list[str], np.ndarray, sparse.csr_matrix]:
    """Term counts per group: each text is analysed on its own, then counts are summed.

    The texts are analysed by :func:`~analysis.topics.analyse_texts` (in runs in ``workers``
    processes), unless ``analysed`` gives them already analysed, in the order of ``texts``
    (``analyzer`` is then not used). Counts are whole numbers, the same however they are summed.

    Returns
    -------
    groups : list of str
        Group names, sorted.
    terms : ndarray of str
        The vocabulary, sorted.
    counts : sparse matrix of shape (n_groups, n_terms)

    Examples
    --------
    >>> texts = pd.DataFrame({"outlet": ["B", "A", "B"], "text": ["x y", "y", "y z"]})
    >>> groups, terms, counts = group_term_counts(texts, str.split)
    >>> groups, terms.tolist(), counts.toarray().tolist()
    (['A', 'B'], ['x', 'y', 'z'], [[0.0, 1.0, 0.0], [1.0, 2.0, 1.0]])
    """
    if analysed is None:
        analysed = analyse_texts(texts[text_column].tolist(), analyzer, workers=workers)
    if len(analysed) != len(texts):
        raise ValueError(f"{len(analysed)} texts analysed for {len(texts)} texts")
    if not len(analysed.vocabulary):
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    groups = sorted(texts[group_column].unique())
    index = {group: i for i, group in enumerate(groups)}
    codes = np.fromiter(map(index.__getitem__, texts[group_column]), np.int64, len(texts))
    order = np.argsort(analysed.vocabulary, kind="stable")  # terms sorted, as a vectorizer's
    column = np.empty(len(order), dtype=np.int64)
    column[order] = np.arange(len(order))
    counts = sparse.coo_matrix(
        (
            np.ones(len(analysed.term_ids)),
            (np.repeat(codes, analysed.sizes()), column[analysed.term_ids]),
        ),
        shape=(len(groups), len(order)),
    )
    return groups, analysed.vocabulary[order], counts.tocsr()  # repeated entries summed


def distinctive_terms(
    texts: pd.DataFrame,
    *,
    group_column: str = "outlet",
    text_column: str = "text",
    analyzer: Callable[[str], list[str]] | None = None,
    pairwise: bool = True,
    prior_scale: float = 1.0,
    n_terms: int | None = None,
    workers: int = 1,
    analysed: AnalysedTexts | None = None,
) -> pd.DataFrame:
    """Distinctive terms of every group: one against all the others, and pairwise.

    Parameters
    ----------
    texts
        One row per text (article, paragraph ...), with its group and text.
    group_column, text_column
        Column names of the group (an outlet) and of the text.
    analyzer
        ``text -> list of terms``; a :class:`~analysis.topics.PhraseAnalyzer` fitted on the
        texts when ``None``.
    pairwise
        Also compare every group with every other group on its own.
    prior_scale
        Multiplies the corpus counts that form the prior (1: Monroe et al.'s informative prior).
    n_terms
        Keep each comparison's ``n_terms`` terms with the largest z (ties: alphabetical), so
        that the pairwise table of many groups stays small (it has groups x (groups - 1)
        comparisons); ``None``: every term used by either side.

    Returns
    -------
    DataFrame
        Columns :data:`DISTINCTIVE_COLUMNS` (the first is named after ``group_column``):
        outlet, comparison (:data:`ALL_OTHERS` or the other outlet), term, log_odds, z, count
        (uses by the outlet), count_other (uses by the comparison). Only terms used by one side
        at least; sorted by outlet, comparison (all others first) and z, largest first.

    Examples
    --------
    >>> texts = pd.DataFrame({"outlet": ["A", "B", "C"],
    ...                       "text": ["tariff strain tariff talks", "talks reset", "talks reset"]})
    >>> table = distinctive_terms(texts, pairwise=False)
    >>> table[table["outlet"] == "A"]["term"].iloc[0]
    'tariff'
    """
    if texts.empty:
        raise ValueError("no texts to compare")
    if n_terms is not None and n_terms < 1:
        raise ValueError(f"n_terms must be a positive number or None, not {n_terms}")
    if analyzer is None and analysed is None:
        analyzer = PhraseAnalyzer().fit(texts[text_column])
    groups, terms, counts = group_term_counts(
        texts,
        analyzer,
        group_column=group_column,
        text_column=text_column,
        workers=workers,
        analysed=analysed,
    )
    counts = sparse.csr_matrix(counts, dtype=float)
    total = np.asarray(counts.sum(axis=0)).ravel()
    prior = prior_scale * total
    comparisons = [(i, None) for i in range(len(groups))]
    if pairwise:
        comparisons += list(permutations(range(len(groups)), 2))
    tables = []
    # One group's row dense at a time (all groups x terms took GBs at 37,554 articles); the
    # focal group's is asked for again by every comparison it leads.
    row = lru_cache(maxsize=2)(lambda group: counts[group].toarray().ravel())
    for focal, other in comparisons:
        focal_counts = row(focal)
        other_counts = total - focal_counts if other is None else row(other)
        log_odds, z = log_odds_dirichlet(focal_counts, other_counts, prior)
        used = np.flatnonzero((focal_counts + other_counts) > 0)
        if n_terms is not None:
            used = _largest(used, z[used], terms, n_terms)
        tables.append(
            pd.DataFrame(
                {
                    group_column: groups[focal],
                    "comparison": ALL_OTHERS if other is None else groups[other],
                    "term": terms[used],
                    "log_odds": log_odds[used],
                    "z": z[used],
                    "count": focal_counts[used].astype(int),
                    "count_other": other_counts[used].astype(int),
                    "_order": 0 if other is None else 1,
                }
            )
        )
    table = pd.concat(tables, ignore_index=True)
    table = table.sort_values(
        [group_column, "_order", "comparison", "z", "term"],
        ascending=[True, True, True, False, True],
        kind="stable",
    )
    return table.drop(columns="_order").reset_index(drop=True)


def _largest(positions: np.ndarray, z: np.ndarray, terms: np.ndarray, n_terms: int) -> np.ndarray:
    """The ``n_terms`` of ``positions`` with the largest ``z`` (ties: alphabetical term)."""
    if len(positions) > n_terms:
        cutoff = np.partition(z, len(z) - n_terms)[len(z) - n_terms]
        keep = z >= cutoff  # every term tied at the cutoff, before the exact order below
        positions, z = positions[keep], z[keep]
    order = np.lexsort((terms[positions], -z))[:n_terms]
    return positions[order]


def top_distinctive(
    table: pd.DataFrame,
    *,
    n_terms: int = 10,
    comparison: str = ALL_OTHERS,
    group_column: str = "outlet",
) -> pd.DataFrame:
    """The ``n_terms`` terms with the largest z of each outlet in one comparison."""
    rows = table[table["comparison"] == comparison]
    return rows.groupby(group_column, sort=True).head(n_terms).reset_index(drop=True)
