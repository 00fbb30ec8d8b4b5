"""Benchmark: ``framing run``, ``reuse`` and ``topics`` on a local Dask cluster of one worker
against two (issue 22, item 6: target two workers at least 1.7 times as fast as one).

Usage::

    .venv/bin/python benchmarks/dask_stages.py [--n-articles 5000] [--repeats 1]
        [--stages run reuse topics] [--chunk-size 500] [--k 20] [--scratch DIR]

It writes the first ``--n-articles`` AllSides articles (``../shared/data``, control characters
that ``framing import`` refuses removed) to a CSV file, imports them with ``framing import``,
then times each command as a user runs it, in a subprocess, with ``--dask local:1`` and
``--dask local:2`` (each command starts and stops its own local cluster, which is counted):

* ``framing run CORPUS --out DIR --no-cache --dask ...``
* ``framing reuse CORPUS --out pairs.csv --sentences s.csv --articles a.csv --dask ...``
* ``framing topics CORPUS --out DIR -k K --dask ...``

all with ``--chunk-size`` (500 by default for every command: the chunks are the cleaning
tasks, and 5,000 articles in the reuse and topics default of 2,000 make only three). The runs
are interleaved: within a repeat each stage runs its two configurations back to back, in
alternating order (local:2 first for run and topics, local:1 first for reuse; reversed in the
next repeat), so that a change in the load of a shared machine falls on both. Each run records
its wall seconds, its CPU seconds (the command and its Dask processes: on a machine shared
with other work, the CPU a configuration got is as telling as its wall time) and the 1-minute
load average when it started; the outputs of the two
configurations are compared byte for byte (``topics_run.json`` without its timings). Prints a
markdown table: per stage the fastest wall time of each configuration and the ratio.

Before and after the stages it runs a control, which says what the machine gave: 8 tasks of
one CPU-second each (a busy loop, no data) through the same ``DaskMapper`` on ``local:1`` and
``local:2`` (an idle 2-core machine: about 8 s and 4 s, a ratio near 2).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from analysis.core.config import SHARED_DATA_DIR
from analysis.io.checks import CONTROL_CHARACTERS

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"
FRAMING = [sys.executable, "-m", "analysis"]
CONFIGURATIONS = ("local:1", "local:2")


def prepare(scratch: Path, n_articles: int) -> Path:
    """The first ``n_articles`` AllSides articles imported as ``framing import`` does."""
    corpus = scratch / f"first{n_articles}.parquet"
    if corpus.exists():
        return corpus
    source = scratch / f"first{n_articles}.csv"
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False, nrows=n_articles)
    raw.replace(CONTROL_CHARACTERS.pattern, "", regex=True).to_csv(source, index=False)
    command = [*FRAMING, "import", str(source), "--out", str(corpus), "--domain-col", "source_url"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return corpus


def command(stage: str, corpus: Path, out: Path, args: argparse.Namespace) -> list[str]:
    """The command line of ``stage`` writing into ``out`` (without ``--dask``)."""
    common = ["--chunk-size", str(args.chunk_size)]
    if stage == "run":
        return [*FRAMING, "run", str(corpus), "--out", str(out), "--no-cache", *common]
    if stage == "reuse":
        files = ["--out", str(out / "pairs.csv"), "--sentences", str(out / "sentences.csv")]
        return [
            *FRAMING,
            "reuse",
            str(corpus),
            *files,
            "--articles",
            str(out / "articles.csv"),
            *common,
        ]
    return [*FRAMING, "topics", str(corpus), "--out", str(out), "-k", str(args.k), *common]


def children_cpu() -> float:
    """User and system CPU seconds of the finished child processes so far (a command, its
    Dask nannies and workers, which each wait for theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def outputs(out: Path) -> dict[str, bytes]:
    """Every file a run wrote (``topics_run.json`` without its timings)."""
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and ".cache" not in path.parts:
            content = path.read_bytes()
            if path.name == "topics_run.json":
                record = json.loads(content)
                record.pop("seconds")
                content = json.dumps(record, sort_keys=True).encode()
            found[path.name] = content
    return found


def busy(seconds: float) -> float:
    """Spin the CPU for ``seconds`` of this process's CPU time (the control's task)."""
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return seconds


def control(tasks: int = 8) -> dict[str, float]:
    """Wall seconds of ``tasks`` one-CPU-second tasks on ``local:1`` and on ``local:2``
    (cluster start and stop not counted)."""
    from analysis.run.dask import dask_mapper

    seconds = {}
    for address in CONFIGURATIONS:
        with dask_mapper(address) as mapper:
            list(mapper(busy, [(0.05,)] * 2))  # workers started and warm
            started = time.perf_counter()
            list(mapper(busy, [(1.0,)] * tasks))
            seconds[address] = time.perf_counter() - started
    one, two = seconds[CONFIGURATIONS[0]], seconds[CONFIGURATIONS[1]]
    print(
        f"control: {tasks} one-CPU-second tasks, local:1 {one:.1f} s, local:2 {two:.1f} s, "
        f"ratio {one / two:.2f} (load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-articles", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--stages", nargs="+", default=["run", "reuse", "topics"])
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/dask_stages"))
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    corpus = prepare(args.scratch, args.n_articles)
    control()
    rows = []
    for repeat in range(args.repeats):
        for number, stage in enumerate(args.stages):
            order = list(CONFIGURATIONS)
            if (number + repeat) % 2 == 0:
                order.reverse()
            written = {}
            for address in order:
                out = args.scratch / f"{stage}_{address.replace(':', '')}_{repeat}"
                out.mkdir(parents=True, exist_ok=True)
                load = os.getloadavg()[0]
                cpu_before = children_cpu()
                started = time.perf_counter()
                subprocess.run(
                    [*command(stage, corpus, out, args), "--dask", address],
                    check=True,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                seconds = time.perf_counter() - started
                cpu = children_cpu() - cpu_before
                written[address] = outputs(out)
                rows.append(
                    {
                        "repeat": repeat + 1,
                        "stage": stage,
                        "dask": address,
                        "seconds": seconds,
                        "cpu": cpu,
                        "load": load,
                    }
                )
                print(
                    f"repeat {repeat + 1}, {stage}, --dask {address}: {seconds:.1f} s, "
                    f"CPU {cpu:.1f} s (load {load:.1f})",
                    flush=True,
                )
            same = written[CONFIGURATIONS[0]] == written[CONFIGURATIONS[1]]
            print(f"  {stage}: outputs identical: {same} ({len(written[order[0]])} files)")
            rows[-1]["identical"] = rows[-2]["identical"] = same
    control()
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    best = table.loc[table.groupby(["stage", "dask"])["seconds"].idxmin()].set_index(
        ["stage", "dask"]
    )
    print(
        f"\n| stage ({args.n_articles:,} articles) | local:1 wall s | local:2 wall s "
        "| local:1 / local:2 | CPU s, local:1 / local:2 | load at start |"
    )
    print("|---|---:|---:|---:|---|---|")
    for stage in args.stages:
        one, two = best.loc[(stage, "local:1")], best.loc[(stage, "local:2")]
        print(
            f"| {stage} | {one.seconds:.1f} | {two.seconds:.1f} | {one.seconds / two.seconds:.2f} "
            f"| {one.cpu:.0f} / {two.cpu:.0f} | {one.load:.1f} / {two.load:.1f} |"
        )


if __name__ == "__main__":
    main()
