"""The frame codebook, sentence-level detection with evidence, measures and `framing score`."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks, get_tags

from analysis.core.errors import InputError
from analysis.core.uncertainty import bootstrap_mean
from analysis.framing import (
    STUDY_CODEBOOK,
    CodebookFeaturizer,
    IndicatorTriggers,
    StemFilter,
    article_frames,
    article_presence,
    compile_pattern,
    detect_frames,
    load_codebook,
    outlet_frames,
    sentence_frames,
    sentence_hits,
    stem,
    title_frames,
    tokenize,
    triggers_for,
    word_forms,
)
from analysis.framing import triggers as framing_triggers
from analysis.framing.patterns import IRREGULAR_FORMS
from analysis.study import measures
from analysis.study.load import load_study
from analysis.text.sentences import split_sentences
from analysis.voices import load_actors, quotations_for_articles


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


def _statuses(text, codebook, frame):
    return [
        (h["indicator"], h["status"]) for h in sentence_hits(text, codebook) if h["frame"] == frame
    ]


# --- the codebook as data -------------------------------------------------------------------


def test_study_codebook_has_the_required_frames_rules_and_a_changelog(codebook):
    assert {"downturn", "convergence"} <= set(codebook.frame_ids)
    assert len(codebook.frame_ids) >= 6
    for frame in codebook.frames:
        assert frame.definition and frame.include and frame.exclude
        assert frame.examples and frame.counter_examples and frame.indicators
    versions = [str(entry["version"]) for entry in codebook.changelog]
    assert codebook.version in versions
    assert all(entry["reason"].strip() for entry in codebook.changelog)
    routine = " ".join(codebook.frame("convergence").exclude).lower()
    assert "will hold meetings" in routine and "routine" in routine


def test_codebook_examples_and_counter_examples_behave_as_their_frame_says(codebook):
    """The codebook's own examples (written with the definitions, not from the seed articles)
    are detected, and each counter-example fires the frame it is labelled with instead.

    The counter-examples of downturn and convergence, the two frames of the index, must not
    fire them. diplomatic_routine's indicators are topical ("visit", "meet"), so they also fire
    on sentences that characterise the relationship: a known limitation, measured in the
    validation as routine's precision, and not asserted away here.
    """
    for frame in codebook.frames:
        for example in frame.examples:
            fired = {
                h["frame"] for h in sentence_hits(example, codebook) if h["status"] == "counted"
            }
            assert frame.id in fired, (frame.id, example)
        for counter in frame.counter_examples:
            text, label = counter.rsplit(" (", 1)
            fired = {h["frame"] for h in sentence_hits(text, codebook) if h["status"] == "counted"}
            if label.rstrip(")") in codebook.frame_ids:
                assert label.rstrip(")") in fired, (label, counter)
            if frame.id in ("downturn", "convergence"):
                assert frame.id not in fired, (frame.id, counter)


def _write_codebook(tmp_path, mutate):
    raw = yaml.safe_load(STUDY_CODEBOOK.read_text(encoding="utf-8"))
    mutate(raw)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda raw: raw["frames"][1].pop("label"), "frame 'convergence': field 'label'"),
        (
            lambda raw: raw["frames"][0]["indicators"][0].update(pattern="~2 strain"),
            "frame 'downturn': indicators[0] (strain).pattern: pattern '~2 strain' starts with a gap",
        ),
        (  # an unclosed quotation mark: the word could never match, so it is refused
            lambda raw: raw["frames"][0]["indicators"][0].update(pattern='"strain'),
            "frame 'downturn': indicators[0] (strain).pattern: pattern '\"strain': '\"strain' has "
            "an unmatched quotation mark",
        ),
        (
            lambda raw: raw["cues"]["negation"].append('"far from"'),
            "cues.negation: pattern '\"far from\"': '\"far' has an unmatched quotation mark",
        ),
        (
            lambda raw: raw["frames"][0]["indicators"].append({"id": "strain", "pattern": "x"}),
            "frame 'downturn': indicator id 'strain' is used twice",
        ),
        (
            lambda raw: raw["frames"][1]["indicators"][0].update(near=[["a"]]),
            "frame 'convergence': indicators[0] (convergence): needs exactly one of",
        ),
        (
            lambda raw: raw["frames"][0].update(id="Down Turn"),
            "frames[0]: id 'Down Turn' must be lower case",
        ),
        (lambda raw: raw.pop("changelog"), "changelog: must list every version"),
        (
            lambda raw: raw["frames"][1].update(present_from=["headline", "footer"]),
            "frame 'convergence': present_from: must be a list of headline, lead",
        ),
        (
            lambda raw: raw["frames"][1].update(attributed_min_sentences=0),
            "frame 'convergence': attributed_min_sentences: must be a whole number from 1 to 20",
        ),
        (lambda raw: raw.update(lead_sentences="two"), "lead_sentences: must be a whole number"),
        (
            lambda raw: raw["frames"][0].update(exclude_after={"window": 3}),
            "frame 'downturn': exclude_after.patterns",
        ),
        (
            lambda raw: raw["frames"][2].update(indicators=[]),
            "frame 'trade_economy': field 'indicators'",
        ),
        (
            lambda raw: raw["frames"][0]["indicators"][0].update(pattern="(a+)+$"),
            "frame 'downturn': indicators[0] (strain).pattern: pattern '(a+)+$' looks like a "
            "regular expression ('(')",
        ),
        (
            lambda raw: raw["frames"][1]["indicators"][0].update(pattern=["ties", "tariff.*"]),
            "pattern 'tariff.*' looks like a regular expression ('.*')",
        ),
        (
            lambda raw: raw["frames"][1]["indicators"][0].update(pattern="a|b"),
            "pattern 'a|b' looks like a regular expression ('|')",
        ),
        # a misspelt field is refused, not ignored (the rule it was meant to be would be lost)
        (
            lambda raw: raw["frames"][0]["indicators"][0].update(excpet=["strained"]),
            "frame 'downturn': indicators[0] (strain): unknown field 'excpet' "
            "(did you mean 'except'?)",
        ),
        (
            lambda raw: raw["frames"][1].update(exampels=["Ties deepened."]),
            "frame 'convergence': unknown field 'exampels' (did you mean 'examples'?)",
        ),
        (
            lambda raw: raw["frames"][0]["exclude_before"].update(windw=3),
            "frame 'downturn': exclude_before: unknown field 'windw' (did you mean 'window'?)",
        ),
        (lambda raw: raw["cues"].update(negations=["no"]), "cues: unknown field 'negations'"),
        (lambda raw: raw.update(frame=[]), "top level: unknown field 'frame'"),
        (lambda raw: raw["changelog"][0].update(why="x"), "changelog[0]: unknown field 'why'"),
    ],
)
def test_invalid_codebook_names_the_frame_and_field(tmp_path, mutate, message):
    path = _write_codebook(tmp_path, mutate)
    with pytest.raises(InputError) as error:
        load_codebook(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_invalid_codebook_on_the_command_line_is_one_line_and_exit_2(tmp_path, run_cli):
    path = _write_codebook(tmp_path, lambda raw: raw["frames"][0]["indicators"][1].pop("pattern"))
    out = tmp_path / "scores.csv"
    result = run_cli("score", "corpus", "--out", out, "--codebook", path)
    assert result.code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "frame 'downturn'" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    (tmp_path / "broken.yaml").write_text("frames: [\n", encoding="utf-8")
    result = run_cli("score", "corpus", "--out", out, "--codebook", tmp_path / "broken.yaml")
    assert result.code == 2 and "not valid YAML" in result.stderr


def test_run_checks_the_codebook_and_actors_before_it_reads_the_corpus(tmp_path, run_cli, study):
    # a bad codebook stopped `framing run` only after the corpus was cleaned and cached
    from analysis.io.corpus import write_corpus_csv

    corpus = tmp_path / "mine.csv"
    write_corpus_csv(study.articles.head(2), corpus)
    codebook = _write_codebook(
        tmp_path, lambda raw: raw["frames"][0]["indicators"][0].update(excpet=["x"])
    )
    actors = tmp_path / "actors.yaml"
    actors.write_text("actors:\n  - {id: modi, aliases: [Modi]\n", encoding="utf-8")
    for option, path, message in (
        ("--codebook", codebook, "unknown field 'excpet'"),
        ("--actors", actors, "line 3: not valid YAML ("),  # and the parser's reason
    ):
        out = tmp_path / "run"
        result = run_cli("run", corpus, "--out", out, option, path)
        assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert str(path) in result.stderr and message in result.stderr, result.stderr
        assert not out.exists()


# --- patterns and detection --------------------------------------------------------------------


def test_pattern_words_match_by_stem_prefix_exact_and_gap():
    tokens = tokenize("Relations were strained; the resets and tariffs came, ties under strain.")
    assert [m.spans for m in compile_pattern("strain").finditer(tokens)] == [
        ((15, 23),),
        ((65, 71),),
    ]
    assert len(list(compile_pattern('"reset"').finditer(tokens))) == 0
    assert len(list(compile_pattern("reset").finditer(tokens))) == 1  # "resets" stems to reset
    assert len(list(compile_pattern("tariff*").finditer(tokens))) == 1
    assert len(list(compile_pattern("ties ~1 strain").finditer(tokens))) == 1
    assert len(list(compile_pattern("ties strain").finditer(tokens))) == 0


def test_negation_and_hedging(codebook):
    assert _statuses("There was no sign of strain in ties.", codebook, "downturn") == [
        ("strain", "negated")
    ]
    assert _statuses("Relations are far from a downturn.", codebook, "downturn") == [
        ("downturn", "negated")
    ]
    assert _statuses("Ties have not soured.", codebook, "downturn") == [("sour", "negated")]
    assert _statuses("Ties haven't soured.", codebook, "downturn") == [("sour", "negated")]
    # negation does not reach across a clause break
    assert _statuses("It was not planned, but ties are strained.", codebook, "downturn") == [
        ("strain", "counted")
    ]
    hits = [
        h for h in sentence_hits("The row could strain ties.", codebook) if h["frame"] == "downturn"
    ]
    assert hits[0]["status"] == "counted" and hits[0]["hedged"]


def test_agenda_language_is_routine_not_convergence(codebook):
    agenda = "The two sides will discuss ways to deepen cooperation in critical minerals."
    assert all(status != "counted" for _, status in _statuses(agenda, codebook, "convergence"))
    assert "diplomatic_routine" in {h["frame"] for h in sentence_hits(agenda, codebook)}
    claim = "Ties have deepened markedly and the partnership has fresh momentum."
    assert ("momentum", "counted") in _statuses(claim, codebook, "convergence")
    meetings = "Jaishankar will hold meetings with senior officials of the administration."
    assert _statuses(meetings, codebook, "convergence") == []


def test_proximity_rule_fires_within_its_window_only(codebook):
    near = "Ties have been hit hard by the tariffs."
    far = "Ties between the two countries, long described by officials of both as warm, were hit."
    assert ("uncertain_ties", "counted") in _statuses(near, codebook, "downturn")
    assert all(i != "uncertain_ties" for i, _ in _statuses(far, codebook, "downturn"))


# Sentences where an indicator's first word occurs but the rest of it does not, or only in
# another order, or split across punctuation; and ones where it matches.
PREFILTER_CASES = [
    "Officials said the talks went well.",
    "The statement was said in a hurry.",
    "He said in a statement that ties were under strain.",
    "Strain, in ties; ties under strain.",
    "Trade tensions rose; tariffs on steel, aluminium and critical minerals.",
    "The minerals were critical, officials said, for the partnership's next phase.",
    "Relations are back on track after a new chapter, with no sign of strain.",
    "It's a post on X: the trajectory isn't positive.",
]


def test_word_forms_are_the_lower_case_words_tokenize_gives(study):
    for text in [*PREFILTER_CASES, *study.sentences["text"]]:
        expected = {token.lower for token in tokenize(text) if not token.is_punct}
        assert word_forms(text) == expected


def test_indicator_prefilter_finds_exactly_what_trying_every_indicator_finds(
    study, codebook, monkeypatch
):
    texts = [*PREFILTER_CASES, *study.sentences["text"], *study.articles["title"]]
    triggers = IndicatorTriggers(codebook)
    filtered = [sentence_hits(text, codebook, 0, triggers) for text in texts]
    pruned = sum(len(triggers.candidates(word_forms(text))) < len(triggers.pairs) for text in texts)
    monkeypatch.setattr(
        IndicatorTriggers, "candidates", lambda self, words: set(range(len(self.pairs)))
    )
    every = [sentence_hits(text, codebook, 0, IndicatorTriggers(codebook)) for text in texts]
    assert filtered == every
    assert sum(map(len, every)) > 50 and pruned == len(texts)


def test_triggers_are_shared_by_codebook_content_and_forgetting_words_changes_nothing(
    study, codebook, tmp_path, monkeypatch
):
    # each chunk of a run loads the codebook afresh: the same content gives the same triggers
    assert triggers_for(load_codebook()) is triggers_for(codebook)

    def drop_strain(raw):
        raw["frames"][0]["indicators"] = [
            i for i in raw["frames"][0]["indicators"] if i["id"] != "strain"
        ]

    changed = load_codebook(_write_codebook(tmp_path, drop_strain))
    assert triggers_for(changed) is not triggers_for(codebook)
    text = "Ties came under strain after the tariffs."
    assert "strain" in [hit["indicator"] for hit in sentence_hits(text, codebook)]
    assert "strain" not in [hit["indicator"] for hit in sentence_hits(text, changed)]
    # a word memory far smaller than the text's vocabulary finds the same hits
    texts = list(study.sentences["text"])
    expected = [sentence_hits(text, codebook, 0, IndicatorTriggers(codebook)) for text in texts]
    monkeypatch.setattr(framing_triggers, "MAX_REMEMBERED_WORDS", 5)
    forgetful = IndicatorTriggers(codebook)
    assert [sentence_hits(text, codebook, 0, forgetful) for text in texts] == expected
    assert 0 < len(forgetful._by_word) <= 5


#: Words whose Porter stem rewrites their ending in each way the rules can (suffixes replaced,
#: "e" added, "y" to "i", doubled letters undone) and NLTK's irregular forms.
STEM_CASES = [
    "relational", "conditional", "valenci", "hesitanci", "digitizer", "conformabli",
    "radicalli", "differentli", "vileli", "analogousli", "vietnamization", "predication",
    "operator", "feudalism", "decisiveness", "hopefulness", "callousness", "formaliti",
    "sensitiviti", "sensibiliti", "triplicate", "formative", "formalize", "electriciti",
    "electrical", "hopeful", "goodness", "hoping", "hopping", "filing", "failing", "sized",
    "agreed", "caresses", "ponies", "ties", "died", "cry", "sly", "try", "happy", "using",
    "generalizations", "oscillators", "probability", "usability", "dying", "lying", "tying",
    "skies", "news", "innings", "a", "as", "ies", "aed", "eing", "u.s.", "tariffs'",
]


PORTER_SUFFIXES = (
    "ational tional enci anci izer bli abli alli entli eli ousli ization ation ator alism "
    "iveness fulness ousness aliti iviti biliti logi icate ative alize iciti ical ful ness al "
    "ance ence er ic able ible ant ement ment ent ion sion tion ou ism ate iti ous ive ize ing "
    "ed s ies ied sses ss y ly ings edly ingly fulli lessli e ee eed at bl iz ll"
).split()


def test_a_word_begins_with_its_stem_less_its_last_character(study):
    # what StemFilter rests on: Porter rewrites only the last character of the stem it keeps
    words = {token.lower for text in study.sentences["text"] for token in tokenize(text)}
    assert len(words) > 500
    # and every study word with each of Porter's suffixes after it
    made = {word + suffix for word in words if word.isalpha() for suffix in PORTER_SUFFIXES}
    for word in [*words, *made, *STEM_CASES]:
        word_stem = stem(word)
        if word not in IRREGULAR_FORMS:
            assert word.startswith(word_stem[: max(1, len(word_stem) - 1)]), (word, word_stem)
        assert StemFilter([word_stem]).stem(word) == word_stem
    # words that cannot stem to "strain" are not stemmed; irregular forms always are
    strain = StemFilter(["strain"])
    unstemmed = {strain.stem(word) for word in STEM_CASES if word not in IRREGULAR_FORMS}
    assert unstemmed == {""}
    assert StemFilter(["strain"]).stem("dying") == "die"


def test_stem_filter_finds_the_same_hits_as_stemming_every_word(
    study, codebook, tmp_path, monkeypatch
):
    def stems_everywhere(raw):
        # a stem pattern in each place one can stand: both sides of a proximity rule, an
        # exception, and every kind of cue
        frame = raw["frames"][0]
        frame["indicators"].append(
            {"id": "dying_talks", "near": [["dying"], ["relational*", "hopeful"]], "window": 3}
        )
        frame["indicators"].append({"id": "sized", "pattern": "sized", "except": ["oversized"]})
        frame["exclude_before"] = {"patterns": ["skies"], "window": 4}
        frame["exclude_after"] = {"patterns": ["generalization"], "window": 4}
        raw["cues"]["negation"] = [*raw["cues"]["negation"], "innings"]
        raw["cues"]["hedging"] = [*raw["cues"]["hedging"], "using"]

    changed = load_codebook(_write_codebook(tmp_path, stems_everywhere))
    assert {"die", "hope", "size", "sky", "gener", "inning", "use"} <= changed.stems()
    texts = [
        *PREFILTER_CASES,
        *study.sentences["text"],
        "The dying talks were hopeful under strain.",
        "Innings of strain; sized strain, using skies, strain generalization.",
    ]
    for book in (codebook, changed):
        filtered = [sentence_hits(text, book, 0, IndicatorTriggers(book)) for text in texts]
        monkeypatch.setattr(StemFilter, "stem", lambda self, lower: stem(lower))
        every = [sentence_hits(text, book, 0, IndicatorTriggers(book)) for text in texts]
        monkeypatch.undo()
        assert filtered == every
        assert sum(map(len, every)) > 50
    assert any(hit["indicator"] == "dying_talks" for hit in filtered[-2])


def test_evidence_spans_point_at_the_matched_words_in_the_article(study, codebook):
    evidence = measures.evidence(study)
    texts = study.articles.set_index("doc_id")["clean_text"]
    assert len(evidence) > 0
    for row in evidence.itertuples():
        pieces = [
            texts[row.doc_id][int(s) : int(e)]
            for s, e in (p.split("-") for p in row.spans.split(";"))
        ]
        assert " … ".join(pieces) == row.matched
    assert set(evidence["status"]) <= {"counted", "negated", "excluded"}
    assert set(evidence["voice"]) <= {"narration", "quotation"}


def test_hits_inside_quotations_carry_the_speaker(codebook):
    text = "Officials met on Monday.\n“Ties are deepening fast,” Rubio said."
    articles = pd.DataFrame({"doc_id": ["d"], "clean_text": [text], "title": [""]})
    sentences = pd.DataFrame(
        {
            "doc_id": ["d", "d"],
            "sent_idx": [0, 1],
            "para_idx": [0, 1],
            "start": [0, 25],
            "end": [24, len(text)],
            "text": [text[:24], text[25:]],
        }
    )
    quotes = quotations_for_articles(articles, sentences, load_actors())
    evidence = detect_frames(sentences, codebook, quotes)
    hit = evidence[evidence["indicator"] == "deepen"].iloc[0]
    assert (hit["voice"], hit["speaker"]) == ("quotation", "Rubio")
    assert set(evidence[evidence["sent_idx"] == 0]["voice"]) <= {"narration"}


# --- measures ---------------------------------------------------------------------------------


def _constructed_study(tmp_path, rows):
    path = tmp_path / "corpus.csv"
    pd.DataFrame(rows, columns=["id", "outlet", "date", "title", "text"]).to_csv(path, index=False)
    return load_study(path)


def test_shares_and_index_on_a_constructed_corpus(tmp_path):
    study = _constructed_study(
        tmp_path,
        [
            [
                "a1",
                "Down Daily",
                "2026-02-02",
                "Ties under strain",
                "Ties are under severe strain. The trade deal has stalled. Officials met.",
            ],
            [
                "b1",
                "Up Times",
                "2026-02-02",
                "",
                "The visit marks a reset in ties. Officials met. Ministers met. Aides met.",
            ],
        ],
    )
    per_article = measures.frames_per_article(study).set_index("doc_id")
    assert per_article.loc["a1", "n_sentences"] == 3
    assert per_article.loc["a1", "frame_downturn_sentences"] == 2
    assert per_article.loc["a1", "frame_downturn_share"] == pytest.approx(2 / 3)
    assert per_article.loc["a1", "frame_index"] == pytest.approx(-2 / 3)
    assert per_article.loc["b1", "frame_index"] == pytest.approx(1 / 4)
    # weighted: headline (downturn, x3) + lead (downturn, x2) + 2 other sentences (1 downturn)
    assert per_article.loc["a1", "frame_index_weighted"] == pytest.approx(
        -(3 + 2 + 1) / (3 + 2 + 2)
    )
    # no headline: lead x2 (convergence) + 3 others
    assert per_article.loc["b1", "frame_index_weighted"] == pytest.approx(2 / 5)


_OUTLET_FRAMES_IN_A_NEW_PROCESS = """
import sys
import pandas as pd
from analysis.framing import outlet_frames
per_article, per_sentence = (pd.read_pickle(name) for name in sys.argv[1:3])
outlet_frames(per_article, per_sentence, sys.argv[4].split(",")).to_pickle(sys.argv[3])
"""


def test_outlet_intervals_cover_the_estimate_and_are_reproducible(study, tmp_path):
    per_article = measures.frames_per_article(study)
    per_sentence = measures.frames_per_sentence(study)
    frame_ids = measures.codebook(study).frame_ids
    first = measures.frames_per_outlet(study)
    # the estimate is the outlet's share of sentences in which the frame fires, counted here
    sentences = per_sentence.merge(per_article[["doc_id", "outlet"]], on="doc_id")
    for row in first[first["measure"] == "share"].itertuples():
        in_outlet = sentences.loc[sentences["outlet"] == row.outlet, row.frame]
        assert row.estimate == pytest.approx(in_outlet.mean())
    assert (first["high"] > first["low"]).any()  # the bootstrap does resample
    # an outlet's interval depends on its own sentences and seed only, not on the other outlets
    for outlet in first["outlet"].unique():
        alone = outlet_frames(per_article[per_article["outlet"] == outlet], per_sentence, frame_ids)
        in_table = first[first["outlet"] == outlet].reset_index(drop=True)
        pd.testing.assert_frame_equal(alone, in_table, obj=outlet)
    # nor on the process: another run (other string hashing, fresh global random state) agrees
    per_article.to_pickle(tmp_path / "a.pkl")
    per_sentence.to_pickle(tmp_path / "s.pkl")
    other_hash_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    subprocess.run(
        [sys.executable, "-c", _OUTLET_FRAMES_IN_A_NEW_PROCESS, tmp_path / "a.pkl"]
        + [tmp_path / "s.pkl", tmp_path / "out.pkl", ",".join(frame_ids)],
        env=os.environ | {"PYTHONHASHSEED": other_hash_seed},
        check=True,
    )
    pd.testing.assert_frame_equal(pd.read_pickle(tmp_path / "out.pkl"), first)
    assert (
        (first["low"] <= first["estimate"] + 1e-12) & (first["estimate"] <= first["high"] + 1e-12)
    ).all()
    assert set(first["resampled"]) == {"sentences (one article)"}  # one article per outlet
    assert set(first["measure"]) == {"share", "index"}


def test_outlet_bootstrap_resamples_articles_when_an_outlet_has_several():
    per_article = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "outlet": ["X", "X", "Y"],
            "n_sentences": [2, 2, 2],
            "frame_f_sentences": [2, 0, 1],
        }
    )
    per_sentence = pd.DataFrame(
        {"doc_id": list("aabbcc"), "sent_idx": [0, 1] * 3, "f": [1, 1, 0, 0, 1, 0]}
    )
    table = outlet_frames(per_article, per_sentence, ["f"], n_boot=500).set_index("outlet")
    assert table.loc["X", "resampled"] == "articles"
    assert table.loc["X", "estimate"] == pytest.approx(0.5)
    assert table.loc["X", "low"] == pytest.approx(0.0) and table.loc["X", "high"] == pytest.approx(
        1.0
    )
    assert table.loc["Y", "resampled"] == "sentences (one article)"


def test_bootstrap_mean_of_a_constant_is_that_constant():
    replicates = bootstrap_mean(np.ones(7), np.random.default_rng(0), 100)
    assert np.allclose(replicates, 1.0)


def test_title_frames_use_the_headline(codebook):
    articles = pd.DataFrame({"doc_id": ["a", "b"], "title": ["Trade talks stalled", ""]})
    table = title_frames(articles, codebook).set_index("doc_id")
    assert table.loc["a", "downturn"] == 1 and table.loc["b", "downturn"] == 0


def test_sentence_frames_count_only_counted_hits(codebook):
    sentences = pd.DataFrame(
        {
            "doc_id": ["a", "a"],
            "sent_idx": [0, 1],
            "start": [0, 30],
            "text": ["There is no sign of strain.", "Ties are strained."],
        }
    )
    table = sentence_frames(sentences, detect_frames(sentences, codebook), ["downturn"])
    assert table["downturn"].tolist() == [0, 1]
    per_article = article_frames(
        pd.DataFrame({"doc_id": ["a"], "outlet": ["O"], "date": [""], "title": [""]}),
        table.assign(convergence=0),
        title_frames(pd.DataFrame({"doc_id": ["a"], "title": [""]}), codebook),
        ["downturn", "convergence"],
    )
    assert per_article["frame_index"].tolist() == [-0.5]


# --- the featuriser and `framing score` ------------------------------------------------------


def test_codebook_featurizer_follows_the_scikit_learn_contract():
    featurizer = CodebookFeaturizer()
    assert featurizer.get_params() == {"codebook_path": None}
    assert not hasattr(featurizer, "codebook_")
    assert featurizer.fit(["x"]) is featurizer
    matrix = featurizer.transform(["Ties are strained and stalled.", "Nothing here."])
    names = featurizer.get_feature_names_out()
    assert matrix.shape == (2, len(names))
    assert matrix[0, names.tolist().index("frame_downturn")] == 2
    assert clone(featurizer).get_params() == featurizer.get_params()


#: scikit-learn's estimator checks that apply to a transformer of texts: they check the API
#: (parameters stored as given, cloning, fit returning self, nothing learned in __init__, no
#: transform before fit), whatever the data. The others (check_estimator runs them for numeric
#: estimators) feed 2-D numeric arrays: dtypes, NaN and inf, sparse and complex input, memmaps,
#: 1-D input, n_features_in_. They cannot apply to texts: the featurizer's tags say it reads
#: strings, as scikit-learn's own text vectorisers do, so check_estimator itself skips them all.
#: What of them makes sense for texts (row order and subsets, fitting twice, pickling, transform
#: leaving the fitted state alone) is checked on texts below. check_transformer_n_iter is left
#: out too: the featurizer has no iterations.
SKLEARN_CHECKS = [
    "check_estimator_cloneable",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
    "check_estimator_repr",
    "check_no_attributes_set_in_init",
    "check_parameters_default_constructible",
    "check_get_params_invariance",
    "check_set_params",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_mixin_order",
    "check_estimators_overwrite_params",
    "check_dont_overwrite_parameters",
    "check_estimators_fit_returns_self",
    "check_fit_check_is_fitted",
    "check_estimators_unfitted",
    "check_transformers_unfitted",
]


@pytest.mark.parametrize("check", SKLEARN_CHECKS)
def test_codebook_featurizer_passes_scikit_learns_estimator_checks(check):
    getattr(estimator_checks, check)("CodebookFeaturizer", CodebookFeaturizer())


def test_codebook_featurizer_says_it_reads_texts():
    tags = get_tags(CodebookFeaturizer())
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_codebook_featurizer_refuses_to_transform_before_fit():
    with pytest.raises(NotFittedError):
        CodebookFeaturizer().transform(["Ties are strained."])
    with pytest.raises(NotFittedError):
        CodebookFeaturizer().get_feature_names_out()


def test_codebook_featurizer_rows_depend_on_their_own_text_only():
    texts = [*PREFILTER_CASES, "Ties are strained and stalled.", "A reset in ties."]
    featurizer = CodebookFeaturizer().fit(texts)
    fitted = dict(featurizer.__dict__)
    whole = featurizer.transform(texts)
    assert whole.sum() > 0
    order = np.random.default_rng(0).permutation(len(texts))
    assert np.array_equal(featurizer.transform([texts[i] for i in order]), whole[order])
    assert np.array_equal(featurizer.transform(texts[3:5]), whole[3:5])
    assert featurizer.transform([]).shape == (0, whole.shape[1])
    assert featurizer.__dict__ == fitted
    assert np.array_equal(clone(featurizer).fit(texts).fit(texts[:1]).transform(texts), whole)
    assert np.array_equal(pickle.loads(pickle.dumps(featurizer)).transform(texts), whole)


def test_score_command_writes_the_documented_columns_for_any_corpus(tmp_path, run_cli, study):
    out, evidence = tmp_path / "scores.csv", tmp_path / "evidence.csv"
    result = run_cli("score", "corpus", "--out", out, "--evidence", evidence)
    assert result.code == 0, result.stderr
    scores = pd.read_csv(out, keep_default_na=False)
    required = ["doc_id", "outlet", "date", "n_sentences", "frame_index"]
    for frame_id in measures.codebook(study).frame_ids:
        required += [f"frame_{frame_id}_{what}" for what in ("sentences", "share", "present")]
    assert set(required) <= set(scores.columns)
    for frame_id in measures.codebook(study).frame_ids:
        present = scores[f"frame_{frame_id}_present"]
        assert set(present) <= {0, 1}
    assert len(scores) == len(study.articles)
    assert scores["n_sentences"].sum() == len(study.sentences)
    hits = pd.read_csv(evidence, keep_default_na=False)
    assert {"doc_id", "sent_idx", "frame", "spans", "rule", "status", "voice"} <= set(hits.columns)
    counted = hits[hits["status"] == "counted"].drop_duplicates(["doc_id", "sent_idx", "frame"])
    per_doc = counted[counted["frame"] == "convergence"].groupby("doc_id").size()
    scores = scores.set_index("doc_id")
    assert (
        scores["frame_convergence_sentences"] == per_doc.reindex(scores.index, fill_value=0)
    ).all()


def test_score_command_on_a_csv_corpus_matches_the_folder(tmp_path, run_cli, study):
    from analysis.io.corpus import write_corpus_csv

    csv_path = tmp_path / "corpus.csv"
    write_corpus_csv(study.articles.drop(columns=["clean_text"]), csv_path)
    assert run_cli("score", csv_path, "--out", tmp_path / "a.csv").code == 0
    assert run_cli("score", "corpus", "--out", tmp_path / "b.csv").code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


# --- codebook 2.1: quoted words, strain that is ended, and the article-level decision ----------


def test_a_quoted_word_in_a_proximity_list_matches_only_itself(codebook):
    def fired(text):
        return {h["indicator"] for h in sentence_hits(text, codebook) if h["status"] == "counted"}

    assert "strong_ties" in fired("The two countries have close ties.")
    assert "strong_ties" not in fired("The two countries have closed ties.")


def test_strain_that_is_ended_is_excluded_before_and_after(codebook):
    assert ("punitive", "excluded") in _statuses(
        "The punitive tariff on Indian goods was also scrapped.", codebook, "downturn"
    )
    assert ("punitive", "excluded") in _statuses(
        "Washington rescinded punitive tariffs.", codebook, "downturn"
    )
    assert ("punitive", "counted") in _statuses(
        "Washington imposed punitive tariffs.", codebook, "downturn"
    )
    # the exclusion stops at the clause: "scrapped" in another clause does not end this strain
    assert ("punitive", "counted") in _statuses(
        "Punitive tariffs remain in force, while the old quota was scrapped.", codebook, "downturn"
    )


def _presence(codebook, title, texts):
    articles = pd.DataFrame({"doc_id": ["a"], "title": [title], "clean_text": [" ".join(texts)]})
    sentences = split_sentences(articles)
    quotes = quotations_for_articles(articles, sentences, load_actors())
    evidence = detect_frames(sentences, codebook, quotes)
    table = article_presence(articles, evidence, title_frames(articles, codebook), codebook)
    return int(table.loc[0, "frame_convergence_present"]), int(table.loc[0, "frame_downturn_present"])


FILLER = ["The minister arrived on Monday.", "He met officials."]


def test_convergence_relayed_once_in_the_body_is_not_the_articles_frame(codebook):
    one = "The minister said the agreement would deepen the partnership."
    two = "The ambassador said ties were deepening fast."
    assert _presence(codebook, "Minister visits", [*FILLER, one]) == (0, 0)
    assert _presence(codebook, "Minister visits", [*FILLER, one, two]) == (1, 0)
    assert _presence(codebook, "Minister visits", [one, *FILLER]) == (1, 0)  # in the lead
    assert _presence(codebook, "Ties deepen as minister visits", FILLER) == (1, 0)
    assert _presence(codebook, "Minister visits", [*FILLER, "The partnership is deepening."]) == (1, 0)


def test_downturn_counts_wherever_the_article_reports_it(codebook):
    critic = "The opposition said the deal was a sell-out of farmers."
    assert _presence(codebook, "Minister visits", [*FILLER, critic]) == (0, 1)


# --- hostile YAML: one clear line, before anything is built -------------------------------------

_ALIAS_BOMB = "\n".join(
    ["unused:", '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [
        f"  {chr(98 + level)}: &{chr(98 + level)} [" + ", ".join([f"*{chr(97 + level)}"] * 9) + "]"
        for level in range(9)
    ]
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_ALIAS_BOMB, "aliases expand to more than"),
        ("a: &x [1, 2]\n" + "\n".join(f"k{i}: *x" for i in range(300)), "more than 200 aliases"),
        ("a: &x [1, *x]\n", "an alias refers to a value that contains it"),
        ("codebook: x\nhook: !!python/object:os.system {}\n", "line 2: the tag '!!python/object:"),
        ("codebook: x\nblob: !!binary aGVsbG8=\n", "the tag '!!binary' is not allowed"),
        ("codebook: x\n" + "# padding\n" * 200_000, "larger than 1,000,000 bytes"),
    ],
    ids=["alias bomb", "many aliases", "recursive alias", "python tag", "binary tag", "size"],
)
@pytest.mark.parametrize("kind", ["codebook", "actors"])
def test_hostile_yaml_fails_fast_with_one_line(tmp_path, content, message, kind):
    from analysis.voices import load_actors

    path = tmp_path / f"{kind}.yaml"
    path.write_text(content + "\n", encoding="utf-8")
    load = load_codebook if kind == "codebook" else load_actors
    with pytest.raises(InputError) as error:
        load(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value) and "\n" not in str(error.value)


def test_an_alias_bomb_under_an_unused_key_is_one_line_on_the_command_line(tmp_path, run_cli):
    path = tmp_path / "codebook.yaml"
    path.write_text(STUDY_CODEBOOK.read_text(encoding="utf-8") + _ALIAS_BOMB + "\n")
    out = tmp_path / "scores.csv"
    result = run_cli("score", "corpus", "--out", out, "--codebook", path)
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "aliases expand to more than" in result.stderr
    assert not out.exists()


def test_anchors_aliases_and_merge_keys_of_plain_data_still_read(tmp_path):
    from analysis.core.config import read_yaml

    path = tmp_path / "plain.yaml"
    path.write_text("a: &a [1, two]\nb: *a\nc: {<<: {x: 1}, y: 2}\nd: 2026-02-02\n")
    data = read_yaml(path)
    assert data["b"] == [1, "two"] and data["c"] == {"x": 1, "y": 2}


@pytest.mark.parametrize(
    ("text", "frame", "indicator", "fires"),
    [
        ("Foreign investment rose.", "trade_economy", "investment", True),
        ("The investigation continues.", "trade_economy", "investment", False),
        ("Washington hosted the ministerial.", "diplomatic_routine", "host", True),
        ("The crowd was hostile.", "diplomatic_routine", "host", False),
        ("Three hostages were freed.", "diplomatic_routine", "host", False),
        ("Defence ties were reviewed.", "security_defence", "defence", True),
        ("The minister defended the deal.", "security_defence", "defence", False),
    ],
)
def test_prefix_indicators_do_not_reach_their_exceptions(codebook, text, frame, indicator, fires):
    fired = {(h["frame"], h["indicator"]) for h in sentence_hits(text, codebook)}
    assert ((frame, indicator) in fired) == fires


def test_an_exception_must_be_a_single_word(tmp_path):
    def mutate(raw):
        raw["frames"][2]["indicators"][0]["except"] = ["trade war"]

    path = _write_codebook(tmp_path, mutate)
    with pytest.raises(InputError, match=r"indicators\[0\] \(trade\)\.except: must be a list of single words"):
        load_codebook(path)
