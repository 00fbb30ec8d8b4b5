"""Work on a Dask cluster: a local one (``local:N``) or a scheduler's address.

:func:`dask_client` connects (or starts and stops a local cluster); :class:`DaskMapper` runs
calls on it as :func:`analysis.core.parallel.ordered_map` runs them on local processes, with the
results in the order of the calls, so every stage that takes a
:class:`~analysis.core.parallel.Mapper` (cleaning chunks, measuring chunks, verifying candidate
pairs of shared text, analysing topic texts) gives the same results on either.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd

from analysis.core.errors import InputError
from analysis.core.progress import progress
from analysis.run.cache import measure_cached


@contextmanager
def dask_client(address: str) -> Iterator[Any]:
    """A :class:`dask.distributed.Client` of the cluster at ``address``, closed on leaving.

    ``local:N`` starts a local cluster of N single-threaded worker processes here, and stops it
    on leaving; any other address (``tcp://host:8786``) is an existing scheduler's.
    :class:`InputError` when dask.distributed is missing or the scheduler cannot be reached.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask needs dask.distributed: pip install 'dask[distributed]'") from None
    if address.startswith("local:"):
        workers = address.removeprefix("local:")
        if not workers.isdigit() or int(workers) < 1:
            raise InputError(f"--dask: {address!r}: give local:N with N 1 or more processes")
        cluster = LocalCluster(
            n_workers=int(workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        try:
            cluster, client = None, Client(address, timeout=30)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"--dask: cannot reach a scheduler at {address!r} ({exc})") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def dask_mapper(address: str | None) -> Iterator[DaskMapper | None]:
    """A :class:`DaskMapper` on the cluster at ``address`` (see :func:`dask_client`) while in
    the block, or ``None`` without an address (the stages then use local processes)."""
    if address is None:
        yield None
        return
    with dask_client(address) as client:
        yield DaskMapper(client)


class DaskMapper:
    """``function(*call)`` for every call on a Dask cluster, results in the order of the calls
    (an :class:`~analysis.core.parallel.Mapper`, like :func:`~analysis.core.parallel.ordered_map`).

    At most two calls per worker are submitted ahead of the result being yielded, so memory
    stays flat however many calls there are. ``initargs`` are sent to every worker once
    (scattered) and ``initializer(*initargs)`` runs in a worker process before the first call
    it runs; calls that share the initializer's state run one at a time in a worker process
    (start workers with one thread each, ``--nthreads 1``, and as many as there are cores).
    """

    def __init__(self, client: Any):
        self.client = client

    def __call__(
        self,
        function: Callable[..., Any],
        calls: Iterable[tuple],
        *,
        initializer: Callable[..., None] | None = None,
        initargs: tuple = (),
    ) -> Iterator[Any]:
        """``function(*call)`` for every call, in order, computed on the cluster."""
        state = None
        if initializer is not None:
            [state] = self.client.scatter([initargs], broadcast=True, hash=False)
        in_flight = 2 * max(1, len(self.client.scheduler_info()["workers"]))
        pending: deque = deque()
        try:
            for call in calls:
                pending.append(
                    self.client.submit(_run_call, function, initializer, state, call, pure=False)
                )
                if len(pending) >= in_flight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
            if state is not None:
                state.release()


#: The initializer arguments this worker process was last started with (an object of the
#: worker's memory: the same object for every call that shares them), and a lock that runs
#: such calls one at a time in a worker with several threads.
_STARTED: list[Any] = [None]
_LOCK = threading.Lock()


def _run_call(
    function: Callable[..., Any],
    initializer: Callable[..., None] | None,
    initargs: tuple | None,
    call: tuple,
) -> Any:
    """One call in a Dask worker, after ``initializer(*initargs)`` if this process has not run
    it with these very arguments."""
    if initializer is None:
        return function(*call)
    with _LOCK:
        if _STARTED[0] is not initargs:
            initializer(*initargs)
            _STARTED[0] = initargs
        return function(*call)


def run_dask(calls: Iterable[tuple], address: str, bar: dict) -> list[pd.DataFrame]:
    """The results of :func:`~analysis.run.cache.measure_cached` for every call, in order, on the
    Dask cluster at ``address`` (``local:N``: N local single-threaded processes, started and
    stopped here); ``bar``: the progress bar's options."""
    with dask_client(address) as client:
        return list(progress(DaskMapper(client)(measure_cached, calls), **bar))
