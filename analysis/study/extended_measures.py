"""The extended study's measures by group: framing and tone by day, by outlet country and kind,
by article kind and by shared-copy cluster, topics and distinctive terms, and the seeds'
sensitivity to their full texts.

The functions here group the package's per-article measures (:mod:`analysis.study.measures`) by day,
by outlet country and kind, by article kind and by shared-copy cluster; they never decide a
frame themselves: every frame decision is ``frame_<id>_present`` and the sentence counts of
:func:`analysis.study.measures.frames_per_article`. Intervals resample articles
(:func:`analysis.core.uncertainty.ratio_interval`); a group of one article has no interval.

The coverage texts are the outlets' copyright: tables made here carry measures, counts, ids,
offsets and matched indicator words, never a sentence of text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import topics as topic_models
from analysis.core.config import CORPUS_DIR, N_BOOTSTRAP
from analysis.core.uncertainty import ratio_interval, seeded_rng
from analysis.distinctive import distinctive_terms as log_odds_terms
from analysis.study import measures
from analysis.study.coding import period
from analysis.study.extended import TARIFF_CUT, UNDATED, UNKNOWN_COUNTRY, ExtendedStudy
from analysis.study.load import Study, load_study

#: Countries with fewer articles than this are pooled as "other countries" in the figures.
MIN_COUNTRY_ARTICLES = 3
OTHER_COUNTRIES = "other countries"
#: Numbers of topics compared for the extended corpus (917 paragraphs of 114 openings; the
#: study's 2-8 was chosen for five articles).
K_VALUES = tuple(range(3, 16))
#: Distinctive terms kept per side of each comparison.
N_DISTINCTIVE_TERMS = 20


# --- per-article table --------------------------------------------------------------------------


def day(date: str) -> str:
    """The article's day (its ISO date) or :data:`UNDATED`."""
    return date or UNDATED


def tariff_side(date: str) -> str:
    """``before 2 February``, ``from 2 February`` or :data:`UNDATED`.

    >>> [tariff_side(d) for d in ["2026-01-29", "2026-02-02", ""]]
    ['before 2 February', 'from 2 February', 'undated']
    """
    if not date:
        return UNDATED
    return "before 2 February" if date < TARIFF_CUT else "from 2 February"


def country_group(articles: pd.DataFrame) -> pd.Series:
    """Each article's outlet country for the figures: countries with fewer than
    :data:`MIN_COUNTRY_ARTICLES` articles pooled as :data:`OTHER_COUNTRIES`, unknown ones as
    :data:`UNKNOWN_COUNTRY`."""
    counts = articles["outlet_country"].value_counts()
    return articles["outlet_country"].map(
        lambda c: (
            UNKNOWN_COUNTRY
            if c == "unknown"
            else (c if counts[c] >= MIN_COUNTRY_ARTICLES else OTHER_COUNTRIES)
        )
    )


def frame_ids(study: Study) -> list[str]:
    """The codebook's frame ids."""
    return measures.codebook(study).frame_ids


def article_table(study: ExtendedStudy) -> pd.DataFrame:
    """One row per article: ids, grouping columns and the package's per-article measures.

    Columns: doc_id, corpus, outlet, date, day, period, side (of 2 February), kind,
    outlet_country, country_group, outlet_kind, outlet_group, n_sentences, each frame's
    ``frame_<id>_sentences`` and ``frame_<id>_present``, frame_index, own_n_sentences,
    own_frame_index, n_words, shared_share, cluster, cluster_size, tone_narration,
    tone_quotation, n_narration, n_quotation.
    """
    articles = study.articles
    base = articles[
        [
            "doc_id",
            "corpus",
            "outlet",
            "date",
            "kind",
            "outlet_country",
            "outlet_kind",
            "outlet_group",
        ]
    ].copy()
    base.insert(4, "day", base["date"].map(day))
    base.insert(5, "period", base["date"].map(period))
    base.insert(6, "side", base["date"].map(tariff_side))
    base.insert(8, "country_group", country_group(base).to_numpy())
    ids = frame_ids(study)
    frames = measures.frames_per_article(study)
    frame_columns = [f"frame_{f}_sentences" for f in ids] + [f"frame_{f}_present" for f in ids]
    own = measures.frames_per_article_own(study)[["doc_id", "n_sentences", "frame_index"]]
    own = own.rename(columns={"n_sentences": "own_n_sentences", "frame_index": "own_frame_index"})
    reuse = measures.reuse_per_article(study)[
        ["doc_id", "n_words", "shared_share", "cluster", "cluster_size"]
    ]
    segments = measures.tone_per_segment(study)
    segments = segments[segments["scored"]]
    tone = segments.pivot_table(
        index="doc_id", columns="voice", values="compound", aggfunc=["mean", "size"]
    )
    tone.columns = [f"{'tone' if stat == 'mean' else 'n'}_{voice}" for stat, voice in tone.columns]
    tone = tone.reindex(columns=["tone_narration", "tone_quotation", "n_narration", "n_quotation"])
    table = (
        base.merge(frames[["doc_id", "n_sentences", *frame_columns, "frame_index"]], on="doc_id")
        .merge(own, on="doc_id", how="left")
        .merge(reuse, on="doc_id", how="left")
        .merge(tone.reset_index(), on="doc_id", how="left")
    )
    for column in ("n_narration", "n_quotation"):
        table[column] = table[column].fillna(0).astype(int)
    return table.sort_values("doc_id").reset_index(drop=True)


