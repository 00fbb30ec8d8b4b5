"""What a figure is: a table function, a plot function, and how to lay it out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.axes import Axes

from analysis.study.load import Study

#: Height per outlet, in inches, of a panel with one row per outlet (labels in 7-8 pt type).
INCHES_PER_OUTLET = 0.16
#: Height of a panel's title, axis and tick labels, in inches.
PANEL_MARGIN_INCHES = 1.2
#: Above this many points a scatter is drawn as an image inside the SVG (and PDF): the sentence
#: tone figure of the first 5,000 AllSides articles, one vector dot per sentence and segment,
#: was a 57 MB SVG. The PNG is drawn the same way either way.
MAX_VECTOR_POINTS = 5_000


def outlet_rows(ax: Axes, outlets: list[str], *, named: bool = True, **label_properties) -> None:
    """Give ``ax`` one row per outlet, ``outlets[i]`` at y = i, named at the left when
    ``named`` (``label_properties`` such as ``fontsize`` go to the names), with half a row of
    margin: matplotlib's own margins left blank bands of several rows above and below hundreds
    of outlets."""
    ax.set_yticks(range(len(outlets)), outlets if named else [], **label_properties)
    ax.set_ylim(-0.6, len(outlets) - 0.4)


def rasterize_points(n_points: int) -> bool:
    """Whether a scatter of ``n_points`` is drawn as an image in vector formats.

    >>> rasterize_points(40), rasterize_points(50_000)
    (False, True)
    """
    return n_points > MAX_VECTOR_POINTS


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
        ``table(study, **params) -> DataFrame``: the tidy data behind the figure, saved as CSV;
        a function of the study layer (:mod:`analysis.study.figure_tables`,
        :mod:`analysis.study.extended_tables`).
    plot
        ``plot(table, axes) -> axes``: draws on the given Axes (an array of Axes when
        ``layout`` has several panels) and returns it; never computes a measure, saves or
        shows. ``None`` for an output that is a table only.
    layout, figsize
        Panels (rows, columns) and the figure size in inches.
    outlet_rows
        The panels have one row per outlet of the table's ``outlet`` column: the figure is
        made taller than ``figsize`` when the outlets need it (:meth:`size`), so that a corpus
        with many outlets keeps readable labels.
    panels
        The table column whose distinct values get one panel each (``topic``): rows and
        columns of ``layout`` that no value fills are left out (:meth:`grid`), so a model with
        two topics is not drawn beside and above six blank panels.
    params
        Keyword arguments for ``table``; recorded in the provenance sidecar.
    tables
        The study's derived tables (:meth:`~analysis.study.load.Study.derived` names) that
        ``table`` reads: a build that releases tables keeps them, and those they are computed
        from (:data:`analysis.study.measures.NEEDS`), until this output is written.
    """

    name: str
    title: str
    caption: str
    table: Callable[..., pd.DataFrame]
    plot: Callable[[pd.DataFrame, Any], Any] | None = None
    layout: tuple[int, int] = (1, 1)
    figsize: tuple[float, float] = (7.0, 4.5)
    params: Mapping[str, Any] = field(default_factory=dict)
    outlet_rows: bool = False
    panels: str | None = None
    tables: tuple[str, ...] = ()

    def grid(self, table: pd.DataFrame) -> tuple[int, int]:
        """Panels (rows, columns) for ``table``: ``layout``, less the rows and columns that
        :attr:`panels` leaves empty.

        >>> spec = FigureSpec("x", "", "", table=None, layout=(2, 4), panels="topic")
        >>> spec.grid(pd.DataFrame({"topic": [1, 2, 2]}))
        (1, 2)
        >>> spec.grid(pd.DataFrame({"topic": range(6)}))
        (2, 4)
        """
        rows, columns = self.layout
        if self.panels is None or self.panels not in table:
            return rows, columns
        count = max(1, table[self.panels].nunique())
        return min(rows, -(-count // columns)), min(columns, count)

    def size(self, table: pd.DataFrame) -> tuple[float, float]:
        """The figure size for ``table``: ``figsize`` (its height shared among the rows of
        ``layout``, for the rows of :meth:`grid`; panels widen to the figure's width), made
        taller for :attr:`outlet_rows` figures to give each outlet :data:`INCHES_PER_OUTLET`
        in every row of panels."""
        width, height = self.figsize
        rows = self.grid(table)[0]
        height = height * rows / self.layout[0]
        if self.outlet_rows and "outlet" in table:
            per_row = INCHES_PER_OUTLET * table["outlet"].nunique() + PANEL_MARGIN_INCHES
            height = max(height, rows * per_row)
        return width, height

    def compute(self, study: Study) -> pd.DataFrame:
        """The figure's table for ``study``."""
        return self.table(study, **self.params)
