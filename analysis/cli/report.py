"""``framing report``: build the study report (HTML and Markdown), for the study's corpus or
another."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from analysis.cli.options import (
    STUDY_WORKERS_HELP,
    add_codebook_and_actors,
    add_corpus_option,
    add_force,
    add_workers,
)
from analysis.cli.paths import refuse_study_folder, require_codebook_and_actors
from analysis.core.config import CORPUS_DIR, FIGURES_DIR, REPORT_DIR
from analysis.core.errors import InputError


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``report`` command's options."""
    parser = commands.add_parser("report", help="build the study report (HTML and Markdown)")
    add_corpus_option(parser)
    parser.add_argument("--out", type=Path, default=REPORT_DIR, help="folder for report.html/.md")
    parser.add_argument(
        "--figures-dir",
        type=Path,
        default=None,
        help="where the figures go (default: OUT/figures); figures already current there, "
        "such as those `framing figures --out DIR` just made, are reused",
    )
    parser.add_argument(
        "--study",
        type=Path,
        metavar="FILE",
        help="study description YAML (title, question, frames); default: NAME.study.yaml "
        "beside a corpus file, study.yaml in a corpus folder",
    )
    add_codebook_and_actors(parser)
    parser.add_argument("--title", help="the report's title (replaces the description's)")
    parser.add_argument("--question", help="the study's question, stated under the title")
    add_force(parser, "figures")
    add_workers(parser, STUDY_WORKERS_HELP)
    parser.set_defaults(run=run)


def _regenerate_command(args: argparse.Namespace) -> str | None:
    """The ``framing report`` command line that makes this report again, paths shown as the
    report shows them; ``None`` for the study's own report (``framing report`` as it is)."""
    from analysis.outputs.report import path_base, shown_path

    inputs = (("--codebook", args.codebook), ("--actors", args.actors))
    if Path(args.corpus).resolve() == CORPUS_DIR.resolve() and all(v is None for _, v in inputs):
        return None
    base = path_base(args.corpus)
    words = ["framing", "report", "--corpus", shown_path(args.corpus, base)]
    words += ["--out", shown_path(args.out, base)]
    for option, value in (("--figures-dir", args.figures_dir), ("--study", args.study), *inputs):
        if value is not None:
            words += [option, shown_path(value, base)]
    for option, value in (("--title", args.title), ("--question", args.question)):
        if value is not None:
            words += [option, value]
    return shlex.join(words)


def run(args: argparse.Namespace) -> int:
    """Build the report into ``--out`` (figures into ``--figures-dir``); name the files."""
    from analysis.outputs.report import build_report
    from analysis.outputs.study_description import load_description
    from analysis.study.load import load_study

    refuse_study_folder(args, "out", REPORT_DIR)
    if args.figures_dir is not None:
        refuse_study_folder(args, "figures_dir", FIGURES_DIR)
    if args.workers < 1:
        raise InputError(f"--workers: {args.workers}: give 1 or more processes")
    if args.study is not None and not args.study.is_file():
        raise InputError(f"--study: {args.study}: no such file")
    require_codebook_and_actors(args)
    study = load_study(
        args.corpus, codebook=args.codebook, actors=args.actors, workers=args.workers
    )
    description = load_description(study, path=args.study, title=args.title, question=args.question)
    paths = build_report(
        out_dir=args.out,
        figures_dir=args.figures_dir,
        study=study,
        description=description,
        force=args.force,
        command=_regenerate_command(args),
    )
    print("wrote " + ", ".join(str(path) for path in paths))
    return 0
