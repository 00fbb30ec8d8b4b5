"""Shared fixtures: the study corpus loaded once, small corpus writers, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.core.config import CORPUS_DIR, PROJECT_ROOT, SHARED_DATA_DIR
from analysis.study.load import Study, load_study


@pytest.fixture(scope="session")
def study() -> Study:
    """The study corpus (the five seed articles), loaded, cleaned and split once."""
    return load_study(CORPUS_DIR)


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli():
    """Run ``python -m analysis ARGS`` in a subprocess, as a user would, and capture it."""

    def run(*args: str, cwd: Path = PROJECT_ROOT) -> CliResult:
        completed = subprocess.run(
            [sys.executable, "-m", "analysis", *map(str, args)],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        return CliResult(completed.returncode, completed.stdout, completed.stderr)

    return run


@pytest.fixture
def shared_data() -> Path:
    """The shared real corpora folder; the test is skipped when it is absent."""
    if not SHARED_DATA_DIR.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA_DIR} (set FRAMING_SHARED_DATA)")
    return SHARED_DATA_DIR


@pytest.fixture
def users_corpus_and_codebook(tmp_path: Path, study: Study) -> tuple[Path, Path]:
    """A user's corpus (two seed articles under ids no hand coding knows) and a codebook of
    the study's frames without the two the framing index contrasts."""
    import yaml

    from analysis.framing.codebook import INDEX_FRAMES, STUDY_CODEBOOK
    from analysis.io.corpus import write_corpus_csv

    raw = yaml.safe_load(STUDY_CODEBOOK.read_text(encoding="utf-8"))
    raw["frames"] = [frame for frame in raw["frames"] if frame["id"] not in INDEX_FRAMES]
    codebook = tmp_path / "mine.yaml"
    codebook.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    corpus = tmp_path / "mine.csv"
    write_corpus_csv(study.articles.head(2).assign(doc_id=["mine_a", "mine_b"]), corpus)
    return corpus, codebook
