"""Topics and terms: phrase-aware terms, LDA and NMF topic models, their quality, and topic
prevalence per outlet.

Terms
    :class:`PhraseAnalyzer` turns a text into content terms: word tokens (the package's
    :func:`~analysis.text.sentences.word_tokens`, so "India-US", "U.S." and "high-level" stay whole;
    an en dash between two words counts as a hyphen), lower-cased, possessive "'s" removed,
    "US", "U.S." and "USA" the same term ``u.s.`` (scikit-learn's stop list has "us"), tokens
    without a letter or of one character (initials such as the "S." of "S. Jaishankar")
    dropped, and stop words removed: scikit-learn's English list plus
    :data:`DOMAIN_STOP_WORDS`, a short list of reporting verbs and calendar words that every
    news story has ("said", "told", "Monday"). Adjacent content words that form a collocation in
    the corpus (seen at least three times, likelihood ratio above 10.83, i.e. p < 0.001 for one
    degree of freedom, never across punctuation; the counts and scores of NLTK's
    ``BigramCollocationFinder``, counted faster) are merged into one term, so "critical
    minerals" and "supply chain" count as one term each, not as four; where two collocations
    overlap, the stronger is merged. Above :data:`COLLOCATION_SAMPLE` words (five million:
    thousands of full-length articles), collocations are found on a seeded sample of texts of
    that size (see :class:`PhraseAnalyzer`). Each text is tokenised once per fit.

Unit
    A topic model needs many documents; the seed corpus has five articles. Topics are therefore
    fitted on **paragraphs** (the sentence table's ``para_idx``: 57 paragraphs in the seeds, of
    one to three sentences). A paragraph is the unit a reporter builds around one point (the
    ministerial, the ambassador, the trade deal), so it is closer to a "document about one
    topic" than an article, and, with 1.5 sentences on average, has more words to co-occur than
    a sentence alone (sentence-level topics are available with ``unit="sentence"``). Outlet
    prevalence is then the mean topic share over an outlet's paragraphs.

Models
    :class:`TopicModel` puts LDA (counts, :class:`~sklearn.decomposition.LatentDirichletAllocation`)
    and NMF (TF-IDF, :class:`~sklearn.decomposition.NMF` with NNDSVDa initialisation) behind one
    scikit-learn estimator: a vectorizer, then a model. Topics are numbered by their share of the
    corpus, largest first. Every random step takes ``random_state`` (the study seed by default),
    so a rerun gives identical topics.

Quality and the number of topics
    - *Coherence* (:func:`npmi_coherence`): the mean normalised pointwise mutual information of
      the pairs of a topic's top ten terms, with probabilities from the corpus's own units
      (Bouma 2009; Lau, Newman & Baldwin 2014): +1 when two terms always occur together, 0 when
      independent, -1 when never together.
    - *Stability* (:func:`topic_stability`): the model is refitted with five further seeds, each
      on a random 80% of the units (the seed draws both the sample and the initialisation,
      following Greene, O'Callaghan & Cunningham 2014; NNDSVD-initialised NMF would otherwise be
      trivially stable); each refit's topics are matched to the reference fit's by the Hungarian
      algorithm on the cosine of their topic-term vectors, and the stability is the mean matched
      cosine (top-ten-term Jaccard is reported beside it).
    - *The rule* (:func:`choose_k`): among the k with stability at least 0.6 (a matched cosine
      of 0.6: a refit finds each topic with mostly the same terms), take the k with the highest
      mean of rescaled coherence ``(npmi + 1) / 2`` and stability; ties go to the smaller k. If
      no k is that stable, take the most stable k.
    - *The range* (:data:`K_VALUES`): 2 to 8. With 57 paragraphs, eight topics already leave
      about seven paragraphs per topic, and coherence measured on the corpus itself keeps
      rising as topics shrink to single repeated passages; the figures have eight panels.
    - The study's model is NMF: on a few dozen short paragraphs LDA's topics are less
      coherent at every k, and less stable at every k but 2 (see the ``topic_quality``
      figure).
    - *Cost in proportion to the corpus* (:func:`topic_quality`): a k is tried only when the
      corpus has at least :data:`MIN_UNITS_PER_TOPIC` units per topic (a three-article corpus
      tries few k, or none, and its topic figures say so); above :data:`QUALITY_MAX_UNITS`
      units both measures are taken on a seeded sample; above :data:`QUALITY_ONLINE_UNITS`
      LDA is fitted online; and above :data:`EARLY_STOP_UNITS` units a k stops being refitted
      as soon as even perfect stability in its remaining refits could not lift its score to
      the best complete k's (the ``n_refits`` column says how many refits it had), which
      cannot change the chosen k.

Prevalence (:func:`outlet_topics`)
    An outlet's topic prevalence is the mean topic share of its units with a 95% bootstrap
    interval, with the convention of :func:`analysis.framing.outlet_frames`: articles resampled
    when the outlet has several, the units of its one article otherwise.

Validity (:func:`topic_validity`)
    On labelled news (BBC News, five sections), LDA and NMF with one topic per label, fitted on
    whole articles; each article goes to its largest topic, and the assignment is compared with
    the labels by normalised mutual information and purity.
"""

from __future__ import annotations

import re
import time
import warnings
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from nltk.collocations import BigramAssocMeasures
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation, MiniBatchNMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer
from sklearn.metrics import normalized_mutual_info_score
from sklearn.utils.validation import check_is_fitted

from analysis.core.config import N_BOOTSTRAP, RANDOM_SEED
from analysis.core.errors import NotEnoughDataError
from analysis.core.parallel import ordered_map
from analysis.core.progress import log_line, seconds
from analysis.core.uncertainty import mean_with_interval, seeded_rng
from analysis.text.sentences import WORD

#: Words every news story has, whatever it is about: reporting verbs and calendar words.
DOMAIN_STOP_WORDS = frozenset(
    """
    said says say saying told tell added adding according reportedly reported report reports
    statement including just like
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    day days week weeks month months year years time
    mr mrs ms dr
    """.split()
)

