"""Sentence splitting without downloaded models: abbreviations, quotes, offsets."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.text.sentences import paragraph_spans, sentence_spans, split_sentences
from analysis.text.tokens import word_tokens


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
    from analysis.core.errors import InputError

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


def test_a_long_paragraph_read_in_windows_gives_punkts_own_sentences(study, monkeypatch):
    import analysis.text.sentences as sentences

    paragraph = " ".join(study.sentences["text"])  # 300+ sentences, 20,000+ characters
    whole = sentence_spans(paragraph)
    monkeypatch.setattr(sentences, "PUNKT_WINDOW", 500)
    assert sentence_spans(paragraph) == whole


def test_a_multi_megabyte_paragraph_stays_within_nltks_time_limit(monkeypatch):
    import nltk.redos

    # NLTK stops any regular expression after DEFAULT_TIMEOUT seconds of wall-clock time; a
    # 5 MB paragraph read in one piece overran the 5 s (a traceback). The limit is lowered
    # here so that a smaller paragraph shows the same thing.
    monkeypatch.setattr(nltk.redos, "DEFAULT_TIMEOUT", 0.5)
    paragraph = "The minister met officials in Washington on Monday and talks began. " * 30_000
    articles = pd.DataFrame({"doc_id": ["big"], "clean_text": [paragraph]})
    sentences = split_sentences(articles)
    assert len(sentences) == 30_000
    assert (sentences["text"] == paragraph.split(". ")[0] + ".").all()


def test_an_over_long_sentence_is_split_at_whitespace_and_the_cleaning_report_says_where():
    from analysis.study.load import study_from_articles
    from analysis.text.cleaning import SENTENCE_SPLIT_RULE
    from analysis.text.sentences import MAX_SENTENCE_CHARS

    words = " ".join(f"word{i}" for i in range(4_000))  # about 35,000 characters, no full stop
    raw = f" date 2026-02-02 Talks began.\n\n{words}\n\nThey ended."
    articles = pd.DataFrame(
        [{"doc_id": "a", "outlet": "D", "date": "", "title": "T", "url": "", "wire": ""}]
    ).assign(text=[raw])
    study = study_from_articles(articles, "test")
    sentences = study.sentences
    assert sentences["text"].str.len().max() <= MAX_SENTENCE_CHARS
    clean = study.articles.loc[0, "clean_text"]
    for row in sentences.itertuples():
        assert clean[row.start : row.end] == row.text
    pieces = sentences[sentences["para_idx"] == 1]
    assert " ".join(pieces["text"]) == words  # split only at spaces, nothing lost
    assert len(pieces) >= 2 and all(not t[0].isspace() for t in pieces["text"])
    splits = study.cleaning_report[study.cleaning_report["rule"] == SENTENCE_SPLIT_RULE]
    assert len(splits) == len(pieces) - 1
    assert (splits["n_chars"] == 0).all()
    for start, piece in zip(splits["start"], pieces["text"].iloc[1:], strict=True):
        assert raw[start:].startswith(piece)  # offsets in the raw text, past the date prefix


def test_a_sentence_with_no_whitespace_is_cut_at_the_limit():
    from analysis.text.sentences import MAX_SENTENCE_CHARS

    text = "x" * (2 * MAX_SENTENCE_CHARS + 5)
    assert [end - start for start, end in sentence_spans(text)] == [
        MAX_SENTENCE_CHARS,
        MAX_SENTENCE_CHARS,
        5,
    ]


def test_whitespace_runs_and_blank_lines_split_as_before():
    # 100,000 spaces and tabs inside a line, and 20,000 blank lines: each took minutes when the
    # paragraph and wire-credit patterns backtracked (benchmarks/long_texts.py times them now).
    from analysis.text.cleaning import clean_text

    for raw in (
        "Talks began. " + " \t" * 50_000 + " They ended.\n\n(With ANI inputs)",
        "Talks began.\n" + " \t" * 50_000 + "\n" + "\n" * 20_000 + "They ended.",
    ):
        cleaned = clean_text(raw).text
        spans = [
            cleaned[s:e]
            for p, q in paragraph_spans(cleaned)
            for s, e in ((p + a, p + b) for a, b in sentence_spans(cleaned[p:q]))
        ]
        assert spans == ["Talks began.", "They ended."]
