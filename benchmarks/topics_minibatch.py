"""Where minibatch NMF starts to pay off in ``framing topics``: batch against minibatch by size.

Usage: python benchmarks/topics_minibatch.py [--sizes 1000 2500 5000 10000 20000] [--k 20]
       [--unit article] [--batch-sizes 512 2048] [--long-batch-sizes 2048] [--long-max-iter 400]
       [--long-tol 1e-3] [--repeats 2]
       [--workers 1] [--csv /tmp/topics_minibatch.csv]
       python benchmarks/topics_minibatch.py --summarise CSV [CSV ...]  # runs done separately

For each N in ``--sizes`` it takes a seeded sample of N AllSides articles (the samples are
nested: the first N of one seeded permutation of the 37,554 articles, kept in file order),
removes the control characters (such as U+0096) that ``framing import`` refuses, imports them as
``framing import`` does, cleans and splits them as ``framing topics`` does
(:func:`analysis.run.corpus.cleaned_corpus`, chunks of 2,000; the largest sample is cleaned once
and the smaller ones are its subsets), makes the units with :func:`analysis.topics.topic_units`
(``--unit``; the command's default is ``article``) and builds the document-term matrix ONCE per
N exactly as the command does: ``TopicModel(n_topics=k, max_features=20000,
batch_size=None).fit_vectorize(units)`` (phrases, TF-IDF), with ``max_iter=1`` so that building
it costs no model fit. Then it times only the model fit, the step that ``--batch-size`` changes,
on that same matrix:

* ``batch``: the estimator ``TopicModel()`` makes without a batch size (sklearn ``NMF``,
  NNDSVDa, max_iter 1000);
* ``minibatch B`` for each B in ``--batch-sizes``: the estimator ``TopicModel(batch_size=B)``
  makes (sklearn ``MiniBatchNMF``, max_iter 200 passes, tol 1e-4);
* ``minibatch B, tol T, max_iter M``: the same with ``tol=--long-tol`` (looser) and
  ``max_iter=--long-max-iter``, for each B in ``--long-batch-sizes`` (default 2048, the
  issue's) whose default stopped unconverged, in the first repeat only (time). Only a looser
  ``tol`` can make it cheaper: a larger ``max_iter`` alone follows the default's path (same
  seed) and costs at least as much.

The estimators are taken from ``TopicModel`` itself (fitted on six toy texts, then cloned with
``n_components=k``), so their settings follow the package. Fits are interleaved: repeat 1 runs
the configurations in the order above, repeat 2 in the reverse order, so that a change in the
load of the shared machine falls on all of them. Each fit records CPU seconds (process time,
all BLAS/OpenMP threads) and wall seconds, the 1-minute load average when it started, whether
it converged (sklearn's ConvergenceWarning, as ``TopicModel.converged_`` records it; and
``n_iter_`` against ``max_iter``), the reconstruction error (sklearn's Frobenius
``reconstruction_err_``; reported squared per nonzero of the matrix, and relative to the
matrix's norm), topic quality (mean NPMI of each topic's 10 top terms over the units,
:func:`analysis.topics.npmi_coherence`), and the agreement with the batch topics of repeat 1
(:func:`analysis.topics.match_topics`: mean and minimum matched cosine, mean top-10 Jaccard).

Prints a markdown table per N as it goes and a summary at the end: per N and configuration the
fastest of the repeats, the ratio minibatch/batch of wall and CPU seconds (same run), and the
crossover N, the smallest measured N from which a minibatch configuration is faster than
batch at every larger measured N. Raw rows are written to ``--csv`` after every fit (keep it
outside the repository). Run it at plain priority; on a shared 2-core machine the times are
only comparable within one run, which is why the fits are interleaved.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from analysis.core.config import RANDOM_SEED, SHARED_DATA_DIR
from analysis.io.checks import CONTROL_CHARACTERS
from analysis.io.chunks import ColumnMap, import_corpus
from analysis.run.corpus import cleaned_corpus
from analysis.topics import TopicModel, match_topics, npmi_coherence, topic_units

ALLSIDES = SHARED_DATA_DIR / "allsides_baly2020.csv.xz"
MAX_FEATURES = 20000  # the command's --max-features default
TOY_TEXTS = [
    "tariff trade deal tariff",
    "trade deal tariff talks",
    "minerals supply chain",
    "critical minerals supply",
    "tariff trade talks",
    "minerals chain supply",
]


def estimator(
    k: int, batch_size: int | None, max_iter: int | None = None, tol: float | None = None
) -> object:
    """The unfitted sklearn estimator that ``TopicModel`` fits for these settings."""
    toy = TopicModel(n_topics=2, min_df=1, max_df=1.0, batch_size=batch_size, phrases=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        toy.fit(TOY_TEXTS)
    model = clone(toy.model_).set_params(n_components=k)
    if max_iter is not None:
        model.set_params(max_iter=max_iter)
    if tol is not None:
        model.set_params(tol=tol)
    return model


def as_topic_model(built: TopicModel, model: object, weights: np.ndarray) -> TopicModel:
    """``built`` (the fitted vectorizer and terms) with ``model``'s topics, ordered and
    normalised as ``TopicModel`` does, for :func:`match_topics` and the top terms."""
    result = copy.copy(built)
    totals = weights.sum(axis=1, keepdims=True)
    uniform = np.full_like(weights, 1.0 / weights.shape[1])
    shares = np.divide(weights, totals, out=uniform, where=totals > 0)
    result.model_ = model
    result.topic_order_ = np.argsort(-shares.sum(axis=0), kind="stable")
    ordered = model.components_[result.topic_order_]
    sums = ordered.sum(axis=1, keepdims=True)
    result.components_ = np.divide(ordered, sums, out=np.zeros_like(ordered), where=sums > 0)
    return result


def fit_once(model: object, matrix: sparse.csr_matrix) -> dict:
    """Fit ``model`` on ``matrix``; its times, convergence and reconstruction error."""
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
    error = float(model.reconstruction_err_)
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "load_1min": load,
        "converged": not warned,
        "n_iter": int(model.n_iter_),
        "max_iter": int(model.max_iter),
        "n_steps": int(getattr(model, "n_steps_", model.n_iter_)),
        "sq_error_per_nonzero": error**2 / matrix.nnz,
        "relative_error": error / float(sparse.linalg.norm(matrix)),
        "weights": weights,
    }


def sample_corpus(largest: int, seed: int, workers: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean and split the first ``largest`` articles of a seeded permutation of AllSides."""
    raw = pd.read_csv(ALLSIDES, dtype=str, keep_default_na=False)
    order = np.random.default_rng(seed).permutation(len(raw))
    chosen = np.sort(order[:largest])
    raw = raw.iloc[chosen].assign(_rank=np.argsort(order)[chosen])
    with tempfile.TemporaryDirectory() as folder:
        source, path = Path(folder) / "sample.csv", Path(folder) / "sample.parquet"
        # control characters: the import refuses them
        text = raw.drop(columns="_rank").replace(CONTROL_CHARACTERS.pattern, "", regex=True)
        text.to_csv(source, index=False)
        import_corpus(source, path, ColumnMap(), 5000)  # as `framing import`
        articles, sentences = cleaned_corpus(path, chunk_size=2000, workers=workers)
    ranks = dict(zip(raw["id"], raw["_rank"], strict=True))
    articles = articles.assign(_rank=articles["doc_id"].map(ranks))
    return articles, sentences


