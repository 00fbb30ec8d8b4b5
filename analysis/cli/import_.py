"""``framing import``: import a large CSV/JSONL/Parquet corpus into one Parquet file, with column
mapping and outlet names. (The module's name has an underscore: ``import`` is a keyword.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli.options import add_column_options, column_map
from analysis.core.errors import InputError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``import`` command's options."""
    parser = commands.add_parser(
        "import", help="import a large CSV/JSONL/Parquet corpus (column mapping, outlet names)"
    )
    parser.add_argument("source", type=Path, help="corpus folder, CSV (.csv.xz ...), JSONL")
    parser.add_argument("--out", type=Path, required=True, help="Parquet file to write")
    add_column_options(parser)
    parser.set_defaults(run=run, chunk_size=5000)


def run(args: argparse.Namespace) -> int:
    """Import ``source`` into ``--out``; each warning on standard error, the count on standard
    output (so that a script reading the count is not fed warnings)."""
    from analysis.io.chunks import import_corpus

    if args.out.suffix != ".parquet":
        raise InputError(f"--out: {args.out}: give a .parquet file name")
    count, warnings = import_corpus(args.source, args.out, column_map(args), args.chunk_size)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"imported {count} articles -> {args.out}")
    return 0
