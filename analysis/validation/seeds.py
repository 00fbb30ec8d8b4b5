"""Validation against hand coding: agreement between coders, and how well methods recover it.

Annotation files live in ``corpus/annotations/`` (see its README for who coded what, when, and
with which codebook version):

- ``frames_coder_a.csv``, ``frames_coder_b.csv``: two independent passes, one row per sentence
  (``doc_id, sent_idx, frames`` with frame ids joined by ``;``);
- ``frames_adjudicated.csv``: the two passes reconciled, the gold standard;
- ``quotations_gold.csv``: every direct quotation with its speaker;
- ``reuse_marks.csv``: sentence pairs shared between articles.

Agreement is Krippendorff's alpha (NLTK's implementation, binary distance) per frame.
Methods are scored per frame with precision, recall and F1 against the adjudicated codes:
the codebook detector as it is, and a supervised baseline (logistic regression over TF-IDF and
codebook features) trained leave-one-article-out, so every prediction is for an article the
model has not seen.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from analysis.core.config import CORPUS_DIR, RANDOM_SEED
from analysis.core.errors import InputError
from analysis.framing import CodebookFeaturizer, load_codebook

ANNOTATIONS_DIR = CORPUS_DIR / "annotations"
CODER_FILES = ("frames_coder_a.csv", "frames_coder_b.csv")
GOLD_FILE = "frames_adjudicated.csv"


def read_frame_codes(path: Path, frame_ids: list[str]) -> pd.DataFrame:
    """Read a frame-coding file into a 0/1 table: doc_id, sent_idx, one column per frame.

    Raises :class:`InputError` naming the file and row of an unknown frame id.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such annotation file") from None
    missing = {"doc_id", "sent_idx", "frames"} - set(raw.columns)
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    table = raw[["doc_id"]].copy()
    table["sent_idx"] = raw["sent_idx"].astype(int)
    coded = [set(filter(None, (f.strip() for f in value.split(";")))) for value in raw["frames"]]
    for row_number, frames in enumerate(coded, start=2):
        unknown = frames - set(frame_ids)
        if unknown:
            raise InputError(
                f"{path}: row {row_number}: field 'frames': unknown frame {sorted(unknown)[0]!r}"
            )
    for frame_id in frame_ids:
        table[frame_id] = [int(frame_id in frames) for frames in coded]
    return table


def alpha(codes_a: pd.Series, codes_b: pd.Series) -> float:
    """Krippendorff's alpha for two coders' binary codes of the same items.

    >>> round(alpha(pd.Series([1, 0, 1, 0]), pd.Series([1, 0, 1, 1])), 3)
    0.533
    """
    data = [("a", i, int(v)) for i, v in enumerate(codes_a)]
    data += [("b", i, int(v)) for i, v in enumerate(codes_b)]
    if len(set(codes_a) | set(codes_b)) < 2:
        return float("nan")  # no variation: alpha is undefined
    return float(AnnotationTask(data=data, distance=binary_distance).alpha())


