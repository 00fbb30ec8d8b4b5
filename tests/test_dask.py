"""``framing reuse`` and ``framing topics`` on a Dask cluster give the local path's outputs, byte
for byte: on the seed articles and on a small constructed corpus, on a local cluster of two
worker processes (reached by its scheduler's address, as an existing cluster would be)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis.io.chunks import ColumnMap
from analysis.io.corpus import write_corpus_csv
from analysis.reuse import ReuseSettings, detect_reuse, sentence_reuse
from analysis.run.reuse import corpus_reuse
from analysis.run.topics import corpus_topics, topics_files
from analysis.study.provenance import table_to_csv_bytes

distributed = pytest.importorskip(
    "dask.distributed", reason="dask.distributed is not installed (pip install dask[distributed])"
)


@pytest.fixture(scope="module")
def cluster():
    """A local Dask cluster of two single-threaded worker processes; its scheduler address."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def seed_csv(tmp_path_factory, study):
    path = tmp_path_factory.mktemp("seed") / "seeds.csv"
    write_corpus_csv(study.articles.drop(columns=["clean_text"]), path)
    return path


def _story_corpus(n_documents: int = 40) -> pd.DataFrame:
    """Articles of seeded filler words, the first ones carrying shared sentences: wire copy
    reprinted whole or in part, light edits, and two topics' vocabularies (trade, floods)."""
    rng = np.random.default_rng(11)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocabulary = ["".join(rng.choice(letters, rng.integers(4, 10))) for _ in range(1500)]
    wire = [
        "The ministers agreed on Tuesday to cut tariffs on critical minerals by half next year.",
        "Officials said the agreement would secure supply chains for batteries and chips.",
        "Talks on a wider trade deal will resume in Geneva in the first week of March.",
    ]
    floods = [
        "Heavy rain flooded the river valley and closed schools across the state on Monday.",
        "Rescue teams moved families from low villages as the water kept rising overnight.",
    ]
    edited = [
        sentence.replace("Tuesday", "Wednesday").replace("half", "a third") for sentence in wire
    ]
    carried = [wire, wire, wire[:2], edited, edited[1:], floods, floods, floods[:1]]
    rows = []
    for number in range(n_documents):
        sentences = [
            " ".join(rng.choice(vocabulary, rng.integers(10, 18))).capitalize() + "."
            for _ in range(rng.integers(3, 7))
        ]
        if number < len(carried):
            sentences[1:1] = carried[number]
        rows.append(
            {
                "id": f"doc{number:02d}",
                "outlet": f"Outlet {number % 5}",
                "date": f"2026-01-{1 + number % 28:02d}",
                "title": f"Story {number}",
                "text": "\n\n".join(
                    " ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)
                ),
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def story_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("story") / "stories.csv"
    _story_corpus().to_csv(path, index=False)
    return path


def _reuse_bytes(path, **options) -> dict[str, bytes]:
    reuse = corpus_reuse(
        path, columns=ColumnMap(), per_sentence=True, per_article=True, workers=1, **options
    )
    return {
        "pairs": table_to_csv_bytes(reuse.result.pairs),
        "matches": table_to_csv_bytes(reuse.result.matches),
        "sentences": table_to_csv_bytes(reuse.sentences),
        "articles": table_to_csv_bytes(reuse.articles),
    }


@pytest.mark.parametrize("corpus", ["seed_csv", "story_csv"])
@pytest.mark.parametrize("method", ["all_pairs", "lsh"])
def test_reuse_on_dask_writes_the_same_bytes_as_locally(request, cluster, corpus, method):
    path = request.getfixturevalue(corpus)
    local = _reuse_bytes(path, chunk_size=7, method=method)
    on_dask = _reuse_bytes(path, chunk_size=7, method=method, dask=cluster)
    assert on_dask == local
    if corpus == "story_csv":
        assert local["pairs"].count(b"\n") > 10  # shared text was found


def test_reuse_tasks_give_the_same_tables_as_one_process(cluster):
    from analysis.run.dask import DaskMapper, dask_client
    from analysis.text.sentences import split_sentences

    stories = _story_corpus(60).rename(columns={"id": "doc_id", "text": "clean_text"})
    sentences = split_sentences(stories)
    settings = ReuseSettings(chunk_size=3)  # many reading tasks and blocks of candidates
    one = detect_reuse(stories, sentences, method="lsh", settings=settings)
    with dask_client(cluster) as client:
        tasks = detect_reuse(
            stories, sentences, method="lsh", settings=settings, mapper=DaskMapper(client)
        )
    assert len(one.pairs) > 10
    for name in ("pairs", "matches", "passages", "templates"):
        pd.testing.assert_frame_equal(getattr(tasks, name), getattr(one, name))
    same = {key: value for key, value in one.summary.items() if not key.startswith("seconds")}
    assert {key: tasks.summary[key] for key in same} == same
    pd.testing.assert_frame_equal(
        sentence_reuse(sentences, tasks.matches), sentence_reuse(sentences, one.matches)
    )


def _topics_bytes(path, tmp_path, workers=1, **options) -> dict[str, bytes]:
    topics = corpus_topics(
        path, columns=ColumnMap(), max_features=2000, phrases=True, workers=workers, **options
    )
    files = topics_files(topics, tmp_path)
    record = json.loads(files.pop(tmp_path / "topics_run.json"))
    del record["seconds"]  # wall time, the one thing that differs
    return {path.name: content for path, content in files.items()} | {"record": record}


@pytest.mark.parametrize(
    ("corpus", "unit", "k", "batch_size"),
    [
        ("seed_csv", "paragraph", 3, None),
        ("seed_csv", "paragraph", 3, 16),
        ("story_csv", "article", 2, None),
        ("story_csv", "sentence", 4, 64),
    ],
)
def test_topics_on_dask_write_the_same_bytes_as_locally(
    request, cluster, tmp_path, corpus, unit, k, batch_size
):
    path = request.getfixturevalue(corpus)
    options = {"chunk_size": 2, "k": k, "method": "nmf", "unit": unit, "batch_size": batch_size}
    local = _topics_bytes(path, tmp_path, **options)
    on_dask = _topics_bytes(path, tmp_path, **options, dask=cluster)
    assert on_dask == local
    assert local["topic_prevalence.csv"].count(b"\n") > k


def test_topics_in_two_local_workers_write_the_same_tables_as_in_one(tmp_path, story_csv):
    # the prevalence intervals are computed in runs of outlets in the workers
    options = {"chunk_size": 2, "k": 2, "method": "nmf", "unit": "sentence", "batch_size": None}
    one = _topics_bytes(story_csv, tmp_path, **options)
    two = _topics_bytes(story_csv, tmp_path, workers=2, **options)
    for name in ("topic_terms.csv", "topic_prevalence.csv"):
        assert two[name] == one[name]
    assert one["topic_prevalence.csv"].count(b"\n") == 1 + 5 * 2  # five outlets, two topics


def test_topic_texts_in_more_tasks_than_workers_come_back_in_order(cluster):
    from analysis.run.dask import DaskMapper, dask_client
    from analysis.topics import TopicModel

    texts = [" ".join(_story_corpus(1)["text"]) + f" item{i % 7}" for i in range(1200)]
    model = TopicModel(n_topics=3, min_df=1, max_df=1.0, collocation_sample=2000)
    local = model.fit_vectorize(texts)
    with dask_client(cluster) as client:
        on_dask = TopicModel(**model.get_params()).fit_vectorize(texts, DaskMapper(client))
    assert (local != on_dask).nnz == 0


def test_reuse_and_topics_commands_take_a_dask_address(tmp_path, run_cli, seed_csv, cluster):
    written = {}
    for name, extra in (("local", []), ("dask", ["--dask", cluster])):
        pairs = tmp_path / f"{name}_pairs.csv"
        result = run_cli("reuse", seed_csv, "--out", pairs, *extra)
        assert result.code == 0, result.stderr
        topics = tmp_path / f"{name}_topics"
        result = run_cli(
            "topics", seed_csv, "--out", topics, "-k", "2", "--unit", "paragraph", *extra
        )
        assert result.code == 0, result.stderr
        written[name] = [
            pairs.read_bytes(),
            (topics / "topic_terms.csv").read_bytes(),
            (topics / "topic_prevalence.csv").read_bytes(),
        ]
    assert written["dask"] == written["local"]


@pytest.mark.parametrize("command", ["reuse", "topics"])
@pytest.mark.parametrize(
    ("address", "said"),
    [("local:0", "give local:N"), ("no address", "give a scheduler address")],
)
def test_a_bad_dask_address_is_refused_in_one_line(
    tmp_path, run_cli, seed_csv, command, address, said
):
    extra = ["-k", "2"] if command == "topics" else []
    result = run_cli(command, seed_csv, "--out", tmp_path / "out", *extra, "--dask", address)
    assert result.code == 2
    assert f"--dask: {address!r}" in result.stderr and said in result.stderr
    assert "Traceback" not in result.stderr
