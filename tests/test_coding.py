"""The samples for hand coding: the locked test split and the sentence sample."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.config import CORPUS_DIR
from analysis.io.corpus import load_corpus
from analysis.study.coding import (
    copy_groups,
    coverage_metadata,
    coverage_path,
    draw_test_split,
    opening,
)

SPLIT_FILE = CORPUS_DIR / "annotations" / "coverage_split.csv"


def _constructed():
    wire = "the minister met his counterpart in washington on tuesday and the two discussed trade"
    texts = {
        "a1": wire + " said agency a",
        "a2": "completely different words about a farm protest in the capital city today " * 2,
        "a3": "reprinted: " + wire,
        "a4": "one more unrelated story on markets and the rupee falling against the dollar " * 2,
    }
    articles = pd.DataFrame(
        {"doc_id": list(texts), "outlet": ["X", "Y", "Z", "Y"], "text": list(texts.values())}
    )
    return articles


def test_copy_groups_join_shared_copy_and_one_outlets_articles():
    groups = copy_groups(_constructed())
    assert groups.tolist() == ["a1", "a2", "a1", "a2"]


def test_split_keeps_groups_whole_and_sets_aside_about_the_fraction():
    n = 60
    articles = pd.DataFrame(
        {
            "doc_id": [f"d{i:02d}" for i in range(n)],
            "outlet": [f"o{i // 2}" for i in range(n)],  # 30 outlets of two articles
            "text": [f"unique text number {i} " * 3 for i in range(n)],
        }
    )
    metadata = pd.DataFrame(
        {
            "id": articles["doc_id"],
            "outlet": articles["outlet"],
            "kind": ["news"] * 40 + ["opinion"] * 20,
            "date": ["2026-02-03"] * n,
        }
    )
    split = draw_test_split(metadata, copy_groups(articles), fraction=0.3, seed=7)
    assert split.groupby("group")["split"].nunique().max() == 1
    assert 14 <= (split["split"] == "test").sum() <= 22
    by_kind = split.groupby("kind")["split"].apply(lambda s: (s == "test").mean())
    assert by_kind.between(0.15, 0.45).all()
    again = draw_test_split(metadata, copy_groups(articles), fraction=0.3, seed=7)
    pd.testing.assert_frame_equal(split, again)


def test_committed_split_is_the_seeded_draw_and_no_outlet_crosses_it(shared_data):
    if not coverage_path().exists():
        pytest.skip(f"coverage corpus not found at {coverage_path()}")
    committed = pd.read_csv(SPLIT_FILE, dtype=str, keep_default_na=False)
    drawn = draw_test_split(coverage_metadata(), copy_groups(load_corpus(coverage_path())))
    assert committed[drawn.columns].equals(drawn.astype(str))
    assert committed.groupby("outlet")["split"].nunique().max() == 1
    assert 0.25 <= (committed["split"] == "test").mean() <= 0.35


def test_opening_is_the_measured_unit():
    assert opening("x" * 2500) == "x" * 2000
