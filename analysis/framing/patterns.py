"""The pattern language of frame codebooks: word tokens, Porter stems, and compiled patterns.

Matching works on word tokens with character offsets (:func:`tokenize`). A plain pattern word
matches by Porter stem (NLTK's stemmer needs no downloaded data), ``word*`` by prefix and
``"word"`` exactly; ``~N`` allows up to N words between two pattern words.

Examples
--------
>>> pattern = compile_pattern('ties ~2 strain*')
>>> [m.spans for m in pattern.finditer(tokenize('Ties came under strain.'))]
[((0, 4), (16, 22))]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, repeat
from typing import NamedTuple

from nltk.stem.porter import PorterStemmer

from analysis.text.tokens import CLAUSE_PUNCTUATION, CLAUSE_TOKEN

#: Clause punctuation: a token of its own, which no pattern word matches.
PUNCTUATION = frozenset(CLAUSE_PUNCTUATION)
_GAP = re.compile(r"^~(\d+)$")
#: :data:`CLAUSE_TOKEN` as the one group of a split pattern (its own groups are non-capturing).
_CLAUSE_SPLIT = re.compile(f"({CLAUSE_TOKEN.pattern})")
if _CLAUSE_SPLIT.groups != 1:
    raise ImportError("CLAUSE_TOKEN must have no capturing group: tokenize splits on it")
_new_tuple = tuple.__new__
_stemmer = PorterStemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter stem of a lower-cased word (cached).

    >>> stem("strained"), stem("Strains")
    ('strain', 'strain')
    """
    return _stemmer.stem(word.lower())


#: NLTK's irregular forms ("dying" -> "die"), stemmed by look-up rather than by Porter's rules.
IRREGULAR_FORMS = frozenset(_stemmer.pool)


class StemFilter:
    """Which words can have one of ``stems`` as their Porter stem, told from their beginnings,
    so that the others need not be stemmed.

    Porter's rules only rewrite a word's ending, and the stem they leave differs from the
    word in its last character at most: outside :data:`IRREGULAR_FORMS`, a word begins with
    its stem less the stem's last character (with its first character, for a one-character
    stem). So a word that begins with none of ``stems`` so shortened cannot stem to one of
    them. Checked on the 239,072 distinct word forms of the AllSides, BBC and 2026 coverage
    corpora and on 1.7 million words made of word beginnings and Porter's suffixes (no
    exception), and in the tests.

    >>> strain = StemFilter(["strain"])
    >>> strain.stem("strained"), strain.stem("strait"), strain.stem("talks")
    ('strain', 'strait', '')
    """

    def __init__(self, stems: Iterable[str]):
        self.starts = frozenset(word_stem[: max(1, len(word_stem) - 1)] for word_stem in stems)
        self.lengths = tuple(sorted({len(start) for start in self.starts}))

    def stem(self, lower: str) -> str:
        """Porter stem of the lower-case word ``lower``, or ``''`` when it cannot be one of
        the stems (no stem is empty, so ``''`` matches no pattern word)."""
        if lower in IRREGULAR_FORMS or any(lower[:n] in self.starts for n in self.lengths):
            return stem(lower)
        return ""


class Token(NamedTuple):
    """A word (or clause punctuation) with its character span in the text it came from, its
    lower-case form and its Porter stem ('' where :func:`tokenize`'s stem filter tells that
    the stem cannot be one the patterns match)."""

    text: str
    start: int
    end: int
    lower: str
    stem: str
    is_punct: bool


def tokenize(text: str, offset: int = 0, stem_filter: StemFilter | None = None) -> list[Token]:
    """Word and clause-punctuation tokens of ``text`` with spans shifted by ``offset``.

    With a ``stem_filter`` (a :class:`StemFilter` of the stems some patterns match), a word
    that cannot stem to one of them gets the stem ``''``: the same matches of those patterns,
    without stemming every word.

    >>> [t.text for t in tokenize("Ties, strained; far from a downturn")]
    ['Ties', ',', 'strained', ';', 'far', 'from', 'a', 'downturn']
    """
    # one split in C: pieces alternate gaps and tokens, and their lengths give the offsets
    pieces = _CLAUSE_SPLIT.split(text)
    bounds = list(accumulate(map(len, pieces), initial=offset))
    words = pieces[1::2]
    return [
        _new_tuple(Token, (word, start, end, *form))
        for word, start, end, form in zip(
            words,
            bounds[1:-1:2],
            bounds[2::2],
            map(_word_form, words, repeat(stem_filter)),
            strict=True,
        )
    ]


@lru_cache(maxsize=200_000)
def _word_form(word: str, stem_filter: StemFilter | None) -> tuple[str, str, bool]:
    """(lower-case form, stem, is punctuation) of a token's text (:func:`tokenize`)."""
    is_punct = word in PUNCTUATION
    lower = word.lower().replace("’", "'")
    if is_punct:
        return lower, lower, is_punct
    word_stem = stem(lower) if stem_filter is None else stem_filter.stem(lower)
    return lower, word_stem, is_punct


