"""Where the memory of ``framing figures --corpus`` goes: a per-output memory timeline on the
first N AllSides articles (issue 22, item 5).

Usage::

    nice -n 19 .venv/bin/python -u benchmarks/figures_memory.py --articles 2000 10000 \\
        --workers 2 --scratch /tmp/figmem [--code DIR] [--label new]
    nice -n 19 .venv/bin/python -u benchmarks/figures_memory.py --articles 2000 --tables \\
        --scratch /tmp/figmem

For each N the first N AllSides articles are imported once (``framing import``, as
``benchmarks/scale.py`` does; kept as ``SCRATCH/firstN.parquet``), then ``framing figures
--corpus FILE --out SCRATCH/LABEL/figN --workers W --force`` runs in a subprocess with the code
of ``--code`` (a checkout of this repository; default: this one), so two versions can be
measured on the same corpus. Every second the proportional set size of its process tree
(``scale.tree_memory_mb``: the command and its workers, pages shared after ``fork`` counted
once) and the machine's one-minute load are sampled; each progress line the command prints
(``framing: figure 12/21 topic_quality: built (56.7 s)``) is timestamped as it arrives, which is
when that output's files were written. Written to ``SCRATCH/LABEL/figN/``: ``timeline.csv``
(seconds, Pss MB of the tree, load, Pss MB of the command's own process, the output being
built), ``outputs.csv`` (per output: when it started and was written, the tree's Pss at its
start and end, its peak and the command's own share of it: with workers forked, the pages
they share with it are split between them) and ``log.txt``; printed as Markdown.

With ``--tables`` the outputs are built in this process instead (no workers), one at a time,
and after each the script prints the process's resident memory and the size of every derived
table the study holds (``Study._derived``, pandas ``memory_usage(deep=True)``): which tables
are alive, and how large, when each output is written.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import first_articles, import_command, tree_memory_mb  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent
PREFIX = "framing: "


def imported(scratch: Path, size: int, python: str) -> Path:
    """The first ``size`` AllSides articles as a Parquet corpus in ``scratch`` (imported once)."""
    corpus = scratch / f"first{size}.parquet"
    if not corpus.exists():
        source = first_articles(scratch / f"first{size}.csv", size)
        command = import_command([python, "-m", "analysis"], source, corpus)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment(REPOSITORY))
        source.unlink()
    return corpus


def environment(code: Path) -> dict[str, str]:
    """The environment of a run of the code in ``code``: its package first, progress as log
    lines."""
    return {**os.environ, "PYTHONPATH": str(code), "FRAMING_PROGRESS": "log"}


def process_pss_mb(pid: int) -> float:
    """The proportional set size (MB) of the process ``pid`` alone (its workers left out)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def timeline(command: list[str], code: Path) -> tuple[list[tuple], list[tuple[float, str]]]:
    """Run ``command``; return the samples (seconds, Pss MB of the tree, load, Pss MB of the
    command's own process) taken every second and the
    progress lines (seconds, line) with the time each arrived."""
    start = time.perf_counter()
    process = subprocess.Popen(  # run in ``code``: ``-m`` puts the working folder first
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(code),
        cwd=code,
    )
    lines: list[tuple[float, str]] = []

    def read() -> None:
        for line in process.stderr:
            lines.append((time.perf_counter() - start, line.rstrip("\n")))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    samples = []
    while process.poll() is None:
        seconds = time.perf_counter() - start
        tree, own = tree_memory_mb(process.pid), process_pss_mb(process.pid)
        samples.append((seconds, tree, os.getloadavg()[0], own))
        time.sleep(1.0)
    reader.join()
    if process.returncode != 0:
        tail = "\n".join(line for _, line in lines[-5:])
        raise SystemExit(f"failed: {' '.join(command)}\n{tail}")
    return samples, lines


def per_output(samples: list[tuple], lines: list[tuple[float, str]]) -> list[dict]:
    """One row per stage: loading (until the ``loaded`` line), the tables computed before the
    outputs (``computed NAME first``), then each output from the end of the one before to its
    own ``figure i/n`` line; Pss at its start and end, and its peak."""
    ends = []
    for seconds, line in lines:
        text = line.removeprefix(PREFIX)
        if text.startswith("loaded "):
            ends.append(("loading, cleaning, splitting", seconds))
        elif text.startswith("computed ") and " first " in text:  # before the outputs
            ends.append((text.split(" ")[1] + " (computed first)", seconds))
        elif text.startswith("figure ") and ": " in text:
            ends.append((text.split(" ", 2)[2].split(":")[0], seconds))
    rows, begin = [], 0.0
    for name, end in ends:
        # from the last sample before the stage began to the first after it ended
        first = max([i for i, sample in enumerate(samples) if sample[0] <= begin] or [0])
        last = min([i for i, sample in enumerate(samples) if sample[0] >= end] or [-1])
        inside = samples[first : last + 1 if last >= 0 else None] or samples[-1:]
        peak = max(inside, key=lambda sample: sample[1])
        rows.append(
            {
                "output": name,
                "start_s": round(begin, 1),
                "written_s": round(end, 1),
                "pss_start_mb": round(samples[first][1]),
                "pss_end_mb": round(samples[max(first, last - 1) if last >= 0 else -1][1]),
                "peak_mb": round(peak[1]),
                "peak_own_mb": round(peak[3]),
            }
        )
        begin = end
    return rows


