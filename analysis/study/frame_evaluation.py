"""The framing measure validated on the extended corpus: methods compared on every split.

Three ways of deciding whether an article presents India-US relations as a downturn or as
converging, each scored against the adjudicated hand codes
(:mod:`~analysis.validation.hand_coding`) on
three sets of articles:

- ``in-sample (seeds)``: the five seed articles, which the codebook's authors had read;
- ``development``: the 77 development articles of the coverage corpus, on which the codebook
  was tuned (its rules are therefore scored in-sample here) and on which the learned models
  are cross-validated (5 folds, seeded);
- ``locked test``: the 32 test articles, set aside before any change
  (``corpus/annotations/coverage_split.csv``), scored once with everything fixed.

Methods:

- ``codebook rules``: ``frame_<id>_present`` of :func:`analysis.framing.article_presence`;
- ``article model``: logistic regression over the codebook's counted hits per article by place
  (headline, lead, narration, attributed), hedged, negated and excluded hits
  (:func:`article_features`), trained on development articles;
- ``sentence classifier``: logistic regression over TF-IDF and codebook features
  (:func:`analysis.validation.baseline_model`) trained on the coded development sentences;
  an article carries a frame when its headline or a sentence is predicted to.

Each score comes with a 95% bootstrap interval over articles. Beside presence (precision,
recall, F1, and Krippendorff's alpha between the method and the adjudicated codes next to the
alpha between the two coders on the same articles), the direction measure is scored as
Spearman's rank correlation with the coded tone (-2..+2).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from analysis.core.config import CORPUS_DIR, N_BOOTSTRAP, RANDOM_SEED
from analysis.framing import INDEX_FRAMES, PLACES, hit_places
from analysis.study import measures
from analysis.study.load import Study
from analysis.validation.hand_coding import CODING_DIR, krippendorff_alpha, read_article_codes
from analysis.validation.seeds import baseline_model, precision_recall_f1

SPLIT_FILE = CORPUS_DIR / "annotations" / "coverage_split.csv"
SETS = ("in-sample (seeds)", "development", "locked test")
METHODS = ("codebook rules", "article model", "sentence classifier")
N_FOLDS = 5
#: Columns of :func:`method_comparison`'s table.
COMPARISON_COLUMNS = [
    "set",
    "method",
    "measure",
    "frame",
    "n_articles",
    "n_positive",
    "precision",
    "recall",
    "f1",
    "f1_low",
    "f1_high",
    "alpha_method",
    "alpha_coders",
    "spearman",
    "spearman_low",
    "spearman_high",
]
FEATURE_STATUSES = ("negated", "excluded", "hedged")


def article_sets(articles: pd.DataFrame) -> pd.Series:
    """The set of each article of the extended corpus (seeds, development, locked test)."""
    split = pd.read_csv(SPLIT_FILE, dtype=str, keep_default_na=False).set_index("doc_id")
    names = {"development": SETS[1], "test": SETS[2]}
    return pd.Series(
        [
            SETS[0] if corpus == "seeds" else names[split.loc[doc_id, "split"]]
            for doc_id, corpus in zip(articles["doc_id"], articles["corpus"], strict=True)
        ],
        index=articles.index,
        name="set",
    )


def article_features(study: Study) -> pd.DataFrame:
    """Per article, for downturn and convergence: counted hits in each place (headline, lead,
    narration, attributed), and negated, excluded and hedged hits. Index ``doc_id``."""
    book = measures.codebook(study)
    evidence = measures.evidence(study)
    places = hit_places(evidence, book.lead_sentences)
    headline = measures.title_frames(study.articles, book).set_index("doc_id")
    table = pd.DataFrame(index=pd.Index(study.articles["doc_id"], name="doc_id"))
    for frame in INDEX_FRAMES:
        own = evidence["frame"] == frame
        counted = own & (evidence["status"] == "counted")
        for place in PLACES:
            if place == "headline":
                table[f"{frame}_headline"] = headline[frame].reindex(table.index).fillna(0)
                continue
            hits = evidence[counted & (places == place)].groupby("doc_id").size()
            table[f"{frame}_{place}"] = hits.reindex(table.index).fillna(0)
        for status in FEATURE_STATUSES:
            mask = (own & evidence["hedged"].astype(bool)) if status == "hedged" else (
                own & (evidence["status"] == status)
            )
            table[f"{frame}_{status}"] = (
                evidence[mask].groupby("doc_id").size().reindex(table.index).fillna(0)
            )
    return table.astype(float)


def article_model() -> object:
    """The article-level model: standardised features, balanced logistic regression."""
    return make_pipeline(
        StandardScaler(),
        LogisticRegression(class_weight="balanced", max_iter=2000, random_state=RANDOM_SEED),
    )


def _article_model_scores(
    features: pd.DataFrame, gold: pd.DataFrame, sets: pd.Series
) -> pd.DataFrame:
    """P(frame) per article: cross-validated on development, fitted on development for the
    other sets."""
    scores = pd.DataFrame(index=features.index, columns=list(INDEX_FRAMES), dtype=float)
    development = sets.index[sets == SETS[1]]
    others = sets.index[sets != SETS[1]]
    folds = StratifiedKFold(N_FOLDS, shuffle=True, random_state=RANDOM_SEED)
    for frame in INDEX_FRAMES:
        x, y = features.loc[development], gold.loc[development, frame].to_numpy()
        for train, test in folds.split(x, y):
            model = article_model().fit(x.iloc[train], y[train])
            scores.loc[x.index[test], frame] = model.predict_proba(x.iloc[test])[:, 1]
        model = article_model().fit(x, y)
        scores.loc[others, frame] = model.predict_proba(features.loc[others])[:, 1]
    return scores


def _sentence_classifier(
    study: Study, coding_dir: Path
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`_sentence_classifier_predictions` with the adjudicated sentence codes of
    ``coding_dir``, fitted once per study and folder (the article-level and the sentence-level
    comparisons both read it)."""

    def compute(s: Study) -> tuple[pd.DataFrame, pd.DataFrame]:
        gold = pd.read_csv(coding_dir / "sentence_adjudicated.csv", keep_default_na=False)
        articles = s.articles.reset_index(drop=True)
        sets = article_sets(articles).set_axis(articles["doc_id"])
        return _sentence_classifier_predictions(s, gold, sets)

    return study.derived(f"frame_evaluation sentence classifier {coding_dir}", compute)


