"""Rendering and saving registered figures: the one code path for the CLI and the notebooks."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import re
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis import __version__  # noqa: E402
from analysis.core.config import (  # noqa: E402
    CORPUS_DIR,
    SOURCE_DATE_EPOCH,
    STYLE_FILE,
    display_path,
)
from analysis.core.errors import NotEnoughDataError  # noqa: E402
from analysis.core.memory import return_free_memory  # noqa: E402
from analysis.core.progress import log_line, progress, seconds  # noqa: E402
from analysis.outputs.figures.spec import FigureSpec  # noqa: E402
from analysis.study.load import Study  # noqa: E402
from analysis.study.measures import COMPUTED_FIRST, needed  # noqa: E402
from analysis.study.provenance import (  # noqa: E402
    CsvTable,
    FileContent,
    build_key,
    current_output,
    input_hashes,
    write_outputs,
)

os.environ.setdefault("SOURCE_DATE_EPOCH", str(SOURCE_DATE_EPOCH))


#: Wording of the study's titles and captions that is about the Jaishankar study only: for
#: any other corpus each phrase is replaced (or removed), so that a report about another
#: corpus does not speak of "the visit" or of ANI and PTI copy. Each phrase must occur in its
#: output's title or caption (tested), so that a reworded caption cannot leave one behind.
STUDY_ONLY_WORDING: dict[str, list[tuple[str, str]]] = {
    "corpus_overview": [
        (
            "Several outlets reprint ANI or PTI copy, which the syndication analysis takes "
            "into account. ",
            "",
        )
    ],
    "frame_shares": [("covers the visit in general", "covers its subjects in general")],
    "frame_shares_own_text": [
        (
            "With one article per outlet, intervals resample that article's sentences.",
            "For an outlet with one article, intervals resample that article's sentences.",
        )
    ],
    "frame_validation": [
        (
            "In-sample check on the seeds: the detector against their 2026-11-22 coding",
            "Does the frame measure agree with hand coding?",
        ),
        (
            "In-sample, not a validation: the codebook's authors had read these five articles, "
            "and the two passes (codebook 1.0.0) were sessions of one model with one brief "
            "(corpus/annotations/README.md); the study's validation is extended_frame_validation. ",
            "",
        ),
    ],
    "framing_index": [
        (
            "Downturn or convergence? The framing index per outlet",
            "The framing index per outlet: convergence minus downturn",
        )
    ],
    "topic_quality": [("for the study's model (NMF)", "for the package's model (NMF)")],
    "topic_terms": [
        (
            'collocations such as "critical minerals" count',
            "collocations (words that often occur together, such as a name) count",
        )
    ],
    "topic_prevalence": [("covers the visit in general", "covers its subjects in general")],
}


def is_study_corpus(study: Study) -> bool:
    """Whether ``study`` is the Jaishankar study's own corpus (``corpus/``)."""
    return study.corpus_path.resolve() == CORPUS_DIR.resolve()


def for_corpus(spec: FigureSpec, study: Study) -> FigureSpec:
    """``spec`` with the title and caption for ``study``'s corpus: as written for the study's
    own corpus, without the study's wording (:data:`STUDY_ONLY_WORDING`) for any other."""
    if is_study_corpus(study):
        return spec
    title, caption = spec.title, spec.caption
    for study_text, general_text in STUDY_ONLY_WORDING.get(spec.name, []):
        title = title.replace(study_text, general_text)
        caption = caption.replace(study_text, general_text)
    return dataclasses.replace(spec, title=title, caption=caption)


def no_data_note(table: pd.DataFrame) -> str | None:
    """Why ``table`` has nothing to draw, or ``None`` when it has: no rows, or every row
    "not scored" (a validation against hand marks that this corpus does not have).

    >>> no_data_note(pd.DataFrame({"note": ["not scored: no hand marks for this corpus"]}))
    'not scored: no hand marks for this corpus'
    >>> no_data_note(pd.DataFrame({"x": [1]})) is None
    True
    """
    if table.empty:
        return "no rows for this corpus"
    if "note" in table:
        notes = table["note"].fillna("").astype(str)
        if notes.str.startswith("not scored").all():
            return str(notes.iloc[0])
    return None