def stage_of(seconds: float, rows: list[dict]) -> str:
    """The stage running at ``seconds``."""
    return next((row["output"] for row in rows if seconds <= row["written_s"]), "finishing")


def run_size(args: argparse.Namespace, size: int) -> None:
    """The timeline of one build of the figures of the first ``size`` articles."""
    corpus = imported(args.scratch, size, sys.executable)
    out = args.scratch / args.label / f"fig{size}"
    out.mkdir(parents=True, exist_ok=True)
    figures = out / "figures"
    command = [sys.executable, "-m", "analysis", "figures", "--corpus", str(corpus.resolve())]
    command += ["--out", str(figures.resolve()), "--workers", str(args.workers), "--force"]
    if args.cache is not None:
        command += ["--cache", str(args.cache.resolve())]
    samples, lines = timeline(command, args.code.resolve())
    (out / "log.txt").write_text("".join(f"{t:8.1f} {line}\n" for t, line in lines))
    rows = per_output(samples, lines)
    with (out / "timeline.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["seconds", "pss_mb", "load", "own_pss_mb", "stage"])
        for seconds, pss, load, own in samples:
            writer.writerow(
                [f"{seconds:.1f}", f"{pss:.0f}", f"{load:.2f}", f"{own:.0f}"]
                + [stage_of(seconds, rows)]
            )
    with (out / "outputs.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    peak = max(sample[1] for sample in samples)
    load = sum(sample[2] for sample in samples) / len(samples)
    print(f"\nfirst {size:,} articles, {args.label}: {samples[-1][0]:,.0f} s, peak {peak:,.0f} MB")
    print(f"(mean one-minute load {load:.2f}; code {args.code})\n")
    print(
        "| stage | written at (s) | Pss at start (MB) | peak (MB) | main process's own Pss at "
        "the peak (MB) | Pss at end (MB) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['output']} | {row['written_s']:,.0f} | {row['pss_start_mb']:,} | "
            f"{row['peak_mb']:,} | {row['peak_own_mb']:,} | {row['pss_end_mb']:,} |",
            flush=True,
        )


def table_mb(value: object) -> float | None:
    """Deep size (MB) of a DataFrame, or of the DataFrames in a dataclass; ``None`` for other
    objects (models, codebooks)."""
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return value.memory_usage(deep=True).sum() / 2**20
    if dataclasses.is_dataclass(value):
        parts = [table_mb(getattr(value, f.name)) for f in dataclasses.fields(value)]
        return sum(part for part in parts if part is not None)
    return None


def resident_mb() -> float:
    """This process's resident memory (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def derived_tables(args: argparse.Namespace, size: int) -> None:
    """Build every output in this process; after each, resident memory and the study's tables."""
    from analysis.outputs.figures import REGISTRY
    from analysis.outputs.figures.registry import build_figure
    from analysis.study.load import load_study

    corpus = imported(args.scratch, size, sys.executable)
    out = args.scratch / args.label / f"tables{size}"
    study = load_study(corpus)
    base = {
        "articles": table_mb(study.articles),
        "sentences": table_mb(study.sentences),
        "cleaning_report": table_mb(study.cleaning_report),
    }
    print(
        f"\nfirst {size:,} articles loaded: {resident_mb():,.0f} MB resident; "
        + ", ".join(f"{name} {mb:,.0f} MB" for name, mb in base.items())
    )
    for name, spec in REGISTRY.items():
        started = time.perf_counter()
        build_figure(spec, study, out)
        held = {key: table_mb(value) for key, value in study._derived.items()}
        listed = ", ".join(f"{key} {mb:,.0f}" for key, mb in held.items() if mb and mb >= 1)
        total = sum(mb for mb in held.values() if mb)
        print(
            f"{name}: {time.perf_counter() - started:.0f} s, {resident_mb():,.0f} MB resident, "
            f"derived tables {total:,.0f} MB ({listed})",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", required=True, help="first N, each N")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scratch", type=Path, required=True, help="corpora and outputs here")
    parser.add_argument("--code", type=Path, default=REPOSITORY, help="checkout to measure")
    parser.add_argument("--label", default="run", help="subfolder of the outputs")
    parser.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="give framing figures this --cache folder (the cleaned corpus, the shared text)",
    )
    parser.add_argument(
        "--tables", action="store_true", help="in this process: derived tables after each output"
    )
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    for size in args.articles:
        (derived_tables if args.tables else run_size)(args, size)


if __name__ == "__main__":
    main()
