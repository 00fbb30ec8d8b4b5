"""``framing reuse``: the pairs of articles that share text (wire copy, rewrites) in any corpus,
and each sentence's and article's share, as CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.cli.options import (
    add_cache,
    add_column_options,
    add_corpus_path,
    add_dask,
    add_workers,
    column_map,
)
from analysis.study.provenance import table_to_csv_bytes, write_paths_atomically


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``reuse`` command's options."""
    parser = commands.add_parser(
        "reuse", help="pairs of articles that share text (wire copy, rewrites), for any corpus"
    )
    add_corpus_path(parser)
    parser.add_argument("--out", type=Path, required=True, help="CSV file, one row per pair")
    parser.add_argument("--sentences", type=Path, help="CSV file, each sentence's status")
    parser.add_argument("--articles", type=Path, help="CSV file, each article's shared share")
    parser.add_argument(
        "--method",
        choices=["auto", "lsh", "all_pairs"],
        default="auto",
        help="candidate pairs: all pairs up to 300 articles, MinHash-LSH beyond (auto)",
    )
    add_workers(
        parser, "local worker processes (cleaning, reading, LSH bands, verifying candidate pairs)"
    )
    add_dask(parser)
    add_cache(parser)
    add_column_options(parser)
    parser.set_defaults(run=run, chunk_size=2000)


def run(args: argparse.Namespace) -> int:
    """Write the pairs to ``--out`` (and the tables to ``--sentences``, ``--articles``); say how
    many pairs of how many candidates share text."""
    from analysis.run.reuse import corpus_reuse

    reuse = corpus_reuse(
        args.path,
        columns=column_map(args),
        chunk_size=args.chunk_size,
        method=args.method,
        workers=args.workers,
        dask=args.dask,
        cache_dir=args.cache,
        per_sentence=args.sentences is not None,
        per_article=args.articles is not None,
    )
    result = reuse.result
    files = {args.out: table_to_csv_bytes(result.pairs)}
    if reuse.sentences is not None:
        files[args.sentences] = table_to_csv_bytes(reuse.sentences)
    if reuse.articles is not None:
        files[args.articles] = table_to_csv_bytes(reuse.articles)
    write_paths_atomically(files)
    summary = result.summary
    print(
        f"{reuse.n_articles} articles, {summary.get('n_candidate_pairs', 'all')} candidate pairs "
        f"({summary.get('method', args.method)}): {len(result.pairs)} pairs share text -> "
        + ", ".join(str(path) for path in files)
    )
    return 0
