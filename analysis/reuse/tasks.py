"""The detector's work as independent tasks for a :class:`~analysis.core.parallel.Mapper`:
local worker processes or a Dask cluster (:class:`analysis.run.dask.DaskMapper`).

Three stages of :func:`analysis.reuse.detect.detect_reuse` split into tasks whose results do
not depend on where or in what order they run:

- reading articles (:func:`_read_articles`): a run of articles' document frequencies, outlet
  sentence keys and content-word sets; summed and concatenated in article order;
- candidate generation (:func:`analysis.reuse.lsh._lsh_candidates`): one task per LSH band;
- verification (:func:`_verify_blocks`): one task per block of candidate pairs, the block
  function of :mod:`analysis.reuse.verify` (:func:`~analysis.reuse.verify._verify_in_worker`)
  in a worker that holds the verifier (:func:`~analysis.reuse.verify._start_worker`); rows are
  collected in block order, as :func:`~analysis.reuse.verify._verify` collects them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from analysis.core.parallel import Mapper
from analysis.reuse.features import (
    _article_features,
    _document_frequencies,
    _sentence_keys,
    _TokenHashes,
)
from analysis.reuse.lsh import _content_sets, _ContentSets
from analysis.reuse.settings import ReuseSettings
from analysis.reuse.verify import _start_worker, _Verifier, _verify_in_worker

#: Articles per reading task at most (fewer than ``chunk_size`` when that is larger, so that a
#: few thousand articles still make enough tasks for every worker).
_READ_TASK_ARTICLES = 500

#: Candidate pairs per verification task (a quarter of a local block: 26,914 candidates of
#: 5,000 AllSides articles make 7 local blocks, too few to share evenly between workers).
_TASK_BLOCK_PAIRS = 1000


@dataclass
class _ReadPart:
    """What reading a run of articles gives: the features its sentences use and how many
    sentences use each, its number of sentences, each sentence's outlet key and article
    position, and (LSH) its content-word sets."""

    features: np.ndarray
    frequencies: np.ndarray
    n_sentences: int
    keys: np.ndarray
    owners: np.ndarray
    sets: _ContentSets | None


def _read_articles(
    positions: np.ndarray,
    texts: list[str],
    spans: list[np.ndarray],
    outlet_codes: np.ndarray,
    settings: ReuseSettings,
    lsh: bool,
) -> _ReadPart:
    """Pass 1 of the detector on the articles at ``positions`` (their ``texts`` and sentence
    ``spans``; ``outlet_codes`` of every article)."""
    hashes = _TokenHashes()
    articles = [
        _article_features(int(p), text, span, settings, hashes)
        for p, text, span in zip(positions, texts, spans, strict=True)
    ]
    frequencies, n_sentences = _document_frequencies(articles)
    used = np.flatnonzero(frequencies)
    keys = [_sentence_keys(a, outlet_codes[a.position]) for a in articles]
    owners = [np.full(len(a.sentence_words), a.position) for a in articles]
    return _ReadPart(
        features=used,
        frequencies=frequencies[used],
        n_sentences=n_sentences,
        keys=np.concatenate(keys) if keys else np.zeros(0, np.uint64),
        owners=np.concatenate(owners) if owners else np.zeros(0, np.int64),
        sets=_content_sets(articles, outlet_codes, settings) if lsh else None,
    )


def _read_calls(
    chunks: list[np.ndarray],
    texts: list[str],
    spans: np.ndarray,
    offsets: np.ndarray,
    outlet_codes: np.ndarray,
    settings: ReuseSettings,
    lsh: bool,
) -> Iterator[tuple]:
    """The arguments of :func:`_read_articles` for every run of at most
    :data:`_READ_TASK_ARTICLES` articles of ``chunks``, in article order."""
    for chunk in chunks:
        for start in range(0, len(chunk), _READ_TASK_ARTICLES):
            run = chunk[start : start + _READ_TASK_ARTICLES]
            yield (
                run,
                [texts[p] for p in run],
                [spans[offsets[p] : offsets[p + 1]] for p in run],
                outlet_codes,
                settings,
                lsh,
            )


def _verify_blocks(
    verifier: _Verifier, blocks: list[np.ndarray], mapper: Mapper, done: Iterator
) -> tuple[list, list, list]:
    """Every block verified by ``mapper`` (each worker holding ``verifier``), the rows in block
    order: the same rows as :func:`analysis.reuse.verify._verify`."""
    passage_rows: list = []
    match_rows: list = []
    pair_rows: list = []
    results = mapper(
        _verify_in_worker, enumerate(blocks), initializer=_start_worker, initargs=(verifier,)
    )
    for rows, block in zip(results, blocks, strict=True):
        passage_rows.extend(rows[0])
        match_rows.extend(rows[1])
        pair_rows.extend(rows[2])
        for _ in range(len(block)):
            next(done, None)
    return passage_rows, match_rows, pair_rows
