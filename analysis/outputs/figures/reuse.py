"""Syndication figures: which articles share text, sentence by sentence, and how well the
detector agrees with the hand marks (see :mod:`analysis.reuse.detect`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, to_rgba
from matplotlib.patches import Patch

from analysis.outputs.figures.spec import FigureSpec
from analysis.study.figure_tables import (
    DETECTOR_REWRITE_THRESHOLD,
    MAX_DRAWN_ARTICLES,
    reuse_articles_table,
    reuse_heatmap_table,
    reuse_pairs_table,
    reuse_sentences_table,
    reuse_threshold_sweep_table,
    reuse_validation_table,
)

#: The report section of these figures.
SECTION = "Syndication: shared wire copy and rewrites"

#: Sentence status colours: shared text in blue (copied) and orange (rewritten), the article's
#: own text in light grey, so the eye goes to what is shared.
STATUS_COLOURS = {
    "original": to_rgba("#999999", 0.35),
    "verbatim": to_rgba("#0072B2"),
    "rewrite": to_rgba("#E69F00"),
}
SHARE_COLOURS = LinearSegmentedColormap.from_list("share", ["#ffffff", "#0072B2"])
SCORE_COLOURS = {"precision": "#0072B2", "recall": "#E69F00"}


#: Up to this many articles, the heatmap's cells carry their percentages and the column names
#: are slanted; beyond, cells are bare and names upright (slanted, they overlapped).
MAX_LABELLED_ARTICLES = 15


def plot_reuse_heatmap(table: pd.DataFrame, ax):
    """Article x article matrix of shared shares, annotated with percentages."""
    # articles are placed by doc_id: two articles never share a row, whatever their labels
    articles = table.drop_duplicates("doc_id")
    labels = articles["label"].tolist()
    if not labels:
        ax.text(0.5, 0.5, "one article: nothing to compare", ha="center", va="center")
        ax.set_axis_off()
        return ax
    position = {doc_id: i for i, doc_id in enumerate(articles["doc_id"])}
    matrix = np.full((len(labels), len(labels)), np.nan)
    matrix[table["doc_id"].map(position), table["other_doc_id"].map(position)] = table["share"]
    image = ax.imshow(
        np.ma.masked_invalid(matrix), cmap=SHARE_COLOURS, vmin=0, vmax=1, aspect="auto"
    )
    ax.grid(False)
    labelled = len(labels) <= MAX_LABELLED_ARTICLES
    if labelled:
        for row in range(len(labels)):
            for column in range(len(labels)):
                value = matrix[row, column]
                if np.isnan(value):
                    continue
                ax.text(
                    column,
                    row,
                    f"{value:.0%}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if value > 0.55 else "black",
                )
    # labelled cells leave room for slanted names; past that a column is about a line wide
    if labelled:
        ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
    else:
        ax.set_xticks(range(len(labels)), labels, rotation=90, ha="center")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("shared with this article")
    ax.set_ylabel("share of this article's words")
    colorbar = ax.figure.colorbar(image, ax=ax, shrink=0.85)
    colorbar.set_label("share of words in shared sentences")
    return ax


def plot_reuse_sentences(table: pd.DataFrame, ax):
    """One row per article, one cell per sentence, coloured original, verbatim or rewrite."""
    # one row per doc_id (labels are for the reader; two articles never share a row)
    articles = table.drop_duplicates("doc_id")
    labels = articles["label"].tolist()
    statuses = list(STATUS_COLOURS)
    width = int(table.groupby("doc_id", sort=False).size().max()) if len(table) else 1
    codes = np.full((len(labels), width), np.nan)
    rows = table["doc_id"].map({doc: i for i, doc in enumerate(articles["doc_id"])}).to_numpy()
    within = table.groupby("doc_id", sort=False).cumcount().to_numpy()
    codes[rows, within] = table["status"].map({s: i for i, s in enumerate(statuses)})
    ax.imshow(
        np.ma.masked_invalid(codes),
        cmap=ListedColormap([STATUS_COLOURS[s] for s in statuses]),
        vmin=-0.5,
        vmax=len(statuses) - 0.5,
        aspect="auto",
        interpolation="nearest",
    )
    ax.grid(False)
    ax.set_xticks(np.arange(-0.5, width, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, len(labels), 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_yticks(range(len(labels)), labels)
    step = 5 if width > 12 else 1
    ax.set_xticks(range(0, width, step), [str(i) for i in range(0, width, step)])
    ax.set_xlabel("sentence (in article order)")
    shares = table.groupby("doc_id", sort=False).apply(
        lambda rows: (rows["n_words"] * ~rows["own"]).sum() / max(rows["n_words"].sum(), 1),
        include_groups=False,
    )
    for row, doc_id in enumerate(articles["doc_id"]):
        ax.text(width - 0.3, row, f" {shares[doc_id]:.0%} of words shared", va="center", fontsize=7)
    ax.set_xlim(-0.5, width + 4.5)
    ax.legend(
        handles=[Patch(color=STATUS_COLOURS[s], label=s) for s in statuses],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=3,
    )
    return ax


def _score_labels(table: pd.DataFrame) -> list[str]:
    return [
        f"{level} · {kind}\n(marked {marked}, found {detected})"
        for level, kind, marked, detected in zip(
            table["level"], table["kind"], table["n_marked"], table["n_detected"], strict=True
        )
    ]


def plot_reuse_validation(table: pd.DataFrame, ax):
    """Precision and recall per level and kind against the hand marks."""
    if table.empty or not table["n_marked"].astype(int).any():
        note = table["note"].iloc[0] if len(table) else "no hand marks"
        ax.text(0.5, 0.5, f"no hand marks for this corpus\n{note}", ha="center", va="center")
        ax.set_axis_off()
        return ax
    y = np.arange(len(table))
    height = 0.38
    for offset, score in enumerate(SCORE_COLOURS):
        values = table[score].astype(float)
        bars = ax.barh(
            y + (offset - 0.5) * height,
            values.fillna(0),
            height=height,
            color=SCORE_COLOURS[score],
            label=score,
        )
        ax.bar_label(
            bars, labels=[f"{v:.2f}" if not np.isnan(v) else "n/a" for v in values], fontsize=7
        )
    ax.set_yticks(y, _score_labels(table))
    ax.invert_yaxis()
    ax.set_xlim(0, 1.35)
    ax.set_xlabel("score against the hand marks (same kind required)")
    ax.legend(loc="lower right")
    return ax


def plot_reuse_threshold_sweep(table: pd.DataFrame, ax):
    """Precision and recall of shared sentence pairs (any kind) against the rewrite
    threshold, with the detector's threshold marked."""
    rows = table[(table["level"] == "sentence pair") & (table["kind"] == "all")]
    rows = rows.dropna(subset=["rewrite_threshold"])
    if rows.empty:
        ax.text(0.5, 0.5, "no hand marks for this corpus", ha="center", va="center")
        ax.set_axis_off()
        return ax
    for score, colour in SCORE_COLOURS.items():
        ax.plot(rows["rewrite_threshold"], rows[score], marker="o", color=colour, label=score)
    chosen = DETECTOR_REWRITE_THRESHOLD
    ax.axvline(chosen, color="#999999", linestyle="--", linewidth=1)
    ax.text(chosen, 1.02, f" detector: {chosen}", fontsize=7, color="#555555")
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("rewrite threshold (TF-IDF cosine)")
    ax.set_ylabel("score, sentence pairs of any kind")
    ax.legend(loc="lower left")
    return ax


