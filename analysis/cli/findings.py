"""``framing findings``: the extended study's findings, written from its tables."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.core.config import FIGURES_DIR


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``findings`` command's options."""
    parser = commands.add_parser(
        "findings", help="the extended study's findings, written from figures/extended/ tables"
    )
    parser.add_argument(
        "--tables", type=Path, default=FIGURES_DIR / "extended", help="folder of the tables"
    )
    parser.add_argument(
        "--readme", action="store_true", help="rewrite README.md's findings block with them"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the findings, or write them into README.md with ``--readme``."""
    from analysis.outputs.findings import README, findings_markdown, write_readme

    if args.readme:
        write_readme(README, args.tables)
        print(f"wrote the findings block of {README} from {args.tables}")
    else:
        print(findings_markdown(args.tables), end="")
    return 0
