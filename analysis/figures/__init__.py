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

import time
from collections.abc import Iterable
from pathlib import Path

from analysis.config import FIGURES_DIR
from analysis.figures import corpus, framing, reuse, sentiment, topics
from analysis.figures.registry import BuiltFigure, build_figure, build_figures
from analysis.figures.spec import FigureSpec
from analysis.pipeline import Study, load_study
from analysis.progress import log_line, seconds

#: Area modules, in the order their figures appear in the report.
AREA_MODULES = [corpus, framing, sentiment, topics, reuse]

REGISTRY: dict[str, FigureSpec] = {
    spec.name: spec for module in AREA_MODULES for spec in module.FIGURES
}


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
    if study is None:
        started = time.perf_counter()
        study = load_study(corpus, workers=workers)
        log_line(
            f"loaded {len(study.articles):,} articles, {len(study.sentences):,} sentences "
            f"({seconds(started)})"
        )
    return build_figures(REGISTRY, study, out_dir, only, skip_current)


__all__ = ["REGISTRY", "BuiltFigure", "FigureSpec", "build", "build_all"]
