"""Figures that cannot mislead: every article its own row, text drawn as written, shares shown
with the sentences they rest on (issues 20 and 23)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.io.corpus import write_corpus_csv
from analysis.outputs.figures import REGISTRY
from analysis.outputs.figures.registry import figure_bytes, render
from analysis.study.load import load_study

WORDS = (
    "river copper harbour lantern meadow orchard pebble quarry saddle timber velvet walnut "
    "anchor basalt cobalt dune ember falcon glacier hazel iris juniper kestrel lichen marble "
    "nutmeg opal pine quartz raven sable thistle umber violet willow yarrow zinc amber birch "
    "cedar dahlia elm fennel garnet heron indigo jasper kelp lotus myrtle nettle oak"
).split()


def _sentences(seed: int, n: int = 6) -> str:
    """``n`` sentences of 12 words drawn from :data:`WORDS`, different for every seed."""
    rng = np.random.default_rng(seed)
    return " ".join(" ".join(rng.choice(WORDS, 12)).capitalize() + "." for _ in range(n))


def _corpus(tmp_path, doc_ids: list[str], outlet: str = "BBC") -> pd.DataFrame:
    """One outlet; the first and the fourth article are the same text (a 100% verbatim pair),
    every other article its own text."""
    texts = [_sentences(seed) for seed in range(len(doc_ids))]
    texts[3] = texts[0]
    articles = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "outlet": outlet,
            "date": "2026-02-02",
            "title": [f"Story {i}" for i in range(len(doc_ids))],
            "url": "",
            "wire": "",
            "text": texts,
        }
    )
    path = tmp_path / "shared_prefixes.csv"
    write_corpus_csv(articles, path)
    return load_study(path)


@pytest.mark.parametrize(
    "doc_ids",
    [
        [f"article_{i:03d}" for i in range(5)],
        [f"bbc-news-2026-02-0{i}-jaishankar-visit" for i in range(5)],
    ],
    ids=["article_000", "long ids"],
)
def test_articles_sharing_their_first_characters_keep_their_own_rows(tmp_path, doc_ids):
    study = _corpus(tmp_path, doc_ids)
    heatmap = REGISTRY["reuse_heatmap"]
    table = heatmap.compute(study)
    figure = render(heatmap, table)
    ax = figure.axes[0]
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert len(labels) == len(set(labels)) == len(doc_ids)
    matrix = ax.images[0].get_array()
    # no article pairs with itself
    assert np.ma.getmaskarray(matrix).diagonal().all()
    # the 100% verbatim pair shows as such, both ways, and nothing else is shared
    first, fourth = doc_ids.index(doc_ids[0]), doc_ids.index(doc_ids[3])
    assert matrix[first, fourth] == pytest.approx(1.0)
    assert matrix[fourth, first] == pytest.approx(1.0)
    off_pair = [
        matrix[i, j]
        for i in range(len(doc_ids))
        for j in range(len(doc_ids))
        if i != j and {i, j} != {first, fourth}
    ]
    assert off_pair == pytest.approx([0.0] * len(off_pair))
    cell_texts = [text.get_text() for text in ax.texts]
    assert cell_texts.count("100%") == 2

    strips = REGISTRY["reuse_sentences"]
    figure = render(strips, strips.compute(study))
    ax = figure.axes[0]
    rows = [label.get_text() for label in ax.get_yticklabels()]
    assert len(rows) == len(set(rows)) == len(doc_ids)
    shares = [text.get_text() for text in ax.texts]
    assert shares.count(" 100% of words shared") == 2 and shares.count(" 0% of words shared") == 3

    overview = REGISTRY["corpus_overview"]
    figure = render(overview, overview.compute(study))
    lengths = [label.get_text() for label in figure.axes[1].get_yticklabels()]
    assert len(lengths) == len(set(lengths)) == len(doc_ids)


HOSTILE_OUTLETS = [r"$\undefinedmacro{x}$", "Price $5 and $10 Daily", "Plain News"]


def test_text_with_dollar_signs_is_drawn_as_written_in_every_figure(tmp_path):
    from matplotlib.text import Text

    study = load_study()  # the study's texts (enough for every figure), under other names
    n_articles = len(study.articles)
    study.articles["outlet"] = [HOSTILE_OUTLETS[i % 3] for i in range(n_articles)]
    study.articles["title"] = [f"Costs ${i} and ${i + 1} a day" for i in range(n_articles)]
    drawn = []
    for name, spec in REGISTRY.items():
        if spec.plot is None:
            continue
        figure = render(spec, spec.compute(study))
        figure_bytes(spec, figure)  # mathtext would fail here, on \undefinedmacro
        texts = [t for t in figure.findobj(Text) if "$" in t.get_text()]
        assert all(not t.get_parse_math() for t in texts), name
        drawn += [t.get_text() for t in texts]
    assert "Price $5 and $10 Daily" in drawn and r"$\undefinedmacro{x}$" in drawn


def test_outputs_of_another_codebook_or_actor_list_are_never_up_to_date(study, tmp_path):
    from analysis.framing.codebook import STUDY_CODEBOOK
    from analysis.outputs.figures import build_all
    from analysis.outputs.figures.registry import is_current
    from analysis.study.provenance import build_is_current, build_key, write_build_stamp
    from analysis.voices import STUDY_ACTORS

    codebook, actors = tmp_path / "codebook.yaml", tmp_path / "actors.yaml"
    codebook.write_bytes(STUDY_CODEBOOK.read_bytes() + b"\n# another codebook\n")
    actors.write_bytes(STUDY_ACTORS.read_bytes() + b"\n# another list\n")
    spec = REGISTRY["frame_shares"]
    for other in (load_study(codebook=codebook), load_study(actors=actors)):
        out = tmp_path / "out"
        built = build_all(study=other, out_dir=out, only=[spec.name])
        write_build_stamp(out, {spec.name: dict(spec.params)})
        assert is_current(spec, other, out) == built[0].paths
        # the study's codebook and actors (what `framing figures` uses) see them as stale
        assert is_current(spec, study, out) is None
        assert not build_is_current(out, build_key(study.corpus_hash, study.corpus_label))


def test_frame_validation_stops_at_one_and_says_what_its_counts_are(study):
    spec = REGISTRY["frame_validation"]
    table = spec.compute(study)
    figure = render(spec, table)
    figure.canvas.draw()
    ax = figure.axes[0]
    assert ax.get_xlim() == (0, 1)  # F1 stops at 1
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert not any("n+" in label for label in labels)
    coded = table.drop_duplicates("frame")
    for label, n in zip(labels, coded["gold_positive"], strict=True):
        assert f"{n} sentences hand-coded" in label
    # precision and recall stay readable beside the axis, none over another
    notes = [text for text in ax.texts if text.get_text().startswith("P ")]
    assert len(notes) == len(table)
    boxes = sorted((note.get_window_extent() for note in notes), key=lambda box: box.y0)
    assert all(low.y1 <= high.y0 + 0.5 for low, high in zip(boxes, boxes[1:], strict=False))


def test_the_framing_index_legend_covers_no_data(study):
    spec = REGISTRY["framing_index"]
    figure = render(spec, spec.compute(study))
    figure_bytes(spec, figure)
    ax = figure.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert not legend.overlaps(ax.get_window_extent())


def test_the_framing_index_gives_n_for_outlets_of_few_sentences(study):
    from analysis.study.figure_tables import MIN_SENTENCES

    spec = REGISTRY["framing_index"]
    table = spec.compute(study)
    figure = render(spec, table)
    outlets = table.drop_duplicates("outlet")
    few = outlets[outlets["n_sentences"] < MIN_SENTENCES]
    assert len(few)  # the study's outlets have 12 to 22 sentences
    notes = sorted(text.get_text() for text in figure.axes[0].texts)
    assert notes == sorted(f"n={n}" for n in few["n_sentences"])


def test_shares_on_few_sentences_show_their_n_and_an_interval(study):
    from analysis.study.figure_tables import MIN_SENTENCES

    spec = REGISTRY["frame_shares_own_text"]
    table = spec.compute(study)
    # Mint's own text: 6 sentences, every one diplomatic routine; the bootstrap gave 1 to 1
    row = table[
        (table["text"] == "own text")
        & (table["outlet"] == "Mint")
        & (table["frame"] == "diplomatic_routine")
    ].iloc[0]
    assert row["n_sentences"] < MIN_SENTENCES and row["estimate"] == 1.0
    assert row["few_sentences"] and row["low"] == pytest.approx(0.61, abs=0.01)
    assert (table["low"] <= table["estimate"]).all() and (table["estimate"] <= table["high"]).all()
    few = table[table["few_sentences"]]
    assert (few["high"] > few["low"]).all()  # no share on few sentences drawn as a bare point
    figure = render(spec, table)
    panel = next(ax for ax in figure.axes if ax.get_title() == "diplomatic routine")
    notes = [text.get_text() for text in panel.texts]
    frame_rows = table[table["frame"] == "diplomatic_routine"]
    assert sorted(notes) == sorted(f"n={n}" for n in frame_rows["n_sentences"])


def test_actor_tone_is_titled_for_what_it_measures_and_greys_cells_of_few_segments():
    from analysis.outputs.figures.sentiment import MIN_SEGMENTS

    spec = REGISTRY["actor_tone"]
    assert "toward" not in spec.title.lower() and "mention" in spec.title
    cells = [
        ("Rubio", "A", "narration", 0.9, 1),  # one segment: no strong colour
        ("Rubio", "B", "narration", 0.9, MIN_SEGMENTS),
        ("Trump", "A", "narration", -0.5, MIN_SEGMENTS - 1),
        ("Trump", "B", "narration", -0.5, 10),
        ("Rubio", "A", "quotation", 0.2, 4),
    ]
    table = pd.DataFrame(cells, columns=["actor", "outlet", "voice", "estimate", "n_segments"])
    figure = render(spec, table)
    narration = figure.axes[0]
    coloured = narration.images[0].get_array()
    mask = np.ma.getmaskarray(coloured)
    # rows Rubio, Trump; columns A, B
    assert mask.tolist() == [[True, False], [True, False]]
    assert coloured[0, 1] == pytest.approx(0.9) and coloured[1, 1] == pytest.approx(-0.5)
    grey = np.ma.getmaskarray(narration.images[1].get_array())
    assert (~grey).tolist() == [[True, False], [True, False]]  # the few-segment cells, greyed
    few_labels = [t for t in narration.texts if t.get_fontstyle() == "italic"]
    assert sorted(t.get_text() for t in few_labels) == [
        "+0.90\nn=1",
        f"-0.50\nn={MIN_SEGMENTS - 1}",
    ]


def test_reuse_sentences_says_its_percentages_are_of_words(study):
    spec = REGISTRY["reuse_sentences"]
    table = spec.compute(study)
    figure = render(spec, table)
    notes = [text.get_text() for text in figure.axes[0].texts]
    assert len(notes) == table["doc_id"].nunique()
    for (_, rows), note in zip(table.groupby("doc_id", sort=False), notes, strict=True):
        words = (rows["n_words"] * ~rows["own"]).sum() / rows["n_words"].sum()
        assert note == f" {words:.0%} of words shared"
    assert "words" in spec.caption and "cells are sentences" in spec.caption


def test_a_large_corpus_draws_only_the_articles_that_share_text(tmp_path):
    """Beyond 30 articles the heatmap and strips keep the articles sharing the most; articles
    that share nothing are not drawn as padding rows of 0% (a new user's 150 BBC articles)."""
    study = _corpus(tmp_path, [f"story_{i:03d}" for i in range(35)])
    for name in ("reuse_heatmap", "reuse_sentences"):
        table = REGISTRY[name].compute(study)
        assert set(table["doc_id"]) == {"story_000", "story_003"}, name


def test_every_article_of_a_trimmed_heatmap_shares_text_with_another_one_drawn(study):
    """Trimmed to fewer articles than the corpus has, the heatmap takes whole pairs, strongest
    first: an article ranked alone had its partner left out and its row drawn blank."""
    from analysis.study import measures
    from analysis.study.figure_tables import reuse_heatmap_table

    pairs = measures.reuse_detection(study).pairs
    strongest = pairs.loc[pairs[["share_a", "share_b"]].max(axis=1).idxmax()]
    for size in (2, 3, 4):
        table = reuse_heatmap_table(study, max_articles=size)
        drawn = set(table["doc_id"])
        assert len(drawn) <= size and {strongest["doc_a"], strongest["doc_b"]} <= drawn
        shared = table[table["share"] > 0].groupby("doc_id")["other_doc_id"].nunique()
        assert set(shared.index) == drawn, size  # no blank row
