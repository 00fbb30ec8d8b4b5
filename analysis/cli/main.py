"""The command line, ``framing``: a thin layer over the functions the notebooks call.

Each command has its own module here (its options and a handler that calls the analysis);
this one assembles the parser and runs a command. Bad input gives one line on standard error
naming the file, row or field, and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from argparse import Namespace
from collections.abc import Sequence
from difflib import get_close_matches

import analysis.cli.cite as cite
import analysis.cli.extended as extended
import analysis.cli.figures as figures
import analysis.cli.findings as findings
import analysis.cli.import_ as import_
import analysis.cli.kwic as kwic
import analysis.cli.provenance as provenance
import analysis.cli.report as report
import analysis.cli.reuse as reuse
import analysis.cli.run as run
import analysis.cli.score as score
import analysis.cli.topics as topics
import analysis.cli.validate as validate
from analysis import __version__
from analysis.cli.options import EXIT_BAD_INPUT, check_options
from analysis.cli.paths import check_paths
from analysis.core.errors import InputError

#: The command modules, in the order ``framing --help`` lists them.
COMMANDS = (
    figures,
    extended,
    findings,
    provenance,
    validate,
    report,
    score,
    import_,
    run,
    reuse,
    topics,
    kwic,
    cite,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``framing`` command."""
    parser = argparse.ArgumentParser(
        prog="framing",
        allow_abbrev=False,
        description=(
            "Media-framing study of S. Jaishankar's February 2026 US visit: regenerate the "
            "figures, or run the same measures on your own corpus."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(commands)
    for subcommand in commands.choices.values():  # "--text" is not taken for "--text-col"
        subcommand.allow_abbrev = False
    return parser


def parse_command_line(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> Namespace:
    """``parser.parse_args(argv)``, except that an option the command does not have is
    reported with the command's usage and the closest option it has (argparse reports it with
    the usage of ``framing`` itself)."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        command = action.choices[args.command]
        options = [name for a in command._actions for name in a.option_strings]
        close = get_close_matches(unknown[0].split("=")[0], options, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        command.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parse_command_line(parser, argv)
    try:
        check_options(args)
        check_paths(args)
        return args.run(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
