"""Benchmark: shared text between articles on the AllSides corpus (Baly et al. 2020).

Runs :func:`analysis.reuse.detect_reuse` with MinHash-LSH candidates on
``../shared/data/allsides_baly2020.csv.xz`` (37,554 articles; all of them by default) and
prints wall time per stage, peak memory, candidate pairs against all pairs, and pairs found.
The texts are used as they are (no cleaning), split into sentences with
:func:`analysis.text.sentences.split_sentences`.

Usage::

    .venv/bin/python benchmarks/reuse_allsides.py [--limit N] [--workers N] [--out pairs.csv]

With ``--breakdown``, it also counts and times (CPU) the three kinds of work inside the
detector: making an article's features (tokens, shingles, TF-IDF vectors; in the preparing
stage and again whenever verification needs an article it no longer holds), screening a
block of candidate pairs at once, and comparing a pair exactly (one process
only: the counters live in this process).

To see what the LSH candidates miss, run the same articles both ways and compare the pair
tables (all pairs of 500 articles take a few minutes)::

    .venv/bin/python benchmarks/reuse_allsides.py --limit 500 --out lsh.csv
    .venv/bin/python benchmarks/reuse_allsides.py --limit 500 --method all_pairs --out all.csv
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from analysis.core.config import SHARED_DATA_DIR
from analysis.reuse import ReuseSettings, detect_reuse
from analysis.reuse import detect as reuse_detect
from analysis.reuse import verify as reuse_verify
from analysis.text.sentences import split_sentences

CORPUS = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_peak_memory_mb() -> float:
    """Largest peak resident memory of a finished worker process, in MB (0 without workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User and system CPU time of this process and its finished workers so far (wall time
    suffers on a busy machine)."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def count_and_time(breakdown: dict[str, list[float]], name: str, function):
    """``function``, wrapped to add one call and its CPU seconds to ``breakdown[name]``."""
    breakdown[name] = [0, 0.0]

    def wrapped(*args, **kwargs):
        started = time.process_time()
        result = function(*args, **kwargs)
        breakdown[name][0] += 1
        breakdown[name][1] += time.process_time() - started
        return result

    return wrapped


def read_articles(path: Path, limit: int | None) -> pd.DataFrame:
    """The corpus as an article table (doc_id, outlet, clean_text), first ``limit`` rows."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=limit)
    return pd.DataFrame({"doc_id": raw["id"], "outlet": raw["outlet"], "clean_text": raw["text"]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the AllSides .csv.xz")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--out", type=Path, default=None, help="write the pair table here")
    parser.add_argument(
        "--method", choices=["lsh", "all_pairs", "auto"], default="lsh", help="candidate pairs"
    )
    parser.add_argument("--workers", type=int, default=1, help="processes verifying pairs")
    parser.add_argument(
        "--breakdown", action="store_true", help="count and time features, screening, pairs"
    )
    arguments = parser.parse_args(argv)
    if arguments.breakdown and arguments.workers > 1:
        parser.error("--breakdown counts work in this process: use it with --workers 1")
    breakdown: dict[str, list[float]] = {}
    if arguments.breakdown:
        # each wrapped where it is called: features in the detector and the verifier
        for name, attribute, modules in [
            ("article features made", "_article_features", (reuse_detect, reuse_verify)),
            ("blocks of candidate pairs screened", "_may_share_block", (reuse_verify,)),
            ("pairs compared exactly", "_pair_rows", (reuse_verify,)),
        ]:
            wrapped = count_and_time(breakdown, name, getattr(modules[0], attribute))
            for module in modules:
                setattr(module, attribute, wrapped)
    if not arguments.corpus.exists():
        print(f"{arguments.corpus}: not found (set FRAMING_SHARED_DATA)", file=sys.stderr)
        return 2

    started = time.perf_counter()
    articles = read_articles(arguments.corpus, arguments.limit)
    read_seconds = time.perf_counter() - started
    print(
        f"read {len(articles):,} articles in {read_seconds:.1f} s; peak {peak_memory_mb():,.0f} MB"
    )

    started = time.perf_counter()
    sentences = split_sentences(articles).drop(columns=["text"])
    split_seconds = time.perf_counter() - started
    print(
        f"split into {len(sentences):,} sentences in {split_seconds:.1f} s; "
        f"peak {peak_memory_mb():,.0f} MB"
    )

    started = time.perf_counter()
    result = detect_reuse(
        articles,
        sentences,
        settings=ReuseSettings(),
        method=arguments.method,
        workers=arguments.workers,
    )
    reuse_seconds = time.perf_counter() - started
    summary = result.summary
    pairs = result.pairs
    print(f"reuse detection in {reuse_seconds:.1f} s; peak {peak_memory_mb():,.0f} MB")
    print(
        f"method: {summary['method']}; sketching and LSH {summary['seconds_preparing']:.1f} s, "
        f"verifying candidates {summary['seconds_verifying']:.1f} s; "
        f"{summary['template_sentences']:,} outlet template sentences left out"
    )
    if "lsh_bands" in summary:
        print(
            f"LSH: {summary['lsh_bands']} bands x {summary['lsh_rows']} rows; "
            f"{summary['sketched_sentences']:,} sentences sketched "
            f"({summary['common_words']:,} common words left out); "
            f"{summary['pairs_colliding_once_or_more']:,} pairs collide in a band at least once; "
            f"{summary['skipped_buckets']:,} oversized buckets skipped"
        )
    print(
        f"candidate pairs: {summary['n_candidate_pairs']:,} of {summary['n_all_pairs']:,} "
        f"({summary['n_candidate_pairs'] / max(summary['n_all_pairs'], 1):.5%})"
    )
    print(f"pairs found: {len(pairs):,} ({pairs['kind'].value_counts().to_dict()})")
    print(f"sentence matches: {len(result.matches):,}; verbatim passages: {len(result.passages):,}")
    same_outlet = (pairs["outlet_a"] == pairs["outlet_b"]).sum()
    print(f"pairs within one outlet: {same_outlet:,}; across outlets: {len(pairs) - same_outlet:,}")
    high = pairs[pairs[["share_a", "share_b"]].max(axis=1) >= 0.5]
    print(f"pairs where one article shares at least half its words: {len(high):,}")
    print(
        f"total {read_seconds + split_seconds + reuse_seconds:.1f} s wall, "
        f"{cpu_seconds():.1f} s CPU (with workers); peak memory {peak_memory_mb():,.0f} MB, "
        f"largest worker {worker_peak_memory_mb():,.0f} MB"
    )
    for name, (calls, seconds) in breakdown.items():
        print(f"{name}: {calls:,} calls, {seconds:.1f} s CPU")
    if arguments.out is not None:
        pairs.to_csv(arguments.out, index=False)
        print(f"wrote {arguments.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
