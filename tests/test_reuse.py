"""Syndication: verbatim passages, rewrites, per-sentence status, LSH candidates, validation.

The constructed articles below were written for these tests (two stories, each as wire copy,
a lightly edited reprint, a paraphrase, and other articles on the same story with the same
names and stock phrases); the detector's thresholds are justified on them in
:mod:`analysis.reuse.detect`, not on the seed articles' hand marks.
"""

from __future__ import annotations

import re
import tempfile

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import InputError
from analysis.core.parallel import local_mapper
from analysis.outputs.figures import reuse as reuse_figures
from analysis.outputs.figures.registry import figure_bytes, render
from analysis.reuse import (
    MATCH_COLUMNS,
    PAIR_COLUMNS,
    REUSE_MARKS_FILE,
    SENTENCE_REUSE_COLUMNS,
    ReuseSettings,
    article_reuse,
    detect_reuse,
    reuse_clusters,
    reuse_pairs,
    reuse_tokens,
    reuse_validation,
    sentence_reuse,
    threshold_sweep,
)
from analysis.reuse import detect as reuse_detect
from analysis.reuse import lsh as reuse_lsh
from analysis.reuse import verify as reuse_verify
from analysis.reuse.compare import _aligned_runs, _compare, _similarities
from analysis.reuse.detect import _spans_by_article
from analysis.reuse.features import (
    _article_features,
    _document_frequencies,
    _idf,
    _stop_word_hashes,
    _TokenHashes,
    _weight,
)
from analysis.reuse.verify import _judged, _may_share
from analysis.text.sentences import split_sentences
from analysis.text.tokens import word_tokens

WIRE = [
    "Commerce and Industry Minister Piyush Goyal will travel to Tokyo on Tuesday for a four-day visit aimed at deepening economic ties with Japan, the ministry said in a statement.",
    "During the visit, Goyal is scheduled to co-chair the India-Japan Industrial Competitiveness Partnership meeting with his Japanese counterpart.",
    "The two sides are expected to review progress on the semiconductor supply chain initiative launched last year and discuss new investments in electric vehicle batteries.",
    "Japan is the fifth largest investor in India, with cumulative foreign direct investment of about 43 billion dollars since 2000.",
    "The minister will also address a business roundtable organised by the Japan External Trade Organization and meet chief executives of leading Japanese firms.",
    "Officials said the talks would cover market access for Indian pharmaceutical products and the early harvest of a digital trade arrangement.",
    "Bilateral trade between the two countries stood at 22.8 billion dollars in the last financial year, with India running a sizeable deficit.",
    "Goyal is expected to return to New Delhi on Friday evening.",
]

# A few words changed in each sentence, as a sub-editor would.
LIGHT_EDIT = [
    "Commerce and Industry Minister Piyush Goyal will travel to Tokyo on Tuesday for a four-day visit aimed at strengthening economic ties with Japan, the ministry said on Monday.",
    "During the trip, Goyal is scheduled to co-chair the India-Japan Industrial Competitiveness Partnership meeting with his Japanese counterpart.",
    "The two sides are likely to review progress on the semiconductor supply chain initiative launched last year and discuss fresh investments in electric vehicle batteries.",
    "Japan is the fifth biggest investor in India, with cumulative foreign direct investment of around 43 billion dollars since 2000.",
    "The minister will also address a business roundtable hosted by the Japan External Trade Organization and meet top executives of leading Japanese companies.",
    "Officials said the discussions would cover market access for Indian pharmaceutical products and the early harvest of a digital trade arrangement.",
    "Bilateral trade between the two nations stood at 22.8 billion dollars in the last financial year, with India running a large deficit.",
    "Goyal is likely to return to New Delhi on Friday evening.",
]

# The same facts in other words and another order: what an outlet does to wire copy.
PARAPHRASE = [
    "Piyush Goyal, the Commerce and Industry Minister, leaves for Tokyo on Tuesday on a four-day trip meant to deepen economic ties with Japan, according to a ministry statement.",
    "Goyal and his Japanese counterpart will co-chair a meeting of the India-Japan Industrial Competitiveness Partnership during the trip.",
    "The semiconductor supply chain initiative launched last year will be reviewed, and new investments in electric vehicle batteries are on the agenda.",
    "Since 2000 Japan has invested about 43 billion dollars in India, making it the country's fifth largest source of foreign direct investment.",
    "Goyal will meet chief executives of leading Japanese firms and speak at a business roundtable of the Japan External Trade Organization.",
    "Market access for Indian pharmaceutical products and an early harvest of a digital trade arrangement will be on the table, officials said.",
    "India ran a sizeable deficit in bilateral trade, which stood at 22.8 billion dollars in the last financial year.",
    "He returns to New Delhi on Friday evening.",
]

# The same visit, names and vocabulary, other statements: must not match.
SAME_TOPIC = [
    "Piyush Goyal arrived in Tokyo on Tuesday and was received at the airport by the Indian ambassador to Japan.",
    "Japanese business leaders told Goyal that regulatory delays in India continue to discourage investment in manufacturing.",
    "The Commerce and Industry Minister said India wants Japanese firms to set up semiconductor fabrication units in Gujarat and Karnataka.",
    "Opposition parties in New Delhi criticised the visit, saying the trade deficit with Japan had widened every year since 2011.",
    "Goyal visited a Toyota battery plant near Nagoya and held talks with executives on localising components.",
    "A senior Japanese official said Tokyo would announce a new credit line for Indian infrastructure projects later this year.",
    "The minister also met members of the Indian community in Tokyo and urged them to invest in start-ups at home.",
    "Analysts said the electric vehicle battery talks could help India reduce its dependence on imported cells from China.",
]

# Harder negatives: the wire's stock phrases and names in different statements.
SAME_PHRASES = [
    "Commerce and Industry Minister Piyush Goyal said on Tuesday that India would not sign any trade deal in a hurry.",
    "The India-Japan Industrial Competitiveness Partnership has met only twice since it was set up, officials admitted.",
    "Indian carmakers have lobbied against new investments in electric vehicle batteries by foreign firms.",
    "Foreign direct investment from Japan fell by a third in the last financial year, according to government data.",
    "The Japan External Trade Organization opened a new office in Chennai last month to help small Japanese firms.",
    "Pharmaceutical exporters said market access for Indian products in Japan remains the hardest in Asia.",
    "The trade deficit with China, not Japan, remains New Delhi's biggest concern, the ministry said in a statement.",
    "Goyal will travel to Washington next month for talks with the US Trade Representative.",
]

