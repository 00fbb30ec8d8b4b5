"""Topics and distinctive language: topic terms, topic prevalence per outlet, model quality
against the number of topics, and each outlet's most distinctive terms."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.outputs.figures.spec import FigureSpec, outlet_rows
from analysis.study.figure_tables import (
    EARLY_STOP_UNITS,
    MIN_UNITS_PER_TOPIC,
    N_PLOTTED_TERMS,
    QUALITY_MAX_UNITS,
    QUALITY_ONLINE_UNITS,
    STABILITY_THRESHOLD,
    distinctive_terms_table,
    topic_prevalence_table,
    topic_quality_table,
    topic_terms_table,
)

#: The report section of these figures.
SECTION = "Topics and distinctive language"

METHOD_COLOURS = {"nmf": "#0072B2", "lda": "#E69F00"}
METHOD_NAMES = {"nmf": "NMF (TF-IDF)", "lda": "LDA (counts)"}
BAR_COLOUR = "#0072B2"
INTERVAL_COLOUR = "#56B4E9"
CHOSEN_COLOUR = "#D55E00"
GUIDE_COLOUR = "#999999"


#: Longest term label in the term figures; longer terms (URL slugs and the like) end in an
#: ellipsis there, and are whole in the tables.
MAX_TERM_LABEL = 30


def term_labels(terms: pd.Series) -> list[str]:
    """Terms as tick labels, shortened to :data:`MAX_TERM_LABEL` characters.

    >>> term_labels(pd.Series(["tariff", "how-vote-tuesday-arizona-presidential-primary"]))
    ['tariff', 'how-vote-tuesday-arizona-pres…']
    """
    return [
        term if len(term) <= MAX_TERM_LABEL else term[: MAX_TERM_LABEL - 1] + "…" for term in terms
    ]


def _hide_unused(axes: np.ndarray, used: int) -> None:
    for ax in list(axes.flat)[used:]:
        ax.set_visible(False)


def plot_topic_terms(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """One panel per topic (as many as there are panels): its top terms and their weights."""
    topics = sorted(table["topic"].unique())
    for ax, topic in zip(axes.flat, topics, strict=False):
        rows = table[table["topic"] == topic].sort_values("rank").head(N_PLOTTED_TERMS)
        y = np.arange(len(rows))
        ax.barh(y, rows["weight"], color=BAR_COLOUR)
        ax.set_yticks(y, term_labels(rows["term"]), fontsize=7)
        ax.invert_yaxis()
        ax.set_title(f"topic {topic}", fontsize=9)
        ax.set_xlabel("weight in topic", fontsize=7)
        ax.tick_params(axis="x", labelsize=6)
    _hide_unused(axes, len(topics))
    return axes


def plot_topic_prevalence(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """One panel per topic: each outlet's mean topic share with its 95% interval."""
    topics = sorted(table["topic"].unique())
    outlets = sorted(table["outlet"].unique(), reverse=True)
    positions = {outlet: i for i, outlet in enumerate(outlets)}
    upper = max(0.5, float(np.ceil(table["high"].max() * 10) / 10))
    for number, (ax, topic) in enumerate(zip(axes.flat, topics, strict=False)):
        rows = table[table["topic"] == topic]
        ax.errorbar(
            rows["estimate"],
            rows["outlet"].map(positions),
            xerr=[rows["estimate"] - rows["low"], rows["high"] - rows["estimate"]],
            fmt="o",
            color=BAR_COLOUR,
            ecolor=INTERVAL_COLOUR,
            capsize=2,
            markersize=4,
        )
        outlet_rows(ax, outlets, named=number % axes.shape[-1] == 0, fontsize=7)
        ax.set_xlim(-0.02, upper)
        ax.set_title(rows["label"].iloc[0], fontsize=7)
        ax.set_xlabel("mean topic share", fontsize=7)
        ax.tick_params(axis="x", labelsize=6)
    _hide_unused(axes, len(topics))
    return axes


