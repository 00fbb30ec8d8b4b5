"""The tables behind the study's figures: one function per registered output.

Each ``<output>_table(study, **params)`` returns the tidy table that
:mod:`analysis.outputs.figures` saves as the output's CSV and gives to its plot function: the
plot modules draw these tables and compute nothing. The constants that tables, plots and captions
share are defined (or, from the measure modules, imported) here, so that a plot module needs no
measure module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.core.uncertainty import wilson_interval
from analysis.distinctive import top_distinctive
from analysis.framing import INDEX_FRAMES
from analysis.reuse import (
    REUSE_MARKS_FILE,
    ReuseSettings,
    reuse_validation,
    threshold_sweep,
)
from analysis.sentiment import VOICES
from analysis.study import measures
from analysis.study.load import Study
from analysis.text.cleaning import cleaning_summary
from analysis.text.tokens import count_words
from analysis.topics import (
    EARLY_STOP_UNITS,
    MIN_UNITS_PER_TOPIC,
    QUALITY_MAX_UNITS,
    QUALITY_ONLINE_UNITS,
    STABILITY_THRESHOLD,
    TOPIC_METHOD,
    choose_k,
    topic_labels,
)
from analysis.validation.seeds import frame_validation, quotation_validation


def article_labels(
    outlets: Iterable[str],
    doc_ids: Iterable[str],
    *,
    prefix: int = 8,
    every: bool = False,
    template: str = "{outlet} ({doc_id})",
) -> list[str]:
    """One label per article, every label different: the outlet alone where it names one
    article (unless ``every``), else the outlet with the first ``prefix`` characters of the
    doc_id (``template``), and the whole doc_id where those first characters are not enough.

    Labels are what the reader sees; plots place articles by doc_id, so two articles never
    share a row even if their labels were alike.

    Examples
    --------
    >>> article_labels(["BBC", "BBC", "ITV"], ["article_000", "article_001", "x"])
    ['BBC (article_000)', 'BBC (article_001)', 'ITV']
    >>> article_labels(["A", "B"], ["0123", "0129"], prefix=3, every=True)
    ['A (012)', 'B (012)']
    >>> article_labels(["A", "A"], ["012345", "012999"], prefix=3)
    ['A (012345)', 'A (012999)']
    """
    outlets, doc_ids = [str(o) for o in outlets], [str(d) for d in doc_ids]
    repeated = Counter(outlets)

    def label(outlet: str, doc_id: str, length: int | None) -> str:
        return template.format(outlet=outlet, doc_id=doc_id[:length])

    labels = [
        outlet if repeated[outlet] == 1 and not every else label(outlet, doc_id, prefix)
        for outlet, doc_id in zip(outlets, doc_ids, strict=True)
    ]
    counts = Counter(labels)
    labels = [  # whole ids where the first characters are alike
        label(outlet, doc_id, None) if counts[text] > 1 else text
        for text, outlet, doc_id in zip(labels, outlets, doc_ids, strict=True)
    ]
    counts, seen = Counter(labels), Counter()
    numbered = []  # only an outlet named like another's label with its id is still alike
    for text in labels:
        seen[text] += 1
        numbered.append(f"{text} #{seen[text]}" if counts[text] > 1 else text)
    return numbered


# --- the corpus -----------------------------------------------------------------------------------

UNDATED = "undated"


def corpus_overview_table(study: Study) -> pd.DataFrame:
    """One row per article: outlet, date, wire credit, length in sentences and words."""
    sentences_per_article = study.sentences.groupby("doc_id").size()
    articles = study.articles
    table = pd.DataFrame(
        {
            "doc_id": articles["doc_id"],
            "outlet": articles["outlet"],
            "date": articles["date"].replace("", UNDATED),
            "wire": articles["wire"].replace("", "none credited"),
            "n_sentences": articles["doc_id"].map(sentences_per_article).astype(int),
            "n_words": articles["clean_text"].map(count_words).astype(int),
        }
    )
    return table.sort_values(["outlet", "doc_id"], kind="stable").reset_index(drop=True)


def cleaning_report_table(study: Study) -> pd.DataFrame:
    """Per article: characters in, kept, removed, and removed by each cleaning rule."""
    return cleaning_summary(study.articles, study.cleaning_report)


# --- framing --------------------------------------------------------------------------------------

#: A share over fewer sentences than this rests on few sentences: drawn hollow, with its n,
#: and with an interval at least as wide as the Wilson score interval (a bootstrap over six
#: sentences that all have the frame gives the point 1 to 1).
MIN_SENTENCES = 30
FEW_SENTENCES = f"bootstrap, widened to Wilson (fewer than {MIN_SENTENCES} sentences)"


def with_few_sentence_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """Frame shares with ``few_sentences`` (fewer than :data:`MIN_SENTENCES`) and, for those,
    ``low`` and ``high`` widened to include the Wilson 95% interval over the sentences;
    ``interval`` says which interval a row has."""
    n = table["n_sentences"].to_numpy(dtype=float)
    few = n < MIN_SENTENCES
    wilson_low, wilson_high = wilson_interval(np.round(table["estimate"].to_numpy() * n), n)
    return table.assign(
        low=np.where(few, np.fmin(table["low"], wilson_low), table["low"]),
        high=np.where(few, np.fmax(table["high"], wilson_high), table["high"]),
        few_sentences=few,
        interval=np.where(few, FEW_SENTENCES, "bootstrap"),
    )


def frame_shares_table(study: Study) -> pd.DataFrame:
    """Per outlet and frame: share of sentences with the frame, 95% interval, counts."""
    table = measures.frames_per_outlet(study)
    return with_few_sentence_intervals(table[table["measure"] == "share"].reset_index(drop=True))


def frame_shares_own_text_table(study: Study) -> pd.DataFrame:
    """Per outlet and frame: the share of sentences with the frame on all text and on the
    articles' own text (sentences not shared with another article), each with its interval."""
    tables = []
    for text, frames in (
        ("all text", measures.frames_per_outlet(study)),
        ("own text", measures.frames_per_outlet_own(study)),
    ):
        tables.append(frames[frames["measure"] == "share"].assign(text=text))
    table = with_few_sentence_intervals(pd.concat(tables, ignore_index=True))
    return table[["text", *[c for c in table.columns if c != "text"]]]


