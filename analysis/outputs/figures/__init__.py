"""The figure registry: every study figure and table, by name.

Each area module defines its figures as :class:`~analysis.outputs.figures.spec.FigureSpec`
objects in a list ``FIGURES``; :data:`REGISTRY` collects them in report order. The CLI
(``framing figures``), the notebooks and the report all build outputs through :func:`build`.

Examples
--------
>>> from analysis.outputs.figures import REGISTRY
>>> "corpus_overview" in REGISTRY
True
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from analysis.core.config import CORPUS_DIR, FIGURES_DIR, REPORT_DIR, display_path
from analysis.core.errors import InputError
from analysis.core.memory import return_free_memory
from analysis.core.parallel import side_process
from analysis.core.progress import log_line, seconds
from analysis.outputs.figures import corpus, extended, framing, reuse, sentiment, topics
from analysis.outputs.figures.registry import BuiltFigure, build_figure, build_figures
from analysis.outputs.figures.spec import FigureSpec
from analysis.study.load import Study, load_study

#: Area modules, in the order their figures appear in the report.
AREA_MODULES = [corpus, framing, sentiment, topics, reuse]

REGISTRY: dict[str, FigureSpec] = {
    spec.name: spec for module in AREA_MODULES for spec in module.FIGURES
}

#: The extended study's outputs (114 openings; ``framing extended``), in report order.
EXTENDED_REGISTRY: dict[str, FigureSpec] = {spec.name: spec for spec in extended.FIGURES}


#: Folders that hold the study's own committed outputs.
STUDY_OUTPUT_DIRS = (FIGURES_DIR, REPORT_DIR)


def output_folder(study: Study, out_dir: Path | str | None) -> Path:
    """Where outputs for ``study`` go: ``out_dir``, or the study's ``figures/`` when it is
    ``None`` and the corpus is the study's.

    A corpus other than the study's needs an ``out_dir`` of its own, as ``framing figures
    --corpus`` needs ``--out``: :class:`InputError` when it is ``None`` or inside
    :data:`STUDY_OUTPUT_DIRS`, so that a notebook run on another corpus never overwrites the
    study's figures.
    """
    if study.corpus_path.resolve() == CORPUS_DIR.resolve():
        return FIGURES_DIR if out_dir is None else Path(out_dir)
    example = f"e.g. out_dir='{Path(study.corpus_path).stem}_figures'"
    if out_dir is None:
        raise InputError(
            f"out_dir: give a folder for the outputs of {study.corpus_label} ({example}); "
            f"{display_path(FIGURES_DIR)}/ holds the study's own outputs"
        )
    resolved = Path(out_dir).resolve()
    for folder in STUDY_OUTPUT_DIRS:
        if resolved.is_relative_to(folder.resolve()):
            raise InputError(
                f"out_dir: {out_dir} is in {display_path(folder)}/, which holds the study's own "
                f"outputs; give another folder for {study.corpus_label} ({example})"
            )
    return Path(out_dir)


def build(
    name: str,
    *,
    corpus: Path | str | None = None,
    out_dir: Path | str | None = None,
    study: Study | None = None,
) -> BuiltFigure:
    """Build the registered output ``name`` for a corpus (the study corpus by default) into
    ``out_dir`` (see :func:`output_folder`: the study's ``figures/`` only for its corpus).

    This is the call the notebooks make; ``framing figures --only NAME`` makes the same one.
    """
    if name not in REGISTRY:
        raise KeyError(f"no figure named {name!r}; known: {', '.join(REGISTRY)}")
    study = study or load_study(corpus)
    return build_figure(REGISTRY[name], study, output_folder(study, out_dir))


def show(built: BuiltFigure) -> Any:
    """What a notebook shows for a built output: its PNG, or, for an output without a figure
    (too little data, no hand coding, a codebook without the index frames), its one-line note.

    >>> from analysis.outputs.figures.registry import BuiltFigure
    >>> show(BuiltFigure(REGISTRY["framing_index"], None, None, [], "not scored: x")).data
    '*framing_index: not scored: x*'
    """
    from IPython.display import Image, Markdown

    if built.png is None:
        return Markdown(f"*{built.spec.name}: {built.note or 'no figure'}*")
    return Image(filename=str(built.png))


def build_all(
    *,
    corpus: Path | str | None = None,
    out_dir: Path | str | None = None,
    only: Iterable[str] | None = None,
    study: Study | None = None,
    skip_current: bool = False,
    workers: int = 1,
    cache_dir: Path | str | None = None,
    release: bool = False,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
) -> list[BuiltFigure]:
    """Build every registered output (or those in ``only``) into ``out_dir`` (see
    :func:`output_folder`); with ``skip_current``, leave the outputs already up to date there
    as they are. ``workers``: processes for the costliest measures of a corpus loaded here
    (the outputs do not depend on it). ``cache_dir``: where the corpus's cleaned and split
    blocks are cached (:func:`analysis.run.sentences.load_study_cached`; the same outputs).
    ``release``: release each derived table of the study once no output still to build reads
    it, and keep no table or figure in the results (see
    :func:`~analysis.outputs.figures.registry.build_figures`): for a study that nothing else
    uses, such as the one loaded here from ``corpus``; with more than one worker as well, the
    figures are drawn in a side process, started before the study is loaded, while the next
    tables are computed (the same files). ``codebook``, ``actors``: the frame codebook and
    actor list a corpus loaded here is measured with (the study's for ``None``)."""
    with ExitStack() as stack:
        drawer = None
        if study is None and release and workers > 1:  # started before the study is loaded
            drawer = stack.enter_context(side_process())
        if study is None:
            started = time.perf_counter()
            inputs = {"codebook": codebook, "actors": actors, "workers": workers}
            if cache_dir is None:
                study = load_study(corpus, **inputs)
            else:
                from analysis.run.sentences import load_study_cached

                study = load_study_cached(corpus, Path(cache_dir), **inputs)
            log_line(
                f"loaded {len(study.articles):,} articles, {len(study.sentences):,} sentences "
                f"({seconds(started)})"
            )
            if release:
                return_free_memory()  # what loading, cleaning and splitting freed
        folder = output_folder(study, out_dir)
        return build_figures(REGISTRY, study, folder, only, skip_current, release, drawer)


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
    (:func:`analysis.study.extended.load_extended_study`). The notebooks and ``framing extended``
    make this call."""
    from analysis.study.extended import EXTENDED_DIR, load_extended_study

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
    "output_folder",
]
