"""Scale benchmark on the AllSides corpus: import and chunked measures of all 37.5k articles,
peak memory as the run proceeds, and Dask with 2 local workers against 1.

Usage: python benchmarks/scale.py [--articles N] [--workers 2] [--dask-articles 2000] [--pipeline]
       python benchmarks/scale.py --figures-articles 2000 5000 [--workers 2]
       python benchmarks/scale.py --scaling 5000 10000 20000 37554 [--workers 2] [--cache]
           [--with-figures]
       add --keep DIR to keep the imported corpora and the outputs (figures ...) in DIR

Each step runs the real command line (``framing import``, ``framing run``) in a subprocess.
Memory is the proportional set size summed over the process tree (the command and its
workers; pages shared after ``fork`` count once), sampled twice a second; during ``framing
run`` the number of articles done is read from its chunk cache, so one run gives the peak
memory reached by 5k, 10k, 20k ... articles. Prints lines in the format of
benchmarks/RESULTS.md. With ``--pipeline`` the whole pipeline is timed, stage by
stage, as a user runs it: ``framing import``, ``framing reuse --sentences``, ``framing run
--reuse-sentences`` (own-text columns) and ``framing topics`` (k = 20, minibatch). With
``--figures-articles`` it times only ``framing figures --corpus`` (every study figure, the
whole corpus in memory) on the first N articles of the imported corpus, for each N, and stops.
With ``--scaling`` it runs the pipeline (import, reuse, run with own text, topics with the
default solver) on the first N articles for each N, prints one Markdown row per stage and size
(wall time, peak Pss, the machine's mean one-minute load while the stage ran) and writes them to
``scaling.json`` in the scratch folder, then stops; with ``--cache`` as well, reuse, run and
topics share one ``--cache`` folder (the corpus cleaned and split once, as the README advises);
with ``--with-figures`` too, ``framing figures --corpus`` is the last stage (with the same cache
folder under ``--cache``, so it reads the shared text that ``framing reuse`` found).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.core.config import SHARED_DATA_DIR
from analysis.io.checks import CONTROL_CHARACTERS

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"
CHECKPOINTS = (5000, 10000, 20000, 30000, 37554)


def tree_memory_mb(pid: int) -> float:
    """Memory (MB) of a process and all its descendants: the sum of their proportional set
    sizes (``Pss`` in /proc/PID/smaps_rollup), so that pages a forked worker still shares with
    its parent count once, split between them, rather than once per process as summed resident
    memory would count them."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


LOADS: list[float] = []


def timed(
    command: list[str], cache: Path | None = None, chunk: int = 500
) -> tuple[float, float, dict]:
    """Wall seconds, peak tree memory (MB), and peak memory by articles done (from the cache).

    The machine's one-minute load average, sampled with the memory, is left in ``LOADS``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak, by_done = 0.0, {}
    LOADS.clear()
    while process.poll() is None:
        memory = tree_memory_mb(process.pid)
        peak = max(peak, memory)
        LOADS.append(os.getloadavg()[0])
        if cache is not None and cache.is_dir():
            done = len(list(cache.glob("*.parquet"))) * chunk
            by_done[done] = max(by_done.get(done, 0.0), memory)
        time.sleep(0.5)
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, peak, by_done


def mean_load() -> float:
    """The mean one-minute load average over the last ``timed`` command."""
    return sum(LOADS) / len(LOADS) if LOADS else float("nan")


def pipeline_commands(
    framing: list[str], corpus: Path, out: Path, workers: int
) -> dict[str, list[str]]:
    """The pipeline after import, as a user runs it, each stage's command by name."""
    workers_option = ["--workers", str(workers)]
    reuse_sentences = out / "reuse_sentences.csv"
    return {
        "reuse": [
            *framing,
            "reuse",
            str(corpus),
            "--out",
            str(out / "pairs.csv"),
            "--sentences",
            str(reuse_sentences),
            *workers_option,
        ],
        "run": [
            *framing,
            "run",
            str(corpus),
            "--out",
            str(out / "run"),
            "--reuse-sentences",
            str(reuse_sentences),
            *workers_option,
        ],
        "topics": [
            *framing,
            "topics",
            str(corpus),
            "-k",
            "20",
            "--out",
            str(out / "topics"),
            *workers_option,
        ],
    }


