"""A topic model of a large corpus, as ``framing topics`` fits it: the corpus read and cleaned
chunk by chunk, one model fitted on its articles, paragraphs or sentences, the top terms of each
topic and its prevalence per outlet, and a record of the run (parameters, timings, software).
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core.errors import InputError
from analysis.core.parallel import Mapper, local_mapper
from analysis.io.chunks import ColumnMap
from analysis.run.corpus import cleaned_corpus
from analysis.run.dask import dask_mapper
from analysis.study.provenance import code_hash, library_versions, table_to_csv_bytes
from analysis.topics import TopicModel, outlet_topics, topic_units, unit_topics


@dataclass(frozen=True)
class CorpusTopics:
    """A fitted corpus's outputs: each topic's top ``terms``, its ``prevalence`` per outlet,
    the run ``record``, and the numbers of articles and of the units fitted on."""

    terms: pd.DataFrame
    prevalence: pd.DataFrame
    record: dict[str, Any]
    n_articles: int
    n_units: int


def corpus_topics(
    path: Path,
    *,
    columns: ColumnMap,
    chunk_size: int,
    k: int,
    method: str,
    unit: str,
    max_features: int,
    phrases: bool,
    batch_size: int | None,
    workers: int,
    dask: str | None = None,
    cache_dir: Path | None = None,
) -> CorpusTopics:
    """Fit ``k`` topics (``method``: nmf or lda) on the ``unit`` texts of the corpus at ``path``.

    ``dask``: a Dask scheduler address or ``local:N``; the chunks are cleaned, the texts
    analysed (runs of consecutive texts, the partitions of the document-term matrix's rows)
    and the prevalence intervals computed (runs of outlets) as tasks on that cluster, instead
    of in ``workers`` processes; the model is fitted here on the same matrix, so the outputs
    are the same. ``cache_dir``: where the corpus's cleaned and split blocks are cached
    (:mod:`analysis.run.sentences`).

    :class:`InputError` (one line, naming ``-k``) when there are fewer units than topics or the
    texts give no vocabulary; a warning line on standard error when the model stops at its
    iteration limit before converging.
    """
    parameters = {key: value for key, value in locals().items() if key != "dask"}
    with dask_mapper(dask) as mapper:
        return _corpus_topics(**parameters, mapper=mapper)


def _corpus_topics(
    path: Path,
    *,
    columns: ColumnMap,
    chunk_size: int,
    k: int,
    method: str,
    unit: str,
    max_features: int,
    phrases: bool,
    batch_size: int | None,
    workers: int,
    mapper: Mapper | None,
    cache_dir: Path | None,
) -> CorpusTopics:
    """:func:`corpus_topics`, its stages run by ``mapper`` (``None``: ``workers`` processes)."""
    started = time.perf_counter()
    articles, sentences = cleaned_corpus(
        path,
        columns=columns,
        chunk_size=chunk_size,
        workers=workers,
        mapper=mapper,
        cache_dir=cache_dir,
    )
    units = topic_units(sentences, articles, unit=unit)
    seconds = {"reading_cleaning_splitting": time.perf_counter() - started}
    del sentences
    if k > len(units):
        raise InputError(f"-k: {k} topics for {len(units)} {unit}s; give fewer")
    model = TopicModel(
        method=method,
        n_topics=k,
        max_features=max_features,
        phrases=phrases,
        batch_size=batch_size,
        n_jobs=workers,
    )
    started = time.perf_counter()
    try:
        analysed = model.analysed(units["text"], mapper)  # terms sent back as numbers
        matrix = model.fit_analysed(analysed).vectorize(analysed)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None
    seconds["fitting"] = time.perf_counter() - started
    if not model.converged_:
        print(
            f"warning: the {method} model stopped at its iteration limit before "
            "converging; its topics may differ with another --batch-size",
            file=sys.stderr,
        )
    started = time.perf_counter()
    # runs of outlets in the workers too (each outlet and topic has its own seeded numbers)
    prevalence_mapper = mapper or (local_mapper(workers) if workers > 1 else None)
    prevalence = outlet_topics(unit_topics(model, units, matrix), mapper=prevalence_mapper)
    seconds["prevalence"] = time.perf_counter() - started
    record = {
        "command": "framing topics",
        "corpus": str(path),
        "n_articles": len(articles),
        "unit": unit,
        "n_units": len(units),
        "parameters": model.get_params(),
        "converged": model.converged_,
        "seconds": {stage: round(value, 1) for stage, value in seconds.items()},
        "code_sha256": code_hash(),
        "software": library_versions(),
    }
    return CorpusTopics(
        terms=model.top_terms(),
        prevalence=prevalence,
        record=record,
        n_articles=len(articles),
        n_units=len(units),
    )


def topics_files(topics: CorpusTopics, out_dir: Path) -> dict[Path, bytes]:
    """The files of a topics run in ``out_dir``: topic_terms.csv, topic_prevalence.csv and
    topics_run.json, with their content."""
    record = (json.dumps(topics.record, indent=2, default=str) + "\n").encode()
    return {
        out_dir / "topic_terms.csv": table_to_csv_bytes(topics.terms),
        out_dir / "topic_prevalence.csv": table_to_csv_bytes(topics.prevalence),
        out_dir / "topics_run.json": record,
    }
