"""Frames per sentence with their evidence, and frame shares per article and outlet.

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

Measures (:func:`article_frames`, :func:`outlet_frames`): a frame's share is the share of an
article's sentences in which the frame fires; the framing index is convergence share minus
downturn share (from -1, all downturn, to +1, all convergence); the weighted index gives the
headline weight 3 and the lead sentence weight 2, every other sentence 1, because readers
meet the headline and lead first.

Uncertainty: per article, a bootstrap over the article's sentences; per outlet, a cluster
bootstrap over the outlet's articles (ratio of sentence counts), because sentences of one
article are not independent. An outlet with one article falls back to resampling that
article's sentences: its interval then says how much the share depends on which sentences the
article happens to contain, not how the outlet covers the visit in general.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from analysis.core.config import N_BOOTSTRAP
from analysis.core.uncertainty import mean_with_interval, seeded_rng
from analysis.framing.codebook import (
    INDEX_FRAMES,
    Codebook,
    Frame,
    Indicator,
    Pattern,
    PatternMatch,
    Token,
    WordIndex,
    stem,
    tokenize,
    word_forms,
)
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
HEADLINE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0
#: Word forms whose stem and indicator triggers one :class:`IndicatorTriggers` remembers
#: before it starts afresh (a long run meets several hundred thousand distinct forms).
MAX_REMEMBERED_WORDS = 200_000


def _clauses(tokens: list[Token], breaks: frozenset[str]) -> list[int]:
    clause, clauses = 0, []
    for token in tokens:
        if token.is_punct or token.lower in breaks:
            clause += 1
        if not token.is_punct:
            clauses.append(clause)
    return clauses


def _longest_first(cues: Iterable[Pattern]) -> list[Pattern]:
    """Cue patterns with the longest first, so "no sign of" is found before "no"."""
    return sorted(cues, key=lambda cue: -len(cue.words))


def _cue_matches(cues: list[Pattern], tokens: WordIndex) -> list[tuple[str, int]]:
    """(cue source, last word position) of every match of ``cues`` (longest cues first)."""
    return [(cue.source, match.last) for cue in cues for match in cue.finditer(tokens)]


def _cue_before(
    cue_matches: list[tuple[str, int]],
    words: list[Token],
    clauses: list[int],
    first: int,
    window: int,
    same_clause: bool,
) -> str:
    """The cue ending within ``window`` words before word ``first`` ('' if none)."""
    for source, last in cue_matches:
        if first - window <= last < first and (not same_clause or clauses[last] == clauses[first]):
            return source
    for index in range(max(0, first - window), first):
        if words[index].lower.endswith("n't") and (
            not same_clause or clauses[index] == clauses[first]
        ):
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


class IndicatorTriggers:
    """Which indicators can fire in a sentence, found from its words in one pass.

    An indicator can only match where the first word of one of its patterns occurs (for a
    proximity rule, a first word of each side), so each sentence is matched against those
    indicators alone; the result is the same as trying every indicator, only faster.
    """

    def __init__(self, codebook: Codebook):
        self.by_key: dict[tuple[str, str], set[tuple[int, int]]] = {}
        self.prefixes: dict[str, set[tuple[int, int]]] = {}
        self.needs: dict[int, set[int]] = {}
        self.sides: dict[int, list[tuple[Pattern, ...]]] = {}
        self.pairs = self.indicators(codebook)
        for number, (_, indicator) in enumerate(self.pairs):
            sides = [indicator.patterns] if indicator.near is None else list(indicator.near)
            self.needs[number] = set(range(len(sides)))
            self.sides[number] = sides
            for side, patterns in enumerate(sides):
                for pattern in patterns:
                    word = pattern.words[0]
                    if word.kind == "prefix":
                        self.prefixes.setdefault(word.value, set()).add((number, side))
                    else:
                        self.by_key.setdefault((word.kind, word.value), set()).add((number, side))
        self.prefix_lengths = sorted({len(prefix) for prefix in self.prefixes})
        self.negation = _longest_first(codebook.negation)
        self.hedging = _longest_first(codebook.hedging)
        self.exclusions = {
            frame.id: _longest_first(frame.exclude_before) for frame in codebook.frames
        }
        self.exclusions_after = {
            frame.id: _longest_first(frame.exclude_after) for frame in codebook.frames
        }
        self._by_word: dict[str, tuple[tuple[int, int], ...]] = {}

    @staticmethod
    def indicators(codebook: Codebook) -> list[tuple[Frame, Indicator]]:
        """Every (frame, indicator) pair, numbered in codebook order."""
        return [(frame, indicator) for frame in codebook.frames for indicator in frame.indicators]

    def word_triggers(self, lower: str) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The stem of the lower-case word ``lower`` and the (indicator number, side) pairs
        whose first word it matches (by stem, exactly or by prefix); remembered per word."""
        cached = self._by_word.get(lower)
        if cached is None:
            if len(self._by_word) >= MAX_REMEMBERED_WORDS:
                self._by_word.clear()
            word_stem = stem(lower)
            found = set(self.by_key.get(("stem", word_stem), ()))
            found |= self.by_key.get(("exact", lower), set())
            for length in self.prefix_lengths:
                found |= self.prefixes.get(lower[:length], set())
            cached = self._by_word[lower] = (word_stem, tuple(sorted(found)))
        return cached

    def candidates(self, words: WordIndex | Iterable[str]) -> set[int]:
        """Numbers of the indicators that can match ``words`` (a :class:`WordIndex`, or the
        sentence's lower-case word forms): a first word of each side occurs, and every word
        of one of that side's patterns matches some word of the sentence."""
        lowers = words.by_lower if isinstance(words, WordIndex) else words
        found: dict[int, set[int]] = {}
        stems = set()
        by_word = self._by_word
        for lower in lowers:
            word_stem, triggered = by_word.get(lower) or self.word_triggers(lower)
            stems.add(word_stem)
            for number, side in triggered:
                found.setdefault(number, set()).add(side)
        return {
            number
            for number, sides in found.items()
            if sides == self.needs[number]
            and all(
                any(_all_words_occur(pattern, lowers, stems) for pattern in patterns)
                for patterns in self.sides[number]
            )
        }


