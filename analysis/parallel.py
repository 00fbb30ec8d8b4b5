"""One way to run a function over many calls in worker processes, in order, in flat memory.

The corpus-level stages (cleaning and measuring chunks, analysing topic texts, verifying
candidate pairs of shared text) all go through :func:`ordered_map`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any


def ordered_map(
    function: Callable[..., Any],
    calls: Iterable[tuple],
    *,
    workers: int = 1,
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
) -> Iterator[Any]:
    """``function(*call)`` for every argument tuple in ``calls``, yielded in the order of
    ``calls``.

    With ``workers`` = 1 each call runs in this process when its result is asked for. With
    more, the calls run in that many worker processes (each started with
    ``initializer(*initargs)``, which runs only in the workers), and at most ``2 * workers``
    calls are submitted ahead of the result being yielded, so that memory stays flat however
    many calls there are. ``function`` and the calls' arguments must be picklable when
    ``workers`` > 1.

    Examples
    --------
    >>> list(ordered_map(divmod, [(7, 2), (9, 4)]))
    [(3, 1), (2, 1)]
    """
    if workers < 1:
        raise ValueError(f"workers must be a positive number, not {workers}")
    if workers == 1:
        for call in calls:
            yield function(*call)
        return
    with ProcessPoolExecutor(
        max_workers=workers, initializer=initializer, initargs=initargs
    ) as pool:
        pending: deque[Future] = deque()
        for call in calls:
            pending.append(pool.submit(function, *call))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
