"""Choosing the number of topics k: coherence and stability for each k (:func:`topic_quality`),
then the study's rule (:func:`choose_k`).

- *The rule* (:func:`choose_k`): among the k with stability at least 0.6 (a matched cosine
  of 0.6: a refit finds each topic with mostly the same terms), take the k with the highest
  mean of rescaled coherence ``(npmi + 1) / 2`` and stability; ties go to the smaller k. If
  no k is that stable, take the most stable k.
- *The range* (:data:`~analysis.topics.settings.K_VALUES`): 2 to 8. With 57 paragraphs, eight
  topics already leave about seven paragraphs per topic, and coherence measured on the corpus
  itself keeps rising as topics shrink to single repeated passages; the figures have eight
  panels.
- The study's model is NMF: on a few dozen short paragraphs LDA's topics are less
  coherent at every k, and less stable at every k but 2 (see the ``topic_quality``
  figure).
- *Cost in proportion to the corpus* (:func:`topic_quality`): a k is tried only when the
  corpus has at least :data:`~analysis.topics.settings.MIN_UNITS_PER_TOPIC` units per topic (a
  three-article corpus tries few k, or none, and its topic figures say so); above
  :data:`~analysis.topics.settings.QUALITY_MAX_UNITS` units both measures are taken on a seeded
  sample; above :data:`~analysis.topics.settings.QUALITY_ONLINE_UNITS` LDA is fitted online;
  and above :data:`~analysis.topics.settings.EARLY_STOP_UNITS` units a k stops being refitted
  as soon as even perfect stability in its remaining refits could not lift its score to
  the best complete k's (the ``n_refits`` column says how many refits it had), which
  cannot change the chosen k.

The measures themselves are :mod:`analysis.topics.quality`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.core.config import RANDOM_SEED
from analysis.core.errors import NotEnoughDataError
from analysis.core.parallel import ordered_map
from analysis.core.progress import log_line, progress, seconds
from analysis.topics.analysed import AnalysedTexts
from analysis.topics.model import TopicModel
from analysis.topics.quality import _refit_seeds, match_topics, model_coherence
from analysis.topics.settings import (
    EARLY_STOP_UNITS,
    K_VALUES,
    METHODS,
    MIN_UNITS_PER_TOPIC,
    N_STABILITY_RUNS,
    N_TOP_TERMS,
    QUALITY_COLUMNS,
    QUALITY_MAX_UNITS,
    QUALITY_ONLINE_BATCH,
    QUALITY_ONLINE_UNITS,
    STABILITY_SAMPLE,
    STABILITY_THRESHOLD,
    TOPIC_METHOD,
)


def topic_quality(
    texts: Sequence[str],
    *,
    k_values: Iterable[int] = K_VALUES,
    methods: Iterable[str] = METHODS,
    n_terms: int = N_TOP_TERMS,
    n_runs: int = N_STABILITY_RUNS,
    sample_fraction: float = STABILITY_SAMPLE,
    random_state: int = RANDOM_SEED,
    model_params: Mapping[str, Any] | None = None,
    max_units: int | None = QUALITY_MAX_UNITS,
    online_units: int | None = QUALITY_ONLINE_UNITS,
    min_units_per_topic: int = MIN_UNITS_PER_TOPIC,
    early_stop_units: int | None = EARLY_STOP_UNITS,
    stability_threshold: float = STABILITY_THRESHOLD,
    workers: int = 1,
) -> pd.DataFrame:
    """Coherence and stability of each method for each number of topics.

    Only the ``k`` with at least ``min_units_per_topic`` texts per topic are tried (none, and
    an empty table, for a corpus of a few short texts). With more than ``max_units`` texts,
    both measures are taken on a sample of ``max_units`` of them drawn with ``random_state``
    (kept in corpus order; ``n_units`` says how many): k is a property of the corpus's main
    themes, which a sample of thousands of units shows as well as the whole does, while rare
    themes that only the whole corpus supports are underweighted. ``None``: every text.
    With more than ``online_units`` texts (after sampling), LDA is fitted online in
    minibatches of :data:`QUALITY_ONLINE_BATCH` unless ``model_params`` sets ``batch_size``
    (``None``: always in batch); the ``learning`` column says which.

    Each k is fitted once on every text (its coherence), then refitted ``n_runs`` times (its
    stability). With more than ``early_stop_units`` texts (``None``: never), the k are refitted
    in order of the best score they could still reach, and a k's refits stop as soon as even
    perfect stability in the rest could not give it :func:`choose_k`'s score of the best
    complete k with stability at least ``stability_threshold``, or could not bring its own
    stability to the threshold; ``n_refits`` says how many refits a k had, and its stability
    is their mean. Such a k could not have been chosen, so the chosen k is the one every refit
    gives. With ``workers`` > 1 the fits run in that many processes, with the same results.

    Returns
    -------
    DataFrame
        Columns :data:`QUALITY_COLUMNS`: method, k, coherence (mean NPMI of the top
        ``n_terms``), stability (mean matched cosine), stability_jaccard, n_units, learning
        (``batch``, or ``online``/``minibatch`` for LDA/NMF fitted with a ``batch_size``),
        n_refits; one row per method and k, in the order of ``methods`` and ``k_values``.
    """
    texts = list(texts)
    if max_units is not None and len(texts) > max_units:
        chosen = np.random.default_rng(random_state).choice(len(texts), max_units, replace=False)
        texts = [texts[i] for i in np.sort(chosen)]
    methods = list(methods)
    k_values = [k for k in k_values if k * min_units_per_topic <= len(texts)]
    online = online_units is not None and len(texts) > online_units
    early_stop = early_stop_units is not None and len(texts) > early_stop_units
    started = time.perf_counter()
    rows = []
    fits = 0
    analyses = _Analyses(texts, model_params or {})
    for method in methods:
        params = {**(model_params or {}), "method": method}
        if method == "lda" and online and params.get("batch_size") is None:
            params["batch_size"] = QUALITY_ONLINE_BATCH
        search = _KSearch(
            analyses,
            params,
            k_values,
            random_state,
            n_runs,
            sample_fraction,
            n_terms,
            stability_threshold if early_stop else None,
        )
        log_line(
            f"choosing k ({method}): fitting {len(k_values)} values of k on {len(texts):,} "
            "units, then refits on samples (the longest step of a build)"
        )
        search.run(workers)
        rows += search.rows()
        fits += search.n_fits
    table = pd.DataFrame(rows, columns=QUALITY_COLUMNS)
    log_line(
        f"choosing k ({', '.join(methods)}): {len(k_values)} values of k on {len(texts):,} "
        f"units, {fits} model fits in {seconds(started)}"
    )
    return table


class _Analyses:
    """The analyses the fits of a k search are made on, each made once, here, and shared by
    every fit on the same texts: one of every text (each k's reference fit, for both methods),
    one of each refit's sample (the same sample for every k and method). An analysis depends
    on the texts and the analysis parameters of ``model_params`` and the seed, not on the
    method or k (:meth:`TopicModel.analysed`), so the fits are the same as when each analysed
    its texts itself."""

    def __init__(self, texts: list[str], model_params: Mapping[str, Any]):
        self.texts, self.model_params = texts, dict(model_params)
        self.made: dict[tuple[int, int | None], AnalysedTexts] = {}

    def of(self, seed: int, size: int | None = None) -> AnalysedTexts:
        """The analysis by a model seeded with ``seed`` of every text (``size`` ``None``), or
        of the seed's sample of ``size`` texts (the sample of :func:`topic_stability`)."""
        if (seed, size) not in self.made:
            texts = self.texts
            if size is not None:
                chosen = np.random.default_rng(seed).choice(len(texts), size=size, replace=False)
                texts = [texts[i] for i in sorted(chosen)]
            model = TopicModel(**{**self.model_params, "random_state": seed})
            self.made[seed, size] = model.analysed(texts)
        return self.made[seed, size]


def _reference_fit(
    analysed: AnalysedTexts, params: dict[str, Any], random_state: int, n_terms: int
) -> tuple[TopicModel, float]:
    """A k's fit on every text (given ``analysed``), and its coherence."""
    model = TopicModel(**params, random_state=random_state).fit_analysed(analysed)
    return model, model_coherence(model, analysed, n_terms)


def _refit(analysed: AnalysedTexts, params: dict[str, Any], seed: int) -> TopicModel:
    """One stability refit: ``params`` with ``seed``, on the seed's sample, ``analysed`` (the
    sample and the fit of :func:`topic_stability`)."""
    return TopicModel(**{**params, "random_state": seed}).fit_analysed(analysed)


class _KSearch:
    """The fits behind one method's rows of :func:`topic_quality`, with early stopping.

    The rule is sequential: the k in order of the score they could reach with perfect
    stability (ties: smaller k), each refitted one refit after another until it is ruled out
    (:meth:`_ruled_out`) or has all its refits; a complete k that is stable enough sets the
    best score. With fits in parallel, refits are planned before the results ahead of them are
    known: a refit is left out only when it would be left out even if every refit still running
    came back perfectly stable, so every refit the sequential rule needs is fitted, and
    :meth:`rows` replays the rule on the results (refits it would not have made are set aside).
    The table is therefore the same for any number of workers.
    """

    def __init__(
        self,
        analyses: _Analyses,
        params: dict[str, Any],
        k_values: list[int],
        random_state: int,
        n_runs: int,
        sample_fraction: float,
        n_terms: int,
        stop_threshold: float | None,
    ):
        self.analyses, self.params, self.k_values = analyses, params, list(k_values)
        self.texts = analyses.texts
        self.random_state, self.n_runs, self.n_terms = random_state, n_runs, n_terms
        self.sample_fraction, self.stop_threshold = sample_fraction, stop_threshold
        self.seeds = _refit_seeds(random_state, n_runs)
        self.references: dict[int, tuple[TopicModel, float]] = {}
        self.results: dict[tuple[int, int], tuple[float, float]] = {}
        self.n_fits = 0

    def _bound(self, k: int, cosines: list[float]) -> tuple[float, float]:
        """The best score and stability k can reach after refits with ``cosines``."""
        stability = (sum(cosines) + self.n_runs - len(cosines)) / self.n_runs
        return ((self.references[k][1] + 1) / 2 + stability) / 2, stability

    def _ruled_out(self, k: int, cosines: list[float], best: float | None) -> bool:
        """Whether k, after refits with ``cosines``, can no longer be chosen: its score cannot
        reach ``best`` (that of a complete k stable enough) or its stability the threshold."""
        if self.stop_threshold is None or best is None:
            return False
        score, stability = self._bound(k, cosines)
        return score < best - 1e-12 or stability < self.stop_threshold

    def _order(self) -> list[int]:
        return sorted(self.k_values, key=lambda k: (-self._bound(k, [])[0], k))

    def _replay(self) -> tuple[dict[int, list[tuple[float, float]]], float | None, bool]:
        """The sequential rule over the results known so far: each k's counted refits, the
        best score, and whether every refit the rule needs is known."""
        counted: dict[int, list[tuple[float, float]]] = {k: [] for k in self.k_values}
        best = None
        for k in self._order():
            done = counted[k]
            for run in range(self.n_runs):
                if self._ruled_out(k, [cosine for cosine, _ in done], best):
                    break
                if (k, run) not in self.results:
                    return counted, best, False
                done.append(self.results[k, run])
            else:
                score, stability = self._bound(k, [cosine for cosine, _ in done])
                if self.stop_threshold is not None and stability >= self.stop_threshold:
                    best = score if best is None else max(best, score)
        return counted, best, True

    def _plan(self, planned: list[tuple[int, int]]):
        """The refits to fit, in order; each decided on the results known when it is asked
        for, refits still running counted as perfectly stable."""
        for k in self._order():
            for run in range(self.n_runs):
                _, best, _ = self._replay()
                cosines = [
                    self.results[k, earlier][0] if (k, earlier) in self.results else 1.0
                    for earlier in range(run)
                ]
                if self._ruled_out(k, cosines, best):
                    break
                planned.append((k, run))
                yield k, run

    def run(self, workers: int) -> None:
        """Fit every k once on every text, then the refits that can still matter."""
        reference = self.analyses.of(self.random_state) if self.k_values else None
        calls = [
            (reference, {**self.params, "n_topics": k}, self.random_state, self.n_terms)
            for k in self.k_values
        ]
        started = time.perf_counter()
        fitted = ordered_map(_reference_fit, calls, workers=min(workers, max(len(calls), 1)))
        fits = progress(fitted, desc="choosing k: fits", unit="fit", total=len(calls))
        for k, result in zip(self.k_values, fits, strict=True):
            self.references[k] = result
            self.n_fits += 1
        log_line(f"choosing k: {len(calls)} fits on every unit ({seconds(started)}); refits next")
        planned: list[tuple[int, int]] = []
        refit_calls = (
            (
                self.analyses.of(
                    self.seeds[run], max(k, round(self.sample_fraction * len(self.texts)))
                ),
                {**self.params, "n_topics": k},
                self.seeds[run],
            )
            for k, run in self._plan(planned)
        )
        refits = progress(
            ordered_map(_refit, refit_calls, workers=workers), desc="choosing k: refits", unit="fit"
        )
        for number, refit in enumerate(refits):
            k, run = planned[number]
            _, cosine, jaccard = match_topics(self.references[k][0], refit, self.n_terms)
            self.results[k, run] = (float(cosine.mean()), float(jaccard.mean()))
            self.n_fits += 1

    def rows(self) -> list[dict[str, Any]]:
        """One row per k (the columns of :data:`QUALITY_COLUMNS`), by the sequential rule."""
        counted, _, complete = self._replay()
        if not complete:
            raise RuntimeError("choosing k: a refit the rule needs was not fitted")
        rows = []
        for k in self.k_values:
            model, coherence = self.references[k]
            done = counted[k]
            learning = "batch" if model.batch_size is None else _LEARNING[self.params["method"]]
            rows.append(
                {
                    "method": self.params["method"],
                    "k": k,
                    "coherence": coherence,
                    "stability": float(np.mean([c for c, _ in done])) if done else np.nan,
                    "stability_jaccard": float(np.mean([j for _, j in done])) if done else np.nan,
                    "n_units": len(self.texts),
                    "learning": learning,
                    "n_refits": len(done),
                }
            )
        return rows


_LEARNING = {"lda": "online", "nmf": "minibatch"}


def choose_k(
    quality: pd.DataFrame,
    *,
    method: str = TOPIC_METHOD,
    stability_threshold: float = STABILITY_THRESHOLD,
) -> int:
    """The number of topics by the study's rule.

    Among the k of ``method`` whose stability is at least ``stability_threshold``, the one with
    the highest mean of rescaled coherence ``(coherence + 1) / 2`` and stability (ties: the
    smaller k); if no k is that stable, the most stable k.

    Parameters
    ----------
    quality
        The table of :func:`topic_quality`.

    Examples
    --------
    >>> quality = pd.DataFrame({"method": "nmf", "k": [2, 3, 4],
    ...                         "coherence": [0.1, 0.5, 0.9], "stability": [0.9, 0.8, 0.4]})
    >>> choose_k(quality)
    3
    """
    rows = quality[quality["method"] == method]
    if rows.empty:
        raise NotEnoughDataError(
            f"no number of topics could be tried (no quality rows for method {method!r}; "
            f"a k needs at least {MIN_UNITS_PER_TOPIC} units per topic)"
        )
    score = ((rows["coherence"] + 1) / 2 + rows["stability"]) / 2
    eligible = rows["stability"] >= stability_threshold
    if eligible.any():
        ranked = rows.assign(score=score)[eligible].sort_values(
            ["score", "k"], ascending=[False, True], kind="stable"
        )
    else:
        ranked = rows.sort_values(["stability", "k"], ascending=[False, True], kind="stable")
    return int(ranked["k"].iloc[0])
