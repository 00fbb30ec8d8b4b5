"""Shared text found once: what :func:`~analysis.reuse.detect_reuse` finds in a corpus, cached
by content in a ``--cache`` folder, so that ``framing figures --cache`` reads what ``framing
reuse --cache`` found (and the other way round) instead of finding it again.

A result's key (:func:`reuse_key`) is the hash of what the detector reads (the articles' ids,
outlets and cleaned texts and their sentences' offsets, in order), the method it uses for them
(:func:`~analysis.reuse.chosen_method`), its settings, the package's version and code and the
versions of :data:`REUSE_LIBRARIES`; its tables are read only when their bytes match the
SHA-256 beside them (:mod:`analysis.run.checked`), and found again otherwise. The number of
workers, and Dask, do not change the result, so they are not in the key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from analysis.core.progress import log_line
from analysis.reuse import ReuseResult, ReuseSettings, chosen_method, detector_inputs
from analysis.run.checked import content_key, read_all_checked, write_checked
from analysis.study.load import Study
from analysis.study.provenance import code_hash, library_versions

#: Libraries whose versions could change what the detector finds, or the tables read back.
REUSE_LIBRARIES = ("nltk", "numpy", "pandas", "pyarrow", "scikit-learn", "scipy")
#: The tables of a result, as attributes of :class:`~analysis.reuse.ReuseResult`.
TABLES = ("passages", "matches", "pairs", "templates")


def reuse_key(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    method: str = "auto",
    settings: ReuseSettings | None = None,
) -> str:
    """Cache key of the reuse found in ``articles`` (a cleaned article table) and their
    ``sentences`` with ``method`` and ``settings`` (defaults: ``auto``,
    :class:`~analysis.reuse.ReuseSettings`): what the detector reads of the two tables
    (:func:`~analysis.reuse.detector_inputs`), the method it uses for them, its settings, the
    package's version and code, and the versions of :data:`REUSE_LIBRARIES`."""
    from analysis import __version__

    settings = settings or ReuseSettings()
    return content_key(
        [
            "reuse",
            __version__,
            code_hash(),
            json.dumps(library_versions(REUSE_LIBRARIES), sort_keys=True),
            *detector_inputs(articles, sentences),
            chosen_method(method, len(articles), settings),
            json.dumps(asdict(settings), sort_keys=True),
        ]
    )


def reuse_paths(cache_dir: Path, key: str) -> dict[str, Path]:
    """The files of the result ``key`` in ``cache_dir``: one per table, and its summary."""
    return {part: cache_dir / "reuse" / f"{key}.{part}.parquet" for part in (*TABLES, "summary")}


def read_reuse(cache_dir: Path, key: str) -> ReuseResult | None:
    """The result ``key`` from ``cache_dir``, or ``None`` when any file is missing or fails its
    check."""
    tables = read_all_checked(reuse_paths(cache_dir, key))
    if tables is None:
        return None
    summary = json.loads(tables.pop("summary")["summary"].iat[0])
    log_line(
        f"reuse: {summary.get('n_pairs_found', len(tables['pairs'])):,} pairs that share text "
        f"read from {cache_dir} (found before with the same corpus, code and settings)"
    )
    return ReuseResult(**tables, summary=summary)


def found_once(cache_dir: Path, key: str, find: Callable[[], ReuseResult]) -> ReuseResult:
    """The result ``key`` from ``cache_dir`` when it is there, else ``find()``, kept there."""
    result = read_reuse(cache_dir, key)
    if result is None:
        result = find()
        write_reuse(cache_dir, key, result)
    return result


def write_reuse(cache_dir: Path, key: str, result: ReuseResult) -> None:
    """Keep ``result`` in ``cache_dir`` under ``key``, every file written at once."""
    paths = reuse_paths(cache_dir, key)
    tables = {paths[name]: getattr(result, name) for name in TABLES}
    tables[paths["summary"]] = pd.DataFrame({"summary": [json.dumps(result.summary)]})
    write_checked(tables)


@dataclass(frozen=True)
class ReuseStore:
    """The :class:`~analysis.study.load.TableStore` of a study's reuse detection
    (:func:`analysis.study.measures.reuse_detection`: the method ``auto``, the default
    settings) in ``cache_dir``."""

    cache_dir: Path

    def table(self, study: Study, compute: Callable[[], ReuseResult]) -> ReuseResult:
        return found_once(self.cache_dir, reuse_key(study.articles, study.sentences), compute)
