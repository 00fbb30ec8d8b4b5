"""Intervals always hold their estimate, also when every replicate equals it."""

from __future__ import annotations

from analysis.core.uncertainty import mean_with_interval, ratio_interval, seeded_rng


def test_an_outlet_of_identical_articles_has_an_interval_that_holds_its_mean():
    """Two copies of one article (a 10-article corpus with repeated texts): every bootstrap
    replicate is the mean computed another way, and the error bar came out at -1e-17, which
    stopped the tone figure (issue 20: a small corpus's report)."""
    values = [0.4215, 0.0, 0.1779, 0.3612, -0.2263, 0.5106, 0.0772, 0.128]
    estimate, low, high, _ = mean_with_interval(
        values * 2, ["a"] * len(values) + ["b"] * len(values), seeded_rng("test")
    )
    assert low <= estimate <= high
    estimate, low, high = ratio_interval([0.7, 0.7, 0.7], [3.0, 3.0, 3.0], seeded_rng("r"), 200)
    assert low <= estimate <= high