def framing_index_table(study: Study) -> pd.DataFrame:
    """Per outlet: framing index (convergence share - downturn share) with its interval, and
    per article the unweighted and headline/lead-weighted index. A codebook without the two
    frames the index contrasts gets a one-row "not scored" note instead (no figure)."""
    codebook = measures.codebook(study)
    frame_ids, missing = codebook.frame_ids, codebook.missing_index_frames()
    if missing:
        return pd.DataFrame(
            {
                "note": [
                    f"not scored: the framing index contrasts the frames "
                    f"{' and '.join(INDEX_FRAMES)}, and this codebook has no "
                    f"{' or '.join(missing)} (its frames: {', '.join(frame_ids)}; see "
                    "frame_shares)"
                ]
            }
        )
    outlets = measures.frames_per_outlet(study)
    outlets = outlets[outlets["measure"] == "index"].drop(columns=["measure", "frame"])
    articles = measures.frames_per_article(study)[
        ["outlet", "doc_id", "frame_index", "frame_index_weighted"]
    ]
    return outlets.merge(articles, on="outlet", how="left").reset_index(drop=True)


def frame_evidence_table(study: Study) -> pd.DataFrame:
    """Every indicator hit with its sentence, spans, rule, status and voice."""
    sentences = study.sentences[["doc_id", "sent_idx", "text"]].rename(columns={"text": "sentence"})
    return measures.evidence(study).merge(sentences, on=["doc_id", "sent_idx"], how="left")


def frame_validation_table(study: Study) -> pd.DataFrame:
    """Coder agreement and method scores per frame against the adjudicated hand codes."""
    book = measures.codebook(study)
    return frame_validation(
        study.sentences,
        measures.frames_per_sentence(study),
        book.frame_ids,
        codebook_path=None if study.codebook_path is None else str(study.codebook_path),
    )


# --- tone and voices ------------------------------------------------------------------------------

VOICE_PANELS = {"all": "all sentences", "narration": "narration", "quotation": "quotation"}


def tone_units_table(study: Study) -> pd.DataFrame:
    """Every unit scored (sentences for ``all``, scored segments for narration and quotation)
    with its outlet, and beside it the outlet's mean tone for that voice and its interval."""
    outlets = study.articles[["doc_id", "outlet"]]
    sentences = measures.tone_per_sentence(study).assign(voice="all")
    segments = measures.tone_per_segment(study)
    segments = segments[segments["scored"]]
    columns = ["doc_id", "sent_idx", "voice", "speaker", "compound"]
    units = pd.concat([sentences[columns], segments[columns]], ignore_index=True)
    units = units.merge(outlets, on="doc_id")
    summary = measures.tone_per_outlet(study).rename(
        columns={"estimate": "outlet_mean", "low": "outlet_low", "high": "outlet_high"}
    )
    table = units.merge(summary, on=["outlet", "voice"], how="left")
    order = {voice: i for i, voice in enumerate(VOICE_PANELS)}
    return table.sort_values(
        ["voice", "outlet", "doc_id", "sent_idx"],
        key=lambda c: c.map(order) if c.name == "voice" else c,
    ).reset_index(drop=True)[["outlet", *columns, *summary.columns.drop(["outlet", "voice"])]]


