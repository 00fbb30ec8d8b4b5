"""Sentence measures made once: each block's quotations, segments, frame indicator hits and
tone, cached by content in a ``--cache`` folder (analysis/run/block_measures.py), written by
framing run or framing figures and read by the other.

The tables read back must be those a study measures in one piece, to the column type; a warm
cache must not measure again; a damaged file, another codebook or rows out of block order must
send the study back to measuring.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import analysis.run.sentences
import analysis.study.measures
from analysis.core.config import PROJECT_ROOT
from analysis.io.corpus import ARTICLE_COLUMNS, write_corpus_csv
from analysis.run.block_measures import (
    BLOCK_TABLES,
    Block,
    join_block_tables,
    split_by_block,
)
from analysis.run.corpus import measure_corpus
from analysis.run.sentences import load_study_cached
from analysis.study import measures
from analysis.study.load import load_study

#: The functions that measure the block tables, as analysis.study.measures calls them.
MEASURING = (
    "quotations_for_articles",
    "sentence_segments",
    "detect_frames",
    "sentence_tone",
    "segment_tone",
)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, study):
    """The seed corpus, and a constructed one whose third article has no quotation and no
    frame indicator."""
    folder = tmp_path_factory.mktemp("corpora")
    paths = {"seed": folder / "seed.csv", "constructed": folder / "constructed.csv"}
    write_corpus_csv(study.articles.drop(columns=["clean_text"]), paths["seed"])
    rows = [
        ("c1", '"We are deepening our partnership," the minister said. Tariffs weigh on trade.'),
        ("c2", "Talks on the trade deal stalled again. Officials blamed the new tariffs."),
        ("c3", "Farm prices rose. Growers welcomed the rain."),
        ("c4", 'The envoy said ties had "never been stronger" and praised shared interests.'),
    ]
    table = pd.DataFrame(
        [
            {"doc_id": i, "outlet": f"Daily {i}", "date": "2026-02-02", "title": i, "url": ""}
            | {"wire": "", "text": text}
            for i, text in rows
        ]
    )[ARTICLE_COLUMNS]
    write_corpus_csv(table, paths["constructed"])
    return paths


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of two articles, so that a few articles make several blocks."""
    monkeypatch.setattr(analysis.run.sentences, "BLOCK_SIZE", 2)


@pytest.fixture
def measured(monkeypatch):
    """A spy on the functions that measure the block tables: the names of every call."""
    calls: list[str] = []
    for name in MEASURING:
        original = getattr(analysis.study.measures, name)

        def spy(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(analysis.study.measures, name, spy)
    return calls


def _tables(study) -> dict[str, pd.DataFrame]:
    return {name: getattr(measures, name)(study) for name in BLOCK_TABLES}


def _assert_same(one: dict[str, pd.DataFrame], two: dict[str, pd.DataFrame]) -> None:
    for name in BLOCK_TABLES:
        pd.testing.assert_frame_equal(one[name], two[name], check_exact=True)


def _run(path, cache, codebook=None, chunk_size=2):
    return measure_corpus(path, chunk_size=chunk_size, cache_dir=cache, codebook=codebook)


@pytest.mark.parametrize("corpus", ["seed", "constructed"])
def test_figures_read_what_framing_run_measured(corpus, corpora, tmp_path, small_blocks, measured):
    path = corpora[corpus]
    study = load_study(path)
    reference = _tables(study)  # measured in one piece, no cache
    measured.clear()
    _run(path, tmp_path)
    assert measured.count("detect_frames") == (len(study.articles) + 1) // 2  # one a chunk
    measured.clear()
    read = _tables(load_study_cached(path, tmp_path))
    assert measured == []  # read back, not measured again
    _assert_same(read, reference)
    assert len(read["quotations"]) and len(read["evidence"])


def test_framing_run_reads_what_the_figures_measured(corpora, tmp_path, small_blocks, measured):
    path = corpora["constructed"]
    scores = _run(path, None)
    measured.clear()
    _tables(load_study_cached(path, tmp_path))
    assert measured.count("detect_frames") == 1  # the whole study at once
    measured.clear()
    pd.testing.assert_frame_equal(_run(path, tmp_path), scores)
    assert measured == []


def test_a_damaged_block_is_measured_again(corpora, tmp_path, small_blocks, measured):
    path = corpora["constructed"]
    reference = _tables(load_study_cached(path, tmp_path))
    files = sorted((tmp_path / "measures").glob("*.parquet"))
    assert len(files) == len(BLOCK_TABLES) * 2  # every table, two blocks
    files[0].write_bytes(files[0].read_bytes()[:-10])
    measured.clear()
    again = _tables(load_study_cached(path, tmp_path))
    assert len(measured) == 1  # the damaged table alone
    _assert_same(again, reference)
    measured.clear()
    _tables(load_study_cached(path, tmp_path))  # repaired
    assert measured == []


def test_another_codebook_is_not_read(corpora, tmp_path, small_blocks, measured):
    path = corpora["constructed"]
    _tables(load_study_cached(path, tmp_path))
    codebook = tmp_path / "codebook.yaml"
    shutil.copy(PROJECT_ROOT / "analysis" / "codebooks" / "study.yaml", codebook)
    codebook.write_text(codebook.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    measured.clear()
    measures.evidence(load_study_cached(path, tmp_path, codebook=codebook))
    assert "detect_frames" in measured


def test_rows_out_of_block_order_are_not_split():
    blocks = (Block("a", ("d1", "d2")), Block("b", ("d3",)))
    table = pd.DataFrame({"doc_id": ["d1", "d3", "d2"], "value": [1, 2, 3]})
    assert split_by_block(table, blocks) is None
    assert split_by_block(table.assign(doc_id=["d1", "d2", "x"]), blocks) is None
    parts = split_by_block(table.iloc[[0, 2, 1]], blocks)
    assert [part["value"].tolist() for part in parts] == [[1, 3], [2]]
    pd.testing.assert_frame_equal(
        join_block_tables(parts), table.iloc[[0, 2, 1]].reset_index(drop=True)
    )


def test_blocks_whose_column_types_differ_are_not_joined():
    whole = pd.DataFrame({"doc_id": ["d1", "d2"], "score": [1, None]})  # float64 in one piece
    parts = [pd.DataFrame({"doc_id": ["d1"], "score": [1]}), whole.iloc[[1]]]
    assert join_block_tables(parts) is None
    empty = pd.DataFrame({"doc_id": pd.Series([], dtype=object), "score": []})
    joined = join_block_tables([whole.iloc[[0]], empty, whole.iloc[[1]]])
    pd.testing.assert_frame_equal(joined, whole)