# --- framing by group ---------------------------------------------------------------------------


def _index_parts(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per article: convergence minus downturn sentences, and sentences (the framing index
    pooled over articles is their ratio of sums)."""
    numerators = table["frame_convergence_sentences"] - table["frame_downturn_sentences"]
    return numerators.to_numpy(dtype=float), table["n_sentences"].to_numpy(dtype=float)


def _estimate(numerators, denominators, keys: tuple[str, ...]) -> dict[str, object]:
    estimate, low, high = ratio_interval(numerators, denominators, seeded_rng(*keys), N_BOOTSTRAP)
    return {
        "estimate": estimate,
        "low": low,
        "high": high,
        "resampled": "articles" if len(numerators) > 1 else "none (one article)",
    }


def framing_by(articles: pd.DataFrame, by: str, ids: list[str]) -> pd.DataFrame:
    """Per value of column ``by``: the framing index (convergence minus downturn share of the
    group's sentences) and each frame's presence share (share of the group's articles with
    ``frame_<id>_present``), each with a 95% interval resampling articles.

    Returns one row per (group, measure): by, group, measure (``index`` or ``present``),
    frame, estimate, low, high, resampled, n_articles, n_sentences.
    """
    rows = []
    for group, members in articles.groupby(by, sort=True):
        counts = {"n_articles": len(members), "n_sentences": int(members["n_sentences"].sum())}
        numerators, denominators = _index_parts(members)
        rows.append(
            {
                "by": by,
                "group": group,
                "measure": "index",
                "frame": "convergence - downturn",
                **_estimate(numerators, denominators, (by, str(group), "index")),
                **counts,
            }
        )
        for frame in ids:
            present = members[f"frame_{frame}_present"].to_numpy(dtype=float)
            rows.append(
                {
                    "by": by,
                    "group": group,
                    "measure": "present",
                    "frame": frame,
                    **_estimate(present, np.ones_like(present), (by, str(group), frame)),
                    **counts,
                }
            )
    return pd.DataFrame(rows)


def tone_by(study: ExtendedStudy, articles: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of ``by`` and voice (narration, quotation): mean VADER compound of the
    segments, pooled over the group's articles, with a 95% interval resampling articles."""
    segments = measures.tone_per_segment(study)
    segments = segments[segments["scored"]].merge(articles[["doc_id", by]], on="doc_id")
    return _mean_per_group(segments, by, "voice", "compound", "tone", "n_segments")


def _mean_per_group(
    units: pd.DataFrame, by: str, level: str, value: str, kind: str, n_units: str
) -> pd.DataFrame:
    """Per value of ``by`` and of ``level``: the mean of ``value`` over ``units`` pooled over
    the group's articles, with a 95% interval resampling articles (seeded by the group, the
    ``kind`` of measure and the level), and the numbers of articles and units."""
    rows = []
    for (group, key), part in units.groupby([by, level], sort=True):
        per_article = part.groupby("doc_id")[value].agg(["sum", "size"])
        rows.append(
            {
                "by": by,
                "group": group,
                level: key,
                **_estimate(
                    per_article["sum"], per_article["size"], (by, str(group), kind, str(key))
                ),
                "n_articles": len(per_article),
                n_units: len(part),
            }
        )
    return pd.DataFrame(rows)


# --- shared copy --------------------------------------------------------------------------------


def cluster_table(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article in a cluster of articles sharing text (size 2 or more): the
    article's framing index on all text and on its own sentences, its shared share, and the
    cluster's framing index pooled over its members' sentences (``cluster_index``)."""
    clustered = articles[articles["cluster_size"] >= 2].copy()
    parts = (
        clustered.assign(numerator=_index_parts(clustered)[0], denominator=clustered["n_sentences"])
        .groupby("cluster")[["numerator", "denominator"]]
        .sum()
    )
    clustered["cluster_index"] = clustered["cluster"].map(parts["numerator"] / parts["denominator"])
    clustered["cluster_outlets"] = clustered["cluster"].map(
        clustered.groupby("cluster")["outlet"].nunique()
    )
    columns = [
        "cluster",
        "cluster_size",
        "cluster_outlets",
        "cluster_index",
        "doc_id",
        "outlet",
        "date",
        "corpus",
        "n_sentences",
        "own_n_sentences",
        "shared_share",
        "frame_index",
        "own_frame_index",
    ]
    return (
        clustered[columns]
        .sort_values(["cluster_size", "cluster", "doc_id"], ascending=[False, True, True])
        .reset_index(drop=True)
    )


def shared_copy_summary(articles: pd.DataFrame) -> pd.DataFrame:
    """How much of each corpus (coverage, seeds, all 114) is shared copy: the share of its
    words in sentences shared with another of the 114 articles (interval resampling
    articles), and the articles in clusters."""
    rows = []
    for name, members in [*articles.groupby("corpus", sort=True), ("all", articles)]:
        shared_words = (members["shared_share"].fillna(0) * members["n_words"]).to_numpy()
        rows.append(
            {
                "corpus": name,
                **_estimate(
                    shared_words,
                    members["n_words"].to_numpy(dtype=float),
                    ("shared copy", str(name)),
                ),
                "n_articles": len(members),
                "n_words": int(members["n_words"].sum()),
                "n_articles_sharing": int((members["shared_share"] > 0).sum()),
                "n_articles_in_clusters": int((members["cluster_size"] >= 2).sum()),
                "n_clusters": int(members.loc[members["cluster_size"] >= 2, "cluster"].nunique()),
            }
        )
    return pd.DataFrame(rows)


# --- topics and distinctive terms ---------------------------------------------------------------


def topic_quality(study: ExtendedStudy) -> pd.DataFrame:
    """Coherence and stability of the study's topic method over :data:`K_VALUES`."""
    return study.derived(
        "extended_topic_quality",
        lambda s: topic_models.topic_quality(
            measures.topic_units(s)["text"],
            k_values=K_VALUES,
            methods=[topic_models.TOPIC_METHOD],
            workers=s.workers,
        ),
    )


def topic_k(study: ExtendedStudy) -> int:
    """k by the package's rule (:func:`analysis.topics.choose_k`) over :data:`K_VALUES`."""
    return topic_models.choose_k(topic_quality(study), method=topic_models.TOPIC_METHOD)


def topic_model(study: ExtendedStudy) -> topic_models.TopicModel:
    """The extended corpus's topic model, fitted on its paragraphs with the chosen k."""
    return study.derived(
        "extended_topic_model",
        lambda s: topic_models.TopicModel(
            method=topic_models.TOPIC_METHOD, n_topics=topic_k(s)
        ).fit(measures.topic_units(s)["text"]),
    )


def topic_shares(study: ExtendedStudy) -> pd.DataFrame:
    """Topic shares of every paragraph (:func:`analysis.topics.unit_topics`)."""
    return study.derived(
        "extended_topic_shares",
        lambda s: topic_models.unit_topics(topic_model(s), measures.topic_units(s)),
    )


def topic_prevalence_by(study: ExtendedStudy, articles: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of ``by`` and topic: mean topic share of the group's paragraphs, with a 95%
    interval resampling articles."""
    shares = topic_shares(study)
    shares = shares[shares["n_terms"] > 0].merge(articles[["doc_id", by]], on="doc_id")
    return _mean_per_group(shares, by, "topic", "share", "topic", "n_units")


def distinctive_between(
    study: ExtendedStudy, articles: pd.DataFrame, by: str, groups: tuple[str, str]
) -> pd.DataFrame:
    """Distinctive terms of the two ``groups`` of column ``by`` against each other, over the
    paragraphs of their articles (articles in neither group are left out): each side's
    :data:`N_DISTINCTIVE_TERMS` terms with the largest z."""
    units = measures.topic_units(study).merge(articles[["doc_id", by]], on="doc_id")
    units = units[units[by].isin(groups)]
    table = log_odds_terms(units, group_column=by, pairwise=False, n_terms=N_DISTINCTIVE_TERMS)
    table = table.rename(columns={by: "group"})
    return table.assign(by=by, n_articles=table["group"].map(units.groupby(by)["doc_id"].nunique()))


# --- sensitivity: the seeds' full texts ---------------------------------------------------------


def seed_sensitivity(study: ExtendedStudy) -> pd.DataFrame:
    """For each seed: the framing index and frame presence on its opening (the main measure)
    and on its full text (the committed corpus/), side by side."""
    ids = frame_ids(study)
    columns = [
        "doc_id",
        "outlet",
        "n_sentences",
        "frame_index",
        *[f"frame_{f}_present" for f in ids],
    ]
    seeds = study.articles.loc[study.articles["corpus"] == "seeds", "doc_id"]
    opening = measures.frames_per_article(study)
    opening = opening[opening["doc_id"].isin(seeds)][columns].assign(measured_on="opening")
    full = measures.frames_per_article(load_study(CORPUS_DIR))[columns].assign(
        measured_on="full text"
    )
    table = pd.concat([opening, full], ignore_index=True)
    return (
        table[["doc_id", "outlet", "measured_on", *columns[2:]]]
        .sort_values(["doc_id", "measured_on"], ascending=[True, False])
        .reset_index(drop=True)
    )


__all__ = [
    "article_table",
    "cluster_table",
    "framing_by",
    "shared_copy_summary",
]