def tone_per_outlet_table(study: Study) -> pd.DataFrame:
    """Mean tone per outlet and voice with its interval and the counts behind it."""
    return measures.tone_per_outlet(study)


def actor_tone_table(study: Study) -> pd.DataFrame:
    """Tone of the segments mentioning each actor, per outlet and voice, with counts."""
    return measures.tone_per_actor(study)


def quotation_validation_table(study: Study) -> pd.DataFrame:
    """Every hand-listed and every detected quotation, matched, with both speakers."""
    return quotation_validation(measures.quotations(study), study.articles, study.sentences)


# --- topics and distinctive language --------------------------------------------------------------

#: Terms per panel in the term figures.
N_PLOTTED_TERMS = 10


def topic_terms_table(study: Study) -> pd.DataFrame:
    """Each topic's top terms with their weights and the topic's short label."""
    terms = measures.topic_terms(study)
    labels = topic_labels(terms)
    return terms.assign(label=terms["topic"].map(labels))


def topic_prevalence_table(study: Study) -> pd.DataFrame:
    """Per outlet and topic: mean topic share of the outlet's units with its 95% interval."""
    prevalence = measures.topics_per_outlet(study)
    labels = topic_labels(measures.topic_terms(study))
    return prevalence.assign(label=prevalence["topic"].map(labels))


def topic_quality_table(study: Study) -> pd.DataFrame:
    """Coherence and stability per method and k, the rule's score, and the chosen k."""
    quality = measures.topic_quality(study)
    score = ((quality["coherence"] + 1) / 2 + quality["stability"]) / 2
    chosen = {method: choose_k(quality, method=method) for method in quality["method"].unique()}
    return quality.assign(
        score=score,
        eligible=quality["stability"] >= STABILITY_THRESHOLD,
        chosen=[
            chosen[method] == k for method, k in zip(quality["method"], quality["k"], strict=True)
        ],
        study_model=(quality["method"] == TOPIC_METHOD) & (quality["k"] == measures.topic_k(study)),
    )


def distinctive_terms_table(study: Study) -> pd.DataFrame:
    """Each outlet's terms with the largest z against all other outlets, with the outlet's
    number of articles (``n_articles``: the figure draws the outlets with the most)."""
    top = top_distinctive(measures.distinctive_terms(study), n_terms=N_PLOTTED_TERMS)
    n_articles = measures.topic_units(study).groupby("outlet")["doc_id"].nunique()
    return top.assign(n_articles=top["outlet"].map(n_articles).astype(int))


# --- syndication ----------------------------------------------------------------------------------

#: Rewrite thresholds of the sensitivity analysis (the detector's own is 0.4).
SWEEP_THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)
#: The detector's own rewrite threshold, marked in the sensitivity figure.
DETECTOR_REWRITE_THRESHOLD = ReuseSettings().rewrite_threshold
#: Articles drawn in the reuse heatmap and sentence strips (those sharing the most, beyond).
MAX_DRAWN_ARTICLES = 30


def _selected(study: Study, max_articles: int) -> pd.DataFrame:
    """Articles to show, in corpus order: all of them, or, in a corpus of more, those of the
    pairs that share the largest part of either article's words, taken pair by pair while both
    fit in ``max_articles``, so that every article shown shares text with another one shown
    (articles ranked alone left rows of a heatmap blank, their partners not drawn)."""
    table = measures.reuse_per_article(study).reset_index(drop=True)
    if len(table) > max_articles:
        pairs = measures.reuse_detection(study).pairs
        strength = pairs[["share_a", "share_b"]].max(axis=1).to_numpy()
        order = np.lexsort((np.arange(len(pairs)), -strength))  # strongest first, then listed
        chosen: dict[str, None] = {}
        firsts, others = pairs["doc_a"].to_numpy()[order], pairs["doc_b"].to_numpy()[order]
        for a, b in zip(firsts, others, strict=True):
            new = [doc for doc in (a, b) if doc not in chosen]
            if len(chosen) + len(new) <= max_articles:
                chosen.update(dict.fromkeys(new))
            if len(chosen) >= max_articles:
                break
        table = table[table["doc_id"].isin(chosen)]
    return table.assign(label=article_labels(table["outlet"], table["doc_id"])).reset_index(
        drop=True
    )


