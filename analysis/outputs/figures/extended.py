"""The study at full size (114 openings): framing by day, by outlet country and kind, by
article kind, shared copy, tone over time, topics and distinctive terms.

These outputs are built from :func:`analysis.study.extended.load_extended_study`, not from the study
corpus alone, so they have a registry of their own (:data:`FIGURES`, built by
:func:`analysis.outputs.figures.build_extended`, ``framing extended``) and a folder of their own
(``figures/extended/``).
"""

from __future__ import annotations

from datetime import date as calendar_date

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.outputs.figures.frame_methods import plot_method_comparison
from analysis.outputs.figures.spec import FigureSpec
from analysis.outputs.figures.topics import plot_topic_terms, term_labels
from analysis.study import extended
from analysis.study.extended import (
    FRAMEWORK_DAYS,
    TARIFF_CUT,
    UNDATED,
    UNIT_NOTE,
    ExtendedStudy,
)
from analysis.study.frame_evaluation import method_comparison, sentence_comparison
from analysis.topics import STABILITY_THRESHOLD, TOPIC_METHOD, topic_labels

SECTION = "The study at full size: 114 articles"

INDEX_COLOUR, INTERVAL_COLOUR = "#0072B2", "#56B4E9"
EVENT_COLOUR = "#D55E00"
VOICE_COLOURS = {"narration": "#0072B2", "quotation": "#D55E00"}
FRAME_COLOURS = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
#: Grouping columns of the by-group figures, with their panel titles.
GROUPINGS = {
    "country_group": "outlet country",
    "outlet_kind": "outlet kind",
    "kind": "article kind",
}
#: Where the undated articles are drawn, in days after the last dated day.
UNDATED_GAP = 3


# --- tables -------------------------------------------------------------------------------------


def articles_table(study: ExtendedStudy) -> pd.DataFrame:
    """One row per article: ids, groups, measures (:func:`extended.article_table`)."""
    return study.derived("extended_articles", extended.article_table)


def framing_by_day_table(study: ExtendedStudy) -> pd.DataFrame:
    """Framing index and frame presence shares per day (undated articles as one group)."""
    return extended.framing_by(articles_table(study), "day", extended.frame_ids(study))


def framing_by_group_table(study: ExtendedStudy) -> pd.DataFrame:
    """Framing index and frame presence shares per outlet country, outlet kind, article kind."""
    articles, ids = articles_table(study), extended.frame_ids(study)
    return pd.concat(
        [extended.framing_by(articles, by, ids) for by in GROUPINGS], ignore_index=True
    )


