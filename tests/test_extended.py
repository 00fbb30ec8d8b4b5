"""The study at full size: the coverage metadata, the outlet table and the extended outputs."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.config import CORPUS_DIR
from analysis.errors import InputError
from analysis.extended import (
    COVERAGE_METADATA_FILE,
    OUTLET_COLUMNS,
    OUTLET_KINDS,
    OUTLETS_FILE,
    coverage_available,
    coverage_metadata_table,
    coverage_path,
    read_outlets,
)
from analysis.stream import outlet_key

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

    from analysis.config import PROJECT_ROOT

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
