"""Quotations, speakers and narration/quotation segments: seeds and constructed edge cases."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.core.errors import InputError
from analysis.study import measures
from analysis.validation.seeds import quotation_scores, quotation_validation
from analysis.voices import (
    find_quotations,
    load_actors,
    parse_actors,
    quote_spans,
    segment_texts,
    sentence_segments,
    sentence_voice,
)
from analysis.voices.quotations import _sentence_of


@pytest.fixture(scope="module")
def actors():
    return load_actors()


def _quotes(text, actors):
    table = find_quotations("d", text, actors)
    return list(zip(table["text"], table["speaker"], table["closed"], strict=True))


def test_every_hand_listed_seed_quotation_is_found_with_its_speaker(study):
    matches = quotation_validation(measures.quotations(study), study.articles, study.sentences)
    scores = quotation_scores(matches)
    assert scores["gold"] >= 10  # the hand list covers the seeds' quotations
    missed = matches[matches["outcome"] != "match"]
    assert scores["recall"] >= 0.9 and scores["precision"] >= 0.9, missed
    assert scores["speaker_accuracy"] >= 0.9, matches[~matches["speaker_correct"]]


def test_quotation_validation_is_the_same_beside_articles_nobody_coded(study):
    """A large corpus's quotations outside the hand-coded articles are set aside first: the
    table is the seeds' alone, row for row (and a spurious quotation is still listed)."""
    quotations = measures.quotations(study)
    alone = quotation_validation(quotations, study.articles, study.sentences)
    assert (alone["outcome"] == "spurious").any() or (alone["outcome"] == "match").all()
    other = quotations.assign(doc_id="elsewhere_" + quotations["doc_id"])
    articles = pd.concat(
        [study.articles, study.articles.assign(doc_id="elsewhere_" + study.articles["doc_id"])]
    )
    sentences = pd.concat(
        [study.sentences, study.sentences.assign(doc_id="elsewhere_" + study.sentences["doc_id"])]
    )
    for mixed in (pd.concat([other, quotations]), pd.concat([quotations, other])):
        table = quotation_validation(mixed.reset_index(drop=True), articles, sentences)
        pd.testing.assert_frame_equal(table, alone)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # curly quotes, attribution after: ", X said"
        ("“Ties are strong,” Jaishankar said.", [("Ties are strong,", "Jaishankar", True)]),
        # straight quotes, attribution before, on X
        (
            'The State Department said on X, "We welcome partners."',
            [("We welcome partners.", "State Department", True)],
        ),
        # a post quoted "in a post on X" with a pronoun resolved to the previous subject
        (
            "Jaishankar met Gor on Monday.\nIn a post on X he said, “Pleased to meet him.”",
            [("Pleased to meet him.", "Jaishankar", True)],
        ),
        # "it said": the nearest earlier organisation
        (
            'The MEA announced the visit. "He will attend," it said.',
            [("He will attend,", "MEA", True)],
        ),
        # mixed marks (curly open, straight close) and scare quotes, attributed to the subject
        (
            'Trump called Modi a “fantastic leader" and a "great friend".',
            [("fantastic leader", "Trump", True), ("great friend", "Trump", True)],
        ),
        # "according to" and "wrote"
        ("“Stay tuned,” Gor wrote.", [("Stay tuned,", "Gor", True)]),
        # no speaker named anywhere
        ("“Nothing is settled,” a source said.", [("Nothing is settled,", "unknown", True)]),
    ],
)
def test_quotation_forms_and_speakers(actors, text, expected):
    assert _quotes(text, actors) == expected


def test_apostrophes_and_possessives_are_not_quotations():
    text = "Gor’s post and India's reply; the ’90s; Rubio’s ‘good’ call."
    assert quote_spans(text) == [(text.index("good"), text.index("good") + 4, True)]
    assert quote_spans("It's the minister’s view, isn’t it?") == []


def test_unbalanced_quote_ends_with_its_paragraph_and_is_flagged():
    text = "He said, “We will go on.\nNext paragraph is narration."
    assert quote_spans(text) == [(10, 24, False)]


def test_quote_over_paragraphs_continues_when_the_next_paragraph_reopens():
    text = "“First part of the quote.\n“Second part,” Rubio said.\nNarration."
    ((start, end, closed),) = quote_spans(text)
    assert text[start:end].startswith("First part") and text[start:end].endswith("Second part,")
    assert closed


def test_nested_single_quotes_belong_to_the_outer_quotation(actors):
    quotes = _quotes("“He called it a ‘good’ deal,” Rubio said.", actors)
    assert quotes == [("He called it a ‘good’ deal,", "Rubio", True)]


