"""Measuring one chunk of a corpus, and a cache of chunk results keyed by content.

A chunk's key (:func:`chunk_key`) is the hash of its articles, the package's version and code,
the versions of the libraries that change results, the codebook and the actor list; a cached
table is used only when its bytes match the SHA-256 recorded beside it, and is measured again
otherwise.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pandas as pd

from analysis.io.corpus import ARTICLE_COLUMNS, corpus_hash
from analysis.study.provenance import (
    code_hash,
    input_hashes,
    json_bytes,
    library_versions,
    sha256_bytes,
    table_to_csv_bytes,
    write_paths_atomically,
)

#: Libraries whose versions change a chunk's measures (sentence splitting and stemming,
#: tone, vectorising, numbers and tables): a cached chunk is used only under the same versions.
RESULT_LIBRARIES = ("nltk", "vaderSentiment", "scikit-learn", "numpy", "pandas")


def chunk_key(
    articles: pd.DataFrame,
    codebook: Path | None,
    actors: Path | None,
    own_text: pd.DataFrame | None = None,
) -> str:
    """Cache key of a chunk: its articles' content, the package's version and code, the
    versions of :data:`RESULT_LIBRARIES`, the codebook and the actor list (by content; the
    study's for ``None``) and, when own text is measured, the chunk's rows of the sentence
    reuse table."""
    from analysis import __version__

    digest = hashlib.sha256()
    parts = [
        corpus_hash(articles),
        __version__,
        code_hash(),
        json.dumps(library_versions(RESULT_LIBRARIES), sort_keys=True),
        json.dumps(input_hashes(codebook, actors), sort_keys=True),
    ]
    if own_text is not None:
        parts.append(table_to_csv_bytes(own_text))
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def measure_chunk(
    articles: pd.DataFrame,
    codebook: Path | None = None,
    actors: Path | None = None,
    own_text: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every per-article measure (``framing score``'s columns) for one chunk of articles.

    ``own_text`` is the chunk's rows of a sentence reuse table
    (:func:`analysis.run.corpus.read_sentence_reuse`, from ``framing reuse`` on the whole
    corpus); with it the own-text columns are added."""
    from analysis.study import measures
    from analysis.study.load import study_from_articles

    study = study_from_articles(
        articles[ARTICLE_COLUMNS], "chunk", codebook=codebook, actors=actors
    )
    if own_text is not None:
        measures.use_sentence_reuse(study, own_text)
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
    written there when not (``None``: no cache)."""
    if cache_dir is None:
        return measure_chunk(articles, codebook, actors, own_text)
    cached = cache_dir / f"{chunk_key(articles, codebook, actors, own_text)}.parquet"
    scores = _read_cached(cached)
    if scores is not None:
        return scores
    scores = measure_chunk(articles, codebook, actors, own_text)
    buffer = io.BytesIO()
    scores.to_parquet(buffer, index=False)
    data = buffer.getvalue()
    check = json_bytes({"sha256": sha256_bytes(data), "rows": len(scores)})
    write_paths_atomically({cached: data, _check_file(cached): check})
    return scores


def _check_file(cached: Path) -> Path:
    """The sidecar holding a cached table's SHA-256."""
    return cached.with_suffix(".json")


def _read_cached(cached: Path) -> pd.DataFrame | None:
    """A cached chunk table, if it is there and its bytes have the SHA-256 its sidecar
    recorded when it was written; ``None`` otherwise (missing, truncated, edited), so that
    the chunk is measured again."""
    try:
        data = cached.read_bytes()
        expected = json.loads(_check_file(cached).read_text(encoding="utf-8"))["sha256"]
        if sha256_bytes(data) != expected:
            return None
        return pd.read_parquet(io.BytesIO(data))
    except (OSError, ValueError, KeyError, TypeError):
        return None
