"""Large corpora: import with column mapping and outlet names, chunked measures, cache, Dask."""

from __future__ import annotations

import lzma

import pandas as pd
import pytest

from analysis.io.chunks import MEDIA_CLOUD, ColumnMap, import_corpus, outlet_key, outlet_names
from analysis.io.corpus import write_corpus_csv
from analysis.run.cache import chunk_key
from analysis.run.corpus import cleaned_corpus, measure_corpus
from analysis.run.sentences import PARTS
from analysis.run.summary import outlet_summary
from analysis.study import measures


@pytest.fixture(scope="module")
def seed_csv(tmp_path_factory, study):
    path = tmp_path_factory.mktemp("seed") / "seeds.csv"
    write_corpus_csv(study.articles.drop(columns=["clean_text"]), path)
    return path


def test_outlet_variants_share_a_key_by_domain_or_folded_name():
    assert outlet_key("Fox News", url="https://www.foxnews.com/a") == "foxnews.com"
    assert outlet_key("Fox Online News", domain="www.foxnews.com") == "foxnews.com"
    assert outlet_key("Fox News (Online)") == outlet_key("FOX NEWS") == "fox news"
    assert outlet_key("Fox News") != outlet_key("Fox Business")
    names = outlet_names({("foxnews.com", "Fox News"): 5, ("foxnews.com", "Fox Online News"): 2})
    assert names == {"foxnews.com": "Fox News"}


def test_chunked_measures_equal_the_study_measures(seed_csv, study):
    chunked = measure_corpus(seed_csv, chunk_size=2)
    whole = measures.score_table(study, reuse=False)
    assert set(chunked.columns) - set(whole.columns) == {"outlet_raw", "outlet_key"}
    pd.testing.assert_frame_equal(
        chunked[whole.columns].reset_index(drop=True),
        whole.reset_index(drop=True),
        check_dtype=False,
    )


def test_process_pool_and_dask_give_identical_results(seed_csv):
    pytest.importorskip("dask.distributed")
    single = measure_corpus(seed_csv, chunk_size=2)
    pooled = measure_corpus(seed_csv, chunk_size=2, workers=2)
    dask = measure_corpus(seed_csv, chunk_size=2, dask="local:2")
    pd.testing.assert_frame_equal(single, pooled)
    pd.testing.assert_frame_equal(single, dask)


def test_cleaning_in_processes_gives_the_study_tables_in_order(seed_csv, study):
    single = cleaned_corpus(seed_csv, chunk_size=2)
    pooled = cleaned_corpus(seed_csv, chunk_size=2, workers=2)
    for one, two in zip(single, pooled, strict=True):
        pd.testing.assert_frame_equal(one, two)
    articles, sentences = pooled
    assert articles["doc_id"].tolist() == study.articles["doc_id"].tolist()
    assert articles["clean_text"].tolist() == study.articles["clean_text"].tolist()
    assert sentences["text"].tolist() == study.sentences["text"].tolist()


def test_cache_is_keyed_by_content_and_reused(seed_csv, study, tmp_path, monkeypatch):
    import analysis.run.cache

    measured = []
    measure = analysis.run.cache.measure_chunk

    def counting(articles, *args):
        measured.append(len(articles))
        return measure(articles, *args)

    monkeypatch.setattr(analysis.run.cache, "measure_chunk", counting)
    cache = tmp_path / "cache"
    first = measure_corpus(seed_csv, chunk_size=5, cache_dir=cache)
    assert measured == [len(study.articles)]
    files = sorted(path for path in cache.iterdir() if path.is_file())
    assert [path.suffix for path in files] == [".json", ".parquet"]  # the table and its hash
    # beside them, the chunk's one block of cleaned text, cleaning report and sentences
    blocks = sorted(path.name.split(".", 1)[1] for path in (cache / "sentences").iterdir())
    assert blocks == [f"{part}.{suffix}" for part in PARTS for suffix in ("json", "parquet")]
    written = {path: path.stat().st_mtime_ns for path in cache.rglob("*")}
    again = measure_corpus(seed_csv, chunk_size=5, cache_dir=cache)
    pd.testing.assert_frame_equal(first, again, check_dtype=False)
    assert measured == [len(study.articles)]  # nothing measured again ...
    assert {path: path.stat().st_mtime_ns for path in cache.rglob("*")} == written  # or written
    edited = study.articles.drop(columns=["clean_text"]).copy()
    assert chunk_key(edited, None, None) == chunk_key(edited.copy(), None, None)
    edited.loc[edited.index[0], "text"] += " One more sentence."
    assert chunk_key(edited, None, None) != chunk_key(
        study.articles.drop(columns=["clean_text"]), None, None
    )


