"""A run's outputs: outlet summaries with intervals from per-article rows, written at once."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.core.config import N_BOOTSTRAP
from analysis.study.provenance import table_to_csv_bytes, write_paths_atomically


def outlet_summary(scores: pd.DataFrame, n_boot: int = N_BOOTSTRAP) -> pd.DataFrame:
    """Per outlet: every frame share, the framing index and mean tone, pooled over its
    sentences, with 95% intervals from resampling its articles (none for a one-article outlet:
    at this scale the article is the unit). With own-text columns (``framing run
    --reuse-sentences``) also the same on own text (``own_``-prefixed, pooled over own
    sentences) and ``shared_share``, the mean over articles of the share of their words in
    shared sentences. Columns: outlet, measure, estimate, low, high, n_articles, n_sentences
    (the sentences the measure is pooled over)."""
    from analysis.core.uncertainty import ratio_interval, seeded_rng

    frames = [
        c.removeprefix("frame_").removesuffix("_sentences")
        for c in scores.columns
        if c.startswith("frame_") and c.endswith("_sentences")
    ]
    ratios = {}  # measure -> (numerator per article, denominator per article)
    for prefix, n_sentences in (("", "n_sentences"), ("own_", "own_n_sentences")):
        if n_sentences not in scores:
            continue
        count = scores[n_sentences]
        for frame in frames:
            ratios[f"{prefix}frame_{frame}_share"] = (
                scores[f"{prefix}frame_{frame}_sentences"],
                count,
            )
        if {"convergence", "downturn"} <= set(frames):
            ratios[f"{prefix}frame_index"] = (
                scores[f"{prefix}frame_convergence_sentences"]
                - scores[f"{prefix}frame_downturn_sentences"],
                count,
            )
        if f"{prefix}sentiment_mean" in scores:
            ratios[f"{prefix}sentiment_mean"] = (
                scores[f"{prefix}sentiment_mean"].fillna(0) * count,
                count,
            )
    if "shared_share" in scores:
        ratios["shared_share"] = (
            scores["shared_share"].fillna(0),
            scores["shared_share"].notna().astype(int),
        )
    rows = []
    for outlet, group in scores.groupby("outlet", sort=True):
        for measure, (numerator, denominator) in ratios.items():
            numerators = numerator.loc[group.index].to_numpy(float)
            denominators = denominator.loc[group.index].to_numpy(float)
            estimate, low, high = ratio_interval(
                numerators, denominators, seeded_rng(outlet, measure), n_boot
            )
            rows.append(
                {
                    "outlet": outlet,
                    "measure": measure,
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "n_articles": len(group),
                    "n_sentences": int(
                        group[
                            "own_n_sentences" if measure.startswith("own_") else "n_sentences"
                        ].sum()
                    ),
                }
            )
    return pd.DataFrame(rows)


def write_run(scores: pd.DataFrame, out_dir: Path | str, record: dict) -> list[Path]:
    """Write a run's outputs at once: scores.parquet, scores.csv, outlets.csv and run.json."""
    import io

    out_dir = Path(out_dir)
    buffer = io.BytesIO()
    scores.to_parquet(buffer, index=False)
    outlets = outlet_summary(scores)
    files = {
        out_dir / "scores.parquet": buffer.getvalue(),
        out_dir / "scores.csv": table_to_csv_bytes(scores),
        out_dir / "outlets.csv": table_to_csv_bytes(outlets),
        out_dir / "run.json": (
            json.dumps(record, indent=2, sort_keys=True, default=str) + "\n"
        ).encode(),
    }
    return write_paths_atomically(files)