def precision_recall_f1(gold: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of binary predictions (NaN where undefined).

    >>> precision_recall_f1(np.array([1, 1, 0, 0]), np.array([1, 0, 1, 0]))
    {'precision': 0.5, 'recall': 0.5, 'f1': 0.5, 'tp': 1, 'fp': 1, 'fn': 1}
    """
    gold, predicted = np.asarray(gold, bool), np.asarray(predicted, bool)
    tp = int((gold & predicted).sum())
    fp = int((~gold & predicted).sum())
    fn = int((gold & ~predicted).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def baseline_model(codebook_path: str | None = None) -> Pipeline:
    """Logistic regression over word TF-IDF (1-2 grams) and codebook hit counts."""
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True),
        CodebookFeaturizer(codebook_path),
    )
    return make_pipeline(
        features,
        LogisticRegression(class_weight="balanced", max_iter=2000, random_state=RANDOM_SEED),
    )


def leave_one_article_out(
    texts: pd.Series, labels: pd.Series, groups: pd.Series, codebook_path: str | None = None
) -> np.ndarray:
    """Predictions for every sentence from a baseline trained on the other articles only.

    A fold whose training articles have no positive (or no negative) sentence cannot learn the
    frame; it predicts the training majority class, and says so in a warning.
    """
    predicted = np.zeros(len(texts), dtype=int)
    for group in sorted(groups.unique()):
        test = (groups == group).to_numpy()
        train_labels = labels[~test]
        if train_labels.empty:
            warnings.warn(
                f"no other article to train on without {group}: predicting 0", stacklevel=2
            )
            continue
        if train_labels.nunique() < 2:
            warnings.warn(
                f"frame has one class only without {group}: predicting "
                f"{int(train_labels.iloc[0])} for it",
                stacklevel=2,
            )
            predicted[test] = int(train_labels.iloc[0])
            continue
        model = baseline_model(codebook_path).fit(texts[~test], train_labels)
        predicted[test] = model.predict(texts[test])
    return predicted


def frame_validation(
    sentences: pd.DataFrame,
    detected: pd.DataFrame,
    frame_ids: list[str],
    annotations_dir: Path = ANNOTATIONS_DIR,
    codebook_path: str | None = None,
) -> pd.DataFrame:
    """Per frame: coder agreement, and detector and baseline scores against the gold codes.

    Only annotated articles are scored, and only when their sentence table is the annotated one
    (same sentence indices); articles left out are named in the ``note`` column. An empty
    table is returned when the corpus has no annotated article (for instance, a user's own).
    The study's hand codes were made with the study codebook's frames: with another codebook
    (``codebook_path``) only the frames both have are scored, and each other frame of the
    codebook gets one row, its ``note`` saying why it is ``not scored``.
    """
    columns = [
        "frame",
        "n_sentences",
        "gold_positive",
        "alpha_coders",
        "agreement_coders",
        "method",
        "precision",
        "recall",
        "f1",
        "tp",
        "fp",
        "fn",
        "note",
    ]
    gold_path = annotations_dir / GOLD_FILE
    if not gold_path.exists():
        return pd.DataFrame(columns=columns)
    keys = ["doc_id", "sent_idx"]
    annotated_ids = pd.read_csv(gold_path, dtype=str, keep_default_na=False).get("doc_id")
    if annotated_ids is not None and set(annotated_ids).isdisjoint(sentences["doc_id"]):
        # no annotated article here: the codes (perhaps of other frames) are not read
        return pd.DataFrame(columns=columns)
    coded_frames = frame_ids
    if codebook_path is not None and Path(annotations_dir).resolve() == ANNOTATIONS_DIR.resolve():
        coded_frames = load_codebook().frame_ids  # the frames the study's coders were given
    gold = read_frame_codes(gold_path, coded_frames)
    coders = [read_frame_codes(annotations_dir / name, coded_frames) for name in CODER_FILES]
    not_coded = [
        {
            "frame": frame_id,
            "note": "not scored: the hand codes were made with the study codebook, which has "
            f"no frame {frame_id!r}",
        }
        for frame_id in frame_ids
        if frame_id not in coded_frames
    ]
    gold = gold[gold["doc_id"].isin(sentences["doc_id"])]
    annotated = gold.groupby("doc_id")["sent_idx"].apply(frozenset)
    present = sentences[sentences["doc_id"].isin(annotated.index)]
    present = present.groupby("doc_id")["sent_idx"].apply(frozenset)
    # an annotated article whose sentences differ (edited text, other splitter) cannot be scored
    changed = sorted(doc for doc in annotated.index if present.get(doc) != annotated[doc])
    gold = gold[~gold["doc_id"].isin(changed)]
    table = sentences[[*keys, "text"]].merge(gold, on=keys, how="inner")
    if table.empty:
        return pd.DataFrame(not_coded, columns=columns)
    note = (
        f"{len(changed)} annotated article(s) left out: their sentences differ from the "
        f"annotated version ({', '.join(changed)})"
        if changed
        else ""
    )
    coded = [table[keys].merge(coder, on=keys, how="left") for coder in coders]
    detector = table[keys].merge(detected, on=keys, how="left")
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for frame_id in (frame for frame in frame_ids if frame in coded_frames):
            agreement = {
                "alpha_coders": alpha(coded[0][frame_id], coded[1][frame_id]),
                "agreement_coders": float((coded[0][frame_id] == coded[1][frame_id]).mean()),
            }
            baseline = leave_one_article_out(
                table["text"], table[frame_id], table["doc_id"], codebook_path
            )
            for method, predicted in (
                ("codebook detector", detector[frame_id].to_numpy()),
                ("baseline (LR, leave-one-article-out)", baseline),
            ):
                rows.append(
                    {
                        "frame": frame_id,
                        "n_sentences": len(table),
                        "gold_positive": int(table[frame_id].sum()),
                        **agreement,
                        "method": method,
                        **precision_recall_f1(table[frame_id].to_numpy(), predicted),
                        "note": note,
                    }
                )
    return pd.DataFrame(rows + not_coded, columns=columns)


def quotation_validation(
    quotations: pd.DataFrame,
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    annotations_dir: Path = ANNOTATIONS_DIR,
) -> pd.DataFrame:
    """Detected quotations against the hand list: one row per gold or detected quotation.

    A detected and a gold quotation match when their character spans overlap by at least half
    of the longer one (the gold text is located in the article from the start of its first
    sentence; trailing punctuation inside the
    marks is ignored). Columns: doc_id, gold_text, detected_text, gold_speaker,
    detected_speaker, outcome (``match``, ``missed`` or ``spurious``), speaker_correct.
    """
    columns = [
        "doc_id",
        "gold_text",
        "detected_text",
        "gold_speaker",
        "detected_speaker",
        "outcome",
        "speaker_correct",
    ]
    path = annotations_dir / "quotations_gold.csv"
    if not path.exists():
        return pd.DataFrame(columns=columns)
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    gold = gold[gold["doc_id"].isin(articles["doc_id"])]
    texts = dict(zip(articles["doc_id"], articles["clean_text"], strict=True))
    rows, used = [], set()
    for row_number, item in enumerate(gold.itertuples(index=False), start=2):
        text = texts[item.doc_id]
        first = sentences[
            (sentences["doc_id"] == item.doc_id)
            & (sentences["sent_idx"] == int(item.first_sent_idx))
        ]
        start = text.find(item.quote_text, int(first["start"].iloc[0]) if len(first) else 0)
        if start < 0:
            raise InputError(f"{path}: row {row_number}: field 'quote_text' is not in the article")
        end = start + len(item.quote_text.rstrip(",.;: "))
        candidates = quotations[quotations["doc_id"] == item.doc_id]
        best = None
        for index, quote in candidates.iterrows():
            overlap = min(end, quote["end"]) - max(start, quote["start"])
            longer = max(end - start, quote["end"] - quote["start"])
            if index not in used and overlap * 2 >= longer:
                best = index
                break
        if best is None:
            rows.append([item.doc_id, item.quote_text, "", item.speaker, "", "missed", False])
            continue
        used.add(best)
        quote = quotations.loc[best]
        rows.append(
            [
                item.doc_id,
                item.quote_text,
                quote["text"],
                item.speaker,
                quote["speaker"],
                "match",
                quote["speaker"] == item.speaker,
            ]
        )
    # the hand list covers every article that was hand-coded, including those with no quotation
    covered = set(gold["doc_id"])
    if (annotations_dir / GOLD_FILE).exists():
        coded = pd.read_csv(annotations_dir / GOLD_FILE, dtype=str, keep_default_na=False)
        covered |= set(coded["doc_id"]) & set(texts)
    # only the covered articles' quotations (a large corpus has hundreds of thousands)
    for index, quote in quotations[quotations["doc_id"].isin(covered)].iterrows():
        if index not in used:
            rows.append(
                [quote["doc_id"], "", quote["text"], "", quote["speaker"], "spurious", False]
            )
    return pd.DataFrame(rows, columns=columns)


def quotation_scores(matches: pd.DataFrame) -> dict[str, float]:
    """Precision and recall of quotation detection and accuracy of speaker attribution."""
    counts = matches["outcome"].value_counts()
    found, missed, spurious = (int(counts.get(k, 0)) for k in ("match", "missed", "spurious"))
    matched = matches[matches["outcome"] == "match"]
    return {
        "gold": found + missed,
        "detected": found + spurious,
        "precision": found / (found + spurious) if found + spurious else float("nan"),
        "recall": found / (found + missed) if found + missed else float("nan"),
        "speaker_accuracy": float(matched["speaker_correct"].mean())
        if len(matched)
        else float("nan"),
    }
