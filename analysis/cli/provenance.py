"""``framing provenance``: check outputs against this checkout, by their provenance sidecars."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.core.config import FIGURES_DIR
from analysis.core.errors import InputError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``provenance`` command's options."""
    parser = commands.add_parser(
        "provenance",
        help="check outputs against this checkout: code hash and file hashes of each sidecar",
        description=(
            "For every provenance sidecar (<name>.json) in the given files or folders, compare "
            "its code_sha256 with the code hash of this checkout and each listed file with its "
            "SHA-256. Exit 0 when all match, 1 otherwise."
        ),
    )
    parser.add_argument(
        "paths", type=Path, nargs="*", default=[FIGURES_DIR], help="sidecars or folders"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check every sidecar given or in a folder given; one line each, then a count."""
    from analysis.study.provenance import check_sidecar, code_hash

    sidecars = []
    for path in args.paths:
        if path.is_dir():
            sidecars += sorted(p for p in path.rglob("*.json") if not p.name.startswith("."))
        elif path.is_file():
            sidecars.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    failed = 0
    for sidecar in sidecars:
        try:
            problems = check_sidecar(sidecar)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        failed += bool(problems)
        print(f"{sidecar}: {'; '.join(problems) if problems else 'ok'}")
    print(
        f"{len(sidecars) - failed} of {len(sidecars)} outputs match this checkout "
        f"(code sha256 {code_hash()[:12]})"
    )
    return 1 if failed else 0
