"""Terms: the content terms of a text, with the corpus's collocations merged into one term.

:class:`PhraseAnalyzer` turns a text into content terms: word tokens (the package's
:func:`~analysis.text.tokens.word_tokens`, so "India-US", "U.S." and "high-level" stay whole;
an en dash between two words counts as a hyphen), lower-cased, possessive "'s" removed,
"US", "U.S." and "USA" the same term ``u.s.`` (scikit-learn's stop list has "us"), tokens
without a letter or of one character (initials such as the "S." of "S. Jaishankar")
dropped, and stop words removed: scikit-learn's English list plus
:data:`~analysis.topics.settings.DOMAIN_STOP_WORDS`, a short list of reporting verbs and calendar
words that every news story has ("said", "told", "Monday"). Adjacent content words that form a
collocation in the corpus (seen at least three times, likelihood ratio above 10.83, i.e.
p < 0.001 for one degree of freedom, never across punctuation; the counts and scores of NLTK's
``BigramCollocationFinder``, counted faster) are merged into one term, so "critical
minerals" and "supply chain" count as one term each, not as four; where two collocations
overlap, the stronger is merged. Above :data:`~analysis.topics.settings.COLLOCATION_SAMPLE` words
(five million: thousands of full-length articles), collocations are found on a seeded sample of
texts of that size (see :class:`PhraseAnalyzer`). Each text is tokenised once per fit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from nltk.collocations import BigramAssocMeasures
from sklearn.base import BaseEstimator
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted

from analysis.core.config import RANDOM_SEED
from analysis.core.parallel import Mapper, local_mapper
from analysis.text.tokens import WORD_OR_PUNCTUATION
from analysis.topics.settings import (
    COLLOCATION_SAMPLE,
    LIKELIHOOD_RATIO_CUTOFF,
    PMI_CUTOFF,
    STOP_WORDS,
)

#: Texts per task when texts are analysed in several processes.
_TASK_SIZE = 250

_DASH_BETWEEN_WORDS = re.compile(r"(?<=\w)[\u2010-\u2013](?=\w)")
_DASH = re.compile(r"[\u2010-\u2013]")
_LETTER = re.compile(r"[^\W\d_]")
_UNITED_STATES = frozenset({"U.S", "U.S.A", "USA"})  # and "US", but not "us"


def _raw_terms(text: str) -> list[str]:
    """Lower-cased word tokens of ``text`` with the normalisations of :class:`PhraseAnalyzer`,
    stop words kept (collocations are found on the full sequence). Dropped tokens, and
    punctuation between two words, become '' so that no pair spans them.

    >>> _raw_terms("Jaishankar met U.S. officials, Gor’s team; trade talks (2026).")
    ['jaishankar', 'met', 'u.s.', 'officials', '', 'gor', 'team', '', 'trade', 'talks', '']
    """
    terms: list[str] = []
    append = terms.append
    if _DASH.search(text):
        text = _DASH_BETWEEN_WORDS.sub("-", text)
    for word, punctuation in WORD_OR_PUNCTUATION.findall(text):
        term = _word_term(word) if word and not punctuation else ""
        if term:
            append(term)
        elif terms and terms[-1]:
            append("")
    return terms


@lru_cache(maxsize=1 << 20)
def _word_term(word: str) -> str:
    """The term of one word token as :func:`_raw_terms` normalises it, '' when it is dropped.

    A pure function of the word, cached: news text repeats a few hundred thousand distinct
    words, so most tokens are normalised by one dictionary look-up (and share one string).
    """
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    if word[:1] in "Uu" and (word == "US" or word.upper().rstrip(".") in _UNITED_STATES):
        return "u.s."
    if len(word) < 2 or not (word.isalpha() or _LETTER.search(word)):
        return ""
    return word.lower().replace("’", "'")


def _bigram_statistics(
    token_lists: Iterable[Sequence[str]],
) -> tuple[Counter[str], Counter[tuple[str, str]], int]:
    """Word counts, adjacent-pair counts and the number of tokens, counted as NLTK's
    ``BigramCollocationFinder.from_documents`` counts them (every token, '' included, counts
    as a word; pairs never span two documents), with :class:`collections.Counter` in C."""
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    n_tokens = 0
    for tokens in token_lists:
        if not isinstance(tokens, Sequence):
            tokens = list(tokens)
        n_tokens += len(tokens)
        words.update(tokens)
        pairs.update(zip(tokens, tokens[1:]))  # noqa: B905 (one shorter by design)
    return words, pairs, n_tokens


def find_collocations(
    token_lists: Iterable[Sequence[str]],
    *,
    min_count: int = 3,
    measure: str = "likelihood_ratio",
    min_score: float | None = None,
    stop_words: Collection[str] = STOP_WORDS,
) -> dict[tuple[str, str], float]:
    """Adjacent content-word pairs that occur together more than chance, with their scores.

    Parameters
    ----------
    token_lists
        One token list per document; pairs never span two documents. Empty strings mark dropped
        tokens or punctuation and break pairs.
    min_count
        Minimum number of times a pair must occur.
    measure
        ``"likelihood_ratio"`` (Dunning 1993) or ``"pmi"``.
    min_score
        Score a pair must exceed; by default :data:`LIKELIHOOD_RATIO_CUTOFF` or
        :data:`PMI_CUTOFF`.
    stop_words
        Pairs containing one of these words are never collocations.

    Returns
    -------
    dict
        ``(first, second) -> score``, highest score first (ties: alphabetical).

    Examples
    --------
    >>> docs = [["critical", "minerals", "talks"]] * 4 + [["talks", "began"], ["minerals"]]
    >>> list(find_collocations(docs))
    [('critical', 'minerals')]
    """
    if measure not in ("likelihood_ratio", "pmi"):
        raise ValueError(f"measure must be 'likelihood_ratio' or 'pmi', not {measure!r}")
    return _scored_collocations(
        *_bigram_statistics(token_lists),
        min_count=min_count,
        measure=measure,
        min_score=min_score,
        stop_words=stop_words,
    )


def _scored_collocations(
    words: Counter[str],
    pairs: Counter[tuple[str, str]],
    n_tokens: int,
    *,
    min_count: int,
    measure: str,
    min_score: float | None,
    stop_words: Collection[str],
) -> dict[tuple[str, str], float]:
    """:func:`find_collocations` from the counts of :func:`_bigram_statistics` (however they
    were added up: the scores are of the counts, and ties are broken alphabetically)."""
    cutoff = min_score
    if cutoff is None:
        cutoff = LIKELIHOOD_RATIO_CUTOFF if measure == "likelihood_ratio" else PMI_CUTOFF
    score = getattr(BigramAssocMeasures, measure)
    scored = [
        # the finder's arguments: the pair's count as a float, the two word counts, all tokens
        ((first, second), score(count / 1.0, (words[first], words[second]), n_tokens))
        for (first, second), count in pairs.items()
        if count >= min_count
        and first
        and second
        and first not in stop_words
        and second not in stop_words
    ]
    return {
        pair: float(value)
        for pair, value in sorted(scored, key=lambda item: (-item[1], item[0]))
        if value > cutoff
    }


def merge_collocations(
    tokens: Sequence[str], collocations: Mapping[tuple[str, str], float]
) -> list[str]:
    """Replace collocations in ``tokens`` by one term ``"first second"`` each.

    Where two collocations overlap ("inaugural critical" and "critical minerals" in
    "inaugural critical minerals"), the higher-scoring one is merged (ties: the earlier).

    >>> merge_collocations(["inaugural", "critical", "minerals", "meeting"],
    ...                    {("critical", "minerals"): 205.0, ("inaugural", "critical"): 35.0})
    ['inaugural', 'critical minerals', 'meeting']
    """
    found = sorted(
        [
            (-collocations[pair], index)
            for index, pair in enumerate(zip(tokens, tokens[1:], strict=False))
            if pair in collocations
        ]
    )
    if not found:
        return list(tokens)
    starts: set[int] = set()
    taken: set[int] = set()
    for _, index in found:
        if index not in taken and index + 1 not in taken:
            starts.add(index)
            taken.update((index, index + 1))
    merged, index = [], 0
    while index < len(tokens):
        if index in starts:
            merged.append(f"{tokens[index]} {tokens[index + 1]}")
            index += 2
        else:
            merged.append(tokens[index])
            index += 1
    return merged


def _text_input_tags(tags: Tags) -> Tags:
    """scikit-learn tags of an estimator fitted on texts (an iterable of strings), as
    scikit-learn's text vectorizers declare them: not a 2-D array of numbers, so that
    :func:`~sklearn.utils.estimator_checks.check_estimator` does not fit it on one."""
    tags.input_tags.string = True
    tags.input_tags.two_d_array = False
    return tags


class PhraseAnalyzer(BaseEstimator):
    """Content terms of a text, with the corpus's collocations merged into one term.

    Fitted on a corpus, it is a callable ``text -> list[str]`` that can be given to a
    scikit-learn vectorizer as ``analyzer``.

    Parameters
    ----------
    phrases
        Whether to find and merge collocations at all.
    min_count, measure, min_score
        Passed to :func:`find_collocations`.
    stop_words
        Terms to drop; :data:`STOP_WORDS` when ``None``.
    collocation_sample
        Corpus size in words (whitespace-separated) up to which collocations are found on every
        text; a larger corpus has them found on a sample of texts of about this many words,
        drawn with ``random_state`` (``None``: always every text). Default
        :data:`COLLOCATION_SAMPLE`, five million words.

        A sample is enough because a collocation is frequent by definition: it must occur at
        least ``min_count`` times and far more often than its words' frequencies predict, and
        the phrases that matter to a topic model are the frequent ones (a vocabulary of 20,000
        terms over 36 million words keeps terms seen in dozens of texts or more). A pair seen
        ``f`` times in the corpus is seen about ``f * sample / corpus`` times in the sample, so
        any pair seen more than a few hundred times in a corpus ten times the sample is found.
        What a sample can miss: rare collocations (names and phrases of a few stories), whose
        two words then stay two terms; and a pair's score, hence which of two overlapping
        collocations wins, is estimated on the sample.
    random_state
        Seed of the sample.

    Attributes
    ----------
    collocations_ : dict of (str, str) -> float
        The word pairs merged into one term, with their scores (highest first).
    collocation_units_ : ndarray of int
        Positions of the texts collocations were found on (every text when the corpus is not
        larger than ``collocation_sample``).

    See Also
    --------
    find_collocations, TopicModel

    Examples
    --------
    >>> texts = ["Talks on critical minerals and the supply chain."] * 3
    >>> analyzer = PhraseAnalyzer().fit(texts)
    >>> analyzer("U.S. and India discussed critical minerals.")
    ['u.s.', 'india', 'discussed', 'critical minerals']
    """

    def __init__(
        self,
        *,
        phrases: bool = True,
        min_count: int = 3,
        measure: str = "likelihood_ratio",
        min_score: float | None = None,
        stop_words: Collection[str] | None = None,
        collocation_sample: int | None = COLLOCATION_SAMPLE,
        random_state: int = RANDOM_SEED,
    ):
        self.phrases = phrases
        self.min_count = min_count
        self.measure = measure
        self.min_score = min_score
        self.stop_words = stop_words
        self.collocation_sample = collocation_sample
        self.random_state = random_state

    def __sklearn_tags__(self) -> Tags:
        """Its input is texts (see :func:`_text_input_tags`)."""
        return _text_input_tags(super().__sklearn_tags__())

    def _stop_words(self) -> Collection[str]:
        return STOP_WORDS if self.stop_words is None else frozenset(self.stop_words)

    def fit(self, texts: Iterable[str], y: object = None) -> PhraseAnalyzer:
        """Find the collocations of ``texts`` (of a sample of them above
        ``collocation_sample`` words)."""
        self._fit(list(texts))
        return self

    def _fit(
        self,
        texts: Sequence[str],
        n_jobs: int = 1,
        mapper: Mapper | None = None,
        keep_tokens: bool = True,
    ) -> dict[int, list[str]]:
        """Fit on ``texts``; return the raw token lists of the texts collocations were found
        on, by position, so that a caller can finish analysing them without tokenising them
        again (see :meth:`terms_of_tokens`; ``keep_tokens=False``: an empty dict, and
        ``mapper``'s tasks send back only their counts). The texts are tokenised in ``n_jobs``
        processes, or in ``mapper``'s tasks, which also count their words and pairs (the same
        counts)."""
        if self.collocation_sample is not None and self.collocation_sample < 1:
            raise ValueError(
                f"collocation_sample must be a positive number of words or None, "
                f"not {self.collocation_sample}"
            )
        if not self.phrases:
            self.collocation_units_ = np.arange(0)
            self.collocations_ = {}
            return {}
        self.collocation_units_ = collocation_sample(
            texts, self.collocation_sample, self.random_state
        )
        sample = [texts[i] for i in self.collocation_units_]
        if mapper is None:
            token_lists = list(map_in_order(_raw_terms, sample, n_jobs=n_jobs))
            statistics = _bigram_statistics(token_lists)
        else:  # counted in the tasks too, then added up here
            token_lists, statistics = _counted_in_tasks(sample, mapper, keep_tokens)
        tokens = (
            dict(zip(self.collocation_units_.tolist(), token_lists, strict=True))
            if keep_tokens
            else {}
        )
        if self.measure not in ("likelihood_ratio", "pmi"):
            raise ValueError(f"measure must be 'likelihood_ratio' or 'pmi', not {self.measure!r}")
        self.collocations_ = _scored_collocations(
            *statistics,
            min_count=self.min_count,
            measure=self.measure,
            min_score=self.min_score,
            stop_words=self._stop_words(),
        )
        return tokens

    def terms_of_tokens(self, tokens: Sequence[str]) -> list[str]:
        """The terms of a text from its raw tokens (collocations merged, stop words and
        dropped tokens removed): ``analyzer(text)`` is ``terms_of_tokens(raw tokens of text)``.
        """
        check_is_fitted(self, "collocations_")
        return self._content_terms(tokens)

    def _content_terms(self, tokens: Sequence[str]) -> list[str]:
        stop_words = self._stop_words()
        merged = merge_collocations(tokens, self.collocations_) if self.collocations_ else tokens
        return [term for term in merged if term and term not in stop_words]

    def __call__(self, text: str) -> list[str]:
        check_is_fitted(self, "collocations_")
        return self._content_terms(_raw_terms(text))


def collocation_sample(
    texts: Sequence[str], n_words: int | None, random_state: int = RANDOM_SEED
) -> np.ndarray:
    """Positions of the texts collocations are found on: all of them when their words
    (whitespace-separated) number at most ``n_words`` (or ``n_words`` is ``None``), else a
    random sample drawn with ``random_state``: texts in a seeded random order until their words
    reach ``n_words``, returned in corpus order.

    Examples
    --------
    >>> collocation_sample(["a b", "c d e", "f"], 10).tolist()
    [0, 1, 2]
    >>> len(collocation_sample(["a b"] * 100, 10, random_state=1))
    5
    """
    words = np.fromiter((len(text.split()) for text in texts), dtype=np.int64, count=len(texts))
    if n_words is None or words.sum() <= n_words:
        return np.arange(len(texts))
    order = np.random.default_rng(random_state).permutation(len(texts))
    enough = int(np.searchsorted(np.cumsum(words[order]), n_words)) + 1
    return np.sort(order[:enough])


def _raw_terms_and_counts(
    texts: Sequence[str], keep_tokens: bool = True
) -> tuple[list[list[str]], Counter[str], Counter[tuple[str, str]], int]:
    """The raw terms of each of ``texts`` (none when not ``keep_tokens``) and their
    :func:`_bigram_statistics`: one task."""
    token_lists = [_raw_terms(text) for text in texts]
    return (token_lists if keep_tokens else [], *_bigram_statistics(token_lists))


def _counted_in_tasks(
    texts: Sequence[str], mapper: Mapper, keep_tokens: bool = True
) -> tuple[list[list[str]], tuple[Counter[str], Counter[tuple[str, str]], int]]:
    """The raw terms of every text (none when not ``keep_tokens``: the tasks send back only
    their counts) and their :func:`_bigram_statistics`, made by ``mapper``'s tasks, runs of
    :data:`_TASK_SIZE` texts, and added up in order (the same counts)."""
    token_lists: list[list[str]] = []
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    n_tokens = 0
    runs = (
        (texts[start : start + _TASK_SIZE], keep_tokens)
        for start in range(0, len(texts), _TASK_SIZE)
    )
    for run_tokens, run_words, run_pairs, run_n in mapper(_raw_terms_and_counts, runs):
        token_lists += run_tokens
        words.update(run_words)
        pairs.update(run_pairs)
        n_tokens += run_n
    return token_lists, (words, pairs, n_tokens)


def _apply(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    return [function(item) for item in items]


def map_in_order(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    n_jobs: int = 1,
    mapper: Mapper | None = None,
) -> Iterator[Any]:
    """``function(item)`` for each item, in order, in this process (``n_jobs=1``) or in
    ``n_jobs`` worker processes, each given runs of consecutive items, with at most
    ``2 * n_jobs`` runs pending (so memory stays flat); the results are the same either way.
    With a ``mapper`` (a Dask cluster's, :class:`analysis.run.dask.DaskMapper`), the runs are
    its tasks instead. ``function`` must be picklable (a module-level function or a fitted
    estimator)."""
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive number, not {n_jobs}")
    if (n_jobs == 1 and mapper is None) or len(items) <= _TASK_SIZE:
        yield from map(function, items)
        return
    runs = (
        (function, items[start : start + _TASK_SIZE]) for start in range(0, len(items), _TASK_SIZE)
    )
    for results in (mapper or local_mapper(n_jobs))(_apply, runs):
        yield from results
