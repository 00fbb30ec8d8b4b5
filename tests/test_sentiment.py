"""Tone per sentence and segment, narration versus quotation, tone toward actors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.sentiment import MIN_SEGMENT_WORDS, iter_compound, outlet_tone
from analysis.study import measures
from analysis.study.load import load_study

VADER = SentimentIntensityAnalyzer()


def _compound(text: str) -> float:
    return VADER.polarity_scores(text)["compound"]


def _constructed_study(tmp_path, rows):
    path = tmp_path / "corpus.csv"
    pd.DataFrame(rows, columns=["id", "outlet", "date", "title", "text"]).to_csv(path, index=False)
    return load_study(path)


MIXED = (
    "The talks collapsed in bitter failure. "
    "“We are wonderful friends and great partners,” Rubio said. "
    "Officials met."
)


def test_iter_compound_is_lazy_and_matches_vader():
    def texts():
        yield "Ties are strong and warm."
        raise AssertionError("read past the first text")

    scores = iter_compound(texts())
    assert next(scores) == pytest.approx(_compound("Ties are strong and warm."))


def test_article_tone_is_a_mean_over_sentences_never_one_compound(tmp_path):
    study = _constructed_study(tmp_path, [["a", "Out", "2026-02-02", "", MIXED]])
    sentences = measures.tone_per_sentence(study)
    assert len(sentences) == 3
    expected = np.mean([_compound(text) for text in study.sentences["text"]])
    article = measures.tone_per_article(study).set_index("doc_id").loc["a"]
    assert article["sentiment_mean"] == pytest.approx(expected)
    assert article["sentiment_mean"] != pytest.approx(_compound(MIXED))


def test_narration_and_quotation_are_scored_apart(tmp_path):
    study = _constructed_study(tmp_path, [["a", "Out", "2026-02-02", "", MIXED]])
    segments = measures.tone_per_segment(study)
    quotation = segments[segments["voice"] == "quotation"]
    assert quotation["speaker"].tolist() == ["Rubio"]
    # "Rubio said" is an attribution tag: kept, but not scored
    tag = segments[(segments["sent_idx"] == 1) & (segments["voice"] == "narration")]
    assert tag["n_words"].tolist() == [2] and not tag["scored"].any()
    article = measures.tone_per_article(study).set_index("doc_id").loc["a"]
    assert article["sentiment_quotation"] == pytest.approx(
        _compound("We are wonderful friends and great partners")
    )
    assert article["sentiment_quotation"] > 0 > article["sentiment_narration"]
    narration = segments[segments["scored"] & (segments["voice"] == "narration")]
    assert article["sentiment_narration"] == pytest.approx(narration["compound"].mean())
    # "Officials met." is short but a whole sentence, not a tag: scored
    assert article["n_narration_segments"] == 2
    assert article["quotation_share"] == pytest.approx(1 / 3)


def test_short_segments_follow_the_documented_threshold(tmp_path):
    study = _constructed_study(tmp_path, [["a", "Out", "2026-02-02", "", MIXED]])
    segments = measures.tone_per_segment(study)
    whole = segments.groupby(["doc_id", "sent_idx"])["start"].transform("size") == 1
    assert (segments["scored"] == ((segments["n_words"] >= MIN_SEGMENT_WORDS) | whole)).all()
    assert not segments["scored"].all()


def test_article_without_quotations_has_no_quotation_tone(tmp_path):
    study = _constructed_study(
        tmp_path, [["a", "Out", "2026-02-02", "", "Ties are strong. Talks went well."]]
    )
    article = measures.tone_per_article(study).set_index("doc_id").loc["a"]
    assert article["quotation_share"] == 0
    assert np.isnan(article["sentiment_quotation"])
    assert article["n_quotation_segments"] == 0


def test_outlet_tone_resamples_articles_when_there_are_several():
    articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"]})
    sentences = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "c", "c"],
            "sent_idx": [0, 1, 0, 0, 1],
            "voice": ["narration"] * 5,
            "speaker": [""] * 5,
            "compound": [0.5, 0.1, -0.6, 0.2, 0.4],
        }
    )
    segments = pd.DataFrame(
        columns=["doc_id", "sent_idx", "start", "end", "voice", "speaker", "n_words", "scored"]
        + ["compound"]
    ).astype({"scored": bool, "compound": float})
    table = outlet_tone(articles, sentences, segments, n_boot=500).set_index(["outlet", "voice"])
    x_all, y_all = table.loc[("X", "all")], table.loc[("Y", "all")]
    assert x_all["resampled"] == "articles" and x_all["n_articles"] == 2
    assert x_all["estimate"] == pytest.approx((0.5 + 0.1 - 0.6) / 3)
    # resampling whole articles: a replicate is the mean of a, of b, or of both
    assert x_all["low"] >= -0.6 - 1e-9 and x_all["high"] <= 0.3 + 1e-9
    assert y_all["resampled"] == "units (one article)"
    assert y_all["low"] <= y_all["estimate"] <= y_all["high"]
    assert np.isnan(table.loc[("X", "quotation"), "estimate"])
    again = outlet_tone(articles, sentences, segments, n_boot=500).set_index(["outlet", "voice"])
    pd.testing.assert_frame_equal(table, again)


def test_actor_tone_separates_voices_and_resolves_aliases(tmp_path):
    text = (
        "New Delhi faces harsh and damaging tariffs. "
        "“India is a wonderful, trusted friend,” Rubio said. "
        "Washington praised the excellent progress."
    )
    study = _constructed_study(tmp_path, [["a", "Out", "2026-02-02", "", text]])
    tone = measures.tone_per_actor(study).set_index(["actor", "voice"])
    india_narration = tone.loc[("India", "narration")]
    india_quotation = tone.loc[("India", "quotation")]
    assert india_narration["n_segments"] == 1 and india_narration["estimate"] < 0
    assert india_quotation["n_segments"] == 1 and india_quotation["estimate"] > 0
    assert tone.loc[("United States", "narration"), "estimate"] > 0
    assert ("Rubio", "narration") not in tone.index  # "Rubio said" is an unscored tag


def test_seed_tone_covers_every_sentence_and_is_bounded(study):
    sentences = measures.tone_per_sentence(study)
    assert len(sentences) == len(study.sentences)
    assert sentences["compound"].between(-1, 1).all()
    per_outlet = measures.tone_per_outlet(study)
    per_outlet = per_outlet[per_outlet["voice"] == "all"].set_index("outlet")
    counts = study.sentences.merge(study.articles[["doc_id", "outlet"]]).groupby("outlet").size()
    assert (per_outlet["n_units"] == counts.reindex(per_outlet.index)).all()
    assert (per_outlet["low"] <= per_outlet["estimate"]).all()
    assert (per_outlet["estimate"] <= per_outlet["high"]).all()


def test_seed_quotation_share_agrees_with_the_voice_table(study):
    scores = measures.score_table(study).set_index("doc_id")
    voice = measures.voice(study)
    share = voice["voice"].eq("quotation").groupby(voice["doc_id"]).mean()
    assert np.allclose(scores["quotation_share"], share.reindex(scores.index))
    for column in ("sentiment_mean", "sentiment_narration", "sentiment_quotation"):
        assert column in scores.columns


def test_score_command_has_the_tone_columns(tmp_path, run_cli):
    out = tmp_path / "scores.csv"
    result = run_cli("score", "corpus", "--out", out)
    assert result.code == 0, result.stderr
    scores = pd.read_csv(out)
    assert {"sentiment_mean", "sentiment_narration", "sentiment_quotation", "quotation_share"} <= (
        set(scores.columns)
    )
    assert scores["sentiment_mean"].notna().all()


#: Texts that reach every rule the package's VADER reimplements: negation one to three words
#: before ("not", "n't", "never so", "without doubt", "no"), idioms and booster n-grams ("kind
#: of", "sort of", "the bomb"), "but", "least", capitals, punctuation emphasis and emoji.
VADER_CASES = [
    "Ties are strong and warm.",
    "Ties are not strong.",
    "It isn't really that good, but the talks were great!!!",
    "Never so happy; never this sad. Without doubt the best, without a doubt.",
    "No good deal. No, it is good. There is no way this is not bad.",
    "It is kind of bad and sort of good, the bomb, a bad ass plan, yeah the shit.",
    "At least it worked; the least good; very least bad.",
    "This is GREAT while that is fine.",
    "Really?? Truly??? Surely????",
    "I love it 😀 and hate it 💔 :) :-(",
    "   padded text with spaces and a tab\t",
    "",
    "He cut the mustard, hand to mouth, nor good nor bad or worse.",
    "They didn’t like it. They don't hate it. Aint no good.",
]


def test_the_package_vader_scores_exactly_as_the_stock_analyzer():
    from analysis.sentiment import _analyzer

    texts = VADER_CASES + list(load_study().sentences["text"])
    ours = _analyzer()
    assert type(ours) is not SentimentIntensityAnalyzer  # the fast one is in use
    assert [ours.polarity_scores(text) for text in texts] == [
        VADER.polarity_scores(text) for text in texts
    ]
