"""Hand coding of the extended corpus: the coders' passes, agreement, and the adjudicated codes.

Three coders worked alone from the same instructions (``corpus/annotations/coding/``): A and B
coded every article (article level) and every sentence of the sentence sample; C coded, blind
to A and B, the articles and sentences on which A and B disagreed. The adjudicated code is
written by a rule, never by hand (:func:`adjudicate_articles`, :func:`adjudicate_sentences`):

- where A and B agree, their code;
- a 0/1 code or a frame of a sentence where they disagree: the code two of the three gave
  (C breaks the tie);
- ``dominant`` where they disagree: the value two of the three gave, else C's;
- ``tone`` where they disagree: the median of A, B and C.

Agreement is Krippendorff's alpha (:func:`krippendorff_alpha`: nominal for the 0/1 codes and
``dominant``, interval for ``tone``), reported beside the observed agreement and the agreement
expected by chance from the pooled distribution of codes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.config import CORPUS_DIR
from analysis.core.errors import InputError

CODING_DIR = CORPUS_DIR / "annotations" / "coverage"
ARTICLE_FIELDS = ("downturn", "convergence", "dominant", "tone")
ARTICLE_COLUMNS = ("doc_id", *ARTICLE_FIELDS, "downturn_evidence", "convergence_evidence")
DOMINANT_VALUES = ("downturn", "convergence", "balanced", "procedural")
TONE_VALUES = (-2, -1, 0, 1, 2)
MAX_EVIDENCE_WORDS = 6


def _read(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such coding file") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    return table


def read_article_codes(path: Path) -> pd.DataFrame:
    """One coder's article-level codes, checked: 0/1 presence, a known ``dominant``, tone in
    -2..2, evidence of at most :data:`MAX_EVIDENCE_WORDS` words. Raises :class:`InputError`
    naming the file, row and field of the first bad value."""
    table = _read(path, ARTICLE_COLUMNS)
    checks = {
        "downturn": lambda v: v in ("0", "1"),
        "convergence": lambda v: v in ("0", "1"),
        "dominant": lambda v: v in DOMINANT_VALUES,
        "tone": lambda v: v.lstrip("-+") in ("0", "1", "2"),
        "downturn_evidence": lambda v: len(v.split()) <= MAX_EVIDENCE_WORDS,
        "convergence_evidence": lambda v: len(v.split()) <= MAX_EVIDENCE_WORDS,
    }
    for field, ok in checks.items():
        for row_number, value in enumerate(table[field], start=2):
            if not ok(value.strip()):
                raise InputError(f"{path}: row {row_number}: field '{field}': {value!r}")
    repeated = table["doc_id"][table["doc_id"].duplicated()]
    if not repeated.empty:
        raise InputError(f"{path}: doc_id {repeated.iloc[0]!r} is coded twice")
    return table.assign(
        downturn=table["downturn"].astype(int),
        convergence=table["convergence"].astype(int),
        tone=table["tone"].astype(int),
    )[list(ARTICLE_COLUMNS)]


def read_sentence_codes(path: Path, frame_ids: list[str]) -> pd.DataFrame:
    """One coder's sentence-level codes as a 0/1 table (``doc_id, sent_idx``, a column per
    frame); see :func:`analysis.validation.read_frame_codes`."""
    from analysis.validation.seeds import read_frame_codes

    return read_frame_codes(path, frame_ids)


def krippendorff_alpha(
    codes_a: pd.Series | np.ndarray, codes_b: pd.Series | np.ndarray, level: str = "nominal"
) -> dict[str, float]:
    """Krippendorff's alpha for two coders who coded the same units, with the observed
    agreement and the agreement expected by chance (share of identical pairs of values drawn
    from the pooled codes).

    ``level`` is ``nominal`` (any difference counts alike) or ``interval`` (squared
    difference). Alpha is NaN where the pooled codes do not vary.

    >>> r = krippendorff_alpha([1, 0, 1, 0], [1, 0, 1, 1])
    >>> round(r["alpha"], 3), r["observed_agreement"], round(r["chance_agreement"], 3)
    (0.533, 0.75, 0.464)
    """
    a, b = np.asarray(codes_a), np.asarray(codes_b)
    if a.shape != b.shape:
        raise ValueError("the two coders must code the same units")
    values = np.concatenate([a, b])
    categories, pooled = np.unique(values, return_counts=True)
    n = len(values)
    if level == "nominal":
        delta = (categories[:, None] != categories[None, :]).astype(float)
    elif level == "interval":
        numeric = categories.astype(float)
        delta = (numeric[:, None] - numeric[None, :]) ** 2
    else:
        raise ValueError(f"unknown level {level!r}")
    index = {value: i for i, value in enumerate(categories)}
    coincidence = np.zeros((len(categories), len(categories)))
    for x, y in zip(a, b, strict=True):
        coincidence[index[x], index[y]] += 1
        coincidence[index[y], index[x]] += 1
    observed_disagreement = (coincidence * delta).sum() / n
    expected_disagreement = (np.outer(pooled, pooled) * delta).sum() / (n * (n - 1))
    chance = float((pooled * (pooled - 1)).sum() / (n * (n - 1)))
    alpha = (
        1 - observed_disagreement / expected_disagreement
        if expected_disagreement > 0
        else float("nan")
    )
    return {
        "alpha": float(alpha),
        "observed_agreement": float((a == b).mean()),
        "chance_agreement": chance,
        "n_units": int(len(a)),
    }


def _majority(a: object, b: object, c: object) -> object:
    """The value two of three coders gave, else the third coder's."""
    return a if a in (b, c) else b if b == c else c