def time_scaling(
    framing: list[str],
    scratch: Path,
    sizes: list[int],
    workers: int,
    cache: bool = False,
    figures: bool = False,
) -> None:
    """Time every pipeline stage on the first N AllSides articles, for each N; with ``cache``,
    reuse, run and topics share one ``--cache`` folder, as the README's pipeline does; with
    ``figures``, ``framing figures --corpus`` (every study figure for the corpus) is the last
    stage, with the same cache folder when there is one."""
    rows = []
    print("| articles | stage | wall time (s) | peak memory (tree, Pss, MB) | mean load |")
    print("|---:|---|---:|---:|---:|")
    for size in sizes:
        out = scratch / f"scaling{size}"
        out.mkdir(parents=True, exist_ok=True)
        corpus = out / "corpus.parquet"
        source = first_articles(out / "first.csv", size)
        commands = {"import": import_command(framing, source, corpus)}
        commands.update(pipeline_commands(framing, corpus, out, workers))
        if figures:
            commands["figures"] = [
                *framing,
                "figures",
                "--corpus",
                str(corpus),
                "--out",
                str(out / "figures"),
                "--workers",
                str(workers),
                "--force",
            ]
        if cache:
            for stage in ("reuse", "run", "topics", "figures"):
                if stage in commands:
                    commands[stage] += ["--cache", str(out / "cache")]
        for stage, command in commands.items():
            seconds, peak, _ = timed(command)
            row = {
                "articles": size,
                "stage": stage,
                "seconds": round(seconds, 1),
                "peak_mb": round(peak),
                "mean_load": round(mean_load(), 2),
            }
            rows.append(row)
            print(
                f"| {size:,} | {stage} | {seconds:,.1f} | {peak:,.0f} | {row['mean_load']:.2f} |",
                flush=True,
            )
        source.unlink()
        (scratch / "scaling.json").write_text(json.dumps(rows, indent=1) + "\n")


def first_articles(path: Path, size: int) -> Path:
    """Write the first ``size`` AllSides articles to the CSV file ``path``, without the control
    characters that ``framing import`` refuses (a few dozen rows have them); return it."""
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False, nrows=size)
    raw.replace(CONTROL_CHARACTERS.pattern, "", regex=True).to_csv(path, index=False)
    return path


def import_command(framing: list[str], source: Path, corpus: Path) -> list[str]:
    """``framing import`` of an AllSides CSV file into the Parquet file ``corpus``."""
    return [*framing, "import", str(source), "--out", str(corpus), "--domain-col", "source_url"]


