"""Tone and voices: sentence tone per outlet by voice, tone toward actors, quotation checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, TwoSlopeNorm

from analysis.core.config import RANDOM_SEED
from analysis.outputs.figures.spec import FigureSpec, outlet_rows, rasterize_points
from analysis.study.figure_tables import (
    VOICE_PANELS,
    VOICES,
    actor_tone_table,
    quotation_validation_table,
    tone_per_outlet_table,
    tone_units_table,
)

EMPTY_CELL = "#eeeeee"
#: Actor cells over fewer segments than this are not coloured by their mean (one segment gave
#: the strongest colours): they are drawn in :data:`FEW_CELL`, their mean and n in grey.
MIN_SEGMENTS = 3
FEW_CELL = "#d4d4d4"
SECTION = "Tone and voices"


def plot_tone_units(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """One panel per voice: each unit's compound score (jittered dots) and the outlet mean with
    its 95% interval."""
    outlets = sorted(table["outlet"].unique(), reverse=True)
    positions = {outlet: i for i, outlet in enumerate(outlets)}
    rng = np.random.default_rng(RANDOM_SEED)
    for ax, (voice, label) in zip(axes.flat, VOICE_PANELS.items(), strict=True):
        rows = table[table["voice"] == voice]
        y = rows["outlet"].map(positions).to_numpy(dtype=float)
        ax.scatter(
            rows["compound"],
            y + rng.uniform(-0.22, 0.22, len(rows)),
            s=9,
            color="#56B4E9",
            alpha=0.7,
            linewidths=0,
            rasterized=rasterize_points(len(rows)),
        )
        means = rows.drop_duplicates("outlet")
        ax.errorbar(
            means["outlet_mean"],
            means["outlet"].map(positions),
            xerr=[
                means["outlet_mean"] - means["outlet_low"],
                means["outlet_high"] - means["outlet_mean"],
            ],
            fmt="D",
            color="#D55E00",
            capsize=3,
            markersize=5,
        )
        for outlet, n in zip(means["outlet"], means["n_units"], strict=True):
            ax.annotate(
                f"n={n}",
                (1.0, positions[outlet]),
                xytext=(2, 6),
                textcoords="offset points",
                fontsize=6,
                ha="right",
                color="#555555",
            )
        ax.axvline(0, color="#999999", linewidth=0.8)
        ax.set_xlim(-1.05, 1.05)
        outlet_rows(ax, outlets, named=ax is axes.flat[0])
        ax.set_title(label)
        ax.set_xlabel("VADER compound")
    return axes


#: Outlets drawn as columns of the actor heatmaps, each cell labelled with its mean and count;
#: with more, outlets become rows (the figure grows with them) and cells carry no labels.
MAX_OUTLET_COLUMNS = 12


def plot_actor_tone(table: pd.DataFrame, axes: np.ndarray) -> np.ndarray:
    """Actor by outlet heatmaps of mean tone, narration and quotation apart, with counts.

    Beyond :data:`MAX_OUTLET_COLUMNS` outlets, each heatmap is outlet by actor, without the
    cell labels (the table has every mean, count and interval).
    """
    actors = sorted(table["actor"].unique())
    outlets = sorted(table["outlet"].unique())
    outlets_as_rows = len(outlets) > MAX_OUTLET_COLUMNS
    norm = TwoSlopeNorm(vmin=-1, vcenter=0, vmax=1)
    image = None
    for ax, voice in zip(axes.flat, VOICES, strict=True):
        rows = table[table["voice"] == voice]
        grid = rows.pivot(index="actor", columns="outlet", values="estimate").reindex(
            index=actors, columns=outlets
        )
        counts = rows.pivot(index="actor", columns="outlet", values="n_segments").reindex(
            index=actors, columns=outlets
        )
        if outlets_as_rows:
            grid, counts = grid.T, counts.T
        ax.set_facecolor(EMPTY_CELL)
        ax.grid(False)
        few = (counts < MIN_SEGMENTS).to_numpy()
        image = ax.imshow(
            np.ma.masked_invalid(grid.where(~few).to_numpy(dtype=float)),
            cmap="PuOr",
            norm=norm,
            aspect="auto",
        )
        if few.any():
            ax.imshow(
                np.ma.masked_where(~few, np.zeros(few.shape)),
                cmap=ListedColormap([FEW_CELL]),
                aspect="auto",
            )
        if not outlets_as_rows:
            _label_cells(ax, grid, counts)
        first_panel = voice == VOICES[0]
        rotation = 60 if outlets_as_rows else 30  # actors' names are long for their columns
        ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=rotation, ha="right")
        ax.set_yticks(range(grid.shape[0]), grid.index if first_panel else [])
        ax.set_title(voice)
    if image is not None:
        colorbar = axes.flat[-1].figure.colorbar(image, ax=list(axes.flat), shrink=0.8)
        colorbar.set_label(
            f"mean VADER compound of segments mentioning the actor ({MIN_SEGMENTS} or more)"
        )
    return axes


def _label_cells(ax: Axes, grid: pd.DataFrame, counts: pd.DataFrame) -> None:
    """Write each filled cell's mean and count on it (in grey on a cell of few segments)."""
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            if not np.isnan(grid.iat[i, j]):
                few = counts.iat[i, j] < MIN_SEGMENTS
                ax.text(
                    j,
                    i,
                    f"{grid.iat[i, j]:+.2f}\nn={int(counts.iat[i, j])}",
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="#666666" if few else "white" if abs(grid.iat[i, j]) > 0.6 else "black",
                    fontstyle="italic" if few else "normal",
                )