def test_cache_key_holds_the_versions_codebook_and_actors_that_change_results(
    study, tmp_path, monkeypatch
):
    import analysis
    import analysis.run.block_measures
    import analysis.run.cache
    from analysis.framing.codebook import STUDY_CODEBOOK
    from analysis.voices import STUDY_ACTORS

    articles = study.articles.drop(columns=["clean_text"])
    key = chunk_key(articles, None, None)
    # the study's files named explicitly are the same inputs as the defaults
    assert chunk_key(articles, STUDY_CODEBOOK, STUDY_ACTORS) == key
    codebook, actors = tmp_path / "codebook.yaml", tmp_path / "actors.yaml"
    codebook.write_bytes(STUDY_CODEBOOK.read_bytes() + b"\n# another codebook\n")
    actors.write_bytes(STUDY_ACTORS.read_bytes() + b"\n# another list\n")
    assert chunk_key(articles, codebook, None) != key
    assert chunk_key(articles, None, actors) != key
    real = analysis.run.block_measures.library_versions(
        analysis.run.block_measures.RESULT_LIBRARIES
    )
    for library in ("nltk", "vaderSentiment", "scikit-learn", "numpy", "pandas"):
        changed = {**real, library: "0.0.1"}
        with monkeypatch.context() as patch:
            patch.setattr(
                analysis.run.block_measures, "library_versions", lambda names, c=changed: c
            )
            assert chunk_key(articles, None, None) != key, library
    monkeypatch.setattr(analysis, "__version__", "99.0.0")
    assert chunk_key(articles, None, None) != key


def test_a_cached_table_that_does_not_match_its_hash_is_measured_again(seed_csv, tmp_path):
    cache = tmp_path / "cache"
    first = measure_corpus(seed_csv, chunk_size=5, cache_dir=cache)
    (cached,) = cache.glob("*.parquet")
    tampered = first.assign(frame_index=1.0)
    tampered.to_parquet(cached, index=False)  # a readable table, not the one that was cached
    again = measure_corpus(seed_csv, chunk_size=5, cache_dir=cache)
    pd.testing.assert_frame_equal(again, first, check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(cached), first, check_dtype=False)  # repaired
    cached.write_bytes(cached.read_bytes()[:100])  # truncated: not read, measured again
    pd.testing.assert_frame_equal(
        measure_corpus(seed_csv, chunk_size=5, cache_dir=cache), first, check_dtype=False
    )


def test_import_maps_columns_normalises_outlets_and_writes_parquet(tmp_path):
    source = tmp_path / "export.csv"
    pd.DataFrame(
        {
            "stories_id": ["1", "2", "3"],
            "media_name": ["Fox News", "Fox News (Online)", "Daily Planet"],
            "media_url": ["foxnews.com", "https://www.foxnews.com", ""],
            "publish_date": ["2026-02-02 10:00:00", "", "2026-02-03"],
            "title": ["A", "B", "C"],
            "url": ["https://x/1", "https://x/1", "https://y/3"],
            "body": ["Ties are strong.", "Talks stalled.", "Officials met today."],
        }
    ).to_csv(source, index=False)
    columns = ColumnMap(**{**MEDIA_CLOUD.__dict__, "id": "stories_id", "text": "body"})
    out = tmp_path / "corpus.parquet"
    count, warnings = import_corpus(source, out, columns)
    assert count == 3
    table = pd.read_parquet(out)
    assert table["outlet"].tolist() == ["Fox News", "Fox News", "Daily Planet"]
    assert table["outlet_raw"].tolist()[1] == "Fox News (Online)"
    assert table["date"].tolist() == ["2026-02-02", "", "2026-02-03"]
    messages = " ".join(str(w) for w in warnings)
    assert "1 articles have no date" in messages and "repeat another's URL" in messages
    assert "merged from name variants" in messages


