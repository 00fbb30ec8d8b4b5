"""One code path for figures: byte-stable renders, provenance, and figures/ up to date."""

from __future__ import annotations

import itertools
import json
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.core.config import FIGURES_DIR
from analysis.framing.codebook import load_codebook
from analysis.outputs.figures import REGISTRY, build_all
from analysis.outputs.figures.corpus import MAX_ARTICLE_BARS, date_columns
from analysis.outputs.figures.registry import figure_bytes, render
from analysis.outputs.figures.reuse import MAX_LABELLED_ARTICLES
from analysis.outputs.figures.sentiment import MAX_OUTLET_COLUMNS
from analysis.outputs.figures.spec import (
    INCHES_PER_OUTLET,
    MAX_VECTOR_POINTS,
    PANEL_MARGIN_INCHES,
    rasterize_points,
)
from analysis.sentiment import VOICES
from analysis.study.figure_tables import UNDATED, VOICE_PANELS
from analysis.study.provenance import VOLATILE_FIELDS, sha256_bytes

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
    committed = sorted(  # figures/extended/ is the extended study's (tests/test_extended.py)
        path.name
        for path in FIGURES_DIR.iterdir()
        if path.is_file() and not path.name.startswith(".")
    )
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
    from analysis.io.corpus import write_corpus_csv

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
    from analysis.core.config import FIGURES_DIR, REPORT_DIR
    from analysis.io.corpus import write_corpus_csv

    corpus = tmp_path / "mine.csv"
    write_corpus_csv(study.articles.head(2).drop(columns=["clean_text"]), corpus)
    before = {path: path.stat().st_mtime_ns for path in FIGURES_DIR.iterdir()}
    figures = run_cli("figures", "--corpus", corpus, "--only", "corpus_overview")
    assert figures.code == 2 and "--out" in figures.stderr and "Traceback" not in figures.stderr
    report = run_cli("report", "--corpus", corpus)
    assert report.code == 2 and "--out" in report.stderr
    # a folder inside figures/ too, refused as --out (it said "out_dir", the notebooks'
    # parameter) and before the corpus is read (it printed "loaded ..." first)
    inside = run_cli("figures", "--corpus", corpus, "--out", FIGURES_DIR / "mine")
    assert inside.code == 2 and inside.stderr.startswith("error: --out: ")
    assert "which holds the study's own outputs" in inside.stderr
    assert "loaded" not in inside.stderr and not (FIGURES_DIR / "mine").exists()
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


def test_a_model_with_few_topics_is_drawn_without_blank_panels():
    spec = REGISTRY["topic_prevalence"]
    outlets = [f"outlet {i}" for i in range(60)]
    table = pd.DataFrame(
        [
            {"outlet": o, "topic": t, "label": f"{t}: a, b", "estimate": 0.5, "low": 0.4}
            for t in (1, 2)
            for o in outlets
        ]
    ).assign(high=0.6)
    assert spec.grid(table) == (1, 2)
    assert spec.size(table)[1] == pytest.approx(60 * INCHES_PER_OUTLET + PANEL_MARGIN_INCHES)
    figure = render(spec, table)
    assert [ax.get_visible() for ax in figure.axes] == [True, True]
    eight = pd.concat([table.assign(topic=t) for t in range(1, 9)], ignore_index=True)
    assert spec.grid(eight) == spec.layout  # the study's eight topics keep the full grid


