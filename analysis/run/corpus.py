"""Large corpora measured chunk by chunk, with memory that stays flat however large the file.

A corpus of tens of thousands of articles is never held in memory as sentences. It is read in
chunks of articles (:mod:`analysis.io.chunks`); each chunk is cleaned, split, framed and scored
by :func:`analysis.run.cache.measure_chunk` (the same functions as the study, through
:func:`analysis.study.load.study_from_cleaned`), and only its per-article rows are kept. With a
cache folder, each block of articles is cleaned and split once, by whichever command comes
first, and read back by the others (:mod:`analysis.run.sentences`).
Chunks run one after another, on local processes (``workers``), or on a Dask cluster
(``dask``, :mod:`analysis.run.dask`): every path calls the same function on the same chunks, so
the results are identical.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.errors import InputError
from analysis.core.parallel import Mapper, local_mapper, ordered_map
from analysis.core.progress import log_line, progress, seconds
from analysis.io.chunks import (
    DEFAULT_CHUNK_SIZE,
    ColumnMap,
    canonical_chunks,
    check_corpus,
)
from analysis.io.corpus import ARTICLE_COLUMNS, format_suffix
from analysis.run.cache import measure_cached
from analysis.run.dask import run_dask
from analysis.run.sentences import cleaned_chunk

#: The columns of ``framing reuse --sentences`` that own-text measures need.
SENTENCE_REUSE_NEEDED = ["doc_id", "sent_idx", "n_words", "status", "own"]


def read_sentence_reuse(path: Path | str) -> pd.DataFrame:
    """The per-sentence table written by ``framing reuse --sentences`` (CSV or Parquet), for
    measuring each article's own text chunk by chunk; raises :class:`InputError` naming the
    file, row and column of a problem."""
    path = Path(path)
    try:
        if format_suffix(path) == ".parquet":
            table = pd.read_parquet(path).astype({"doc_id": str})
        else:
            table = pd.read_csv(path, dtype={"doc_id": str, "status": str}, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None
    missing = [column for column in SENTENCE_REUSE_NEEDED if column not in table]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} (write it with framing reuse "
            "--sentences)"
        )
    table = table[SENTENCE_REUSE_NEEDED].copy()
    for column, valid in (
        ("sent_idx", lambda v: pd.to_numeric(v, errors="coerce").notna()),
        ("n_words", lambda v: pd.to_numeric(v, errors="coerce").notna()),
        ("own", lambda v: v.astype(str).isin(["True", "False"])),
        ("status", lambda v: v.isin(["original", "verbatim", "rewrite"])),
    ):
        bad = ~valid(table[column])
        if bad.any():
            row = int(bad.to_numpy().argmax()) + 1
            raise InputError(
                f"{path}: row {row}, column '{column}': {table[column].iloc[row - 1]!r} is not "
                "valid"
            )
    table["sent_idx"] = table["sent_idx"].astype(int)
    table["n_words"] = table["n_words"].astype(int)
    table["own"] = table["own"].astype(str) == "True"
    return table


def _chunks(path: Path, chunk_size: int, columns: ColumnMap) -> tuple[int, Iterator[pd.DataFrame]]:
    """The number of chunks, and the corpus's chunks normalised as
    :func:`~analysis.io.chunks.import_corpus` writes them (canonical outlet names); the whole
    file is checked first (:func:`~analysis.io.chunks.check_corpus`), so an error raises before
    the first chunk is given."""
    checked = check_corpus(path, columns, chunk_size, keep_summary=False)
    chunks = canonical_chunks(path, columns, chunk_size, checked.outlet_names)
    return -(-checked.n_articles // chunk_size), chunks


def cleaned_corpus(
    path: Path | str,
    *,
    columns: ColumnMap = ColumnMap(),  # noqa: B008 (frozen, immutable)
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int = 1,
    mapper: Mapper | None = None,
    cache_dir: Path | str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The whole corpus cleaned and split, read chunk by chunk, for the corpus-level stages
    that compare articles with each other (:func:`analysis.reuse.detect_reuse`).

    Returns the article table (doc_id, outlet, clean_text) and the sentence table (doc_id,
    sent_idx, para_idx, start, end, text; offsets into ``clean_text``). Memory: about three
    times the corpus's text (37,554 AllSides articles: see benchmarks/RESULTS.md). With
    ``workers`` > 1 the chunks are cleaned in that many processes, with a ``mapper`` (a Dask
    cluster's, :class:`analysis.run.dask.DaskMapper`) where it runs them; the tables are the
    same. With ``cache_dir`` each block of articles is cleaned and split once and cached there
    by content (:mod:`analysis.run.sentences`), for this command and the others given the same
    folder; the tables are the same.
    """
    started = time.perf_counter()
    cache = Path(cache_dir) if cache_dir is not None else None
    n_chunks, chunks = _chunks(Path(path), chunk_size, columns)
    bar = {"desc": "cleaning and splitting", "unit": "chunk", "total": n_chunks}
    mapper = mapper or local_mapper(workers)
    parts = list(progress(mapper(_clean_chunk, ((c, path, cache) for c in chunks)), **bar))
    articles = pd.concat([part[0] for part in parts], ignore_index=True)
    read = [was_read for part in parts for was_read in part[2]]
    cached = f"; {sum(read)} of {len(read)} blocks read from {cache}" if cache else ""
    log_line(
        f"read, cleaned and split {len(articles):,} articles in {_chunks_said(n_chunks)} "
        f"({seconds(started)}{cached})"
    )
    return articles, pd.concat([part[1] for part in parts], ignore_index=True)


