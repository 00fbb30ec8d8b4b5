"""Topic quality: the coherence and stability of a fitted model, and validity against labels.

- *Coherence* (:func:`npmi_coherence`): the mean normalised pointwise mutual information of
  the pairs of a topic's top ten terms, with probabilities from the corpus's own units
  (Bouma 2009; Lau, Newman & Baldwin 2014): +1 when two terms always occur together, 0 when
  independent, -1 when never together.
- *Stability* (:func:`topic_stability`): the model is refitted with five further seeds, each
  on a random 80% of the units (the seed draws both the sample and the initialisation,
  following Greene, O'Callaghan & Cunningham 2014; NNDSVD-initialised NMF would otherwise be
  trivially stable); each refit's topics are matched to the reference fit's by the Hungarian
  algorithm on the cosine of their topic-term vectors, and the stability is the mean matched
  cosine (top-ten-term Jaccard is reported beside it).
- *Validity* (:func:`topic_validity`): on labelled news (BBC News, five sections), LDA and NMF
  with one topic per label, fitted on whole articles; each article goes to its largest topic,
  and the assignment is compared with the labels by normalised mutual information and purity.

Choosing the number of topics from coherence and stability is :mod:`analysis.topics.ksearch`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import normalized_mutual_info_score

from analysis.core.config import RANDOM_SEED
from analysis.topics.analysed import AnalysedTexts
from analysis.topics.model import TopicModel
from analysis.topics.settings import METHODS, N_STABILITY_RUNS, N_TOP_TERMS, STABILITY_SAMPLE


def npmi_coherence(
    document_terms: sparse.spmatrix | np.ndarray, topic_terms: Sequence[Sequence[int]]
) -> np.ndarray:
    """Mean NPMI of the term pairs of each topic, from document co-occurrence.

    NPMI(a, b) = log(p(a, b) / (p(a) p(b))) / -log p(a, b), where p is the share of documents
    containing the term(s); -1 when a and b never occur in the same document, +1 when they
    always do (also when both are in every document).

    Parameters
    ----------
    document_terms
        Documents x terms; any non-zero entry counts as presence.
    topic_terms
        For each topic, the column indices of its top terms.

    Returns
    -------
    ndarray of shape (n_topics,)

    Examples
    --------
    >>> docs = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]])
    >>> npmi_coherence(docs, [[0, 1], [0, 2]]).tolist()
    [1.0, -1.0]
    """
    present = sparse.csc_matrix(document_terms) > 0
    n_documents = present.shape[0]
    scores = []
    for terms in topic_terms:
        terms = list(terms)
        columns = present[:, terms].astype(np.int64)
        together = (columns.T @ columns).toarray().astype(float) / n_documents
        alone = np.diag(together)
        values = []
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                joint = together[i, j]
                if joint == 0:
                    values.append(-1.0)
                elif joint == 1:
                    values.append(1.0)
                else:
                    pmi = np.log(joint / (alone[i] * alone[j]))
                    values.append(float(pmi / -np.log(joint)))
        scores.append(float(np.mean(values)) if values else float("nan"))
    return np.asarray(scores)


def model_coherence(
    model: TopicModel, texts: Iterable[str] | AnalysedTexts, n_terms: int = N_TOP_TERMS
) -> float:
    """Mean :func:`npmi_coherence` of a fitted model's topics over ``texts``' documents (or
    over texts already analysed: :meth:`TopicModel.analysed`)."""
    return float(
        np.mean(npmi_coherence(model.document_terms(texts), model.top_term_indices(n_terms)))
    )


def match_topics(
    reference: TopicModel, other: TopicModel, n_terms: int = N_TOP_TERMS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair each topic of ``reference`` with one of ``other`` (Hungarian algorithm, cosine of the
    topic-term vectors over the union of the two vocabularies).

    Returns
    -------
    other_topic : ndarray of int
        For reference topic ``i`` (0-based), the matched topic of ``other``.
    cosine, jaccard : ndarray of float
        The matched pairs' cosine similarity and top-``n_terms`` Jaccard similarity.
    """
    vocabulary = {
        term: i for i, term in enumerate(sorted(set(reference.terms_) | set(other.terms_)))
    }

    def on_union(model: TopicModel) -> np.ndarray:
        vectors = np.zeros((model.components_.shape[0], len(vocabulary)))
        vectors[:, [vocabulary[t] for t in model.terms_]] = model.components_
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    cosines = on_union(reference) @ on_union(other).T
    rows, columns = linear_sum_assignment(cosines, maximize=True)
    top_reference = [set(reference.terms_[i]) for i in reference.top_term_indices(n_terms)]
    top_other = [set(other.terms_[i]) for i in other.top_term_indices(n_terms)]
    jaccard = np.asarray(
        [
            len(top_reference[r] & top_other[c]) / len(top_reference[r] | top_other[c])
            for r, c in zip(rows, columns, strict=True)
        ]
    )
    return columns, cosines[rows, columns], jaccard