#: Stop words removed from every term list: scikit-learn's English list and the domain list.
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | DOMAIN_STOP_WORDS

#: Topic model families behind :class:`TopicModel`.
METHODS = ("lda", "nmf")

#: Likelihood-ratio score above which an adjacent word pair is a collocation (chi-square with
#: one degree of freedom, p < 0.001).
LIKELIHOOD_RATIO_CUTOFF = 10.83

#: Corpus size, in words (whitespace-separated), above which collocations are found on a
#: fixed-seed sample of units of about this many words rather than on every unit (see
#: :class:`PhraseAnalyzer`): about 5,000 full-length news articles, or 80,000 paragraphs.
COLLOCATION_SAMPLE = 5_000_000

#: Texts per task when texts are analysed in several processes.
_TASK_SIZE = 250

#: PMI (log2) above which an adjacent pair is a collocation: eight times more often than chance.
PMI_CUTOFF = 3.0

#: Unit of the study's topic models (see the module docstring).
TOPIC_UNIT = "paragraph"
#: The units a corpus can be modelled on.
TOPIC_UNITS = ("paragraph", "sentence", "article")

#: Topic model family used for the study's figures.
TOPIC_METHOD = "nmf"

#: Numbers of topics compared when choosing k.
K_VALUES = tuple(range(2, 9))

#: Minimum stability (mean matched cosine) for a k to be chosen.
STABILITY_THRESHOLD = 0.6

#: Units above which coherence and stability are measured on a fixed-seed sample of this many
#: (see :func:`topic_quality`): choosing k fits seven k values six times each, which on every
#: paragraph of a corpus of thousands of articles takes hours; the study has 57 paragraphs.
QUALITY_MAX_UNITS = 5_000

#: Units above which :func:`topic_quality` fits LDA online (minibatches of
#: :data:`QUALITY_ONLINE_BATCH`, ten passes) rather than in batch: batch LDA took 180 s of CPU
#: for one fit on 5,000 AllSides paragraphs against 1.2 s for NMF, so choosing k with its 42
#: fits would take about two hours (see benchmarks/RESULTS.md), and on the 619 paragraphs of
#: 150 BBC articles 4 to 8 s per fit against about 1 s online; the ``learning`` column says
#: which was used. NMF is always fitted in batch.
QUALITY_ONLINE_UNITS = 300
QUALITY_ONLINE_BATCH = 256

#: Top terms per topic used for coherence and shown in the figures.
N_TOP_TERMS = 10

#: Refits (each with its own seed and 80% sample of units) behind the stability score.
N_STABILITY_RUNS = 5
STABILITY_SAMPLE = 0.8

#: Fewest units per topic for a k to be tried: with fewer, "topics" are single passages (the
#: study's 57 paragraphs allow k up to 11, so its range 2 to 8 is whole).
MIN_UNITS_PER_TOPIC = 5

#: Units above which :func:`topic_quality` stops refitting a k whose score can no longer reach
#: the best complete k's (below, every fit takes a fraction of a second and every k gets all
#: its refits, so the curves of a small corpus are whole).
EARLY_STOP_UNITS = 200

UNIT_COLUMNS = ["doc_id", "outlet", "unit_idx", "first_sent_idx", "last_sent_idx", "text"]
QUALITY_COLUMNS = [
    "method",
    "k",
    "coherence",
    "stability",
    "stability_jaccard",
    "n_units",
    "learning",
    "n_refits",
]
PREVALENCE_COLUMNS = [
    "outlet",
    "topic",
    "estimate",
    "low",
    "high",
    "n_articles",
    "n_units",
    "resampled",
]

_DASH_BETWEEN_WORDS = re.compile(r"(?<=\w)[\u2010-\u2013](?=\w)")
_DASH = re.compile(r"[\u2010-\u2013]")
#: A word (with the final stop of an abbreviation such as "U.S.") or one punctuation mark.
_WORD_OR_PUNCTUATION = re.compile(rf"({WORD.pattern}(?:(?<=\.\w)\.)?)|([^\w\s])")
_LETTER = re.compile(r"[^\W\d_]")
_UNITED_STATES = frozenset({"U.S", "U.S.A", "USA"})  # and "US", but not "us"


