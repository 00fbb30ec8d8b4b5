"""Rendering and saving registered figures: the one code path for the CLI and the notebooks."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis import __version__  # noqa: E402
from analysis.config import CORPUS_DIR, SOURCE_DATE_EPOCH, STYLE_FILE  # noqa: E402
from analysis.figures.spec import FigureSpec  # noqa: E402
from analysis.pipeline import Study  # noqa: E402
from analysis.progress import progress  # noqa: E402
from analysis.provenance import (  # noqa: E402
    build_key,
    current_output,
    input_hashes,
    table_to_csv_bytes,
    write_outputs,
)

os.environ.setdefault("SOURCE_DATE_EPOCH", str(SOURCE_DATE_EPOCH))


@dataclass
class BuiltFigure:
    """What :func:`build_figure` made: the table, the rendered figure and the written paths."""

    spec: FigureSpec
    table: pd.DataFrame | None
    figure: Figure | None
    paths: list[Path]

    @property
    def png(self) -> Path | None:
        """Path of the PNG, if the output has a plot."""
        return next((path for path in self.paths if path.suffix == ".png"), None)


def render(spec: FigureSpec, table: pd.DataFrame) -> Figure:
    """Draw ``table`` with the spec's plot function in the study style; nothing is saved."""
    with plt.style.context(str(STYLE_FILE)):
        figure = Figure(figsize=spec.size(table), layout="constrained")
        rows, columns = spec.grid(table)
        axes = figure.subplots(rows, columns, squeeze=True)
        spec.plot(table, axes)
        figure.suptitle(spec.title, fontsize=11, fontweight="bold")
    return figure


def figure_bytes(spec: FigureSpec, figure: Figure) -> dict[str, bytes]:
    """PNG and SVG bytes of a rendered figure, with fixed metadata (no dates)."""
    software = f"jaishankar-framing {__version__}, matplotlib {matplotlib.__version__}"
    outputs = {}
    with plt.style.context(str(STYLE_FILE)):
        for extension, metadata in (
            ("png", {"Title": spec.title, "Software": software}),
            ("svg", {"Title": spec.title, "Creator": software, "Date": None}),
        ):
            buffer = io.BytesIO()
            figure.savefig(buffer, format=extension, metadata=metadata)
            outputs[f"{spec.name}.{extension}"] = buffer.getvalue()
    return outputs


def regenerate_command(name: str, study: Study) -> str:
    """The CLI command that regenerates output ``name`` for ``study``'s corpus (a study that
    knows its own command, such as the extended study's, gives it)."""
    own = getattr(study, "regenerate_command", None)
    if own is not None:
        return own(name)
    corpus = "" if study.corpus_path.resolve() == CORPUS_DIR else f" --corpus {study.corpus_label}"
    return f"framing figures --only {name}{corpus}"


def build_figure(spec: FigureSpec, study: Study, out_dir: Path | str) -> BuiltFigure:
    """Compute, render and save one registered output with its provenance sidecar.

    Writes ``<name>.csv`` (the data) and, for a figure, ``<name>.png`` and ``<name>.svg``, and
    ``<name>.json`` (provenance), all at once or not at all.
    """
    table = spec.compute(study)
    files = {f"{spec.name}.csv": table_to_csv_bytes(table)}
    figure = None
    inputs = input_hashes(study.codebook_path, study.actors_path)
    if spec.plot is not None:
        figure = render(spec, table)
        files.update(figure_bytes(spec, figure))
    paths = write_outputs(
        Path(out_dir),
        spec.name,
        files,
        corpus={
            "path": study.corpus_label,
            "sha256": study.corpus_hash,
            "n_articles": len(study.articles),
            "n_sentences": len(study.sentences),
        },
        parameters=spec.params,
        command=regenerate_command(spec.name, study),
        extra={"title": spec.title, "caption": spec.caption, "inputs": inputs},
    )
    return BuiltFigure(spec, table, figure, paths)


def is_current(spec: FigureSpec, study: Study, out_dir: Path | str) -> list[Path] | None:
    """The output's paths if ``out_dir`` already holds it for this code, corpus, codebook,
    actor list, parameters and software, every file intact; otherwise ``None``."""
    key = build_key(study.corpus_hash, study.corpus_label, study.codebook_path, study.actors_path)
    return current_output(Path(out_dir), spec.name, key, spec.params)


def build_figures(
    registry: dict[str, FigureSpec],
    study: Study,
    out_dir: Path | str,
    only: Iterable[str] | None = None,
    skip_current: bool = False,
) -> list[BuiltFigure]:
    """Build every registered output (or those named in ``only``), with a progress bar.

    With ``skip_current``, outputs that :func:`is_current` finds up to date are not recomputed
    (their :class:`BuiltFigure` has no table or figure, only the paths).
    """
    names = list(registry) if only is None else list(only)
    built = []
    for name in progress(names, desc="figures", unit="figure"):
        current = is_current(registry[name], study, out_dir) if skip_current else None
        if current is not None:
            built.append(BuiltFigure(registry[name], None, None, current))
        else:
            built.append(build_figure(registry[name], study, out_dir))
    return built