COURT_WIRE = [
    "The Supreme Court on Thursday sought the Centre's response to a batch of petitions challenging the new rules on personal data protection.",
    "A bench headed by Chief Justice D Y Chandrachud issued notice to the Ministry of Electronics and Information Technology and listed the matter for hearing in four weeks.",
    "The petitioners argued that the rules give the government sweeping powers to exempt its own agencies from consent requirements.",
    "Senior advocate Kapil Sibal, appearing for one of the petitioners, told the court that the exemptions violate the right to privacy upheld in 2017.",
    "Solicitor General Tushar Mehta said the rules were framed after wide public consultation and were necessary for national security.",
    "The court declined to stay the rules but said any action taken under them would be subject to the outcome of the petitions.",
]

COURT_PARAPHRASE = [
    "Petitions challenging the new personal data protection rules prompted the Supreme Court on Thursday to ask the Centre for its response.",
    "Notice was issued to the IT ministry by a bench led by Chief Justice D Y Chandrachud, which will hear the case in four weeks.",
    "According to the petitioners, the rules hand the government sweeping powers to exempt its own agencies from the need for consent.",
    "Appearing for a petitioner, Kapil Sibal argued that the exemptions breach the right to privacy the court upheld in 2017.",
    "The rules were necessary for national security and had been framed after wide consultation, Solicitor General Tushar Mehta told the bench.",
    "While refusing to stay the rules, the court said actions taken under them would depend on how the petitions are decided.",
]

COURT_SAME_TOPIC = [
    "The Supreme Court on Thursday also heard a separate plea on the blocking of social media accounts under the IT Act.",
    "Chief Justice D Y Chandrachud remarked that the court had received more than forty petitions on digital rights this year.",
    "Privacy advocates outside the court said the government had ignored most of the comments submitted during the consultation.",
    "Kapil Sibal later told reporters that the petitioners would press for an early hearing before the summer vacation.",
    "The Ministry of Electronics and Information Technology said in a statement that it would file a detailed reply.",
    "Tushar Mehta has represented the Centre in most of the major privacy cases before the Supreme Court since 2018.",
]

FLOODS = [
    "Heavy rain lashed coastal Karnataka on Sunday, flooding low-lying areas and disrupting traffic on the national highway.",
    "The India Meteorological Department has issued an orange alert for Udupi and Dakshina Kannada districts for the next two days.",
    "Schools in the affected districts will remain closed on Monday, the district administration said.",
    "Fishermen have been advised not to venture into the sea until Wednesday.",
]


def _corpus(documents: dict[str, list[str]], outlets: dict[str, str] | None = None):
    """Articles (one paragraph per sentence) and their sentence table."""
    articles = pd.DataFrame(
        {
            "doc_id": list(documents),
            "outlet": [(outlets or {}).get(doc, doc.upper()) for doc in documents],
            "clean_text": ["\n".join(sentences) for sentences in documents.values()],
        }
    )
    sentences = split_sentences(articles)
    counts = sentences.groupby("doc_id", sort=False).size().to_dict()
    assert counts == {doc: len(s) for doc, s in documents.items()}, "splitting changed a case"
    return articles, sentences


@pytest.fixture(scope="module")
def constructed():
    documents = {
        "wire": WIRE,
        "reprint": [
            "TOKYO, March 3 (Agency):",
            *WIRE,
            "Published by arrangement with the news agency.",
        ],
        "edit": LIGHT_EDIT,
        "paraphrase": PARAPHRASE,
        "same_topic": SAME_TOPIC,
        "same_phrases": SAME_PHRASES,
        "court_wire": COURT_WIRE,
        "court_paraphrase": COURT_PARAPHRASE,
        "court_same_topic": COURT_SAME_TOPIC,
        "floods": FLOODS,
    }
    articles, sentences = _corpus(documents)
    result = detect_reuse(articles, sentences)
    return articles, sentences, result


def _pair(result, doc_a, doc_b):
    pairs = result.pairs
    found = pairs[
        ((pairs["doc_a"] == doc_a) & (pairs["doc_b"] == doc_b))
        | ((pairs["doc_a"] == doc_b) & (pairs["doc_b"] == doc_a))
    ]
    return None if found.empty else found.iloc[0]


def _matches(result, doc_a, doc_b):
    matches = result.matches
    forward = matches[(matches["doc_a"] == doc_a) & (matches["doc_b"] == doc_b)]
    return set(zip(forward["sent_idx_a"], forward["sent_idx_b"], forward["kind"], strict=True))


# --- tokens ---------------------------------------------------------------------------------


def test_reuse_tokens_are_lower_case_word_runs_with_exact_offsets():
    text = "India–US ties: Gor’s post, İstanbul and the U.S. role"
    tokens, starts, ends = reuse_tokens(text)
    assert tokens[:5] == ["india", "us", "ties", "gor", "s"]
    assert [text[s:e].lower() for s, e in zip(starts, ends, strict=True)] == tokens
    # finer than word_tokens, never coarser: every word token splits into reuse tokens
    joined = " ".join(reuse_tokens(" ".join(word_tokens(text)))[0])
    assert joined == " ".join(tokens)


# --- constructed cases ----------------------------------------------------------------------


def test_verbatim_copy_is_found_as_verbatim_with_share_near_one(constructed):
    _, _, result = constructed
    pair = _pair(result, "wire", "reprint")
    assert pair is not None and pair["kind"] == "verbatim"
    assert pair["share_a"] == pytest.approx(1.0) and pair["verbatim_share_a"] == pytest.approx(1.0)
    assert pair["share_b"] > 0.9  # the reprint adds a dateline and a credit line
    assert pair["n_verbatim_sentences"] == len(WIRE)
    assert _matches(result, "wire", "reprint") == {(i, i + 1, "verbatim") for i in range(8)}


def test_light_edit_is_found_sentence_by_sentence(constructed):
    _, _, result = constructed
    pair = _pair(result, "wire", "edit")
    assert pair is not None and pair["share_a"] == pytest.approx(1.0)
    found = _matches(result, "wire", "edit")
    assert {(a, b) for a, b, _ in found} == {(i, i) for i in range(len(WIRE))}