# --- terms --------------------------------------------------------------------------------------


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
    for word, punctuation in _WORD_OR_PUNCTUATION.findall(text):
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
    cutoff = min_score
    if cutoff is None:
        cutoff = LIKELIHOOD_RATIO_CUTOFF if measure == "likelihood_ratio" else PMI_CUTOFF
    score = getattr(BigramAssocMeasures, measure)
    words, pairs, n_tokens = _bigram_statistics(token_lists)
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

    def _stop_words(self) -> Collection[str]:
        return STOP_WORDS if self.stop_words is None else frozenset(self.stop_words)

    def fit(self, texts: Iterable[str], y: object = None) -> PhraseAnalyzer:
        """Find the collocations of ``texts`` (of a sample of them above
        ``collocation_sample`` words)."""
        self._fit(list(texts))
        return self

    def _fit(self, texts: Sequence[str], n_jobs: int = 1) -> dict[int, list[str]]:
        """Fit on ``texts``; return the raw token lists of the texts collocations were found
        on, by position, so that a caller can finish analysing them without tokenising them
        again (see :meth:`terms_of_tokens`)."""
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
        tokens = dict(
            zip(
                self.collocation_units_.tolist(),
                map_in_order(
                    _raw_terms, [texts[i] for i in self.collocation_units_], n_jobs=n_jobs
                ),
                strict=True,
            )
        )
        self.collocations_ = find_collocations(
            tokens.values(),
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
        stop_words = self._stop_words()
        merged = merge_collocations(tokens, self.collocations_) if self.collocations_ else tokens
        return [term for term in merged if term and term not in stop_words]

    def __call__(self, text: str) -> list[str]:
        return self.terms_of_tokens(_raw_terms(text))


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


def _apply(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    return [function(item) for item in items]


def map_in_order(
    function: Callable[[Any], Any], items: Sequence[Any], *, n_jobs: int = 1
) -> Iterator[Any]:
    """``function(item)`` for each item, in order, in this process (``n_jobs=1``) or in
    ``n_jobs`` worker processes, each given runs of consecutive items, with at most
    ``2 * n_jobs`` runs pending (so memory stays flat); the results are the same either way.
    ``function`` must be picklable (a module-level function or a fitted estimator)."""
    if n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive number, not {n_jobs}")
    if n_jobs == 1 or len(items) <= _TASK_SIZE:
        yield from map(function, items)
        return
    runs = (
        (function, items[start : start + _TASK_SIZE]) for start in range(0, len(items), _TASK_SIZE)
    )
    for results in ordered_map(_apply, runs, workers=n_jobs):
        yield from results


# --- topic models -------------------------------------------------------------------------------


def _pretokenised(terms: list[str]) -> list[str]:
    """The analyzer of a vectorizer given term lists instead of texts."""
    return terms


def _terms_in_order(
    analyzer: PhraseAnalyzer, texts: Sequence[str], tokens: dict[int, list[str]], n_jobs: int
) -> list[list[str]]:
    """Every text's terms, in order: from its tokens when collocations were found on it (the
    tokens are released as they are used), else by analysing it (in ``n_jobs`` processes)."""
    rest = map_in_order(
        analyzer, [text for i, text in enumerate(texts) if i not in tokens], n_jobs=n_jobs
    )
    shared: dict[str, str] = {}  # one string per term, also for terms from other processes
    terms = []
    for i in range(len(texts)):
        found = analyzer.terms_of_tokens(tokens.pop(i)) if i in tokens else next(rest)
        terms.append([shared.setdefault(term, term) for term in found])
    return terms


class TopicModel(TransformerMixin, BaseEstimator):
    """LDA or NMF topics of short texts: a phrase-aware vectorizer, then the model.

    Parameters
    ----------
    method
        ``"nmf"`` (TF-IDF, NMF with NNDSVDa initialisation) or ``"lda"`` (counts, batch
        variational LDA).
    n_topics
        Number of topics k.
    min_df, max_df, max_features
        Vocabulary limits, as in :class:`~sklearn.feature_extraction.text.CountVectorizer`.
    phrases, min_phrase_count
        Merge collocations seen at least ``min_phrase_count`` times (:class:`PhraseAnalyzer`).
    collocation_sample
        Words above which collocations are found on a seeded sample of the texts
        (:class:`PhraseAnalyzer`; ``None``: on every text).
    stop_words
        Terms to drop; :data:`STOP_WORDS` when ``None``.
    max_iter
        Iterations of the model (``None``: 100 for LDA, 1000 for NMF; with ``batch_size``,
        passes over the data: 10 for online LDA, 200 for minibatch NMF, which stops early).
    batch_size
        ``None`` fits on all texts at once. A number of texts fits on minibatches of that
        size, for large corpora: :class:`~sklearn.decomposition.MiniBatchNMF` or online
        variational LDA (Hoffman et al. 2010), whose memory does not grow with the iterations.
    random_state
        Seed of every random step.
    n_jobs
        Processes that analyse the texts (tokenising, merging phrases) when fitting; texts go
        to them in runs and come back in order, so every ``n_jobs`` gives identical results.

    Attributes
    ----------
    analyzer_ : PhraseAnalyzer
        The fitted term analyzer (its ``collocations_`` are the merged phrases).
    vectorizer_ : CountVectorizer or TfidfVectorizer
        The fitted vectorizer.
    model_ : LatentDirichletAllocation or NMF
        The fitted model (its topics in the model's own order).
    topic_order_ : ndarray of int
        ``model_``'s topic index for topic 1, 2, ...: topics ordered by corpus share.
    components_ : ndarray of shape (n_topics, n_terms)
        Topic-term weights, each row summing to 1, in topic order.
    terms_ : ndarray of str
        The vocabulary (column names of ``components_``).
    converged_ : bool
        Whether the model converged within ``max_iter`` (scikit-learn's ConvergenceWarning is
        recorded here rather than printed; ``framing topics`` reports it in one line).

    See Also
    --------
    npmi_coherence, topic_stability, choose_k

    Examples
    --------
    >>> texts = ["tariff trade deal tariff", "trade deal tariff talks", "minerals supply chain",
    ...          "critical minerals supply", "tariff trade talks", "minerals chain supply"]
    >>> model = TopicModel(n_topics=2, min_df=1, max_df=1.0).fit(texts)
    >>> model.get_feature_names_out().tolist()
    ['topic_1', 'topic_2']
    >>> sorted(model.top_terms(2).groupby("topic")["term"].apply(tuple).tolist())
    [('minerals', 'supply'), ('tariff', 'trade')]
    """

    def __init__(
        self,
        *,
        method: str = "nmf",
        n_topics: int = 5,
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        max_features: int | None = None,
        phrases: bool = True,
        min_phrase_count: int = 3,
        stop_words: Collection[str] | None = None,
        max_iter: int | None = None,
        batch_size: int | None = None,
        random_state: int = RANDOM_SEED,
        collocation_sample: int | None = COLLOCATION_SAMPLE,
        n_jobs: int = 1,
    ):
        self.method = method
        self.n_topics = n_topics
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.phrases = phrases
        self.min_phrase_count = min_phrase_count
        self.stop_words = stop_words
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.random_state = random_state
        self.collocation_sample = collocation_sample
        self.n_jobs = n_jobs

    def fit(self, texts: Iterable[str], y: object = None) -> TopicModel:
        """Fit the analyzer, the vectorizer and the model on ``texts``."""
        self._fit(texts)
        return self

    def fit_transform(self, texts: Iterable[str], y: object = None) -> np.ndarray:
        """Fit on ``texts`` and return their topic shares as fitted by the model, analysing
        each text once."""
        return self._fit(texts)[0]

    def fit_vectorize(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Fit on ``texts`` and return their document-term matrix, equal to
        ``vectorizer_.transform(texts)`` (give it to :meth:`shares_of` or
        :func:`unit_topics`), analysing each text once instead of twice."""
        _, terms = self._fit(texts)
        analyzer = self.vectorizer_.get_params()["analyzer"]
        self.vectorizer_.set_params(analyzer=_pretokenised)
        try:
            return sparse.csr_matrix(self.vectorizer_.transform(terms))
        finally:
            self.vectorizer_.set_params(analyzer=analyzer)

    def _fit(self, texts: Iterable[str]) -> tuple[np.ndarray, list[list[str]]]:
        """Fit; return the fitted topic shares and every text's terms.

        Each text is tokenised once: the texts collocations are found on keep their tokens
        for the terms; the vectorizer is fitted on the term lists (the same vocabulary and
        matrix as fitting it on the texts with ``analyzer_``) and then given ``analyzer_``
        for new texts.
        """
        texts = list(texts)
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}, not {self.method!r}")
        if not 1 <= self.n_topics <= len(texts):
            raise NotEnoughDataError(
                f"n_topics must be between 1 and the number of texts ({len(texts)}), "
                f"not {self.n_topics}"
            )
        if self.n_jobs < 1:
            raise ValueError(f"n_jobs must be a positive number, not {self.n_jobs}")
        self.analyzer_ = PhraseAnalyzer(
            phrases=self.phrases,
            min_count=self.min_phrase_count,
            stop_words=self.stop_words,
            collocation_sample=self.collocation_sample,
            random_state=self.random_state,
        )
        tokens = self.analyzer_._fit(texts, n_jobs=self.n_jobs)
        terms = _terms_in_order(self.analyzer_, texts, tokens, self.n_jobs)
        vectorizer_class = TfidfVectorizer if self.method == "nmf" else CountVectorizer
        self.vectorizer_ = vectorizer_class(
            analyzer=_pretokenised,
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
        )
        try:
            matrix = self.vectorizer_.fit_transform(terms)
        except ValueError as exc:  # every term pruned by min_df / max_df
            raise NotEnoughDataError(
                f"no terms left to model ({exc}); lower min_df or raise max_df"
            ) from None
        if self.method == "nmf" and self.n_topics > min(matrix.shape):
            raise NotEnoughDataError(
                f"{self.n_topics} topics need at least as many texts and terms; the texts "
                f"have {matrix.shape[1]} terms after pruning (min_df, max_df)"
            )
        self.vectorizer_.set_params(analyzer=self.analyzer_)
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive number, not {self.batch_size}")
        if self.method == "nmf" and self.batch_size is not None:
            self.model_ = MiniBatchNMF(
                n_components=self.n_topics,
                init="nndsvda",
                batch_size=self.batch_size,
                max_iter=self.max_iter or 200,
                random_state=self.random_state,
            )
        elif self.method == "lda" and self.batch_size is not None:
            self.model_ = LatentDirichletAllocation(
                n_components=self.n_topics,
                learning_method="online",
                batch_size=self.batch_size,
                max_iter=self.max_iter or 10,
                random_state=self.random_state,
            )
        elif self.method == "nmf":
            self.model_ = NMF(
                n_components=self.n_topics,
                init="nndsvda",
                max_iter=self.max_iter or 1000,
                random_state=self.random_state,
            )
        else:
            self.model_ = LatentDirichletAllocation(
                n_components=self.n_topics,
                learning_method="batch",
                max_iter=self.max_iter or 100,
                evaluate_every=5,  # stop once perplexity changes by less than 0.1
                random_state=self.random_state,
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            shares = self._normalise(self.model_.fit_transform(matrix))
        self.converged_ = True
        for warning in caught:
            if issubclass(warning.category, ConvergenceWarning):
                self.converged_ = False
            else:
                warnings.warn_explicit(
                    warning.message, warning.category, warning.filename, warning.lineno
                )
        self.topic_order_ = np.argsort(-shares.sum(axis=0), kind="stable")
        weights = self.model_.components_[self.topic_order_]
        totals = weights.sum(axis=1, keepdims=True)
        self.components_ = np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)
        self.terms_ = self.vectorizer_.get_feature_names_out()
        return shares[:, self.topic_order_], terms

    def _normalise(self, weights: np.ndarray) -> np.ndarray:
        totals = weights.sum(axis=1, keepdims=True)
        uniform = np.full_like(weights, 1.0 / weights.shape[1])
        return np.divide(weights, totals, out=uniform, where=totals > 0)

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        """Topic shares of each text, rows summing to 1 (uniform for a text with no known term).

        Returns
        -------
        ndarray of shape (n_texts, n_topics)
        """
        check_is_fitted(self, "components_")
        return self.shares_of(self.vectorizer_.transform(list(texts)))

    def shares_of(self, matrix: sparse.spmatrix) -> np.ndarray:
        """Topic shares of texts already vectorised with ``vectorizer_`` (see
        :meth:`transform`), so that texts are analysed once when their terms are needed too."""
        check_is_fitted(self, "components_")
        return self._normalise(self.model_.transform(matrix))[:, self.topic_order_]

    def document_terms(self, texts: Iterable[str]) -> sparse.csr_matrix:
        """Binary document-term matrix of ``texts`` over the model's vocabulary."""
        check_is_fitted(self, "components_")
        matrix = sparse.csr_matrix(self.vectorizer_.transform(list(texts)))
        return (matrix > 0).astype(np.int64)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the columns of :meth:`transform`: ``topic_1`` ... ``topic_k``."""
        check_is_fitted(self, "components_")
        return np.asarray([f"topic_{i}" for i in range(1, self.n_topics + 1)], dtype=object)

    def top_term_indices(self, n_terms: int = N_TOP_TERMS) -> list[np.ndarray]:
        """Column indices of each topic's ``n_terms`` heaviest terms (ties: vocabulary order)."""
        check_is_fitted(self, "components_")
        return [np.argsort(-row, kind="stable")[:n_terms] for row in self.components_]

    def top_terms(self, n_terms: int = N_TOP_TERMS) -> pd.DataFrame:
        """Each topic's heaviest terms: columns topic (1, 2 ...), rank (1, 2 ...), term, weight."""
        rows = [
            {"topic": topic, "rank": rank, "term": self.terms_[index], "weight": row[index]}
            for topic, (row, indices) in enumerate(
                zip(self.components_, self.top_term_indices(n_terms), strict=True), start=1
            )
            for rank, index in enumerate(indices, start=1)
        ]
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight"])


# --- quality ------------------------------------------------------------------------------------


def npmi_coherence(
    document_terms: sparse.spmatrix | np.ndarray, topic_terms: Sequence[Sequence[int]]
) -> np.ndarray:
    """Mean NPMI of the term pairs of each topic, from document co-occurrence.

    NPMI(a, b) = log(p(a, b) / (p(a) p(b))) / -log p(a, b), where p is the share of documents
    containing the term(s); -1 when a and b never occur in the same document, +1 when they
    always do (also when both are in every document).

    Parameters
    ----------
    document_terms
        Documents x terms; any non-zero entry counts as presence.
    topic_terms
        For each topic, the column indices of its top terms.

    Returns
    -------
    ndarray of shape (n_topics,)

    Examples
    --------
    >>> docs = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]])
    >>> npmi_coherence(docs, [[0, 1], [0, 2]]).tolist()
    [1.0, -1.0]
    """
    present = sparse.csc_matrix(document_terms) > 0
    n_documents = present.shape[0]
    scores = []
    for terms in topic_terms:
        terms = list(terms)
        columns = present[:, terms].astype(np.int64)
        together = (columns.T @ columns).toarray().astype(float) / n_documents
        alone = np.diag(together)
        values = []
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                joint = together[i, j]
                if joint == 0:
                    values.append(-1.0)
                elif joint == 1:
                    values.append(1.0)
                else:
                    pmi = np.log(joint / (alone[i] * alone[j]))
                    values.append(float(pmi / -np.log(joint)))
        scores.append(float(np.mean(values)) if values else float("nan"))
    return np.asarray(scores)


def model_coherence(model: TopicModel, texts: Iterable[str], n_terms: int = N_TOP_TERMS) -> float:
    """Mean :func:`npmi_coherence` of a fitted model's topics over ``texts``' documents."""
    return float(
        np.mean(npmi_coherence(model.document_terms(texts), model.top_term_indices(n_terms)))
    )


def match_topics(
    reference: TopicModel, other: TopicModel, n_terms: int = N_TOP_TERMS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair each topic of ``reference`` with one of ``other`` (Hungarian algorithm, cosine of the
    topic-term vectors over the union of the two vocabularies).

    Returns
    -------
    other_topic : ndarray of int
        For reference topic ``i`` (0-based), the matched topic of ``other``.
    cosine, jaccard : ndarray of float
        The matched pairs' cosine similarity and top-``n_terms`` Jaccard similarity.
    """
    vocabulary = {
        term: i for i, term in enumerate(sorted(set(reference.terms_) | set(other.terms_)))
    }

    def on_union(model: TopicModel) -> np.ndarray:
        vectors = np.zeros((model.components_.shape[0], len(vocabulary)))
        vectors[:, [vocabulary[t] for t in model.terms_]] = model.components_
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    cosines = on_union(reference) @ on_union(other).T
    rows, columns = linear_sum_assignment(cosines, maximize=True)
    top_reference = [set(reference.terms_[i]) for i in reference.top_term_indices(n_terms)]
    top_other = [set(other.terms_[i]) for i in other.top_term_indices(n_terms)]
    jaccard = np.asarray(
        [
            len(top_reference[r] & top_other[c]) / len(top_reference[r] | top_other[c])
            for r, c in zip(rows, columns, strict=True)
        ]
    )
    return columns, cosines[rows, columns], jaccard


def _refit_seeds(random_state: int, n_runs: int) -> list[int]:
    return [int(seed) for seed in np.random.default_rng(random_state).integers(0, 2**31, n_runs)]


def topic_stability(
    reference: TopicModel,
    texts: Sequence[str],
    *,
    n_runs: int = N_STABILITY_RUNS,
    sample_fraction: float = STABILITY_SAMPLE,
    n_terms: int = N_TOP_TERMS,
) -> tuple[float, float]:
    """How well refits with other seeds recover a fitted model's topics.

    Each of ``n_runs`` refits (same parameters, its own seed) is fitted on a random
    ``sample_fraction`` of ``texts`` drawn with that seed, its topics are matched to the
    reference's (:func:`match_topics`), and the matched similarities are averaged over topics
    and refits.

    Returns
    -------
    cosine, jaccard : float
        Mean matched cosine of topic-term vectors, and mean matched top-term Jaccard.
    """
    texts = list(texts)
    cosines, jaccards = [], []
    for seed in _refit_seeds(reference.random_state, n_runs):
        rng = np.random.default_rng(seed)
        size = max(reference.n_topics, round(sample_fraction * len(texts)))
        sample = sorted(rng.choice(len(texts), size=size, replace=False))
        refit = TopicModel(**{**reference.get_params(), "random_state": seed})
        refit.fit([texts[i] for i in sample])
        _, cosine, jaccard = match_topics(reference, refit, n_terms)
        cosines.append(cosine.mean())
        jaccards.append(jaccard.mean())
    return float(np.mean(cosines)), float(np.mean(jaccards))


def topic_quality(
    texts: Sequence[str],
    *,
    k_values: Iterable[int] = K_VALUES,
    methods: Iterable[str] = METHODS,
    n_terms: int = N_TOP_TERMS,
    n_runs: int = N_STABILITY_RUNS,
    sample_fraction: float = STABILITY_SAMPLE,
    random_state: int = RANDOM_SEED,
    model_params: Mapping[str, Any] | None = None,
    max_units: int | None = QUALITY_MAX_UNITS,
    online_units: int | None = QUALITY_ONLINE_UNITS,
    min_units_per_topic: int = MIN_UNITS_PER_TOPIC,
    early_stop_units: int | None = EARLY_STOP_UNITS,
    stability_threshold: float = STABILITY_THRESHOLD,
    workers: int = 1,
) -> pd.DataFrame:
    """Coherence and stability of each method for each number of topics.

    Only the ``k`` with at least ``min_units_per_topic`` texts per topic are tried (none, and
    an empty table, for a corpus of a few short texts). With more than ``max_units`` texts,
    both measures are taken on a sample of ``max_units`` of them drawn with ``random_state``
    (kept in corpus order; ``n_units`` says how many): k is a property of the corpus's main
    themes, which a sample of thousands of units shows as well as the whole does, while rare
    themes that only the whole corpus supports are underweighted. ``None``: every text.
    With more than ``online_units`` texts (after sampling), LDA is fitted online in
    minibatches of :data:`QUALITY_ONLINE_BATCH` unless ``model_params`` sets ``batch_size``
    (``None``: always in batch); the ``learning`` column says which.

    Each k is fitted once on every text (its coherence), then refitted ``n_runs`` times (its
    stability). With more than ``early_stop_units`` texts (``None``: never), the k are refitted
    in order of the best score they could still reach, and a k's refits stop as soon as even
    perfect stability in the rest could not give it :func:`choose_k`'s score of the best
    complete k with stability at least ``stability_threshold``, or could not bring its own
    stability to the threshold; ``n_refits`` says how many refits a k had, and its stability
    is their mean. Such a k could not have been chosen, so the chosen k is the one every refit
    gives. With ``workers`` > 1 the fits run in that many processes, with the same results.

    Returns
    -------
    DataFrame
        Columns :data:`QUALITY_COLUMNS`: method, k, coherence (mean NPMI of the top
        ``n_terms``), stability (mean matched cosine), stability_jaccard, n_units, learning
        (``batch``, or ``online``/``minibatch`` for LDA/NMF fitted with a ``batch_size``),
        n_refits; one row per method and k, in the order of ``methods`` and ``k_values``.
    """
    texts = list(texts)
    if max_units is not None and len(texts) > max_units:
        chosen = np.random.default_rng(random_state).choice(len(texts), max_units, replace=False)
        texts = [texts[i] for i in np.sort(chosen)]
    methods = list(methods)
    k_values = [k for k in k_values if k * min_units_per_topic <= len(texts)]
    online = online_units is not None and len(texts) > online_units
    early_stop = early_stop_units is not None and len(texts) > early_stop_units
    started = time.perf_counter()
    rows = []
    fits = 0
    for method in methods:
        params = {**(model_params or {}), "method": method}
        if method == "lda" and online and params.get("batch_size") is None:
            params["batch_size"] = QUALITY_ONLINE_BATCH
        search = _KSearch(
            texts,
            params,
            k_values,
            random_state,
            n_runs,
            sample_fraction,
            n_terms,
            stability_threshold if early_stop else None,
        )
        search.run(workers)
        rows += search.rows()
        fits += search.n_fits
    table = pd.DataFrame(rows, columns=QUALITY_COLUMNS)
    log_line(
        f"choosing k ({', '.join(methods)}): {len(k_values)} values of k on {len(texts):,} "
        f"units, {fits} model fits in {seconds(started)}"
    )
    return table


def _reference_fit(
    texts: list[str], params: dict[str, Any], random_state: int, n_terms: int
) -> tuple[TopicModel, float]:
    """A k's fit on every text, and its coherence."""
    model = TopicModel(**params, random_state=random_state).fit(texts)
    return model, model_coherence(model, texts, n_terms)


def _refit(texts: list[str], params: dict[str, Any], seed: int, size: int) -> TopicModel:
    """One stability refit: ``params`` with ``seed``, on the seed's sample of ``size`` texts
    (the sample and the fit of :func:`topic_stability`)."""
    sample = sorted(np.random.default_rng(seed).choice(len(texts), size=size, replace=False))
    return TopicModel(**{**params, "random_state": seed}).fit([texts[i] for i in sample])


class _KSearch:
    """The fits behind one method's rows of :func:`topic_quality`, with early stopping.

    The rule is sequential: the k in order of the score they could reach with perfect
    stability (ties: smaller k), each refitted one refit after another until it is ruled out
    (:meth:`_ruled_out`) or has all its refits; a complete k that is stable enough sets the
    best score. With fits in parallel, refits are planned before the results ahead of them are
    known: a refit is left out only when it would be left out even if every refit still running
    came back perfectly stable, so every refit the sequential rule needs is fitted, and
    :meth:`rows` replays the rule on the results (refits it would not have made are set aside).
    The table is therefore the same for any number of workers.
    """

    def __init__(
        self,
        texts: list[str],
        params: dict[str, Any],
        k_values: list[int],
        random_state: int,
        n_runs: int,
        sample_fraction: float,
        n_terms: int,
        stop_threshold: float | None,
    ):
        self.texts, self.params, self.k_values = texts, params, list(k_values)
        self.random_state, self.n_runs, self.n_terms = random_state, n_runs, n_terms
        self.sample_fraction, self.stop_threshold = sample_fraction, stop_threshold
        self.seeds = _refit_seeds(random_state, n_runs)
        self.references: dict[int, tuple[TopicModel, float]] = {}
        self.results: dict[tuple[int, int], tuple[float, float]] = {}
        self.n_fits = 0

    def _bound(self, k: int, cosines: list[float]) -> tuple[float, float]:
        """The best score and stability k can reach after refits with ``cosines``."""
        stability = (sum(cosines) + self.n_runs - len(cosines)) / self.n_runs
        return ((self.references[k][1] + 1) / 2 + stability) / 2, stability

    def _ruled_out(self, k: int, cosines: list[float], best: float | None) -> bool:
        """Whether k, after refits with ``cosines``, can no longer be chosen: its score cannot
        reach ``best`` (that of a complete k stable enough) or its stability the threshold."""
        if self.stop_threshold is None or best is None:
            return False
        score, stability = self._bound(k, cosines)
        return score < best - 1e-12 or stability < self.stop_threshold

    def _order(self) -> list[int]:
        return sorted(self.k_values, key=lambda k: (-self._bound(k, [])[0], k))

    def _replay(self) -> tuple[dict[int, list[tuple[float, float]]], float | None, bool]:
        """The sequential rule over the results known so far: each k's counted refits, the
        best score, and whether every refit the rule needs is known."""
        counted: dict[int, list[tuple[float, float]]] = {k: [] for k in self.k_values}
        best = None
        for k in self._order():
            done = counted[k]
            for run in range(self.n_runs):
                if self._ruled_out(k, [cosine for cosine, _ in done], best):
                    break
                if (k, run) not in self.results:
                    return counted, best, False
                done.append(self.results[k, run])
            else:
                score, stability = self._bound(k, [cosine for cosine, _ in done])
                if self.stop_threshold is not None and stability >= self.stop_threshold:
                    best = score if best is None else max(best, score)
        return counted, best, True

    def _plan(self, planned: list[tuple[int, int]]):
        """The refits to fit, in order; each decided on the results known when it is asked
        for, refits still running counted as perfectly stable."""
        for k in self._order():
            for run in range(self.n_runs):
                _, best, _ = self._replay()
                cosines = [
                    self.results[k, earlier][0] if (k, earlier) in self.results else 1.0
                    for earlier in range(run)
                ]
                if self._ruled_out(k, cosines, best):
                    break
                planned.append((k, run))
                yield k, run

    def run(self, workers: int) -> None:
        """Fit every k once on every text, then the refits that can still matter."""
        calls = [
            (self.texts, {**self.params, "n_topics": k}, self.random_state, self.n_terms)
            for k in self.k_values
        ]
        fitted = ordered_map(_reference_fit, calls, workers=min(workers, max(len(calls), 1)))
        for k, result in zip(self.k_values, fitted, strict=True):
            self.references[k] = result
            self.n_fits += 1
        planned: list[tuple[int, int]] = []
        refit_calls = (
            (
                self.texts,
                {**self.params, "n_topics": k},
                self.seeds[run],
                max(k, round(self.sample_fraction * len(self.texts))),
            )
            for k, run in self._plan(planned)
        )
        for number, refit in enumerate(ordered_map(_refit, refit_calls, workers=workers)):
            k, run = planned[number]
            _, cosine, jaccard = match_topics(self.references[k][0], refit, self.n_terms)
            self.results[k, run] = (float(cosine.mean()), float(jaccard.mean()))
            self.n_fits += 1

    def rows(self) -> list[dict[str, Any]]:
        """One row per k (the columns of :data:`QUALITY_COLUMNS`), by the sequential rule."""
        counted, _, complete = self._replay()
        if not complete:
            raise RuntimeError("choosing k: a refit the rule needs was not fitted")
        rows = []
        for k in self.k_values:
            model, coherence = self.references[k]
            done = counted[k]
            learning = "batch" if model.batch_size is None else _LEARNING[self.params["method"]]
            rows.append(
                {
                    "method": self.params["method"],
                    "k": k,
                    "coherence": coherence,
                    "stability": float(np.mean([c for c, _ in done])) if done else np.nan,
                    "stability_jaccard": float(np.mean([j for _, j in done])) if done else np.nan,
                    "n_units": len(self.texts),
                    "learning": learning,
                    "n_refits": len(done),
                }
            )
        return rows


_LEARNING = {"lda": "online", "nmf": "minibatch"}


def choose_k(
    quality: pd.DataFrame,
    *,
    method: str = TOPIC_METHOD,
    stability_threshold: float = STABILITY_THRESHOLD,
) -> int:
    """The number of topics by the study's rule.

    Among the k of ``method`` whose stability is at least ``stability_threshold``, the one with
    the highest mean of rescaled coherence ``(coherence + 1) / 2`` and stability (ties: the
    smaller k); if no k is that stable, the most stable k.

    Parameters
    ----------
    quality
        The table of :func:`topic_quality`.

    Examples
    --------
    >>> quality = pd.DataFrame({"method": "nmf", "k": [2, 3, 4],
    ...                         "coherence": [0.1, 0.5, 0.9], "stability": [0.9, 0.8, 0.4]})
    >>> choose_k(quality)
    3
    """
    rows = quality[quality["method"] == method]
    if rows.empty:
        raise NotEnoughDataError(
            f"no number of topics could be tried (no quality rows for method {method!r}; "
            f"a k needs at least {MIN_UNITS_PER_TOPIC} units per topic)"
        )
    score = ((rows["coherence"] + 1) / 2 + rows["stability"]) / 2
    eligible = rows["stability"] >= stability_threshold
    if eligible.any():
        ranked = rows.assign(score=score)[eligible].sort_values(
            ["score", "k"], ascending=[False, True], kind="stable"
        )
    else:
        ranked = rows.sort_values(["stability", "k"], ascending=[False, True], kind="stable")
    return int(ranked["k"].iloc[0])


def topic_validity(
    documents: pd.DataFrame,
    *,
    text_column: str = "text",
    label_column: str = "category",
    methods: Iterable[str] = METHODS,
    random_state: int = RANDOM_SEED,
    model_params: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """How well topics recover known labels: NMI and purity of each method.

    Repeated texts are kept once (the first). Each method is fitted with k = the number of
    labels on the whole documents; each document goes to its largest topic.

    Parameters
    ----------
    documents
        One row per document, with a text and a label column.
    model_params
        Further :class:`TopicModel` parameters; by default ``min_df=5, max_df=0.5``, suited to
        a few thousand articles.

    Returns
    -------
    DataFrame
        Columns method, n_topics, n_documents, nmi, purity.

    See Also
    --------
    sklearn.metrics.normalized_mutual_info_score
    """
    unique = documents.drop_duplicates(text_column)
    texts = unique[text_column].tolist()
    labels = unique[label_column].to_numpy()
    n_labels = len(set(labels))
    params = {"min_df": 5, "max_df": 0.5, **(model_params or {})}
    rows = []
    for method in methods:
        model = TopicModel(
            **{**params, "method": method, "n_topics": n_labels}, random_state=random_state
        )
        assigned = model.fit_transform(texts).argmax(axis=1)
        rows.append(
            {
                "method": method,
                "n_topics": n_labels,
                "n_documents": len(texts),
                "nmi": float(normalized_mutual_info_score(labels, assigned)),
                "purity": purity(labels, assigned),
            }
        )
    return pd.DataFrame(rows, columns=["method", "n_topics", "n_documents", "nmi", "purity"])


def purity(labels: Sequence[object], clusters: Sequence[object]) -> float:
    """Share of documents whose cluster's most common label is their own.

    >>> purity(["a", "a", "b", "b"], [0, 0, 0, 1])
    0.75
    """
    table = pd.crosstab(pd.Series(list(clusters)), pd.Series(list(labels)))
    return float(table.max(axis=1).sum() / table.to_numpy().sum())


# --- units and prevalence -----------------------------------------------------------------------


def topic_units(
    sentences: pd.DataFrame, articles: pd.DataFrame, unit: str = TOPIC_UNIT
) -> pd.DataFrame:
    """The texts topics are fitted on: one row per paragraph, sentence or article.

    Parameters
    ----------
    sentences
        The sentence table (:data:`analysis.text.sentences.SENTENCE_COLUMNS`).
    articles
        The article table (``doc_id``, ``outlet``).
    unit
        ``"paragraph"`` (sentences joined by ``para_idx``), ``"sentence"``, or ``"article"``
        (for corpora with thousands of articles; unit_idx is 0).

    Returns
    -------
    DataFrame
        Columns :data:`UNIT_COLUMNS`: doc_id, outlet, unit_idx (paragraph or sentence index),
        first_sent_idx, last_sent_idx, text; in article and text order.
    """
    if unit not in TOPIC_UNITS:
        raise ValueError(f"unit must be one of {', '.join(TOPIC_UNITS)}, not {unit!r}")
    key = {"paragraph": "para_idx", "sentence": "sent_idx", "article": "article_idx"}[unit]
    if unit == "article":
        sentences = sentences.assign(article_idx=0)
    units = (
        sentences.groupby(["doc_id", key], sort=False)
        .agg(
            first_sent_idx=("sent_idx", "min"),
            last_sent_idx=("sent_idx", "max"),
            text=("text", " ".join),
        )
        .reset_index()
        .rename(columns={key: "unit_idx"})
    )
    units = units.merge(articles[["doc_id", "outlet"]], on="doc_id", how="left")
    return units[UNIT_COLUMNS]


def unit_topics(
    model: TopicModel, units: pd.DataFrame, matrix: sparse.spmatrix | None = None
) -> pd.DataFrame:
    """Tidy topic shares of every unit.

    Parameters
    ----------
    model
        A fitted :class:`TopicModel`.
    units
        The units (:func:`topic_units`).
    matrix
        The units already vectorised (:meth:`TopicModel.fit_vectorize`), so that they are not
        analysed again; by default ``model.vectorizer_.transform(units["text"])``.

    Returns
    -------
    DataFrame
        One row per (unit, topic): doc_id, outlet, unit_idx, n_terms (terms of the unit in the
        model's vocabulary; 0 means the shares are uniform by default), topic (1, 2 ...), share.
    """
    if matrix is None:
        matrix = model.vectorizer_.transform(list(units["text"]))
    matrix = sparse.csr_matrix(matrix)
    if matrix.shape[0] != len(units):
        raise ValueError(f"matrix has {matrix.shape[0]} rows for {len(units)} units")
    shares = model.shares_of(matrix)
    n_terms = np.asarray((matrix > 0).sum(axis=1)).ravel()
    base = units[["doc_id", "outlet", "unit_idx"]].assign(n_terms=n_terms)
    tables = [
        base.assign(topic=topic, share=shares[:, topic - 1])
        for topic in range(1, shares.shape[1] + 1)
    ]
    return pd.concat(tables, ignore_index=True)


def outlet_topics(unit_shares: pd.DataFrame, n_boot: int = N_BOOTSTRAP) -> pd.DataFrame:
    """Per outlet and topic: mean topic share of the outlet's units with a 95% interval.

    Units without a term in the model's vocabulary (``n_terms == 0``) are left out. The
    interval resamples articles when the outlet has several (ratio of summed shares to units,
    :func:`analysis.core.uncertainty.mean_with_interval`), else the units of its one article.

    Returns
    -------
    DataFrame
        Columns :data:`PREVALENCE_COLUMNS`.
    """
    modelled = unit_shares[unit_shares["n_terms"] > 0]
    rows = []
    for (outlet, topic), units in modelled.groupby(["outlet", "topic"], sort=True):
        estimate, low, high, resampled = mean_with_interval(
            units["share"], units["doc_id"], seeded_rng(outlet, "topic", str(topic)), n_boot
        )
        rows.append(
            {
                "outlet": outlet,
                "topic": int(topic),
                "estimate": estimate,
                "low": low,
                "high": high,
                "n_articles": units["doc_id"].nunique(),
                "n_units": len(units),
                "resampled": resampled,
            }
        )
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS)


def typical_units(unit_shares: pd.DataFrame, units: pd.DataFrame, n_units: int = 3) -> pd.DataFrame:
    """The units with the largest share of each topic.

    Returns
    -------
    DataFrame
        Columns topic, rank, doc_id, outlet, unit_idx, share, text; ties in share keep
        article and text order.
    """
    modelled = unit_shares[unit_shares["n_terms"] > 0].merge(
        units[["doc_id", "unit_idx", "text"]], on=["doc_id", "unit_idx"]
    )
    best = (
        modelled.sort_values(["topic", "share"], ascending=[True, False], kind="stable")
        .groupby("topic", sort=True)
        .head(n_units)
    )
    best = best.assign(rank=best.groupby("topic").cumcount() + 1)
    columns = ["topic", "rank", "doc_id", "outlet", "unit_idx", "share", "text"]
    return best[columns].reset_index(drop=True)


def topic_labels(top_terms: pd.DataFrame, n_terms: int = 3) -> dict[int, str]:
    """A short label per topic: its number and first terms ("1: gor, ambassador, ties")."""
    first = top_terms[top_terms["rank"] <= n_terms].groupby("topic", sort=True)["term"]
    return {int(topic): f"{topic}: {', '.join(terms)}" for topic, terms in first}