def test_import_error_names_row_and_field_and_writes_nothing(tmp_path, run_cli):
    source = tmp_path / "bad.csv"
    pd.DataFrame(
        {"id": ["1", "2", "2"], "outlet": ["A", "B", "B"], "text": ["x y", "", "z"]}
    ).to_csv(source, index=False)
    out = tmp_path / "out.parquet"
    result = run_cli("import", source, "--out", out)
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "row 2, field 'text'" in result.stderr and "1 more" in result.stderr
    assert not out.exists() and not list(tmp_path.glob(".*tmp"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin1.csv", b"id,outlet,text\n1,A,ok\n2,B,caf\xe9\n", "line 3: not valid UTF-8"),
        (
            "broken.jsonl",
            b'{"id": "1", "outlet": "A", "text": "x"}\n\n{"id": "2",\n',
            "line 3: not valid JSON",
        ),
    ],
)
def test_streaming_stages_name_the_line_a_file_breaks_on(tmp_path, run_cli, name, content, message):
    source = tmp_path / name
    source.write_bytes(content)
    for command in (
        ["run", source, "--out", tmp_path / "run"],
        ["reuse", source, "--out", tmp_path / "p.csv"],
    ):
        result = run_cli(*command)
        assert result.code == 2 and "Traceback" not in result.stderr
        assert result.stderr == f"error: {source}: {message}" + result.stderr.split(message)[1]
        assert result.stderr.count("\n") == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


def test_import_without_a_mapped_column_says_which_option(tmp_path, run_cli):
    source = tmp_path / "export.csv"
    pd.DataFrame({"stories_id": ["1"], "media_name": ["A"], "body": ["x"]}).to_csv(
        source, index=False
    )
    result = run_cli("import", source, "--out", tmp_path / "o.parquet", "--preset", "mediacloud")
    assert result.code == 2 and "--text-col" in result.stderr
    result = run_cli(
        "import",
        source,
        "--out",
        tmp_path / "o.parquet",
        "--preset",
        "mediacloud",
        "--id-col",
        "stories_id",
        "--text-col",
        "body",
    )
    assert result.code == 0, result.stderr
    # the warning (articles with no date) goes to standard error, the count alone to the output
    assert "warning:" in result.stderr and "no date" in result.stderr
    assert result.stdout == f"imported 1 articles -> {tmp_path / 'o.parquet'}\n"


def test_run_command_writes_scores_and_outlet_summary(seed_csv, tmp_path, run_cli, study):
    out = tmp_path / "run"
    result = run_cli("run", seed_csv, "--out", out, "--chunk-size", "2")
    assert result.code == 0, result.stderr
    scores = pd.read_parquet(out / "scores.parquet")
    assert len(scores) == len(study.articles)
    outlets = pd.read_csv(out / "outlets.csv")
    index = outlets[outlets["measure"] == "frame_index"].set_index("outlet")["estimate"]
    per_article = measures.frames_per_article(study).set_index("outlet")["frame_index"]
    assert index.to_numpy() == pytest.approx(per_article.reindex(index.index).to_numpy(), abs=1e-5)


