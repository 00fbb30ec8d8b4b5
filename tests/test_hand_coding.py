"""Hand coding of the extended corpus: the coders' files, agreement, and the adjudication rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, interval_distance

from analysis.core.errors import InputError
from analysis.framing.codebook import load_codebook
from analysis.validation.hand_coding import (
    CODING_DIR,
    adjudicate_articles,
    adjudicate_sentences,
    krippendorff_alpha,
    read_article_codes,
    read_sentence_codes,
)


@pytest.mark.parametrize(("level", "distance"), [("nominal", binary_distance), ("interval", interval_distance)])
def test_alpha_agrees_with_nltks_implementation(level, distance):
    rng = np.random.default_rng(3)
    a = rng.integers(-2, 3, size=80)
    b = np.where(rng.random(80) < 0.7, a, rng.integers(-2, 3, size=80))
    data = [("a", i, int(v)) for i, v in enumerate(a)] + [("b", i, int(v)) for i, v in enumerate(b)]
    expected = AnnotationTask(data=data, distance=distance).alpha()
    assert krippendorff_alpha(a, b, level)["alpha"] == pytest.approx(expected)


def test_alpha_is_one_for_identical_codes_and_chance_is_the_pooled_share():
    result = krippendorff_alpha([1, 1, 0, 0], [1, 1, 0, 0])
    assert result["alpha"] == 1.0 and result["observed_agreement"] == 1.0
    # 8 values, 4 ones and 4 zeros: identical pairs 2 * (4 * 3) / (8 * 7)
    assert result["chance_agreement"] == pytest.approx(24 / 56)


def _article(doc_id, downturn, convergence, dominant, tone, ev=""):
    return {
        "doc_id": doc_id,
        "downturn": downturn,
        "convergence": convergence,
        "dominant": dominant,
        "tone": tone,
        "downturn_evidence": ev if downturn else "",
        "convergence_evidence": ev if convergence else "",
    }


def test_adjudication_takes_agreement_then_the_majority_then_the_median():
    a = pd.DataFrame([_article("x", 1, 0, "downturn", -2, "ties strained"), _article("y", 0, 0, "procedural", 0)])
    b = pd.DataFrame([_article("x", 0, 0, "procedural", 0), _article("y", 0, 0, "procedural", 0)])
    c = pd.DataFrame([_article("x", 1, 1, "balanced", -1, "reset")])
    result = adjudicate_articles(a, b, c).set_index("doc_id")
    assert result.loc["x", "downturn"] == 1  # A and C
    assert result.loc["x", "convergence"] == 0  # A and B agree; C is not asked
    assert result.loc["x", "dominant"] == "balanced"  # all three differ: C's
    assert result.loc["x", "tone"] == -1  # median of -2, 0, -1
    assert result.loc["x", "resolution"] == "third coder"
    assert result.loc["x", "downturn_evidence"] == "ties strained | reset"
    assert result.loc["y", "resolution"] == "agreed"


def test_adjudication_refuses_a_dispute_the_third_coder_did_not_code():
    a = pd.DataFrame([_article("x", 1, 0, "downturn", -1)])
    b = pd.DataFrame([_article("x", 0, 0, "procedural", 0)])
    with pytest.raises(InputError, match="'x'"):
        adjudicate_articles(a, b, a.iloc[0:0])


def test_sentence_adjudication_is_per_frame():
    frames = ["downturn", "trade_economy"]
    a = pd.DataFrame({"doc_id": ["d"], "sent_idx": [0], "downturn": [1], "trade_economy": [1]})
    b = pd.DataFrame({"doc_id": ["d"], "sent_idx": [0], "downturn": [0], "trade_economy": [1]})
    c = pd.DataFrame({"doc_id": ["d"], "sent_idx": [0], "downturn": [0], "trade_economy": [0]})
    result = adjudicate_sentences(a, b, c, frames).iloc[0]
    assert (result["downturn"], result["trade_economy"]) == (0, 1)


def test_a_bad_code_is_named_by_file_row_and_field(tmp_path):
    path = tmp_path / "codes.csv"
    pd.DataFrame([_article("x", 1, 0, "downturn", 3)]).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"codes.csv: row 2: field 'tone'"):
        read_article_codes(path)


def test_committed_adjudication_is_the_rule_applied_to_the_committed_passes():
    frame_ids = load_codebook().frame_ids
    articles = [read_article_codes(CODING_DIR / f"article_coder_{c}.csv") for c in "abc"]
    expected = adjudicate_articles(*articles)
    committed = pd.read_csv(CODING_DIR / "article_adjudicated.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(committed, expected, check_dtype=False)
    sentences = [read_sentence_codes(CODING_DIR / f"sentence_coder_{c}.csv", frame_ids) for c in "abc"]
    committed = pd.read_csv(CODING_DIR / "sentence_adjudicated.csv", keep_default_na=False)
    pd.testing.assert_frame_equal(committed, adjudicate_sentences(*sentences, frame_ids), check_dtype=False)
    assert len(committed) == 598 and len(expected) == 114