@pytest.mark.parametrize(
    ("wire", "paraphrase", "n_sentences"),
    [("wire", "paraphrase", len(WIRE)), ("court_wire", "court_paraphrase", len(COURT_WIRE))],
)
def test_paraphrased_sentences_are_found_and_aligned(constructed, wire, paraphrase, n_sentences):
    _, _, result = constructed
    found = _matches(result, wire, paraphrase)
    assert all(a == b for a, b, _ in found), "a paraphrase matched the wrong sentence"
    assert len(found) >= 0.75 * n_sentences
    assert {kind for _, _, kind in found} >= {"rewrite"}
    assert _pair(result, wire, paraphrase)["kind"] in {"rewrite", "both"}


@pytest.mark.parametrize(
    "other", ["same_topic", "same_phrases", "floods", "court_wire", "court_same_topic"]
)
def test_articles_on_the_same_story_with_other_statements_do_not_match(constructed, other):
    _, _, result = constructed
    for story in ("wire", "reprint", "edit", "paraphrase"):
        assert _pair(result, story, other) is None, (story, other)
    assert _pair(result, "court_wire", "court_same_topic") is None
    assert _pair(result, "court_paraphrase", "court_same_topic") is None


def test_passage_offsets_slice_back_to_the_same_words_in_both_articles(constructed):
    articles, _, result = constructed
    texts = dict(zip(articles["doc_id"], articles["clean_text"], strict=True))
    assert len(result.passages) > 0
    for passage in result.passages.itertuples(index=False):
        text_a = texts[passage.doc_a][passage.start_a : passage.end_a]
        text_b = texts[passage.doc_b][passage.start_b : passage.end_b]
        assert reuse_tokens(text_a)[0] == reuse_tokens(text_b)[0]
        assert len(reuse_tokens(text_a)[0]) == passage.n_words >= ReuseSettings().shingle_size
        assert text_a == text_a.strip() and text_b == text_b.strip()
    whole = result.passages[
        (result.passages["doc_a"] == "wire") & (result.passages["doc_b"] == "reprint")
    ]
    assert len(whole) == 1
    assert texts["wire"][whole["start_a"].iloc[0] : whole["end_a"].iloc[0]] == texts["wire"][:-1]


def test_sentence_table_gives_status_partners_and_own(constructed):
    articles, sentences, result = constructed
    table = sentence_reuse(sentences, result.matches)
    assert table.columns.tolist() == SENTENCE_REUSE_COLUMNS
    assert len(table) == len(sentences)
    assert set(table["status"]) <= {"original", "verbatim", "rewrite"}
    assert (table["own"] == (table["status"] == "original")).all()
    wire_0 = table[(table["doc_id"] == "wire") & (table["sent_idx"] == 0)].iloc[0]
    assert wire_0["status"] == "verbatim"
    assert set(wire_0["shared_with"].split(";")) >= {"reprint", "edit", "paraphrase"}
    assert "reprint:1" in wire_0["verbatim_with"].split(";")
    assert wire_0["best_match_doc"] == "reprint" and wire_0["best_match_sent"] == 1
    assert wire_0["similarity"] == pytest.approx(1.0)
    floods = table[table["doc_id"] == "floods"]
    assert floods["own"].all() and (floods["shared_with"] == "").all()
    assert floods["best_match_sent"].isna().all() and floods["similarity"].isna().all()


def test_article_table_shares_neighbours_and_clusters(constructed):
    articles, sentences, result = constructed
    per_sentence = sentence_reuse(sentences, result.matches)
    table = article_reuse(articles, per_sentence, result.pairs).set_index("doc_id")
    assert table.loc["wire", "shared_share"] == pytest.approx(1.0)
    assert table.loc["floods", "shared_share"] == 0 and table.loc["floods", "nearest_doc"] == ""
    assert table.loc["wire", "nearest_share"] == pytest.approx(1.0)
    assert table.loc["court_wire", "nearest_doc"] == "court_paraphrase"
    clusters = reuse_clusters(result.pairs, articles["doc_id"]).set_index("doc_id")
    story = clusters.loc[["wire", "reprint", "edit", "paraphrase"], "cluster"]
    assert story.nunique() == 1 and clusters.loc["wire", "cluster_size"] == 4
    assert clusters.loc["floods", "cluster_size"] == 1
    assert clusters.loc["court_wire", "cluster"] != clusters.loc["wire", "cluster"]


def test_pair_table_columns_and_order(constructed):
    articles, sentences, _ = constructed
    pairs = reuse_pairs(articles, sentences)
    assert pairs.columns.tolist() == PAIR_COLUMNS
    position = {doc: i for i, doc in enumerate(articles["doc_id"])}
    assert (pairs["doc_a"].map(position) < pairs["doc_b"].map(position)).all()
    assert set(pairs["kind"]) <= {"verbatim", "rewrite", "both"}
    assert pairs[["share_a", "share_b"]].stack().between(0, 1).all()
    assert (pairs["outlet_a"] == pairs["doc_a"].str.upper()).all()


def test_outlet_template_sentences_are_not_shared():
    footer = (
        "Sign up for our daily newsletter to get the latest news from the capital every morning."
    )
    stories = [COURT_WIRE[:2], COURT_SAME_TOPIC[:2], FLOODS[:2], SAME_TOPIC[:2], SAME_PHRASES[:2]]
    documents = {f"daily_{i}": [*story, footer] for i, story in enumerate(stories)}
    documents["other"] = [*WIRE[:2], footer]
    outlets = {doc: "The Daily" for doc in documents} | {"other": "Other Paper"}
    articles, sentences = _corpus(documents, outlets)
    result = detect_reuse(articles, sentences)
    assert set(result.templates["doc_id"]) == set(documents) - {"other"}
    assert set(result.templates["sent_idx"]) == {2}
    assert result.pairs.empty  # the footer is The Daily's template, shared with nobody


# --- MinHash-LSH ----------------------------------------------------------------------------


def _synthetic_corpus(n_documents: int = 50):
    """Articles of random filler words carrying the constructed stories' sentences: wire copy
    reprinted whole or in part, light edits, paraphrases, and same-story articles."""
    rng = np.random.default_rng(7)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocabulary = ["".join(rng.choice(letters, rng.integers(4, 10))) for _ in range(3000)]

    def filler() -> str:
        words = rng.choice(vocabulary, rng.integers(12, 22))
        return " ".join(words).capitalize() + "."

    carried = [
        WIRE,
        WIRE[:4],
        WIRE[3:],
        LIGHT_EDIT,
        LIGHT_EDIT[2:6],
        PARAPHRASE,
        PARAPHRASE[:5],
        SAME_TOPIC,
        SAME_PHRASES,
        COURT_WIRE,
        COURT_WIRE[1:4],
        COURT_PARAPHRASE,
        COURT_PARAPHRASE[2:],
        COURT_SAME_TOPIC,
        FLOODS,
        FLOODS[:2],
    ]
    documents = {}
    for number in range(n_documents):
        sentences = [filler() for _ in range(rng.integers(4, 9))]
        if number < len(carried):
            at = int(rng.integers(0, len(sentences)))
            sentences[at:at] = carried[number]
        documents[f"doc{number:02d}"] = sentences
    outlets = {doc: f"Outlet {int(doc[3:]) % 7}" for doc in documents}
    return _corpus(documents, outlets)


