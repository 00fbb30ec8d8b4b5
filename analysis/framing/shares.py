"""Frame shares and the framing index per article and per outlet, with bootstrap intervals.

Measures (:func:`article_frames`, :func:`outlet_frames`): a frame's share is the share of an
article's sentences in which the frame fires; the framing index is convergence share minus
downturn share (from -1, all downturn, to +1, all convergence); the weighted index gives the
headline weight 3 and the lead sentence weight 2, every other sentence 1, because readers
meet the headline and lead first.

Uncertainty: per article, a bootstrap over the article's sentences; per outlet, a cluster
bootstrap over the outlet's articles (ratio of sentence counts), because sentences of one
article are not independent. An outlet with one article falls back to resampling that
article's sentences: its interval then says how much the share depends on which sentences the
article happens to contain, not how the outlet covers the visit in general.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.config import N_BOOTSTRAP
from analysis.core.uncertainty import mean_with_interval, seeded_rng
from analysis.framing.codebook import INDEX_FRAMES

HEADLINE_WEIGHT = 3.0
LEAD_WEIGHT = 2.0


def _index(frames: pd.DataFrame) -> pd.Series:
    return frames.get("convergence", 0) - frames.get("downturn", 0)


def article_frames(
    articles: pd.DataFrame,
    per_sentence: pd.DataFrame,
    headline: pd.DataFrame,
    frame_ids: list[str],
) -> pd.DataFrame:
    """Per article: n_sentences, frame_<id>_sentences and _share, frame_index and
    frame_index_weighted (headline x3, lead x2)."""
    grouped = per_sentence.groupby("doc_id", sort=False)
    table = articles[["doc_id", "outlet", "date"]].copy()
    n_sentences = grouped.size()
    table["n_sentences"] = table["doc_id"].map(n_sentences).fillna(0).astype(int)
    sums = grouped[frame_ids].sum()
    for frame_id in frame_ids:
        table[f"frame_{frame_id}_sentences"] = (
            table["doc_id"].map(sums[frame_id]).fillna(0).astype(int)
        )
        table[f"frame_{frame_id}_share"] = (
            table[f"frame_{frame_id}_sentences"] / table["n_sentences"]
        )
    if all(frame in frame_ids for frame in INDEX_FRAMES):
        table["frame_index"] = table["frame_convergence_share"] - table["frame_downturn_share"]
        weights = np.where(per_sentence["sent_idx"] == 0, LEAD_WEIGHT, 1.0)
        weighted = (
            per_sentence.assign(weight=weights, index_value=_index(per_sentence) * weights)
            .groupby("doc_id", sort=False)[["weight", "index_value"]]
            .sum()
        )
        head = headline.set_index("doc_id")
        has_title = table["doc_id"].map(articles.set_index("doc_id")["title"].fillna("") != "")
        head_weight = np.where(has_title, HEADLINE_WEIGHT, 0.0)
        head_value = table["doc_id"].map(_index(head)).fillna(0).to_numpy() * head_weight
        table["frame_index_weighted"] = (
            table["doc_id"].map(weighted["index_value"]).to_numpy() + head_value
        ) / (table["doc_id"].map(weighted["weight"]).to_numpy() + head_weight)
    return table


def outlet_frames(
    per_article: pd.DataFrame,
    per_sentence: pd.DataFrame,
    frame_ids: list[str],
    n_boot: int = N_BOOTSTRAP,
) -> pd.DataFrame:
    """Tidy per-outlet frame shares and framing index with bootstrap 95% intervals.

    Columns: outlet, measure (``share`` or ``index``), frame, estimate, low, high,
    n_articles, n_sentences, resampled (``articles`` or ``sentences (one article)``).
    """
    rows = []
    sentences = per_sentence.merge(per_article[["doc_id", "outlet"]], on="doc_id")
    has_index = all(frame in frame_ids for frame in INDEX_FRAMES)
    by_outlet = dict(iter(sentences.groupby("outlet", sort=False)))  # one pass, not a mask each
    for outlet, articles in per_article.groupby("outlet", sort=True):
        outlet_sentences = by_outlet.get(outlet, sentences.iloc[:0])
        n_articles, n_sentences = len(articles), int(articles["n_sentences"].sum())
        measures = [("share", frame_id) for frame_id in frame_ids]
        if has_index:
            measures.append(("index", "convergence - downturn"))
        for measure, frame in measures:
            if measure == "share":
                values = outlet_sentences[frame].to_numpy()
            else:
                values = _index(outlet_sentences).to_numpy()
            estimate, low, high, resampled = mean_with_interval(
                values,
                outlet_sentences["doc_id"].to_numpy(),
                seeded_rng(outlet, measure, frame),
                n_boot,
                unit="sentences",
            )
            rows.append(
                {
                    "outlet": outlet,
                    "measure": measure,
                    "frame": frame,
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "n_articles": n_articles,
                    "n_sentences": n_sentences,
                    "resampled": resampled,
                }
            )
    return pd.DataFrame(rows)
