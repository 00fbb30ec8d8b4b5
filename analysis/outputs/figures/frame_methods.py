"""The framing measure's validation on the extended corpus: methods by set, with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.study.frame_evaluation import WEIGHTED_GAIN

#: One colour and marker per set of articles (colour-blind safe).
SET_STYLES = {
    "in-sample (seeds)": ("#999999", "s"),
    "development": ("#0072B2", "o"),
    "locked test": ("#D55E00", "D"),
}
PANELS = (
    ("presence", "downturn", "f1", "Downturn present: F1"),
    ("presence", "convergence", "f1", "Convergence present: F1"),
    ("tone", "convergence - downturn", "spearman", "Direction vs coded tone: Spearman"),
)


def plot_method_comparison(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """Three panels (downturn F1, convergence F1, Spearman with coded tone): one row per
    method, one marker per set of articles with its 95% interval, and n beside it.

    ``table`` is :func:`analysis.study.frame_evaluation.method_comparison`'s."""
    for ax, (measure, frame, column, title) in zip(np.ravel(axes), PANELS, strict=True):
        rows = table[(table["measure"] == measure) & (table["frame"] == frame)]
        rows = rows[rows["set"].isin(SET_STYLES) & (rows["method"] != WEIGHTED_GAIN)]
        methods = list(dict.fromkeys(rows["method"]))
        offsets = np.linspace(-0.25, 0.25, len(SET_STYLES))
        for offset, (set_name, (colour, marker)) in zip(offsets, SET_STYLES.items(), strict=True):
            part = rows[rows["set"] == set_name]
            for row in part.itertuples(index=False):
                y = methods.index(row.method) + offset
                value = getattr(row, column)
                low, high = getattr(row, f"{column}_low"), getattr(row, f"{column}_high")
                ax.plot([low, high], [y, y], color=colour, linewidth=1.2)
                ax.plot([value], [y], marker=marker, color=colour, linestyle="none")
                ax.annotate(
                    f"n={row.n_articles}",
                    (1.0, y),
                    xycoords=("axes fraction", "data"),
                    xytext=(2, 0),
                    textcoords="offset points",
                    fontsize=6,
                    va="center",
                    color=colour,
                )
        ax.set_yticks(range(len(methods)), methods, fontsize=7)
        ax.set_ylim(len(methods) + 0.2, -0.5)  # room for the legend below the last method
        ax.set_xlim(-0.05 if column == "f1" else -1.05, 1.05)
        ax.set_title(title, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    handles = [
        np.ravel(axes)[0].plot([], [], marker=marker, color=colour, linestyle="none", label=name)[0]
        for name, (colour, marker) in SET_STYLES.items()
    ]
    np.ravel(axes)[-1].legend(handles=handles, loc="lower left", fontsize=7, frameon=False)
    return axes
