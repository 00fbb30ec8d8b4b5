"""Validation against the hand marks: reading them, precision and recall of the detector,
and how those move with the rewrite threshold (a sensitivity analysis).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from analysis.core.config import CORPUS_DIR
from analysis.core.errors import InputError
from analysis.reuse.detect import detect_reuse
from analysis.reuse.settings import KINDS, MATCH_COLUMNS, ReuseSettings
from analysis.reuse.tables import sentence_reuse

#: The hand marks of reused sentences between the seed articles.
REUSE_MARKS_FILE = CORPUS_DIR / "annotations" / "reuse_marks.csv"
VALIDATION_COLUMNS = [
    "level",
    "kind",
    "n_marked",
    "n_detected",
    "true_positives",
    "precision",
    "recall",
    "precision_any_kind",
    "recall_any_kind",
    "note",
]


def _pair_key(doc_a: str, sent_a: int, doc_b: str, sent_b: int) -> tuple:
    return tuple(sorted([(doc_a, int(sent_a)), (doc_b, int(sent_b))]))


def read_reuse_marks(path: Path | str = REUSE_MARKS_FILE) -> pd.DataFrame:
    """The hand marks: ``doc_a, sent_idx_a, doc_b, sent_idx_b, kind`` (and who, when, note).

    Raises :class:`InputError` naming the file, row and field of a bad value.
    """
    try:
        marks = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such annotation file") from None
    missing = {"doc_a", "sent_idx_a", "doc_b", "sent_idx_b", "kind"} - set(marks.columns)
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    for row_number, row in enumerate(marks.itertuples(index=False), start=2):
        if row.kind not in KINDS:
            raise InputError(
                f"{path}: row {row_number}: field 'kind' must be verbatim or rewrite, "
                f"not {row.kind!r}"
            )
        for column in ("sent_idx_a", "sent_idx_b"):
            if not getattr(row, column).isdigit():
                raise InputError(
                    f"{path}: row {row_number}: field {column!r} must be a sentence number"
                )
    return marks.astype({"sent_idx_a": int, "sent_idx_b": int})


def _scores(marked: dict, detected: dict, level: str, note: str) -> list[dict]:
    rows = []
    for kind in (*KINDS, "all"):
        marked_kind = {k for k, v in marked.items() if kind == "all" or v == kind}
        detected_kind = {k for k, v in detected.items() if kind == "all" or v == kind}
        strict = len(marked_kind & detected_kind)
        rows.append(
            {
                "level": level,
                "kind": kind,
                "n_marked": len(marked_kind),
                "n_detected": len(detected_kind),
                "true_positives": strict,
                "precision": strict / len(detected_kind) if detected_kind else float("nan"),
                "recall": strict / len(marked_kind) if marked_kind else float("nan"),
                "precision_any_kind": len(detected_kind & set(marked)) / len(detected_kind)
                if detected_kind
                else float("nan"),
                "recall_any_kind": len(marked_kind & set(detected)) / len(marked_kind)
                if marked_kind
                else float("nan"),
                "note": note,
            }
        )
    return rows


def reuse_validation(
    sentence_table: pd.DataFrame, marks_path: Path | str = REUSE_MARKS_FILE
) -> pd.DataFrame:
    """Precision and recall of the detector against hand marks of reused sentences.

    Two levels: ``sentence pair`` (a marked pair of sentences is found when the detector
    matched exactly those two sentences) and ``sentence`` (a sentence is shared at all). Per
    kind, ``precision`` and ``recall`` require the same kind (a marked verbatim pair found as
    a rewrite is a miss for both kinds); ``precision_any_kind`` and ``recall_any_kind`` ignore
    the kind. A sentence's marked kind is ``verbatim`` if any of its marks is verbatim, else
    ``rewrite``; the detector's is its status. Only articles named in the marks are scored, and
    only if they are all in ``sentence_table`` with the marked sentence numbers; otherwise
    (a user's own corpus) the table has counts of zero and a note.

    Parameters
    ----------
    sentence_table
        :func:`sentence_reuse`'s table (``verbatim_with`` and ``rewrite_with`` give the pairs).
    marks_path
        The hand marks (``corpus/annotations/reuse_marks.csv`` by default).
    """
    marks = read_reuse_marks(marks_path)
    marked_docs = set(marks["doc_a"]) | set(marks["doc_b"])
    # only the marked articles' sentences are scored or looked for: a large corpus's others
    # would cost seconds and change nothing
    sentence_table = sentence_table[sentence_table["doc_id"].isin(marked_docs)]
    present = set(zip(sentence_table["doc_id"], sentence_table["sent_idx"], strict=True))
    absent = sorted(
        {
            doc
            for doc, sent in [
                *zip(marks["doc_a"], marks["sent_idx_a"], strict=True),
                *zip(marks["doc_b"], marks["sent_idx_b"], strict=True),
            ]
            if (doc, sent) not in present
        }
    )
    if absent:
        if not marked_docs & set(sentence_table["doc_id"]):
            note = f"not scored: no hand marks for this corpus ({Path(marks_path).name} has none)"
        else:
            note = (
                f"not scored: {len(absent)} marked article(s) missing or split differently "
                f"({', '.join(absent)})"
            )
        empty: dict = {}
        return pd.DataFrame(
            _scores(empty, empty, "sentence pair", note) + _scores(empty, empty, "sentence", note),
            columns=VALIDATION_COLUMNS,
        )
    marked_pairs = {}
    for row in marks.itertuples(index=False):
        key = _pair_key(row.doc_a, row.sent_idx_a, row.doc_b, row.sent_idx_b)
        if marked_pairs.get(key) != "verbatim":
            marked_pairs[key] = row.kind
    scored = sentence_table[sentence_table["doc_id"].isin(marked_docs)]
    detected_pairs = {}
    for kind in KINDS:
        for doc, sent, listed in zip(
            scored["doc_id"], scored["sent_idx"], scored[f"{kind}_with"], strict=True
        ):
            for label in filter(None, listed.split(";")):
                other_doc, other_sent = label.rsplit(":", 1)
                if other_doc in marked_docs:
                    detected_pairs[_pair_key(doc, sent, other_doc, int(other_sent))] = kind
    marked_sentences: dict = {}
    for (first, second), kind in marked_pairs.items():
        for sentence in (first, second):
            if marked_sentences.get(sentence) != "verbatim":
                marked_sentences[sentence] = kind
    detected_sentences: dict = {}
    for (first, second), kind in detected_pairs.items():
        for sentence in (first, second):
            if detected_sentences.get(sentence) != "verbatim":
                detected_sentences[sentence] = kind
    note = f"{len(marked_docs)} marked articles; pairs between them only"
    return pd.DataFrame(
        _scores(marked_pairs, detected_pairs, "sentence pair", note)
        + _scores(marked_sentences, detected_sentences, "sentence", note),
        columns=VALIDATION_COLUMNS,
    )


def threshold_sweep(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    thresholds: Sequence[float],
    marks_path: Path | str = REUSE_MARKS_FILE,
    *,
    settings: ReuseSettings | None = None,
) -> pd.DataFrame:
    """How the scores against the hand marks move with the rewrite threshold (a sensitivity
    analysis: the threshold is chosen on constructed cases, not here).

    Detection runs once at the lowest threshold; a higher threshold keeps the rewrite matches
    whose similarity reaches it (every other condition of a rewrite does not depend on the
    threshold, and verbatim matches not at all), so the result equals a run per threshold.

    Returns
    -------
    pandas.DataFrame
        :func:`reuse_validation`'s columns with ``rewrite_threshold`` first.
    """
    settings = settings or ReuseSettings()
    lowest = ReuseSettings(**{**asdict(settings), "rewrite_threshold": min(thresholds)})
    marks = read_reuse_marks(marks_path)
    marked_docs = set(marks["doc_a"]) | set(marks["doc_b"])
    if not marked_docs <= set(sentences["doc_id"]):
        # not scored (reuse_validation's note): only the marked articles' sentences matter
        marked_sentences = sentences[sentences["doc_id"].isin(marked_docs)]
        table = reuse_validation(sentence_reuse(marked_sentences, _no_matches()), marks_path)
        return table.assign(rewrite_threshold=float("nan"))[
            ["rewrite_threshold", *VALIDATION_COLUMNS]
        ]
    matches = detect_reuse(articles, sentences, settings=lowest).matches
    tables = []
    for threshold in sorted(thresholds):
        kept = matches[
            (matches["kind"] == "verbatim") | (matches["similarity"] >= threshold - 1e-9)
        ]
        table = reuse_validation(sentence_reuse(sentences, kept), marks_path)
        tables.append(table.assign(rewrite_threshold=float(threshold)))
    return pd.concat(tables, ignore_index=True)[["rewrite_threshold", *VALIDATION_COLUMNS]]


def _no_matches() -> pd.DataFrame:
    return pd.DataFrame(
        {
            column: pd.Series(dtype=int if column.startswith("sent_idx") else object)
            for column in MATCH_COLUMNS
        }
    )