FIGURES = [
    FigureSpec(
        name="reuse_heatmap",
        title="Who shares text with whom",
        caption=(
            "For each pair of articles, the share of the row article's words that lie in "
            "sentences it shares with the column article: copied (at least half of the shorter "
            "sentence in runs of 8 or more identical words) or rewritten (TF-IDF cosine over "
            "word unigrams and bigrams of at least 0.4, with at least 4 content words in "
            "common). Shares are not symmetric: a short article reprinted inside a long one "
            "shares most of its own text but little of the long one's. A corpus of more than "
            f"{MAX_DRAWN_ARTICLES} articles shows the articles of the pairs that share the "
            f"largest part of either article's words, pair by pair up to {MAX_DRAWN_ARTICLES}, "
            "in corpus order (framing reuse lists every pair)."
        ),
        table=reuse_heatmap_table,
        tables=("reuse_detection", "reuse_per_article"),
        plot=plot_reuse_heatmap,
        figsize=(7.5, 5.5),
    ),
    FigureSpec(
        name="reuse_sentences",
        title="Each article's own text and the text it shares",
        caption=(
            "Every sentence of every article, in order: blue where it is copied from or into "
            "another article, orange where it is a rewrite of another article's sentence, grey "
            "where it is the article's own; at the right, the share of the article's words that "
            "lie in shared sentences (cells are sentences, long or short). Per-outlet measures "
            "on own text leave out the coloured sentences. A corpus of more than "
            f"{MAX_DRAWN_ARTICLES} articles shows the articles of the pairs that share the "
            f"largest part of either article's words, pair by pair up to {MAX_DRAWN_ARTICLES}."
        ),
        table=reuse_sentences_table,
        tables=("reuse_per_article", "reuse_per_sentence"),
        plot=plot_reuse_sentences,
        figsize=(8.0, 3.8),
    ),
    FigureSpec(
        name="reuse_validation",
        title="Does the reuse detector agree with hand marks?",
        caption=(
            "Precision and recall of the detector against an annotator's independent marks of "
            "shared sentences between the seed articles: per pair of sentences and per sentence "
            "(shared at all), for copied (verbatim) and rewritten text and both together. A "
            "marked pair found as the other kind counts as missed for its kind. The thresholds "
            "were set on constructed cases before scoring, not tuned on these marks."
        ),
        table=reuse_validation_table,
        tables=("reuse_per_sentence",),
        plot=plot_reuse_validation,
        figsize=(7.5, 4.5),
    ),
    FigureSpec(
        name="reuse_threshold_sweep",
        title="How the agreement depends on the rewrite threshold",
        caption=(
            "Sensitivity analysis: precision and recall of shared sentence pairs (either kind) "
            "against the hand marks as the TF-IDF cosine threshold for a rewrite varies; the "
            "dashed line is the detector's threshold, chosen beforehand on constructed cases."
        ),
        table=reuse_threshold_sweep_table,
        plot=plot_reuse_threshold_sweep,
        figsize=(6.0, 3.8),
    ),
    FigureSpec(
        name="reuse_articles",
        title="Shared text per article",
        caption=(
            "Per article: its words and sentences, the share of its words in shared sentences, "
            "the article holding the largest share of its text, every article it shares text "
            "with (largest share first), and its cluster: articles linked by pairs in which at "
            "least a quarter of one article's words are shared."
        ),
        table=reuse_articles_table,
        tables=("reuse_per_article",),
    ),
    FigureSpec(
        name="reuse_pairs",
        title="Pairs of articles that share text",
        caption=(
            "Every pair of articles sharing at least one sentence: the share of each article's "
            "words in shared sentences and in verbatim passages, the kind of sharing, the "
            "number of copied and rewritten sentence pairs, and the longest verbatim passage."
        ),
        table=reuse_pairs_table,
        tables=("reuse_detection",),
    ),
]
