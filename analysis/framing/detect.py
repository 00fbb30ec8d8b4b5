"""Frames per sentence with their evidence: every indicator hit, and whether it counts.

Detection (:func:`detect_frames`) applies a :class:`~analysis.framing.codebook.Codebook` to every
sentence and returns the evidence table: one row per indicator hit, with the matched spans
(article character offsets), the rule, and its status:

- ``counted``: the hit counts for its frame;
- ``negated``: a negation cue ("not", "no sign of", "far from" ...) stands in the
  ``negation_window`` words before the hit, in the same clause; the hit does not count;
- ``excluded``: a frame's ``exclude_before`` pattern (agenda language such as "will discuss")
  stands in the window before the hit, or its ``exclude_after`` pattern (strain that "was
  scrapped") in the window after it, in the same clause; the hit does not count.

Counted hits after a hedging cue ("could", "may", "reportedly") are flagged ``hedged``. Each
hit records its voice: ``quotation`` when it lies inside a direct quotation (with the speaker),
else ``narration``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.core.parallel import map_runs
from analysis.framing.codebook import Codebook
from analysis.framing.patterns import (
    Pattern,
    PatternMatch,
    Token,
    WordIndex,
    tokenize,
    word_forms,
)
from analysis.framing.triggers import IndicatorTriggers, triggers_for
from analysis.voices import is_reported_speech

EVIDENCE_COLUMNS = [
    "doc_id",
    "sent_idx",
    "frame",
    "indicator",
    "rule",
    "start",
    "end",
    "spans",
    "matched",
    "status",
    "cue",
    "hedged",
    "voice",
    "speaker",
    "attributed",
]


def _clauses(tokens: list[Token], breaks: frozenset[str]) -> list[int]:
    clause, clauses = 0, []
    for token in tokens:
        if token.is_punct or token.lower in breaks:
            clause += 1
        if not token.is_punct:
            clauses.append(clause)
    return clauses


def _cue_matches(cues: list[Pattern], tokens: WordIndex) -> list[tuple[str, int]]:
    """(cue source, last word position) of every match of ``cues`` (longest cues first)."""
    return [(cue.source, match.last) for cue in cues for match in cue.finditer(tokens)]


def _cue_before(
    cue_matches: list[tuple[str, int]],
    contractions: list[int],
    clauses: list[int],
    first: int,
    window: int,
    same_clause: bool,
) -> str:
    """The cue ending within ``window`` words before word ``first`` ('' if none).
    ``contractions`` are the positions, in order, of the sentence's words ending in "n't"."""
    for source, last in cue_matches:
        if first - window <= last < first and (not same_clause or clauses[last] == clauses[first]):
            return source
    for index in contractions:
        if index >= first:
            break
        if index >= first - window and (not same_clause or clauses[index] == clauses[first]):
            return "n't"
    return ""


def _cue_after(
    cues: list[Pattern], tokens: WordIndex, clauses: list[int], last: int, window: int
) -> str:
    """The cue starting within ``window`` words after word ``last``, in its clause ('' if
    none)."""
    for cue in cues:
        for match in cue.finditer(tokens):
            if last < match.first <= last + window and clauses[match.first] == clauses[last]:
                return cue.source
    return ""


def _indicator_matches(indicator, tokens: WordIndex) -> list[PatternMatch]:
    def found(patterns: Iterable[Pattern]) -> list[PatternMatch]:
        matches = [m for pattern in patterns for m in pattern.finditer(tokens)]
        if not indicator.exceptions:
            return matches
        return [m for m in matches if indicator.allows(m, tokens.words)]

    if indicator.near is None:
        return found(indicator.patterns)
    left, right = found(indicator.near[0]), found(indicator.near[1])
    matches = []
    for a in left:
        best = None
        for b in right:
            if b.first <= a.last and a.first <= b.last:
                continue  # the same words cannot be both sides
            distance = b.first - a.last - 1 if b.first > a.last else a.first - b.last - 1
            if distance <= indicator.window and (best is None or distance < best[0]):
                best = (distance, b)
        if best is not None:
            b = best[1]
            first, last = min(a.first, b.first), max(a.last, b.last)
            spans = tuple(sorted(a.spans + b.spans))
            matches.append(PatternMatch(first, last, spans))
    return matches


