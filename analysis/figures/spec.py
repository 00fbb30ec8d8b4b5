"""What a figure is: a table function, a plot function, and how to lay it out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis.pipeline import Study


@dataclass(frozen=True)
class FigureSpec:
    """One study figure (or table) in the registry.

    Parameters
    ----------
    name
        File stem of the outputs (``figures/<name>.png`` ...), and the CLI's ``--only`` name.
    title, caption
        Shown in the report and stamped into the files' metadata.
    table
        ``table(study, **params) -> DataFrame``: the tidy data behind the figure, saved as CSV.
    plot
        ``plot(table, axes) -> axes``: draws on the given Axes (an array of Axes when
        ``layout`` has several panels) and returns it; never saves or shows. ``None`` for an
        output that is a table only.
    layout, figsize
        Panels (rows, columns) and the figure size in inches.
    params
        Keyword arguments for ``table``; recorded in the provenance sidecar.
    """

    name: str
    title: str
    caption: str
    table: Callable[..., pd.DataFrame]
    plot: Callable[[pd.DataFrame, Any], Any] | None = None
    layout: tuple[int, int] = (1, 1)
    figsize: tuple[float, float] = (7.0, 4.5)
    params: Mapping[str, Any] = field(default_factory=dict)

    def compute(self, study: Study) -> pd.DataFrame:
        """The figure's table for ``study``."""
        return self.table(study, **self.params)
