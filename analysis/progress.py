"""Progress bars on a terminal, silence in logs and CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress_enabled() -> bool:
    """True when standard error is a terminal and we are not in CI."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(
    items: Iterable[T], *, desc: str, unit: str = "it", total: int | None = None
) -> Iterator[T]:
    """Wrap ``items`` in a tqdm bar shown only on a terminal (see :func:`progress_enabled`)."""
    return iter(
        tqdm(items, desc=desc, unit=unit, total=total, disable=not progress_enabled(), leave=False)
    )