def test_segments_split_a_sentence_into_narration_and_quotation(actors):
    text = "Rubio said, “We are close partners and old friends,” he added."
    quotes = find_quotations("d", text, actors)
    sentences = pd.DataFrame(
        {
            "doc_id": ["d"],
            "sent_idx": [0],
            "para_idx": [0],
            "start": [0],
            "end": [len(text)],
            "text": [text],
        }
    )
    segments = sentence_segments(sentences, quotes)
    assert segments["voice"].tolist() == ["narration", "quotation", "narration"]
    assert list(segment_texts(segments, sentences)) == [
        "Rubio said",
        "We are close partners and old friends",
        "he added.",
    ]
    # the texts are cut by article offsets: the same sentence later in an article gives them too
    later = sentences.assign(start=100, end=100 + len(text))
    moved = sentence_segments(
        later, quotes.assign(start=quotes["start"] + 100, end=quotes["end"] + 100)
    )
    assert list(segment_texts(moved, later)) == list(segment_texts(segments, sentences))
    assert list(segment_texts(segments.iloc[::-1], sentences))[0] == "he added."
    assert segments["speaker"].tolist() == ["", "Rubio", ""]
    voice = sentence_voice(sentences, segments)
    assert voice.loc[0, "voice"] == "quotation" and voice.loc[0, "speaker"] == "Rubio"


def test_actor_aliases_respect_case_for_acronyms(actors):
    mentions = [actor.id for _, _, actor in actors.mentions("Let us see: the US and New Delhi.")]
    assert mentions == ["United States", "India"]


def test_mentions_are_found_in_any_case_the_alias_allows(actors):
    # the pattern's first-letter lookahead must not lose case-insensitive matches, including
    # Unicode case folds (the long s is an s to the regular expression engine)
    long_s = "\u017f"
    text = f"JAISHANKAR met rubio; {long_s}ecretary of State? Jaishankar's aide met the MEA."
    found = [text[start:end] for start, end, _ in actors.mentions(text)]
    reference = re.compile(actors.pattern.pattern.split("(?<!", 1)[1].join(["(?<!", ""]))
    assert found == [m.group() for m in reference.finditer(text)]
    assert found[:3] == ["JAISHANKAR", "rubio", f"{long_s}ecretary of State"] and "MEA" in found


def test_sentence_lookup_matches_a_linear_scan(study, actors):
    for doc_id, group in study.sentences.groupby("doc_id"):
        bounds = list(zip(group["start"], group["end"], strict=True))
        text = study.articles.set_index("doc_id").loc[doc_id, "clean_text"]
        for position in range(0, len(text) + 5, 7):
            inside = [i for i, (start, end) in enumerate(bounds) if start <= position < end]
            before = [i for i, (start, _) in enumerate(bounds) if start <= position]
            expected = inside[0] if inside else (before[-1] if before else 0)
            assert _sentence_of(position, bounds) == expected


def test_invalid_actor_list_names_the_actor_and_field(tmp_path):
    with pytest.raises(InputError, match=r"actor 'X': field 'kind'"):
        parse_actors(
            {"actors": [{"id": "X", "kind": "alien", "aliases": ["x"]}]}, tmp_path / "a.yaml"
        )
    with pytest.raises(InputError, match=r"alias 'Gor' also belongs to 'Gor'"):
        parse_actors(
            {
                "actors": [
                    {"id": "Gor", "kind": "person", "aliases": ["Gor"]},
                    {"id": "Y", "kind": "person", "aliases": ["Gor"]},
                ]
            },
            tmp_path / "a.yaml",
        )


def test_pronoun_speakers_cost_a_look_at_each_sentence_once_not_once_per_quotation(
    actors, monkeypatch
):
    # 400 quotations attributed to "he", with no actor named anywhere: every pronoun looked
    # back over every earlier sentence (80,000 looks; 13 s for 40,000 characters).
    from analysis.voices import ActorList

    looks = 0
    mentions = ActorList.mentions

    def counted(self, text, offset=0):
        nonlocal looks
        looks += 1
        return mentions(self, text, offset)

    monkeypatch.setattr(ActorList, "mentions", counted)
    table = find_quotations("d", '"We agree," he said. ' * 400, actors)
    assert len(table) == 400 and (table["speaker"] == "unknown").all()
    assert looks <= 5 * 400


def test_the_quotation_index_answers_as_a_scan_of_every_quotation_does():
    from analysis.voices.quotations import _QuoteIndex

    text = '“One,” he said. "Two" and ‘three’, “four\n“five.”\nSix “seven” eight.'
    spans = quote_spans(text)
    index = _QuoteIndex(spans)
    for start in range(len(text) + 2):
        for end in range(start, len(text) + 3):
            scanned = not any(q0 - 1 <= start and end <= q1 + 1 for q0, q1, _ in spans)
            assert index.outside(start, end) == scanned, (start, end)
