"""Tables cached by content: a key from the parts a result depends on, and Parquet files read
back only when their bytes have the SHA-256 recorded beside them.

Both caches of the run layer use these, the chunk measures (:mod:`analysis.run.cache`) and the
cleaned and split articles (:mod:`analysis.run.sentences`), so a cached file is checked one way:
a missing, truncated or edited file is computed again, never trusted.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import pandas as pd

from analysis.study.provenance import json_bytes, sha256_bytes, write_paths_atomically

K = TypeVar("K")


def content_key(parts: Iterable[str | bytes]) -> str:
    """SHA-256 of ``parts`` in order, each ended by a NUL byte (so no two lists of parts
    give the same key by running into each other)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def check_file(cached: Path) -> Path:
    """The sidecar holding a cached table's SHA-256."""
    return cached.with_suffix(".json")


def read_checked(cached: Path) -> pd.DataFrame | None:
    """A cached table, if it is there and its bytes have the SHA-256 its sidecar recorded
    when it was written; ``None`` otherwise (missing, truncated, edited), so that it is
    computed again."""
    try:
        data = cached.read_bytes()
        expected = json.loads(check_file(cached).read_text(encoding="utf-8"))["sha256"]
        if sha256_bytes(data) != expected:
            return None
        return pd.read_parquet(io.BytesIO(data))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_all_checked(paths: Mapping[K, Path]) -> dict[K, pd.DataFrame] | None:
    """Every cached table of ``paths`` (:func:`read_checked`), by the same keys, or ``None`` as
    soon as one is missing or fails its check: a set of files is used whole or not at all."""
    tables = {}
    for name, path in paths.items():
        table = read_checked(path)
        if table is None:
            return None
        tables[name] = table
    return tables


def write_checked(tables: Mapping[Path, pd.DataFrame]) -> None:
    """Write every table as Parquet with its SHA-256 sidecar, all at once
    (:func:`~analysis.study.provenance.write_paths_atomically`): no file is ever seen half
    written, and a set read while it is being replaced fails its check and is computed again."""
    files: dict[Path, bytes] = {}
    for cached, table in tables.items():
        buffer = io.BytesIO()
        table.to_parquet(buffer, index=False)
        data = buffer.getvalue()
        files[cached] = data
        files[check_file(cached)] = json_bytes({"sha256": sha256_bytes(data), "rows": len(table)})
    write_paths_atomically(files)
