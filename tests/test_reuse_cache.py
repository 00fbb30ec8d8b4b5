"""Shared text found once: the reuse a corpus holds, cached by content in a ``--cache`` folder
(analysis/run/reuse_cache.py), written by framing reuse or framing figures and read by the other.

A cached result must be the result, table for table and column type for column type; a warm
cache must not run the detector; anything the result depends on (articles, their order, method,
settings, code, library versions) must change the key; a damaged file must be found again.
"""

from __future__ import annotations

import pandas as pd
import pytest

import analysis.reuse
import analysis.run.reuse
import analysis.run.reuse_cache
from analysis.io.chunks import ColumnMap
from analysis.io.corpus import ARTICLE_COLUMNS, write_corpus_csv
from analysis.reuse import ReuseSettings, detect_reuse
from analysis.run.checked import read_checked
from analysis.run.reuse import corpus_reuse
from analysis.run.reuse_cache import TABLES, read_reuse, reuse_key, reuse_paths, write_reuse
from analysis.run.sentences import load_study_cached
from analysis.study.load import load_study
from analysis.study.measures import reuse_detection

WIRE = (
    "The finance ministry said on Tuesday that the new customs rules would take effect in "
    "March after a long consultation with exporters and their trade bodies. Officials expect "
    "exporters to adjust their paperwork within weeks, and the ports to clear the backlog soon."
)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, study):
    """The seed corpus; a constructed one with wire copy in three outlets; one where no two
    articles share text (empty tables)."""
    folder = tmp_path_factory.mktemp("corpora")
    rows = {
        "constructed": [
            ("w1", "Daily A", f"By Jane Roe\n\n{WIRE}\n\nMore to follow."),
            ("w2", "Daily B", f"{WIRE} (With inputs from PTI)"),
            ("w3", "Daily C", f"Traders were calm. {WIRE}"),
            ("p1", "Daily B", "Farm prices rose. Growers welcomed the rain."),
        ],
        "unshared": [
            ("u1", "Daily A", "Farm prices rose sharply this spring. Growers welcomed the rain."),
            ("u2", "Daily B", "The rail strike ended at dawn. Unions and managers agreed a deal."),
        ],
    }
    paths = {"seed": folder / "seed.csv"}
    write_corpus_csv(study.articles.drop(columns=["clean_text"]), paths["seed"])
    for name, articles in rows.items():
        table = pd.DataFrame(
            [
                {"doc_id": i, "outlet": o, "date": "2026-02-02", "title": i, "url": "", "wire": ""}
                | {"text": text}
                for i, o, text in articles
            ]
        )[ARTICLE_COLUMNS]
        paths[name] = folder / f"{name}.csv"
        write_corpus_csv(table, paths[name])
    return paths


@pytest.fixture
def detector(monkeypatch):
    """A spy on the detector both callers run: the number of articles of every call."""
    calls: list[int] = []

    def spy(articles, sentences, **options):
        calls.append(len(articles))
        return detect_reuse(articles, sentences, **options)

    monkeypatch.setattr(analysis.run.reuse, "detect_reuse", spy)
    monkeypatch.setattr(analysis.reuse, "detect_reuse", spy)  # what the study's measure calls
    return calls


def _reuse(path, cache=None):
    return corpus_reuse(
        path,
        columns=ColumnMap(),
        chunk_size=2000,
        method="auto",
        workers=1,
        per_sentence=False,
        per_article=False,
        cache_dir=cache,
    ).result


def _assert_same_result(one, two):
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert one.summary == two.summary


@pytest.mark.parametrize("corpus", ["seed", "constructed", "unshared"])
def test_figures_read_what_framing_reuse_found(corpus, corpora, tmp_path, detector):
    path = corpora[corpus]
    reference = detect_reuse(load_study(path).articles, load_study(path).sentences)
    found = _reuse(path, tmp_path)
    assert len(detector) == 1
    study = load_study_cached(path, tmp_path)
    read = reuse_detection(study)
    assert len(detector) == 1  # read back, not found again
    for name in TABLES:  # what the detector finds on the study, to the column type
        pd.testing.assert_frame_equal(getattr(read, name), getattr(reference, name))
    _assert_same_result(read, found)
    if corpus == "constructed":
        assert len(read.pairs) == 3  # the three wire copies, pair by pair
    if corpus == "unshared":
        assert read.pairs.empty and read.matches.empty


def test_framing_reuse_reads_what_the_figures_found(corpora, tmp_path, detector):
    path = corpora["constructed"]
    found = reuse_detection(load_study_cached(path, tmp_path))
    assert detector == [4]
    _assert_same_result(_reuse(path, tmp_path), found)
    assert detector == [4]
    _reuse(path)  # without the cache: found again
    assert detector == [4, 4]


