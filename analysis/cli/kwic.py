"""``framing kwic``: every occurrence of a term in a corpus, in context."""

from __future__ import annotations

import argparse

from analysis.cli.options import add_corpus_option


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``kwic`` command's options."""
    parser = commands.add_parser("kwic", help="every occurrence of a term, in context")
    parser.add_argument("term", help="a word or phrase (case-insensitive, whole words)")
    add_corpus_option(parser)
    parser.add_argument("--window", type=int, default=8, help="words of context on each side")
    parser.add_argument(
        "--inflections",
        action="store_true",
        help="also match words with the same Porter stem (tariff: tariffs; not irregular "
        "forms such as meet: met)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the term's lines in context, or say there are none."""
    from analysis.kwic import format_kwic, kwic
    from analysis.study.load import load_study

    study = load_study(args.corpus)
    lines = kwic(
        study.sentences, study.articles, args.term, window=args.window, inflections=args.inflections
    )
    if lines.empty:
        print(f"no matches for {args.term!r} in {args.corpus}")
    else:
        print(format_kwic(lines))
    return 0
