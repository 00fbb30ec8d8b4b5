"""Bootstrap uncertainty for per-outlet measures, shared by every measure module.

One convention throughout the package: an outlet's measure is the mean of a per-unit value
(sentence frame indicator, segment tone, paragraph topic share) pooled over its units; its 95%
interval resamples the outlet's *articles* when it has several (a cluster bootstrap of the ratio
of summed values to summed unit counts), and the units of its one article otherwise, in which
case the interval says how much the measure depends on which sentences the article contains,
not how the outlet covers the story in general. Every random stream is seeded from
:data:`~analysis.core.config.RANDOM_SEED` and the names of what is being estimated, so a table's
intervals do not depend on the order in which anything else was computed.

Examples
--------
>>> import numpy as np
>>> estimate, low, high, resampled = mean_with_interval(
...     np.array([1.0, 0.0, 1.0, 1.0]), np.array(["a", "a", "b", "b"]),
...     seeded_rng("example"), n_boot=200)
>>> estimate, resampled
(0.75, 'articles')
>>> bool(0.0 <= low <= estimate <= high <= 1.0)
True
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.core.config import N_BOOTSTRAP, RANDOM_SEED


def seeded_rng(*keys: str) -> np.random.Generator:
    """A generator seeded from :data:`RANDOM_SEED` and ``keys`` (e.g. outlet, measure, frame)."""
    return np.random.default_rng([RANDOM_SEED, *(zlib.crc32(key.encode()) for key in keys)])


def bootstrap_mean(values: np.ndarray, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """Bootstrap replicates of the mean of ``values`` (the values resampled)."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return np.full(n_boot, np.nan)
    draws = rng.integers(0, len(values), size=(n_boot, len(values)))
    return values[draws].mean(axis=1)


def bootstrap_ratio(
    numerators: np.ndarray, denominators: np.ndarray, rng: np.random.Generator, n_boot: int
) -> np.ndarray:
    """Cluster-bootstrap replicates of sum(numerators) / sum(denominators), clusters resampled."""
    numerators = np.asarray(numerators, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    draws = rng.integers(0, len(numerators), size=(n_boot, len(numerators)))
    return numerators[draws].sum(axis=1) / denominators[draws].sum(axis=1)


def interval(replicates: np.ndarray) -> tuple[float, float]:
    """Percentile 95% interval of bootstrap replicates."""
    low, high = np.nanpercentile(replicates, [2.5, 97.5])
    return float(low), float(high)


def mean_with_interval(
    values: np.ndarray | Sequence[float],
    doc_ids: np.ndarray | Sequence[str],
    rng: np.random.Generator,
    n_boot: int = N_BOOTSTRAP,
    unit: str = "units",
) -> tuple[float, float, float, str]:
    """The mean of per-unit ``values`` with its 95% bootstrap interval, by the package's rule.

    Parameters
    ----------
    values
        One value per unit (sentence, segment, paragraph).
    doc_ids
        The article of each unit.
    rng
        The random stream (see :func:`seeded_rng`).
    n_boot
        Bootstrap replicates.
    unit
        What a unit is, for the ``resampled`` label ("sentences", "units").

    Returns
    -------
    tuple
        ``(estimate, low, high, resampled)``; ``resampled`` is ``"articles"`` or
        ``"<unit> (one article)"``, and all four are NaN/empty when there are no units.
    """
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return float("nan"), float("nan"), float("nan"), ""
    sums, sizes = _per_article(values, np.asarray(doc_ids))
    if len(sizes) > 1:
        replicates = bootstrap_ratio(sums, sizes, rng, n_boot)
        resampled = "articles"
    else:
        replicates = bootstrap_mean(values, rng, n_boot)
        resampled = f"{unit} (one article)"
    estimate = float(values.mean())
    low, high = interval(replicates)
    return estimate, *_around(estimate, low, high), resampled


def _per_article(values: np.ndarray, doc_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum and number of ``values`` per article, articles in sorted order.

    Whole numbers (0/1 frame indicators, counts) are summed with :func:`numpy.bincount`: their
    sums are exact in any order, so equal to pandas' compensated sums, at a fraction of the
    cost of a group-by per outlet and frame. Other values go through pandas' group-by sum
    (Kahan-compensated), whose last bits a plain sum would not reproduce.

    >>> _per_article(np.array([1.0, 0.0, 1.0]), np.array(["b", "a", "b"]))
    (array([0., 2.]), array([1, 2]))
    """
    if np.all(np.floor(values) == values) and np.abs(values).sum() < 2.0**53:
        codes, _ = pd.factorize(doc_ids, sort=True)
        if np.all(codes >= 0):  # no missing article id (a group-by leaves those out)
            return np.bincount(codes, weights=values), np.bincount(codes)
    per_doc = pd.DataFrame({"doc_id": doc_ids, "value": values}).groupby("doc_id", sort=True)
    return per_doc["value"].sum().to_numpy(), per_doc["value"].size().to_numpy()


def _around(estimate: float, low: float, high: float) -> tuple[float, float]:
    """``low`` and ``high``, moved onto ``estimate`` where they miss it only by rounding (an
    outlet whose articles are all alike: every replicate equals the mean, computed another way,
    and an error bar of -1e-17 stopped the figure).

    >>> _around(0.2, 0.20000000000000004, 0.20000000000000004)
    (0.2, 0.20000000000000004)
    """
    if low > estimate and np.isclose(low, estimate, rtol=1e-12, atol=1e-15):
        low = estimate
    if high < estimate and np.isclose(high, estimate, rtol=1e-12, atol=1e-15):
        high = estimate
    return low, high


def ratio_interval(
    numerators: np.ndarray, denominators: np.ndarray, rng: np.random.Generator, n_boot: int
) -> tuple[float, float, float]:
    """Pooled ratio sum(numerators) / sum(denominators) over articles, with its 95% interval
    from resampling articles (NaN interval for a single article: at that scale the article is
    the unit). For per-article rows when the per-unit values are no longer at hand."""
    numerators = np.asarray(numerators, dtype=float)
    denominators = np.asarray(denominators, dtype=float)
    estimate = float(numerators.sum() / denominators.sum())
    if len(numerators) < 2:
        return estimate, float("nan"), float("nan")
    low, high = interval(bootstrap_ratio(numerators, denominators, rng, n_boot))
    return estimate, *_around(estimate, low, high)


def wilson_interval(
    successes: np.ndarray, trials: np.ndarray, z: float = 1.959964
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95% interval of the proportions ``successes / trials`` (NaN where there
    are no trials). Unlike a bootstrap over a few units, it does not shrink to a point when
    every unit or none has the property: 6 of 6 sentences gives 0.61 to 1.

    >>> low, high = wilson_interval(np.array([6, 0]), np.array([6, 6]))
    >>> [round(float(v), 2) for v in (*low, *high)]
    [0.61, 0.0, 1.0, 0.39]
    """
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = successes / trials
        centre = (share + z**2 / (2 * trials)) / (1 + z**2 / trials)
        half = (z / (1 + z**2 / trials)) * np.sqrt(
            share * (1 - share) / trials + z**2 / (4 * trials**2)
        )
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