@dataclass
class BuiltFigure:
    """What :func:`build_figure` made: the table, the rendered figure and the written paths.

    ``note`` says, in one line, why an output has no figure (too little data, no hand coding
    for this corpus); ``None`` when it has all it needs. ``current``: the output was already
    up to date and was not built again (no table or figure). A build that releases tables
    keeps no table or figure either (:func:`build_figures`).
    """

    spec: FigureSpec
    table: pd.DataFrame | None
    figure: Figure | None
    paths: list[Path]
    note: str | None = None
    current: bool = False

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
        if spec.layout != (1, 1) and not isinstance(axes, np.ndarray):
            axes = np.array([axes])  # one panel left of several: still an array of Axes
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
            data = buffer.getvalue()
            outputs[f"{spec.name}.{extension}"] = (
                stable_svg_ids(data) if extension == "svg" else data
            )
    return outputs


#: Matplotlib's SVG ids of clip paths (``p``), markers (``m``) and hatches (``h``): a hash of
#: their coordinates and transforms at full float precision, which differ in their last bits
#: between machines (the same figure laid out on two processors), although the drawn
#: coordinates, written with six decimals, do not.
_HASHED_ID = re.compile(rb"\b([pmh])[0-9a-f]{10}\b")
_ID_NAMES = {b"p": b"clip", b"m": b"marker", b"h": b"hatch"}


def stable_svg_ids(svg: bytes) -> bytes:
    """``svg`` with matplotlib's hashed ids of clip paths, markers and hatches numbered in the
    order they first appear (``clip1``, ``marker1`` ...), so that the same drawing gives the
    same bytes on any machine.

    >>> stable_svg_ids(b'<g clip-path="url(#p0123456789)"/><clipPath id="p0123456789">')
    b'<g clip-path="url(#clip1)"/><clipPath id="clip1">'
    """
    numbers: dict[bytes, bytes] = {}

    def number(match: re.Match) -> bytes:
        if match.group() not in numbers:
            kind = _ID_NAMES[match.group(1)]
            count = sum(name.startswith(kind) for name in numbers.values())
            numbers[match.group()] = kind + b"%d" % (count + 1)
        return numbers[match.group()]

    return _HASHED_ID.sub(number, svg)


def regenerate_command(name: str, study: Study, out_dir: Path | str | None = None) -> str:
    """The CLI command that regenerates output ``name`` for ``study``'s corpus into ``out_dir``
    (a study that knows its own command, such as the extended study's, gives it). For another
    corpus than the study's, or another codebook or actor list, it names them and the output
    folder, as the command line needs them, by their :func:`~analysis.core.config.display_path`.

    >>> from analysis.study.load import load_study
    >>> regenerate_command("framing_index", load_study())
    'framing figures --only framing_index'
    """
    own = getattr(study, "regenerate_command", None)
    if own is not None:
        return own(name)
    inputs = "".join(
        f" --{option} {display_path(path)}"
        for option, path in (("codebook", study.codebook_path), ("actors", study.actors_path))
        if path is not None
    )
    if study.corpus_path.resolve() == CORPUS_DIR and not inputs:
        return f"framing figures --only {name}"
    corpus = f" --corpus {study.corpus_label}" if study.corpus_path.resolve() != CORPUS_DIR else ""
    out = f" --out {display_path(out_dir)}" if out_dir is not None else ""
    return f"framing figures --only {name}{corpus}{inputs}{out}"


def build_figure(spec: FigureSpec, study: Study, out_dir: Path | str) -> BuiltFigure:
    """Compute, render and save one registered output with its provenance sidecar.

    Writes ``<name>.csv`` (the data) and, for a figure, ``<name>.png`` and ``<name>.svg``, and
    ``<name>.json`` (provenance), all at once or not at all. The title and caption are those
    for ``study``'s corpus (:func:`for_corpus`). An output whose measure needs more data than
    the corpus has (:class:`NotEnoughDataError`), or whose table has nothing to
    draw (:func:`no_data_note`), gets no image: its table (empty if need be) and a sidecar with
    a one-line ``note``.
    """
    spec, table, note = _computed(spec, study)
    return _drawn_and_written(spec, table, note, study, out_dir)


