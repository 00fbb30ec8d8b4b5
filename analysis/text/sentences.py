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

from collections.abc import Iterator
from functools import lru_cache

import pandas as pd
from nltk.tokenize.punkt import _ORTHO_MID_LC, PunktParameters, PunktSentenceTokenizer

from analysis.core.errors import InputError

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


class _OrthoContexts(dict):
    """Punkt's orthographic contexts, 0 for a word type it has none for, as NLTK's
    ``defaultdict(int)`` gives, but without storing that 0: NLTK's table gained an entry for
    every word type it looked up while splitting (6,000 strings for 10,000 AllSides articles),
    and those few long-lived strings, made between millions of short-lived ones, kept about
    500 MB of Python's memory from being reused or returned (benchmarks/RESULTS.md)."""

    def __missing__(self, key: str) -> int:
        return 0


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    parameters = PunktParameters()
    parameters.abbrev_types = set(ABBREVIATIONS)
    for word in SENTENCE_STARTERS:
        parameters.add_ortho_context(word, _ORTHO_MID_LC)
    parameters.ortho_context = _OrthoContexts(parameters.ortho_context)
    return PunktSentenceTokenizer(parameters)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs: non-blank lines, outer whitespace excluded.

    >>> paragraph_spans("One.\\n\\n  Two. \\nThree.")
    [(0, 4), (8, 12), (14, 20)]
    """
    spans = []
    line_start = 0
    for line in text.split("\n"):  # linear: a regular expression here backtracked per line
        stripped = line.lstrip()
        if stripped:
            start = line_start + len(line) - len(stripped)
            spans.append((start, start + len(stripped.rstrip())))
        line_start += len(line) + 1
    return spans


#: Punkt reads a long paragraph this many characters at a time: NLTK runs each of its regular
#: expressions under a 5-second wall-clock limit, which one multi-megabyte paragraph exceeded
#: (a traceback). A window's last sentence is read again at the start of the next window, so
#: the sentences are Punkt's own.
PUNKT_WINDOW = 20_000
#: A sentence longer than this is split at whitespace (mid-word only when there is none). A
#: scrape with no full stop (a table, a list of links) is otherwise one "sentence" of
#: megabytes, and VADER's time grows with the square of a text's length (a 5 MB text took over
#: 10 minutes). Real sentences are far shorter: the longest of the BBC News corpus's 41,814 has
#: 1,063 characters, of the coverage corpus's 1,469 has 471 (none split).
#: Every such split is recorded in the cleaning report (rule ``long_sentence_split``).
MAX_SENTENCE_CHARS = 3_000


def _cut_at_space(text: str, start: int, stop: int) -> int:
    """A position in ``text[start:stop]`` to cut at: the last whitespace in its second half, or
    ``stop`` when there is none."""
    for position in range(stop - 1, (start + stop) // 2, -1):
        if text[position].isspace():
            return position
    return stop


def _punkt_spans(paragraph: str) -> tuple[list[list[int]], set[int]]:
    """Punkt's sentence spans of ``paragraph``, read :data:`PUNKT_WINDOW` characters at a time,
    and the starts of the spans that begin where a window cut a sentence with no end in it."""
    spans: list[list[int]] = []
    cut_starts: set[int] = set()
    start = 0
    while start < len(paragraph):
        stop = len(paragraph)
        if stop - start > PUNKT_WINDOW:
            stop = _cut_at_space(paragraph, start, start + PUNKT_WINDOW)
        found = list(_punkt().span_tokenize(paragraph[start:stop]))
        if stop < len(paragraph) and len(found) > 1:  # the last one may go on past the window
            found, stop = found[:-1], start + found[-1][0]
        elif stop < len(paragraph):
            cut_starts.add(stop)
        spans.extend([start + begin, start + end] for begin, end in found)
        start = stop
    return spans, cut_starts


def _sentence_spans(paragraph: str) -> tuple[list[tuple[int, int]], list[int]]:
    """:func:`sentence_spans`, and the positions where an over-long sentence was split."""
    spans, cut_starts = _punkt_spans(paragraph)
    was_cut = [start in cut_starts for start, _ in spans]
    for index in range(1, len(spans)):
        start, end = spans[index]
        moved = 0
        while start + moved < end and paragraph[start + moved] in _CLOSING_MARKS:
            moved += 1
        if moved and (start + moved == end or paragraph[start + moved].isspace()):
            spans[index - 1][1] = start + moved
            spans[index][0] = start + moved
    result: list[tuple[int, int]] = []
    splits: list[int] = []
    for (start, end), cut in zip(spans, was_cut, strict=True):
        piece = paragraph[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if cut and start < end:
            splits.append(start)
        while end - start > MAX_SENTENCE_CHARS:
            cut = _cut_at_space(paragraph, start, start + MAX_SENTENCE_CHARS)
            result.append((start, len(paragraph[:cut].rstrip())))
            start = cut + len(paragraph[cut:end]) - len(paragraph[cut:end].lstrip())
            splits.append(start)
        if start < end:
            result.append((start, end))
    return result, splits


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans within one paragraph.

    A closing quotation mark or bracket that Punkt leaves at the start of the next sentence is
    moved back to the sentence it closes. A sentence longer than :data:`MAX_SENTENCE_CHARS` is
    split at whitespace.

    >>> text = 'He met S. Jaishankar in the U.S. on Monday. “It went well.” Both sides agreed.'
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['He met S. Jaishankar in the U.S. on Monday.', '“It went well.”', 'Both sides agreed.']
    """
    return _sentence_spans(paragraph)[0]


