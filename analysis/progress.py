"""Progress: bars on a terminal, one line per stage in a log, nothing in a notebook.

Where standard error is a terminal (and not CI), long loops show a tqdm bar. Where it is not (a
log file, a pipe, a batch job), each stage prints one line when it ends, with its count and
elapsed time, so a user following the log sees where the time goes::

    framing: loaded 150 articles, 2,911 sentences (0.4 s)
    framing: topic quality: 14 models in 41.2 s
    framing: figure 12/22 topic_quality (41.9 s)

``FRAMING_PROGRESS`` overrides the choice: ``bar``, ``log`` or ``off``. In a Jupyter kernel the
default is ``off`` (the notebook shows its own outputs).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")

#: The values of the ``FRAMING_PROGRESS`` environment variable.
MODES = ("bar", "log", "off")
#: The prefix of every log line, so the lines can be told from a command's own output.
PREFIX = "framing: "


def progress_mode() -> str:
    """``"bar"``, ``"log"`` or ``"off"``: ``FRAMING_PROGRESS`` when set to one of them; else
    bars on a terminal outside CI, nothing on a terminal in CI or in a Jupyter kernel, and log
    lines otherwise."""
    chosen = os.environ.get("FRAMING_PROGRESS", "").strip().lower()
    if chosen in MODES:
        return chosen
    if "ipykernel" in sys.modules:
        return "off"
    if sys.stderr.isatty():
        return "off" if os.environ.get("CI") else "bar"
    return "log"


def progress_enabled() -> bool:
    """True when progress is shown as bars (see :func:`progress_mode`)."""
    return progress_mode() == "bar"


def log_line(message: str) -> None:
    """Print ``message`` as one progress line on standard error, in log mode only."""
    if progress_mode() == "log":
        print(PREFIX + message, file=sys.stderr, flush=True)


def seconds(started: float) -> str:
    """Elapsed time since ``started`` (a :func:`time.perf_counter` value), for a log line.

    >>> seconds(time.perf_counter())
    '0.0 s'
    """
    return f"{time.perf_counter() - started:.1f} s"


def _plural(count: int, unit: str) -> str:
    return f"{count:,} {unit}" + ("" if count == 1 or unit.endswith("s") else "s")


def progress(
    items: Iterable[T], *, desc: str, unit: str = "it", total: int | None = None
) -> Iterator[T]:
    """Iterate over ``items``: with a tqdm bar on a terminal, and in log mode with one line
    when the loop ends (``desc: N units in T s``); see :func:`progress_mode`."""
    mode = progress_mode()
    if mode == "bar":
        yield from tqdm(items, desc=desc, unit=unit, total=total, leave=False)
        return
    started = time.perf_counter()
    count = 0
    for item in items:
        count += 1
        yield item
    if mode == "log":
        log_line(f"{desc}: {_plural(count, unit)} in {seconds(started)}")