def test_lsh_candidates_give_the_same_pairs_as_all_pairs():
    articles, sentences = _synthetic_corpus()
    exact = detect_reuse(articles, sentences, method="all_pairs")
    sketched = detect_reuse(articles, sentences, method="lsh", settings=ReuseSettings(chunk_size=7))
    assert sketched.summary["n_candidate_pairs"] < exact.summary["n_candidate_pairs"] / 5
    assert len(exact.pairs) >= 20
    for name in ("pairs", "matches", "passages"):
        pd.testing.assert_frame_equal(getattr(sketched, name), getattr(exact, name))


def _without_timings(summary: dict) -> dict:
    """A detector's summary without its wall times, which differ between runs."""
    return {key: value for key, value in summary.items() if not key.startswith("seconds_")}


def test_band_pairs_counted_in_batches_give_the_same_candidates(monkeypatch):
    articles, sentences = _synthetic_corpus()
    settings = ReuseSettings(chunk_size=7, lsh_min_collisions=2)
    together = detect_reuse(articles, sentences, method="lsh", settings=settings)
    monkeypatch.setattr(reuse_lsh, "_PENDING_CODES", 1)  # counted after every band
    batched = detect_reuse(articles, sentences, method="lsh", settings=settings)
    assert together.summary["n_candidate_pairs"] >= 10
    assert _without_timings(batched.summary) == _without_timings(together.summary)
    for name in ("pairs", "matches", "passages"):
        pd.testing.assert_frame_equal(getattr(batched, name), getattr(together, name))


def test_auto_method_uses_lsh_above_the_all_pairs_limit():
    articles, sentences = _synthetic_corpus(12)
    small = detect_reuse(articles, sentences, settings=ReuseSettings(all_pairs_max_docs=12))
    large = detect_reuse(articles, sentences, settings=ReuseSettings(all_pairs_max_docs=11))
    assert small.summary["method"] == "all_pairs" and large.summary["method"] == "lsh"
    assert large.summary["lsh_bands"] * large.summary["lsh_rows"] <= 128


# --- fast verification: the same results -----------------------------------------------------


def _reference_tokens(text: str):
    """reuse_tokens as first written: one regular-expression match at a time."""
    lowered = text.lower()
    source = lowered if len(lowered) == len(text) else text
    matches = list(re.finditer(r"\w+", source))
    return (
        [match.group().lower() for match in matches],
        [match.start() for match in matches],
        [match.end() for match in matches],
    )


@pytest.mark.parametrize(
    "text",
    ["", "  -- ", "x", "İstanbul’s ǅemal: ß “Gor’s” India–US 2026", "Tail\n", *WIRE[:2]],
)
def test_reuse_tokens_equal_one_match_at_a_time(text):
    tokens, starts, ends = reuse_tokens(text)
    assert (tokens, starts.tolist(), ends.tolist()) == _reference_tokens(text)
    assert starts.dtype == ends.dtype == np.int64


def _weighted_articles(articles, sentences, settings):
    spans, offsets = _spans_by_article(articles, sentences)
    hashes = _TokenHashes()
    made = [
        _article_features(p, text, spans[offsets[p] : offsets[p + 1]], settings, hashes)
        for p, text in enumerate(articles["clean_text"])
    ]
    df, n_rows = _document_frequencies(made)
    _weight(made, _idf(df, n_rows))
    return made


def test_screen_passes_every_pair_that_shares_anything_and_skips_others():
    articles, sentences = _synthetic_corpus(40)
    settings = ReuseSettings()
    made = _weighted_articles(articles, sentences, settings)
    sharing, screened = 0, 0
    for i, a in enumerate(made):
        others = made[i + 1 :]
        passes = _may_share(a, others, settings)
        for b, passed in zip(others, passes, strict=True):
            passages, matches, _ = _compare(a, b, settings)
            if passages or matches:
                sharing += 1
                assert passed, (a.position, b.position)
            screened += not passed
    assert sharing >= 20 and screened >= 300


def test_screening_cosine_is_the_exact_cosine_to_rounding():
    articles, sentences = _synthetic_corpus(20)
    settings = ReuseSettings()
    made = _weighted_articles(articles, sentences, settings)
    probed = 0
    for i, a in enumerate(made):
        for b in made[i + 1 :]:
            if len(_aligned_runs(a, b, settings.shingle_size)):
                continue
            judged = np.outer(_judged(a, settings), _judged(b, settings))
            best = _similarities(a, b)[judged].max() if judged.any() else 0.0
            if best < 0.05:
                continue
            probed += 1
            at = ReuseSettings(rewrite_threshold=best)
            above = ReuseSettings(rewrite_threshold=min(best + 1e-5, 1.0))
            assert _may_share(a, [b], at)[0]
            if best + 1e-5 <= 1.0 and not (np.isin(a.sentence_keys, b.sentence_keys).any()):
                assert not _may_share(a, [b], above)[0]
    assert probed >= 10


def test_two_workers_give_the_same_tables_as_one(monkeypatch):
    articles, sentences = _synthetic_corpus(60)
    settings = ReuseSettings(chunk_size=3)  # a block of candidates per 3 first articles
    one = detect_reuse(articles, sentences, method="lsh", settings=settings)
    mapped = []  # the functions the local workers' mapper ran: reading and the LSH bands

    def spying_mapper(workers):
        mapper = local_mapper(workers)

        def spy(function, *args, **kwargs):
            mapped.append(function)
            return mapper(function, *args, **kwargs)

        return spy

    monkeypatch.setattr(reuse_detect, "local_mapper", spying_mapper)
    two = detect_reuse(articles, sentences, method="lsh", settings=settings, workers=2)
    assert [function.__name__ for function in mapped] == ["_read_articles", "_band_pairs"]
    exact = detect_reuse(articles, sentences, method="all_pairs")
    assert len(one.pairs) >= 20
    first_articles = one.pairs["doc_a"].str.removeprefix("doc").astype(int)
    assert first_articles.floordiv(3).nunique() >= 4  # pairs found in several blocks
    for name in ("pairs", "matches", "passages", "templates"):
        pd.testing.assert_frame_equal(getattr(two, name), getattr(one, name))
    assert _without_timings(two.summary) == _without_timings(one.summary)
    for name in ("pairs", "matches", "passages"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(exact, name))
    pd.testing.assert_frame_equal(
        sentence_reuse(sentences, two.matches), sentence_reuse(sentences, one.matches)
    )


