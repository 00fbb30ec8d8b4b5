"""The corpus cleaned and split once: blocks of cleaned text, cleaning report and sentences
cached by content (analysis/run/sentences.py) and read by framing reuse, run, topics and figures.

Every output must be the same, to the byte, with and without the cache, cold and warm; a warm
cache must not clean again; a changed, corrupted or truncated block must be cleaned again.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import analysis.run.sentences
from analysis.io.chunks import ColumnMap
from analysis.io.corpus import ARTICLE_COLUMNS, write_corpus_csv
from analysis.run.checked import read_checked
from analysis.run.corpus import cleaned_corpus, measure_corpus
from analysis.run.reuse import corpus_reuse
from analysis.run.sentences import (
    PARTS,
    block_key,
    block_paths,
    cleaned_chunk,
    load_study_cached,
)
from analysis.run.topics import corpus_topics, topics_files
from analysis.study.load import clean_and_split, load_study
from analysis.study.provenance import table_to_csv_bytes
from analysis.text.cleaning import SENTENCE_SPLIT_RULE

WIRE = (
    "The finance ministry said on Tuesday that the new customs rules would take effect in "
    "March. Officials expect exporters to adjust their paperwork within weeks. The opposition "
    "called the timing reckless and demanded a debate in parliament."
)
LONG = " ".join(f"word{i}" for i in range(900))  # one sentence of about 7,700 characters


def _constructed() -> pd.DataFrame:
    """Nine articles: wire copy shared by three outlets, two over-long sentences that the
    splitter cuts (report rows appended after the cleaning rows) in different blocks, articles
    with and without cleaning removals."""
    rows = [
        ("w1", "Daily A", "Customs rules", f"By Jane Roe\n\n{WIRE}\n\nMore to follow."),
        ("w2", "Daily B", "Customs rules", f"{WIRE} (With inputs from PTI)"),
        ("w3", "Daily C", "New customs rules", f" date 2026-02-02 {WIRE}\n\nTraders were calm."),
        ("l1", "Daily A", "A long one", f"Talks began.\n\n{LONG}\n\nThey ended."),
        ("p1", "Daily B", "Farm prices", "Farm prices rose. Growers welcomed the rain."),
        ("p2", "Daily C", "Rail strike", "The rail strike ended. Unions and managers agreed."),
        ("l2", "Daily B", "Another long", f"{LONG} and more.\n\nThe end came."),
        ("p3", "Daily A", "Harbour", "Ships waited at the harbour. The port reopened at dawn."),
        ("p4", "Daily C", "Schools", "Schools reopened after the storm. Pupils returned."),
    ]
    return pd.DataFrame(
        [
            {"doc_id": i, "outlet": o, "date": "2026-02-02", "title": t, "url": "", "wire": ""}
            | {"text": text}
            for i, o, t, text in rows
        ]
    )[ARTICLE_COLUMNS]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, study):
    """The seed corpus and the constructed one, as CSV files."""
    folder = tmp_path_factory.mktemp("corpora")
    paths = {"seed": folder / "seed.csv", "constructed": folder / "constructed.csv"}
    write_corpus_csv(study.articles.drop(columns=["clean_text"]), paths["seed"])
    write_corpus_csv(_constructed(), paths["constructed"])
    return paths


@pytest.fixture
def cleaner(monkeypatch):
    """A spy on the cleaner the cache calls: the articles of every block cleaned."""
    calls: list[list[str]] = []
    real = analysis.run.sentences.clean_and_split

    def spy(articles, corpus_path):
        calls.append(articles["doc_id"].tolist())
        return real(articles, corpus_path)

    monkeypatch.setattr(analysis.run.sentences, "clean_and_split", spy)
    return calls


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of two articles, so that the small corpora have several."""
    monkeypatch.setattr(analysis.run.sentences, "BLOCK_SIZE", 2)


def _assert_same(one, two):
    for left, right in zip(one, two, strict=True):
        pd.testing.assert_frame_equal(left, right)  # values, column types and index