def reuse_heatmap_table(study: Study, max_articles: int = MAX_DRAWN_ARTICLES) -> pd.DataFrame:
    """Every ordered pair of (at most ``max_articles``) articles: the share of the first
    article's words in sentences it shares with the second, with the kind and counts."""
    chosen = _selected(study, max_articles)
    pairs = measures.reuse_detection(study).pairs
    forward = pairs.rename(columns={"doc_a": "doc_id", "doc_b": "other_doc_id", "share_a": "share"})
    backward = pairs.rename(
        columns={"doc_b": "doc_id", "doc_a": "other_doc_id", "share_b": "share"}
    )
    columns = [
        "doc_id",
        "other_doc_id",
        "share",
        "kind",
        "n_verbatim_sentences",
        "n_rewrite_sentences",
    ]
    both = pd.concat([forward[columns], backward[columns]], ignore_index=True)
    grid = pd.MultiIndex.from_product(
        [chosen["doc_id"], chosen["doc_id"]], names=["doc_id", "other_doc_id"]
    ).to_frame(index=False)
    grid = grid[grid["doc_id"] != grid["other_doc_id"]]
    table = grid.merge(both, on=["doc_id", "other_doc_id"], how="left")
    table["share"] = table["share"].fillna(0.0)
    table["kind"] = table["kind"].fillna("none")
    for column in ("n_verbatim_sentences", "n_rewrite_sentences"):
        table[column] = table[column].fillna(0).astype(int)
    labels = chosen.set_index("doc_id")
    table.insert(1, "outlet", table["doc_id"].map(labels["outlet"]))
    table.insert(2, "label", table["doc_id"].map(labels["label"]))
    table.insert(4, "other_outlet", table["other_doc_id"].map(labels["outlet"]))
    table.insert(5, "other_label", table["other_doc_id"].map(labels["label"]))
    return table.reset_index(drop=True)


def reuse_sentences_table(study: Study, max_articles: int = MAX_DRAWN_ARTICLES) -> pd.DataFrame:
    """Every sentence of (at most ``max_articles``) articles with its status and partners."""
    chosen = _selected(study, max_articles)
    table = measures.reuse_per_sentence(study)
    table = table[table["doc_id"].isin(chosen["doc_id"])]
    labels = chosen.set_index("doc_id")
    table.insert(1, "outlet", table["doc_id"].map(labels["outlet"]))
    table.insert(2, "label", table["doc_id"].map(labels["label"]))
    order = {doc: i for i, doc in enumerate(chosen["doc_id"])}
    return table.sort_values(
        ["doc_id", "sent_idx"], key=lambda c: c.map(order) if c.name == "doc_id" else c
    ).reset_index(drop=True)


def reuse_articles_table(study: Study) -> pd.DataFrame:
    """Per article: words and sentences shared, nearest neighbour, neighbours and cluster."""
    return measures.reuse_per_article(study)


def reuse_pairs_table(study: Study) -> pd.DataFrame:
    """Per pair of articles that share text: shares, kind, sentence and passage counts."""
    return measures.reuse_detection(study).pairs


def reuse_validation_table(study: Study) -> pd.DataFrame:
    """Precision and recall against the hand marks, per level and kind."""
    return reuse_validation(measures.reuse_per_sentence(study), REUSE_MARKS_FILE)


def reuse_threshold_sweep_table(
    study: Study, thresholds: tuple[float, ...] = SWEEP_THRESHOLDS
) -> pd.DataFrame:
    """The validation scores for a range of rewrite thresholds (sensitivity analysis)."""
    return threshold_sweep(study.articles, study.sentences, thresholds, REUSE_MARKS_FILE)


__all__ = [
    "DETECTOR_REWRITE_THRESHOLD",
    "EARLY_STOP_UNITS",
    "MAX_DRAWN_ARTICLES",
    "MIN_SENTENCES",
    "MIN_UNITS_PER_TOPIC",
    "N_PLOTTED_TERMS",
    "QUALITY_MAX_UNITS",
    "QUALITY_ONLINE_UNITS",
    "STABILITY_THRESHOLD",
    "SWEEP_THRESHOLDS",
    "TOPIC_METHOD",
    "UNDATED",
    "VOICES",
    "VOICE_PANELS",
    "actor_tone_table",
    "article_labels",
    "cleaning_report_table",
    "corpus_overview_table",
    "distinctive_terms_table",
    "frame_evidence_table",
    "frame_shares_own_text_table",
    "frame_shares_table",
    "frame_validation_table",
    "framing_index_table",
    "quotation_validation_table",
    "reuse_articles_table",
    "reuse_heatmap_table",
    "reuse_pairs_table",
    "reuse_sentences_table",
    "reuse_threshold_sweep_table",
    "reuse_validation_table",
    "tone_per_outlet_table",
    "tone_units_table",
    "topic_prevalence_table",
    "topic_quality_table",
    "topic_terms_table",
    "with_few_sentence_intervals",
]
