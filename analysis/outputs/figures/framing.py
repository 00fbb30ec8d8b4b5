"""Framing figures: frame shares and the framing index per outlet, evidence, validation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from analysis.outputs.figures.spec import FigureSpec, outlet_rows, rasterize_points
from analysis.study.figure_tables import (
    MIN_SENTENCES,
    frame_evidence_table,
    frame_shares_own_text_table,
    frame_shares_table,
    frame_validation_table,
    framing_index_table,
)

METHOD_COLOURS = {"codebook detector": "#0072B2", "baseline (LR, leave-one-article-out)": "#E69F00"}
#: Marker and interval colours for frame shares on all text and on each article's own text.
TEXT_COLOURS = {"all text": ("#0072B2", "#56B4E9"), "own text": ("#D55E00", "#F0A582")}


def plot_frame_shares(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """One panel per frame: each outlet's share of sentences with the frame and its interval."""
    frames = list(dict.fromkeys(table["frame"]))
    outlets = sorted(table["outlet"].unique(), reverse=True)
    positions = {outlet: i for i, outlet in enumerate(outlets)}
    texts = list(dict.fromkeys(table["text"])) if "text" in table else [None]
    columns = axes.shape[-1]
    # one axis for every panel, to the tenth above the largest interval: shares of a few percent
    # are not squeezed against zero on an axis to 1, and panels stay comparable
    upper = min(1.0, max(0.1, math.ceil(round(float(table["high"].max()) * 10, 6)) / 10))
    for panel, (ax, frame) in enumerate(zip(axes.flat, frames, strict=False)):
        for number, text in enumerate(texts):
            rows = table[table["frame"] == frame]
            if text is not None:
                rows = rows[rows["text"] == text]
            offset = 0.15 * (number - (len(texts) - 1) / 2)
            colour, interval_colour = TEXT_COLOURS.get(text, ("#0072B2", "#56B4E9"))
            few = rows.get("few_sentences", pd.Series(False, index=rows.index)).to_numpy(bool)
            labelled = False
            for hollow in (False, True):
                part = rows[few == hollow]
                if part.empty:
                    continue
                ax.errorbar(
                    part["estimate"],
                    part["outlet"].map(positions) - offset,
                    xerr=[part["estimate"] - part["low"], part["high"] - part["estimate"]],
                    fmt="o",
                    color=colour,
                    markerfacecolor="white" if hollow else colour,
                    ecolor=interval_colour,
                    capsize=2,
                    markersize=4 if text is not None else 6,
                    label=None if labelled else text,
                )
                labelled = True
            # the number of sentences beside a share that rests on few of them
            marked = rows[few]
            for high, outlet, n in zip(
                marked["high"], marked["outlet"], marked.get("n_sentences", []), strict=True
            ):
                ax.annotate(
                    f"n={n}",
                    (high, positions[outlet] - offset),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=5,
                    color=colour,
                )
        # the panels of a row share the outlets' order: name them once, at the left
        outlet_rows(ax, outlets, named=panel % columns == 0)
        ax.set_xlim(-0.02 * upper, 1.02 * upper)
        ax.set_title(frame.replace("_", " "))
        ax.set_xlabel("share of sentences")
    handles, _ = axes.flat[0].get_legend_handles_labels()
    if table.get("few_sentences", pd.Series(dtype=bool)).any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="white",
                color="#555555",
                linestyle="none",
                label=f"under {MIN_SENTENCES} sentences (n):\ninterval at least Wilson's",
            )
        )
    if handles:  # below the panels, where it covers no outlet
        axes.flat[0].figure.legend(
            handles=handles, loc="outside lower center", ncol=len(handles), fontsize=7
        )
    for ax in list(axes.flat)[len(frames) :]:
        ax.set_visible(False)
    return axes


def plot_framing_index(table: pd.DataFrame, ax):
    """Outlet framing index with its interval; article indices (plain and weighted) as marks."""
    outlets = sorted(table["outlet"].unique(), reverse=True)
    positions = {outlet: i for i, outlet in enumerate(outlets)}
    per_outlet = table.drop_duplicates("outlet")
    y = per_outlet["outlet"].map(positions)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.errorbar(
        per_outlet["estimate"],
        y,
        xerr=[
            per_outlet["estimate"] - per_outlet["low"],
            per_outlet["high"] - per_outlet["estimate"],
        ],
        fmt="o",
        color="#0072B2",
        ecolor="#56B4E9",
        capsize=3,
        label="outlet index, 95% bootstrap interval",
    )
    ax.scatter(
        table["frame_index_weighted"],
        table["outlet"].map(positions) + 0.18,
        marker="D",
        s=18,
        color="#D55E00",
        label="article index, headline x3 and lead x2",
        rasterized=rasterize_points(len(table)),
    )
    # an outlet index over few sentences: its number of sentences beside its interval
    few = per_outlet[per_outlet["n_sentences"] < MIN_SENTENCES]
    for high, outlet, n in zip(few["high"], few["outlet"], few["n_sentences"], strict=True):
        ax.annotate(
            f"n={n}",
            (high, positions[outlet]),
            xytext=(4, -7),
            textcoords="offset points",
            fontsize=6,
            color="#0072B2",
        )
    outlet_rows(ax, outlets)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("framing index: convergence share - downturn share")
    # below the axes: inside, it covered the top row's marks
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=7)
    return ax