def time_figures(framing: list[str], scratch: Path, sizes: list[int], workers: int) -> None:
    """Import the first N AllSides articles and time ``framing figures`` on them, per N."""
    for size in sizes:
        corpus = scratch / f"first{size}.parquet"
        timed(import_command(framing, first_articles(scratch / f"first{size}.csv", size), corpus))
        out = scratch / f"fig{size}"
        figures = [*framing, "figures", "--corpus", str(corpus), "--out", str(out)]
        seconds, peak, _ = timed([*figures, "--workers", str(workers)])
        print(
            f"figures, first {size} articles (--workers {workers}): {seconds:.1f} s, "
            f"peak {peak:.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=None, help="first N rows (default all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dask-articles", type=int, default=0)
    parser.add_argument(
        "--pipeline",
        action="store_true",
        help="also time framing reuse (before run, whose own-text columns use it) and topics",
    )
    parser.add_argument(
        "--figures-articles",
        type=int,
        nargs="+",
        default=[],
        help="only time framing figures on the first N articles, for each N",
    )
    parser.add_argument(
        "--scaling",
        type=int,
        nargs="+",
        default=[],
        help="only time the pipeline's stages on the first N articles, for each N",
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="with --scaling: reuse, run and topics share one --cache folder (cleaned once)",
    )
    parser.add_argument(
        "--with-figures",
        action="store_true",
        help="with --scaling: framing figures --corpus as the pipeline's last stage",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="write the imported corpora and outputs here and keep them (default: a temporary "
        "folder, removed at the end)",
    )
    args = parser.parse_args()
    framing = [sys.executable, "-m", "analysis"]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            scratch = args.keep
        if args.figures_articles:
            time_figures(framing, scratch, args.figures_articles, args.workers)
            return
        if args.scaling:
            time_scaling(
                framing, scratch, args.scaling, args.workers, args.cache, args.with_figures
            )
            return
        if args.dask_articles:
            subset = first_articles(scratch / "dask.csv", args.dask_articles)
            outputs, seconds = {}, {}
            for workers in (1, 2):
                out = scratch / f"dask{workers}"
                seconds[workers], _, _ = timed(
                    [
                        *framing,
                        "run",
                        str(subset),
                        "--out",
                        str(out),
                        "--no-cache",
                        "--domain-col",
                        "source_url",
                        "--dask",
                        f"local:{workers}",
                    ]
                )
                outputs[workers] = (out / "scores.csv").read_bytes()
                print(
                    f"dask local:{workers}, {args.dask_articles} articles: {seconds[workers]:.1f} s"
                )
            print(
                f"dask 2 vs 1 workers: {seconds[1] / seconds[2]:.2f}x, identical outputs "
                f"{outputs[1] == outputs[2]}"
            )
        source = ALLSIDES
        if args.articles:
            source = first_articles(scratch / "subset.csv", args.articles)
        corpus = scratch / "allsides.parquet"
        seconds, peak, _ = timed(import_command(framing, source, corpus))
        print(f"import: {seconds:.1f} s, peak {peak:.0f} MB")
        stages = {"import": (seconds, peak)}
        workers = ["--workers", str(args.workers)]
        own_text = []
        if args.pipeline:
            sentence_status = scratch / "reuse_sentences.csv"
            stages["reuse"] = timed(
                [
                    *framing,
                    "reuse",
                    str(corpus),
                    "--out",
                    str(scratch / "pairs.csv"),
                    "--sentences",
                    str(sentence_status),
                    *workers,
                ]
            )[:2]
            print(
                f"reuse (--workers {args.workers}): {stages['reuse'][0]:.1f} s, "
                f"peak {stages['reuse'][1]:.0f} MB"
            )
            own_text = ["--reuse-sentences", str(sentence_status)]
        out = scratch / "run"
        seconds, peak, by_done = timed(
            [*framing, "run", str(corpus), "--out", str(out), *workers, *own_text],
            cache=out / ".cache",
        )
        stages["run"] = (seconds, peak)
        print(
            f"run (--workers {args.workers}{', own text' if own_text else ''}): "
            f"{seconds:.1f} s, peak {peak:.0f} MB"
        )
        for checkpoint in CHECKPOINTS:
            reached = [rss for done, rss in by_done.items() if done <= checkpoint]
            if reached and max(by_done) >= checkpoint:
                print(f"  peak memory up to {checkpoint} articles: {max(reached):.0f} MB")
        scores = pd.read_parquet(out / "scores.parquet")
        print(f"  {len(scores)} articles, {int(scores['n_sentences'].sum())} sentences")
        if args.pipeline:
            stages["topics"] = timed(
                [
                    *framing,
                    "topics",
                    str(corpus),
                    "-k",
                    "20",
                    "--out",
                    str(scratch / "topics"),
                    "--batch-size",
                    "2048",
                    *workers,
                ]
            )[:2]
            print(
                f"topics (-k 20, minibatch): {stages['topics'][0]:.1f} s, "
                f"peak {stages['topics'][1]:.0f} MB"
            )
            total = sum(seconds for seconds, _ in stages.values())
            print(
                f"pipeline (import, reuse, run with own text, topics): {total:.1f} s "
                f"({total / 60:.1f} min), largest stage peak "
                f"{max(peak for _, peak in stages.values()):.0f} MB"
            )


if __name__ == "__main__":
    main()
