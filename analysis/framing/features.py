"""Codebook hits as features for scikit-learn: :class:`CodebookFeaturizer`."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from analysis.framing.detect import sentence_hits
from analysis.framing.triggers import triggers_for


class CodebookFeaturizer(TransformerMixin, BaseEstimator):
    """Counted codebook hits per frame for each sentence text, in scikit-learn's contract.

    Parameters
    ----------
    codebook_path
        A codebook YAML file; the study's when ``None``.

    Examples
    --------
    >>> featurizer = CodebookFeaturizer().fit(["Ties are strained."])
    >>> featurizer.get_feature_names_out()[:2].tolist()
    ['frame_downturn', 'frame_convergence']
    >>> featurizer.transform(["Ties are strained.", "A reset in ties."])[:, :2].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """

    def __init__(self, codebook_path: str | None = None):
        self.codebook_path = codebook_path

    def fit(self, texts: Iterable[str], y: object = None) -> CodebookFeaturizer:
        from analysis.framing.codebook import load_codebook

        self.codebook_ = load_codebook(self.codebook_path)
        self.frame_ids_ = self.codebook_.frame_ids
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        rows = []
        triggers = triggers_for(self.codebook_)
        for text in texts:
            counts = dict.fromkeys(self.frame_ids_, 0.0)
            for hit in sentence_hits(text, self.codebook_, 0, triggers):
                if hit["status"] == "counted":
                    counts[hit["frame"]] += 1.0
            rows.append([counts[frame_id] for frame_id in self.frame_ids_])
        return np.asarray(rows, dtype=float).reshape(-1, len(self.frame_ids_))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray([f"frame_{frame_id}" for frame_id in self.frame_ids_], dtype=object)
