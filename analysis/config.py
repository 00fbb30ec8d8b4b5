"""Paths and study-wide settings, in one place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT / "corpus"
FIGURES_DIR = PROJECT_ROOT / "figures"
REPORT_DIR = PROJECT_ROOT / "report"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
CODEBOOK_DIR = Path(__file__).resolve().parent / "codebooks"
STYLE_FILE = Path(__file__).resolve().parent / "figures" / "study.mplstyle"

#: The larger real corpora live beside the project, never inside it.
SHARED_DATA_DIR = Path(
    os.environ.get("FRAMING_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data")
)


def read_yaml(path: Path) -> Any:
    """The data of a YAML file, safely loaded (with libyaml's loader where PyYAML has it: ten
    times faster than the pure-Python one, which matters for a codebook read once per chunk).
    Raises ``OSError``, ``UnicodeDecodeError`` or ``yaml.YAMLError`` for the caller to report.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


#: One seed for every random step (bootstrap, topic models, MinHash).
RANDOM_SEED = 20260202

#: Fixed timestamp stamped into SVG/PDF metadata so figures are byte-stable (2026-02-04).
SOURCE_DATE_EPOCH = 1770163200

#: Bootstrap resamples for every interval in the study.
N_BOOTSTRAP = 2000


def display_path(path: Path | str) -> str:
    """Return ``path`` relative to the project root when inside it, else absolute.

    Provenance and messages use this so that the same corpus gives the same text whether it was
    named ``corpus``, ``../corpus`` or an absolute path.
    """
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return resolved.as_posix()
