"""The command line, ``framing``: a thin layer over the functions the notebooks call.

Bad input gives one line on standard error naming the file, row or field, and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import __version__
from analysis.core.config import CODEBOOK_DIR, CORPUS_DIR, FIGURES_DIR, REPORT_DIR
from analysis.core.errors import InputError
from analysis.study.provenance import table_to_csv_bytes, write_paths_atomically

EXIT_BAD_INPUT = 2
COLUMN_FIELDS = ("id", "outlet", "date", "title", "text", "url", "wire", "domain")


#: Numeric options, the least value each takes, and what it counts (for the error line).
_LEAST = {
    "workers": (1, "processes"),
    "chunk_size": (1, "articles"),
    "k": (1, "topics"),
    "batch_size": (1, "texts"),
    "max_features": (1, "terms"),
    "window": (0, "words"),
}
_DASK_ADDRESS = re.compile(r"(?:[a-z]+://)?[\w.\-]+:\d+|(?:[a-z]+://)?\[[0-9a-fA-F:]+\]:\d+")
#: What each command reads, writes to files, and writes into folders (with the file names it
#: writes there; ``None``: many, so no input may lie anywhere inside the folder).
_INPUT_OPTIONS = ("path", "source", "corpus", "codebook", "actors", "reuse_sentences")
_OUTPUT_FILES = {
    "score": ("out", "evidence"),
    "import": ("out",),
    "reuse": ("out", "sentences", "articles"),
}
_OUTPUT_FOLDERS: dict[str, dict[str, tuple[str, ...] | None]] = {
    "run": {"out": ("scores.parquet", "scores.csv", "outlets.csv", "run.json", ".cache")},
    "topics": {"out": ("topic_terms.csv", "topic_prevalence.csv", "topics_run.json")},
    "figures": {"out": None},
    "report": {"out": None, "figures_dir": None},
}
#: Commands that read the study's codebook and actor list when none is given.
_USES_CODEBOOK = ("figures", "report", "score", "run", "kwic")


def _flag(option: str) -> str:
    return "-k" if option == "k" else "--" + option.replace("_", "-")


def _check_options(args: argparse.Namespace) -> None:
    """Every numeric option and the Dask address, before anything is read: one line each."""
    for option, (least, unit) in _LEAST.items():
        value = getattr(args, option, None)
        if value is not None and value < least:
            raise InputError(f"{_flag(option)}: {value}: give {least} or more {unit}")
    address = getattr(args, "dask", None)
    if address is None:
        return
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise InputError(f"--dask: {address!r}: give local:N with N 1 or more worker processes")
    elif not _DASK_ADDRESS.fullmatch(address):
        raise InputError(
            f"--dask: {address!r}: give a scheduler address (tcp://host:8786) or local:N"
        )


def _input_paths(args: argparse.Namespace) -> dict[Path, str]:
    """Every file or folder the command reads, resolved, with the option that names it."""
    inputs: dict[Path, str] = {}
    for option in _INPUT_OPTIONS:
        value = getattr(args, option, None)
        if value is not None:
            inputs[Path(value).resolve()] = (
                option if option in ("path", "source") else _flag(option)
            )
    if args.command in _USES_CODEBOOK:
        for option, default in (("codebook", "study.yaml"), ("actors", "actors.yaml")):
            if getattr(args, option, None) is None:
                inputs[(CODEBOOK_DIR / default).resolve()] = f"the study's {option} file"
    return inputs


def _writable(option: str, path: Path, folder: bool) -> None:
    """The nearest existing path at or above the ``folder`` (or the file's folder) ``path``
    must be a folder this user can write in."""
    existing = path.absolute() if folder else path.absolute().parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"{option}: {path}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{option}: {path}: cannot write in {existing}")


def _folder_files(folder: Path) -> set[Path] | None:
    """The files a corpus folder is read from (its metadata.csv and the files it names),
    resolved; ``None`` if the metadata cannot be read (then no file inside may be written)."""
    import csv

    metadata = folder / "metadata.csv"
    try:
        with metadata.open(encoding="utf-8-sig", newline="") as stream:
            names = [row.get("file") or "" for row in csv.DictReader(stream)]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return {metadata.resolve()} | {(folder / name.strip()).resolve() for name in names}


def _overwrites(target: Path, inputs: dict[Path, str]) -> str | None:
    """The input ``target`` would overwrite: one named, or a file a corpus folder is read from
    (any existing file in it when its metadata cannot be read)."""
    resolved = target.resolve()
    if resolved in inputs:
        return inputs[resolved]
    if resolved.is_file():  # a hard link to an input is the input
        for path, option in inputs.items():
            if path.is_file() and os.path.samefile(path, resolved):
                return option
    for path, option in inputs.items():
        if path.is_dir() and resolved.is_relative_to(path) and resolved.exists():
            files = _folder_files(path)
            if files is None or resolved in files:
                return f"a file of the corpus folder given as {option}"
    return None


def _check_paths(args: argparse.Namespace) -> None:
    """Output paths, before anything is read: a file where a file goes, a folder where a folder
    goes, somewhere writable, never an input of the command, and no two outputs the same."""
    inputs = _input_paths(args)
    outputs: dict[Path, str] = {}
    for option in _OUTPUT_FILES.get(args.command, ()):
        path = getattr(args, option, None)
        if path is None:
            continue
        flag = _flag(option)
        if path.is_dir():
            raise InputError(f"{flag}: {path} is a folder: give a file name")
        _writable(flag, path, folder=False)
        overwritten = _overwrites(path, inputs)
        if overwritten:
            raise InputError(f"{flag}: {path} is an input ({overwritten}): give another file")
        if path.resolve() in outputs:
            raise InputError(f"{flag}: {path} is also {outputs[path.resolve()]}: give another file")
        outputs[path.resolve()] = flag
    for option, names in _OUTPUT_FOLDERS.get(args.command, {}).items():
        path = getattr(args, option, None)
        if path is None:
            continue
        flag = _flag(option)
        if path.exists() and not path.is_dir():
            raise InputError(f"{flag}: {path} is a file: give a folder")
        _writable(flag, path, folder=True)
        if path.resolve() in inputs:
            raise InputError(
                f"{flag}: {path} is an input ({inputs[path.resolve()]}): give another folder"
            )
        targets = [path / name for name in names] if names is not None else []
        for target in targets:
            overwritten = _overwrites(target, inputs)
            if overwritten:
                raise InputError(
                    f"{flag}: {path}: writing {target.name} would overwrite an input "
                    f"({overwritten}): give another folder"
                )
        if names is None:
            inside = next((i for i in inputs if i.is_relative_to(path.resolve())), None)
            if inside is not None:
                raise InputError(
                    f"{flag}: {path} holds an input ({inputs[inside]}: {inside}): its outputs "
                    "could overwrite it; give another folder"
                )


def _figures_up_to_date(args: argparse.Namespace) -> bool:
    """Fast path: the last complete build in --out is current (checked without importing the
    measures or plotting: corpus hash, code hash, software and file hashes only)."""
    from analysis.core.config import display_path
    from analysis.io.corpus import corpus_hash, load_corpus
    from analysis.study.provenance import build_is_current, build_key

    if args.force or args.only or not args.out.is_dir():
        return False
    key = build_key(corpus_hash(load_corpus(args.corpus)), display_path(args.corpus))
    return build_is_current(args.out, key)


def _refuse_study_folder(args: argparse.Namespace, option: str, study_folder: Path) -> None:
    """A corpus other than the study's must not write into the study's committed outputs."""
    other_corpus = Path(args.corpus).resolve() != CORPUS_DIR.resolve()
    if other_corpus and Path(getattr(args, option)).resolve() == study_folder.resolve():
        flag = "--" + option.replace("_", "-")
        raise InputError(
            f"{flag}: {study_folder} holds the study's own outputs; give another folder for "
            f"{args.corpus} (e.g. {flag} my_{study_folder.name})"
        )


def _cmd_figures(args: argparse.Namespace) -> int:
    _refuse_study_folder(args, "out", FIGURES_DIR)
    if _figures_up_to_date(args):
        print(f"every output in {args.out} is up to date (code, corpus and software unchanged)")
        return 0
    from analysis.outputs.figures import REGISTRY, build_all
    from analysis.study.provenance import write_build_stamp

    unknown = [name for name in args.only or [] if name not in REGISTRY]
    if unknown:
        raise InputError(f"--only: no figure named {unknown[0]!r} (known: {', '.join(REGISTRY)})")
    built = build_all(
        corpus=args.corpus,
        out_dir=args.out,
        only=args.only or None,
        skip_current=not args.force,
        workers=args.workers,
    )
    if not args.only:
        write_build_stamp(args.out, {item.spec.name: dict(item.spec.params) for item in built})
    files = sum(len(item.paths) for item in built)
    current = sum(item.table is None for item in built)
    print(
        f"wrote {len(built) - current} outputs, {current} already up to date "
        f"({files} files) in {args.out}"
    )
    return 0


def _cmd_extended(args: argparse.Namespace) -> int:
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
        out_dir=args.out, only=args.only or None, skip_current=not args.force,
        workers=args.workers,
    )
    current = sum(item.table is None for item in built)
    print(f"wrote {len(built) - current} extended outputs, {current} already up to date in "
          f"{args.out}")
    return 0


def _cmd_provenance(args: argparse.Namespace) -> int:
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


def _cmd_findings(args: argparse.Namespace) -> int:
    from analysis.outputs.findings import README, findings_markdown, write_readme

    if args.readme:
        write_readme(README, args.tables)
        print(f"wrote the findings block of {README} from {args.tables}")
    else:
        print(findings_markdown(args.tables), end="")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from analysis.io.chunks import corpus_problems
    from analysis.study.load import validate_study

    mapped = args.preset or any(getattr(args, f"{field}_col") for field in COLUMN_FIELDS)
    if mapped:  # what `framing import` and `run` need
        problems = corpus_problems(args.path, _column_map(args), args.chunk_size)
    else:  # what `framing figures` and `score` need
        problems = validate_study(args.path)
    for problem in problems:
        print(f"{problem.severity}: {problem}")
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    verdict = "not usable" if errors else "ok"
    print(f"{args.path}: {verdict} ({errors} errors, {warnings} warnings)")
    return EXIT_BAD_INPUT if errors else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from analysis.outputs.report import build_report, load_description, path_base, shown_path
    from analysis.study.load import load_study

    _refuse_study_folder(args, "out", REPORT_DIR)
    if args.figures_dir is not None:
        _refuse_study_folder(args, "figures_dir", FIGURES_DIR)
    if args.workers < 1:
        raise InputError(f"--workers: {args.workers}: give 1 or more processes")
    if args.study is not None and not args.study.is_file():
        raise InputError(f"--study: {args.study}: no such file")
    study = load_study(args.corpus, workers=args.workers)
    description = load_description(study, path=args.study, title=args.title, question=args.question)
    command = None  # the study's own report: `framing report` with its defaults
    if Path(args.corpus).resolve() != CORPUS_DIR.resolve():
        base = path_base(args.corpus)
        words = ["framing", "report", "--corpus", shown_path(args.corpus, base)]
        words += ["--out", shown_path(args.out, base)]
        for option, value in (("--figures-dir", args.figures_dir), ("--study", args.study)):
            if value is not None:
                words += [option, shown_path(value, base)]
        for option, value in (("--title", args.title), ("--question", args.question)):
            if value is not None:
                words += [option, value]
        command = shlex.join(words)
    paths = build_report(
        out_dir=args.out,
        figures_dir=args.figures_dir,
        study=study,
        description=description,
        force=args.force,
        command=command,
    )
    print("wrote " + ", ".join(str(path) for path in paths))
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    from analysis.study import measures
    from analysis.study.load import load_study

    for option, path in (("--codebook", args.codebook), ("--actors", args.actors)):
        if path is not None and not path.is_file():
            raise InputError(f"{option}: {path}: no such file")
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
    return 0


def _column_map(args: argparse.Namespace):
    from analysis.io.chunks import column_map_from_options

    return column_map_from_options(
        args.preset,
        **{field: getattr(args, f"{field}_col") for field in COLUMN_FIELDS},
    )


def _cmd_import(args: argparse.Namespace) -> int:
    from analysis.io.chunks import import_corpus

    if args.out.suffix != ".parquet":
        raise InputError(f"--out: {args.out}: give a .parquet file name")
    count, warnings = import_corpus(args.source, args.out, _column_map(args), args.chunk_size)
    for warning in warnings:
        print(f"warning: {warning}")
    print(f"imported {count} articles -> {args.out}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from analysis.run.corpus import measure_corpus, read_sentence_reuse
    from analysis.run.summary import write_run
    from analysis.study.provenance import code_hash, library_versions

    for option, path in (("--codebook", args.codebook), ("--actors", args.actors)):
        if path is not None and not path.is_file():
            raise InputError(f"{option}: {path}: no such file")
    cache = None if args.no_cache else args.out / ".cache"
    sentence_reuse = None
    if args.reuse_sentences is not None:
        sentence_reuse = read_sentence_reuse(args.reuse_sentences)
    scores = measure_corpus(
        args.path,
        columns=_column_map(args),
        chunk_size=args.chunk_size,
        codebook=args.codebook,
        actors=args.actors,
        workers=args.workers,
        dask=args.dask,
        cache_dir=cache,
        sentence_reuse=sentence_reuse,
    )
    record = {
        "command": "framing run",
        "corpus": str(args.path),
        "n_articles": len(scores),
        "n_sentences": int(scores["n_sentences"].sum()),
        "chunk_size": args.chunk_size,
        "code_sha256": code_hash(),
        "codebook": str(args.codebook or "study"),
        "actors": str(args.actors or "study"),
        "reuse_sentences": str(args.reuse_sentences or ""),
        "software": library_versions(),
    }
    paths = write_run(scores, args.out, record)
    print(f"measured {len(scores)} articles -> " + ", ".join(str(path) for path in paths))
    return 0


def _add_column_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--preset", choices=["mediacloud"], help="column names of a known export format"
    )
    for field in COLUMN_FIELDS:
        parser.add_argument(f"--{field}-col", metavar="NAME", help=f"input column for {field}")
    parser.add_argument(
        "--chunk-size", type=int, default=500, help="articles per chunk (memory stays flat)"
    )


def _cmd_reuse(args: argparse.Namespace) -> int:
    from analysis.reuse.detect import article_reuse_with_clusters, detect_reuse, sentence_reuse
    from analysis.run.corpus import cleaned_corpus

    articles, sentences = cleaned_corpus(
        args.path, columns=_column_map(args), chunk_size=args.chunk_size, workers=args.workers
    )
    result = detect_reuse(articles, sentences, method=args.method, workers=args.workers)
    files = {args.out: table_to_csv_bytes(result.pairs)}
    if args.sentences is not None or args.articles is not None:
        per_sentence = sentence_reuse(sentences, result.matches)
        if args.sentences is not None:
            files[args.sentences] = table_to_csv_bytes(per_sentence)
        if args.articles is not None:
            per_article = article_reuse_with_clusters(articles, per_sentence, result.pairs)
            files[args.articles] = table_to_csv_bytes(per_article)
    write_paths_atomically(files)
    summary = result.summary
    print(
        f"{len(articles)} articles, {summary.get('n_candidate_pairs', 'all')} candidate pairs "
        f"({summary.get('method', args.method)}): {len(result.pairs)} pairs share text -> "
        + ", ".join(str(path) for path in files)
    )
    return 0


def _cmd_topics(args: argparse.Namespace) -> int:
    import json
    import time

    from analysis.run.corpus import cleaned_corpus
    from analysis.study.provenance import code_hash, library_versions
    from analysis.topics.model import TopicModel, outlet_topics, topic_units, unit_topics

    started = time.perf_counter()
    articles, sentences = cleaned_corpus(
        args.path, columns=_column_map(args), chunk_size=args.chunk_size, workers=args.workers
    )
    units = topic_units(sentences, articles, unit=args.unit)
    seconds = {"reading_cleaning_splitting": time.perf_counter() - started}
    del sentences
    if args.k > len(units):
        raise InputError(f"-k: {args.k} topics for {len(units)} {args.unit}s; give fewer")
    model = TopicModel(
        method=args.method,
        n_topics=args.k,
        max_features=args.max_features,
        phrases=not args.no_phrases,
        batch_size=args.batch_size,
        n_jobs=args.workers,
    )
    started = time.perf_counter()
    try:
        matrix = model.fit_vectorize(units["text"])
    except ValueError as exc:
        raise InputError(f"{args.path}: {exc}") from None
    seconds["fitting"] = time.perf_counter() - started
    if not model.converged_:
        print(
            f"warning: the {args.method} model stopped at its iteration limit before "
            "converging; its topics may differ with another --batch-size",
            file=sys.stderr,
        )
    started = time.perf_counter()
    prevalence = outlet_topics(unit_topics(model, units, matrix))
    seconds["prevalence"] = time.perf_counter() - started
    record = {
        "command": "framing topics",
        "corpus": str(args.path),
        "n_articles": len(articles),
        "unit": args.unit,
        "n_units": len(units),
        "parameters": model.get_params(),
        "converged": model.converged_,
        "seconds": {stage: round(value, 1) for stage, value in seconds.items()},
        "code_sha256": code_hash(),
        "software": library_versions(),
    }
    files = {
        args.out / "topic_terms.csv": table_to_csv_bytes(model.top_terms()),
        args.out / "topic_prevalence.csv": table_to_csv_bytes(prevalence),
        args.out / "topics_run.json": (json.dumps(record, indent=2, default=str) + "\n").encode(),
    }
    write_paths_atomically(files)
    units_said = "" if args.unit == "article" else f"{len(units)} {args.unit}s of "
    print(
        f"{args.k} topics ({args.method}) on {units_said}{len(articles)} articles -> "
        + ", ".join(str(path) for path in files)
    )
    return 0


def _cmd_kwic(args: argparse.Namespace) -> int:
    from analysis.kwic import format_kwic, kwic
    from analysis.study.load import load_study

    study = load_study(args.corpus)
    lines = kwic(
        study.sentences, study.articles, args.term, window=args.window, inflections=args.inflections
    )
    if lines.empty:
        print(f"no matches for {args.term!r} in {args.corpus}")
    else:
        print(format_kwic(lines))
    return 0


def _cmd_cite(args: argparse.Namespace) -> int:
    from analysis.outputs.cite import render_citation

    print(render_citation(args.format), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``framing`` command."""
    parser = argparse.ArgumentParser(
        prog="framing",
        description=(
            "Media-framing study of S. Jaishankar's February 2026 US visit: regenerate the "
            "figures, or run the same measures on your own corpus."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    figures = commands.add_parser("figures", help="regenerate every study figure and table")
    figures.add_argument(
        "--corpus", type=Path, default=CORPUS_DIR, help="corpus folder or CSV/JSONL/Parquet file"
    )
    figures.add_argument("--out", type=Path, default=FIGURES_DIR, help="output folder")
    figures.add_argument("--only", action="append", metavar="NAME", help="build only this output")
    figures.add_argument(
        "--force", action="store_true", help="rebuild outputs that are already up to date"
    )
    figures.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes for choosing k and finding shared text (same outputs; default 1)",
    )
    figures.set_defaults(run=_cmd_figures)

    extended = commands.add_parser(
        "extended",
        help="the study at full size: the 114 openings of the seeds and the coverage corpus",
        description=(
            "Build the extended study's figures and tables (five seeds and the 109 articles of "
            "../shared/data/coverage_2026.csv, or FRAMING_SHARED_DATA, each on its opening). "
            "Without the coverage file, keeps the outputs already in --out and says so."
        ),
    )
    extended.add_argument(
        "--out", type=Path, default=FIGURES_DIR / "extended", help="output folder"
    )
    extended.add_argument("--only", action="append", metavar="NAME", help="build only this output")
    extended.add_argument(
        "--force", action="store_true", help="rebuild outputs that are already up to date"
    )
    extended.add_argument(
        "--workers", type=int, default=1, help="processes for choosing k and finding shared text"
    )
    extended.set_defaults(run=_cmd_extended)

    findings = commands.add_parser(
        "findings", help="the extended study's findings, written from figures/extended/ tables"
    )
    findings.add_argument(
        "--tables", type=Path, default=FIGURES_DIR / "extended", help="folder of the tables"
    )
    findings.add_argument(
        "--readme", action="store_true", help="rewrite README.md's findings block with them"
    )
    findings.set_defaults(run=_cmd_findings)

    provenance = commands.add_parser(
        "provenance",
        help="check outputs against this checkout: code hash and file hashes of each sidecar",
        description=(
            "For every provenance sidecar (<name>.json) in the given files or folders, compare "
            "its code_sha256 with the code hash of this checkout and each listed file with its "
            "SHA-256. Exit 0 when all match, 1 otherwise."
        ),
    )
    provenance.add_argument(
        "paths", type=Path, nargs="*", default=[FIGURES_DIR], help="sidecars or folders"
    )
    provenance.set_defaults(run=_cmd_provenance)

    validate = commands.add_parser(
        "validate",
        help="check a corpus and list every problem",
        description=(
            "Check a corpus and list every problem. Without column options: what `framing "
            "figures` and `score` need (columns id, outlet, date, title, text). With --preset "
            "or any --*-col option: what `framing import`, `run`, `reuse` and `topics` need "
            "(id, outlet, text; the rest optional)."
        ),
    )
    validate.add_argument("path", type=Path, help="corpus folder or CSV/JSONL/Parquet file")
    _add_column_options(validate)
    validate.set_defaults(run=_cmd_validate, chunk_size=5000)

    report = commands.add_parser("report", help="build the study report (HTML and Markdown)")
    report.add_argument(
        "--corpus", type=Path, default=CORPUS_DIR, help="corpus folder or CSV/JSONL/Parquet file"
    )
    report.add_argument("--out", type=Path, default=REPORT_DIR, help="folder for report.html/.md")
    report.add_argument(
        "--figures-dir",
        type=Path,
        default=None,
        help="where the figures go (default: OUT/figures); figures already current there, "
        "such as those `framing figures --out DIR` just made, are reused",
    )
    report.add_argument(
        "--study",
        type=Path,
        metavar="FILE",
        help="study description YAML (title, question, frames); default: NAME.study.yaml "
        "beside a corpus file, study.yaml in a corpus folder",
    )
    report.add_argument("--title", help="the report's title (replaces the description's)")
    report.add_argument("--question", help="the study's question, stated under the title")
    report.add_argument(
        "--force", action="store_true", help="rebuild figures that are already up to date"
    )
    report.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes for choosing k and finding shared text (same outputs; default 1)",
    )
    report.set_defaults(run=_cmd_report)

    score = commands.add_parser(
        "score", help="per-article frame (and tone, reuse) measures for any corpus, as CSV"
    )
    score.add_argument("path", type=Path, help="corpus folder or CSV/JSONL/Parquet file")
    score.add_argument("--out", type=Path, required=True, help="CSV file, one row per article")
    score.add_argument("--evidence", type=Path, help="CSV file, one row per indicator hit")
    score.add_argument("--codebook", type=Path, help="frame codebook YAML (default: the study's)")
    score.add_argument("--actors", type=Path, help="actor list YAML (default: the study's)")
    score.set_defaults(run=_cmd_score)

    importer = commands.add_parser(
        "import", help="import a large CSV/JSONL/Parquet corpus (column mapping, outlet names)"
    )
    importer.add_argument("source", type=Path, help="corpus folder, CSV (.csv.xz ...), JSONL")
    importer.add_argument("--out", type=Path, required=True, help="Parquet file to write")
    _add_column_options(importer)
    importer.set_defaults(run=_cmd_import, chunk_size=5000)

    run = commands.add_parser(
        "run", help="per-article and per-outlet measures for a large corpus, chunk by chunk"
    )
    run.add_argument("path", type=Path, help="corpus folder or CSV/JSONL/Parquet file")
    run.add_argument("--out", type=Path, required=True, help="output folder")
    run.add_argument("--workers", type=int, default=1, help="local worker processes")
    run.add_argument(
        "--dask", metavar="ADDRESS", help="Dask scheduler address, or local:N for N local workers"
    )
    run.add_argument("--codebook", type=Path, help="frame codebook YAML (default: the study's)")
    run.add_argument("--actors", type=Path, help="actor list YAML (default: the study's)")
    run.add_argument("--no-cache", action="store_true", help="recompute every chunk")
    run.add_argument(
        "--reuse-sentences",
        type=Path,
        metavar="FILE",
        help="each sentence's reuse status (framing reuse --sentences FILE, on the same corpus):"
        " adds shared_share and the own-text columns",
    )
    _add_column_options(run)
    run.set_defaults(run=_cmd_run)

    reuse = commands.add_parser(
        "reuse", help="pairs of articles that share text (wire copy, rewrites), for any corpus"
    )
    reuse.add_argument("path", type=Path, help="corpus folder or CSV/JSONL/Parquet file")
    reuse.add_argument("--out", type=Path, required=True, help="CSV file, one row per pair")
    reuse.add_argument("--sentences", type=Path, help="CSV file, each sentence's status")
    reuse.add_argument("--articles", type=Path, help="CSV file, each article's shared share")
    reuse.add_argument(
        "--method",
        choices=["auto", "lsh", "all_pairs"],
        default="auto",
        help="candidate pairs: all pairs up to 300 articles, MinHash-LSH beyond (auto)",
    )
    reuse.add_argument(
        "--workers",
        type=int,
        default=1,
        help="local worker processes (cleaning chunks, verifying candidate pairs)",
    )
    _add_column_options(reuse)
    reuse.set_defaults(run=_cmd_reuse, chunk_size=2000)

    topics = commands.add_parser(
        "topics", help="a topic model of any corpus: top terms and prevalence per outlet"
    )
    topics.add_argument("path", type=Path, help="corpus folder or CSV/JSONL/Parquet file")
    topics.add_argument("--out", type=Path, required=True, help="output folder")
    topics.add_argument("-k", type=int, required=True, help="number of topics")
    topics.add_argument("--method", choices=["nmf", "lda"], default="nmf", help="model")
    topics.add_argument(
        "--unit",
        choices=["article", "paragraph", "sentence"],
        default="article",
        help="the texts topics are fitted on (default: article; the study uses paragraphs "
        "because it has only five articles)",
    )
    topics.add_argument(
        "--batch-size", type=int, help="fit on minibatches of N texts (large corpora)"
    )
    topics.add_argument(
        "--max-features", type=int, default=20000, help="vocabulary size (most frequent terms)"
    )
    topics.add_argument(
        "--no-phrases", action="store_true", help="do not merge collocations into terms"
    )
    topics.add_argument(
        "--workers",
        type=int,
        default=1,
        help="local processes that analyse the texts (identical results for any number)",
    )
    _add_column_options(topics)
    topics.set_defaults(run=_cmd_topics, chunk_size=2000)

    kwic = commands.add_parser("kwic", help="every occurrence of a term, in context")
    kwic.add_argument("term", help="a word or phrase (case-insensitive, whole words)")
    kwic.add_argument(
        "--corpus", type=Path, default=CORPUS_DIR, help="corpus folder or CSV/JSONL/Parquet file"
    )
    kwic.add_argument("--window", type=int, default=8, help="words of context on each side")
    kwic.add_argument(
        "--inflections",
        action="store_true",
        help="also match words with the same Porter stem (tariff: tariffs; not irregular "
        "forms such as meet: met)",
    )
    kwic.set_defaults(run=_cmd_kwic)

    cite = commands.add_parser("cite", help="print how to cite the software and the study")
    cite.add_argument("--format", default="bibtex", help="bibtex (default), apa or cff")
    cite.set_defaults(run=_cmd_cite)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _check_options(args)
        _check_paths(args)
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
