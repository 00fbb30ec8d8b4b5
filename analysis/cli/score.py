"""``framing score``: per-article frame (and tone, reuse) measures of any corpus, as CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli.options import add_codebook_and_actors, add_corpus_path
from analysis.cli.paths import require_codebook_and_actors
from analysis.study.provenance import table_to_csv_bytes, write_paths_atomically


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``score`` command's options."""
    parser = commands.add_parser(
        "score", help="per-article frame (and tone, reuse) measures for any corpus, as CSV"
    )
    add_corpus_path(parser)
    parser.add_argument("--out", type=Path, required=True, help="CSV file, one row per article")
    parser.add_argument("--evidence", type=Path, help="CSV file, one row per indicator hit")
    add_codebook_and_actors(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the score table to ``--out`` (and the evidence to ``--evidence``); count them."""
    from analysis.framing import INDEX_FRAMES
    from analysis.study import measures
    from analysis.study.load import load_study

    require_codebook_and_actors(args)
    study = load_study(args.path, codebook=args.codebook, actors=args.actors)
    scores = measures.score_table(study)
    files = {args.out: table_to_csv_bytes(scores)}
    if args.evidence is not None:
        files[args.evidence] = table_to_csv_bytes(measures.evidence(study))
    write_paths_atomically(files)
    print(
        f"scored {len(scores)} articles ({len(study.sentences)} sentences) -> "
        + ", ".join(str(path) for path in files)
    )
    missing = measures.codebook(study).missing_index_frames()
    if missing:  # said, so that a missing column is not taken for a failure
        contrasted = " and ".join(INDEX_FRAMES)
        print(
            f"note: no frame_index columns: the framing index contrasts {contrasted}, and this "
            f"codebook has no {' or '.join(missing)}",
            file=sys.stderr,
        )
    return 0
