"""Releasing derived tables during a build (``framing figures``): the declarations of which
tables each output and each table read are the reads the code makes, and an output built after
tables were released is byte for byte the output built without releasing any."""

from __future__ import annotations

import dataclasses
import os

import pandas as pd
import pytest

from analysis.core.config import CORPUS_DIR, FIGURES_DIR
from analysis.core.parallel import side_process
from analysis.outputs.figures import REGISTRY, build_all
from analysis.outputs.figures.registry import build_figures
from analysis.study import measures
from analysis.study.load import ReleasedTableError, Study, load_study


def test_declared_tables_are_the_tables_the_code_reads():
    """Each output's ``FigureSpec.tables`` is what its table function reads from the study, and
    ``measures.NEEDS`` what each derived table is computed from: recorded on a fresh study,
    every output computed once in report order (so every table is computed once, inside the
    first output that reads it, and its reads are all recorded)."""
    study = load_study(CORPUS_DIR)
    computed_from: dict[str, set[str]] = {}
    for name, spec in REGISTRY.items():
        study.reads = {}
        spec.compute(study)
        assert study.reads.pop(None, set()) == set(spec.tables), name
        for table, reads in study.reads.items():
            computed_from.setdefault(table, set()).update(reads)
    assert computed_from, "no derived table was computed"
    for table, reads in computed_from.items():
        assert reads == set(measures.NEEDS[table]), table


def _files(folder, names):
    return {
        path.name: path.read_bytes()
        for name in names
        for path in folder.glob(f"{name}.*")
        if path.suffix in {".png", ".svg", ".csv"}
    }


def test_outputs_built_after_releases_are_the_committed_ones(tmp_path, monkeypatch):
    """Outputs in an order that releases tables between them (the reuse and topic tables live
    across several outputs, the frame and tone tables are released halfway), with the same
    bytes as the committed figures/ (which tests/test_figures.py checks against a build that
    releases nothing)."""
    released = []
    release = Study.release

    def recording(self, keep):
        self.strict_release = True  # an undeclared read fails here rather than recomputing
        names = release(self, keep)
        released.extend(names)
        return names

    monkeypatch.setattr(Study, "release", recording)
    order = [
        "frame_evidence",
        "reuse_pairs",
        "sentence_tone",
        "frame_validation",
        "topic_terms",
        "actor_tone",
        "distinctive_terms",
        "frame_shares_own_text",
        "reuse_sentences",
        "topic_prevalence",
    ]
    built = build_all(corpus=CORPUS_DIR, out_dir=tmp_path, only=order, release=True)
    assert all(item.table is None and item.figure is None for item in built)
    assert {"evidence", "tone_per_sentence", "segments", "reuse_detection"} <= set(released)
    fresh, committed = _files(tmp_path, order), _files(FIGURES_DIR, order)
    assert fresh.keys() == committed.keys()
    assert [name for name in fresh if fresh[name] != committed[name]] == []


def test_a_missing_declaration_fails_a_strict_build(tmp_path):
    """An output that reads a table it does not declare, built after one that released it,
    stops a strict build (it is not silently computed again, nor drawn from nothing)."""
    study = load_study(CORPUS_DIR)
    study.strict_release = True
    undeclared = dataclasses.replace(REGISTRY["frame_evidence"], tables=())
    registry = {"frame_shares": REGISTRY["frame_shares"], "frame_evidence": undeclared}
    with pytest.raises(ReleasedTableError, match="'evidence' was released"):
        build_figures(registry, study, tmp_path, release=True)
    declared = dict(registry, frame_evidence=REGISTRY["frame_evidence"])
    built = build_figures(declared, load_study(CORPUS_DIR), tmp_path, release=True)
    assert [item.spec.name for item in built] == ["frame_shares", "frame_evidence"]


def test_release_keeps_what_is_asked_and_what_was_provided():
    study = load_study(CORPUS_DIR)
    measures.frames_per_sentence(study)
    study.provide("reuse_per_sentence", measures.frames_per_sentence(study).head(0))
    released = study.release(measures.needed(["frames_per_title"]))
    assert "evidence" in released and "frames_per_sentence" in released
    assert "reuse_per_sentence" not in released
    measures.frames_per_title(study)  # kept: computed from the codebook, also kept
    study.strict_release = True
    with pytest.raises(ReleasedTableError):
        measures.evidence(study)


