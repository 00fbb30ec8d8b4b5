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