def word_forms(text: str) -> set[str]:
    """The distinct lower-case forms of the words in ``text``, as :func:`tokenize` gives them
    (punctuation left out), without building tokens: a cheap first look at a sentence.

    >>> sorted(word_forms("Ties, ties; Strained"))
    ['strained', 'ties']
    """
    lowered = text.lower()
    if len(lowered) == len(text):  # every character lower-cases to one: the same words, in C
        return set(CLAUSE_TOKEN.findall(lowered.replace("’", "'"))) - PUNCTUATION
    return {word.lower().replace("’", "'") for word in CLAUSE_TOKEN.findall(text)} - PUNCTUATION


@dataclass(frozen=True)
class PatternWord:
    """One word of a pattern, with the number of other words allowed before it."""

    kind: str  # "stem", "prefix" or "exact"
    value: str
    max_gap: int = 0

    def matches(self, token: Token) -> bool:
        if token.is_punct:
            return False
        if self.kind == "prefix":
            return token.lower.startswith(self.value)
        if self.kind == "exact":
            return token.lower == self.value
        return token.stem == self.value


@dataclass(frozen=True)
class PatternMatch:
    """Where a pattern matched: word positions (among non-punctuation tokens) and spans."""

    first: int
    last: int
    spans: tuple[tuple[int, int], ...]


class WordIndex:
    """The words of a token list (punctuation skipped), indexed by stem and by lower-case form,
    so a pattern tries only the positions where its first word can match.

    Build it once per sentence and pass it to :meth:`Pattern.finditer` for every pattern.
    """

    def __init__(self, tokens: Sequence[Token]):
        self.words = [token for token in tokens if not token.is_punct]
        self.by_stem: dict[str, list[int]] = {}
        self.by_lower: dict[str, list[int]] = {}
        for position, word in enumerate(self.words):
            self.by_stem.setdefault(word.stem, []).append(position)
            self.by_lower.setdefault(word.lower, []).append(position)
        self._lowers = sorted(self.by_lower)

    def starts(self, word: PatternWord) -> list[int]:
        """Positions where ``word`` matches, in order."""
        if word.kind == "stem":
            return self.by_stem.get(word.value, [])
        if word.kind == "exact":
            return self.by_lower.get(word.value, [])
        first = bisect_left(self._lowers, word.value)
        last = bisect_left(self._lowers, word.value + "\U0010ffff", first)
        if last - first == 1:
            return self.by_lower[self._lowers[first]]
        return sorted(
            position for lower in self._lowers[first:last] for position in self.by_lower[lower]
        )


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern: a sequence of :class:`PatternWord`."""

    source: str
    words: tuple[PatternWord, ...]

    def finditer(self, tokens: Sequence[Token] | WordIndex) -> Iterator[PatternMatch]:
        """Every match in ``tokens`` (punctuation is skipped), leftmost first, no overlaps
        starting at the same word. Pass a :class:`WordIndex` when matching many patterns
        against the same tokens."""
        index = tokens if isinstance(tokens, WordIndex) else WordIndex(tokens)
        words = index.words
        for start in index.starts(self.words[0]):
            positions = self._match_from(words, start)
            if positions is not None:
                yield PatternMatch(
                    positions[0],
                    positions[-1],
                    tuple((words[i].start, words[i].end) for i in positions),
                )

    def _match_from(self, words: Sequence[Token], start: int) -> list[int] | None:
        if not self.words[0].matches(words[start]):
            return None
        positions = [start]
        for word in self.words[1:]:
            previous = positions[-1]
            found = next(
                (
                    i
                    for i in range(previous + 1, min(len(words), previous + 2 + word.max_gap))
                    if word.matches(words[i])
                ),
                None,
            )
            if found is None:
                return None
            positions.append(found)
        return positions


def compile_pattern(source: str) -> Pattern:
    """Compile a pattern string (see the module docstring); raise ``ValueError`` if invalid.

    >>> [(w.kind, w.value, w.max_gap) for w in compile_pattern('"reset" ~1 tie*').words]
    [('exact', 'reset', 0), ('prefix', 'tie', 1)]
    >>> compile_pattern('"rather than"')
    Traceback (most recent call last):
    ...
    ValueError: pattern '"rather than"': '"rather' has an unmatched quotation mark (...)
    """
    if not isinstance(source, str) or not source.strip():
        raise ValueError("a pattern must be a non-empty string")
    words: list[PatternWord] = []
    gap = 0
    for part in source.split():
        gap_match = _GAP.match(part)
        if gap_match:
            if not words:
                raise ValueError(f"pattern {source!r} starts with a gap")
            gap = int(gap_match.group(1))
            continue
        if len(part) > 2 and part.startswith('"') and part.endswith('"') and part.count('"') == 2:
            word = PatternWord("exact", part[1:-1].lower().replace("’", "'"), gap)
        elif any(mark in part for mark in '"“”'):  # a word with a quote in it never matches
            raise ValueError(
                f"pattern {source!r}: {part!r} has an unmatched quotation mark (an exact word is "
                'written "word", a phrase of exact words "rather" "than")'
            )
        elif part.endswith("*"):
            if len(part) < 2:
                raise ValueError(f"pattern {source!r}: '*' needs a prefix")
            word = PatternWord("prefix", part[:-1].lower(), gap)
        elif part in PUNCTUATION:
            raise ValueError(f"pattern {source!r}: punctuation cannot be matched")
        else:
            word = PatternWord("stem", stem(part), gap)
        words.append(word)
        gap = 0
    if gap:
        raise ValueError(f"pattern {source!r} ends with a gap")
    return Pattern(source, tuple(words))
