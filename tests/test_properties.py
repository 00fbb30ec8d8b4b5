"""Properties of the readers, cleaning and sentence splitting on arbitrary text (hypothesis).

Arbitrary Unicode, whitespace of every kind, quotes, commas and newlines inside CSV fields:
whatever the text, the package either reads it faithfully or raises its one input error, the
cleaning report accounts for every character, and every sentence maps back to its text.
The examples are derandomised and nothing is stored, so a run is the same every time.
"""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.core.errors import InputError
from analysis.io.checks import MAX_FIELD_CHARS
from analysis.io.corpus import load_corpus
from analysis.study.load import study_from_articles
from analysis.text.cleaning import clean_text, wire_credit_trailer
from analysis.text.sentences import iter_sentences, paragraph_spans

PROPERTIES = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that can be written as UTF-8 (no lone surrogates), weighted towards what breaks readers:
# whitespace of every kind, line separators, quotation marks, commas, newlines, and the pieces
# the cleaning rules look for. Control characters come in separately (CONTROL_TEXT), so that
# most examples are usable corpora.
_ANY_CHARACTER = st.characters(exclude_categories=("Cs", "Cc"))
_AWKWARD = st.sampled_from(
    " |\t|\n|\r|\r\n|\n\n|\u00a0|\u2028|\u2029|\x85|\x1c|\ufeff|\"|'|“|”|‘|’|,|;|.|. |?|!|(|)"
    "|Dr. |U.S. |S. Jaishankar|he said. |Advertisement\n|(With ANI inputs)| date 2026-02-02 "
    "|Leave a Reply\n|The minister met officials. ".split("|")
)
TEXT = st.lists(st.one_of(_ANY_CHARACTER, _AWKWARD), max_size=80).map("".join)
#: Text with, now and then, a control character (NUL, escape, form feed ...) somewhere in it.
_CONTROLS = st.sampled_from(["\x00", "\x1b", "\x0c", "\x0b", "\x7f", "\x9f"])
CONTROL_TEXT = st.one_of(TEXT, TEXT, TEXT, st.tuples(TEXT, _CONTROLS, TEXT).map("".join))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _usable(value: str) -> bool:
    return bool(value.strip()) and not _CONTROL.search(value) and len(value) <= MAX_FIELD_CHARS


@st.composite
def articles(draw) -> list[dict[str, str]]:
    """A few rows with arbitrary ids, outlets, titles and texts (ids made distinct)."""
    rows = []
    for number in range(draw(st.integers(1, 3))):
        rows.append(
            {
                "id": f"{draw(CONTROL_TEXT)}#{number}",
                "outlet": draw(CONTROL_TEXT) or "Daily",
                "date": "",
                "title": draw(CONTROL_TEXT),
                "text": draw(CONTROL_TEXT),
            }
        )
    return rows


def _read_back(path, rows: list[dict[str, str]]) -> None:
    """A corpus of usable rows reads back exactly as written; any other raises InputError."""
    usable = all(
        _usable(row["text"])
        and _usable(row["outlet"])
        and not _CONTROL.search(row["id"] + row["title"])
        for row in rows
    )
    try:
        table = load_corpus(path)
    except InputError as error:
        assert not usable, str(error)
        assert "\n" not in str(error)
        return
    assert usable
    assert table["text"].tolist() == [row["text"] for row in rows]
    assert table["doc_id"].tolist() == [row["id"].strip() for row in rows]
    assert table["outlet"].tolist() == [row["outlet"].strip() for row in rows]
    assert table["title"].tolist() == [row["title"].strip() for row in rows]