def adjudicate_articles(
    coder_a: pd.DataFrame, coder_b: pd.DataFrame, coder_c: pd.DataFrame
) -> pd.DataFrame:
    """The adjudicated article codes by the module's rule, with a ``resolution`` per article
    (``agreed`` or ``third coder``). Raises :class:`InputError` if C lacks a disputed article.

    Evidence phrases are kept from every coder who marked the frame (joined by `` | ``).
    """
    both = coder_a.merge(coder_b, on="doc_id", suffixes=("_a", "_b"), validate="one_to_one")
    third = coder_c.set_index("doc_id")
    rows = []
    for row in both.to_dict("records"):
        disputed = any(row[f"{f}_a"] != row[f"{f}_b"] for f in ARTICLE_FIELDS)
        out = {"doc_id": row["doc_id"], "resolution": "agreed"}
        if disputed and row["doc_id"] not in third.index:
            raise InputError(f"coder C did not code disputed article {row['doc_id']!r}")
        c = third.loc[row["doc_id"]] if disputed else None
        for field in ARTICLE_FIELDS:
            a, b = row[f"{field}_a"], row[f"{field}_b"]
            if a == b:
                out[field] = a
            elif field == "tone":
                out[field] = int(np.median([a, b, int(c[field])]))
            else:
                out[field] = _majority(a, b, c[field])
        if disputed:
            out["resolution"] = "third coder"
        for frame in ("downturn", "convergence"):
            phrases = [row[f"{frame}_evidence_a"], row[f"{frame}_evidence_b"]]
            if c is not None:
                phrases.append(c[f"{frame}_evidence"])
            out[f"{frame}_evidence"] = " | ".join(p for p in phrases if p) if out[frame] else ""
        rows.append(out)
    return pd.DataFrame(rows)[[*ARTICLE_COLUMNS, "resolution"]]


def adjudicate_sentences(
    coder_a: pd.DataFrame, coder_b: pd.DataFrame, coder_c: pd.DataFrame, frame_ids: list[str]
) -> pd.DataFrame:
    """The adjudicated sentence codes: per frame, A and B where they agree, else the code two
    of A, B and C gave. ``resolution`` is ``agreed`` or ``third coder`` per sentence."""
    keys = ["doc_id", "sent_idx"]
    both = coder_a.merge(coder_b, on=keys, suffixes=("_a", "_b"), validate="one_to_one")
    third = coder_c.set_index(keys)
    rows = []
    for row in both.to_dict("records"):
        key = (row["doc_id"], row["sent_idx"])
        disputed = any(row[f"{f}_a"] != row[f"{f}_b"] for f in frame_ids)
        if disputed and key not in third.index:
            raise InputError(f"coder C did not code disputed sentence {key}")
        out = {"doc_id": key[0], "sent_idx": key[1]}
        for frame in frame_ids:
            a, b = row[f"{frame}_a"], row[f"{frame}_b"]
            out[frame] = a if a == b else _majority(a, b, int(third.loc[key, frame]))
        out["resolution"] = "third coder" if disputed else "agreed"
        rows.append(out)
    return pd.DataFrame(rows)
