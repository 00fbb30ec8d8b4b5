"""Chunks measured on a Dask cluster: a local one (``local:N``) or a scheduler's address."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.core.errors import InputError
from analysis.core.progress import progress
from analysis.run.cache import measure_cached


def run_dask(calls: Iterable[tuple], address: str, bar: dict) -> list[pd.DataFrame]:
    """The results of :func:`~analysis.run.cache.measure_cached` for every call, in order, on the
    Dask cluster at ``address`` (``local:N``: N local single-threaded processes, started and
    stopped here); ``bar``: the progress bar's options."""
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
        in_flight = 2 * max(1, len(client.scheduler_info()["workers"]))
        pending, results = [], []
        for call in progress(calls, **bar):
            pending.append(client.submit(measure_cached, *call, pure=False))
            if len(pending) >= in_flight:
                results.append(pending.pop(0).result())
        results += [future.result() for future in pending]
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
