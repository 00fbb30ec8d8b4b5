"""Text reuse in a large corpus, as ``framing reuse`` finds it: the corpus read and cleaned
chunk by chunk, the pairs of articles that share text, and each sentence's and article's share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.io.chunks import ColumnMap
from analysis.reuse import ReuseResult, article_reuse_with_clusters, detect_reuse, sentence_reuse
from analysis.run.corpus import cleaned_corpus
from analysis.run.dask import dask_mapper
from analysis.run.reuse_cache import found_once, reuse_key


@dataclass(frozen=True)
class CorpusReuse:
    """The reuse found in a corpus: ``result`` (its ``pairs``, ``matches`` and ``summary``),
    and the per-sentence and per-article tables when asked for (``None`` otherwise)."""

    n_articles: int
    result: ReuseResult
    sentences: pd.DataFrame | None
    articles: pd.DataFrame | None


def corpus_reuse(
    path: Path,
    *,
    columns: ColumnMap,
    chunk_size: int,
    method: str,
    workers: int,
    per_sentence: bool,
    per_article: bool,
    dask: str | None = None,
    cache_dir: Path | None = None,
) -> CorpusReuse:
    """The pairs of articles of the corpus at ``path`` that share text
    (:func:`~analysis.reuse.detect_reuse` with ``method``), and, with ``per_sentence`` or
    ``per_article``, each sentence's reuse status or each article's shared share.

    ``dask``: a Dask scheduler address or ``local:N``; the chunks are cleaned, and the
    articles read, the LSH bands hashed and the candidate pairs verified, as tasks on that
    cluster instead of ``workers`` processes (the same tables). ``cache_dir``: where the
    corpus's cleaned and split blocks are cached (:mod:`analysis.run.sentences`), and the
    reuse found (:mod:`analysis.run.reuse_cache`): read back when found before.
    """
    with dask_mapper(dask) as mapper:
        articles, sentences = cleaned_corpus(
            path,
            columns=columns,
            chunk_size=chunk_size,
            workers=workers,
            mapper=mapper,
            cache_dir=cache_dir,
        )

        def find() -> ReuseResult:
            return detect_reuse(articles, sentences, method=method, workers=workers, mapper=mapper)

        result = (
            find()
            if cache_dir is None
            else found_once(cache_dir, reuse_key(articles, sentences, method), find)
        )
    sentence_table = article_table = None
    if per_sentence or per_article:
        sentence_table = sentence_reuse(sentences, result.matches)
        if per_article:
            article_table = article_reuse_with_clusters(articles, sentence_table, result.pairs)
    return CorpusReuse(
        n_articles=len(articles),
        result=result,
        sentences=sentence_table if per_sentence else None,
        articles=article_table,
    )
