"""``framing validate``: check a corpus and list every problem."""

from __future__ import annotations

import argparse

from analysis.cli.options import (
    COLUMN_FIELDS,
    EXIT_BAD_INPUT,
    add_column_options,
    add_corpus_path,
    column_map,
)


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``validate`` command's options."""
    parser = commands.add_parser(
        "validate",
        help="check a corpus and list every problem",
        description=(
            "Check a corpus and list every problem. Without column options: what `framing "
            "figures` and `score` need (columns id, outlet, date, title, text). With --preset "
            "or any --*-col option: what `framing import`, `run`, `reuse` and `topics` need "
            "(id, outlet, text; the rest optional)."
        ),
    )
    add_corpus_path(parser)
    add_column_options(parser)
    parser.add_argument(
        "--all-warnings",
        action="store_true",
        help=f"list every warning (by default a warning that repeats is listed "
        f"{SHOWN_PER_WARNING} times, then counted)",
    )
    parser.set_defaults(run=run, chunk_size=5000)


#: How many times a warning with the same message is listed before the rest are counted.
SHOWN_PER_WARNING = 3


def run(args: argparse.Namespace) -> int:
    """List the corpus's problems and a verdict; exit code 2 when any is an error."""
    from analysis.io.chunks import corpus_problems
    from analysis.study.load import validate_study

    mapped = args.preset or any(getattr(args, f"{field}_col") for field in COLUMN_FIELDS)
    if mapped:  # what `framing import` and `run` need
        problems = corpus_problems(args.path, column_map(args), args.chunk_size)
    else:  # what `framing figures` and `score` need
        problems = validate_study(args.path)
    repeats: dict[str, int] = {}
    for problem in problems:
        if problem.severity == "warning" and not args.all_warnings:
            repeats[problem.message] = repeats.get(problem.message, 0) + 1
            if repeats[problem.message] > SHOWN_PER_WARNING:
                continue
        print(f"{problem.severity}: {problem}")
    for message, count in repeats.items():
        if count > SHOWN_PER_WARNING:
            print(
                f"warning: {count - SHOWN_PER_WARNING} more like the above: {message} "
                "(--all-warnings lists them)"
            )
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    verdict = "not usable" if errors else "ok"
    print(f"{args.path}: {verdict} ({errors} errors, {warnings} warnings)")
    return EXIT_BAD_INPUT if errors else 0