def test_the_lsh_path_logs_one_line_per_stage_and_all_pairs_none(monkeypatch, capsys):
    articles, sentences = _synthetic_corpus(40)
    monkeypatch.setenv("FRAMING_PROGRESS", "log")
    result = detect_reuse(articles, sentences, method="lsh")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    assert re.fullmatch(
        r"framing: reuse: read 40 articles, [\d,]+ sentences .*\(\d+\.\d s\)", lines[0]
    )
    n_candidates = f"{result.summary['n_candidate_pairs']:,}"
    assert lines[1].startswith(f"framing: reuse: {n_candidates} candidate pairs from MinHash-LSH")
    assert f"{len(result.pairs):,} share text" in lines[2]
    detect_reuse(articles, sentences, method="all_pairs")
    assert capsys.readouterr().err == ""


def _features_made_and_read(monkeypatch) -> tuple[list[int], list[int]]:
    """Positions whose features the verifier makes, and those it reads back from a spill
    file, as they happen."""
    made: list[int] = []
    read: list[int] = []
    make, read_back = reuse_verify._article_features, reuse_verify._Spill.read

    def counted_make(position, *args):
        made.append(position)
        return make(position, *args)

    def counted_read(spill, position):
        read.append(position)
        return read_back(spill, position)

    monkeypatch.setattr(reuse_verify, "_article_features", counted_make)
    monkeypatch.setattr(reuse_verify._Spill, "read", counted_read)
    return made, read


def test_features_evicted_while_needed_are_read_back_not_made_again(monkeypatch, tmp_path):
    articles, sentences = _synthetic_corpus(60)
    settings = ReuseSettings(chunk_size=3)
    kept = detect_reuse(articles, sentences, method="lsh", settings=settings)
    monkeypatch.setattr(reuse_verify, "_CACHED_ARTICLES", 2)
    monkeypatch.setattr(reuse_verify, "_MAX_BLOCK_PAIRS", 3)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the spill folder goes
    made, read = _features_made_and_read(monkeypatch)
    spilled = detect_reuse(articles, sentences, method="lsh", settings=settings)
    for name in ("pairs", "matches", "passages"):
        pd.testing.assert_frame_equal(getattr(spilled, name), getattr(kept, name))
    assert read, "a cache of two articles evicts articles that later blocks use"
    assert len(made) == len(set(made))  # each article made once
    assert list(tmp_path.iterdir()) == []  # the spill folder is removed


def test_features_are_made_again_when_the_disk_refuses_the_spill_file(monkeypatch):
    articles, sentences = _synthetic_corpus(60)
    settings = ReuseSettings(chunk_size=3)
    kept = detect_reuse(articles, sentences, method="lsh", settings=settings)
    monkeypatch.setattr(reuse_verify, "_CACHED_ARTICLES", 2)
    monkeypatch.setattr(reuse_verify, "_MAX_BLOCK_PAIRS", 3)

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reuse_verify.os, "pwrite", full_disk)
    made, read = _features_made_and_read(monkeypatch)
    forgetful = detect_reuse(articles, sentences, method="lsh", settings=settings)
    for name in ("pairs", "matches", "passages"):
        pd.testing.assert_frame_equal(getattr(forgetful, name), getattr(kept, name))
    assert not read
    assert len(made) > len(set(made))  # evicted articles were made again