def framing_by_side_table(study: ExtendedStudy) -> pd.DataFrame:
    """Framing index and presence shares before and from 2 February, by outlet group
    (Indian, foreign, country not shown)."""
    articles, ids = articles_table(study), extended.frame_ids(study)
    keyed = articles.assign(side_group=articles["side"] + " | " + articles["outlet_group"])
    return pd.concat(
        [extended.framing_by(keyed, by, ids) for by in ("side", "outlet_group", "side_group")],
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
    return extended.cluster_table(articles_table(study))


def shared_copy_table(study: ExtendedStudy) -> pd.DataFrame:
    """Share of each corpus's words in shared sentences, and articles in clusters."""
    return extended.shared_copy_summary(articles_table(study))


def tone_by_day_table(study: ExtendedStudy) -> pd.DataFrame:
    """Narration and quotation tone per day (undated apart)."""
    return extended.tone_by(study, articles_table(study), "day")


def topic_quality_table(study: ExtendedStudy) -> pd.DataFrame:
    """Coherence and stability per k, the rule's score and the chosen k."""
    quality = extended.topic_quality(study)
    score = ((quality["coherence"] + 1) / 2 + quality["stability"]) / 2
    return quality.assign(
        score=score,
        eligible=quality["stability"] >= STABILITY_THRESHOLD,
        chosen=quality["k"] == extended.topic_k(study),
    )


def topic_terms_table(study: ExtendedStudy) -> pd.DataFrame:
    """Each topic's top terms with weights and the topic's label."""
    terms = extended.topic_model(study).top_terms()
    return terms.assign(label=terms["topic"].map(topic_labels(terms)))


def topic_prevalence_table(study: ExtendedStudy) -> pd.DataFrame:
    """Topic prevalence by period of the visit and by outlet group, with labels."""
    articles = articles_table(study)
    table = pd.concat(
        [extended.topic_prevalence_by(study, articles, by) for by in ("period", "outlet_group")],
        ignore_index=True,
    )
    labels = topic_labels(extended.topic_model(study).top_terms())
    return table.assign(label=table["topic"].map(labels))


def topic_typical_units_table(study: ExtendedStudy) -> pd.DataFrame:
    """The three most typical paragraphs of each topic, as ids and offsets (no text)."""
    shares = extended.topic_shares(study)
    modelled = shares[shares["n_terms"] > 0]
    best = modelled.sort_values(["topic", "share"], ascending=[True, False], kind="stable")
    best = best.groupby("topic", sort=True).head(3)
    best = best.assign(rank=best.groupby("topic").cumcount() + 1)
    units = extended.measures.topic_units(study)[
        ["doc_id", "unit_idx", "first_sent_idx", "last_sent_idx"]
    ]
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
            extended.distinctive_between(
                study, articles, "outlet_group", (extended.INDIA, extended.FOREIGN)
            ),
            extended.distinctive_between(
                study, articles, "side", ("before 2 February", "from 2 February")
            ),
        ],
        ignore_index=True,
    )


def frame_evidence_table(study: ExtendedStudy) -> pd.DataFrame:
    """Every indicator hit: ids, offsets, rule, status and the matched words (no sentences)."""
    return extended.measures.evidence(study)


def seed_sensitivity_table(study: ExtendedStudy) -> pd.DataFrame:
    """The seeds' framing on their openings and on their full texts."""
    return extended.seed_sensitivity(study)


# --- plots --------------------------------------------------------------------------------------


def _day_positions(days: pd.Series) -> tuple[pd.Series, list[str], float]:
    """x of each day (days since 2 February); undated at :data:`UNDATED_GAP` past the last."""
    dated = sorted(d for d in days.unique() if d != UNDATED)
    origin = calendar_date.fromisoformat(TARIFF_CUT)
    offsets = {d: (calendar_date.fromisoformat(d) - origin).days for d in dated}
    undated_x = (max(offsets.values()) if offsets else 0) + UNDATED_GAP
    return days.map(lambda d: offsets.get(d, undated_x)), dated, undated_x


def _mark_events(ax: Axes, undated_x: float) -> None:
    framework = [
        (calendar_date.fromisoformat(d) - calendar_date.fromisoformat(TARIFF_CUT)).days
        for d in FRAMEWORK_DAYS
    ]
    ax.axvline(0, color=EVENT_COLOUR, linewidth=0.9, linestyle="--")
    ax.axvspan(framework[0] - 0.5, framework[-1] + 0.5, color=EVENT_COLOUR, alpha=0.12, linewidth=0)
    ax.axvline(undated_x - UNDATED_GAP / 2, color="#999999", linewidth=0.6)


def _day_axis(ax: Axes, dated: list[str], undated_x: float, n_undated: int) -> None:
    origin = calendar_date.fromisoformat(TARIFF_CUT)
    first = (calendar_date.fromisoformat(dated[0]) - origin).days if dated else 0
    ticks = list(range(first - first % 7, int(undated_x - UNDATED_GAP) + 1, 7))
    ticks = sorted({*ticks, 0})
    labels = [(origin + pd.Timedelta(days=t)).strftime("%-d %b") for t in ticks]
    ax.set_xticks([*ticks, undated_x], [*labels, f"undated\n(n={n_undated})"], fontsize=7)
    ax.set_xlim(first - 1, undated_x + 1.5)