def test_without_a_cache_nothing_is_kept(corpora, tmp_path, detector):
    path = corpora["constructed"]
    _reuse(path)
    reuse_detection(load_study(path))
    assert detector == [4, 4]


def test_the_key_holds_what_the_result_depends_on(corpora, monkeypatch):
    study = load_study(corpora["constructed"])
    articles, sentences = study.articles, study.sentences
    key = reuse_key(articles, sentences)
    assert reuse_key(articles.copy(), sentences.copy()) == key
    assert reuse_key(articles, sentences, "all_pairs") == key  # what auto chooses for four
    assert reuse_key(articles.assign(title="other"), sentences) == key  # not read by the detector
    edited = articles.copy()
    edited.loc[3, "clean_text"] = edited.loc[3, "clean_text"].replace("rose", "fell")
    moved = sentences.copy()
    moved.loc[0, "end"] -= 1
    renamed = articles.copy()
    renamed.loc[1, "outlet"] = "Daily Z"
    changed = {
        "method": reuse_key(articles, sentences, "lsh"),
        "settings": reuse_key(articles, sentences, settings=ReuseSettings(rewrite_threshold=0.5)),
        "a text": reuse_key(edited, sentences),
        "an outlet": reuse_key(renamed, sentences),
        "a sentence": reuse_key(articles, moved),
        "the order": reuse_key(articles.iloc[::-1], sentences),
        "one article fewer": reuse_key(articles.iloc[:3], sentences[sentences["doc_id"] != "p1"]),
    }
    monkeypatch.setattr(analysis.run.reuse_cache, "code_hash", lambda: "other code")
    changed["the code"] = reuse_key(articles, sentences)
    monkeypatch.undo()
    versions = analysis.run.reuse_cache.library_versions
    monkeypatch.setattr(
        analysis.run.reuse_cache,
        "library_versions",
        lambda names: versions(names) | {"scipy": "0.1"},
    )
    changed["a library"] = reuse_key(articles, sentences)
    assert len(set(changed.values()) | {key}) == len(changed) + 1


@pytest.mark.parametrize("table", ["pairs", "summary"])
def test_a_damaged_file_is_found_again_and_repaired(table, corpora, tmp_path, detector):
    path = corpora["constructed"]
    first = _reuse(path, tmp_path)
    study = load_study(path)
    key = reuse_key(study.articles, study.sentences)
    damaged = reuse_paths(tmp_path, key)[table]
    damaged.write_bytes(damaged.read_bytes()[:-10])
    assert read_reuse(tmp_path, key) is None
    _assert_same_result(_reuse(path, tmp_path), first)
    assert detector == [4, 4]  # found again ...
    assert read_checked(damaged) is not None  # ... and written anew
    _reuse(path, tmp_path)
    assert detector == [4, 4]


def test_a_result_for_other_settings_is_not_read(corpora, tmp_path):
    """The study's measure reads only what the default settings found."""
    study = load_study(corpora["constructed"])
    strict = ReuseSettings(shingle_size=40)
    strict_key = reuse_key(study.articles, study.sentences, settings=strict)
    write_reuse(
        tmp_path, strict_key, detect_reuse(study.articles, study.sentences, settings=strict)
    )
    assert read_reuse(tmp_path, strict_key) is not None
    assert read_reuse(tmp_path, reuse_key(study.articles, study.sentences)) is None
    assert len(reuse_detection(load_study_cached(corpora["constructed"], tmp_path)).pairs) == 3


def test_the_figures_are_the_same_bytes_from_the_cached_result(corpora, tmp_path, run_cli):
    corpus = corpora["constructed"]
    cache = tmp_path / "cache"
    found = run_cli("reuse", corpus, "--out", tmp_path / "pairs.csv", "--cache", cache)
    assert found.code == 0, found.stderr
    outputs = {}
    for mode, extra in (("without", []), ("cached", ["--cache", str(cache)])):
        out = tmp_path / mode
        result = run_cli(
            "figures", "--corpus", corpus, "--out", out, "--only", "reuse_pairs", *extra
        )
        assert result.code == 0, result.stderr
        assert ("pairs that share text read from" in result.stderr) == (mode == "cached")
        outputs[mode] = {
            p.name: p.read_bytes().replace(str(out).encode(), b"OUT")
            for p in sorted(out.rglob("*"))
            if p.is_file() and p.suffix != ".json"
        }
    assert outputs["cached"] == outputs["without"]
    assert any(name.endswith(".csv") for name in outputs["without"])
