"""Progress (issue 23): bars on a terminal, one line per stage in a log, nothing in notebooks."""

from __future__ import annotations

import re

import pytest

from analysis.core.progress import log_line, progress, progress_mode


@pytest.fixture
def log_mode(monkeypatch):
    monkeypatch.delenv("FRAMING_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)


def test_a_log_gets_one_line_per_stage_with_its_count_and_time(log_mode, capsys, monkeypatch):
    monkeypatch.delitem(__import__("sys").modules, "ipykernel", raising=False)
    assert progress_mode() == "log"
    # loops over input print nothing (an error after them stays the only line)
    assert list(progress(range(3), desc="checking", unit="chunk")) == [0, 1, 2]
    log_line("figure 1/2 corpus_overview: built (0.4 s)")
    assert capsys.readouterr().err == "framing: figure 1/2 corpus_overview: built (0.4 s)\n"


def test_the_environment_variable_chooses_and_a_notebook_is_quiet(capsys, monkeypatch):
    monkeypatch.setenv("FRAMING_PROGRESS", "off")
    list(progress(range(3), desc="x"))
    log_line("nothing")
    assert capsys.readouterr().err == ""
    monkeypatch.delenv("FRAMING_PROGRESS")
    monkeypatch.setitem(__import__("sys").modules, "ipykernel", object())
    assert progress_mode() == "off"


def test_figures_in_a_log_say_where_the_time_goes(run_cli, tmp_path, study):
    """`framing figures` with standard error going to a file: a line for loading, for choosing
    k and for each output, no bar (no carriage return)."""
    from analysis.io.corpus import write_corpus_csv

    corpus = tmp_path / "two.csv"
    write_corpus_csv(study.articles.head(2), corpus)
    result = run_cli("figures", "--corpus", corpus, "--out", tmp_path / "out")
    assert result.code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "\r" not in result.stderr and all(line.startswith("framing: ") for line in lines)
    assert re.match(r"framing: loaded 2 articles, \d+ sentences \(\d+\.\d s\)", lines[0])
    assert any(line.startswith("framing: choosing k (nmf): ") for line in lines)
    figures = [line for line in lines if re.match(r"framing: figure \d+/\d+ ", line)]
    from analysis.outputs.figures import REGISTRY

    assert len(figures) == len(REGISTRY)
    assert all(re.search(r"\(\d+\.\d s\)$", line) for line in figures)
