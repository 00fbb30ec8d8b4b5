"""The figure registry: every study figure and table, by name.

Each area module defines its figures as :class:`~analysis.figures.spec.FigureSpec` objects in a
list ``FIGURES``; :data:`REGISTRY` collects them in report order. The CLI (``framing figures``),
the notebooks and the report all build outputs through :func:`build`.

Examples
--------
>>> from analysis.figures import REGISTRY
>>> "corpus_overview" in REGISTRY
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from analysis.config import FIGURES_DIR
from analysis.figures import corpus, extended, framing, reuse, sentiment, topics
from analysis.figures.registry import BuiltFigure, build_figure, build_figures
from analysis.figures.spec import FigureSpec
from analysis.pipeline import Study, load_study

#: Area modules, in the order their figures appear in the report.
AREA_MODULES = [corpus, framing, sentiment, topics, reuse]

REGISTRY: dict[str, FigureSpec] = {
    spec.name: spec for module in AREA_MODULES for spec in module.FIGURES
}

#: The extended study's outputs (114 openings; ``framing extended``), in report order.
EXTENDED_REGISTRY: dict[str, FigureSpec] = {spec.name: spec for spec in extended.FIGURES}


def build(
    name: str,
    *,
    corpus: Path | str | None = None,
    out_dir: Path | str = FIGURES_DIR,
    study: Study | None = None,
) -> BuiltFigure:
    """Build the registered output ``name`` for a corpus (the study corpus by default).

    This is the call the notebooks make; ``framing figures --only NAME`` makes the same one.
    """
    if name not in REGISTRY:
        raise KeyError(f"no figure named {name!r}; known: {', '.join(REGISTRY)}")
    return build_figure(REGISTRY[name], study or load_study(corpus), out_dir)


def build_all(
    *,
    corpus: Path | str | None = None,
    out_dir: Path | str = FIGURES_DIR,
    only: Iterable[str] | None = None,
    study: Study | None = None,
    skip_current: bool = False,
    workers: int = 1,
) -> list[BuiltFigure]:
    """Build every registered output (or those in ``only``); with ``skip_current``, leave the
    outputs already up to date in ``out_dir`` as they are. ``workers``: processes for the
    costliest measures of a corpus loaded here (the outputs do not depend on it)."""
    study = study or load_study(corpus, workers=workers)
    return build_figures(REGISTRY, study, out_dir, only, skip_current)


def build_extended(
    *,
    out_dir: Path | str | None = None,
    only: Iterable[str] | None = None,
    study: Study | None = None,
    skip_current: bool = False,
    workers: int = 1,
) -> list[BuiltFigure]:
    """Build the extended study's outputs (or those in ``only``) into ``out_dir``
    (``figures/extended/``); the coverage corpus must be there
    (:func:`analysis.extended.load_extended_study`). The notebooks and ``framing extended``
    make this call."""
    from analysis.extended import EXTENDED_DIR, load_extended_study

    study = study or load_extended_study(workers=workers)
    return build_figures(EXTENDED_REGISTRY, study, out_dir or EXTENDED_DIR, only, skip_current)


__all__ = [
    "EXTENDED_REGISTRY",
    "REGISTRY",
    "BuiltFigure",
    "FigureSpec",
    "build",
    "build_all",
    "build_extended",
]
