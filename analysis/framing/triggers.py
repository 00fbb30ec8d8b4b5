"""Which codebook indicators can fire in a sentence, found from its words before any matching.

An indicator can only match where the first word of one of its patterns occurs, so
:class:`IndicatorTriggers` indexes those first words and :func:`triggers_for` keeps one index per
codebook content and process; detection (:mod:`analysis.framing.detect`) then matches each
sentence against its candidate indicators alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from analysis.framing.codebook import Codebook, Frame, Indicator
from analysis.framing.patterns import Pattern, StemFilter, WordIndex

#: Word forms whose stem and indicator triggers one :class:`IndicatorTriggers` remembers
#: before it starts afresh (a long run meets several hundred thousand distinct forms).
MAX_REMEMBERED_WORDS = 200_000


def _longest_first(cues: Iterable[Pattern]) -> list[Pattern]:
    """Cue patterns with the longest first, so "no sign of" is found before "no"."""
    return sorted(cues, key=lambda cue: -len(cue.words))


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
        #: The words that can stem to one of the codebook's stems; the others get the stem ''.
        self.stem_filter = StemFilter(codebook.stems())
        self.negation = _longest_first(codebook.negation)
        self.hedging = _longest_first(codebook.hedging)
        self.exclusions = {
            frame.id: _longest_first(frame.exclude_before) for frame in codebook.frames
        }
        self.exclusions_after = {
            frame.id: _longest_first(frame.exclude_after) for frame in codebook.frames
        }
        self._by_word: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
        #: The remembered words that trigger at least one indicator.
        self._triggering: set[str] = set()

    @staticmethod
    def indicators(codebook: Codebook) -> list[tuple[Frame, Indicator]]:
        """Every (frame, indicator) pair, numbered in codebook order."""
        return [(frame, indicator) for frame in codebook.frames for indicator in frame.indicators]

    def word_triggers(self, lower: str) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The stem of the lower-case word ``lower`` ('' when it cannot be one of the
        codebook's) and the (indicator number, side) pairs whose first word it matches (by
        stem, exactly or by prefix); remembered per word."""
        cached = self._by_word.get(lower)
        if cached is None:
            if len(self._by_word) >= MAX_REMEMBERED_WORDS:
                self._by_word.clear()
                self._triggering.clear()
            word_stem = self.stem_filter.stem(lower)
            found = set(self.by_key.get(("stem", word_stem), ()))
            found |= self.by_key.get(("exact", lower), set())
            for length in self.prefix_lengths:
                found |= self.prefixes.get(lower[:length], set())
            cached = self._by_word[lower] = (word_stem, tuple(sorted(found)))
            if found:
                self._triggering.add(lower)
        return cached

    def candidates(self, words: WordIndex | Iterable[str]) -> set[int]:
        """Numbers of the indicators that can match ``words`` (a :class:`WordIndex`, or the
        sentence's lower-case word forms): a first word of each side occurs, and every word
        of one of that side's patterns matches some word of the sentence."""
        lowers = set(words.by_lower if isinstance(words, WordIndex) else words)
        by_word = self._by_word
        unknown = lowers.difference(by_word)  # set operations in C: most words are known
        if len(by_word) + len(unknown) > MAX_REMEMBERED_WORDS:
            # the memory starts afresh part-way through this sentence's words: keep them here
            by_word = {lower: self.word_triggers(lower) for lower in lowers}
            triggering = {lower for lower, (_, triggered) in by_word.items() if triggered}
        else:
            for lower in unknown:
                self.word_triggers(lower)
            triggering = lowers & self._triggering
        if not triggering:
            return set()  # no indicator's first word occurs: most sentences end here
        found: dict[int, set[int]] = {}
        for lower in triggering:
            for number, side in by_word[lower][1]:
                found.setdefault(number, set()).add(side)
        stems = {by_word[lower][0] for lower in lowers}
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
