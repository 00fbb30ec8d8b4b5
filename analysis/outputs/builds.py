"""Whole builds of the study's figures into a folder, as ``framing figures`` makes them: whether
the last one there is current, and making one (then stamping the folder with it).

Examples
--------
>>> from pathlib import Path
>>> folder_is_current("corpus", Path("no such folder"))
False
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core.config import display_path
from analysis.io.corpus import corpus_hash, load_corpus
from analysis.study.provenance import build_is_current, build_key, write_build_stamp

if TYPE_CHECKING:
    from analysis.outputs.figures import BuiltFigure


def folder_is_current(
    corpus: Path | str,
    out_dir: Path,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
) -> bool:
    """True when the last whole build in ``out_dir`` is current for ``corpus`` measured with
    ``codebook`` and ``actors`` (the study's for ``None``): checked without importing the
    measures or plotting (corpus, code, input and file hashes and software only)."""
    if not out_dir.is_dir():
        return False
    key = build_key(corpus_hash(load_corpus(corpus)), display_path(corpus), codebook, actors)
    return build_is_current(out_dir, key)


def build_folder(
    *,
    corpus: Path | str,
    out_dir: Path,
    only: Iterable[str] | None,
    force: bool,
    workers: int,
    cache_dir: Path | None = None,
    codebook: Path | None = None,
    actors: Path | None = None,
) -> list[BuiltFigure]:
    """Build every figure (or those in ``only``) of ``corpus`` into ``out_dir``, leaving those
    already up to date unless ``force``; a whole build stamps the folder, for
    :func:`folder_is_current`. ``workers``: processes for the costliest measures;
    ``cache_dir``: where the corpus's cleaned and split blocks are cached (``None``: none);
    ``codebook``, ``actors``: what the corpus is measured with (``None``: the study's).
    The study is loaded here and used by nothing else, so each derived table is released once
    the last output that reads it is written (the results hold no table or figure)."""
    from analysis.outputs.figures import build_all

    built = build_all(
        corpus=corpus,
        out_dir=out_dir,
        only=only,
        skip_current=not force,
        workers=workers,
        cache_dir=cache_dir,
        release=True,
        codebook=codebook,
        actors=actors,
    )
    if not only:
        write_build_stamp(out_dir, {item.spec.name: dict(item.spec.params) for item in built})
    return built
