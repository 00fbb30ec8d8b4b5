"""One code path for figures: byte-stable renders, provenance, and figures/ up to date."""

from __future__ import annotations

import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.config import FIGURES_DIR
from analysis.figures import REGISTRY, build_all
from analysis.figures.registry import figure_bytes, render
from analysis.figures.spec import INCHES_PER_OUTLET
from analysis.provenance import VOLATILE_FIELDS, sha256_bytes

PLOTTED = [name for name, spec in REGISTRY.items() if spec.plot is not None]


@pytest.mark.parametrize("name", PLOTTED)
def test_render_twice_gives_identical_bytes(study, name):
    spec = REGISTRY[name]
    table = spec.compute(study)
    first = figure_bytes(spec, render(spec, table))
    second = figure_bytes(spec, render(spec, spec.compute(study)))
    assert first.keys() == {f"{name}.png", f"{name}.svg"}
    for file_name in first:
        assert first[file_name] == second[file_name], file_name


@pytest.mark.parametrize("name", PLOTTED)
def test_plot_functions_draw_on_the_axes_they_are_given(study, name):
    spec = REGISTRY[name]
    figure, axes = plt.subplots(*spec.layout, figsize=spec.figsize)
    returned = spec.plot(spec.compute(study), axes)
    assert returned is axes
    drawn = np.ravel(axes)
    assert any(ax.has_data() or ax.images or ax.texts for ax in drawn)
    plt.close(figure)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory, study):
    out_dir = tmp_path_factory.mktemp("figures")
    build_all(study=study, out_dir=out_dir)
    return out_dir


def _comparable(path):
    if path.suffix == ".json":
        record = json.loads(path.read_text())
        for field in VOLATILE_FIELDS:
            record.pop(field, None)
        return record
    return path.read_bytes()


def test_committed_figures_match_a_fresh_build(regenerated):
    """figures/ must be what the code makes from the corpus now: run `make figures` and commit."""
    fresh = sorted(path.name for path in regenerated.iterdir())
    committed = sorted(path.name for path in FIGURES_DIR.iterdir() if not path.name.startswith("."))
    assert committed == fresh, "figures/ has files the registry does not make, or lacks some"
    stale = [
        name for name in fresh if _comparable(regenerated / name) != _comparable(FIGURES_DIR / name)
    ]
    assert not stale, f"stale in figures/ (run `make figures`): {stale}"


def test_every_output_has_a_sidecar_whose_hashes_match(regenerated):
    for name in REGISTRY:
        record = json.loads((regenerated / f"{name}.json").read_text())
        assert record["output"] == name
        assert record["corpus"]["path"] == "corpus" and len(record["corpus"]["sha256"]) == 64
        assert record["command"].startswith(f"framing figures --only {name}")
        assert record["package"]["version"] and record["code_sha256"]
        for file_name, digest in record["files"].items():
            assert sha256_bytes((regenerated / file_name).read_bytes()) == digest


def test_cli_builds_the_same_bytes_as_the_python_call(regenerated, run_cli, tmp_path):
    result = run_cli("figures", "--only", "corpus_overview", "--out", tmp_path)
    assert result.code == 0, result.stderr
    for suffix in (".png", ".svg", ".csv", ".json"):
        file_name = f"corpus_overview{suffix}"
        assert (tmp_path / file_name).read_bytes() == (regenerated / file_name).read_bytes()


def test_figures_for_another_corpus_record_it(tmp_path, study):
    from analysis.corpus import write_corpus_csv

    corpus_csv = tmp_path / "mine.csv"
    write_corpus_csv(study.articles.head(2), corpus_csv)
    built = build_all(corpus=corpus_csv, out_dir=tmp_path / "out", only=["corpus_overview"])
    record = json.loads(built[0].paths[-1].read_text())
    assert record["corpus"]["n_articles"] == 2
    assert record["corpus"]["path"].endswith("mine.csv")
    assert "--corpus" in record["command"]


def test_rerun_with_nothing_changed_rebuilds_nothing_and_repairs_a_changed_file(tmp_path, run_cli):
    out = tmp_path / "figures"
    assert run_cli("figures", "--out", out, "--only", "corpus_overview").code == 0
    first = run_cli("figures", "--out", out)
    assert first.code == 0 and "up to date" in first.stdout
    second = run_cli("figures", "--out", out)
    assert "every output" in second.stdout and "is up to date" in second.stdout
    png = out / "corpus_overview.png"
    original = png.read_bytes()
    png.write_bytes(original + b"tampered")
    third = run_cli("figures", "--out", out)
    assert "wrote 1 outputs" in third.stdout, third.stdout
    assert png.read_bytes() == original


def test_another_corpus_never_writes_into_the_study_folders(tmp_path, run_cli, study):
    from analysis.config import FIGURES_DIR, REPORT_DIR
    from analysis.corpus import write_corpus_csv

    corpus = tmp_path / "mine.csv"
    write_corpus_csv(study.articles.head(2).drop(columns=["clean_text"]), corpus)
    before = {path: path.stat().st_mtime_ns for path in FIGURES_DIR.iterdir()}
    figures = run_cli("figures", "--corpus", corpus, "--only", "corpus_overview")
    assert figures.code == 2 and "--out" in figures.stderr and "Traceback" not in figures.stderr
    report = run_cli("report", "--corpus", corpus)
    assert report.code == 2 and "--out" in report.stderr
    assert {path: path.stat().st_mtime_ns for path in FIGURES_DIR.iterdir()} == before
    assert not (REPORT_DIR / "figures").exists()


def test_figures_with_a_row_per_outlet_grow_with_the_outlets():
    spec = REGISTRY["framing_index"]
    assert spec.outlet_rows
    few = pd.DataFrame({"outlet": ["A", "B", "C"]})
    many = pd.DataFrame({"outlet": [f"outlet {i}" for i in range(90)]})
    assert spec.size(few) == spec.figsize  # the study's figures keep their size
    width, height = spec.size(many)
    assert width == spec.figsize[0]
    assert height >= 90 * INCHES_PER_OUTLET > spec.figsize[1]
    # a figure laid out in two rows of panels gives every row the outlets' height
    two_rows = REGISTRY["topic_prevalence"]
    assert two_rows.outlet_rows and two_rows.layout[0] == 2
    assert two_rows.size(many)[1] >= 2 * 90 * INCHES_PER_OUTLET
    # figures without a row per outlet keep their size
    assert REGISTRY["topic_quality"].size(many) == REGISTRY["topic_quality"].figsize
