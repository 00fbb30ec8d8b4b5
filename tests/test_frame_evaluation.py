"""The framing measure's validation on the extended corpus: sets, methods, no leakage."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from analysis.study.coding import coverage_path, extended_articles
from analysis.study.frame_evaluation import METHODS, SETS, article_features, method_comparison
from analysis.study.load import study_from_articles
from analysis.validation.hand_coding import CODING_DIR


@pytest.fixture(scope="module")
def extended():
    if not coverage_path().exists():
        pytest.skip(f"coverage corpus not found at {coverage_path()} (set FRAMING_SHARED_DATA)")
    return study_from_articles(extended_articles(), "extended")


def test_article_features_count_hits_by_place():
    articles = pd.DataFrame(
        {
            "doc_id": ["a"],
            "outlet": ["X"],
            "date": [""],
            "title": ["Ties deepen"],
            "url": [""],
            "wire": [""],
            "text": [
                "Talks began. Officials met. The minister said ties were deepening. "
                "Critics said the deal was a sell-out."
            ],
        }
    )
    features = article_features(study_from_articles(articles, "constructed")).loc["a"]
    assert features["convergence_headline"] == 1
    assert features["convergence_attributed"] > 0 and features["convergence_lead"] == 0
    assert features["downturn_attributed"] > 0 and features["downturn_narration"] == 0


def test_every_set_method_and_frame_is_scored_with_an_interval_around_it(extended):
    table = method_comparison(extended, n_boot=100)
    presence = table[table["measure"] == "presence"]
    assert len(presence) == len(SETS) * len(METHODS) * 2
    assert (presence["f1_low"] <= presence["f1"] + 1e-9).all()
    assert (presence["f1"] <= presence["f1_high"] + 1e-9).all()
    assert set(presence["n_articles"]) == {5, 77, 32}


def test_locked_test_labels_never_reach_a_model(extended, tmp_path):
    """Flip every locked-test article's codes: development and seed scores must not move."""
    for path in CODING_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    split = pd.read_csv(CODING_DIR.parent / "coverage_split.csv", dtype=str)
    test_ids = set(split.loc[split["split"] == "test", "doc_id"])
    gold = pd.read_csv(tmp_path / "article_adjudicated.csv", keep_default_na=False)
    flip = gold["doc_id"].isin(test_ids)
    for frame in ("downturn", "convergence"):
        gold.loc[flip, frame] = 1 - gold.loc[flip, frame]
    gold.to_csv(tmp_path / "article_adjudicated.csv", index=False)
    sentences = pd.read_csv(tmp_path / "sentence_adjudicated.csv", keep_default_na=False)
    flip = sentences["doc_id"].isin(test_ids)
    sentences.loc[flip, ["downturn", "convergence"]] = 1 - sentences.loc[flip, ["downturn", "convergence"]]
    sentences.to_csv(tmp_path / "sentence_adjudicated.csv", index=False)
    kept = SETS[:2]
    before = method_comparison(extended, n_boot=50, scored_sets=kept)
    after = method_comparison(extended, n_boot=50, scored_sets=kept, coding_dir=tmp_path)
    pd.testing.assert_frame_equal(before, after)
    changed = method_comparison(extended, n_boot=50, scored_sets=SETS[2:], coding_dir=tmp_path)
    original = method_comparison(extended, n_boot=50, scored_sets=SETS[2:])
    assert not np.allclose(changed["f1"].fillna(0), original["f1"].fillna(0))