def test_frame_shares_of_many_long_named_outlets_keep_their_panels():
    # 5,000 AllSides articles (164 outlets) collapsed the panels: three columns of outlet
    # names left the plots no width ("constrained_layout not applied")
    spec = REGISTRY["frame_shares"]
    codebook_frames = load_codebook().frame_ids
    outlets = [f"Outlet {i:03d} - News" for i in range(160)] + [
        f"The Reporters Committee for Freedom of the Press, Desk {i}" for i in range(4)
    ]
    table = pd.DataFrame(
        [
            {"outlet": o, "frame": f, "estimate": 0.2, "low": 0.1, "high": 0.3}
            for f in codebook_frames
            for o in outlets
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure = render(spec, table)
        figure_bytes(spec, figure)
    labelled = [
        any(label.get_text() for label in ax.get_yticklabels())
        for ax in figure.axes
        if ax.get_visible()
    ]
    columns = spec.grid(table)[1]
    assert labelled == [number % columns == 0 for number in range(len(codebook_frames))]
    assert all(ax.get_position().width > 0.1 for ax in figure.axes if ax.get_visible())
    # no blank band above and below the outlets (matplotlib's margins were 8 rows here)
    assert figure.axes[0].get_ylim() == pytest.approx((-0.6, len(outlets) - 0.4))


def test_many_dates_are_grouped_into_the_finest_period_that_fits():
    six_weeks = pd.Series(pd.date_range("2026-01-05", periods=42).strftime("%Y-%m-%d"))
    columns, unit = date_columns(pd.concat([six_weeks, pd.Series([UNDATED])], ignore_index=True))
    assert unit == "week"
    assert columns.iloc[0] == "2026-01-05" and columns.iloc[6] == "2026-01-05"  # Monday to Sunday
    assert columns.iloc[7] == "2026-01-12"
    assert columns.iloc[-1] == UNDATED  # undated articles keep their own column
    assert columns.nunique() == 6 + 1
    two_years = pd.Series(pd.date_range("2019-01-01", "2020-12-31", freq="5D").strftime("%Y-%m-%d"))
    columns, unit = date_columns(two_years)
    assert (unit, columns.nunique(), columns.iloc[0]) == ("month", 24, "2019-01")
    nine_years = pd.Series(
        pd.date_range("2012-01-01", "2020-12-31", freq="5D").strftime("%Y-%m-%d")
    )
    assert date_columns(nine_years)[1] == "year"  # 36 quarters would be too many
    few = pd.Series(["2026-02-02", "2026-02-03", UNDATED])
    columns, unit = date_columns(few)
    assert unit == "date" and columns.equals(few)


def test_the_overview_of_a_large_corpus_draws_a_histogram_and_period_columns():
    rng = np.random.default_rng(0)
    n_articles = MAX_ARTICLE_BARS + 1
    table = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(n_articles)],
            "outlet": rng.choice(["A", "B"], n_articles),
            "date": pd.date_range("2020-01-01", periods=n_articles, freq="3D").strftime("%Y-%m-%d"),
            "wire": "none credited",
            "n_sentences": rng.integers(5, 50, n_articles),
            "n_words": rng.integers(100, 2000, n_articles),
        }
    )
    spec = REGISTRY["corpus_overview"]
    figure, axes = plt.subplots(*spec.layout, figsize=spec.figsize)
    timeline, length, _ = spec.plot(table, axes)
    assert timeline.get_title() == "Articles per outlet and publication week"
    weeks = pd.to_datetime(table["date"]).dt.to_period("W").nunique()
    assert len(timeline.get_xticks()) == weeks
    assert len(length.patches) == 40  # histogram bins, not one bar per article
    assert sum(patch.get_height() for patch in length.patches) == n_articles
    assert f"{n_articles:,} articles" in length.get_title()
    plt.close(figure)


def test_actor_tone_of_many_outlets_puts_outlets_in_rows_without_cell_labels():
    def actor_table(n_outlets: int) -> pd.DataFrame:
        cells = [
            (actor, f"outlet {o:02d}", voice, 0.1 * (o % 5) - 0.2, 3)
            for actor in ["Rubio", "Trump"]
            for o in range(n_outlets)
            for voice in VOICES
        ]
        return pd.DataFrame(cells, columns=["actor", "outlet", "voice", "estimate", "n_segments"])

    spec = REGISTRY["actor_tone"]
    for n_outlets, outlets_as_rows in [(MAX_OUTLET_COLUMNS, False), (MAX_OUTLET_COLUMNS + 1, True)]:
        table = actor_table(n_outlets)
        figure, axes = plt.subplots(*spec.layout, figsize=spec.size(table))
        narration, _ = spec.plot(table, axes)
        rows = [label.get_text() for label in narration.get_yticklabels()]
        columns = [label.get_text() for label in narration.get_xticklabels()]
        if outlets_as_rows:
            assert rows == sorted(table["outlet"].unique()) and columns == ["Rubio", "Trump"]
            assert not narration.texts
        else:
            assert rows == ["Rubio", "Trump"] and len(columns) == n_outlets
            assert len(narration.texts) == 2 * n_outlets  # mean and count in every cell
        plt.close(figure)


def test_figures_with_worker_processes_are_the_same_bytes(run_cli, tmp_path):
    out = tmp_path / "out"
    refused = run_cli("figures", "--out", out, "--workers", "0")
    assert refused.code == 2
    assert refused.stderr.splitlines() == ["error: --workers: 0: give 1 or more processes"]
    assert not out.exists()
    built = run_cli("figures", "--out", out, "--only", "topic_quality", "--workers", "2")
    assert built.code == 0, built.stderr
    for suffix in (".png", ".svg", ".csv"):
        name = f"topic_quality{suffix}"
        assert (out / name).read_bytes() == (FIGURES_DIR / name).read_bytes(), name