def sentence_hits(
    text: str, codebook: Codebook, offset: int = 0, triggers: IndicatorTriggers | None = None
) -> list[dict]:
    """Every indicator hit in one sentence (evidence rows without doc, sentence and voice).

    >>> from analysis.framing.codebook import load_codebook
    >>> hits = sentence_hits("There is no sign of strain in ties.", load_codebook())
    >>> [(h["frame"], h["indicator"], h["status"], h["cue"]) for h in hits]
    [('downturn', 'strain', 'negated', 'no sign of')]
    """
    triggers = triggers or triggers_for(codebook)
    candidates = triggers.candidates(word_forms(text))
    if not candidates:
        return []  # no indicator's first words occur: most sentences end here
    all_tokens = tokenize(text, offset, triggers.stem_filter)
    tokens = WordIndex(all_tokens)
    words = tokens.words
    clauses = _clauses(all_tokens, codebook.clause_breaks)
    contractions = [i for i, word in enumerate(words) if word.lower.endswith("n't")]
    hits = []
    seen: set[tuple[str, int, int]] = set()
    cue_matches: dict[str, list[tuple[str, int]]] = {}  # found once per sentence, when needed

    def matches_of(kind: str, cues: list[Pattern]) -> list[tuple[str, int]]:
        if kind not in cue_matches:
            cue_matches[kind] = _cue_matches(cues, tokens)
        return cue_matches[kind]

    for number, (frame, indicator) in enumerate(triggers.pairs):
        if number not in candidates:
            continue
        for match in _indicator_matches(indicator, tokens):
            key = (match.spans[0][0], match.spans[-1][1])
            if (frame.id, *key) in seen:
                continue  # one hit per matched stretch and frame
            seen.add((frame.id, *key))
            cue = _cue_before(
                matches_of("negation", triggers.negation),
                contractions,
                clauses,
                match.first,
                codebook.cue_window,
                True,
            )
            status = "negated" if cue else "counted"
            if not cue and frame.exclude_before:
                cue = _cue_before(
                    matches_of(f"exclude {frame.id}", triggers.exclusions[frame.id]),
                    contractions,
                    clauses,
                    match.first,
                    frame.exclude_window,
                    False,
                )
                status = "excluded" if cue else "counted"
            if not cue and frame.exclude_after:
                cue = _cue_after(
                    triggers.exclusions_after[frame.id],
                    tokens,
                    clauses,
                    match.last,
                    frame.exclude_after_window,
                )
                status = "excluded" if cue else "counted"
            hedge = _cue_before(
                matches_of("hedging", triggers.hedging),
                contractions,
                clauses,
                match.first,
                codebook.cue_window,
                True,
            )
            hits.append(
                {
                    "frame": frame.id,
                    "indicator": indicator.id,
                    "rule": indicator.source,
                    "start": key[0],
                    "end": key[1],
                    "spans": ";".join(f"{s}-{e}" for s, e in match.spans),
                    "matched": " … ".join(text[s - offset : e - offset] for s, e in match.spans),
                    "status": status,
                    "cue": cue,
                    "hedged": bool(hedge) and status == "counted",
                }
            )
    return hits


def detect_frames(
    sentences: pd.DataFrame,
    codebook: Codebook,
    quotations: pd.DataFrame | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """The evidence table (EVIDENCE_COLUMNS) for a sentence table, one sentence at a time.

    ``quotations`` (from :func:`analysis.voices.quotations_for_articles`) gives each hit its
    voice; without it every hit is narration. ``workers``: processes that take runs of the
    sentences (the same table).
    """
    quotes_by_doc: dict[str, list[tuple[int, int, str]]] = {}
    if quotations is not None:
        for row in quotations.itertuples(index=False):
            quotes_by_doc.setdefault(row.doc_id, []).append((row.start, row.end, row.speaker))
    columns = [sentences[name].tolist() for name in ("doc_id", "sent_idx", "start", "text")]
    runs = map_runs(_evidence_rows, columns, workers=workers, held=(codebook, quotes_by_doc))
    return pd.DataFrame([row for run in runs for row in run], columns=EVIDENCE_COLUMNS)


def _evidence_rows(
    doc_ids: list[str],
    sent_idxs: list[int],
    starts: list[int],
    texts: list[str],
    codebook: Codebook,
    quotes_by_doc: dict[str, list[tuple[int, int, str]]],
) -> list[dict]:
    """The evidence rows of some sentences (their doc_id, sent_idx, start and text)."""
    rows = []
    triggers = triggers_for(codebook)
    for doc_id, sent_idx, start, text in zip(doc_ids, sent_idxs, starts, texts, strict=True):
        hits = sentence_hits(text, codebook, start, triggers)
        quotes = quotes_by_doc.get(doc_id, []) if hits else []
        reported = bool(hits) and is_reported_speech(text)
        for hit in hits:
            speaker = next((s for qs, qe, s in quotes if qs <= hit["start"] < qe), None)
            rows.append(
                {
                    "doc_id": doc_id,
                    "sent_idx": sent_idx,
                    **hit,
                    "voice": "narration" if speaker is None else "quotation",
                    "speaker": speaker or "",
                    "attributed": speaker is not None or reported,
                }
            )
    return rows


def sentence_frames(
    sentences: pd.DataFrame, evidence: pd.DataFrame, frame_ids: list[str]
) -> pd.DataFrame:
    """One row per sentence with a 0/1 column per frame (counted hits only).

    >>> from analysis.framing.codebook import load_codebook
    >>> codebook = load_codebook()
    >>> sents = pd.DataFrame({"doc_id": ["a"], "sent_idx": [0], "start": [0],
    ...                       "text": ["Ties are under strain."]})
    >>> sentence_frames(sents, detect_frames(sents, codebook), ["downturn"])["downturn"].tolist()
    [1]
    """
    counted = evidence[evidence["status"] == "counted"]
    fired = set(zip(counted["doc_id"], counted["sent_idx"], counted["frame"], strict=True))
    table = sentences[["doc_id", "sent_idx"]].copy()
    keys = list(zip(table["doc_id"].tolist(), table["sent_idx"].tolist(), strict=True))
    for frame_id in frame_ids:
        table[frame_id] = [int((doc, idx, frame_id) in fired) for doc, idx in keys]
    return table


def title_frames(articles: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Frames of each article's headline (``title``): doc_id and a 0/1 column per frame."""
    table = articles[["doc_id"]].copy()
    triggers = triggers_for(codebook)
    fired = [
        {
            hit["frame"]
            for hit in sentence_hits(title, codebook, 0, triggers)
            if hit["status"] == "counted"
        }
        for title in articles["title"].fillna("")
    ]
    for frame_id in codebook.frame_ids:
        table[frame_id] = [int(frame_id in frames) for frames in fired]
    return table
