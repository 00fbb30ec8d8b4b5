"""Cleaning: each rule on constructed cases, and the accounting on the real seed articles."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.text.cleaning import RULES, clean_text, cleaning_summary

PLAIN_ARTICLE = (
    "The minister arrived in Washington on Monday for talks.\n\n"
    "Officials said the meetings would cover trade and energy. The visit ends on Wednesday.\n\n"
    "In a statement, the ministry said the two sides would review progress."
)


def test_rules_leave_ordinary_prose_alone():
    cleaned = clean_text(PLAIN_ARTICLE, title="Minister arrives for talks")
    assert cleaned.text == PLAIN_ARTICLE
    assert cleaned.removals == []


@pytest.mark.parametrize(
    ("raw", "title", "rule", "expected"),
    [
        (
            " date 2026-02-02 The minister left on Monday.",
            "",
            "scraper_date_prefix",
            "The minister left on Monday.",
        ),
        (
            "Talks begin\n\nTalks begin\n\nThe minister left on Monday for three days of talks.",
            "",
            "repeated_headline",
            "The minister left on Monday for three days of talks.",
        ),
        (
            "Minister visits US\n\nThe minister left on Monday for three days of talks.",
            "Minister visits US",
            "repeated_headline",
            "The minister left on Monday for three days of talks.",
        ),
        (
            "By Staff Reporter\nNew Delhi\nThe minister left on Monday.",
            "",
            "byline_dateline",
            "The minister left on Monday.",
        ),
        (
            "The minister left.\n\nLeave a Reply\n\nYour email address will not be published.",
            "",
            "comment_footer",
            "The minister left.",
        ),
        (
            "The minister left.\n\n(With inputs from PTI)",
            "",
            "wire_credit_trailer",
            "The minister left.",
        ),
        (
            "Lead paragraph here.\n\nTrade Talks Stall Earlier this month, the two sides failed to agree on terms.",
            "",
            "fused_subheading",
            "Lead paragraph here.\n\nEarlier this month, the two sides failed to agree on terms.",
        ),
        (
            "The minister left.\n\nAdvertisement\n\nShe spoke.\n\nADVERTISEMENT\nThey met.",
            "",
            "page_furniture",
            "The minister left.\n\nShe spoke.\n\nThey met.",
        ),
        (
            "The minister left.\n\nSign up for Daily Newsletters Manage Newsletters\n\n"
            "Copyright © 2019 The Washington Times, LLC. Click here for reprint permission.",
            "",
            "page_furniture",
            "The minister left.",
        ),
        ("\n  The minister left.\n\n\n\n", "", "outer_whitespace", "The minister left."),
    ],
)
def test_each_rule_removes_its_artefact_and_reports_it(raw, title, rule, expected):
    cleaned = clean_text(raw, title=title)
    assert cleaned.text == expected
    assert rule in {removal["rule"] for removal in cleaned.removals}


def test_a_parenthesis_that_is_not_a_wire_credit_stays():
    text = "The talks covered defence (including jet engines)"
    assert clean_text(text).text == text


def test_furniture_words_inside_sentences_stay():
    text = (
        "Advertisement revenue fell.\n\nThe ad ran on Monday. Sign up for the newsletter, he "
        "said.\n\nCopyright law was discussed.\nAD 2026 was mentioned"
    )
    assert clean_text(text).text == text


def test_a_comment_form_far_from_the_end_is_not_a_footer():
    text = "Leave a Reply is the name of a play.\n\n" + "The minister spoke at length. " * 40
    assert clean_text(text).text == text.strip()


def test_removal_only_and_offsets_point_into_the_raw_text():
    raw = " date 2026-01-29 Headline\n\nHeadline\n\nBody sentence one. Body two.\n\n(With ANI inputs)\n\n"
    cleaned = clean_text(raw)
    for removal in cleaned.removals:
        assert raw[removal["start"] : removal["end"]] == removal["removed"]
    assert len(raw) == len(cleaned.text) + sum(r["n_chars"] for r in cleaned.removals)
    # The cleaned text is a subsequence of the raw text: nothing was rewritten.
    position = 0
    for char in cleaned.text:
        position = raw.index(char, position) + 1


def test_seed_artefacts_named_in_sources_are_removed(study):
    """SOURCES.md lists each seed's scrape artefacts; each must be removed by its rule."""
    report = study.cleaning_report
    removed = {(row.doc_id[:3], row.rule) for row in report.itertuples()}
    assert {
        ("000", "scraper_date_prefix"),
        ("001", "scraper_date_prefix"),
        ("004", "scraper_date_prefix"),
    } <= removed
    assert ("002", "byline_dateline") in removed
    assert ("003", "repeated_headline") in removed and ("003", "comment_footer") in removed
    assert ("001", "fused_subheading") in removed
    texts = study.articles.set_index(study.articles["doc_id"].str[:3])["clean_text"]
    assert not texts["002"].startswith("Our Bureau") and texts["002"] == texts["002"].rstrip()
    assert "Leave a Reply" not in texts["003"] and texts["003"].count("EAM Jaishankar begins") == 0
    assert "Finance Ministerial Earlier this month" not in texts["001"]
    assert "Earlier this month, US Treasury Secretary Scott Bessent" in texts["001"]
    assert all(not text.startswith(" date") for text in texts)


def test_seed_removals_point_at_the_raw_text(study):
    raw = study.articles.set_index("doc_id")["text"]
    for removal in study.cleaning_report.itertuples():
        assert raw[removal.doc_id][removal.start : removal.end] == removal.removed


def test_seed_accounting_balances(study):
    summary = cleaning_summary(study.articles, study.cleaning_report)
    # The report accounts for every removed character and for nothing kept: its raw spans,
    # cut out of the raw text, leave exactly the cleaned text.
    report = study.cleaning_report
    for doc_id, raw, cleaned in zip(
        study.articles["doc_id"], study.articles["text"], study.articles["clean_text"], strict=True
    ):
        kept = np.ones(len(raw), dtype=bool)
        rows = report[report["doc_id"] == doc_id]
        for start, end in zip(rows["start"], rows["end"], strict=True):
            kept[start:end] = False
        assert "".join(char for char, keep in zip(raw, kept, strict=True) if keep) == cleaned, doc_id
    by_rule = summary[[f"removed_by_{rule}" for rule in RULES]].sum(axis=1)
    assert (by_rule == summary["chars_removed"]).all()
    # Cleaning removes boilerplate, not the story: at most 15% of any seed.
    assert (summary["chars_removed"] <= 0.15 * summary["chars_in"]).all()