def _sentence_classifier_predictions(
    study: Study, sentence_gold: pd.DataFrame, sets: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per sentence (all sentences and headlines) the classifier's 0/1 per frame: for
    development articles with coded sentences from 5-fold cross-validation grouped by article,
    for every other article from a model trained on all coded development sentences.

    Returns the sentence predictions and, per article, the share of its sentences predicted
    per frame and whether its headline or any sentence is (``<frame>_any``)."""
    sentences = study.sentences[["doc_id", "sent_idx", "text"]]
    headlines = study.articles[["doc_id", "title"]].rename(columns={"title": "text"})
    headlines = headlines[headlines["text"].fillna("") != ""].assign(sent_idx=-1)
    units = pd.concat([sentences, headlines], ignore_index=True)
    units["set"] = units["doc_id"].map(sets.to_dict())
    coded = units.merge(sentence_gold, on=["doc_id", "sent_idx"], how="inner")
    coded_dev = coded[coded["set"] == SETS[1]].reset_index(drop=True)
    predicted = pd.DataFrame(index=units.index, columns=list(INDEX_FRAMES), dtype=float)
    cv_docs = set(coded_dev["doc_id"])
    folds = GroupKFold(N_FOLDS)
    for frame in INDEX_FRAMES:
        y = coded_dev[frame].to_numpy()
        for train, test in folds.split(coded_dev, y, coded_dev["doc_id"]):
            model = baseline_model().fit(coded_dev["text"].iloc[train], y[train])
            test_docs = set(coded_dev["doc_id"].iloc[test])
            rows = units.index[units["doc_id"].isin(test_docs)]
            predicted.loc[rows, frame] = model.predict(units.loc[rows, "text"])
        model = baseline_model().fit(coded_dev["text"], y)
        rows = units.index[~units["doc_id"].isin(cv_docs)]
        predicted.loc[rows, frame] = model.predict(units.loc[rows, "text"])
    units = units.join(predicted)
    body = units[units["sent_idx"] >= 0]
    per_article = body.groupby("doc_id")[list(INDEX_FRAMES)].mean()
    any_unit = units.groupby("doc_id")[list(INDEX_FRAMES)].max()
    per_article = per_article.join(any_unit.add_suffix("_any"))
    return units, per_article


def _interval(
    statistic, arrays: tuple[np.ndarray, ...], rng: np.random.Generator, n_boot: int
) -> tuple[float, float]:
    n = len(arrays[0])
    values = []
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        value = statistic(*(a[idx] for a in arrays))
        if np.isfinite(value):
            values.append(value)
    if not values:
        return float("nan"), float("nan")
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def _f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    return precision_recall_f1(gold, predicted)["f1"]


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    if len(np.unique(x)) < 2 or len(np.unique(y)) < 2:
        return float("nan")
    return float(spearmanr(x, y)[0])


def method_comparison(
    study: Study,
    n_boot: int = N_BOOTSTRAP,
    scored_sets: tuple[str, ...] = SETS,
    coding_dir: Path = CODING_DIR,
) -> pd.DataFrame:
    """The tidy validation table: one row per (set, method, measure, frame).

    ``measure`` is ``presence`` (with precision, recall, F1 and its interval, alpha of the
    method against the adjudicated codes and of coder A against coder B on the same articles)
    or ``tone`` (Spearman of the method's direction score with the coded tone, interval).
    ``study`` must be the extended corpus (:func:`analysis.study.coding.extended_articles`);
    ``coding_dir`` holds the coders' and adjudicated files.
    """
    gold = pd.read_csv(coding_dir / "article_adjudicated.csv", keep_default_na=False)
    gold = gold.set_index("doc_id")
    coder_a = read_article_codes(coding_dir / "article_coder_a.csv").set_index("doc_id")
    coder_b = read_article_codes(coding_dir / "article_coder_b.csv").set_index("doc_id")
    articles = study.articles.set_index("doc_id")
    sets = article_sets(study.articles.reset_index(drop=True)).set_axis(articles.index)
    per_article = measures.frames_per_article(study).set_index("doc_id")
    features = article_features(study)
    model_scores = _article_model_scores(features, gold, sets)
    _, classified = _sentence_classifier(study, coding_dir)

    presence = {
        "codebook rules": {
            f: per_article[f"frame_{f}_present"].astype(int) for f in INDEX_FRAMES
        },
        "article model": {f: (model_scores[f] >= 0.5).astype(int) for f in INDEX_FRAMES},
        "sentence classifier": {
            f: classified[f"{f}_any"].reindex(articles.index).fillna(0).astype(int)
            for f in INDEX_FRAMES
        },
    }
    direction = {
        "codebook rules": per_article["frame_index"],
        "codebook rules (weighted index)": per_article["frame_index_weighted"],
        "article model": model_scores["convergence"] - model_scores["downturn"],
        "sentence classifier": (
            classified["convergence"] - classified["downturn"]
        ).reindex(articles.index),
    }
    rows = []
    for set_name in scored_sets:
        ids = sets.index[sets == set_name]
        for method, decided in presence.items():
            for frame in INDEX_FRAMES:
                y, p = gold.loc[ids, frame].to_numpy(), decided[frame].loc[ids].to_numpy()
                scores = precision_recall_f1(y, p)
                rng = np.random.default_rng([RANDOM_SEED, SETS.index(set_name), len(rows)])
                low, high = _interval(_f1, (y, p), rng, n_boot)
                rows.append(
                    {
                        "set": set_name,
                        "method": method,
                        "measure": "presence",
                        "frame": frame,
                        "n_articles": len(ids),
                        "n_positive": int(y.sum()),
                        **{k: scores[k] for k in ("precision", "recall", "f1")},
                        "f1_low": low,
                        "f1_high": high,
                        "alpha_method": krippendorff_alpha(y, p)["alpha"],
                        "alpha_coders": krippendorff_alpha(
                            coder_a.loc[ids, frame].to_numpy(), coder_b.loc[ids, frame].to_numpy()
                        )["alpha"],
                    }
                )
        tone = gold.loc[ids, "tone"].to_numpy(dtype=float)
        for method, score in direction.items():
            x = score.loc[ids].to_numpy(dtype=float)
            rng = np.random.default_rng([RANDOM_SEED, SETS.index(set_name), len(rows)])
            low, high = _interval(_spearman, (x, tone), rng, n_boot)
            rows.append(
                {
                    "set": set_name,
                    "method": method,
                    "measure": "tone",
                    "frame": "convergence - downturn",
                    "n_articles": len(ids),
                    "alpha_method": krippendorff_alpha(
                        np.sign(x).astype(int), np.sign(tone).astype(int)
                    )["alpha"],
                    "alpha_coders": krippendorff_alpha(
                        coder_a.loc[ids, "tone"].to_numpy(),
                        coder_b.loc[ids, "tone"].to_numpy(),
                        "interval",
                    )["alpha"],
                    "spearman": _spearman(x, tone),
                    "spearman_low": low,
                    "spearman_high": high,
                }
            )
    if SETS[1] in scored_sets:
        rows.append(_weighted_index_gain(direction, gold, sets, n_boot))
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)  # a score a row lacks is NaN


#: Name of the row that decides between the framing index and its weighted variant.
WEIGHTED_GAIN = "weighted index minus index"


def _weighted_index_gain(
    direction: dict[str, pd.Series], gold: pd.DataFrame, sets: pd.Series, n_boot: int
) -> dict:
    """How much better the weighted index tracks coded tone than the index on development
    articles (difference of Spearman correlations, paired bootstrap interval). The weighted
    index would become the default only if the whole interval is above zero."""
    ids = sets.index[sets == SETS[1]]
    tone = gold.loc[ids, "tone"].to_numpy(dtype=float)
    plain = direction["codebook rules"].loc[ids].to_numpy(dtype=float)
    weighted = direction["codebook rules (weighted index)"].loc[ids].to_numpy(dtype=float)

    def gain(p: np.ndarray, w: np.ndarray, t: np.ndarray) -> float:
        return _spearman(w, t) - _spearman(p, t)

    rng = np.random.default_rng([RANDOM_SEED, 99])
    low, high = _interval(gain, (plain, weighted, tone), rng, n_boot)
    return {
        "set": SETS[1],
        "method": WEIGHTED_GAIN,
        "measure": "tone",
        "frame": "convergence - downturn",
        "n_articles": len(ids),
        "spearman": gain(plain, weighted, tone),
        "spearman_low": low,
        "spearman_high": high,
    }


def sentence_comparison(
    study: Study, scored_sets: tuple[str, ...] = SETS, coding_dir: Path = CODING_DIR
) -> pd.DataFrame:
    """Sentence-level scores per set and frame: the codebook detector against the adjudicated
    sentence codes (every codebook frame), and the sentence classifier (downturn, convergence:
    cross-validated on development, trained on development for the other sets)."""
    sentence_gold = pd.read_csv(coding_dir / "sentence_adjudicated.csv", keep_default_na=False)
    articles = study.articles.reset_index(drop=True)
    sets = article_sets(articles).set_axis(articles["doc_id"])
    detected = measures.frames_per_sentence(study)
    units, _ = _sentence_classifier(study, coding_dir)
    classified = units[units["sent_idx"] >= 0]
    frame_ids = measures.codebook(study).frame_ids
    rows = []
    for set_name in scored_sets:
        gold = sentence_gold[sentence_gold["doc_id"].map(sets.to_dict()) == set_name]
        for method, table, frames in (
            ("codebook rules", detected, frame_ids),
            ("sentence classifier", classified, list(INDEX_FRAMES)),
        ):
            merged = gold.merge(
                table[["doc_id", "sent_idx", *frames]], on=["doc_id", "sent_idx"],
                suffixes=("_gold", ""),
            )
            for frame in frames:
                y = merged[f"{frame}_gold"].to_numpy()
                p = merged[frame].to_numpy().astype(int)
                scores = precision_recall_f1(y, p)
                rows.append(
                    {
                        "set": set_name,
                        "method": method,
                        "frame": frame,
                        "n_sentences": len(merged),
                        "n_positive": int(y.sum()),
                        **{k: scores[k] for k in ("precision", "recall", "f1")},
                        "alpha_method": krippendorff_alpha(y, p)["alpha"],
                    }
                )
    return pd.DataFrame(rows)
