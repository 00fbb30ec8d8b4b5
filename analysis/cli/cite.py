"""``framing cite``: how to cite the software and the study."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``cite`` command's options."""
    parser = commands.add_parser("cite", help="print how to cite the software and the study")
    parser.add_argument("--format", default="bibtex", help="bibtex (default), apa or cff")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the citation in ``--format``."""
    from analysis.outputs.cite import render_citation

    print(render_citation(args.format), end="")
    return 0
