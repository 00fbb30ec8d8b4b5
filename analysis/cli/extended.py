"""``framing extended``: the study at full size, on the openings of the seeds and the coverage
corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.cli.options import STUDY_WORKERS_HELP, add_force, add_only, add_workers
from analysis.core.config import FIGURES_DIR
from analysis.core.errors import InputError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``extended`` command's options."""
    parser = commands.add_parser(
        "extended",
        help="the study at full size: the 114 openings of the seeds and the coverage corpus",
        description=(
            "Build the extended study's figures and tables (five seeds and the 109 articles of "
            "../shared/data/coverage_2026.csv, or FRAMING_SHARED_DATA, each on its opening). "
            "Without the coverage file, keeps the outputs already in --out and says so."
        ),
    )
    parser.add_argument("--out", type=Path, default=FIGURES_DIR / "extended", help="output folder")
    add_only(parser)
    add_force(parser)
    add_workers(parser, STUDY_WORKERS_HELP)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build the extended outputs into ``--out``, or keep them when the coverage corpus is
    absent; say which."""
    from analysis.study.extended import coverage_available, coverage_path

    if args.workers < 1:
        raise InputError(f"--workers: {args.workers}: give 1 or more processes")
    if not coverage_available():
        kept = sorted(args.out.glob("*.json")) if args.out.is_dir() else []
        print(
            f"extended outputs not rebuilt: the coverage corpus is not at {coverage_path()} "
            f"(set FRAMING_SHARED_DATA; corpus/coverage/README.md); {len(kept)} outputs in "
            f"{args.out} kept as they are"
        )
        return 0
    from analysis.outputs.figures import EXTENDED_REGISTRY, build_extended

    unknown = [name for name in args.only or [] if name not in EXTENDED_REGISTRY]
    if unknown:
        known = ", ".join(EXTENDED_REGISTRY)
        raise InputError(f"--only: no extended output named {unknown[0]!r} (known: {known})")
    built = build_extended(
        out_dir=args.out,
        only=args.only or None,
        skip_current=not args.force,
        workers=args.workers,
    )
    current = sum(item.current for item in built)
    print(
        f"wrote {len(built) - current} extended outputs, {current} already up to date in {args.out}"
    )
    return 0