def test_blocks_split_between_grouping_articles_in_any_order_and_give_the_same_tables(
    monkeypatch,
):
    candidates = np.array(
        [(0, 1), (0, 2), (0, 3), (1, 2), (1, 5), (2, 3), (4, 5), (4, 6), (4, 7), (4, 8)]
    )
    blocks, needs = reuse_verify._blocks(candidates, max_pairs=2)
    np.testing.assert_array_equal(np.concatenate(blocks), candidates)
    firsts = [set(block[:, 0].tolist()) for block in blocks]
    # a block ends at the first new grouping article once it has max_pairs pairs; an article's
    # pairs are never split (article 4 has four)
    assert firsts == [{0}, {1}, {2, 4}]
    assert [len(block) for block in blocks] == [3, 2, 5]
    n_blocks = len(blocks)
    used = {(int(code) // n_blocks, int(code) % n_blocks) for code in needs}
    expected = {(int(a), n) for n, block in enumerate(blocks) for a in np.unique(block)}
    assert used == expected
    # by rank, here the reverse of article order: each pair stored lower rank first (so later
    # article first), grouped by that article, the groups and each one's partners by rank
    reverse = -np.arange(9)
    ranked, _ = reuse_verify._blocks(candidates, reverse, max_pairs=2)
    assert [block.tolist() for block in ranked] == [
        [[8, 4], [7, 4]],
        [[6, 4], [5, 4], [5, 1]],
        [[3, 2], [3, 0]],
        [[2, 1], [2, 0]],
        [[1, 0]],
    ]
    stored = {tuple(sorted(pair)) for block in ranked for pair in block.tolist()}
    assert stored == {tuple(pair) for pair in candidates.tolist()}
    # the detector's order puts articles that are candidates of each other near each other
    rank = reuse_verify._bandwidth_rank(candidates, 9)
    assert sorted(rank.tolist()) == list(range(9))
    spread = np.abs(rank[candidates[:, 0]] - rank[candidates[:, 1]]).max()
    assert spread <= np.abs(candidates[:, 0] - candidates[:, 1]).max()
    articles, sentences = _synthetic_corpus(60)
    settings = ReuseSettings(chunk_size=30)
    whole_chunks = detect_reuse(articles, sentences, method="lsh", settings=settings)
    monkeypatch.setattr(reuse_verify, "_MAX_BLOCK_PAIRS", 2)
    small_blocks = detect_reuse(articles, sentences, method="lsh", settings=settings, workers=2)
    assert len(whole_chunks.pairs) >= 20
    for name in ("pairs", "matches", "passages"):
        pd.testing.assert_frame_equal(getattr(small_blocks, name), getattr(whole_chunks, name))


def test_workers_below_one_are_refused(constructed):
    articles, sentences, _ = constructed
    with pytest.raises(InputError, match="workers"):
        detect_reuse(articles, sentences, workers=0)


# --- bad input ------------------------------------------------------------------------------


def test_bad_input_raises_input_errors_that_name_the_problem(constructed, tmp_path):
    articles, sentences, _ = constructed
    with pytest.raises(InputError, match="appears more than once"):
        detect_reuse(pd.concat([articles, articles.head(1)]), sentences)
    with pytest.raises(InputError, match="not in the article table"):
        detect_reuse(articles.iloc[1:], sentences)
    with pytest.raises(InputError, match="method"):
        detect_reuse(articles, sentences, method="everything")
    with pytest.raises(InputError, match="rewrite_threshold"):
        ReuseSettings(rewrite_threshold=1.5)
    marks = tmp_path / "marks.csv"
    marks.write_text("doc_a,sent_idx_a,doc_b,sent_idx_b,kind\nwire,0,edit,0,copied\n")
    with pytest.raises(InputError, match=r"row 2: field 'kind'"):
        reuse_validation(sentence_reuse(sentences, _no_matches()), marks)


def _no_matches():
    return pd.DataFrame({column: [] for column in MATCH_COLUMNS}).astype(
        {"sent_idx_a": int, "sent_idx_b": int}
    )


# --- validation -----------------------------------------------------------------------------


def test_validation_counts_pairs_and_sentences_per_kind(constructed, tmp_path):
    _, sentences, result = constructed
    marks = tmp_path / "marks.csv"
    marks.write_text(
        "doc_a,sent_idx_a,doc_b,sent_idx_b,kind\n"
        "wire,0,reprint,1,verbatim\n"  # found, same kind
        "wire,1,paraphrase,1,verbatim\n"  # found, as a rewrite
        "wire,2,floods,0,rewrite\n"  # not found
    )
    scored = sentence_reuse(sentences, result.matches)
    table = reuse_validation(scored, marks).set_index(["level", "kind"])
    verbatim = table.loc[("sentence pair", "verbatim")]
    assert verbatim["n_marked"] == 2 and verbatim["true_positives"] == 1
    assert verbatim["recall"] == 0.5 and verbatim["recall_any_kind"] == 1.0
    overall = table.loc[("sentence pair", "all")]
    assert overall["n_marked"] == 3 and overall["recall"] == pytest.approx(2 / 3)
    # detected pairs among the four marked articles that are not marked lower precision
    assert overall["precision"] < 1
    assert table.loc[("sentence", "all"), "n_marked"] == 6


def test_validation_of_a_corpus_without_the_marked_articles_says_so(constructed):
    _, sentences, result = constructed
    table = reuse_validation(sentence_reuse(sentences, result.matches), REUSE_MARKS_FILE)
    assert (table["n_marked"] == 0).all()
    assert table["note"].str.startswith("not scored: no hand marks for this corpus").all()
    # a corpus with some of the marked articles, split differently, names those articles
    status = sentence_reuse(sentences, result.matches)
    marks = pd.read_csv(REUSE_MARKS_FILE, dtype=str)
    status.loc[status["doc_id"] == status["doc_id"].iloc[0], "doc_id"] = marks["doc_a"].iloc[0]
    table = reuse_validation(status, REUSE_MARKS_FILE)
    assert table["note"].str.contains("missing or split differently").all()
    assert table["note"].str.contains(marks["doc_b"].iloc[0], regex=False).all()


# --- the seed articles ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(study):
    result = detect_reuse(study.articles, study.sentences)
    return study, result, sentence_reuse(study.sentences, result.matches)


def test_seed_pairs_that_the_hand_marks_say_share_text_are_found(seeds):
    study, result, _ = seeds
    marks = pd.read_csv(REUSE_MARKS_FILE)
    marked = marks.groupby(["doc_a", "doc_b"]).size()
    found = {
        frozenset(pair) for pair in zip(result.pairs["doc_a"], result.pairs["doc_b"], strict=True)
    }
    for (doc_a, doc_b), n_marks in marked.items():
        if n_marks >= 2:
            assert frozenset((doc_a, doc_b)) in found, (doc_a, doc_b)
    marked_pairs = {frozenset(pair) for pair in marked.index}
    assert found <= marked_pairs, "a pair of seed articles matched that the annotator did not mark"
    mint_eye = _pair(result, "001_007810bbd4f0c755", "002_c8d28f76708f7b72")
    assert mint_eye["n_verbatim_sentences"] >= 2 and mint_eye["longest_passage_words"] >= 40


def test_seed_validation_scores(seeds):
    _, _, table = seeds
    scores = reuse_validation(table).set_index(["level", "kind"])
    assert scores.loc[("sentence pair", "all"), "n_marked"] == 36
    assert scores.loc[("sentence pair", "all"), "precision"] >= 0.9
    assert scores.loc[("sentence pair", "all"), "recall"] >= 0.5
    assert scores.loc[("sentence", "all"), "precision"] >= 0.9


def test_validation_reads_only_the_marked_articles(seeds, constructed):
    """Sentences of articles that are not marked, which a large corpus has by the million,
    change neither the scores nor the note (they are set aside before anything else)."""
    _, _, table = seeds
    _, other_sentences, other = constructed
    others = sentence_reuse(other_sentences, other.matches)
    assert not set(others["doc_id"]) & set(table["doc_id"])
    alone = reuse_validation(table)
    assert alone["n_marked"].gt(0).all()
    for mixed in (pd.concat([others, table], ignore_index=True), pd.concat([table, others])):
        pd.testing.assert_frame_equal(reuse_validation(mixed), alone)
    # and without the marked articles: the note, the same with or without other articles
    pd.testing.assert_frame_equal(reuse_validation(others), reuse_validation(others.iloc[:1]))


def test_threshold_sweep_trades_precision_for_recall(seeds):
    study, _, _ = seeds
    sweep = threshold_sweep(study.articles, study.sentences, [0.3, 0.4, 0.6])
    overall = sweep[(sweep["level"] == "sentence pair") & (sweep["kind"] == "all")]
    assert overall["rewrite_threshold"].tolist() == [0.3, 0.4, 0.6]
    assert overall["recall"].is_monotonic_decreasing
    assert overall["n_detected"].is_monotonic_decreasing
    at_default = overall[overall["rewrite_threshold"] == 0.4].iloc[0]
    direct = reuse_validation(seeds[2]).set_index(["level", "kind"]).loc[("sentence pair", "all")]
    assert at_default["recall"] == direct["recall"]
    assert at_default["precision"] == direct["precision"]


# --- figures --------------------------------------------------------------------------------

PLOTTED = [spec for spec in reuse_figures.FIGURES if spec.plot is not None]


@pytest.mark.parametrize("spec", PLOTTED, ids=lambda spec: spec.name)
def test_reuse_figures_render_the_same_bytes_twice(study, spec):
    first = figure_bytes(spec, render(spec, spec.compute(study)))
    second = figure_bytes(spec, render(spec, spec.compute(study)))
    assert first == second


@pytest.mark.parametrize("spec", reuse_figures.FIGURES, ids=lambda spec: spec.name)
def test_reuse_figures_on_a_small_foreign_corpus(constructed, spec):
    from analysis.study.load import Study

    articles, sentences, _ = constructed
    other = Study("constructed.csv", articles, pd.DataFrame(), sentences, "0" * 64)
    table = spec.compute(other)
    assert isinstance(table, pd.DataFrame)
    if spec.plot is not None:
        figure = render(spec, table)
        assert figure.axes


# --- own-text measures ----------------------------------------------------------------------


def test_score_table_gains_shared_share_and_own_text_measures(study):
    from analysis.study import measures

    scores = measures.score_table(study).set_index("doc_id")
    reuse = measures.reuse_per_sentence(study)
    per_sentence = measures.frames_per_sentence(study).merge(reuse, on=["doc_id", "sent_idx"])
    own = per_sentence[per_sentence["own"]]
    for doc_id, row in scores.iterrows():
        mine = own[own["doc_id"] == doc_id]
        assert row["own_n_sentences"] == len(mine)
        for frame in measures.codebook(study).frame_ids:
            assert row[f"own_frame_{frame}_sentences"] == mine[frame].sum()
        words = reuse[reuse["doc_id"] == doc_id]
        shared = words.loc[~words["own"], "n_words"].sum() / words["n_words"].sum()
        assert row["shared_share"] == pytest.approx(shared)
    # the seed articles share text, so own text is strictly less than all text somewhere
    assert (scores["own_n_sentences"] < scores["n_sentences"]).any()
    assert scores["shared_share"].between(0, 1).all()


def test_a_frame_carried_only_by_shared_wire_copy_vanishes_from_own_text():
    from analysis.study import measures
    from analysis.study.load import study_from_articles

    wire = (
        "Officials said the visit marked a strategic convergence between the two countries "
        "and a deepening partnership on critical minerals and supply chains."
    )
    articles = pd.DataFrame(
        {
            "doc_id": ["a", "b"],
            "outlet": ["Outlet A", "Outlet B"],
            "date": ["2026-02-03", "2026-02-03"],
            "title": ["Visit", "Visit"],
            "url": ["", ""],
            "wire": ["", ""],
            "text": [
                wire + "\n\nThe minister met students at a university in the evening.",
                wire + "\n\nRain delayed the motorcade on the way to the hotel.",
            ],
        }
    )
    study = study_from_articles(articles, "constructed.csv")
    scores = measures.score_table(study).set_index("doc_id")
    assert (scores["frame_convergence_sentences"] >= 1).all()
    assert (scores["own_frame_convergence_sentences"] == 0).all()
    assert (scores["own_n_sentences"] == 1).all()
    assert (scores["shared_share"] > 0.5).all()
    outlets = measures.frames_per_outlet_own(study)
    convergence = outlets[(outlets["measure"] == "share") & (outlets["frame"] == "convergence")]
    assert (convergence["estimate"] == 0).all()


# --- the command line -----------------------------------------------------------------------


def test_reuse_command_writes_pairs_sentences_and_articles(tmp_path, run_cli, study):
    pairs, per_sentence = tmp_path / "pairs.csv", tmp_path / "sentences.csv"
    result = run_cli("reuse", "corpus", "--out", pairs, "--sentences", per_sentence)
    assert result.code == 0, result.stderr
    table = pd.read_csv(pairs)
    assert {"doc_a", "doc_b", "share_a", "share_b", "kind"} <= set(table.columns)
    assert set(table["kind"]) <= {"verbatim", "rewrite", "both"}
    expected = detect_reuse(study.articles, study.sentences).pairs
    assert list(zip(table["doc_a"], table["doc_b"], strict=True)) == list(
        zip(expected["doc_a"], expected["doc_b"], strict=True)
    )
    statuses = pd.read_csv(per_sentence)
    assert len(statuses) == len(study.sentences)
    assert set(statuses["status"]) == {"original", "verbatim", "rewrite"}


def test_reuse_command_on_bad_input_names_it_and_writes_nothing(tmp_path, run_cli):
    corpus = tmp_path / "bad.csv"
    corpus.write_text(
        "doc_id,outlet,date,title,url,text\na,A,2026-02-03,T,,some text\na,B,2026-02-03,T,,more\n"
    )
    out = tmp_path / "pairs.csv"
    result = run_cli("reuse", corpus, "--out", out)
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "bad.csv" in result.stderr
    assert not out.exists()


def test_kwic_command_prints_each_occurrence_with_outlet_and_sentence(run_cli, study):
    result = run_cli("kwic", "Rubio", "--window", "3")
    assert result.code == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    expected = study.sentences["text"].str.count(r"(?i)\bRubio\b").sum()
    assert len(lines) == expected > 0
    assert all(":" in line and "Rubio" in line for line in lines)
    missing = run_cli("kwic", "zzzqqx")
    assert missing.code == 0 and missing.stdout.startswith("no matches")
    empty = run_cli("kwic", " ")
    assert empty.code == 2 and "Traceback" not in empty.stderr


def test_a_corpus_in_which_nothing_is_shared_gives_empty_pairs_and_zero_shares():
    articles, sentences = _corpus({"floods": FLOODS, "court": COURT_WIRE})
    result = detect_reuse(articles, sentences)
    assert result.pairs.empty
    per_sentence = sentence_reuse(sentences, result.matches)
    assert per_sentence["own"].all()
    per_article = article_reuse(articles, per_sentence, result.pairs)
    assert per_article["shared_share"].tolist() == [0.0, 0.0]
    assert per_article["neighbours"].tolist() == ["", ""]


def test_reuse_command_refuses_a_corpus_with_no_articles(tmp_path, run_cli):
    corpus = tmp_path / "header_only.csv"
    corpus.write_text("id,outlet,date,title,text\n")
    result = run_cli("reuse", corpus, "--out", tmp_path / "pairs.csv")
    assert result.code == 2 and "no articles" in result.stderr
    assert not (tmp_path / "pairs.csv").exists()


def test_kwic_piped_into_a_closed_reader_stops_quietly(tmp_path):
    import subprocess
    import sys

    from analysis.core.config import PROJECT_ROOT

    command = f"{sys.executable} -m analysis kwic the --window 2 | head -1"
    completed = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert len(completed.stdout.splitlines()) == 1


# --- block screen: the same tables as comparing every candidate pair --------------------------


def _every_candidate_compared(monkeypatch, articles, sentences, **options):
    """The detector's tables with no screen: every candidate pair compared exactly, as the
    verification did pair by pair before the screen (the screen may only skip pairs that
    share nothing)."""
    with monkeypatch.context() as patched:
        patched.setattr(
            reuse_verify, "_may_share_block", lambda block, *_: np.ones(len(block), dtype=bool)
        )
        return detect_reuse(articles, sentences, **options)


def _assert_same_tables(found, reference, sentences):
    for name in ("pairs", "matches", "passages", "templates"):
        pd.testing.assert_frame_equal(getattr(found, name), getattr(reference, name))
    pd.testing.assert_frame_equal(
        sentence_reuse(sentences, found.matches), sentence_reuse(sentences, reference.matches)
    )


def test_block_screen_gives_the_tables_of_comparing_every_candidate(monkeypatch, constructed):
    articles, sentences, _ = constructed
    reference = _every_candidate_compared(monkeypatch, articles, sentences, method="all_pairs")
    _assert_same_tables(detect_reuse(articles, sentences, method="all_pairs"), reference, sentences)
    articles, sentences = _synthetic_corpus(60)
    settings = ReuseSettings(chunk_size=7)
    reference = _every_candidate_compared(
        monkeypatch, articles, sentences, method="lsh", settings=settings
    )
    assert len(reference.pairs) >= 20
    monkeypatch.setattr(reuse_verify, "_MAX_BLOCK_PAIRS", 5)  # many blocks, two workers
    found = detect_reuse(articles, sentences, method="lsh", settings=settings, workers=2)
    _assert_same_tables(found, reference, sentences)


def test_block_screen_on_the_first_allsides_articles_gives_the_same_tables(
    monkeypatch, shared_data
):
    corpus = shared_data / "allsides_baly2020.csv.xz"
    if not corpus.exists():
        pytest.skip(f"{corpus} not found")
    raw = pd.read_csv(corpus, dtype=str, keep_default_na=False, nrows=400)
    articles = pd.DataFrame(
        {"doc_id": raw["id"], "outlet": raw["outlet"], "clean_text": raw["text"]}
    )
    sentences = split_sentences(articles)
    reference = _every_candidate_compared(monkeypatch, articles, sentences, method="lsh")
    found = detect_reuse(articles, sentences, method="lsh")
    assert len(reference.pairs) >= 50 and len(reference.matches) >= 100
    assert found.summary["n_candidate_pairs"] > 2 * len(found.pairs)  # the screen skips some
    _assert_same_tables(found, reference, sentences)


def test_shared_values_of_a_block_are_found_for_every_pair():
    rng = np.random.default_rng(5)
    values = [rng.integers(0, 2**63, size=rng.integers(0, 40), dtype=np.uint64) for _ in range(30)]
    values[3] = np.r_[values[3], values[7][:1]]  # shared by 3 and 7
    values[11] = np.r_[values[11], values[11]]  # repeated within one member only
    values[20] = values[21] = np.array([2**64 - 1], dtype=np.uint64)
    pairs = np.array([(i, j) for i in range(30) for j in range(30) if i != j])
    shared = reuse_verify._share_any(values, pairs[:, 0], pairs[:, 1])
    expected = [bool(np.intersect1d(values[i], values[j]).size) for i, j in pairs]
    assert shared.tolist() == expected and sum(expected) == 4
    assert not reuse_verify._share_any([], pairs[:0, 0], pairs[:0, 1]).size


def test_texts_buffer_gives_back_every_text():
    texts = ["", "plain", "İstanbul’s “Gor” – ß", "\ud800 lone surrogate", "x" * 5000]
    held = reuse_verify._Texts(texts)
    assert len(held) == len(texts) and [held[i] for i in range(len(texts))] == texts


def _reference_aligned_runs(a, b):
    """Aligned runs as first written: both ends of every shingle's matches searched in b."""
    order = np.argsort(b.shingles, kind="stable")
    low = np.searchsorted(b.shingles[order], a.shingles, side="left")
    counts = np.searchsorted(b.shingles[order], a.shingles, side="right") - low
    if not counts.any():
        return np.zeros((0, 3), dtype=np.int64)
    at_a = np.repeat(np.arange(len(a.shingles)), counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    at_b = order[np.repeat(low, counts) + within]
    ordered = np.lexsort((at_a, at_a - at_b))
    at_a, at_b = at_a[ordered], at_b[ordered]
    starts = np.r_[True, ((at_a - at_b)[1:] != (at_a - at_b)[:-1]) | (at_a[1:] != at_a[:-1] + 1)]
    first = np.flatnonzero(starts)
    return np.column_stack([at_a[first], at_b[first], np.diff(np.r_[first, len(at_a)])])


def test_article_features_and_runs_equal_their_first_versions(constructed):
    articles, sentences, _ = constructed
    settings = ReuseSettings()
    made = _weighted_articles(articles, sentences, settings)
    stop = _stop_word_hashes()
    repeated = made[0].shingles[:20]
    for a in made:
        hashes = _TokenHashes()
        tokens = reuse_tokens(articles["clean_text"].iat[a.position])[0]
        token_hashes = np.array([hashes[token] for token in tokens], dtype=np.uint64)
        words = (a.token_sentence >= 0) & ~np.isin(token_hashes, stop)
        content = np.unique(
            a.token_sentence[words].astype(np.uint64) << np.uint64(32) | token_hashes[words]
        )
        np.testing.assert_array_equal(a.content, content)
        for b in made:
            np.testing.assert_array_equal(_aligned_runs(a, b, 8), _reference_aligned_runs(a, b))
    a, b = made[0], made[1]  # shingles repeated in b: every match is aligned
    b.shingles, b.shingle_order = np.r_[b.shingles, repeated, repeated], None
    np.testing.assert_array_equal(_aligned_runs(a, b, 8), _reference_aligned_runs(a, b))