def test_run_with_the_corpus_reuse_measures_own_text_as_the_whole_study_does(
    seed_csv, tmp_path, run_cli, study
):
    sentence_status = tmp_path / "sentences.csv"
    result = run_cli(
        "reuse", seed_csv, "--out", tmp_path / "pairs.csv", "--sentences", sentence_status
    )
    assert result.code == 0, result.stderr
    out = tmp_path / "run"
    result = run_cli(
        "run", seed_csv, "--out", out, "--chunk-size", "2", "--reuse-sentences", sentence_status
    )
    assert result.code == 0, result.stderr
    chunked = pd.read_parquet(out / "scores.parquet")
    whole = measures.score_table(study, reuse=True)
    assert {"shared_share", "own_frame_index", "own_sentiment_mean"} <= set(whole.columns)
    pd.testing.assert_frame_equal(
        chunked[whole.columns].reset_index(drop=True),
        whole.reset_index(drop=True),
        check_dtype=False,
    )
    outlets = pd.read_csv(out / "outlets.csv").set_index(["outlet", "measure"])["estimate"]
    own = measures.frames_per_article_own(study).set_index("outlet")["frame_index"]
    for outlet, index in own.items():
        assert outlets[(outlet, "own_frame_index")] == pytest.approx(index, abs=1e-6)
    shared = whole.set_index("outlet")["shared_share"]
    for outlet, share in shared.items():
        assert outlets[(outlet, "shared_share")] == pytest.approx(share, abs=1e-6)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.iloc[1:], "its sentences are not the corpus's"),
        (lambda t: pd.concat([t, t.iloc[:1]]), "is listed twice"),
        (lambda t: t.assign(own=t["own"].astype(str).replace("True", "yes")), "column 'own'"),
        (lambda t: t.drop(columns="n_words"), "missing column(s) n_words"),
    ],
)
def test_run_refuses_a_reuse_table_that_is_not_the_corpus(
    seed_csv, tmp_path, run_cli, study, change, message
):
    table = measures.reuse_per_sentence(study)
    bad = tmp_path / "sentences.csv"
    change(table).to_csv(bad, index=False)
    out = tmp_path / "run"
    result = run_cli("run", seed_csv, "--out", out, "--no-cache", "--reuse-sentences", bad)
    assert result.code == 2 and "Traceback" not in result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


def test_outlet_summary_resamples_articles():
    scores = pd.DataFrame(
        {
            "outlet": ["X", "X", "Y"],
            "n_sentences": [10, 30, 5],
            "frame_downturn_sentences": [1, 9, 0],
            "frame_convergence_sentences": [5, 3, 1],
            "sentiment_mean": [0.2, -0.2, 0.5],
        }
    )
    table = outlet_summary(scores, n_boot=300).set_index(["outlet", "measure"])
    x = table.loc[("X", "frame_downturn_share")]
    assert x["estimate"] == pytest.approx(10 / 40)
    assert 0.1 - 1e-9 <= x["low"] <= x["estimate"] <= x["high"] <= 0.3 + 1e-9
    assert table.loc[("X", "sentiment_mean"), "estimate"] == pytest.approx((2 - 6) / 40)
    assert pd.isna(table.loc[("Y", "frame_index"), "low"])  # one article: no interval


def test_streaming_stages_check_the_whole_file_before_writing_anything(seed_csv, tmp_path, run_cli):
    table = pd.read_csv(seed_csv, dtype=str, keep_default_na=False)
    late = pd.concat([table, table.iloc[:1].assign(id="late", date="2019-02-30")])
    source = tmp_path / "late.csv"
    late.to_csv(source, index=False)
    row = len(late)  # rows are numbered from 1 after the header
    for command in (
        ["run", source, "--out", tmp_path / "run", "--chunk-size", "2"],
        ["reuse", source, "--out", tmp_path / "pairs.csv", "--chunk-size", "2"],
        ["topics", source, "--out", tmp_path / "topics", "-k", "2", "--chunk-size", "2"],
    ):
        result = run_cli(*command)
        assert result.code == 2 and "Traceback" not in result.stderr
        assert f"row {row}, field 'date'" in result.stderr and result.stderr.count("\n") == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["late.csv"]


