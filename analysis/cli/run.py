"""``framing run``: per-article and per-outlet measures of a large corpus, chunk by chunk."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.cli.options import (
    add_cache,
    add_codebook_and_actors,
    add_column_options,
    add_corpus_path,
    add_dask,
    add_workers,
    column_map,
)
from analysis.cli.paths import require_codebook_and_actors
from analysis.core.errors import InputError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``run`` command's options."""
    parser = commands.add_parser(
        "run", help="per-article and per-outlet measures for a large corpus, chunk by chunk"
    )
    add_corpus_path(parser)
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    add_workers(parser, "local worker processes")
    add_dask(parser)
    add_codebook_and_actors(parser)
    add_cache(parser, default="OUT/.cache; it also holds the chunks' measures")
    parser.add_argument("--no-cache", action="store_true", help="recompute every chunk")
    parser.add_argument(
        "--reuse-sentences",
        type=Path,
        metavar="FILE",
        help="each sentence's reuse status (framing reuse --sentences FILE, on the same corpus):"
        " adds shared_share and the own-text columns",
    )
    add_column_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Measure the corpus into ``--out`` (cache in ``--cache``, by default ``--out``/.cache);
    name the files."""
    from analysis.run.measures import measure_into_folder

    require_codebook_and_actors(args)
    if args.no_cache and args.cache is not None:
        raise InputError("--cache and --no-cache: give one of them")
    n_articles, paths = measure_into_folder(
        args.path,
        args.out,
        columns=column_map(args),
        chunk_size=args.chunk_size,
        codebook=args.codebook,
        actors=args.actors,
        workers=args.workers,
        dask=args.dask,
        cache_dir=None if args.no_cache else args.cache or args.out / ".cache",
        reuse_sentences=args.reuse_sentences,
    )
    print(f"measured {n_articles} articles -> " + ", ".join(str(path) for path in paths))
    return 0
