"""``framing validate``: check a corpus and list every problem."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from analysis.cli.options import (
    COLUMN_FIELDS,
    EXIT_BAD_INPUT,
    add_column_options,
    add_corpus_path,
    column_map,
)

if TYPE_CHECKING:
    from analysis.io.checks import Problem


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
        "--all-problems",
        "--all-warnings",
        dest="all_problems",
        action="store_true",
        help=f"list every problem (by default a problem that repeats, such as the same "
        f"unreadable date format on every row, is listed {SHOWN_PER_KIND} times, then counted)",
    )
    parser.set_defaults(run=run, chunk_size=5000)


#: How many problems of one kind are listed before the rest are counted.
SHOWN_PER_KIND = 3
_VALUES = re.compile(r"'[^']*'|\d+")


def problem_kind(problem: Problem) -> tuple[str, str]:
    """Problems of one kind: the same severity and message once quoted values and numbers are
    set aside, so that ``cannot parse '06/04/2005'`` on every row is one kind.

    >>> from analysis.io.checks import Problem
    >>> problem_kind(Problem("error", "c.csv: row 7", "duplicate id 'a7' (first at row 2)"))
    ('error', 'duplicate id … (first at row …)')
    """
    return problem.severity, _VALUES.sub("…", problem.message)


def run(args: argparse.Namespace) -> int:
    """List the corpus's problems and a verdict; exit code 2 when any is an error."""
    from analysis.io.chunks import corpus_problems
    from analysis.study.load import validate_study

    mapped = args.preset or any(getattr(args, f"{field}_col") for field in COLUMN_FIELDS)
    if mapped:  # what `framing import` and `run` need
        problems = corpus_problems(args.path, column_map(args), args.chunk_size)
    else:  # what `framing figures` and `score` need
        problems = validate_study(args.path)
    repeats: dict[tuple[str, str], int] = {}
    for problem in problems:
        if not args.all_problems:
            kind = problem_kind(problem)
            repeats[kind] = repeats.get(kind, 0) + 1
            if repeats[kind] > SHOWN_PER_KIND:
                continue
        print(f"{problem.severity}: {problem}")
    for (severity, message), count in repeats.items():
        if count > SHOWN_PER_KIND:
            print(
                f"{severity}: {count - SHOWN_PER_KIND} more like the above: {message} "
                "(--all-problems lists them)"
            )
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    verdict = "not usable" if errors else "ok"
    print(f"{args.path}: {verdict} ({errors} errors, {warnings} warnings)")
    return EXIT_BAD_INPUT if errors else 0
