"""Clean once: ``framing reuse``, ``framing run --reuse-sentences`` and ``framing topics -k 20`` on
the first N AllSides articles (control characters, which the import refuses, removed), without a
cache, then with one shared ``--cache`` folder cold (empty: reuse cleans, run and topics read
its blocks) and warm (every block there already).

Usage: python benchmarks/clean_once.py [--articles 2000] [--workers 2] [--keep DIR]

Each command runs as a user runs it, in a subprocess, with ``FRAMING_PROGRESS=log``. Prints, per
mode and command, the wall time and the seconds spent reading, cleaning and splitting: the log
line of ``reuse`` ("read, cleaned and split ... (X s ...)"), the ``seconds`` of the topics run
record; ``run`` cleans inside each chunk's measuring, so its cleaning is the difference of its
wall time without a cache and with the blocks cached. Then checks that every output is the
same, byte for byte, in the three modes (the topics record without its timings, run.json with
the output folder's name masked), and how many of the corpus's blocks ``framing figures
--corpus`` would find in the cache (keys only, no cleaning).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.core.config import SHARED_DATA_DIR
from analysis.io.checks import CONTROL_CHARACTERS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import pipeline_commands  # noqa: E402

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"
MODES = ("none", "cold", "warm")
_CLEANING_LINE = re.compile(r"read, cleaned and split [\d,]+ articles in \d+ chunks? \(([\d.]+) s")


def commands(framing: list[str], corpus: Path, out: Path, workers: int, cache: Path | None):
    """The three commands of one mode, by name: the pipeline's (``scale.pipeline_commands``)
    with ``--cache CACHE``; ``cache`` ``None``: no cache (``run --no-cache``)."""
    cache_option = ["--cache", str(cache)] if cache is not None else []
    return {
        name: [*command, *(cache_option or (["--no-cache"] if name == "run" else []))]
        for name, command in pipeline_commands(framing, corpus, out, workers).items()
    }


def timed(command: list[str]) -> tuple[float, str]:
    """Wall seconds of a command and its standard error (its log lines)."""
    started = time.perf_counter()
    environment = {**os.environ, "FRAMING_PROGRESS": "log"}
    done = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment
    )
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr}")
    return time.perf_counter() - started, done.stderr


def cleaning_seconds(name: str, log: str, out: Path) -> str:
    """Seconds spent reading, cleaning and splitting, as the command reported them."""
    if name == "topics":
        record = json.loads((out / "topics" / "topics_run.json").read_text())
        return f"{record['seconds']['reading_cleaning_splitting']:.1f}"
    found = _CLEANING_LINE.search(log)
    return found.group(1) if found else "in measuring"


def output_files(out: Path) -> dict[str, bytes]:
    """Every output's bytes (no cache files), timings and the folder's name masked."""
    files = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file() or ".cache" in path.parts:
            continue
        data = path.read_bytes().replace(str(out).encode(), b"OUT")
        if path.name == "topics_run.json":
            data = json.dumps({**json.loads(data), "seconds": None}).encode()
        files[str(path.relative_to(out))] = data
    return files


def blocks_found(corpus: Path, cache: Path) -> tuple[int, int]:
    """The blocks of the corpus as ``framing figures --corpus`` loads it (the whole corpus, cut
    every BLOCK_SIZE articles) whose files are in ``cache``, and the number of blocks."""
    from analysis.io.corpus import load_corpus
    from analysis.run.sentences import BLOCK_SIZE, block_key, block_paths, cleaning_settings

    articles, settings = load_corpus(corpus), cleaning_settings()
    starts = range(0, len(articles), BLOCK_SIZE)
    found = sum(
        all(
            path.is_file()
            for path in block_paths(
                cache, block_key(articles.iloc[start : start + BLOCK_SIZE], settings)
            ).values()
        )
        for start in starts
    )
    return found, len(starts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="keep the corpus, cache and outputs here")
    args = parser.parse_args()
    framing = [sys.executable, "-m", "analysis"]
    with tempfile.TemporaryDirectory() as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        import pandas as pd

        source, corpus = scratch / "first.csv", scratch / "corpus.parquet"
        table = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False, nrows=args.articles)
        table.replace(CONTROL_CHARACTERS.pattern, "", regex=True).to_csv(source, index=False)
        seconds, _ = timed(
            [*framing, "import", str(source), "--out", str(corpus), "--domain-col", "source_url"]
        )
        source.unlink()
        print(f"imported {args.articles:,} articles in {seconds:.1f} s; load {os.getloadavg()}")
        print("| mode | command | wall time (s) | reading, cleaning, splitting (s) |")
        print("|---|---|---:|---:|")
        cache = scratch / "cache"
        totals, outputs = {}, {}
        for mode in MODES:
            out = scratch / mode
            steps = commands(framing, corpus, out, args.workers, None if mode == "none" else cache)
            totals[mode] = 0.0
            for name, command in steps.items():
                seconds, log = timed(command)
                totals[mode] += seconds
                cleaning = cleaning_seconds(name, log, out)
                print(f"| {mode} | {name} | {seconds:.1f} | {cleaning} |", flush=True)
            outputs[mode] = output_files(out)
        for mode in MODES:
            print(f"total {mode}: {totals[mode]:.1f} s")
        same = all(outputs[mode] == outputs["none"] for mode in MODES)
        print(f"outputs identical in the three modes ({len(outputs['none'])} files): {same}")
        size = sum(path.stat().st_size for path in (cache / "sentences").iterdir())
        found, blocks = blocks_found(corpus, cache)
        print(
            f"cleaned blocks in the cache: {size / 1e6:.1f} MB; framing figures --corpus "
            f"would read {found} of {blocks} blocks; load {os.getloadavg()}"
        )


if __name__ == "__main__":
    main()