FIGURES = [
    FigureSpec(
        name="sentence_tone",
        title="Tone per outlet: the outlet's narration and the voices it quotes",
        caption=(
            "VADER compound score of every sentence (left) and of every narration and quotation "
            "segment (middle, right; parts of a sentence under three words are attribution "
            'tags such as "he said"), with each outlet\'s mean and 95% bootstrap interval '
            "(articles resampled when an outlet has several; for an outlet with one article, "
            "its units, so the interval reflects that article's sentences, not the outlet's "
            "coverage in general). n is the number of units."
        ),
        table=tone_units_table,
        tables=("tone_per_outlet", "tone_per_segment", "tone_per_sentence"),
        plot=plot_tone_units,
        layout=(1, 3),
        figsize=(10.0, 3.8),
        outlet_rows=True,
    ),
    FigureSpec(
        name="tone_per_outlet",
        title="Mean tone per outlet and voice",
        caption=(
            "Mean VADER compound per outlet over all sentences, narration segments and "
            "quotation segments, with 95% bootstrap intervals and the numbers of articles and "
            "units behind each mean."
        ),
        table=tone_per_outlet_table,
        tables=("tone_per_outlet",),
    ),
    FigureSpec(
        name="actor_tone",
        title="Tone of the segments that mention each actor, per outlet",
        caption=(
            "For each actor of the actor list and each outlet, the mean VADER compound of the "
            "narration (left) and quotation (right) segments that name the actor (or an alias), "
            "with the number of segments n: the tone of the text around a mention, not a "
            "measure of the tone toward the actor. Light grey where the outlet never names the "
            f"actor in that voice; darker grey, the mean in grey, where fewer than {MIN_SEGMENTS} "
            "segments do. Means over a handful of segments are anecdotes, not estimates: the CSV "
            "gives each cell's bootstrap interval. With more than 12 outlets, outlets are the "
            "rows and the cells are unlabelled."
        ),
        table=actor_tone_table,
        tables=("tone_per_actor",),
        plot=plot_actor_tone,
        layout=(1, 2),
        figsize=(10.0, 5.5),
        outlet_rows=True,
    ),
    FigureSpec(
        name="quotation_validation",
        title="Quotations and speakers against the hand list",
        caption=(
            "Every direct quotation listed by hand in the seed articles and every quotation the "
            "detector found: matched (spans overlapping by at least half), missed or spurious, "
            "with the hand-listed and the detected speaker."
        ),
        table=quotation_validation_table,
        tables=("quotations",),
    ),
]
