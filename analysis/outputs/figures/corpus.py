"""The corpus overview: what was published where and when, how long, on whose wire copy."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.outputs.figures.spec import FigureSpec, outlet_rows
from analysis.study.figure_tables import (
    UNDATED,
    article_labels,
    cleaning_report_table,
    corpus_overview_table,
)

#: Publication dates drawn as a column each; a corpus with more is drawn by week, month,
#: quarter or year, the finest of these that gives at most this many columns.
MAX_DATE_COLUMNS = 30
#: Articles drawn as a bar each in the length panel; more are drawn as a histogram.
MAX_ARTICLE_BARS = 40
#: Articles per outlet and column at which the timeline's marker reaches its largest size.
MARKER_SATURATION = 10
_PERIODS = (("W", "week"), ("M", "month"), ("Q", "quarter"))
#: Outlets shown by name in the overview; the rest are pooled as "other outlets".
MAX_OUTLETS_SHOWN = 25


def date_columns(dates: pd.Series) -> tuple[pd.Series, str]:
    """The timeline column of every date, and what a column is.

    Up to :data:`MAX_DATE_COLUMNS` distinct dates, a column is a date; beyond, the finest of
    week (labelled by its Monday), month, quarter and year that gives at most that many
    columns (year in any case). :data:`UNDATED` stays its own column.

    Examples
    --------
    >>> dates = pd.Series([f"2020-{month:02d}-01" for month in range(1, 13)] * 3)
    >>> date_columns(dates)[1]
    'date'
    >>> columns, unit = date_columns(pd.Series(pd.date_range("2020-01-01", periods=60).astype(str)))
    >>> unit, columns.iloc[0], columns.iloc[-1]
    ('week', '2019-12-30', '2020-02-24')
    """
    dated = dates != UNDATED
    if dates[dated].nunique() <= MAX_DATE_COLUMNS:
        return dates, "date"
    parsed = pd.to_datetime(dates[dated], format="%Y-%m-%d")
    candidates = ((code, unit, parsed.dt.to_period(code)) for code, unit in _PERIODS)
    code, unit, periods = next(
        (fine for fine in candidates if fine[2].nunique() <= MAX_DATE_COLUMNS),
        ("Y", "year", parsed.dt.to_period("Y")),
    )
    # a week is labelled by its Monday; months, quarters and years as pandas writes them
    labels = periods.dt.start_time.dt.strftime("%Y-%m-%d") if code == "W" else periods.astype(str)
    return dates.where(~dated, labels), unit


def _top_outlets(table: pd.DataFrame) -> pd.Series:
    counts = table["outlet"].value_counts()
    shown = set(counts.index[:MAX_OUTLETS_SHOWN])
    return table["outlet"].where(table["outlet"].isin(shown), "other outlets")


def plot_corpus_overview(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """Three panels: articles per outlet and date; words per article; wire credits.

    Beyond :data:`MAX_DATE_COLUMNS` dates the timeline counts articles per week, month,
    quarter or year (:func:`date_columns`); beyond :data:`MAX_ARTICLE_BARS` articles the
    length panel is a histogram rather than a bar per article.
    """
    timeline, length, wire = axes
    _plot_timeline(table, timeline)
    if len(table) <= MAX_ARTICLE_BARS:
        _plot_article_lengths(table, length)
    else:
        _plot_length_histogram(table, length)
    wire_counts = table["wire"].value_counts().sort_index(ascending=False)
    wire.barh(wire_counts.index, wire_counts.to_numpy(), color="#D55E00")
    wire.set_xlabel("articles")
    wire.xaxis.get_major_locator().set_params(integer=True)
    wire.set_title("Wire credit in the text or metadata")
    return axes


def _plot_timeline(table: pd.DataFrame, timeline: Axes) -> None:
    columns, unit = date_columns(table["date"])
    outlets = _top_outlets(table)
    dated = sorted(c for c in columns.unique() if c != UNDATED)
    column_order = dated + ([UNDATED] if (columns == UNDATED).any() else [])
    counts = (
        pd.DataFrame({"outlet": outlets, "column": columns})
        .groupby(["outlet", "column"])
        .size()
        .rename("n")
        .reset_index()
    )
    outlet_order = sorted(counts["outlet"].unique(), reverse=True)
    x = counts["column"].map({c: i for i, c in enumerate(column_order)})
    y = counts["outlet"].map({o: i for i, o in enumerate(outlet_order)})
    # marker area grows by 30 pt^2 an article up to MARKER_SATURATION articles, then stays
    area_per_article = 30 * min(1.0, MARKER_SATURATION / counts["n"].max())
    timeline.scatter(x, y, s=40 + area_per_article * counts["n"], color="#0072B2", zorder=3)
    for xi, yi, n in zip(x, y, counts["n"], strict=True):
        if n > 1:
            timeline.annotate(str(n), (xi, yi), ha="center", va="center", color="white", fontsize=7)
    every = -(-len(column_order) // MAX_DATE_COLUMNS)  # label every column, or every n-th
    tick_labels = [c if i % every == 0 else "" for i, c in enumerate(column_order)]
    timeline.set_xticks(range(len(column_order)), tick_labels, rotation=30, ha="right")
    outlet_rows(timeline, outlet_order)
    timeline.set_xlim(-0.6, len(column_order) - 0.4)
    timeline.set_title(f"Articles per outlet and publication {unit}")


def _plot_article_lengths(table: pd.DataFrame, length: Axes) -> None:
    ordered = table.sort_values(["outlet", "doc_id"], ascending=False, kind="stable")
    labels = article_labels(
        ordered["outlet"], ordered["doc_id"], prefix=3, every=True, template="{outlet} · {doc_id}"
    )
    bars = length.barh(range(len(ordered)), ordered["n_words"], color="#009E73")
    length.bar_label(
        bars, labels=[f"{s} sent." for s in ordered["n_sentences"]], fontsize=7, padding=2
    )
    length.set_yticks(range(len(ordered)), labels)
    length.set_xlabel("words after cleaning")
    length.set_title("Article length")
    length.margins(x=0.2)


def _plot_length_histogram(table: pd.DataFrame, length: Axes) -> None:
    length.hist(table["n_words"], bins=40, color="#009E73")
    median_words = int(table["n_words"].median())
    median_sentences = int(table["n_sentences"].median())
    length.axvline(median_words, color="black", linewidth=1)
    length.set_xlabel("words after cleaning")
    length.set_ylabel("articles")
    length.set_title(
        f"Article length: {len(table):,} articles, median {median_words:,} words "
        f"({median_sentences} sentences)"
    )


FIGURES = [
    FigureSpec(
        name="corpus_overview",
        title="The corpus: outlets, dates, length and wire copy",
        caption=(
            "Each article of the corpus by outlet and publication date (undated articles in their "
            "own column), its length after cleaning in words (and sentences), and the wire agency "
            "it credits. Several outlets reprint ANI or PTI copy, which the syndication analysis "
            "takes into account. A corpus with more than 30 dates is counted by week, month, "
            "quarter or year, and one of more than 40 articles has its lengths drawn as a "
            "histogram with the median marked."
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
