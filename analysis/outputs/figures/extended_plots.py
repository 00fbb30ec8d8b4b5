"""How the extended study's figures are drawn: framing and tone along the days of the visit,
framing by group and by shared-copy cluster, topics and distinctive terms.

Each plot draws a table of :mod:`analysis.study.extended_tables` on the Axes it is given and
returns them; the registry of these figures is :mod:`analysis.outputs.figures.extended`.
"""

from __future__ import annotations

from datetime import date as calendar_date

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from analysis.outputs.figures.topics import term_labels
from analysis.study.extended import FRAMEWORK_DAYS, TARIFF_CUT, UNDATED
from analysis.study.extended_tables import GROUPINGS, STABILITY_THRESHOLD, TOPIC_METHOD

INDEX_COLOUR, INTERVAL_COLOUR = "#0072B2", "#56B4E9"
EVENT_COLOUR = "#D55E00"
VOICE_COLOURS = {"narration": "#0072B2", "quotation": "#D55E00"}
FRAME_COLOURS = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
#: Where the undated articles are drawn, in days after the last dated day.
UNDATED_GAP = 3


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