def _errorbars(
    ax: Axes, x, rows: pd.DataFrame, colour: str, light: str, label: str | None, sizes=None
) -> None:
    has = rows["low"].notna()
    ax.errorbar(
        np.asarray(x)[has],
        rows["estimate"][has],
        yerr=[rows["estimate"][has] - rows["low"][has], rows["high"][has] - rows["estimate"][has]],
        fmt="none",
        ecolor=light,
        capsize=2,
        linewidth=1,
    )
    ax.scatter(
        x,
        rows["estimate"],
        s=sizes if sizes is not None else 18,
        color=colour,
        label=label,
        zorder=3,
    )


def plot_framing_by_day(table: pd.DataFrame, ax: Axes) -> Axes:
    """Framing index per day with its interval (dot area: articles), 2 February dashed,
    6-7 February shaded, undated articles at the right."""
    rows = table[table["measure"] == "index"].reset_index(drop=True)
    x, dated, undated_x = _day_positions(rows["group"])
    ax.axhline(0, color="#999999", linewidth=0.8)
    _mark_events(ax, undated_x)
    _errorbars(ax, x, rows, INDEX_COLOUR, INTERVAL_COLOUR, None, sizes=8 + 6 * rows["n_articles"])
    for xi, n in zip(x, rows["n_articles"], strict=True):
        ax.annotate(str(n), (xi, -0.97), ha="center", fontsize=6, color="#555555")
    n_undated = int(rows.loc[rows["group"] == UNDATED, "n_articles"].sum())
    _day_axis(ax, dated, undated_x, n_undated)
    ax.set_ylim(-1.0, 1.0)
    ax.set_ylabel("framing index: convergence - downturn share")
    ax.text(0.2, 0.92, "2 Feb: tariff cut", color=EVENT_COLOUR, fontsize=7)
    ax.text(5.7, 0.82, "6-7 Feb: framework", color=EVENT_COLOUR, fontsize=7)
    return ax


