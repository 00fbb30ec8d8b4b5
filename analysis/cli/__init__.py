"""The ``framing`` command line: one module per command, parsing only."""

from analysis.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
