"""The path checks of the ``framing`` commands, made before anything is read: inputs that exist,
outputs that can be written and never overwrite an input, and the study's own output folders
kept for the study's corpus.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from analysis.cli.options import flag
from analysis.core.config import CODEBOOK_DIR, CORPUS_DIR
from analysis.core.errors import InputError

#: What each command reads, writes to files, and writes into folders (with the file names it
#: writes there; ``None``: many, so no input may lie anywhere inside the folder).
_INPUT_OPTIONS = ("path", "source", "corpus", "codebook", "actors", "reuse_sentences")
_OUTPUT_FILES = {
    "score": ("out", "evidence"),
    "import": ("out",),
    "reuse": ("out", "sentences", "articles"),
}
_OUTPUT_FOLDERS: dict[str, dict[str, tuple[str, ...] | None]] = {
    "run": {
        "out": ("scores.parquet", "scores.csv", "outlets.csv", "run.json", ".cache"),
        "cache": None,
    },
    "reuse": {"cache": None},
    "topics": {
        "out": ("topic_terms.csv", "topic_prevalence.csv", "topics_run.json"),
        "cache": None,
    },
    "figures": {"out": None, "cache": None},
    "report": {"out": None, "figures_dir": None},
}
#: Commands that read the study's codebook and actor list when none is given.
_USES_CODEBOOK = ("figures", "report", "score", "run", "kwic")


def _input_paths(args: argparse.Namespace) -> dict[Path, str]:
    """Every file or folder the command reads, resolved, with the option that names it."""
    inputs: dict[Path, str] = {}
    for option in _INPUT_OPTIONS:
        value = getattr(args, option, None)
        if value is not None:
            inputs[Path(value).resolve()] = option if option in ("path", "source") else flag(option)
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


def check_paths(args: argparse.Namespace) -> None:
    """Output paths, before anything is read: a file where a file goes, a folder where a folder
    goes, somewhere writable, never an input of the command, and no two outputs the same."""
    inputs = _input_paths(args)
    outputs: dict[Path, str] = {}
    for option in _OUTPUT_FILES.get(args.command, ()):
        path = getattr(args, option, None)
        if path is None:
            continue
        option_flag = flag(option)
        if path.is_dir():
            raise InputError(f"{option_flag}: {path} is a folder: give a file name")
        _writable(option_flag, path, folder=False)
        overwritten = _overwrites(path, inputs)
        if overwritten:
            raise InputError(
                f"{option_flag}: {path} is an input ({overwritten}): give another file"
            )
        if path.resolve() in outputs:
            raise InputError(
                f"{option_flag}: {path} is also {outputs[path.resolve()]}: give another file"
            )
        outputs[path.resolve()] = option_flag
    for option, names in _OUTPUT_FOLDERS.get(args.command, {}).items():
        path = getattr(args, option, None)
        if path is None:
            continue
        option_flag = flag(option)
        if path.exists() and not path.is_dir():
            raise InputError(f"{option_flag}: {path} is a file: give a folder")
        _writable(option_flag, path, folder=True)
        if path.resolve() in inputs:
            raise InputError(
                f"{option_flag}: {path} is an input ({inputs[path.resolve()]}): give another folder"
            )
        targets = [path / name for name in names] if names is not None else []
        for target in targets:
            overwritten = _overwrites(target, inputs)
            if overwritten:
                raise InputError(
                    f"{option_flag}: {path}: writing {target.name} would overwrite an input "
                    f"({overwritten}): give another folder"
                )
        if names is None:
            inside = next((i for i in inputs if i.is_relative_to(path.resolve())), None)
            if inside is not None:
                raise InputError(
                    f"{option_flag}: {path} holds an input ({inputs[inside]}: {inside}): its "
                    "outputs could overwrite it; give another folder"
                )


def refuse_study_folder(args: argparse.Namespace, option: str, study_folder: Path) -> None:
    """A corpus other than the study's, or another codebook or actor list, must not write into
    the study's committed outputs: ``study_folder`` or a folder inside it (checked before the
    corpus is read)."""
    other_corpus = Path(args.corpus).resolve() != CORPUS_DIR.resolve()
    other_inputs = any(getattr(args, name, None) is not None for name in ("codebook", "actors"))
    folder = Path(getattr(args, option))
    if (other_corpus or other_inputs) and folder.resolve().is_relative_to(study_folder.resolve()):
        option_flag = "--" + option.replace("_", "-")
        where = (
            f"{study_folder} holds"
            if folder.resolve() == study_folder.resolve()
            else f"{folder} is in {study_folder}, which holds"
        )
        raise InputError(
            f"{option_flag}: {where} the study's own outputs; give another folder for "
            f"{args.corpus}{' with your codebook or actors' if other_inputs else ''} "
            f"(e.g. {option_flag} my_{study_folder.name})"
        )


def require_codebook_and_actors(args: argparse.Namespace) -> None:
    """``--codebook`` and ``--actors``, where given, must be files, and valid ones: they are
    read and checked here, before the corpus is, so that a mistake in them stops the command
    at once, with nothing cleaned or cached first."""
    from analysis.framing.codebook import load_codebook
    from analysis.voices.actors import load_actors

    for option, path, load in (
        ("--codebook", args.codebook, load_codebook),
        ("--actors", args.actors, load_actors),
    ):
        if path is not None:
            if not path.is_file():
                raise InputError(f"{option}: {path}: no such file")
            load(path)