_TRIGGERS: dict[str, IndicatorTriggers] = {}


def triggers_for(codebook: Codebook) -> IndicatorTriggers:
    """The :class:`IndicatorTriggers` of ``codebook``, one per codebook content and process.

    Every chunk of a long run loads its codebook afresh; keeping one set of triggers per
    content lets the per-word lookups found in one chunk serve the next.
    """
    key = json.dumps(codebook.raw, sort_keys=True, default=str)
    if key not in _TRIGGERS:
        if len(_TRIGGERS) >= 8:
            _TRIGGERS.pop(next(iter(_TRIGGERS)))
        _TRIGGERS[key] = IndicatorTriggers(codebook)
    return _TRIGGERS[key]


def _all_words_occur(pattern: Pattern, lowers: Iterable[str], stems: set[str]) -> bool:
    """Whether every word of ``pattern`` matches some word (a necessary condition for a match)."""
    for word in pattern.words:
        if word.kind == "stem":
            if word.value not in stems:
                return False
        elif word.kind == "exact":
            if word.value not in lowers:
                return False
        elif not any(lower.startswith(word.value) for lower in lowers):
            return False
    return True


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
    all_tokens = tokenize(text, offset)
    tokens = WordIndex(all_tokens)
    words = tokens.words
    clauses = _clauses(all_tokens, codebook.clause_breaks)
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
                words,
                clauses,
                match.first,
                codebook.cue_window,
                True,
            )
            status = "negated" if cue else "counted"
            if not cue and frame.exclude_before:
                cue = _cue_before(
                    matches_of(f"exclude {frame.id}", triggers.exclusions[frame.id]),
                    words,
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
                words,
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
    sentences: pd.DataFrame, codebook: Codebook, quotations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The evidence table (EVIDENCE_COLUMNS) for a sentence table, one sentence at a time.

    ``quotations`` (from :func:`analysis.voices.quotations_for_articles`) gives each hit its
    voice; without it every hit is narration.
    """
    quotes_by_doc: dict[str, list[tuple[int, int, str]]] = {}
    if quotations is not None:
        for row in quotations.itertuples(index=False):
            quotes_by_doc.setdefault(row.doc_id, []).append((row.start, row.end, row.speaker))
    rows = []
    triggers = triggers_for(codebook)
    columns = [sentences[name].tolist() for name in ("doc_id", "sent_idx", "start", "text")]
    for doc_id, sent_idx, start, text in zip(*columns, strict=True):
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
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


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
    for frame_id in frame_ids:
        table[frame_id] = [
            int((doc, idx, frame_id) in fired)
            for doc, idx in zip(table["doc_id"], table["sent_idx"], strict=True)
        ]
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


def _index(frames: pd.DataFrame) -> pd.Series:
    return frames.get("convergence", 0) - frames.get("downturn", 0)


def article_frames(
    articles: pd.DataFrame,
    per_sentence: pd.DataFrame,
    headline: pd.DataFrame,
    frame_ids: list[str],
) -> pd.DataFrame:
    """Per article: n_sentences, frame_<id>_sentences and _share, frame_index and
    frame_index_weighted (headline x3, lead x2)."""
    grouped = per_sentence.groupby("doc_id", sort=False)
    table = articles[["doc_id", "outlet", "date"]].copy()
    n_sentences = grouped.size()
    table["n_sentences"] = table["doc_id"].map(n_sentences).fillna(0).astype(int)
    sums = grouped[frame_ids].sum()
    for frame_id in frame_ids:
        table[f"frame_{frame_id}_sentences"] = (
            table["doc_id"].map(sums[frame_id]).fillna(0).astype(int)
        )
        table[f"frame_{frame_id}_share"] = (
            table[f"frame_{frame_id}_sentences"] / table["n_sentences"]
        )
    if all(frame in frame_ids for frame in INDEX_FRAMES):
        table["frame_index"] = table["frame_convergence_share"] - table["frame_downturn_share"]
        weights = np.where(per_sentence["sent_idx"] == 0, LEAD_WEIGHT, 1.0)
        weighted = (
            per_sentence.assign(weight=weights, index_value=_index(per_sentence) * weights)
            .groupby("doc_id", sort=False)[["weight", "index_value"]]
            .sum()
        )
        head = headline.set_index("doc_id")
        has_title = table["doc_id"].map(articles.set_index("doc_id")["title"].fillna("") != "")
        head_weight = np.where(has_title, HEADLINE_WEIGHT, 0.0)
        head_value = table["doc_id"].map(_index(head)).fillna(0).to_numpy() * head_weight
        table["frame_index_weighted"] = (
            table["doc_id"].map(weighted["index_value"]).to_numpy() + head_value
        ) / (table["doc_id"].map(weighted["weight"]).to_numpy() + head_weight)
    return table


def hit_places(evidence: pd.DataFrame, lead_sentences: int) -> pd.Series:
    """Where each hit of the evidence table stands: ``lead`` (one of the first
    ``lead_sentences`` sentences), else ``attributed`` (a quotation or reported speech) or
    ``narration`` (the outlet's own voice)."""
    return pd.Series(
        np.where(
            evidence["sent_idx"] < lead_sentences,
            "lead",
            np.where(evidence["attributed"].astype(bool), "attributed", "narration"),
        ),
        index=evidence.index,
        dtype=object,
    )


def article_presence(
    articles: pd.DataFrame, evidence: pd.DataFrame, headline: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Per article, ``frame_<id>_present`` (0/1) for every frame of the codebook.

    A frame is present when a counted hit (not negated, not excluded) stands in one of the
    places its ``present_from`` lists: the headline, the lead, the body's narration, or
    attributed text in the body (quotation or reported speech), the last only when such hits
    stand in at least ``attributed_min_sentences`` sentences. The study's codebook asks two
    such sentences for convergence: one official's courtesy relayed in the body ("the minister
    said the deal would strengthen ties") does not make an article present the relationship as
    converging; an article that builds its story on quoted convergence returns to it.

    >>> from analysis.framing.codebook import load_codebook
    >>> book = load_codebook()
    >>> sents = pd.DataFrame({"doc_id": ["a"] * 3, "sent_idx": [0, 1, 2], "start": [0, 10, 20],
    ...     "text": ["Talks held.", "More talks.", "Rao said ties are deepening."]})
    >>> articles = pd.DataFrame({"doc_id": ["a"], "title": ["Talks"]})
    >>> table = article_presence(articles, detect_frames(sents, book),
    ...     title_frames(articles, book), book)
    >>> int(table.loc[0, "frame_convergence_present"])
    0
    """
    counted = evidence[evidence["status"] == "counted"]
    places = hit_places(counted, codebook.lead_sentences)
    head = headline.set_index("doc_id")
    table = articles[["doc_id"]].copy()
    for frame in codebook.frames:
        own = counted["frame"] == frame.id
        mask = own & places.isin(frame.present_from) & (places != "attributed")
        docs = set(counted.loc[mask, "doc_id"])
        if "attributed" in frame.present_from:
            attributed = counted[own & (places == "attributed")]
            per_doc = attributed.groupby("doc_id")["sent_idx"].nunique()
            docs |= set(per_doc.index[per_doc >= frame.attributed_min_sentences])
        in_headline = (
            table["doc_id"].map(head[frame.id]).fillna(0).astype(bool)
            if "headline" in frame.present_from
            else False
        )
        table[f"frame_{frame.id}_present"] = (table["doc_id"].isin(docs) | in_headline).astype(int)
    return table


def outlet_frames(
    per_article: pd.DataFrame,
    per_sentence: pd.DataFrame,
    frame_ids: list[str],
    n_boot: int = N_BOOTSTRAP,
) -> pd.DataFrame:
    """Tidy per-outlet frame shares and framing index with bootstrap 95% intervals.

    Columns: outlet, measure (``share`` or ``index``), frame, estimate, low, high,
    n_articles, n_sentences, resampled (``articles`` or ``sentences (one article)``).
    """
    rows = []
    sentences = per_sentence.merge(per_article[["doc_id", "outlet"]], on="doc_id")
    has_index = all(frame in frame_ids for frame in INDEX_FRAMES)
    for outlet, articles in per_article.groupby("outlet", sort=True):
        outlet_sentences = sentences[sentences["outlet"] == outlet]
        n_articles, n_sentences = len(articles), int(articles["n_sentences"].sum())
        measures = [("share", frame_id) for frame_id in frame_ids]
        if has_index:
            measures.append(("index", "convergence - downturn"))
        for measure, frame in measures:
            if measure == "share":
                values = outlet_sentences[frame].to_numpy()
            else:
                values = _index(outlet_sentences).to_numpy()
            estimate, low, high, resampled = mean_with_interval(
                values,
                outlet_sentences["doc_id"].to_numpy(),
                seeded_rng(outlet, measure, frame),
                n_boot,
                unit="sentences",
            )
            rows.append(
                {
                    "outlet": outlet,
                    "measure": measure,
                    "frame": frame,
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "n_articles": n_articles,
                    "n_sentences": n_sentences,
                    "resampled": resampled,
                }
            )
    return pd.DataFrame(rows)


class CodebookFeaturizer(TransformerMixin, BaseEstimator):
    """Counted codebook hits per frame for each sentence text, in scikit-learn's contract.

    Parameters
    ----------
    codebook_path
        A codebook YAML file; the study's when ``None``.

    Examples
    --------
    >>> featurizer = CodebookFeaturizer().fit(["Ties are strained."])
    >>> featurizer.get_feature_names_out()[:2].tolist()
    ['frame_downturn', 'frame_convergence']
    >>> featurizer.transform(["Ties are strained.", "A reset in ties."])[:, :2].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """

    def __init__(self, codebook_path: str | None = None):
        self.codebook_path = codebook_path

    def fit(self, texts: Iterable[str], y: object = None) -> CodebookFeaturizer:
        from analysis.framing.codebook import load_codebook

        self.codebook_ = load_codebook(self.codebook_path)
        self.frame_ids_ = self.codebook_.frame_ids
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        rows = []
        triggers = triggers_for(self.codebook_)
        for text in texts:
            counts = dict.fromkeys(self.frame_ids_, 0.0)
            for hit in sentence_hits(text, self.codebook_, 0, triggers):
                if hit["status"] == "counted":
                    counts[hit["frame"]] += 1.0
            rows.append([counts[frame_id] for frame_id in self.frame_ids_])
        return np.asarray(rows, dtype=float).reshape(-1, len(self.frame_ids_))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray([f"frame_{frame_id}" for frame_id in self.frame_ids_], dtype=object)