@pytest.mark.parametrize("block_size", [1, 2, 3, 4, 100])
def test_blocks_joined_are_the_chunk_cleaned_at_once(block_size, tmp_path, monkeypatch):
    monkeypatch.setattr(analysis.run.sentences, "BLOCK_SIZE", block_size)
    articles = _constructed()
    whole = clean_and_split(articles, "test")
    assert (whole.cleaning_report["rule"] == SENTENCE_SPLIT_RULE).sum() >= 2  # both long ones
    assert whole.cleaning_report["rule"].iloc[-1] == SENTENCE_SPLIT_RULE  # split rows last
    for warm in (False, True):
        read: list[bool] = []
        _assert_same(cleaned_chunk(articles, "test", tmp_path, read), whole)
        assert read == [warm] * -(-len(articles) // block_size)


def test_blocks_of_articles_without_a_removal_give_the_report_types(tmp_path, small_blocks):
    articles = _constructed().iloc[4:6].reset_index(drop=True)  # neither has a removal
    whole = clean_and_split(articles, "test")
    assert whole.cleaning_report.empty
    _assert_same(cleaned_chunk(articles, "test", tmp_path), whole)
    _assert_same(cleaned_chunk(articles, "test", tmp_path), whole)  # read back


def _outputs(path, cache, *, workers=1):
    """The bytes of every output of framing reuse (pairs, sentences, articles), run (scores,
    with the own-text columns) and topics (terms, prevalence, the run record without its
    timings), each command given ``cache``."""
    columns = ColumnMap()
    reuse = corpus_reuse(
        path,
        columns=columns,
        chunk_size=4,
        method="auto",
        workers=workers,
        per_sentence=True,
        per_article=True,
        cache_dir=cache,
    )
    outputs = {
        "pairs": table_to_csv_bytes(reuse.result.pairs),
        "sentences": table_to_csv_bytes(reuse.sentences),
        "articles": table_to_csv_bytes(reuse.articles),
    }
    scores = measure_corpus(
        path, chunk_size=2, cache_dir=cache, sentence_reuse=reuse.sentences, workers=workers
    )
    outputs["scores"] = table_to_csv_bytes(scores)
    topics = corpus_topics(
        path,
        columns=columns,
        chunk_size=4,
        k=2,
        method="nmf",
        unit="paragraph",
        max_features=500,
        phrases=True,
        batch_size=None,
        workers=workers,
        cache_dir=cache,
    )
    for file, data in topics_files(topics, path.parent).items():
        if file.suffix == ".json":
            record = json.loads(data)
            assert set(record["seconds"]) == {"reading_cleaning_splitting", "fitting", "prevalence"}
            data = json.dumps({k: v for k, v in record.items() if k != "seconds"}).encode()
        outputs[file.name] = data
    return outputs


@pytest.mark.parametrize("corpus", ["seed", "constructed"])
def test_reuse_run_and_topics_give_the_same_bytes_with_and_without_the_cache(
    corpus, corpora, tmp_path, small_blocks, cleaner
):
    path = corpora[corpus]
    n_articles = len(pd.read_csv(path))
    n_blocks = -(-n_articles // 2)
    without = _outputs(path, None)
    # reuse and topics clean every chunk of 4, run every chunk of 2
    assert len(cleaner) == 2 * -(-n_articles // 4) + -(-n_articles // 2)
    assert without["pairs"].count(b"\n") > 2  # pairs of articles that share text found
    cleaner.clear()
    cold = _outputs(path, tmp_path / "cache")
    assert len(cleaner) == n_blocks  # cleaned once, by framing reuse; run and topics read it
    cleaner.clear()
    warm = _outputs(path, tmp_path / "cache")
    assert cleaner == []
    assert cold == without
    assert warm == without


def test_a_warm_cache_does_not_call_the_cleaner(corpora, tmp_path, small_blocks, cleaner):
    path = corpora["constructed"]
    cleaned_corpus(path, chunk_size=4, cache_dir=tmp_path)
    assert [len(block) for block in cleaner] == [2, 2, 2, 2, 1]
    cleaner.clear()
    assert _cleaner_calls_when_warm(path, tmp_path, cleaner) == 0


def test_the_cleaner_spy_sees_a_cache_that_is_bypassed(
    corpora, tmp_path, small_blocks, cleaner, monkeypatch
):
    """The warm test can fail: with every cached file refused, the same runs clean again."""
    path = corpora["constructed"]
    cleaned_corpus(path, chunk_size=4, cache_dir=tmp_path)
    cleaner.clear()
    monkeypatch.setattr(analysis.run.sentences, "read_all_checked", lambda paths: None)
    assert _cleaner_calls_when_warm(path, tmp_path, cleaner) == 3 * 5


def _cleaner_calls_when_warm(path, cache, cleaner) -> int:
    """Blocks cleaned by the three kinds of reader of a cache that holds every block: the
    corpus cleaned and split (framing reuse, topics), its chunks measured (run: no measure is
    cached yet, so each chunk needs its tables) and the whole study loaded (figures)."""
    cleaner.clear()
    cleaned_corpus(path, chunk_size=4, cache_dir=cache)
    measure_corpus(path, chunk_size=2, cache_dir=cache)
    load_study_cached(path, cache)
    return len(cleaner)


def test_a_changed_article_changes_only_its_blocks_key(corpora, tmp_path, small_blocks, cleaner):
    articles = _constructed()
    keys = [block_key(articles.iloc[start : start + 2]) for start in range(0, 9, 2)]
    assert len(set(keys)) == len(keys)
    edited = articles.copy()
    edited.loc[edited["doc_id"] == "p2", "text"] += " Trains ran again on Friday."
    changed = [block_key(edited.iloc[start : start + 2]) for start in range(0, 9, 2)]
    assert [old != new for old, new in zip(keys, changed, strict=True)] == [0, 0, 1, 0, 0]
    swapped = articles.iloc[[1, 0]]  # the same articles in another order: another block
    assert block_key(swapped) != block_key(articles.iloc[[0, 1]])
    # through the cache: only the edited article's block is cleaned again, and read fresh
    cleaned_corpus(corpora["constructed"], chunk_size=4, cache_dir=tmp_path)
    edited_path = tmp_path / "edited.csv"
    write_corpus_csv(edited, edited_path)
    cleaner.clear()
    clean, sentences = cleaned_corpus(edited_path, chunk_size=4, cache_dir=tmp_path)
    assert cleaner == [["p1", "p2"]]
    assert clean.set_index("doc_id").loc["p2", "clean_text"].endswith("again on Friday.")
    assert sentences.loc[sentences["doc_id"] == "p2", "text"].iloc[-1] == (
        "Trains ran again on Friday."
    )


def test_the_block_key_holds_the_versions_and_code_that_change_cleaning(monkeypatch):
    import analysis

    block = _constructed().iloc[:2]
    key = block_key(block)
    real = analysis.run.sentences.library_versions(analysis.run.sentences.CLEANING_LIBRARIES)
    for library in ("nltk", "pandas", "pyarrow"):
        changed = {**real, library: "0.0.1"}
        with monkeypatch.context() as patch:
            patch.setattr(analysis.run.sentences, "library_versions", lambda n, c=changed: c)
            assert block_key(block) != key, library
    with monkeypatch.context() as patch:
        patch.setattr(analysis.run.sentences, "code_hash", lambda: "0" * 64)
        assert block_key(block) != key
    monkeypatch.setattr(analysis, "__version__", "99.0.0")
    assert block_key(block) != key


def _truncate(path):
    path.write_bytes(path.read_bytes()[:100])


def _replace_table(path):  # a readable table, not the one that was cached
    table = pd.read_parquet(path)
    table.iloc[:, -1] = table.iloc[:, -1].astype(str) + " edited"
    table.to_parquet(path, index=False)


def _remove_sidecar(path):
    path.with_suffix(".json").unlink()


def _forge_sidecar(path):
    path.with_suffix(".json").write_text('{"sha256": "' + "0" * 64 + '", "rows": 1}')


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("damage", [_truncate, _replace_table, _remove_sidecar, _forge_sidecar])
def test_a_corrupted_cached_file_is_cleaned_again_and_repaired(
    part, damage, corpora, tmp_path, small_blocks, cleaner
):
    path = corpora["constructed"]
    first = cleaned_corpus(path, chunk_size=4, cache_dir=tmp_path)
    block = _constructed().iloc[2:4]
    cached = block_paths(tmp_path, block_key(block))[part]
    damage(cached)
    assert read_checked(cached) is None
    cleaner.clear()
    _assert_same(cleaned_corpus(path, chunk_size=4, cache_dir=tmp_path), first)
    assert cleaner == [["w3", "l1"]]  # that block only, cleaned again ...
    assert read_checked(cached) is not None  # ... and its files written anew
    cleaner.clear()
    _assert_same(cleaned_corpus(path, chunk_size=4, cache_dir=tmp_path), first)
    assert cleaner == []


def test_the_study_from_the_cache_is_the_study(corpora, tmp_path, study, cleaner):
    """framing figures --cache: the study loaded through the blocks that framing reuse cached."""
    cleaned_corpus(corpora["seed"], cache_dir=tmp_path)
    cleaner.clear()
    cached = load_study_cached(corpora["seed"], tmp_path)
    assert cleaner == []  # the blocks cleaned for reuse are the study's
    reference = load_study(corpora["seed"])
    _assert_same(
        (cached.articles, cached.cleaning_report, cached.sentences),
        (reference.articles, reference.cleaning_report, reference.sentences),
    )
    assert cached.corpus_hash == reference.corpus_hash == study.corpus_hash


def test_cleaning_in_processes_reads_and_writes_the_same_blocks(corpora, tmp_path, cleaner):
    path = corpora["constructed"]
    pooled = cleaned_corpus(path, chunk_size=4, workers=2, cache_dir=tmp_path)
    cleaner.clear()
    _assert_same(cleaned_corpus(path, chunk_size=4, cache_dir=tmp_path), pooled)
    assert cleaner == []
    _assert_same(cleaned_corpus(path, chunk_size=4), pooled)


COMMANDS = {
    "reuse": ["reuse", "{corpus}", "--out", "{out}/pairs.csv", "--sentences", "{out}/s.csv"],
    "run": ["run", "{corpus}", "--out", "{out}/run", "--reuse-sentences", "{out}/s.csv"],
    "topics": ["topics", "{corpus}", "--out", "{out}/topics", "-k", "2", "--unit", "paragraph"],
}


def _command(name, corpus, out, *extra):
    return [part.format(corpus=corpus, out=out) for part in COMMANDS[name]] + list(extra)


def _files(out):
    """Every output file's bytes, the topics record without its timings, the output folder's
    name (which run.json records for --reuse-sentences) as OUT."""
    files = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and ".cache" not in path.parts:
            data = path.read_bytes().replace(str(out).encode(), b"OUT")
            if path.name == "topics_run.json":
                data = json.dumps({**json.loads(data), "seconds": None}).encode()
            files[str(path.relative_to(out))] = data
    return files


def test_the_commands_write_the_same_files_with_one_cache_cold_and_warm(corpora, tmp_path, run_cli):
    outs = {name: tmp_path / name for name in ("none", "cold", "warm")}
    cache = tmp_path / "cache"
    for mode, out in outs.items():
        for name in COMMANDS:
            extra = ["--no-cache"] if mode == "none" and name == "run" else []
            if mode != "none":
                extra = ["--cache", str(cache)]
            result = run_cli(*_command(name, corpora["seed"], out, *extra))
            assert result.code == 0, result.stderr
            if mode == "warm" and name != "run":
                assert "1 of 1 blocks read from" in result.stderr
        if mode == "cold":
            assert not (out / "run" / ".cache").exists()  # --cache replaces OUT/.cache
    assert _files(outs["cold"]) == _files(outs["none"])
    assert _files(outs["warm"]) == _files(outs["none"])
    assert len(_files(outs["none"])) == 9


@pytest.mark.parametrize("command", ["reuse", "run", "topics", "figures"])
def test_a_cache_folder_that_is_an_input_or_a_file_is_refused(command, corpora, tmp_path, run_cli):
    corpus = corpora["seed"]
    if command == "figures":
        args = ["figures", "--corpus", str(corpus), "--out", str(tmp_path / "figures")]
    else:
        args = _command(command, corpus, tmp_path)
    if command == "run":
        args = args[:4]  # without --reuse-sentences: the cache is the first problem
    other_file = tmp_path / "notes.txt"
    other_file.write_text("not a folder\n")
    for cache, said in (
        (corpus, f"error: --cache: {corpus} is a file: give a folder"),
        (other_file, f"error: --cache: {other_file} is a file: give a folder"),
        (corpus.parent, f"error: --cache: {corpus.parent} holds an input"),
        (other_file / "cache", f"error: --cache: {other_file / 'cache'}: {other_file} is a file"),
    ):
        result = run_cli(*args, "--cache", str(cache))
        assert result.code == 2, result.stderr
        assert result.stderr.startswith(said)
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]  # nothing written


def test_run_refuses_a_cache_folder_with_no_cache(corpora, tmp_path, run_cli):
    result = run_cli(
        "run", corpora["seed"], "--out", tmp_path / "run", "--cache", tmp_path / "c", "--no-cache"
    )
    assert (result.code, result.stderr) == (2, "error: --cache and --no-cache: give one of them\n")
    assert not (tmp_path / "run").exists()


def test_figures_reads_the_blocks_of_a_file_whose_titles_have_outer_spaces(tmp_path, cleaner):
    """The chunk reader (reuse, run, topics) and load_corpus (figures) give the same articles,
    titles, urls and wire fields stripped alike, so the same blocks (an outlet per web domain,
    so that the chunk reader merges no outlet names)."""
    articles = _constructed().assign(
        title=lambda t: t["title"] + " ",
        url=lambda t: " https://" + t["outlet"].str.replace(" ", "") + ".example/" + t["doc_id"],
        wire=" yes",
    )
    path = tmp_path / "spaced.csv"
    write_corpus_csv(articles, path)
    cleaned_corpus(path, cache_dir=tmp_path / "cache")
    cleaner.clear()
    study = load_study_cached(path, tmp_path / "cache")
    assert cleaner == []
    assert study.articles["title"].str.endswith(" ").sum() == 0