def plot_frame_validation(table: pd.DataFrame, ax):
    """F1 per frame for each method against the adjudicated codes, with coder alpha (frames
    the hand codes do not have, ``not scored``, are left out)."""
    table = table[~table["note"].fillna("").astype(str).str.startswith("not scored")]
    if table.empty:
        ax.text(0.5, 0.5, "no hand codes for this corpus", ha="center", va="center")
        ax.set_axis_off()
        return ax
    frames = list(dict.fromkeys(table["frame"]))
    methods = list(dict.fromkeys(table["method"]))
    height = 0.8 / max(len(methods), 1)
    for offset, method in enumerate(methods):
        rows = table[table["method"] == method].set_index("frame").reindex(frames)
        y = np.arange(len(frames)) + offset * height - 0.4 + height / 2
        bars = ax.barh(
            y, rows["f1"].fillna(0), height=height, color=METHOD_COLOURS.get(method), label=method
        )
        # precision and recall to the right of the axis, which stops at F1 = 1
        for y_bar, p, r in zip(y, rows["precision"], rows["recall"], strict=True):
            ax.annotate(
                f"P {p:.2f} R {r:.2f}" if not np.isnan(p) else f"P - R {r:.2f}",
                xy=(1, y_bar),
                xycoords=("axes fraction", "data"),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=6,
                color=METHOD_COLOURS.get(method, "#555555"),
            )
        ax.bar_label(bars, labels=[f"{f:.2f}" for f in rows["f1"].fillna(0)], fontsize=6, padding=2)
    coded = table.drop_duplicates("frame").set_index("frame").reindex(frames)
    labels = [
        f"{frame.replace('_', ' ')}\n{n} sentences hand-coded with it\ncoders' alpha {a:.2f}"
        for frame, a, n in zip(frames, coded["alpha_coders"], coded["gold_positive"], strict=True)
    ]
    ax.set_yticks(range(len(frames)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1 against the adjudicated hand codes")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=7)
    return ax


FIGURES = [
    FigureSpec(
        name="frame_shares",
        title="Frames per outlet: share of sentences",
        caption=(
            "For each frame of the codebook, the share of each outlet's sentences in which the "
            "frame's indicators fire (negated and agenda-language hits excluded), with a 95% "
            "bootstrap interval: articles resampled for outlets with several articles; for an "
            "outlet with one article, that article's sentences, so the interval shows how much "
            "the share depends on which sentences the article contains, not how the outlet "
            "covers the visit in general. A share over fewer than "
            f"{MIN_SENTENCES} sentences is drawn hollow with its number of sentences n, and its "
            "interval widened where needed to the Wilson score interval (a bootstrap over a few "
            "sentences that all have the frame, or none, shrinks to a point)."
        ),
        table=frame_shares_table,
        tables=("frames_per_outlet",),
        plot=plot_frame_shares,
        layout=(2, 3),
        panels="frame",
        figsize=(9.0, 5.5),
        outlet_rows=True,
    ),
    FigureSpec(
        name="frame_shares_own_text",
        title="Frames per outlet on all text and on the outlet's own words",
        caption=(
            "The frame shares of the frame-shares figure (blue), beside the same shares computed "
            "only on each article's own sentences (orange): sentences that are not copied from "
            "or into, nor rewritten from or into, another article of the corpus (see the "
            "syndication figures). Where the two differ, part of the outlet's framing came with "
            "shared copy (wire text, or quotations every outlet ran). With one article per "
            "outlet, intervals resample that article's sentences. Hollow marks: shares over fewer "
            f"than {MIN_SENTENCES} sentences, with their n and intervals widened where needed to "
            "the Wilson score interval."
        ),
        table=frame_shares_own_text_table,
        tables=("frames_per_outlet", "frames_per_outlet_own"),
        plot=plot_frame_shares,
        layout=(2, 3),
        panels="frame",
        figsize=(9.0, 5.5),
        outlet_rows=True,
    ),
    FigureSpec(
        name="framing_index",
        title="Downturn or convergence? The framing index per outlet",
        caption=(
            "Convergence share minus downturn share of sentences (from -1, every sentence "
            "downturn, to +1, every sentence convergence) with its 95% bootstrap interval, and "
            "each article's index with the headline weighted 3 and the lead sentence 2. n: "
            f"the outlet's sentences, where fewer than {MIN_SENTENCES}."
        ),
        table=framing_index_table,
        tables=("codebook", "frames_per_article", "frames_per_outlet"),
        plot=plot_framing_index,
        figsize=(7.0, 3.8),
        outlet_rows=True,
    ),
    FigureSpec(
        name="frame_validation",
        title="In-sample check on the seeds: the detector against their 2026-11-22 coding",
        caption=(
            "In-sample, not a validation: the codebook's authors had read these five articles, "
            "and the two passes (codebook 1.0.0) were sessions of one model with one brief "
            "(corpus/annotations/README.md); the study's validation is extended_frame_validation. "
            "Per frame, F1 (with precision P and recall R) of the codebook detector and of a "
            "supervised baseline (logistic regression over TF-IDF and codebook features, trained "
            "leave-one-article-out) against two independent hand-coding passes after "
            "adjudication; the F1 is written at each bar's end; alpha is Krippendorff's alpha "
            "between the passes, and the count under each frame the number of sentences the "
            "adjudicated codes give the frame."
        ),
        table=frame_validation_table,
        tables=("codebook", "frames_per_sentence"),
        plot=plot_frame_validation,
        figsize=(7.5, 5.0),
    ),
    FigureSpec(
        name="frame_evidence",
        title="Frame evidence: every indicator hit",
        caption=(
            "Every codebook indicator that matched a sentence: frame, indicator and rule, the "
            "matched words and their character offsets in the cleaned article, whether the hit "
            "counted, was negated or was excluded as agenda language (with the cue), whether it "
            "was hedged, and whether it was in narration or in a quotation (with the speaker)."
        ),
        table=frame_evidence_table,
        tables=("evidence",),
    ),
]