def plot_frames_by_day(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """One panel per frame: the share of each day's articles with the frame present."""
    rows = table[table["measure"] == "present"].reset_index(drop=True)
    frames = list(dict.fromkeys(rows["frame"]))
    for ax, frame in zip(axes.flat, frames, strict=False):
        sub = rows[rows["frame"] == frame].reset_index(drop=True)
        x, dated, undated_x = _day_positions(sub["group"])
        _mark_events(ax, undated_x)
        _errorbars(ax, x, sub, INDEX_COLOUR, INTERVAL_COLOUR, None, sizes=6 + 4 * sub["n_articles"])
        _day_axis(ax, dated, undated_x, int(sub.loc[sub["group"] == UNDATED, "n_articles"].sum()))
        ax.set_ylim(-0.03, 1.03)
        ax.set_title(frame.replace("_", " "), fontsize=9)
        ax.tick_params(axis="x", labelsize=6)
    for ax in axes[:, 0]:
        ax.set_ylabel("share of articles with the frame")
    for ax in list(axes.flat)[len(frames) :]:
        ax.set_visible(False)
    return axes


def _group_rows(rows: pd.DataFrame) -> list[str]:
    return sorted(rows["group"].unique(), reverse=True)


def plot_framing_by_group(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """One panel per grouping: each group's framing index (blue, with interval) and the share
    of its articles with the downturn and the convergence frame present."""
    for ax, (by, title) in zip(axes.flat, GROUPINGS.items(), strict=True):
        rows = table[table["by"] == by]
        groups = _group_rows(rows)
        y = {g: i for i, g in enumerate(groups)}
        ax.axvline(0, color="#999999", linewidth=0.8)
        series = [
            ("index", "convergence - downturn", "framing index", INDEX_COLOUR, 0.0),
            ("present", "downturn", "downturn present", "#D55E00", 0.22),
            ("present", "convergence", "convergence present", "#009E73", -0.22),
        ]
        for measure, frame, label, colour, offset in series:
            sub = rows[(rows["measure"] == measure) & (rows["frame"] == frame)]
            positions = sub["group"].map(y) + offset
            has = sub["low"].notna()
            ax.errorbar(
                sub["estimate"][has],
                positions[has],
                xerr=[
                    sub["estimate"][has] - sub["low"][has],
                    sub["high"][has] - sub["estimate"][has],
                ],
                fmt="none",
                ecolor=colour,
                alpha=0.5,
                capsize=2,
            )
            ax.scatter(sub["estimate"], positions, color=colour, s=16, label=label, zorder=3)
        counts = rows.drop_duplicates("group").set_index("group")["n_articles"]
        ax.set_yticks(range(len(groups)), [f"{g} ({counts[g]})" for g in groups], fontsize=7)
        ax.set_ylim(-0.6, len(groups) - 0.4)
        ax.set_xlim(-0.6, 1.02)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("index, or share of articles", fontsize=8)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    axes.flat[0].figure.legend(  # below the panels, where it covers no group
        handles, labels, loc="outside lower center", ncol=len(handles), fontsize=7
    )
    return axes


def plot_clusters(table: pd.DataFrame, ax: Axes) -> Axes:
    """Per cluster of articles sharing text: the cluster's framing index (diamond) and each
    member's framing index on its own sentences (dots)."""
    clusters = list(dict.fromkeys(table["cluster"]))
    y = {c: len(clusters) - 1 - i for i, c in enumerate(clusters)}
    ax.axvline(0, color="#999999", linewidth=0.8)
    first = table.drop_duplicates("cluster")
    ax.scatter(
        first["cluster_index"],
        first["cluster"].map(y),
        marker="D",
        s=30,
        color=INDEX_COLOUR,
        label="cluster, all text",
        zorder=3,
    )
    ax.scatter(
        table["frame_index"],
        table["cluster"].map(y) + 0.15,
        s=12,
        color="#999999",
        label="member, all text",
    )
    ax.scatter(
        table["own_frame_index"],
        table["cluster"].map(y) - 0.15,
        s=14,
        color=EVENT_COLOUR,
        label="member, own sentences",
    )
    labels = [
        f"cluster {c}: {n} articles"
        for c, n in zip(first["cluster"], first["cluster_size"], strict=True)
    ]
    ax.set_yticks([y[c] for c in first["cluster"]], labels, fontsize=7)
    ax.set_ylim(-0.6, len(clusters) - 0.4)
    ax.set_xlim(-0.55, 0.55)
    ax.set_xlabel("framing index: convergence - downturn share")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, fontsize=7)  # off the data
    return ax


def plot_tone_by_day(table: pd.DataFrame, ax: Axes) -> Axes:
    """Mean tone of narration and of quotation per day, with intervals, undated at the right."""
    x_all, dated, undated_x = _day_positions(table["group"])
    ax.axhline(0, color="#999999", linewidth=0.8)
    _mark_events(ax, undated_x)
    for number, (voice, colour) in enumerate(VOICE_COLOURS.items()):
        rows = table[table["voice"] == voice].reset_index(drop=True)
        x = _day_positions(rows["group"])[0] + (number - 0.5) * 0.3
        _errorbars(ax, x, rows, colour, colour, voice, sizes=6 + 3 * rows["n_articles"])
    n_undated = int(
        table.loc[(table["group"] == UNDATED) & (table["voice"] == "narration"), "n_articles"].sum()
    )
    _day_axis(ax, dated, undated_x, n_undated)
    ax.set_ylim(-1.0, 1.0)
    ax.set_ylabel("mean VADER compound")
    ax.legend(loc="lower left", fontsize=7)
    return ax


def plot_topic_quality(table: pd.DataFrame, ax: Axes) -> Axes:
    """Coherence and stability against k; the chosen k marked."""
    rows = table.sort_values("k")
    ax.plot(rows["k"], rows["coherence"], marker="o", color=INDEX_COLOUR, label="coherence (NPMI)")
    ax.plot(rows["k"], rows["stability"], marker="s", color="#009E73", label="stability")
    ax.axhline(STABILITY_THRESHOLD, color="#999999", linewidth=0.8, linestyle=":")
    chosen = rows[rows["chosen"]]
    ax.axvline(
        chosen["k"].iloc[0],
        color=EVENT_COLOUR,
        linestyle="--",
        linewidth=0.9,
        label=f"chosen k = {int(chosen['k'].iloc[0])}",
    )
    ax.set_xlabel(f"number of topics k ({TOPIC_METHOD.upper()})")
    ax.set_xticks(rows["k"])
    ax.legend(loc="best", fontsize=7)
    return ax


def plot_topic_prevalence(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """Mean topic share by period of the visit (left) and by outlet group (right)."""
    for ax, by in zip(axes.flat, ("period", "outlet_group"), strict=True):
        rows = table[table["by"] == by]
        topics = sorted(rows["topic"].unique())
        groups = sorted(rows["group"].unique())
        width = 0.8 / len(groups)
        for number, group in enumerate(groups):
            sub = rows[rows["group"] == group].set_index("topic").reindex(topics)
            ax.barh(
                np.arange(len(topics)) + number * width - 0.4 + width / 2,
                sub["estimate"],
                height=width,
                label=group,
                color=FRAME_COLOURS[number % len(FRAME_COLOURS)],
            )
        labels = rows.drop_duplicates("topic").set_index("topic")["label"].reindex(topics)
        ax.set_yticks(range(len(topics)), labels if by == "period" else [], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("mean share of paragraphs", fontsize=8)
        ax.set_title({"period": "period of the visit", "outlet_group": "outlet"}[by], fontsize=9)
        ax.legend(fontsize=6, loc="lower right")
    return axes


def plot_distinctive_terms(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """One panel per side of each comparison: its most distinctive terms by z."""
    sides = list(dict.fromkeys(zip(table["by"], table["group"], strict=True)))
    for ax, (by, group) in zip(axes.flat, sides, strict=False):
        rows = table[(table["by"] == by) & (table["group"] == group)].head(12)
        y = np.arange(len(rows))
        ax.barh(y, rows["z"], color=INDEX_COLOUR)
        ax.set_yticks(y, term_labels(rows["term"]), fontsize=7)
        ax.invert_yaxis()
        n = int(rows["n_articles"].iloc[0]) if len(rows) else 0
        ax.set_title(f"{group} ({n} articles)", fontsize=9)
        ax.set_xlabel("z (log-odds, informative prior)", fontsize=7)
    return axes


# --- the registry -------------------------------------------------------------------------------


def _caption(text: str) -> str:
    return f"{text} {UNIT_NOTE}"


FIGURES = [
    FigureSpec(
        name="extended_frame_validation",
        title="Is the framing measure right? Methods against hand coding",
        caption=_caption(
            "Article level, against the adjudicated codes of two independent coders and a blind "
            "third (corpus/annotations/coverage/): F1 of downturn and convergence presence and "
            "Spearman's correlation of each direction score with the coded tone (-2..+2), with "
            "95% intervals resampling articles and n. In-sample: the five seeds, which the "
            "codebook's authors had read. Development: 77 coverage articles on which the codebook "
            "was tuned (its rules are in-sample there; the article model and the sentence "
            "classifier are cross-validated, 5 folds). Locked test: 32 articles set aside before "
            "any change, whole outlets and shared copy apart, scored once. The table also gives "
            "precision, recall, Krippendorff's alpha of each method against the codes beside "
            "the coders' own alpha on the same articles, and the paired difference that decides "
            "whether the weighted index becomes the default."
        ),
        table=frame_validation_table,
        plot=plot_method_comparison,
        layout=(1, 3),
        figsize=(12.0, 3.8),
    ),
    FigureSpec(
        name="extended_frame_validation_sentences",
        title="Sentence-level validation on the extended corpus",
        caption=_caption(
            "Per set and frame: precision, recall, F1 and alpha of the codebook detector (every "
            "frame) and of the sentence classifier (downturn, convergence) against the "
            "adjudicated sentence codes of 47 articles (598 sentences)."
        ),
        table=frame_validation_sentences_table,
    ),
    FigureSpec(
        name="extended_articles",
        title="The 114 articles and their measures",
        caption=_caption(
            "One row per article: corpus, outlet, date, period, article kind, outlet country "
            "and kind (corpus/outlets.csv), the frame counts and presence decided by the "
            "codebook, the framing index on all text and on the article's own sentences, its "
            "share of words in shared sentences and its cluster, and its narration and "
            "quotation tone. Ids and measures only: no text."
        ),
        table=articles_table,
    ),
    FigureSpec(
        name="extended_framing_by_day",
        title="Did the framing move around 2 and 6-7 February?",
        caption=_caption(
            "The framing index (convergence minus downturn share of sentences) of each day's "
            "articles, pooled over their sentences, with a 95% interval resampling the day's "
            "articles (none for a day of one article); dot area and the number at the foot "
            "give the articles. Dashed: 2 February (the 18% tariff cut); shaded: 6-7 February "
            "(the interim trade framework). Undated articles are counted and drawn apart, at "
            "the right."
        ),
        table=framing_by_day_table,
        plot=plot_framing_by_day,
        figsize=(8.0, 4.2),
    ),
    FigureSpec(
        name="extended_frames_by_day",
        title="Which frames were present, day by day",
        caption=_caption(
            "For each frame, the share of each day's articles in which the codebook finds the "
            "frame present (the codebook's article-level rule: a counted hit in the headline, the "
            "lead or the narration, or, for convergence, attributed text in two sentences), "
            "with a 95% interval resampling articles; 2 February dashed, 6-7 February shaded, "
            "undated articles at the right."
        ),
        table=framing_by_day_table,
        plot=plot_frames_by_day,
        layout=(2, 3),
        figsize=(10.0, 5.8),
    ),
    FigureSpec(
        name="extended_framing_by_group",
        title="Framing by outlet country, outlet kind and article kind",
        caption=_caption(
            "Per group (articles in brackets): the framing index pooled over the group's "
            "sentences, and the share of its articles with the downturn and with the "
            "convergence frame present, each with a 95% interval resampling articles. "
            "Countries with fewer than 3 articles are pooled as other countries; outlets "
            "whose country their address, name and text do not show are apart."
        ),
        table=framing_by_group_table,
        plot=plot_framing_by_group,
        layout=(1, 3),
        figsize=(11.0, 4.2),
    ),
    FigureSpec(
        name="extended_framing_by_side",
        title="Before and from 2 February, Indian and foreign outlets",
        caption=_caption(
            "Framing index and frame presence shares of the articles dated before 2 February, "
            "from 2 February and undated, of Indian, foreign and country-not-shown outlets, "
            "and of each combination, with 95% intervals resampling articles."
        ),
        table=framing_by_side_table,
    ),
    FigureSpec(
        name="extended_wire_clusters",
        title="Shared copy: each cluster's framing and its members' own words",
        caption=_caption(
            "Clusters of articles that share text (the package's reuse detector on all 114 "
            "openings; at least a quarter of one article's words shared with another, single "
            "linkage). Diamond: the cluster's framing index over all its members' sentences; "
            "grey: each member on all its text; orange: each member on its own sentences only "
            "(not shared with another article)."
        ),
        table=clusters_table,
        plot=plot_clusters,
        figsize=(7.0, 5.0),
    ),
    FigureSpec(
        name="extended_shared_copy",
        title="How much of the coverage is shared copy",
        caption=_caption(
            "Per corpus: the share of words in sentences copied from or into, or rewritten "
            "from or into, another of the 114 articles (95% interval resampling articles), "
            "the articles sharing any sentence, and the articles and clusters of the figure "
            "above. Copy shared with articles outside the 114 is not seen."
        ),
        table=shared_copy_table,
    ),
    FigureSpec(
        name="extended_tone_by_day",
        title="Tone over time: the outlets' narration and the quotations they carry",
        caption=_caption(
            "Mean VADER compound of narration segments and of quotation segments of each "
            "day's articles, with 95% intervals resampling articles; 2 February dashed, "
            "6-7 February shaded, undated articles at the right."
        ),
        table=tone_by_day_table,
        plot=plot_tone_by_day,
        figsize=(8.0, 4.2),
    ),
    FigureSpec(
        name="extended_topic_quality",
        title="Choosing the number of topics for 114 articles",
        caption=_caption(
            "Coherence (mean NPMI of the top 10 terms) and stability (mean matched cosine over "
            "five refits on 80% samples) of NMF models of the articles' paragraphs for k from "
            "3 to 15; k is chosen by the package's rule (analysis.topics.choose_k): among k "
            "with stability of at least 0.6 (dotted), the best mean of rescaled coherence and "
            "stability."
        ),
        table=topic_quality_table,
        plot=plot_topic_quality,
        figsize=(7.0, 4.0),
    ),
    FigureSpec(
        name="extended_topic_terms",
        title="Topics of the 114 articles: top terms",
        caption=_caption("The ten top terms of each topic of the chosen model, with weights."),
        table=topic_terms_table,
        plot=plot_topic_terms,
        layout=(3, 5),
        figsize=(12.0, 8.0),
        panels="topic",
    ),
    FigureSpec(
        name="extended_topic_prevalence",
        title="Topics by period of the visit and by outlet",
        caption=_caption(
            "Mean topic share of the paragraphs of articles before (to 1 February), during "
            "(2-5 February) and after the visit's week, and undated (left), and of Indian, "
            "foreign and country-not-shown outlets (right); the table has 95% intervals "
            "resampling articles."
        ),
        table=topic_prevalence_table,
        plot=plot_topic_prevalence,
        layout=(1, 2),
        figsize=(10.0, 5.5),
    ),
    FigureSpec(
        name="extended_topic_typical_units",
        title="The most typical paragraphs of each topic (ids only)",
        caption=_caption(
            "For each topic, the three paragraphs with the largest share of it, as article "
            "id, paragraph index and sentence range: read them in the corpus (the texts of "
            "the coverage articles are not in the repository)."
        ),
        table=topic_typical_units_table,
    ),
    FigureSpec(
        name="extended_distinctive_terms",
        title="Distinctive terms: Indian against foreign outlets, before against from 2 February",
        caption=_caption(
            "Terms of the articles' paragraphs most over-represented on each side (log-odds "
            "with an informative Dirichlet prior, z-scores; Monroe et al. 2008): Indian "
            "outlets against foreign ones (outlets whose country is not shown left out), and "
            "articles dated before 2 February against those dated from it (undated left out)."
        ),
        table=distinctive_terms_table,
        plot=plot_distinctive_terms,
        layout=(2, 2),
        figsize=(9.0, 7.5),
    ),
    FigureSpec(
        name="extended_frame_evidence",
        title="Frame evidence of the 114 articles: every indicator hit",
        caption=_caption(
            "Every codebook indicator hit: article, sentence index, frame, indicator, rule, "
            "character offsets, the matched words, status, cue, hedging, voice and speaker. "
            "No sentence text."
        ),
        table=frame_evidence_table,
    ),
    FigureSpec(
        name="extended_seed_sensitivity",
        title="Sensitivity: the seeds on their openings and on their full texts",
        caption=(
            f"The five seed articles measured on their openings (first {2000:,} characters, "
            "the unit of every extended figure) and on their full texts (the study corpus): "
            "sentences, framing index and each frame's presence."
        ),
        table=seed_sensitivity_table,
    ),
]