def _drawn_and_written(
    spec: FigureSpec, table: pd.DataFrame, note: str | None, study: Study, out_dir: Path | str
) -> BuiltFigure:
    """Draw a computed output here (if it has an image) and write it."""
    figure = render(spec, table) if spec.plot is not None and note is None else None
    images = figure_bytes(spec, figure) if figure is not None else {}
    paths = _write(spec, study, out_dir, table, note, images)
    return BuiltFigure(spec, table, figure, paths, note)


def _computed(spec: FigureSpec, study: Study) -> tuple[FigureSpec, pd.DataFrame, str | None]:
    """The spec for ``study``'s corpus, its table, and why it has no image (``None``: it has
    one, or is a table only)."""
    spec = for_corpus(spec, study)
    try:
        table = spec.compute(study)
        note = no_data_note(table)
    except NotEnoughDataError as exc:
        table, note = pd.DataFrame(), f"needs more data than this corpus has: {exc}"
    return spec, table, note


def _image_bytes(spec: FigureSpec, table: pd.DataFrame) -> dict[str, bytes]:
    """The PNG and SVG bytes of ``table`` drawn by ``spec`` (:func:`render`,
    :func:`figure_bytes`): one call, for a side process."""
    return figure_bytes(spec, render(spec, table))


def _write(
    spec: FigureSpec,
    study: Study,
    out_dir: Path | str,
    table: pd.DataFrame,
    note: str | None,
    images: dict[str, bytes],
) -> list[Path]:
    """Write an output's table, images and provenance sidecar, all at once or not at all."""
    files: dict[str, FileContent] = {f"{spec.name}.csv": CsvTable(table), **images}
    extra = {
        "title": spec.title,
        "caption": spec.caption,
        "inputs": input_hashes(study.codebook_path, study.actors_path),
    }
    if note is not None:
        extra["note"] = note
    return write_outputs(
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
        command=regenerate_command(spec.name, study, out_dir),
        extra=extra,
    )


def is_current(spec: FigureSpec, study: Study, out_dir: Path | str) -> list[Path] | None:
    """The output's paths if ``out_dir`` already holds it for this code, corpus, codebook,
    actor list, parameters and software, every file intact; otherwise ``None``."""
    key = build_key(study.corpus_hash, study.corpus_label, study.codebook_path, study.actors_path)
    return current_output(Path(out_dir), spec.name, key, spec.params)


#: Tables of up to this many rows are drawn in the side process of :func:`build_figures`; a
#: larger one (the sentence tone figure's 3.8 million rows at 37,554 articles) would be copied
#: there whole, so it is drawn here.
MAX_ROWS_DRAWN_BESIDE = 100_000


