"""``framing figures``: regenerate every study figure and table, or those of another corpus."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.cli.options import (
    STUDY_WORKERS_HELP,
    add_cache,
    add_codebook_and_actors,
    add_corpus_option,
    add_force,
    add_only,
    add_workers,
)
from analysis.cli.paths import refuse_study_folder, require_codebook_and_actors
from analysis.core.config import FIGURES_DIR
from analysis.core.errors import InputError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``figures`` command's options."""
    parser = commands.add_parser("figures", help="regenerate every study figure and table")
    add_corpus_option(parser)
    parser.add_argument("--out", type=Path, default=FIGURES_DIR, help="output folder")
    add_codebook_and_actors(parser)
    add_only(parser)
    add_force(parser)
    add_workers(parser, STUDY_WORKERS_HELP)
    add_cache(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build the figures into ``--out``; say how many were written and how many were current."""
    refuse_study_folder(args, "out", FIGURES_DIR)
    require_codebook_and_actors(args)
    from analysis.outputs.builds import folder_is_current

    current = folder_is_current(args.corpus, args.out, args.codebook, args.actors)
    if not (args.force or args.only) and current:
        print(f"every output in {args.out} is up to date (code, corpus and software unchanged)")
        return 0
    from analysis.outputs.builds import build_folder
    from analysis.outputs.figures import REGISTRY

    unknown = [name for name in args.only or [] if name not in REGISTRY]
    if unknown:
        raise InputError(f"--only: no figure named {unknown[0]!r} (known: {', '.join(REGISTRY)})")
    built = build_folder(
        corpus=args.corpus,
        out_dir=args.out,
        only=args.only or None,
        force=args.force,
        workers=args.workers,
        cache_dir=args.cache,
        codebook=args.codebook,
        actors=args.actors,
    )
    files = sum(len(item.paths) for item in built)
    current = sum(item.current for item in built)
    print(
        f"wrote {len(built) - current} outputs, {current} already up to date "
        f"({files} files) in {args.out}"
    )
    return 0
