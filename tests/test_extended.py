"""The study at full size: the coverage metadata, the outlet table and the extended outputs."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.config import CORPUS_DIR
from analysis.core.errors import InputError
from analysis.io.chunks import outlet_key
from analysis.study.extended import (
    COVERAGE_METADATA_FILE,
    OUTLET_COLUMNS,
    OUTLET_KINDS,
    OUTLETS_FILE,
    coverage_available,
    coverage_metadata_table,
    coverage_path,
    read_outlets,
)

NEEDS_COVERAGE = pytest.mark.skipif(
    not coverage_available(),
    reason=f"coverage corpus not found at {coverage_path()} (set FRAMING_SHARED_DATA)",
)


def _committed_metadata() -> pd.DataFrame:
    return pd.read_csv(COVERAGE_METADATA_FILE, dtype=str, keep_default_na=False)


def _all_articles_metadata() -> pd.DataFrame:
    seeds = pd.read_csv(CORPUS_DIR / "metadata.csv", dtype=str, keep_default_na=False)
    return pd.concat([seeds, _committed_metadata()], ignore_index=True)


@NEEDS_COVERAGE
def test_committed_coverage_metadata_is_the_coverage_files():
    drawn = coverage_metadata_table()
    committed = _committed_metadata()
    assert committed.columns.tolist() == drawn.columns.tolist()
    assert committed.equals(drawn.astype(str))


def test_committed_coverage_metadata_has_no_titles_or_texts():
    committed = _committed_metadata()
    assert len(committed) == 109
    assert not {"title", "text"} & set(committed.columns)
    assert committed["text_sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert (committed["date"] == "").sum() == 57


def test_outlet_table_has_one_row_for_every_outlet_of_the_114_articles():
    outlets = read_outlets()
    articles = _all_articles_metadata()
    assert sorted(outlets["outlet"]) == sorted(articles["outlet"].unique())
    assert len(outlets) == 98
    counts = articles["outlet"].value_counts()
    assert (outlets.set_index("outlet")["n_articles"] == counts.reindex(outlets["outlet"])).all()


def test_outlet_domains_are_the_hosts_of_their_articles_addresses():
    outlets = read_outlets().set_index("outlet")
    for outlet, rows in _all_articles_metadata().groupby("outlet"):
        hosts = {outlet_key("", url=url) for url in rows["url"]}
        assert hosts == {outlets.loc[outlet, "domain"]}, outlet


def test_every_outlet_value_is_coded_and_has_a_source():
    outlets = read_outlets()
    assert outlets["kind"].isin(OUTLET_KINDS).all()
    for column in ("domain", "country", "kind"):
        assert (outlets[column] != "").all()
        assert (outlets[f"{column}_source"] != "").all()
    unknown = outlets["country"] == "unknown"
    assert (outlets.loc[unknown, "country_source"] == "not shown").all()
    assert (outlets.loc[~unknown, "country_source"] != "not shown").all()


def test_an_outlet_table_with_an_unknown_kind_names_the_row(tmp_path):
    table = pd.read_csv(OUTLETS_FILE, dtype=str, keep_default_na=False)
    table.loc[3, "kind"] = "blog"
    path = tmp_path / "outlets.csv"
    table[OUTLET_COLUMNS].to_csv(path, index=False)
    with pytest.raises(InputError, match=r"row 5 .*kind 'blog'"):
        read_outlets(path)


def test_extended_without_the_coverage_corpus_keeps_the_outputs_and_says_why(tmp_path):
    import os
    import subprocess
    import sys

    from analysis.core.config import PROJECT_ROOT

    out = tmp_path / "extended"
    out.mkdir()
    (out / "extended_articles.json").write_text("{}\n")
    env = {**os.environ, "FRAMING_SHARED_DATA": str(tmp_path / "nowhere")}
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "extended", "--out", str(out)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and "not rebuilt" in lines[0] and "nowhere" in lines[0]
    assert sorted(p.name for p in out.iterdir()) == ["extended_articles.json"]
    assert (out / "extended_articles.json").read_text() == "{}\n"


def _constructed_articles() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "day": ["2026-02-02", "2026-02-02", "2026-02-03", "undated"],
            "n_sentences": [10, 10, 5, 4],
            "frame_convergence_sentences": [4, 0, 1, 0],
            "frame_downturn_sentences": [0, 2, 1, 2],
            "frame_convergence_present": [1, 0, 1, 0],
            "frame_downturn_present": [0, 1, 1, 1],
        }
    )


def test_framing_by_pools_sentences_and_resamples_articles():
    from analysis.study.extended_measures import framing_by

    table = framing_by(_constructed_articles(), "day", ["downturn", "convergence"])
    index = table[table["measure"] == "index"].set_index("group")
    assert index.loc["2026-02-02", "estimate"] == pytest.approx((4 - 2) / 20)
    assert index.loc["2026-02-02", "resampled"] == "articles"
    low, high = index.loc["2026-02-02", ["low", "high"]]
    assert -0.2 <= low < high <= 0.4  # the two articles alone: -0.2 and +0.4
    # one article: no interval, never one made from its sentences
    assert index.loc["2026-02-03", ["low", "high"]].isna().all()
    assert index.loc["2026-02-03", "resampled"] == "none (one article)"
    present = table[(table["measure"] == "present") & (table["frame"] == "downturn")]
    assert present.set_index("group").loc["2026-02-02", "estimate"] == 0.5
    assert set(table["group"]) == {"2026-02-02", "2026-02-03", "undated"}


@pytest.fixture(scope="module")
def extended_study():
    if not coverage_available():
        pytest.skip(f"coverage corpus not found at {coverage_path()} (set FRAMING_SHARED_DATA)")
    from analysis.study.extended import load_extended_study

    return load_extended_study()


#: Outputs whose tables need the topic model (a minute to choose k): left out of the fast checks.
TOPIC_OUTPUTS = (
    "extended_topic_quality",
    "extended_topic_terms",
    "extended_topic_prevalence",
    "extended_topic_typical_units",
    "extended_distinctive_terms",
)


def test_extended_tables_hold_no_sentence_of_the_coverage(extended_study):
    from analysis.outputs.figures import EXTENDED_REGISTRY

    sentences = extended_study.sentences
    coverage = extended_study.articles.loc[
        extended_study.articles["corpus"] == "coverage", "doc_id"
    ]
    texts = {
        t for t in sentences.loc[sentences["doc_id"].isin(coverage), "text"] if len(t.split()) >= 6
    }
    assert len(texts) > 500
    for name, spec in EXTENDED_REGISTRY.items():
        if name in TOPIC_OUTPUTS:
            continue
        table = spec.compute(extended_study)
        cells = {str(v) for column in table.select_dtypes(["object", "str"]) for v in table[column]}
        assert not cells & texts, name
        assert not {"text", "sentence", "title", "clean_text"} & set(table.columns), name


def test_every_extended_caption_names_the_unit():
    from analysis.outputs.figures import EXTENDED_REGISTRY

    for spec in EXTENDED_REGISTRY.values():
        assert "opening" in spec.caption and "full text" in spec.caption, spec.name


def test_an_extended_figure_renders_the_same_bytes_twice(extended_study):
    from analysis.outputs.figures import EXTENDED_REGISTRY
    from analysis.outputs.figures.registry import figure_bytes, render

    spec = EXTENDED_REGISTRY["extended_framing_by_day"]
    table = spec.compute(extended_study)
    first = figure_bytes(spec, render(spec, table))
    second = figure_bytes(spec, render(spec, table))
    assert first == second
    assert (table["group"] == "undated").any()
