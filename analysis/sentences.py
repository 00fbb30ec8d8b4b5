"""Paragraphs, sentences and word tokens, with NLTK tools that need no downloaded data.

NLTK's pretrained Punkt model has to be downloaded, which this package never does. Instead the
Punkt algorithm runs with parameters built here: a list of abbreviations common in news
(titles, initials, months, "U.S."), so that "S. Jaishankar", "U.S. Ambassador" and "Dr. Singh"
do not end a sentence. A closing quotation mark after a full stop stays with its sentence.

The sentence table (:data:`SENTENCE_COLUMNS`) is what every measure shares: one row per
sentence, with the character span in the article's cleaned text, so any match inside a
sentence maps back to the article. Splitting is per article, so a large corpus can be split
chunk by chunk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pandas as pd
from nltk.tokenize.punkt import _ORTHO_MID_LC, PunktParameters, PunktSentenceTokenizer

from analysis.errors import InputError

SENTENCE_COLUMNS = ["doc_id", "sent_idx", "para_idx", "start", "end", "text"]

#: Abbreviations (lower case, without the final period) after which Punkt must not split.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st gen col lt maj capt sgt adm cmdr gov sen rep rev hon
    pres supt insp det amb sec dept govt
    jan feb mar apr jun jul aug sep sept oct nov dec
    u.s u.k u.n u.s.a e.u u.a.e e.g i.e etc vs no nos approx est inc ltd co corp bros
    a.m p.m rs
    """.split()
) | frozenset("abcdefghijklmnopqrstuvwyz")  # initials ("S. Jaishankar"); not "X", the platform

#: Function words that occur in lower case mid-sentence. Punkt's orthographic heuristic then
#: reads them, capitalised after a period, as sentence starters: "posted on X. The ministry"
#: splits, while "S. Jaishankar" (no such context for the name) does not.
SENTENCE_STARTERS = frozenset(
    """
    the a an in on at for from with by to of as after before during since while when where if
    but and or so yet he she it they we i you his her its their our this that these those there
    here earlier meanwhile however later also both such some many most one two three
    according apart additionally separately last next trade talks officials
    """.split()
)

_CLOSING_MARKS = "\"'”’)]"
_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
#: A word: letters and digits, with inner hyphens, apostrophes and dots ("India-US", "U.S").
WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    parameters = PunktParameters()
    parameters.abbrev_types = set(ABBREVIATIONS)
    for word in SENTENCE_STARTERS:
        parameters.add_ortho_context(word, _ORTHO_MID_LC)
    return PunktSentenceTokenizer(parameters)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs: non-blank lines, outer whitespace excluded.

    >>> paragraph_spans("One.\\n\\n  Two. \\nThree.")
    [(0, 4), (8, 12), (14, 20)]
    """
    spans = []
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        start += len(match.group()) - len(match.group().lstrip())
        end -= len(match.group()) - len(match.group().rstrip())
        spans.append((start, end))
    return spans


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph.

    A closing quotation mark or bracket that Punkt leaves at the start of the next sentence is
    moved back to the sentence it closes.

    >>> text = 'He met S. Jaishankar in the U.S. on Monday. “It went well.” Both sides agreed.'
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['He met S. Jaishankar in the U.S. on Monday.', '“It went well.”', 'Both sides agreed.']
    """
    spans = [list(span) for span in _punkt().span_tokenize(paragraph)]
    for index in range(1, len(spans)):
        start, end = spans[index]
        moved = 0
        while start + moved < end and paragraph[start + moved] in _CLOSING_MARKS:
            moved += 1
        if moved and (start + moved == end or paragraph[start + moved].isspace()):
            spans[index - 1][1] = start + moved
            spans[index][0] = start + moved
    result = []
    for start, end in spans:
        piece = paragraph[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if start < end:
            result.append((start, end))
    return result


def iter_sentences(doc_id: str, clean_text: str) -> Iterator[dict]:
    """Yield one sentence row (see :data:`SENTENCE_COLUMNS`) per sentence of one article."""
    sent_idx = 0
    for para_idx, (para_start, para_end) in enumerate(paragraph_spans(clean_text)):
        paragraph = clean_text[para_start:para_end]
        for start, end in sentence_spans(paragraph):
            yield {
                "doc_id": doc_id,
                "sent_idx": sent_idx,
                "para_idx": para_idx,
                "start": para_start + start,
                "end": para_start + end,
                "text": paragraph[start:end],
            }
            sent_idx += 1


def split_sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """Split every article's ``clean_text`` into the sentence table.

    Raises :class:`InputError` naming the article if one has no sentence (for instance, a text
    that was nothing but a scrape footer).

    Examples
    --------
    >>> articles = pd.DataFrame({"doc_id": ["a"], "clean_text": ["Talks began. Dr. Rao spoke."]})
    >>> split_sentences(articles)["text"].tolist()
    ['Talks began.', 'Dr. Rao spoke.']
    """
    rows: list[dict] = []
    for doc_id, clean_text in zip(articles["doc_id"], articles["clean_text"], strict=True):
        found = list(iter_sentences(doc_id, clean_text))
        if not found:
            raise InputError(f"article {doc_id!r}: no sentences after cleaning (is it empty?)")
        rows.extend(found)
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def word_tokens(text: str) -> list[str]:
    """Word tokens: runs of letters and digits, keeping inner hyphens, apostrophes, periods.

    >>> word_tokens("India-US ties, Gor’s post and the U.S. role")
    ['India-US', 'ties', 'Gor’s', 'post', 'and', 'the', 'U.S', 'role']
    """
    return WORD.findall(text)


def count_words(text: str) -> int:
    """Number of :func:`word_tokens` in ``text``."""
    return len(WORD.findall(text))
