"""Options that several ``framing`` commands share: their argparse definitions, the check of
their values before anything is read, and the exit code of bad input.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core.config import CORPUS_DIR
from analysis.core.errors import InputError

if TYPE_CHECKING:
    from analysis.io.chunks import ColumnMap

#: The exit code of bad input: one line on standard error, no traceback.
EXIT_BAD_INPUT = 2
#: The corpus fields a column option (``--FIELD-col``) maps.
COLUMN_FIELDS = ("id", "outlet", "date", "title", "text", "url", "wire", "domain")
#: Help of a corpus argument or option: what it may be.
CORPUS_HELP = "corpus folder or CSV/JSONL/Parquet file"
#: Help of ``--workers`` where the processes speed up the study's costliest measures.
STUDY_WORKERS_HELP = (
    "processes for choosing k, analysing the topic paragraphs, finding shared text, "
    "quotations, frame indicators and actor mentions, and scoring tone; with 2 or more, figures "
    "are also drawn in one more process while the next tables are computed (same outputs; "
    "default 1)"
)

#: Numeric options, the least value each takes, and what it counts (for the error line).
_LEAST = {
    "workers": (1, "processes"),
    "chunk_size": (1, "articles"),
    "k": (1, "topics"),
    "batch_size": (1, "texts"),
    "max_features": (1, "terms"),
    "window": (0, "words"),
}
_DASK_ADDRESS = re.compile(r"(?:[a-z]+://)?[\w.\-]+:\d+|(?:[a-z]+://)?\[[0-9a-fA-F:]+\]:\d+")


def flag(option: str) -> str:
    """The command-line spelling of the option stored as ``option`` (``chunk_size``:
    ``--chunk-size``; ``k``: ``-k``)."""
    return "-k" if option == "k" else "--" + option.replace("_", "-")


def check_options(args: argparse.Namespace) -> None:
    """Every numeric option and the Dask address, before anything is read: one line each."""
    for option, (least, unit) in _LEAST.items():
        value = getattr(args, option, None)
        if value is not None and value < least:
            raise InputError(f"{flag(option)}: {value}: give {least} or more {unit}")
    address = getattr(args, "dask", None)
    if address is None:
        return
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise InputError(f"--dask: {address!r}: give local:N with N 1 or more worker processes")
    elif not _DASK_ADDRESS.fullmatch(address):
        raise InputError(
            f"--dask: {address!r}: give a scheduler address (tcp://host:8786) or local:N"
        )


def add_corpus_path(parser: argparse.ArgumentParser) -> None:
    """The corpus a command reads, as its first argument ``path``."""
    parser.add_argument("path", type=Path, help=CORPUS_HELP)


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    """``--corpus``: the corpus a command reads, the study's by default."""
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help=CORPUS_HELP)


def add_workers(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--workers``: local processes, 1 by default; ``help_text`` says what they do."""
    parser.add_argument("--workers", type=int, default=1, help=help_text)


def add_dask(parser: argparse.ArgumentParser) -> None:
    """``--dask ADDRESS``: run a command's stages on a Dask cluster, an existing scheduler's
    address or ``local:N`` (checked by :func:`check_options`)."""
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="Dask scheduler address (tcp://host:8786), or local:N for N local workers "
        "(same outputs; overrides --workers)",
    )


def add_cache(parser: argparse.ArgumentParser, default: str = "none") -> None:
    """``--cache DIR``: the folder where the corpus's cleaned and split blocks are cached
    (:mod:`analysis.run.sentences`), the shared text found in it
    (:mod:`analysis.run.reuse_cache`) and its sentences' quotations, frame indicators and tone
    (:mod:`analysis.run.block_measures`); ``framing reuse``, ``run``, ``topics`` and
    ``figures`` given the same folder clean a corpus once, ``reuse`` and ``figures`` find its
    shared text once, and ``run`` and ``figures`` measure its sentences once. ``default`` says
    where the cache is without the option."""
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="folder caching the cleaned and split corpus, the shared text found in it and its "
        "sentences' quotations, frame indicators and tone; give framing reuse, run, topics and "
        "figures the same one to clean, find shared text and measure sentences once (same "
        f"outputs; default: {default})",
    )


def add_only(parser: argparse.ArgumentParser) -> None:
    """``--only NAME`` (repeatable): build only the named outputs."""
    parser.add_argument("--only", action="append", metavar="NAME", help="build only this output")


def add_force(parser: argparse.ArgumentParser, what: str = "outputs") -> None:
    """``--force``: rebuild ``what`` even where it is already up to date."""
    parser.add_argument(
        "--force", action="store_true", help=f"rebuild {what} that are already up to date"
    )


def add_codebook_and_actors(parser: argparse.ArgumentParser) -> None:
    """``--codebook`` and ``--actors``: the YAML files a command measures with."""
    parser.add_argument("--codebook", type=Path, help="frame codebook YAML (default: the study's)")
    parser.add_argument("--actors", type=Path, help="actor list YAML (default: the study's)")


def add_column_options(parser: argparse.ArgumentParser) -> None:
    """``--preset``, one ``--FIELD-col`` per corpus field and ``--chunk-size``: how a command
    reads a large corpus file."""
    parser.add_argument(
        "--preset", choices=["mediacloud"], help="column names of a known export format"
    )
    for field in COLUMN_FIELDS:
        parser.add_argument(f"--{field}-col", metavar="NAME", help=f"input column for {field}")
    parser.add_argument(
        "--chunk-size", type=int, default=500, help="articles per chunk (memory stays flat)"
    )


def column_map(args: argparse.Namespace) -> ColumnMap:
    """The column map that the options of :func:`add_column_options` give."""
    from analysis.io.chunks import column_map_from_options

    return column_map_from_options(
        args.preset,
        **{field: getattr(args, f"{field}_col") for field in COLUMN_FIELDS},
    )