def configurations(batch_sizes: list[int]) -> list:
    """(name, batch size, max_iter, tol) in repeat-1 order."""
    return [("batch", None, None, None)] + [(f"minibatch {b}", b, None, None) for b in batch_sizes]


def summarise(rows: pd.DataFrame) -> pd.DataFrame:
    """Per N and configuration: the fastest repeat, ratios to batch, quality."""
    best = rows.groupby(["n_articles", "config"], sort=False).agg(
        n_units=("n_units", "first"),
        wall_s=("wall_s", "min"),
        cpu_s=("cpu_s", "min"),
        converged=("converged", "all"),
        n_iter=("n_iter", "first"),
        max_iter=("max_iter", "first"),
        rel_error=("relative_error", "first"),
        sq_err_per_nnz=("sq_error_per_nonzero", "first"),
        npmi=("npmi", "first"),
        cos_mean=("match_cosine_mean", "first"),
        cos_min=("match_cosine_min", "first"),
        jaccard=("match_jaccard_mean", "first"),
    )
    best = best.reset_index()
    batch = best[best["config"] == "batch"].set_index("n_articles")
    best["wall_ratio"] = best["wall_s"] / best["n_articles"].map(batch["wall_s"])
    best["cpu_ratio"] = best["cpu_s"] / best["n_articles"].map(batch["cpu_s"])
    return best


