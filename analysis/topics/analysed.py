"""Texts analysed once: every text's terms (:class:`~analysis.topics.terms.PhraseAnalyzer`) kept
as numbers into one vocabulary, for the readers that would otherwise each analyse the same texts:
the study's topic model (:meth:`~analysis.topics.model.TopicModel.fit_analysed`) and the term
counts per outlet of :mod:`analysis.distinctive`.

A term takes four bytes here, against a list slot and a share of a Python list per text; the
texts are analysed in runs in worker processes, which send back their runs' numbers and
vocabularies rather than lists of strings.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.core.parallel import Mapper, local_mapper

#: Texts a worker analyses at a time in :func:`analyse_texts`, at most (5,000 whole AllSides
#: articles are about 25 MB of text and 5 million terms).
TEXTS_PER_RUN = 5_000

#: Runs a corpus of fewer than ``MIN_RUNS * TEXTS_PER_RUN`` texts is cut into, so that every
#: worker has several (5,000 articles as one run left one of two Dask workers idle) ...
MIN_RUNS = 8
#: ... unless a run would have fewer texts than this (a corpus of no more is one run).
MIN_TEXTS_PER_RUN = 500

#: Texts whose term lists :meth:`AnalysedTexts.__iter__` makes at a time.
_LISTS_AT_A_TIME = 10_000


@dataclass(frozen=True)
class AnalysedTexts:
    """Texts analysed by a fitted ``analyzer``: text ``i``'s terms are
    ``vocabulary[term_ids[offsets[i]:offsets[i + 1]]]``, in order.

    Iterating gives each text's term list (``analyzer(text)``), so it can stand where a
    vectorizer given ``analyzer=lambda terms: terms`` takes documents.
    """

    analyzer: Callable[[str], list[str]]  # a fitted PhraseAnalyzer, or any text -> terms
    vocabulary: np.ndarray  # object array of the terms, in order of first use
    term_ids: np.ndarray  # int32, every text's terms one text after another
    offsets: np.ndarray  # int64, where each text's terms start; one more than the texts

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __iter__(self) -> Iterator[list[str]]:
        for first in range(0, len(self), _LISTS_AT_A_TIME):
            bounds = self.offsets[first : first + _LISTS_AT_A_TIME + 1]
            terms = self.vocabulary[self.term_ids[bounds[0] : bounds[-1]]].tolist()
            starts = (bounds - bounds[0]).tolist()
            for start, end in zip(starts[:-1], starts[1:], strict=True):
                yield terms[start:end]

    def sizes(self) -> np.ndarray:
        """The number of terms of each text."""
        return np.diff(self.offsets)


def analyse_texts(
    texts: Sequence[str],
    analyzer: Callable[[str], list[str]],
    *,
    workers: int = 1,
    mapper: Mapper | None = None,
) -> AnalysedTexts:
    """Every text's terms by the fitted ``analyzer``, in runs in ``workers`` processes (1:
    here), or as ``mapper``'s tasks (a Dask cluster's, :class:`analysis.run.dask.DaskMapper`);
    the same terms either way. A run has at most :data:`TEXTS_PER_RUN` texts, and a corpus is
    cut into at least :data:`MIN_RUNS` runs where that leaves :data:`MIN_TEXTS_PER_RUN` texts
    in each (:func:`run_size`).

    Examples
    --------
    >>> from analysis.topics.terms import PhraseAnalyzer
    >>> analyzer = PhraseAnalyzer(phrases=False).fit(["Tariffs strain ties", "Ties hold"])
    >>> analysed = analyse_texts(["Tariffs strain ties", "Ties hold"], analyzer)
    >>> list(analysed), analysed.sizes().tolist()
    ([['tariffs', 'strain', 'ties'], ['ties', 'hold']], [3, 2])
    """
    texts = list(texts)
    size = run_size(len(texts))
    if mapper is None and workers > 1 and len(texts) > size:
        mapper = local_mapper(workers)
    if mapper is None:
        runs: Iterable = [_run_terms(texts, analyzer)]
    else:  # results taken as they come, a few runs ahead, so that only numbers pile up here
        starts = range(0, len(texts), size)
        runs = mapper(_run_terms, ((texts[i : i + size], analyzer) for i in starts))
    index: dict[str, int] = {}
    ids, sizes = [], [np.zeros(1, dtype=np.int64)]
    for run_vocabulary, run_ids, run_sizes in runs:
        numbers = [index.setdefault(term, len(index)) for term in run_vocabulary]
        ids.append(np.asarray(numbers, dtype=np.int32)[run_ids])
        sizes.append(run_sizes)
    return AnalysedTexts(
        analyzer=analyzer,
        vocabulary=np.asarray(list(index), dtype=object),
        term_ids=np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32),
        offsets=np.cumsum(np.concatenate(sizes)),
    )


def run_size(n_texts: int) -> int:
    """Texts per run of :func:`analyse_texts` for a corpus of ``n_texts``.

    >>> run_size(1_000_000), run_size(5_000), run_size(1_000), run_size(100)
    (5000, 625, 500, 500)
    """
    return min(TEXTS_PER_RUN, max(MIN_TEXTS_PER_RUN, -(-n_texts // MIN_RUNS)))


def _run_terms(
    texts: list[str], analyzer: Callable[[str], list[str]]
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """One run of :func:`analyse_texts`: its vocabulary (in order of first use), its terms as
    numbers into it, and each text's number of terms."""
    vocabulary: dict[str, int] = {}
    ids = array("i")  # four bytes a term (a list of Python ints took ten times that)
    sizes = np.zeros(len(texts), dtype=np.int64)
    for number, text in enumerate(texts):
        found = [vocabulary.setdefault(term, len(vocabulary)) for term in analyzer(text)]
        ids.extend(found)
        sizes[number] = len(found)
    return list(vocabulary), np.frombuffer(ids, dtype=np.int32), sizes
