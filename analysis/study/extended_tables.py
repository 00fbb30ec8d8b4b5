"""The tables of the extended study's figures (:data:`analysis.outputs.figures.EXTENDED_REGISTRY`):
one function per output, ``table(study) -> DataFrame`` for an
:class:`~analysis.study.extended.ExtendedStudy`, built from
:mod:`analysis.study.extended_measures`. Ids and measures only, never a sentence of text.
"""

from __future__ import annotations

import pandas as pd

from analysis.study import measures
from analysis.study.extended import FOREIGN, INDIA, ExtendedStudy
from analysis.study.extended_measures import (
    article_table,
    cluster_table,
    distinctive_between,
    frame_ids,
    framing_by,
    seed_sensitivity,
    shared_copy_summary,
    tone_by,
    topic_k,
    topic_model,
    topic_prevalence_by,
    topic_quality,
    topic_shares,
)
from analysis.study.frame_evaluation import method_comparison, sentence_comparison
from analysis.topics import STABILITY_THRESHOLD, TOPIC_METHOD, topic_labels

#: Grouping columns of the by-group figures, with their panel titles.
GROUPINGS = {
    "country_group": "outlet country",
    "outlet_kind": "outlet kind",
    "kind": "article kind",
}


def articles_table(study: ExtendedStudy) -> pd.DataFrame:
    """One row per article: ids, groups, measures
    (:func:`~analysis.study.extended_measures.article_table`)."""
    return study.derived("extended_articles", article_table)


def framing_by_day_table(study: ExtendedStudy) -> pd.DataFrame:
    """Framing index and frame presence shares per day (undated articles as one group)."""
    return framing_by(articles_table(study), "day", frame_ids(study))


def framing_by_group_table(study: ExtendedStudy) -> pd.DataFrame:
    """Framing index and frame presence shares per outlet country, outlet kind, article kind."""
    articles, ids = articles_table(study), frame_ids(study)
    return pd.concat([framing_by(articles, by, ids) for by in GROUPINGS], ignore_index=True)


def framing_by_side_table(study: ExtendedStudy) -> pd.DataFrame:
    """Framing index and presence shares before and from 2 February, by outlet group
    (Indian, foreign, country not shown)."""
    articles, ids = articles_table(study), frame_ids(study)
    keyed = articles.assign(side_group=articles["side"] + " | " + articles["outlet_group"])
    return pd.concat(
        [framing_by(keyed, by, ids) for by in ("side", "outlet_group", "side_group")],
        ignore_index=True,
    )


def frame_validation_table(study: ExtendedStudy) -> pd.DataFrame:
    """The framing measure against the adjudicated hand codes, per set of articles and method
    (:func:`analysis.study.frame_evaluation.method_comparison`)."""
    return study.derived("extended_frame_validation", method_comparison)


def frame_validation_sentences_table(study: ExtendedStudy) -> pd.DataFrame:
    """Sentence-level scores of the codebook and the sentence classifier per set and frame."""
    return sentence_comparison(study)


def clusters_table(study: ExtendedStudy) -> pd.DataFrame:
    """Articles in clusters sharing text, with all-text and own-text framing index."""
    return cluster_table(articles_table(study))


def shared_copy_table(study: ExtendedStudy) -> pd.DataFrame:
    """Share of each corpus's words in shared sentences, and articles in clusters."""
    return shared_copy_summary(articles_table(study))


def tone_by_day_table(study: ExtendedStudy) -> pd.DataFrame:
    """Narration and quotation tone per day (undated apart)."""
    return tone_by(study, articles_table(study), "day")


def topic_quality_table(study: ExtendedStudy) -> pd.DataFrame:
    """Coherence and stability per k, the rule's score and the chosen k."""
    quality = topic_quality(study)
    score = ((quality["coherence"] + 1) / 2 + quality["stability"]) / 2
    return quality.assign(
        score=score,
        eligible=quality["stability"] >= STABILITY_THRESHOLD,
        chosen=quality["k"] == topic_k(study),
    )


def topic_terms_table(study: ExtendedStudy) -> pd.DataFrame:
    """Each topic's top terms with weights and the topic's label."""
    terms = topic_model(study).top_terms()
    return terms.assign(label=terms["topic"].map(topic_labels(terms)))


def topic_prevalence_table(study: ExtendedStudy) -> pd.DataFrame:
    """Topic prevalence by period of the visit and by outlet group, with labels."""
    articles = articles_table(study)
    table = pd.concat(
        [topic_prevalence_by(study, articles, by) for by in ("period", "outlet_group")],
        ignore_index=True,
    )
    labels = topic_labels(topic_model(study).top_terms())
    return table.assign(label=table["topic"].map(labels))


def topic_typical_units_table(study: ExtendedStudy) -> pd.DataFrame:
    """The three most typical paragraphs of each topic, as ids and offsets (no text)."""
    shares = topic_shares(study)
    modelled = shares[shares["n_terms"] > 0]
    best = modelled.sort_values(["topic", "share"], ascending=[True, False], kind="stable")
    best = best.groupby("topic", sort=True).head(3)
    best = best.assign(rank=best.groupby("topic").cumcount() + 1)
    units = measures.topic_units(study)[["doc_id", "unit_idx", "first_sent_idx", "last_sent_idx"]]
    return best.merge(units, on=["doc_id", "unit_idx"])[
        [
            "topic",
            "rank",
            "doc_id",
            "outlet",
            "unit_idx",
            "first_sent_idx",
            "last_sent_idx",
            "share",
        ]
    ].reset_index(drop=True)


def distinctive_terms_table(study: ExtendedStudy) -> pd.DataFrame:
    """Distinctive terms of Indian against foreign outlets, and of articles dated before
    against from 2 February."""
    articles = articles_table(study)
    return pd.concat(
        [
            distinctive_between(study, articles, "outlet_group", (INDIA, FOREIGN)),
            distinctive_between(study, articles, "side", ("before 2 February", "from 2 February")),
        ],
        ignore_index=True,
    )


def frame_evidence_table(study: ExtendedStudy) -> pd.DataFrame:
    """Every indicator hit: ids, offsets, rule, status and the matched words (no sentences)."""
    return measures.evidence(study)


def seed_sensitivity_table(study: ExtendedStudy) -> pd.DataFrame:
    """The seeds' framing on their openings and on their full texts."""
    return seed_sensitivity(study)


__all__ = [
    "GROUPINGS",
    "STABILITY_THRESHOLD",
    "TOPIC_METHOD",
    "articles_table",
    "clusters_table",
    "distinctive_terms_table",
    "frame_evidence_table",
    "frame_validation_sentences_table",
    "frame_validation_table",
    "framing_by_day_table",
    "framing_by_group_table",
    "framing_by_side_table",
    "seed_sensitivity_table",
    "shared_copy_table",
    "tone_by_day_table",
    "topic_prevalence_table",
    "topic_quality_table",
    "topic_terms_table",
    "topic_typical_units_table",
]