def _chunks_said(n_chunks: int) -> str:
    """``1 chunk``, ``2 chunks`` ..."""
    return f"{n_chunks} chunk" + ("" if n_chunks == 1 else "s")


def _clean_chunk(
    chunk: pd.DataFrame, path: Path | str, cache_dir: Path | None
) -> tuple[pd.DataFrame, pd.DataFrame, list[bool]]:
    """A chunk's articles (doc_id, outlet, clean_text) and sentences, and for each of its
    blocks whether it was read from ``cache_dir``."""
    read: list[bool] = []
    cleaned = cleaned_chunk(chunk[ARTICLE_COLUMNS], path, cache_dir, read)
    return cleaned.articles[["doc_id", "outlet", "clean_text"]], cleaned.sentences, read


def measure_corpus(
    path: Path | str,
    *,
    columns: ColumnMap = ColumnMap(),  # noqa: B008 (frozen, immutable)
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
    workers: int = 1,
    dask: str | None = None,
    cache_dir: Path | str | None = None,
    sentence_reuse: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per-article measures for a corpus of any size, chunk by chunk.

    Parameters
    ----------
    workers
        Local processes (1: in this process).
    dask
        A Dask scheduler address (``tcp://host:8786``) or ``local:N`` for a local cluster of N
        single-threaded worker processes; overrides ``workers``.
    cache_dir
        Where chunk results, and the chunks' cleaned and split blocks
        (:mod:`analysis.run.sentences`), are cached by content (``None``: no cache).
    sentence_reuse
        Every sentence's reuse status (:func:`read_sentence_reuse`: ``framing reuse`` on this
        corpus). With it, each chunk also gets the own-text columns of ``framing score``
        (``shared_share``, ``own_...``); shared text is found on the whole corpus, so these are
        the same as measuring the corpus in one piece.

    Returns the score table in corpus order (the same whichever way the chunks ran).
    """
    path = Path(path)
    codebook = Path(codebook) if codebook is not None else None
    actors = Path(actors) if actors is not None else None
    cache = Path(cache_dir) if cache_dir is not None else None
    n_chunks, chunks = _chunks(path, chunk_size, columns)
    own_text = _own_text_of_chunks(sentence_reuse)
    calls = (
        (chunk, codebook, actors, cache, own_text(chunk) if own_text else None) for chunk in chunks
    )
    bar = {"desc": "measuring", "unit": "chunk", "total": n_chunks}
    started = time.perf_counter()
    if dask is not None:
        results = run_dask(calls, dask, bar)
    else:
        results = list(progress(ordered_map(measure_cached, calls, workers=workers), **bar))
    scores = pd.concat(results, ignore_index=True)
    log_line(f"measured {len(scores):,} articles in {_chunks_said(n_chunks)} ({seconds(started)})")
    return scores


def _own_text_of_chunks(sentence_reuse: pd.DataFrame | None):
    """A function giving a chunk's rows of ``sentence_reuse`` (``None`` without a table)."""
    if sentence_reuse is None:
        return None
    positions = sentence_reuse.groupby("doc_id", sort=False).indices  # found once, not per chunk

    def rows_of(chunk: pd.DataFrame) -> pd.DataFrame:
        found = [positions[doc_id] for doc_id in chunk["doc_id"].unique() if doc_id in positions]
        rows = np.concatenate(found) if found else np.arange(0)
        return sentence_reuse.iloc[rows].reset_index(drop=True)

    return rows_of
