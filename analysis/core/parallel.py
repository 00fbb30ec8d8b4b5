"""One way to run a function over many calls in worker processes, in order, in flat memory.

The corpus-level stages (cleaning and measuring chunks, analysing topic texts, verifying
candidate pairs of shared text) all go through :func:`ordered_map`, or through another
:class:`Mapper` with its signature (a Dask cluster: :class:`analysis.run.dask.DaskMapper`);
loops over a loaded corpus's sentences or articles split into runs go through
:func:`map_runs`, which calls :func:`ordered_map`.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any, Protocol

#: Seconds between a worker's checks that the process that started it is still alive.
PARENT_CHECK_SECONDS = 0.5


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's (the pid was reused): gone for us
        return False
    return True


def _watch_parent(parent: int) -> None:
    """End this worker as soon as ``parent`` (the process that made the pool) is gone:
    killed (SIGKILL too, which no handler sees) or ended without shutting the pool down.
    Runs in a daemon thread of the worker."""
    started_under = os.getppid()
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != started_under or not _alive(parent):
            os._exit(1)


def _start_worker(parent: int, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    """Every worker's initializer: watch the parent, then run the caller's initializer."""
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


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
    ``workers`` > 1. Workers die with this process: each checks every
    :data:`PARENT_CHECK_SECONDS` that it is alive and ends when it is not, so a run killed
    (SIGTERM, SIGKILL) leaves no worker behind.

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
    # the objects that exist now are left out of the workers' garbage collections: a full
    # collection writes into every object it scans, so a worker would copy every memory page
    # of its parent's objects that it inherited (and shared until then)
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            initializer=_start_worker,
            initargs=(os.getpid(), initializer, initargs),
        ) as pool:
            pending: deque[Future] = deque()
            for call in calls:
                pending.append(pool.submit(function, *call))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        gc.unfreeze()


@contextmanager
def side_process() -> Iterator[Executor]:
    """One worker process, started now, for work that runs beside this process's own (figures
    drawn while the next table is computed: :func:`analysis.outputs.figures.build_all`); it
    dies with this process, as :func:`ordered_map`'s workers do. Start it before this process
    holds much: where worker processes are forked (Linux), what this process holds then is
    shared with it, and nothing it allocates later is. On leaving, work not yet started is
    cancelled and the process stopped."""
    pool = ProcessPoolExecutor(
        max_workers=1, initializer=_start_worker, initargs=(os.getpid(), None, ())
    )
    try:
        pool.submit(int).result()  # the process starts now, not at the first real call
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: What :func:`map_runs` gives each worker process at its start, inherited when it is forked.
_HELD: tuple = ()


def _hold(*values: Any) -> None:
    global _HELD
    _HELD = values


def _run_with_held(function: Callable[..., Any], *parts: Any) -> Any:
    return function(*parts, *_HELD)


def map_runs(
    function: Callable[..., Any],
    columns: Sequence[Sequence],
    *,
    workers: int = 1,
    held: tuple = (),
    run_size: int = 2000,
) -> list[Any]:
    """``function(*parts, *held)`` for consecutive runs of the rows of ``columns`` (equally
    long sequences; ``parts``: each column's slice of the run), in order: one run of every row
    in this process when ``workers`` is 1, else runs of at most ``run_size`` rows, and at
    least two per worker, in ``workers`` processes (:func:`ordered_map`).

    Each run's slices are sent to the worker that takes it, and freed with the run, so a
    worker holds one run's data at a time; ``held`` is given to each worker once, when it
    starts (inherited when it is forked). Which keeps memory lower was measured, not assumed:
    a worker reading inherited objects copies every memory page holding one (Python writes
    reference counts into the objects it reads), while sending costs pickled copies; on 10,000
    AllSides articles the frame indicators peaked lower with their texts sent, tone with its
    texts held and each run given its row numbers (benchmarks/RESULTS.md). ``function`` must be
    a module-level function, and its results picklable.

    For loops over sentences or articles that treat each one alone: the results of the runs,
    concatenated in order, are those of one run over all of them.

    Examples
    --------
    >>> map_runs(lambda letters, numbers, end: letters + str(sum(numbers)) + end,
    ...          ["abc", [1, 2, 3]], held=("!",))
    ['abc6!']
    """
    if workers < 1:
        raise ValueError(f"workers must be a positive number, not {workers}")
    n_items = len(columns[0]) if columns else 0
    if workers == 1 or n_items < 2:
        return [function(*columns, *held)]
    n_runs = max(-(-n_items // run_size), min(n_items, 2 * workers))
    bounds = [n_items * run // n_runs for run in range(n_runs + 1)]
    calls = (
        (function, *(column[lo:hi] for column in columns))
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    )
    return list(
        ordered_map(_run_with_held, calls, workers=workers, initializer=_hold, initargs=held)
    )


class Mapper(Protocol):
    """A way to run ``function(*call)`` for every call with results in the order of ``calls``:
    :func:`ordered_map` with a number of workers (:func:`local_mapper`), or a Dask cluster
    (:class:`analysis.run.dask.DaskMapper`). ``initializer(*initargs)`` runs once in each worker
    that runs a call, before it."""

    def __call__(
        self,
        function: Callable[..., Any],
        calls: Iterable[tuple],
        *,
        initializer: Callable[..., None] | None = None,
        initargs: tuple = (),
    ) -> Iterator[Any]:
        """``function(*call)`` for every call, in order."""
        ...


def local_mapper(workers: int = 1) -> Mapper:
    """:func:`ordered_map` on ``workers`` local processes (1: in this process), as a
    :class:`Mapper`.

    Examples
    --------
    >>> list(local_mapper(1)(divmod, [(7, 2), (9, 4)]))
    [(3, 1), (2, 1)]
    """
    if workers < 1:
        raise ValueError(f"workers must be a positive number, not {workers}")
    return partial(ordered_map, workers=workers)