@PROPERTIES
@given(rows=articles())
def test_csv_corpus_reads_back_every_field_or_raises_input_error(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "corpus.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=["id", "outlet", "date", "title", "text"])
        writer.writeheader()
        writer.writerows(rows)
    _read_back(path, rows)


@PROPERTIES
@given(rows=articles(), ascii_only=st.booleans())
@example(  # a line separator written unescaped split the line in two (str.splitlines)
    rows=[{"id": "a", "outlet": "D", "date": "", "title": "T", "text": "Talks\u2028began."}],
    ascii_only=False,
)
def test_jsonl_corpus_reads_back_every_field_or_raises_input_error(
    tmp_path_factory, rows, ascii_only
):
    path = tmp_path_factory.mktemp("jsonl") / "corpus.jsonl"
    lines = (json.dumps(row, ensure_ascii=ascii_only) + "\n" for row in rows)
    path.write_text("".join(lines), encoding="utf-8")
    _read_back(path, rows)


@PROPERTIES
@given(raw=st.binary(max_size=300))
def test_any_bytes_as_a_csv_corpus_read_or_raise_input_error(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("bytes") / "corpus.csv"
    path.write_bytes(b"id,outlet,date,title,text\n" + raw)
    try:
        load_corpus(path)
    except InputError as error:
        assert "\n" not in str(error)


@PROPERTIES
@given(text=TEXT, title=TEXT)
def test_cleaning_accounts_for_every_character(text, title):
    cleaned = clean_text(text, title=title, doc_id="a")
    removed = set()
    for removal in cleaned.removals:
        assert 0 <= removal["start"] < removal["end"] <= len(text)
        removed.update(range(removal["start"], removal["end"]))
    # computed from the raw text and the report alone, not from the rules' own bookkeeping
    kept = "".join(character for i, character in enumerate(text) if i not in removed)
    assert kept == cleaned.text
    assert len(text) == len(cleaned.text) + sum(r["n_chars"] for r in cleaned.removals)
    assert len(removed) == sum(r["n_chars"] for r in cleaned.removals)


@PROPERTIES
@given(text=TEXT)
def test_sentences_map_back_to_the_text_in_order_and_cover_it(text):
    rows = list(iter_sentences("a", text))
    previous_end = 0
    for number, row in enumerate(rows):
        assert row["sent_idx"] == number
        assert text[row["start"] : row["end"]] == row["text"]
        assert row["text"] and row["text"] == row["text"].strip()
        assert row["start"] >= previous_end
        previous_end = row["end"]
    covered = {i for row in rows for i in range(row["start"], row["end"])}
    assert all(character.isspace() for i, character in enumerate(text) if i not in covered)


@PROPERTIES
@given(rows=articles())
def test_the_whole_study_pipeline_raises_nothing_but_input_error(rows):
    table = pd.DataFrame(rows).rename(columns={"id": "doc_id"}).assign(url="", wire="")
    try:
        study = study_from_articles(table, "test")
    except InputError as error:
        assert "\n" not in str(error)
        return
    for row in study.sentences.itertuples():
        clean = study.articles.set_index("doc_id").loc[row.doc_id, "clean_text"]
        assert clean[row.start : row.end] == row.text


# --- the linear rewrites give what the backtracking patterns gave --------------------------------

_OLD_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
_OLD_WIRE_TRAILER = re.compile(
    r"\s*\(\s*(?:with\s+)?(?:inputs\s+from\s+)?[A-Z][\w&/,. -]{0,40}?(?:\s+inputs)?\s*\)\s*\Z",
    re.IGNORECASE,
)
_WIRE_WORD = re.compile(r"input|\b(?:ANI|PTI|IANS|Reuters|AP|AFP|UNI)\b", re.IGNORECASE)


@PROPERTIES
@given(text=TEXT)
def test_paragraph_spans_are_those_of_the_old_pattern(text):
    old = []
    for match in _OLD_PARAGRAPH.finditer(text):
        start, end = match.span()
        start += len(match.group()) - len(match.group().lstrip())
        end -= len(match.group()) - len(match.group().rstrip())
        old.append((start, end))
    assert paragraph_spans(text) == old


@PROPERTIES
@given(
    body=TEXT,
    credit=st.sampled_from(
        [
            "(With ANI inputs)",
            "( with inputs from PTI )",
            "(Reuters)",
            "(AP) ",
            "(a)",
            "(With inputs)\n\n",
        ]
    ),
)
def test_the_wire_credit_is_found_where_the_old_pattern_found_it(body, credit):
    for text in (body, body + credit, body + " \t\n" + credit):
        match = _OLD_WIRE_TRAILER.search(text)
        old = [match.span()] if match and _WIRE_WORD.search(match.group()) else []
        assert wire_credit_trailer(text, "") == old