def test_a_released_table_read_again_is_computed_again(tmp_path, capsys, monkeypatch):
    """Outside a strict build, an undeclared read of a released table costs time, not the
    build: the table is computed again, the log says so, and the output has the same bytes as
    one built without releasing."""
    monkeypatch.setenv("FRAMING_PROGRESS", "log")
    undeclared = dataclasses.replace(REGISTRY["frame_evidence"], tables=())
    registry = {"frame_shares": REGISTRY["frame_shares"], "frame_evidence": undeclared}
    built = build_figures(registry, load_study(CORPUS_DIR), tmp_path / "released", release=True)
    assert [item.note for item in built] == [None, None]
    assert "derived table evidence was released and is read again" in capsys.readouterr().err
    build_figures(registry, load_study(CORPUS_DIR), tmp_path / "kept")
    names = ["frame_evidence"]
    released, kept = _files(tmp_path / "released", names), _files(tmp_path / "kept", names)
    assert released and released == kept


def test_a_releasing_build_finds_shared_text_before_any_other_table(tmp_path, monkeypatch):
    """Shared text (found in forked workers) is computed before every other derived table when
    an output to build needs it, and not at all when none does; the outputs are the same."""
    computed: list[str] = []
    derived = Study.derived

    def recording(self, name, compute):
        if name not in self._derived:
            computed.append(name)
        return derived(self, name, compute)

    monkeypatch.setattr(Study, "derived", recording)
    names = ["frame_shares", "frame_shares_own_text"]
    registry = {name: REGISTRY[name] for name in names}
    build_figures(registry, load_study(CORPUS_DIR), tmp_path, release=True)
    assert computed[0] == "reuse_detection"
    assert computed.count("reuse_detection") == 1
    assert _files(tmp_path, names) == _files(FIGURES_DIR, names)
    computed.clear()
    build_figures({"frame_shares": REGISTRY["frame_shares"]}, load_study(CORPUS_DIR), tmp_path)
    build_figures(
        {"frame_shares": REGISTRY["frame_shares"]}, load_study(CORPUS_DIR), tmp_path, release=True
    )
    assert "reuse_detection" not in computed


def _drawn_badly(table, axes):
    raise ValueError("drawn badly")


def test_figures_drawn_in_a_side_process_are_the_committed_ones(tmp_path, monkeypatch, capsys):
    """With two workers, ``framing figures`` draws the figures of tables up to
    ``MAX_ROWS_DRAWN_BESIDE`` rows in a side process while it computes the next tables: the
    same bytes as the committed figures/, written and logged in report order; a larger table
    is drawn in this process; an error while drawing there reaches the caller."""
    from analysis.outputs.figures import registry as registry_module

    monkeypatch.setenv("FRAMING_PROGRESS", "log")  # log lines even once ipykernel is imported
    main, drawn_here = os.getpid(), []
    render = registry_module.render

    def recording(spec, table):
        if os.getpid() == main:  # the side process's calls stay in its own copy of the list
            drawn_here.append(spec.name)
        return render(spec, table)

    monkeypatch.setattr(registry_module, "render", recording)
    monkeypatch.setattr(registry_module, "MAX_ROWS_DRAWN_BESIDE", 60)
    order = ["frame_shares", "sentence_tone", "framing_index", "reuse_pairs", "topic_prevalence"]
    built = build_all(corpus=CORPUS_DIR, out_dir=tmp_path, only=order, release=True, workers=2)
    assert [item.spec.name for item in built] == order
    fresh, committed = _files(tmp_path, order), _files(FIGURES_DIR, order)
    assert fresh.keys() == committed.keys()
    assert [name for name in fresh if fresh[name] != committed[name]] == []
    rows = {name: len(pd.read_csv(FIGURES_DIR / f"{name}.csv")) for name in order}
    assert drawn_here == [
        name for name in order if rows[name] > 60 and (FIGURES_DIR / f"{name}.png").exists()
    ]
    assert 0 < len(drawn_here) < 4  # some drawn here, some beside
    lines = [line for line in capsys.readouterr().err.splitlines() if " figure " in line]
    assert [line.split()[2] for line in lines] == [f"{n}/{len(order)}" for n in range(1, 6)]
    beside = [line.split()[3].rstrip(":") for line in lines if line.endswith("drawn beside)")]
    drawn = [name for name in order if (FIGURES_DIR / f"{name}.png").exists()]
    assert beside == [name for name in drawn if name not in drawn_here]

    broken = {"frame_shares": dataclasses.replace(REGISTRY["frame_shares"], plot=_drawn_badly)}
    with side_process() as drawer, pytest.raises(ValueError, match="drawn badly"):
        build_figures(broken, load_study(CORPUS_DIR), tmp_path / "broken", drawer=drawer)
    assert not (tmp_path / "broken" / "frame_shares.csv").exists()