def iter_sentences(doc_id: str, clean_text: str, splits: list[int] | None = None) -> Iterator[dict]:
    """Yield one sentence row (see :data:`SENTENCE_COLUMNS`) per sentence of one article.

    ``splits``, when given, receives the offset in ``clean_text`` of each sentence that starts
    where an over-long sentence was split (:data:`MAX_SENTENCE_CHARS`).
    """
    sent_idx = 0
    for para_idx, (para_start, para_end) in enumerate(paragraph_spans(clean_text)):
        paragraph = clean_text[para_start:para_end]
        spans, forced = _sentence_spans(paragraph)
        if splits is not None:
            splits.extend(para_start + position for position in forced)
        for start, end in spans:
            yield {
                "doc_id": doc_id,
                "sent_idx": sent_idx,
                "para_idx": para_idx,
                "start": para_start + start,
                "end": para_start + end,
                "text": paragraph[start:end],
            }
            sent_idx += 1


def split_sentences(
    articles: pd.DataFrame, splits: list[tuple[str, int]] | None = None
) -> pd.DataFrame:
    """Split every article's ``clean_text`` into the sentence table.

    Raises :class:`InputError` naming the article if one has no sentence (for instance, a text
    that was nothing but a scrape footer). ``splits``, when given, receives ``(doc_id,
    offset)`` for every place an over-long sentence was split (see :func:`iter_sentences`).

    Examples
    --------
    >>> articles = pd.DataFrame({"doc_id": ["a"], "clean_text": ["Talks began. Dr. Rao spoke."]})
    >>> split_sentences(articles)["text"].tolist()
    ['Talks began.', 'Dr. Rao spoke.']
    """
    rows: list[dict] = []
    for doc_id, clean_text in zip(articles["doc_id"], articles["clean_text"], strict=True):
        forced: list[int] = []
        try:
            found = list(iter_sentences(doc_id, clean_text, forced))
        except TimeoutError:  # NLTK's time limit on a regular expression (see PUNKT_WINDOW)
            raise InputError(
                f"article {doc_id!r}: the sentence splitter ran out of time on this text "
                "(check it for a very long run of unusual characters)"
            ) from None
        if splits is not None:
            splits.extend((doc_id, position) for position in forced)
        if not found:
            raise InputError(f"article {doc_id!r}: no sentences after cleaning (is it empty?)")
        rows.extend(found)
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
