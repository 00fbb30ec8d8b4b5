"""Sentence measures made once: each block's quotations, segments, frame indicator hits and
tone, cached by content in a ``--cache`` folder, so that ``framing figures --cache`` reads what
``framing run --cache`` measured (and the other way round) instead of measuring every sentence
again.

These tables (:data:`BLOCK_TABLES`) are measured article by article: an article's rows depend
on its own text and sentences, the codebook and the actor list, never on another article. So
the table of a corpus is the tables of its blocks (:mod:`analysis.run.sentences`, every
:data:`~analysis.run.sentences.BLOCK_SIZE` articles) one after another, whatever the chunks
that measured them. A block's table is kept under a key (:func:`block_table_key`) made of the
block's key (its articles' content and order, the cleaning's code and libraries), the table's
name and what measuring depends on besides (:func:`measure_settings`: the package's version and
code, the versions of :data:`RESULT_LIBRARIES`, the codebook and the actor list by content); a
file is read only when its bytes match the SHA-256 beside it (:mod:`analysis.run.checked`).

A table is read back only when every block has it and the blocks' column types agree; otherwise
it is measured for the whole study, as without a cache, and its blocks are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.progress import log_line
from analysis.run.checked import content_key, read_all_checked, write_checked
from analysis.study.load import Study
from analysis.study.provenance import code_hash, input_hashes, library_versions

#: Libraries whose versions change measures (sentence splitting and stemming, tone,
#: vectorising, numbers and tables): a cached measure is used only under the same versions.
RESULT_LIBRARIES = ("nltk", "vaderSentiment", "scikit-learn", "numpy", "pandas")
#: The derived tables of a study (:mod:`analysis.study.measures`) kept block by block: those
#: that take the longest to measure, each one row per quotation, segment, hit or sentence.
BLOCK_TABLES = ("quotations", "segments", "evidence", "tone_per_sentence", "tone_per_segment")


@dataclass(frozen=True)
class Block:
    """A block of a study's articles: its key (:func:`analysis.run.sentences.block_key`) and
    its articles' ids, in order."""

    key: str
    doc_ids: tuple[str, ...]


def measure_settings(codebook: Path | str | None, actors: Path | str | None) -> str:
    """What a cached measure (a block table, a chunk's scores: :func:`analysis.run.cache.
    chunk_key`) depends on besides its articles: the package's version and code, the versions
    of :data:`RESULT_LIBRARIES`, and the codebook and the actor list by content (the study's
    for ``None``)."""
    from analysis import __version__

    return "\0".join(
        [
            __version__,
            code_hash(),
            json.dumps(library_versions(RESULT_LIBRARIES), sort_keys=True),
            json.dumps(input_hashes(codebook, actors), sort_keys=True),
        ]
    )


def block_table_key(block_key: str, name: str, settings: str) -> str:
    """Cache key of the table ``name`` of the block ``block_key`` under ``settings``."""
    return content_key([block_key, name, settings])


def block_table_path(cache_dir: Path, key: str) -> Path:
    """The file of the block table ``key`` in ``cache_dir``."""
    return cache_dir / "measures" / f"{key}.parquet"


def join_block_tables(parts: Sequence[pd.DataFrame]) -> pd.DataFrame | None:
    """The tables of consecutive blocks as one, or ``None`` when the non-empty ones disagree
    on a column's type (a column with missing values in one block only, say), where joining
    would not give the table measured on all the blocks at once (or of no block at all)."""
    if not parts:
        return None
    filled = [part for part in parts if len(part)] or list(parts[:1])
    first = filled[0].dtypes
    if any(not part.dtypes.equals(first) for part in filled[1:]):
        return None
    if len(filled) == 1:
        return filled[0].reset_index(drop=True)
    return pd.concat(filled, ignore_index=True)


def split_by_block(table: pd.DataFrame, blocks: Sequence[Block]) -> list[pd.DataFrame] | None:
    """``table``'s rows block by block, or ``None`` when they are not in block order (or name
    an article of no block), so that the blocks joined would not give ``table`` back."""
    block_of = {doc_id: number for number, block in enumerate(blocks) for doc_id in block.doc_ids}
    numbers = table["doc_id"].map(block_of)
    if numbers.isna().any():
        return None
    numbers = numbers.to_numpy(dtype=np.int64)
    if np.any(np.diff(numbers) < 0):
        return None
    bounds = np.searchsorted(numbers, np.arange(len(blocks) + 1))
    return [
        table.iloc[start:end].reset_index(drop=True)
        for start, end in zip(bounds[:-1], bounds[1:], strict=True)
    ]


@dataclass(frozen=True)
class BlockTableStore:
    """The :class:`~analysis.study.load.TableStore` of one of :data:`BLOCK_TABLES` of a study
    whose articles are ``blocks``, kept block by block in ``cache_dir`` under ``settings``
    (:func:`measure_settings` of the study's codebook and actor list)."""

    cache_dir: Path
    name: str
    blocks: tuple[Block, ...]
    settings: str

    def table(self, study: Study, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        paths = [
            block_table_path(self.cache_dir, block_table_key(block.key, self.name, self.settings))
            for block in self.blocks
        ]
        parts = read_all_checked(dict(enumerate(paths)))
        table = join_block_tables(list(parts.values())) if parts is not None else None
        if table is not None:
            log_line(
                f"{self.name}: {len(table):,} rows read from {self.cache_dir} (measured before, "
                "block by block, with the same code and inputs)"
            )
            return table
        table = compute()
        split = split_by_block(table, self.blocks)
        if split is not None:
            write_checked(dict(zip(paths, split, strict=True)))
        return table


def keep_block_tables(study: Study, cache_dir: Path, blocks: Sequence[Block]) -> None:
    """Keep ``study``'s :data:`BLOCK_TABLES` in ``cache_dir`` block by block: each is read
    from there when every block has it, and kept there once measured."""
    settings = measure_settings(study.codebook_path, study.actors_path)  # hashes the code
    for name in BLOCK_TABLES:
        study.stores[name] = BlockTableStore(cache_dir, name, tuple(blocks), settings)
