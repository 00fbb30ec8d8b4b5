"""Measuring one chunk of a corpus, and a cache of chunk results keyed by content.

A chunk's key (:func:`chunk_key`) is the hash of its articles, the package's version and code,
the versions of the libraries that change results, the codebook and the actor list; a cached
table is used only when its bytes match the SHA-256 recorded beside it, and is measured again
otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from analysis.core.errors import InputError
from analysis.io.corpus import ARTICLE_COLUMNS, corpus_hash
from analysis.run.block_measures import Block, keep_block_tables, measure_settings
from analysis.run.checked import content_key, read_checked, write_checked
from analysis.run.sentences import cleaned_chunk
from analysis.study.provenance import (
    table_to_csv_bytes,
)

if TYPE_CHECKING:
    from analysis.study.load import Study


def chunk_key(
    articles: pd.DataFrame,
    codebook: Path | None,
    actors: Path | None,
    own_text: pd.DataFrame | None = None,
) -> str:
    """Cache key of a chunk: its articles' content, what measuring depends on besides
    (:func:`~analysis.run.block_measures.measure_settings`: the package's version and code, the
    versions of :data:`~analysis.run.block_measures.RESULT_LIBRARIES`, the codebook and the
    actor list by content, the study's for ``None``) and, when own text is measured, the
    chunk's rows of the sentence reuse table."""
    parts = [corpus_hash(articles), measure_settings(codebook, actors)]
    if own_text is not None:
        parts.append(table_to_csv_bytes(own_text))
    return content_key(parts)


def use_sentence_reuse(study: Study, sentence_table: pd.DataFrame) -> None:
    """Give ``study`` every sentence's reuse status found on a larger corpus it is a chunk of
    (``framing reuse --sentences``, read by :func:`analysis.run.corpus.read_sentence_reuse`), in
    place of detecting reuse within the study; its own-text measures then use it.

    Raises :class:`InputError` if the table's sentences are not the study's (a table made from
    another corpus, or by another version of the cleaning and splitting).
    """
    keys = ["doc_id", "sent_idx"]
    repeated = sentence_table[sentence_table.duplicated(keys)]
    if not repeated.empty:
        doc_id, sent_idx = repeated.iloc[0][keys]
        raise InputError(
            f"--reuse-sentences: article {doc_id!r}, sentence {sent_idx} is listed twice"
        )
    both = study.sentences[keys].merge(sentence_table[keys], how="outer", indicator=True)
    mismatched = both[both["_merge"] != "both"]
    if not mismatched.empty:
        doc_id = mismatched["doc_id"].iloc[0]
        raise InputError(
            f"--reuse-sentences: article {doc_id!r}: its sentences are not the corpus's (was "
            "the table made by framing reuse from this corpus, with this version?)"
        )
    study.provide("reuse_per_sentence", study.sentences[keys].merge(sentence_table, on=keys))


def measure_chunk(
    articles: pd.DataFrame,
    codebook: Path | None = None,
    actors: Path | None = None,
    own_text: pd.DataFrame | None = None,
    cache_dir: Path | None = None,
) -> pd.DataFrame:
    """Every per-article measure (``framing score``'s columns) for one chunk of articles.

    ``own_text`` is the chunk's rows of a sentence reuse table
    (:func:`analysis.run.corpus.read_sentence_reuse`, from ``framing reuse`` on the whole
    corpus); with it the own-text columns are added. With ``cache_dir`` the chunk's cleaned
    and split tables are read from there when another command has cached them, and cached
    there when not (:func:`analysis.run.sentences.cleaned_chunk`), and so are its sentences'
    quotations, segments, frame indicator hits and tone (:mod:`analysis.run.block_measures`)."""
    from analysis.study import measures
    from analysis.study.load import study_from_cleaned

    blocks: list[Block] = []
    cleaned = cleaned_chunk(articles[ARTICLE_COLUMNS], "chunk", cache_dir, blocks=blocks)
    study = study_from_cleaned(cleaned, "chunk", codebook=codebook, actors=actors)
    if cache_dir is not None:
        keep_block_tables(study, cache_dir, blocks)
    if own_text is not None:
        use_sentence_reuse(study, own_text)
    scores = measures.score_table(study, reuse=own_text is not None)
    extra = [c for c in ("outlet_raw", "outlet_key") if c in articles]
    if extra:
        scores = scores.merge(articles[["doc_id", *extra]], on="doc_id", how="left")
    return scores


def measure_cached(
    articles: pd.DataFrame,
    codebook: Path | None,
    actors: Path | None,
    cache_dir: Path | None,
    own_text: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`measure_chunk` of a chunk, read from ``cache_dir`` when a checked copy is there and
    written there when not (``None``: no cache); a chunk measured here is cleaned and split
    through the same folder (its cleaned blocks, :mod:`analysis.run.sentences`), so another
    command that cleaned it already is not repeated."""
    if cache_dir is None:
        return measure_chunk(articles, codebook, actors, own_text)
    cached = cache_dir / f"{chunk_key(articles, codebook, actors, own_text)}.parquet"
    scores = read_checked(cached)
    if scores is not None:
        return scores
    scores = measure_chunk(articles, codebook, actors, own_text, cache_dir)
    write_checked({cached: scores})
    return scores