def crossover(summary: pd.DataFrame, column: str = "wall_ratio") -> dict[str, str]:
    """For each minibatch configuration: the smallest N from which it is faster than batch at
    every larger measured N, or "no crossover up to N"."""
    found = {}
    for config, group in summary[summary["config"] != "batch"].groupby("config", sort=False):
        group = group.sort_values("n_articles")
        wins = (group[column] < 1).to_numpy()
        sizes = group["n_articles"].to_numpy()
        start = None
        for i in range(len(wins) - 1, -1, -1):
            if not wins[i]:
                break
            start = sizes[i]
        found[config] = (
            f"from {start:,} articles" if start is not None else f"no crossover up to {sizes[-1]:,}"
        )
    return found


def markdown(summary: pd.DataFrame) -> str:
    columns = {
        "n_articles": "N articles",
        "n_units": "units",
        "config": "fit",
        "wall_s": "wall s",
        "cpu_s": "CPU s",
        "wall_ratio": "wall / batch",
        "cpu_ratio": "CPU / batch",
        "converged": "converged",
        "n_iter": "passes",
        "rel_error": "rel. error",
        "npmi": "NPMI",
        "cos_mean": "cos to batch (mean)",
        "cos_min": "cos (min)",
        "jaccard": "top-10 Jaccard",
    }
    lines = ["| " + " | ".join(columns.values()) + " |", "|" + "---|" * len(columns)]
    for row in summary[list(columns)].itertuples(index=False):
        cells = [
            f"{value:,}"
            if isinstance(value, (int, np.integer)) and not isinstance(value, bool)
            else f"{value:.3g}"
            if isinstance(value, float)
            else str(value)
            for value in row
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(rows: pd.DataFrame) -> None:
    """Print the summary table of all sizes and the crossovers."""
    summary = summarise(rows)
    print("\n## Fastest of the repeats per N (ratios: minibatch / batch of the same run)\n")
    print(markdown(summary))
    print()
    for config, text in crossover(summary).items():
        cpu_text = crossover(summary, "cpu_ratio")[config]
        print(f"crossover, {config}: wall {text}; CPU {cpu_text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000, 20000])
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--unit", default="article", choices=["article", "paragraph", "sentence"])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[512, 2048])
    parser.add_argument("--long-max-iter", type=int, default=400)
    parser.add_argument("--long-tol", type=float, default=1e-3)
    parser.add_argument("--long-batch-sizes", type=int, nargs="*", default=[2048])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="processes for the term analysis")
    parser.add_argument("--seed", type=int, default=RANDOM_SEED)
    parser.add_argument("--csv", type=Path, default=Path("/tmp/topics_minibatch.csv"))
    parser.add_argument(
        "--summarise", type=Path, nargs="+", metavar="CSV", help="only print the summary of CSVs"
    )
    args = parser.parse_args()
    if args.summarise:
        report(pd.concat([pd.read_csv(path) for path in args.summarise], ignore_index=True))
        return
    if not ALLSIDES.is_file():
        sys.exit(f"AllSides data not found at {ALLSIDES} (set FRAMING_SHARED_DATA)")
    sizes = args.sizes  # in the order given: the most wanted first when time is short
    started = time.perf_counter()
    articles, sentences = sample_corpus(max(sizes), args.seed, args.workers)
    print(f"cleaned {len(articles):,} articles in {time.perf_counter() - started:.0f} s wall")
    rows: list[dict] = []
    for n in sizes:
        chosen = articles[articles["_rank"] < n]
        units = topic_units(
            sentences[sentences["doc_id"].isin(chosen["doc_id"])], chosen, args.unit
        )
        wall, cpu = time.perf_counter(), time.process_time()
        built = TopicModel(
            n_topics=args.k, max_features=MAX_FEATURES, max_iter=1, n_jobs=args.workers
        )
        matrix = built.fit_vectorize(units["text"])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        present = (matrix > 0).astype(np.int8)
        print(
            f"\nN={n:,}: {len(units):,} {args.unit}s, matrix {matrix.shape[0]:,} x "
            f"{matrix.shape[1]:,}, {matrix.nnz:,} nonzeros; terms and TF-IDF {wall:.0f} s wall, "
            f"{cpu:.0f} s CPU (built once)",
            flush=True,
        )
        reference = None
        for repeat in range(1, args.repeats + 1):
            configs = configurations(args.batch_sizes)
            if repeat % 2 == 0:
                configs = configs[::-1]
            for name, batch_size, max_iter, tol in configs:  # repeat 1 may append to it
                model = estimator(args.k, batch_size, max_iter, tol)
                result = fit_once(model, matrix)
                fitted = as_topic_model(built, model, result.pop("weights"))
                if reference is None:
                    reference = fitted
                _, cosine, jaccard = match_topics(reference, fitted)
                if (
                    repeat == 1
                    and max_iter is None
                    and batch_size in args.long_batch_sizes
                    and not result["converged"]
                ):
                    looser = f"minibatch {batch_size}, tol {args.long_tol:g}, "
                    looser += f"max_iter {args.long_max_iter}"
                    configs.append((looser, batch_size, args.long_max_iter, args.long_tol))
                rows.append(
                    {
                        "n_articles": n,
                        "unit": args.unit,
                        "n_units": matrix.shape[0],
                        "n_terms": matrix.shape[1],
                        "nnz": matrix.nnz,
                        "k": args.k,
                        "config": name,
                        "batch_size": batch_size,
                        "repeat": repeat,
                        **result,
                        "npmi": float(np.mean(npmi_coherence(present, fitted.top_term_indices()))),
                        "match_cosine_mean": float(cosine.mean()),
                        "match_cosine_min": float(cosine.min()),
                        "match_jaccard_mean": float(jaccard.mean()),
                        "build_wall_s": wall,
                        "build_cpu_s": cpu,
                    }
                )
                row = rows[-1]
                print(
                    f"  repeat {repeat} {name}: {row['wall_s']:.1f} s wall, {row['cpu_s']:.1f} s "
                    f"CPU (load {row['load_1min']:.1f}), passes {row['n_iter']}/"
                    f"{row['max_iter']}, converged {row['converged']}, rel. error "
                    f"{row['relative_error']:.4f}, NPMI {row['npmi']:.3f}, cos to batch "
                    f"{row['match_cosine_mean']:.3f}",
                    flush=True,
                )
                pd.DataFrame(rows).to_csv(args.csv, index=False)
        summary = summarise(pd.DataFrame(rows))
        print(markdown(summary[summary["n_articles"] == n]), flush=True)
    report(pd.DataFrame(rows))
    print(f"\nraw rows: {args.csv}; total {time.perf_counter() - started:.0f} s wall")


if __name__ == "__main__":
    main()