def build_figures(
    registry: dict[str, FigureSpec],
    study: Study,
    out_dir: Path | str,
    only: Iterable[str] | None = None,
    skip_current: bool = False,
    release: bool = False,
    drawer: Executor | None = None,
) -> list[BuiltFigure]:
    """Build every registered output (or those named in ``only``), with a progress bar.

    With ``skip_current``, outputs that :func:`is_current` finds up to date are not recomputed
    (their :class:`BuiltFigure` has no table or figure, only the paths). With ``release``,
    for a study that nothing else uses: once an output is written (or, drawn by ``drawer``,
    computed), every derived table that no output still to build reads
    (:attr:`FigureSpec.tables`, and the tables those are computed from:
    :func:`analysis.study.measures.needed`) is released (:meth:`Study.release`), no table or
    figure is kept in the results, and the memory freed is given back
    (:func:`~analysis.core.memory.return_free_memory`), so that the memory of a large corpus's
    build does not grow output by output; and the tables found in forked worker processes are
    computed before the first output (:func:`compute_first`).

    With ``drawer`` (a side process: :func:`analysis.core.parallel.side_process`), a figure
    whose table has at most :data:`MAX_ROWS_DRAWN_BESIDE` rows is drawn there while the next
    tables are computed here, and written when its images come back (its result has no figure
    object); every other output is written at once. Outputs are logged and returned in order,
    with the same bytes; a log line gives the seconds the output took in this process (for a
    figure drawn beside, its table's, and it says so).
    """
    names = list(registry) if only is None else list(only)
    current_paths = {
        name: is_current(registry[name], study, out_dir) if skip_current else None for name in names
    }
    if release:
        to_build = [name for name in names if current_paths[name] is None]
        compute_first(study, needed(table for name in to_build for table in registry[name].tables))
    built: list[BuiltFigure] = []
    # outputs in report order, not yet logged: each written (its BuiltFigure and the seconds
    # it took here) or being drawn beside (what writing it needs, the future of its images, and
    # the seconds its table took)
    pending: deque[tuple[int, tuple | None, tuple | None]] = deque()

    def log_written(wait: bool) -> None:
        """Write the outputs at the head whose images have come back, and log them in order."""
        while pending:
            number, written, drawing = pending[0]
            where = ""
            if written is None:
                spec, table, note, drawn, elapsed = drawing
                if not (wait or drawn.done()):
                    return
                paths = _write(spec, study, out_dir, table, note, drawn.result())
                written = BuiltFigure(spec, None if release else table, None, paths, note), elapsed
                where = ", drawn beside"
            pending.popleft()
            item, elapsed = written
            built.append(item)
            if item.current:
                state = "up to date"
            else:
                state = "built" if item.note is None else "no figure: " + item.note
            name = item.spec.name
            log_line(f"figure {number}/{len(names)} {name}: {state} ({elapsed:.1f} s{where})")

    for number, name in enumerate(progress(names, desc="figures", unit="figure"), start=1):
        started = time.perf_counter()
        current = current_paths[name]
        if current is not None:
            item = current_figure(registry[name], study, current)
            pending.append((number, (item, time.perf_counter() - started), None))
        else:
            spec, table, note = _computed(registry[name], study)
            has_image = spec.plot is not None and note is None
            if has_image and drawer is not None and len(table) <= MAX_ROWS_DRAWN_BESIDE:
                drawn = drawer.submit(_image_bytes, spec, table)
                elapsed = time.perf_counter() - started
                pending.append((number, None, (spec, table, note, drawn, elapsed)))
            else:  # drawn (if at all) and written here, now; logged in its turn
                item = _drawn_and_written(spec, table, note, study, out_dir)
                if release:
                    item = dataclasses.replace(item, table=None, figure=None)
                pending.append((number, (item, time.perf_counter() - started), None))
                del item
            del table  # not held while the next table is computed
        if release:
            later = [table for rest in names[number:] for table in registry[rest].tables]
            study.release(needed(later))
            return_free_memory()
        log_written(wait=False)
    log_written(wait=True)
    return built


def compute_first(study: Study, tables: set[str]) -> None:
    """Compute those of ``tables`` that :data:`analysis.study.measures.COMPUTED_FIRST` names,
    before the study holds any other derived table (shared text, found in forked workers),
    and give back the memory their computation freed."""
    for name, compute in COMPUTED_FIRST.items():
        if name in tables:
            started = time.perf_counter()
            compute(study)
            return_free_memory()
            log_line(f"computed {name} first ({seconds(started)})")


def current_figure(spec: FigureSpec, study: Study, paths: list[Path]) -> BuiltFigure:
    """The :class:`BuiltFigure` of an output already up to date at ``paths`` (no table or
    figure; its note read from its sidecar)."""
    sidecar = next(path for path in paths if path.suffix == ".json")
    note = json.loads(sidecar.read_text(encoding="utf-8")).get("note")
    return BuiltFigure(for_corpus(spec, study), None, None, paths, note, current=True)