def test_run_merges_outlet_names_as_import_does(seed_csv, tmp_path, run_cli):
    table = pd.read_csv(seed_csv, dtype=str, keep_default_na=False)
    variants = table.assign(
        outlet=["Fox News", "Fox News (Online)", "Fox News", "Daily Planet", "FOX NEWS"][
            : len(table)
        ],
        url=[f"https://www.foxnews.com/{i}" for i in range(len(table))],
    )
    variants.loc[3, "url"] = "https://dailyplanet.example/3"
    source = tmp_path / "variants.csv"
    variants.to_csv(source, index=False)
    imported = tmp_path / "imported.parquet"
    assert run_cli("import", source, "--out", imported).code == 0
    for corpus, out in ((source, tmp_path / "direct"), (imported, tmp_path / "after_import")):
        result = run_cli("run", corpus, "--out", out, "--no-cache", "--chunk-size", "2")
        assert result.code == 0, result.stderr
    direct = pd.read_parquet(tmp_path / "direct" / "scores.parquet")
    after_import = pd.read_parquet(tmp_path / "after_import" / "scores.parquet")
    assert direct["outlet"].tolist() == ["Fox News"] * 3 + ["Daily Planet", "Fox News"]
    pd.testing.assert_frame_equal(direct, after_import)


def test_validate_with_column_options_checks_what_import_needs(tmp_path, run_cli):
    source = tmp_path / "renamed.csv"
    renamed = pd.DataFrame(
        {
            "story_id": ["1", "2", "3", "3"],
            "publication": ["Fox News", "Fox News (Online)", "Daily Planet", "Daily Planet"],
            "body": ["Ties are strong.", "Talks stalled.", "", "Officials met."],
        }
    )
    renamed.to_csv(source, index=False)
    mapping = ["--id-col", "story_id", "--outlet-col", "publication", "--text-col", "body"]
    result = run_cli("validate", source, *mapping)
    assert result.code == 2 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"error: {source}: row 3, field 'text': empty text"
    assert lines[1].startswith(f"error: {source}: row 4, field 'id': duplicate id '3'")
    assert lines[-1] == f"{source}: not usable (2 errors, 0 warnings)"
    renamed.iloc[:2].to_csv(source, index=False)
    result = run_cli("validate", source, *mapping)
    assert result.code == 0, result.stdout + result.stderr
    assert "merged from name variants" in result.stdout and "ok (0 errors" in result.stdout
    without_options = run_cli("validate", source)
    assert without_options.code == 2 and "missing required column" in without_options.stdout
    # and it says how to use a file whose columns have other names
    assert "import it first: framing import FILE --out corpus.parquet --id-col" in (
        without_options.stdout
    )


@pytest.mark.parametrize("name", ["empty.csv", "blank.csv", "empty.jsonl", "empty.csv.xz"])
def test_every_command_says_the_same_of_an_empty_file(tmp_path, run_cli, name):
    source = tmp_path / name
    content = b"\n\n" if name == "blank.csv" else b""
    source.write_bytes(lzma.compress(content) if name.endswith(".xz") else content)
    said = set()
    for command in (
        ["import", source, "--out", tmp_path / "o.parquet"],
        ["run", source, "--out", tmp_path / "run"],
        ["reuse", source, "--out", tmp_path / "pairs.csv"],
        ["score", source, "--out", tmp_path / "scores.csv"],
    ):
        result = run_cli(*command)
        assert result.code == 2 and "Traceback" not in result.stderr, command
        said.add(result.stderr)
    # validate's report of problems is its output; its first line is the same error
    report = run_cli("validate", source)
    assert report.code == 2 and "Traceback" not in report.stderr
    said.add(report.stdout.splitlines(keepends=True)[0])
    assert said == {f"error: {source}: the file is empty (no header, no articles)\n"}
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]


def test_import_merges_a_leading_the_and_names_the_variants_it_merged(tmp_path, run_cli):
    source = tmp_path / "variants.csv"
    names = ["The Morning Post", "Morning Post", "Ledger Times (Online)", "Ledger Times", "Gazette"]
    pd.DataFrame(
        {"id": range(5), "outlet": names, "text": [f"Text number {i}." for i in range(5)]}
    ).to_csv(source, index=False)
    result = run_cli("import", source, "--out", tmp_path / "o.parquet")
    assert result.code == 0, result.stderr
    outlets = pd.read_parquet(tmp_path / "o.parquet")["outlet"]
    assert outlets.nunique() == 3 and outlets.iloc[0] == outlets.iloc[1]
    assert "2 outlets merged from name variants" in result.stderr
    assert "'Morning Post' from 'Morning Post', 'The Morning Post'" in result.stderr