def test_a_tone_scatter_of_many_units_is_an_image_in_the_svg_and_stays_byte_stable():
    # the first 5,000 AllSides articles drew every sentence and segment as a vector dot: 57 MB
    spec = REGISTRY["sentence_tone"]
    rng = np.random.default_rng(0)

    def units(n_per_voice):
        rows = []
        for voice in ("all", "narration", "quotation"):
            for outlet in ("A", "B"):
                rows.append(
                    pd.DataFrame(
                        {
                            "outlet": outlet,
                            "voice": voice,
                            "compound": rng.uniform(-1, 1, n_per_voice),
                            "outlet_mean": 0.1,
                            "outlet_low": 0.0,
                            "outlet_high": 0.2,
                            "n_units": n_per_voice,
                        }
                    )
                )
        return pd.concat(rows, ignore_index=True)

    few, many = units(MAX_VECTOR_POINTS // 4), units(MAX_VECTOR_POINTS)
    assert not rasterize_points(MAX_VECTOR_POINTS // 2) and rasterize_points(2 * MAX_VECTOR_POINTS)
    few_svg = figure_bytes(spec, render(spec, few))["sentence_tone.svg"]
    many_svg = figure_bytes(spec, render(spec, many))["sentence_tone.svg"]
    assert b"<image" not in few_svg
    assert many_svg.count(b"<image") == len(VOICE_PANELS)  # one image of dots per panel
    assert len(many_svg) < len(few_svg)  # four times the dots, fewer bytes
    assert figure_bytes(spec, render(spec, many))["sentence_tone.svg"] == many_svg


def test_the_heatmap_of_many_articles_names_every_column_without_overlap():
    # 30 AllSides articles: names slanted at 35 degrees ran into each other
    spec = REGISTRY["reuse_heatmap"]
    labels = [f"Fox Online News ({i:02d}GT5ByV4)" for i in range(MAX_LABELLED_ARTICLES * 2)]
    table = pd.DataFrame(
        [
            {
                "doc_id": f"d{i}",
                "label": a,
                "other_doc_id": f"d{j}",
                "other_label": b,
                "share": 0.5 if (i + j) % 7 == 0 else 0.0,
            }
            for i, a in enumerate(labels)
            for j, b in enumerate(labels)
            if a != b
        ]
    )
    figure = render(spec, table)
    figure.canvas.draw()
    ax = figure.axes[0]
    boxes = [label.get_window_extent() for label in ax.get_xticklabels()]
    assert len(boxes) == len(labels)
    assert all(left.x1 <= right.x0 for left, right in itertools.pairwise(boxes))


def test_study_only_wording_is_in_the_study_captions_and_gone_for_another_corpus(study, tmp_path):
    """Issue 23, item 1: each phrase kept for the study is still in its output's title or
    caption (so a reworded caption cannot leave a stale phrase), the study's own outputs keep
    them, and another corpus's outputs have none."""
    from analysis.io.corpus import write_corpus_csv
    from analysis.outputs.figures.registry import STUDY_ONLY_WORDING, for_corpus
    from analysis.study.load import load_study

    for name, phrases in STUDY_ONLY_WORDING.items():
        spec = REGISTRY[name]
        assert for_corpus(spec, study) is spec
        for study_text, _ in phrases:
            assert study_text in spec.title + spec.caption, (name, study_text)
    corpus = tmp_path / "other.csv"
    write_corpus_csv(study.articles.head(2), corpus)
    other = load_study(corpus)
    for name, phrases in STUDY_ONLY_WORDING.items():
        adapted = for_corpus(REGISTRY[name], other)
        for study_text, general_text in phrases:
            assert study_text not in adapted.title + adapted.caption
            assert general_text in adapted.title + adapted.caption
    assert "Downturn or convergence?" not in for_corpus(REGISTRY["framing_index"], other).title


def test_a_codebook_without_the_index_frames_gets_notes_where_it_cannot_be_scored(
    tmp_path, users_corpus_and_codebook
):
    # a user's corpus with a codebook of other frames: the notebook stopped with a KeyError at
    # the framing index, then at the validation against the study's hand codes
    from IPython.display import Image, Markdown

    from analysis.outputs.figures import show
    from analysis.study.load import load_study

    corpus, codebook = users_corpus_and_codebook
    mine = load_study(corpus, codebook=codebook)
    names = ["frame_shares", "framing_index", "frame_validation"]
    built = {b.spec.name: b for b in build_all(study=mine, out_dir=tmp_path / "out", only=names)}
    assert built["frame_shares"].png is not None and built["frame_shares"].note is None
    index = built["framing_index"]
    assert index.png is None and not (tmp_path / "out" / "framing_index.png").exists()
    assert index.note.startswith("not scored: the framing index contrasts the frames")
    assert "trade_economy" in index.note
    assert json.loads(index.paths[-1].read_text())["note"] == index.note
    assert built["frame_validation"].png is None  # no article of this corpus is hand-coded
    assert isinstance(show(built["frame_shares"]), Image)
    shown = show(index)
    assert isinstance(shown, Markdown) and index.note in shown.data


def test_figures_and_report_measure_a_corpus_with_the_users_codebook(
    tmp_path, run_cli, users_corpus_and_codebook
):
    corpus, codebook = users_corpus_and_codebook
    out = tmp_path / "mine"
    only = ["--only", "frame_shares", "--only", "framing_index"]
    built = run_cli("figures", "--corpus", corpus, "--out", out, "--codebook", codebook, *only)
    assert built.code == 0, built.stderr
    frames = set(pd.read_csv(out / "frame_shares.csv")["frame"])
    assert frames == set(load_codebook(codebook).frame_ids) and "convergence" not in frames
    record = json.loads((out / "frame_shares.json").read_text())
    # the command that makes it again, paths shown from the corpus's folder
    assert record["command"] == (
        f"framing figures --only frame_shares --corpus mine.csv --codebook {codebook.name} --out mine"
    )
    assert record["inputs"]["codebook_sha256"] == sha256_bytes(codebook.read_bytes())
    assert not (out / "framing_index.png").exists()  # the index's frames are not in it
    # the same outputs measured with the study's codebook are not current: they are rebuilt
    again = run_cli("figures", "--corpus", corpus, "--out", out, *only)
    assert again.code == 0 and "wrote 2 outputs, 0 already up to date" in again.stdout
    assert "convergence" in set(pd.read_csv(out / "frame_shares.csv")["frame"])
    report = run_cli(
        "report", "--corpus", corpus, "--out", tmp_path / "report", "--codebook", codebook
    )
    assert report.code == 0, report.stderr
    assert f"--codebook {codebook.name}" in (tmp_path / "report" / "report.md").read_text()
    # the study's committed outputs are never written with another codebook
    refused = run_cli("figures", "--codebook", codebook)
    assert refused.code == 2 and refused.stderr.startswith("error: --out: ")
    assert "with your codebook" in refused.stderr and len(refused.stderr.splitlines()) == 1


def test_frame_shares_of_one_frame_and_small_shares_get_a_readable_axis():
    table = pd.DataFrame(
        {
            "outlet": ["A", "B"],
            "frame": ["gloom", "gloom"],
            "estimate": [0.02, 0.04],
            "low": [0.01, 0.02],
            "high": [0.031, 0.07],
        }
    )
    spec = REGISTRY["frame_shares"]
    assert spec.grid(table) == (1, 1)
    figure = render(spec, table)  # one panel of a multi-panel layout is still drawn
    (ax,) = figure.axes
    assert ax.get_title() == "gloom"
    assert ax.get_xlim() == pytest.approx((-0.002, 0.102))  # to the tenth above 0.07
    assert figure.get_size_inches()[1] < spec.figsize[1]  # one row of panels, not two
    plt.close(figure)


def test_svg_ids_do_not_hold_the_last_bits_of_the_layout():
    """Two processors can lay out the same figure with axes a few ulps apart; the SVG's
    clip-path and marker ids, hashes of those coordinates, would then differ where nothing
    drawn does."""
    import io

    from matplotlib.figure import Figure

    from analysis.outputs.figures.registry import stable_svg_ids

    def svg(left: float) -> bytes:
        figure = Figure(figsize=(3, 2))
        axes = figure.add_axes((left, 0.1, 0.8, 0.8))
        axes.plot([0, 1, 2], [1, 0, 2])
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    nudged = 0.1 + 2**-52
    assert svg(0.1) != svg(nudged)  # the raw ids differ ...
    assert stable_svg_ids(svg(0.1)) == stable_svg_ids(svg(nudged))  # ... the numbered ones not
    assert b'clip-path="url(#clip1)"' in stable_svg_ids(svg(0.1))
    assert b'xlink:href="#marker1"' in stable_svg_ids(svg(0.1))
    assert stable_svg_ids(svg(0.1)) != stable_svg_ids(svg(0.2))  # a real move still shows
