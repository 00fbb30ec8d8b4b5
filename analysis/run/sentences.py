"""A corpus cleaned and split once: each block of articles' cleaned text, cleaning report and
sentence table cached as Parquet by content, for every command that reads the corpus.

``framing reuse``, ``framing topics`` and ``framing run`` each clean a large corpus and split it
into sentences, chunk by chunk. Given the same cache folder, the first of them caches every
block of :data:`BLOCK_SIZE` articles (in ``CACHE/sentences/``) and the others read the blocks
back instead of cleaning again. A block's key (:func:`block_key`) is the hash of its articles'
content and order, the package's version and code and the versions of
:data:`CLEANING_LIBRARIES`; each file is read only when its bytes match the SHA-256 beside it
(:mod:`analysis.run.checked`, as the chunk measures are), and cleaned again otherwise.

Blocks are cut every :data:`BLOCK_SIZE` articles from the start of each chunk, so commands whose
``--chunk-size`` is a multiple of it (the defaults: 500 for ``run``, 2000 for ``reuse`` and
``topics``) cut the corpus into the same blocks. The tables a chunk gets from its blocks are
those :func:`~analysis.study.load.clean_and_split` gives for the whole chunk, to the byte.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.core.config import CORPUS_DIR
from analysis.io.corpus import corpus_hash, load_corpus
from analysis.run.block_measures import Block, keep_block_tables
from analysis.run.checked import content_key, read_all_checked, write_checked
from analysis.run.reuse_cache import ReuseStore
from analysis.study.load import Cleaned, Study, clean_and_split, study_from_cleaned
from analysis.study.provenance import code_hash, library_versions
from analysis.text.cleaning import REPORT_COLUMNS, SENTENCE_SPLIT_RULE

#: Articles per cached block.
BLOCK_SIZE = 500
#: Libraries whose versions change cleaning and splitting (Punkt) or the tables read back.
CLEANING_LIBRARIES = ("nltk", "pandas", "pyarrow")
#: The files of a block: each article's cleaned text, the cleaning report, the sentences.
PARTS = ("clean", "report", "sentences")


def block_key(articles: pd.DataFrame, settings: str | None = None) -> str:
    """Cache key of a block of articles: their content (:func:`~analysis.io.corpus.corpus_hash`)
    and order, and ``settings`` (:func:`cleaning_settings`, found when ``None``)."""
    return content_key(
        [
            corpus_hash(articles),
            "\n".join(articles["doc_id"]),
            settings if settings is not None else cleaning_settings(),
        ]
    )


def cleaning_settings() -> str:
    """What cleaning and splitting depend on besides the articles: the package's version and
    code, and the versions of :data:`CLEANING_LIBRARIES`."""
    from analysis import __version__

    versions = json.dumps(library_versions(CLEANING_LIBRARIES), sort_keys=True)
    return f"sentences\0{__version__}\0{code_hash()}\0{versions}"


def block_paths(cache_dir: Path, key: str) -> dict[str, Path]:
    """The files of the block ``key`` in ``cache_dir``, by part (:data:`PARTS`)."""
    return {part: cache_dir / "sentences" / f"{key}.{part}.parquet" for part in PARTS}


def cleaned_chunk(
    articles: pd.DataFrame,
    corpus_path: Path | str,
    cache_dir: Path | None = None,
    read: list[bool] | None = None,
    blocks: list[Block] | None = None,
) -> Cleaned:
    """A chunk of articles (columns :data:`~analysis.io.corpus.ARTICLE_COLUMNS`) cleaned and
    split: :func:`~analysis.study.load.clean_and_split`, block by block through ``cache_dir``
    when given (``None``: no cache).

    ``read``, when given, receives one value per block: whether it was read from the cache;
    ``blocks`` receives each block's key and articles (for
    :func:`~analysis.run.block_measures.keep_block_tables`).
    """
    if cache_dir is None:
        return clean_and_split(articles, corpus_path)
    settings = cleaning_settings()
    parts = []
    for start in range(0, len(articles), BLOCK_SIZE):
        block = articles.iloc[start : start + BLOCK_SIZE]
        key = block_key(block, settings)
        if blocks is not None:
            blocks.append(Block(key, tuple(block["doc_id"])))
        cleaned = _cached_block(block, cache_dir, key)
        if read is not None:
            read.append(cleaned is not None)
        if cleaned is None:
            cleaned = clean_and_split(block, corpus_path)
            paths = block_paths(cache_dir, key)
            write_checked(
                {
                    paths["clean"]: cleaned.articles[["doc_id", "clean_text"]],
                    paths["report"]: cleaned.cleaning_report,
                    paths["sentences"]: cleaned.sentences,
                }
            )
        parts.append(cleaned)
    return join_blocks(articles, parts)


def _cached_block(block: pd.DataFrame, cache_dir: Path, key: str) -> Cleaned | None:
    """The tables of ``block`` (whose key is ``key``) from the cache, or ``None`` when any file
    is missing or fails its check (then the block is cleaned again and every file
    rewritten)."""
    tables = read_all_checked(block_paths(cache_dir, key))
    if tables is None:
        return None
    return Cleaned(
        block.assign(clean_text=tables["clean"]["clean_text"].tolist()),
        tables["report"],
        tables["sentences"],
    )


def join_blocks(articles: pd.DataFrame, blocks: Sequence[Cleaned]) -> Cleaned:
    """The tables of consecutive blocks of ``articles`` joined into those that
    :func:`~analysis.study.load.clean_and_split` gives for all of ``articles`` at once: the
    cleaning report's rows of every block, then the rows of over-long sentences split, with
    the same column types."""
    if len(blocks) == 1:
        return blocks[0]
    clean_text = [text for block in blocks for text in block.articles["clean_text"].tolist()]
    is_split = [block.cleaning_report["rule"] == SENTENCE_SPLIT_RULE for block in blocks]
    report = _report([b.cleaning_report[~s] for b, s in zip(blocks, is_split, strict=True)])
    if any(split.any() for split in is_split):
        splits = _report([b.cleaning_report[s] for b, s in zip(blocks, is_split, strict=True)])
        report = pd.concat([report, splits], ignore_index=True)
    sentences = pd.concat([block.sentences for block in blocks], ignore_index=True)
    return Cleaned(articles.assign(clean_text=clean_text), report, sentences)


def _report(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Report rows of several blocks in one table, built from records as
    :func:`~analysis.text.cleaning.clean_corpus` builds it (so the column types are those an
    empty or a whole report has)."""
    records = [record for part in parts for record in part.to_dict("records")]
    return pd.DataFrame(records, columns=REPORT_COLUMNS)


def load_study_cached(
    corpus_path: Path | str | None,
    cache_dir: Path,
    *,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
    workers: int = 1,
) -> Study:
    """:func:`~analysis.study.load.load_study` of a corpus with its cleaned and split blocks
    read from ``cache_dir`` where another command (``framing reuse``, ``run``, ``topics``)
    cached them, and cached there where not; the same study, without cleaning again. Its
    shared text (``reuse_detection``) is likewise read from ``cache_dir`` when ``framing
    reuse`` found it there before, and kept there once found
    (:class:`~analysis.run.reuse_cache.ReuseStore`); so are its quotations, frame indicator
    hits and tone, block by block (:mod:`analysis.run.block_measures`), which ``framing run
    --cache`` measured with the same codebook and actor list."""
    path = Path(corpus_path) if corpus_path is not None else CORPUS_DIR
    articles = load_corpus(path)
    blocks: list[Block] = []
    cleaned = cleaned_chunk(articles, path, cache_dir, blocks=blocks)
    study = study_from_cleaned(cleaned, path, codebook=codebook, actors=actors, workers=workers)
    study.stores["reuse_detection"] = ReuseStore(cache_dir)
    keep_block_tables(study, cache_dir, blocks)
    return study
