"""The corpus overview: what was published where and when, how long, on whose wire copy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.cleaning import cleaning_summary
from analysis.figures.spec import FigureSpec
from analysis.pipeline import Study
from analysis.sentences import count_words

UNDATED = "undated"
#: Outlets shown by name in the overview; the rest are pooled as "other outlets".
MAX_OUTLETS_SHOWN = 25


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


def _top_outlets(table: pd.DataFrame) -> pd.Series:
    counts = table["outlet"].value_counts()
    shown = set(counts.index[:MAX_OUTLETS_SHOWN])
    return table["outlet"].where(table["outlet"].isin(shown), "other outlets")


def plot_corpus_overview(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """Three panels: articles per outlet and date; words per article; wire credits."""
    timeline, length, wire = axes
    outlets = _top_outlets(table)
    dates = sorted(d for d in table["date"].unique() if d != UNDATED)
    date_order = dates + ([UNDATED] if (table["date"] == UNDATED).any() else [])
    counts = (
        table.assign(outlet=outlets).groupby(["outlet", "date"]).size().rename("n").reset_index()
    )
    outlet_order = sorted(counts["outlet"].unique(), reverse=True)
    x = counts["date"].map({d: i for i, d in enumerate(date_order)})
    y = counts["outlet"].map({o: i for i, o in enumerate(outlet_order)})
    timeline.scatter(x, y, s=40 + 30 * counts["n"], color="#0072B2", zorder=3)
    for xi, yi, n in zip(x, y, counts["n"], strict=True):
        if n > 1:
            timeline.annotate(str(n), (xi, yi), ha="center", va="center", color="white", fontsize=7)
    timeline.set_xticks(range(len(date_order)), date_order, rotation=30, ha="right")
    timeline.set_yticks(range(len(outlet_order)), outlet_order)
    timeline.set_xlim(-0.6, len(date_order) - 0.4)
    timeline.set_ylim(-0.6, len(outlet_order) - 0.4)
    timeline.set_title("Articles per outlet and publication date")

    ordered = table.sort_values(["outlet", "doc_id"], ascending=False, kind="stable")
    labels = ordered["outlet"] + " · " + ordered["doc_id"].str[:3]
    bars = length.barh(range(len(ordered)), ordered["n_words"], color="#009E73")
    length.bar_label(
        bars, labels=[f"{s} sent." for s in ordered["n_sentences"]], fontsize=7, padding=2
    )
    length.set_yticks(range(len(ordered)), labels if len(ordered) <= 40 else [""] * len(ordered))
    length.set_xlabel("words after cleaning")
    length.set_title("Article length")
    length.margins(x=0.2)

    wire_counts = table["wire"].value_counts().sort_index(ascending=False)
    wire.barh(wire_counts.index, wire_counts.to_numpy(), color="#D55E00")
    wire.set_xlabel("articles")
    wire.xaxis.get_major_locator().set_params(integer=True)
    wire.set_title("Wire credit in the text or metadata")
    return axes


FIGURES = [
    FigureSpec(
        name="corpus_overview",
        title="The corpus: outlets, dates, length and wire copy",
        caption=(
            "Each article of the corpus by outlet and publication date (undated articles in their "
            "own column), its length after cleaning in words (and sentences), and the wire agency "
            "it credits. Several outlets reprint ANI or PTI copy, which the syndication analysis "
            "takes into account."
        ),
        table=corpus_overview_table,
        plot=plot_corpus_overview,
        layout=(3, 1),
        figsize=(7.0, 8.0),
    ),
    FigureSpec(
        name="cleaning_report",
        title="Cleaning report: characters removed per article and rule",
        caption=(
            "For every article, the characters read, kept and removed, and how many each cleaning "
            "rule removed; chars_in = chars_kept + chars_removed."
        ),
        table=cleaning_report_table,
    ),
]
