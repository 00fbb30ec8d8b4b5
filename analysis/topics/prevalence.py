"""Topic prevalence: the units topics are fitted on, each unit's topic shares, and each outlet's
mean share with an interval.

Unit
    A topic model needs many documents; the seed corpus has five articles. Topics are therefore
    fitted on **paragraphs** (the sentence table's ``para_idx``: 57 paragraphs in the seeds, of
    one to three sentences). A paragraph is the unit a reporter builds around one point (the
    ministerial, the ambassador, the trade deal), so it is closer to a "document about one
    topic" than an article, and, with 1.5 sentences on average, has more words to co-occur than
    a sentence alone (sentence-level topics are available with ``unit="sentence"``). Outlet
    prevalence is then the mean topic share over an outlet's paragraphs.

Prevalence (:func:`outlet_topics`)
    An outlet's topic prevalence is the mean topic share of its units with a 95% bootstrap
    interval, with the convention of :func:`analysis.framing.outlet_frames`: articles resampled
    when the outlet has several, the units of its one article otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.core.config import N_BOOTSTRAP
from analysis.core.parallel import Mapper
from analysis.core.uncertainty import mean_with_interval, seeded_rng
from analysis.topics.model import TopicModel
from analysis.topics.settings import PREVALENCE_COLUMNS, TOPIC_UNIT, TOPIC_UNITS, UNIT_COLUMNS


def topic_units(
    sentences: pd.DataFrame, articles: pd.DataFrame, unit: str = TOPIC_UNIT
) -> pd.DataFrame:
    """The texts topics are fitted on: one row per paragraph, sentence or article.

    Parameters
    ----------
    sentences
        The sentence table (:data:`analysis.text.sentences.SENTENCE_COLUMNS`).
    articles
        The article table (``doc_id``, ``outlet``).
    unit
        ``"paragraph"`` (sentences joined by ``para_idx``), ``"sentence"``, or ``"article"``
        (for corpora with thousands of articles; unit_idx is 0).

    Returns
    -------
    DataFrame
        Columns :data:`UNIT_COLUMNS`: doc_id, outlet, unit_idx (paragraph or sentence index),
        first_sent_idx, last_sent_idx, text; in article and text order.
    """
    if unit not in TOPIC_UNITS:
        raise ValueError(f"unit must be one of {', '.join(TOPIC_UNITS)}, not {unit!r}")
    key = {"paragraph": "para_idx", "sentence": "sent_idx", "article": "article_idx"}[unit]
    if unit == "article":
        sentences = sentences.assign(article_idx=0)
    groups = sentences.groupby(["doc_id", key], sort=False)
    units = (
        groups.agg(first_sent_idx=("sent_idx", "min"), last_sent_idx=("sent_idx", "max"))
        .reset_index()
        .rename(columns={key: "unit_idx"})
    )
    numbers = groups.ngroup().fillna(-1).to_numpy(dtype=np.int64)  # -1: a key missing
    units["text"] = pd.Series(  # typed as the aggregation typed it: inferred, or as given
        _joined(sentences["text"].tolist(), numbers, len(units)),
        index=units.index,
        dtype=sentences["text"].dtype if units.empty else None,
    )
    units = units.merge(articles[["doc_id", "outlet"]], on="doc_id", how="left")
    return units[UNIT_COLUMNS]


def _joined(texts: list[str], groups: np.ndarray, n_groups: int) -> list[str]:
    """The texts of each group joined by a space, in their order, groups numbered 0 to
    ``n_groups - 1`` (a negative number: in no group). The same strings as a group-by's
    ``" ".join`` aggregation, without its Python call per group (891,570 paragraphs at 37,554
    articles).

    >>> _joined(["a", "b", "c", "d"], np.array([0, 1, 0, -1]), 2)
    ['a c', 'b']
    """
    order = np.argsort(groups, kind="stable")
    order = order[groups[order] >= 0]
    ends = np.cumsum(np.bincount(groups[order], minlength=n_groups)).tolist()
    ordered = [texts[i] for i in order.tolist()]
    starts = [0, *ends][:-1]
    return [" ".join(ordered[start:end]) for start, end in zip(starts, ends, strict=True)]


def unit_topics(
    model: TopicModel, units: pd.DataFrame, matrix: sparse.spmatrix | None = None
) -> pd.DataFrame:
    """Tidy topic shares of every unit.

    Parameters
    ----------
    model
        A fitted :class:`TopicModel`.
    units
        The units (:func:`topic_units`).
    matrix
        The units already vectorised (:meth:`TopicModel.fit_vectorize`), so that they are not
        analysed again; by default ``model.vectorizer_.transform(units["text"])``.

    Returns
    -------
    DataFrame
        One row per (unit, topic): doc_id, outlet, unit_idx, n_terms (terms of the unit in the
        model's vocabulary; 0 means the shares are uniform by default), topic (1, 2 ...), share.
    """
    if matrix is None:
        matrix = model.vectorizer_.transform(list(units["text"]))
    matrix = sparse.csr_matrix(matrix)
    if matrix.shape[0] != len(units):
        raise ValueError(f"matrix has {matrix.shape[0]} rows for {len(units)} units")
    shares = model.shares_of(matrix)
    n_terms = np.asarray((matrix > 0).sum(axis=1)).ravel()
    base = units[["doc_id", "outlet", "unit_idx"]].assign(n_terms=n_terms)
    tables = [
        base.assign(topic=topic, share=shares[:, topic - 1])
        for topic in range(1, shares.shape[1] + 1)
    ]
    return pd.concat(tables, ignore_index=True)


def outlet_topics(
    unit_shares: pd.DataFrame, n_boot: int = N_BOOTSTRAP, mapper: Mapper | None = None
) -> pd.DataFrame:
    """Per outlet and topic: mean topic share of the outlet's units with a 95% interval.

    Units without a term in the model's vocabulary (``n_terms == 0``) are left out. The
    interval resamples articles when the outlet has several (ratio of summed shares to units,
    :func:`analysis.core.uncertainty.mean_with_interval`), else the units of its one article.
    Each outlet and topic has its own seeded random numbers, so with a ``mapper`` (a Dask
    cluster's, :class:`analysis.run.dask.DaskMapper`) runs of outlets are its tasks, and the
    table is the same.

    Returns
    -------
    DataFrame
        Columns :data:`PREVALENCE_COLUMNS`.
    """
    modelled = unit_shares[unit_shares["n_terms"] > 0]
    if mapper is None:
        rows = _prevalence_rows(modelled, n_boot)
    else:
        outlets, positions = np.unique(modelled["outlet"].to_numpy(str), return_inverse=True)
        # runs of outlets (in the groupby's sorted order) of about equal numbers of rows
        cut = np.cumsum(np.bincount(positions, minlength=len(outlets)))
        parts = np.searchsorted(cut, np.linspace(0, cut[-1] if len(cut) else 0, _TASKS + 1)[1:-1])
        calls = (
            (modelled[np.isin(positions, np.arange(lo, hi))], n_boot)
            for lo, hi in zip(np.r_[0, parts + 1], np.r_[parts + 1, len(outlets)], strict=True)
            if hi > lo
        )
        rows = [row for part in mapper(_prevalence_rows, calls) for row in part]
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS)


#: Tasks the outlets are split into when a mapper computes the prevalence.
_TASKS = 16


def _prevalence_rows(modelled: pd.DataFrame, n_boot: int) -> list[dict]:
    """The rows of :func:`outlet_topics` for the units in ``modelled``, by outlet and topic."""
    rows = []
    for (outlet, topic), units in modelled.groupby(["outlet", "topic"], sort=True):
        estimate, low, high, resampled = mean_with_interval(
            units["share"], units["doc_id"], seeded_rng(outlet, "topic", str(topic)), n_boot
        )
        rows.append(
            {
                "outlet": outlet,
                "topic": int(topic),
                "estimate": estimate,
                "low": low,
                "high": high,
                "n_articles": units["doc_id"].nunique(),
                "n_units": len(units),
                "resampled": resampled,
            }
        )
    return rows


def typical_units(unit_shares: pd.DataFrame, units: pd.DataFrame, n_units: int = 3) -> pd.DataFrame:
    """The units with the largest share of each topic.

    Returns
    -------
    DataFrame
        Columns topic, rank, doc_id, outlet, unit_idx, share, text; ties in share keep
        article and text order.
    """
    modelled = unit_shares[unit_shares["n_terms"] > 0].merge(
        units[["doc_id", "unit_idx", "text"]], on=["doc_id", "unit_idx"]
    )
    best = (
        modelled.sort_values(["topic", "share"], ascending=[True, False], kind="stable")
        .groupby("topic", sort=True)
        .head(n_units)
    )
    best = best.assign(rank=best.groupby("topic").cumcount() + 1)
    columns = ["topic", "rank", "doc_id", "outlet", "unit_idx", "share", "text"]
    return best[columns].reset_index(drop=True)


def topic_labels(top_terms: pd.DataFrame, n_terms: int = 3) -> dict[int, str]:
    """A short label per topic: its number and first terms ("1: gor, ambassador, ties")."""
    first = top_terms[top_terms["rank"] <= n_terms].groupby("topic", sort=True)["term"]
    return {int(topic): f"{topic}: {', '.join(terms)}" for topic, terms in first}
