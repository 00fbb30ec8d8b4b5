"""Progress: bars on a terminal, one line per stage in a log, nothing in a notebook.

Where standard error is a terminal (and not CI), long loops show a tqdm bar. Where it is not (a
log file, a pipe, a batch job), the stages of building figures and reports print one line each
(:func:`log_line`) with their counts and elapsed time, so a user following the log sees where
the time goes::

    framing: loaded 150 articles, 2,515 sentences (0.2 s)
    framing: choosing k (nmf): 7 values of k on 619 units, 36 model fits in 21.9 s
    framing: figure 12/21 topic_quality: built (56.7 s)

Loops that read and check input (chunks of a corpus) print nothing in a log: a command that
then stops on bad input leaves its one error line alone on standard error.

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


def progress(
    items: Iterable[T], *, desc: str, unit: str = "it", total: int | None = None
) -> Iterator[T]:
    """Iterate over ``items`` with a tqdm bar on a terminal (see :func:`progress_mode`); in a
    log, stages say what they did with :func:`log_line`."""
    if progress_mode() == "bar":
        yield from tqdm(items, desc=desc, unit=unit, total=total, leave=False)
    else:
        yield from items
