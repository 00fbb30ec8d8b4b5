"""Who speaks: direct quotations in an article's cleaned text, each with its speaker.

News text mixes the outlet's own narration with the quoted words of officials. This module
finds direct quotations and attributes each to a speaker where the text names one, so every
sentence can be split into narration and quotation segments (:mod:`analysis.voices.segments`).

Rules, in order:

1. Quotation marks: curly “ ” and straight " (a straight mark opens when no quotation is open
   and closes one that is), and single ‘ ’ used as quotation marks (an opening ‘ after a space or
   bracket, closed by ’ not followed by a letter, so apostrophes such as "Gor’s" are left alone).
   A single-quoted passage inside a double-quoted one is part of it (nested quotes).
2. A quotation left open at the end of a paragraph continues when the next paragraph opens with
   a quotation mark (the news convention for long quotes); otherwise it ends with the paragraph
   and is flagged ``closed=False`` (unbalanced quote).
3. Speaker: the actor named next to a speech verb (said, wrote, stated, posted, added, noted,
   told, claimed, according to ...) after the quotation in its sentence; else before it in its
   sentence; a pronoun ("he said", "it said") resolves to the nearest earlier person or
   organisation mentioned outside quotations; else the first person named in the sentence
   (the subject, as in "Trump expressed confidence in a “good” deal"); else ``unknown``.

Actors come from :mod:`analysis.voices.actors`.

Examples
--------
>>> from analysis.voices.actors import load_actors
>>> actors = load_actors()
>>> text = '“Ties are strong,” Jaishankar said. Rubio agreed.'
>>> find_quotations("d", text, actors)[["start", "end", "speaker", "closed"]].values.tolist()
[[1, 17, 'Jaishankar', True]]
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

import pandas as pd

from analysis.core.parallel import map_runs
from analysis.text.sentences import paragraph_spans
from analysis.voices.actors import ActorList

QUOTATION_COLUMNS = [
    "doc_id",
    "quote_idx",
    "start",
    "end",
    "text",
    "speaker",
    "attribution",
    "closed",
]

_DOUBLE_OPEN = "“"
_DOUBLE_CLOSE = "”"
_STRAIGHT = '"'
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
_QUOTE_MARK = re.compile(f"[{_DOUBLE_OPEN}{_DOUBLE_CLOSE}{_STRAIGHT}{_SINGLE_OPEN}{_SINGLE_CLOSE}]")
_SPEECH_VERB = re.compile(
    r"\b(?:said|says|say|saying|wrote|writes|stated|states|posted|posts|added|adds|noted|notes|"
    r"told|tweeted|remarked|asserted|claimed|claims|declared|announced|insisted|observed|"
    r"according to|in a post|in a statement)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(he|she|it|they)\b", re.IGNORECASE)


def is_reported_speech(text: str) -> bool:
    """Whether a sentence attributes words to someone (a speech verb such as "said",
    "according to", "in a statement"), in direct or reported speech.

    >>> is_reported_speech("The minister said ties would deepen.")
    True
    >>> is_reported_speech("Ties deepened.")
    False
    """
    return _SPEECH_VERB.search(text) is not None


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """Spans ``(start, end, closed)`` of the quoted passages in ``text``, marks excluded.

    >>> quote_spans('He said, “We agree.” Then: "Yes." A ‘good’ deal; Gor’s post.')
    [(10, 19, True), (28, 32, True), (37, 41, True)]
    >>> quote_spans('“Open quote\\n“continues here.”\\nNext.')
    [(1, 28, True)]
    """
    paragraphs = paragraph_spans(text)
    spans: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    single_open_at: int | None = None
    for number, (para_start, para_end) in enumerate(paragraphs):
        position = para_start
        if open_at is not None and text[para_start] in (_DOUBLE_OPEN, _STRAIGHT):
            position += 1  # the continuation mark of a quotation over paragraphs
        for mark in _QUOTE_MARK.finditer(text, position, para_end):  # other characters do nothing
            index = mark.start()
            char = text[index]
            if open_at is None:
                if char in (_DOUBLE_OPEN, _STRAIGHT):
                    if single_open_at is not None:
                        single_open_at = None
                    open_at = index + 1
                elif char == _SINGLE_OPEN and (index == 0 or not text[index - 1].isalnum()):
                    single_open_at = index + 1
                elif (
                    char == _SINGLE_CLOSE
                    and single_open_at is not None
                    and (index + 1 >= len(text) or not text[index + 1].isalpha())
                ):
                    spans.append((single_open_at, index, True))
                    single_open_at = None
            elif char in (_DOUBLE_CLOSE, _STRAIGHT):
                spans.append((open_at, index, True))
                open_at = None
            elif char == _DOUBLE_OPEN:
                # a new opening mark while a quotation is open: the first one never closed
                spans.append((open_at, _rstrip(text, open_at, index), False))
                open_at = index + 1
        single_open_at = None
        if open_at is not None:
            following = paragraphs[number + 1][0] if number + 1 < len(paragraphs) else None
            if following is None or text[following] not in (_DOUBLE_OPEN, _STRAIGHT):
                spans.append((open_at, para_end, False))
                open_at = None
    return [(start, end, closed) for start, end, closed in spans if end > start]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _sentence_of(position: int, sentence_bounds: Sequence[tuple[int, int]]) -> int:
    """Index of the sentence containing ``position`` (the one before it if it falls in a gap;
    the first if it comes before every sentence). The bounds are in order and do not overlap."""
    return max(bisect_right(sentence_bounds, (position, math.inf)) - 1, 0)


class _QuoteIndex:
    """The quotations of one article, to ask in logarithmic time whether a span lies outside
    all of them (a scan of every quotation per name made an article of many quotations
    quadratic)."""

    def __init__(self, spans: Sequence[tuple[int, int, bool]]):
        ordered = sorted((start, end) for start, end, _ in spans)
        self.starts = [start for start, _ in ordered]
        self.max_end = list(accumulate((end for _, end in ordered), max))

    def outside(self, start: int, end: int) -> bool:
        """True unless a quotation (give or take its marks) contains ``start:end``."""
        before = bisect_right(self.starts, start + 1)  # quotations with q_start - 1 <= start
        return before == 0 or self.max_end[before - 1] < end - 1  # none with end <= q_end + 1


def _outside(spans: _QuoteIndex, start: int, end: int) -> bool:
    return spans.outside(start, end)


def _resolve_pronoun(
    pronoun: str,
    before: int,
    text: str,
    actors: ActorList,
    quotes: _QuoteIndex,
    sentence_bounds: Sequence[tuple[int, int]],
    memo: dict[tuple[str, int], str | None] | None = None,
) -> str | None:
    """The first actor of the pronoun's kind in the nearest earlier sentence that names one.

    ``memo`` (one per article) keeps, for a kind and a sentence, the answer found looking back
    from it, so many pronouns in an article with few names do not each walk back to its start.
    """
    kind = {"he": "person", "she": "person", "it": "organisation"}.get(pronoun.lower())
    if kind is None:
        return None
    memo = {} if memo is None else memo
    index = _sentence_of(before, sentence_bounds)
    visited, found = [], None
    while index > 0:
        if (kind, index) in memo:
            found = memo[(kind, index)]
            break
        visited.append(index)
        start, end = sentence_bounds[index - 1]
        found = next(
            (
                actor.id
                for m_start, m_end, actor in actors.mentions(text[start:end], start)
                if actor.kind == kind and _outside(quotes, m_start, m_end)
            ),
            None,
        )
        if found is not None:
            break
        index -= 1
    for index in visited:
        memo[(kind, index)] = found
    return found


def _speaker_in(
    context: str,
    offset: int,
    text: str,
    actors: ActorList,
    quotes: _QuoteIndex,
    sentence_bounds: Sequence[tuple[int, int]],
    after: bool,
    memo: dict[tuple[str, int], str | None] | None = None,
) -> str | None:
    verbs = list(_SPEECH_VERB.finditer(context))
    if not verbs:
        return None
    verb = verbs[0] if after else verbs[-1]
    candidates = [
        (start - offset, actor.id)
        for start, end, actor in actors.mentions(context, offset)
        if actor.kind != "country" and _outside(quotes, start, end)
    ]
    candidates += [
        (match.start(), match.group())
        for match in _PRONOUN.finditer(context)
        if _outside(quotes, match.start() + offset, match.end() + offset)
    ]
    if after:
        # ", Jaishankar said" / ", said Jaishankar": the first name in the attribution clause
        clause_end = re.search(r"[.;]|\band\b", context[verb.end() :])
        limit = verb.end() + (clause_end.start() if clause_end else len(context))
        in_clause = sorted(c for c in candidates if c[0] < limit)
    else:
        in_clause = sorted((c for c in candidates if c[0] < verb.start()), reverse=True)
    for position, name in in_clause:
        if _PRONOUN.fullmatch(name):
            resolved = _resolve_pronoun(
                name, offset + position, text, actors, quotes, sentence_bounds, memo
            )
            if resolved:
                return resolved
            continue
        return name
    return None


def find_quotations(
    doc_id: str,
    text: str,
    actors: ActorList,
    sentence_bounds: Sequence[tuple[int, int]] | None = None,
) -> pd.DataFrame:
    """Direct quotations of one article's cleaned ``text`` with speakers (QUOTATION_COLUMNS).

    ``sentence_bounds`` are the article's sentence spans (from the sentence table); when
    ``None`` the text is split here.
    """
    return pd.DataFrame(
        _quotation_rows(doc_id, text, actors, sentence_bounds), columns=QUOTATION_COLUMNS
    )


def _quotation_rows(
    doc_id: str,
    text: str,
    actors: ActorList,
    sentence_bounds: Sequence[tuple[int, int]] | None,
) -> list[dict]:
    if sentence_bounds is None:
        from analysis.text.sentences import iter_sentences

        sentence_bounds = [(row["start"], row["end"]) for row in iter_sentences(doc_id, text)]
    quotes = quote_spans(text)
    index = _QuoteIndex(quotes)
    memo: dict[tuple[str, int], str | None] = {}
    rows = []
    for quote_idx, (start, end, closed) in enumerate(quotes):
        last = sentence_bounds[_sentence_of(max(end - 1, start), sentence_bounds)]
        first = sentence_bounds[_sentence_of(start, sentence_bounds)]
        after_start = min(end + 1, len(text))
        after = text[after_start : max(last[1], after_start)]
        before = text[first[0] : max(start - 1, first[0])]
        speaker = _speaker_in(after, after_start, text, actors, index, sentence_bounds, True, memo)
        attribution = "after"
        if speaker is None:
            speaker = _speaker_in(
                before, first[0], text, actors, index, sentence_bounds, False, memo
            )
            attribution = "before"
        if speaker is None:
            subject = next(
                (
                    actor.id
                    for m_start, m_end, actor in actors.mentions(text[first[0] : last[1]], first[0])
                    if actor.kind == "person" and _outside(index, m_start, m_end)
                ),
                None,
            )
            speaker, attribution = (subject, "sentence subject") if subject else ("unknown", "none")
        rows.append(
            {
                "doc_id": doc_id,
                "quote_idx": quote_idx,
                "start": start,
                "end": end,
                "text": text[start:end],
                "speaker": speaker,
                "attribution": attribution,
                "closed": closed,
            }
        )
    return rows


def quotations_for_articles(
    articles: pd.DataFrame, sentences: pd.DataFrame, actors: ActorList, workers: int = 1
) -> pd.DataFrame:
    """Quotations of every article (one article at a time, so it runs chunk by chunk);
    ``workers``: processes that take runs of the articles (the same table)."""
    bounds = {
        doc_id: list(zip(group["start"], group["end"], strict=True))
        for doc_id, group in sentences.groupby("doc_id", sort=False)
    }
    doc_ids = articles["doc_id"].tolist()
    columns = [doc_ids, articles["clean_text"].tolist(), [bounds.get(d, []) for d in doc_ids]]
    runs = map_runs(_quotation_run, columns, workers=workers, held=(actors,))
    return pd.DataFrame([row for run in runs for row in run], columns=QUOTATION_COLUMNS)


def _quotation_run(
    doc_ids: list[str], texts: list[str], bounds: list[list], actors: ActorList
) -> list[dict]:
    """The quotation rows of some articles (their doc_id, clean_text and sentence spans)."""
    return [
        row
        for doc_id, text, spans in zip(doc_ids, texts, bounds, strict=True)
        for row in _quotation_rows(doc_id, text, actors, spans)
    ]
