"""The measures of a large corpus written into one folder, as ``framing run`` makes them: the
per-article scores, the per-outlet summary and a record of the run."""

from __future__ import annotations

from pathlib import Path

from analysis.io.chunks import ColumnMap
from analysis.run.corpus import measure_corpus, read_sentence_reuse
from analysis.run.summary import write_run
from analysis.study.provenance import code_hash, library_versions


def measure_into_folder(
    path: Path,
    out_dir: Path,
    *,
    columns: ColumnMap,
    chunk_size: int,
    codebook: Path | None,
    actors: Path | None,
    workers: int,
    dask: str | None,
    cache_dir: Path | None,
    reuse_sentences: Path | None,
) -> tuple[int, list[Path]]:
    """Measure the corpus at ``path`` chunk by chunk (:func:`~analysis.run.corpus.measure_corpus`;
    with each sentence's reuse status from the ``reuse_sentences`` file when given) and write
    scores.parquet, scores.csv, outlets.csv and run.json into ``out_dir`` at once.

    Returns the number of articles measured and the files written.
    """
    sentence_reuse = None
    if reuse_sentences is not None:
        sentence_reuse = read_sentence_reuse(reuse_sentences)
    scores = measure_corpus(
        path,
        columns=columns,
        chunk_size=chunk_size,
        codebook=codebook,
        actors=actors,
        workers=workers,
        dask=dask,
        cache_dir=cache_dir,
        sentence_reuse=sentence_reuse,
    )
    record = {
        "command": "framing run",
        "corpus": str(path),
        "n_articles": len(scores),
        "n_sentences": int(scores["n_sentences"].sum()),
        "chunk_size": chunk_size,
        "code_sha256": code_hash(),
        "codebook": str(codebook or "study"),
        "actors": str(actors or "study"),
        "reuse_sentences": str(reuse_sentences or ""),
        "software": library_versions(),
    }
    return len(scores), write_run(scores, out_dir, record)
