"""Sentence splitting without downloaded models: abbreviations, quotes, offsets."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.sentences import paragraph_spans, sentence_spans, split_sentences, word_tokens


def _split(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


@pytest.mark.parametrize(
    "text",
    [
        "External Affairs Minister S. Jaishankar met Rubio. They talked.",
        "He was accompanied by U.S. Ambassador Sergio Gor. They talked.",
        "Dr. Rao and Mr. Singh met Prof. Lee on Feb. 4 in Washington. They talked.",
        "The U.K. and the U.S. agreed. They talked.",
    ],
)
def test_abbreviations_and_initials_do_not_end_a_sentence(text):
    assert len(_split(text)) == 2


def test_a_post_on_x_ends_a_sentence():
    assert len(_split("Gor wrote on X. The ministry said the call was positive.")) == 2


def test_closing_quote_stays_with_its_sentence():
    text = "He said, “We are close.” The talks resume today. “Good,” she said."
    assert _split(text) == [
        "He said, “We are close.”",
        "The talks resume today.",
        "“Good,” she said.",
    ]


def test_paragraphs_are_non_blank_lines():
    assert paragraph_spans("A.\n\n\nB.\nC.") == [(0, 2), (5, 7), (8, 10)]


def test_offsets_and_indices_on_the_seeds(study):
    sentences = study.sentences
    texts = study.articles.set_index("doc_id")["clean_text"]
    for row in sentences.itertuples():
        assert texts[row.doc_id][row.start : row.end] == row.text
        assert row.text == row.text.strip() and row.text
    for _, group in sentences.groupby("doc_id"):
        assert group["sent_idx"].tolist() == list(range(len(group)))
        assert group["para_idx"].is_monotonic_increasing
        assert (group["start"].iloc[1:].to_numpy() >= group["end"].iloc[:-1].to_numpy()).all()


def test_no_seed_sentence_ends_on_an_initial_or_abbreviation(study):
    ends_badly = study.sentences["text"].str.contains(
        r"(?:\b[A-WYZ]|\bU\.S|\bDr|\bMr)\.$", regex=True
    )
    assert not ends_badly.any(), study.sentences.loc[ends_badly, "text"].tolist()
    starts_with_closing_mark = study.sentences["text"].str.match(r"[”’)]")
    assert not starts_with_closing_mark.any()


def test_every_seed_name_with_an_initial_stays_whole(study):
    joined = " ".join(study.sentences["text"])
    for name in re.findall(r"\bS\. Jaishankar", "\n".join(study.articles["clean_text"])):
        assert name in joined
    assert not any(text.startswith("Jaishankar is set") for text in study.sentences["text"])


def test_an_article_with_no_sentences_is_an_input_error():
    from analysis.errors import InputError

    with pytest.raises(InputError, match="'empty'.*no sentences"):
        split_sentences(pd.DataFrame({"doc_id": ["ok", "empty"], "clean_text": ["Fine.", "  \n "]}))


def test_word_tokens_keep_hyphens_and_apostrophes():
    assert word_tokens("India–US ties: Gor’s “positive” call, 50 per cent") == [
        "India",
        "US",
        "ties",
        "Gor’s",
        "positive",
        "call",
        "50",
        "per",
        "cent",
    ]