def _refit_seeds(random_state: int, n_runs: int) -> list[int]:
    return [int(seed) for seed in np.random.default_rng(random_state).integers(0, 2**31, n_runs)]


def topic_stability(
    reference: TopicModel,
    texts: Sequence[str],
    *,
    n_runs: int = N_STABILITY_RUNS,
    sample_fraction: float = STABILITY_SAMPLE,
    n_terms: int = N_TOP_TERMS,
) -> tuple[float, float]:
    """How well refits with other seeds recover a fitted model's topics.

    Each of ``n_runs`` refits (same parameters, its own seed) is fitted on a random
    ``sample_fraction`` of ``texts`` drawn with that seed, its topics are matched to the
    reference's (:func:`match_topics`), and the matched similarities are averaged over topics
    and refits.

    Returns
    -------
    cosine, jaccard : float
        Mean matched cosine of topic-term vectors, and mean matched top-term Jaccard.
    """
    texts = list(texts)
    cosines, jaccards = [], []
    for seed in _refit_seeds(reference.random_state, n_runs):
        rng = np.random.default_rng(seed)
        size = max(reference.n_topics, round(sample_fraction * len(texts)))
        sample = sorted(rng.choice(len(texts), size=size, replace=False))
        refit = TopicModel(**{**reference.get_params(), "random_state": seed})
        refit.fit([texts[i] for i in sample])
        _, cosine, jaccard = match_topics(reference, refit, n_terms)
        cosines.append(cosine.mean())
        jaccards.append(jaccard.mean())
    return float(np.mean(cosines)), float(np.mean(jaccards))


def topic_validity(
    documents: pd.DataFrame,
    *,
    text_column: str = "text",
    label_column: str = "category",
    methods: Iterable[str] = METHODS,
    random_state: int = RANDOM_SEED,
    model_params: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """How well topics recover known labels: NMI and purity of each method.

    Repeated texts are kept once (the first). Each method is fitted with k = the number of
    labels on the whole documents; each document goes to its largest topic.

    Parameters
    ----------
    documents
        One row per document, with a text and a label column.
    model_params
        Further :class:`TopicModel` parameters; by default ``min_df=5, max_df=0.5``, suited to
        a few thousand articles.

    Returns
    -------
    DataFrame
        Columns method, n_topics, n_documents, nmi, purity.

    See Also
    --------
    sklearn.metrics.normalized_mutual_info_score
    """
    unique = documents.drop_duplicates(text_column)
    texts = unique[text_column].tolist()
    labels = unique[label_column].to_numpy()
    n_labels = len(set(labels))
    params = {"min_df": 5, "max_df": 0.5, **(model_params or {})}
    rows = []
    for method in methods:
        model = TopicModel(
            **{**params, "method": method, "n_topics": n_labels}, random_state=random_state
        )
        assigned = model.fit_transform(texts).argmax(axis=1)
        rows.append(
            {
                "method": method,
                "n_topics": n_labels,
                "n_documents": len(texts),
                "nmi": float(normalized_mutual_info_score(labels, assigned)),
                "purity": purity(labels, assigned),
            }
        )
    return pd.DataFrame(rows, columns=["method", "n_topics", "n_documents", "nmi", "purity"])


def purity(labels: Sequence[object], clusters: Sequence[object]) -> float:
    """Share of documents whose cluster's most common label is their own.

    >>> purity(["a", "a", "b", "b"], [0, 0, 0, 1])
    0.75
    """
    table = pd.crosstab(pd.Series(list(clusters)), pd.Series(list(labels)))
    return float(table.max(axis=1).sum() / table.to_numpy().sum())
