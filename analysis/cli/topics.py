"""``framing topics``: a topic model of any corpus, its top terms and prevalence per outlet."""

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
from analysis.study.provenance import write_paths_atomically


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``topics`` command's options."""
    parser = commands.add_parser(
        "topics", help="a topic model of any corpus: top terms and prevalence per outlet"
    )
    add_corpus_path(parser)
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("-k", type=int, required=True, help="number of topics")
    parser.add_argument("--method", choices=["nmf", "lda"], default="nmf", help="model")
    parser.add_argument(
        "--unit",
        choices=["article", "paragraph", "sentence"],
        default="article",
        help="the texts topics are fitted on (default: article; the study uses paragraphs "
        "because it has only five articles)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        help="fit minibatch NMF on batches of N texts (no faster than the default batch fit "
        "on 1,000 to 37,554 articles as measured; see the README)",
    )
    parser.add_argument(
        "--max-features", type=int, default=20000, help="vocabulary size (most frequent terms)"
    )
    parser.add_argument(
        "--no-phrases", action="store_true", help="do not merge collocations into terms"
    )
    add_workers(parser, "local processes that analyse the texts (identical results for any number)")
    add_dask(parser)
    add_cache(parser)
    add_column_options(parser)
    parser.set_defaults(run=run, chunk_size=2000)


def run(args: argparse.Namespace) -> int:
    """Fit the model and write its files into ``--out``; say what was fitted on what."""
    from analysis.run.topics import corpus_topics, topics_files

    topics = corpus_topics(
        args.path,
        columns=column_map(args),
        chunk_size=args.chunk_size,
        k=args.k,
        method=args.method,
        unit=args.unit,
        max_features=args.max_features,
        phrases=not args.no_phrases,
        batch_size=args.batch_size,
        workers=args.workers,
        dask=args.dask,
        cache_dir=args.cache,
    )
    files = topics_files(topics, args.out)
    write_paths_atomically(files)
    units_said = "" if args.unit == "article" else f"{topics.n_units} {args.unit}s of "
    print(
        f"{args.k} topics ({args.method}) on {units_said}{topics.n_articles} articles -> "
        + ", ".join(str(path) for path in files)
    )
    return 0
