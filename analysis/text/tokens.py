"""The one word tokenizer: what a word is, and the token streams the measures read.

A word (:data:`WORD`) is a run of letters and digits with inner hyphens, apostrophes and periods:
"India-US", "U.S", "Gor’s" and "high-level" are one word each. Every measure reads words cut
by this one definition, at one of four grains, all built here from the same pieces so that
what a word is changes in one place:

- :func:`word_tokens` and :func:`count_words`: the words (sentence lengths, word counts);
- :data:`CLAUSE_TOKEN`: words and clause punctuation (``, ; : ( ) — –``), for the frame
  codebook, whose negation and hedging cues stop at a clause boundary;
- :data:`WORD_OR_PUNCTUATION`: a word with an abbreviation's final stop ("U.S.") or one mark of
  punctuation, for topic terms and collocations, which must not pair words across punctuation;
- :data:`SEARCH_WORD`: a word split at its hyphens, for keywords in context, so that a search
  for "India" finds "India-US";
- :func:`alnum_tokens`: the runs of letters and digits inside words, lower-cased, with their
  character offsets, for shared text: finer on purpose, so that "India-US" reprinted as
  "India US" still matches.

Examples
--------
>>> word_tokens("India-US ties, Gor’s post and the U.S. role")
['India-US', 'ties', 'Gor’s', 'post', 'and', 'the', 'U.S', 'role']
>>> CLAUSE_TOKEN.findall("Ties, strained; far")
['Ties', ',', 'strained', ';', 'far']
>>> alnum_tokens("India–US ties")[0]
['india', 'us', 'ties']
"""

from __future__ import annotations

import re

import numpy as np

#: A run of letters and digits: the grain of shared text.
ALNUM = r"\w+"
#: A word: runs of letters and digits joined by inner hyphens, apostrophes and periods.
WORD = re.compile(rf"{ALNUM}(?:[-'’.]{ALNUM})*")
#: Punctuation that ends a clause for the frame codebook's cues.
CLAUSE_PUNCTUATION = ",;:()—–"
#: A word or one mark of clause punctuation.
CLAUSE_TOKEN = re.compile(rf"{WORD.pattern}|[{re.escape(CLAUSE_PUNCTUATION)}]")
#: A word (group 1, with the final stop of an abbreviation such as "U.S.") or one punctuation
#: mark (group 2).
WORD_OR_PUNCTUATION = re.compile(rf"({WORD.pattern}(?:(?<=\.\w)\.)?)|([^\w\s])")
#: A word split at its hyphens (inner apostrophes and periods kept): the grain of keyword search.
SEARCH_WORD = re.compile(rf"{ALNUM}(?:['’.]{ALNUM})*")
#: One run of letters and digits.
ALNUM_TOKEN = re.compile(ALNUM)
_ALNUM_SPLIT = re.compile(rf"({ALNUM})")


def word_tokens(text: str) -> list[str]:
    """The words of ``text`` (:data:`WORD`).

    >>> word_tokens("high-level talks, 2026")
    ['high-level', 'talks', '2026']
    """
    return WORD.findall(text)


def count_words(text: str) -> int:
    """Number of :func:`word_tokens` in ``text``."""
    return len(WORD.findall(text))


def alnum_tokens(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Lower-cased runs of letters and digits of ``text`` with their character start and end
    offsets.

    >>> tokens, starts, ends = alnum_tokens("India–US ties: Gor’s post")
    >>> tokens, starts.tolist()
    (['india', 'us', 'ties', 'gor', 's', 'post'], [0, 6, 9, 15, 19, 21])
    """
    lowered = text.lower()
    exact = len(lowered) == len(text)  # a few characters lower-case to two; keep offsets exact
    source = lowered if exact else text
    # one pass in C: the split alternates gaps and tokens, and the lengths give the offsets
    pieces = _ALNUM_SPLIT.split(source)
    ends = np.cumsum(np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces)))[1::2]
    tokens = pieces[1::2]
    starts = ends - np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    if not exact:
        tokens = [token.lower() for token in tokens]
    return tokens, starts, ends