def plot_topic_quality(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """Coherence (left) and stability (right) against k per method; the study's k marked."""
    coherence_ax, stability_ax = axes.flat
    for method in sorted(table["method"].unique(), reverse=True):
        rows = table[table["method"] == method].sort_values("k")
        name = METHOD_NAMES.get(method, method)
        learning = rows["learning"].iloc[0]
        label = name if learning == "batch" else f"{name}, fitted {learning}"
        for ax, column in ((coherence_ax, "coherence"), (stability_ax, "stability")):
            ax.plot(
                rows["k"],
                rows[column],
                marker="o",
                markersize=4,
                color=METHOD_COLOURS.get(method, GUIDE_COLOUR),
                label=label,
            )
    chosen = table[table["study_model"]]
    for ax, column in ((coherence_ax, "coherence"), (stability_ax, "stability")):
        for k, value in zip(chosen["k"], chosen[column], strict=True):
            ax.axvline(k, color=CHOSEN_COLOUR, linestyle="--", linewidth=0.9)
            ax.plot([k], [value], marker="*", markersize=12, color=CHOSEN_COLOUR, zorder=3)
        ax.set_xlabel("number of topics k")
        ax.set_xticks(sorted(table["k"].unique()))
    if not chosen.empty:
        coherence_ax.annotate(
            f"chosen k = {int(chosen['k'].iloc[0])}",
            xy=(0.02, 0.95),
            xycoords="axes fraction",
            color=CHOSEN_COLOUR,
            fontsize=8,
            va="top",
        )
    stability_ax.axhline(STABILITY_THRESHOLD, color=GUIDE_COLOUR, linestyle=":", linewidth=1)
    stability_ax.annotate(
        f"threshold {STABILITY_THRESHOLD:g}",
        xy=(0.02, STABILITY_THRESHOLD),
        xycoords=("axes fraction", "data"),
        ha="left",
        va="bottom",
        color=GUIDE_COLOUR,
        fontsize=7,
    )
    coherence_ax.set_ylabel("coherence: mean NPMI of top-10 term pairs")
    coherence_ax.set_ylim(-1, 1)
    stability_ax.set_ylabel("stability: mean matched cosine")
    stability_ax.set_ylim(0, 1.02)
    stability_ax.legend(loc="lower left", fontsize=7)
    return axes


def plot_distinctive_terms(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """One panel per outlet, for the outlets with the most articles (``n_articles``; ties
    alphabetical) as many as there are panels, in alphabetical order: its most distinctive
    terms against all other outlets, by z on one scale for all panels, with the outlet's count
    beside each bar."""
    sizes = table.drop_duplicates("outlet").sort_values(
        ["n_articles", "outlet"], ascending=[False, True]
    )
    outlets = sorted(sizes["outlet"].head(axes.size))
    table = table[table["outlet"].isin(outlets)]
    low = min(0.0, float(table["z"].min()) * 1.1)
    high = max(1.0, float(table["z"].max())) * 1.2
    for ax, outlet in zip(axes.flat, outlets, strict=False):
        rows = table[table["outlet"] == outlet].head(N_PLOTTED_TERMS)
        y = np.arange(len(rows))
        bars = ax.barh(y, rows["z"], color=BAR_COLOUR)
        ax.bar_label(bars, labels=[f"{count}" for count in rows["count"]], fontsize=6, padding=2)
        ax.set_yticks(y, term_labels(rows["term"]), fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color=GUIDE_COLOUR, linewidth=0.8)
        ax.set_xlim(low, high)
        ax.set_title(outlet, fontsize=9)
        ax.set_xlabel("z of the log-odds ratio", fontsize=7)
        ax.tick_params(axis="x", labelsize=6)
    _hide_unused(axes, len(outlets))
    return axes


FIGURES = [
    FigureSpec(
        name="topic_quality",
        title="How many topics? Coherence and stability against k",
        caption=(
            "For k = 2 to 8 topics fitted on the corpus's paragraphs: coherence, the mean "
            "normalised pointwise mutual information of each topic's ten top terms over the "
            "paragraphs (-1 never together, +1 always together), and stability, the mean cosine "
            "between each topic and its match (Hungarian algorithm) in five refits with other "
            "seeds on random 80% samples of the paragraphs. The chosen k (star) has the highest "
            "mean of rescaled coherence (NPMI + 1) / 2 and stability among the k with stability "
            "at least 0.6, for the study's model (NMF). A k is tried only with at least "
            f"{MIN_UNITS_PER_TOPIC} paragraphs per topic. Above {QUALITY_MAX_UNITS:,} "
            f"paragraphs both are measured on a seeded sample of {QUALITY_MAX_UNITS:,}, above "
            f"{QUALITY_ONLINE_UNITS:,} LDA is fitted online in minibatches (the legend says "
            f"so), and above {EARLY_STOP_UNITS:,} a k stops being refitted once even perfect "
            "stability could not make it the chosen k (its stability is then the mean of the "
            "refits it had: n_refits in the table)."
        ),
        table=topic_quality_table,
        tables=("topic_quality_lda", "topic_quality_nmf"),
        plot=plot_topic_quality,
        layout=(1, 2),
        figsize=(8.0, 3.6),
    ),
    FigureSpec(
        name="topic_terms",
        title="Topics: the ten heaviest terms of each",
        caption=(
            "Topics of the corpus's paragraphs (NMF on TF-IDF, k chosen by the rule of "
            "topic_quality), numbered by their share of the corpus. Stop words are removed and "
            'collocations such as "critical minerals" count as one term. Up to eight topics '
            "are drawn; the table has them all."
        ),
        table=topic_terms_table,
        tables=("topic_model",),
        plot=plot_topic_terms,
        layout=(2, 4),
        figsize=(11.0, 5.6),
        panels="topic",
    ),
    FigureSpec(
        name="topic_prevalence",
        title="Which outlet gave room to which topic?",
        caption=(
            "Each outlet's mean topic share over its paragraphs, with a 95% bootstrap interval: "
            "articles resampled for outlets with several articles; for an outlet with one "
            "article, that article's paragraphs, so the interval shows how much the share "
            "depends on which paragraphs the article contains, not how the outlet covers the "
            "visit in general. Panel titles give each topic's three heaviest terms."
        ),
        table=topic_prevalence_table,
        tables=("topic_model", "topics_per_outlet"),
        plot=plot_topic_prevalence,
        layout=(2, 4),
        figsize=(11.0, 5.6),
        outlet_rows=True,
        panels="topic",
    ),
    FigureSpec(
        name="distinctive_terms",
        title="Distinctive language: each outlet against all the others",
        caption=(
            "Terms each outlet uses more than all other outlets together: z-score of the "
            "log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn "
            "2008; prior: the whole corpus's counts), stop words removed, collocations as one "
            "term; the number beside each bar is the outlet's count. With few and short articles "
            "per outlet the z-scores are small: the terms are leads to read in context "
            "(framing kwic), not findings. The six outlets with the most articles are drawn, in "
            "alphabetical order, terms longer than 30 characters shortened; the table has every "
            "outlet and whole terms."
        ),
        table=distinctive_terms_table,
        tables=("distinctive_terms", "topic_units"),
        plot=plot_distinctive_terms,
        layout=(2, 3),
        figsize=(10.0, 6.0),
    ),
]
