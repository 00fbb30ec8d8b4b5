"""Codebook hits as features for scikit-learn: :class:`CodebookFeaturizer`."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted

from analysis.framing.codebook import load_codebook
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
        """Load the codebook (``texts`` and ``y`` are not used); learned: ``codebook_``,
        ``frame_ids_``."""
        self.codebook_ = load_codebook(self.codebook_path)
        self.frame_ids_ = self.codebook_.frame_ids
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        """Counted hits per frame: one row per text, one column per frame of the codebook."""
        check_is_fitted(self)
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
        """``frame_<id>`` for every frame, in the order of :meth:`transform`'s columns."""
        check_is_fitted(self)
        return np.asarray([f"frame_{frame_id}" for frame_id in self.frame_ids_], dtype=object)

    def __sklearn_tags__(self) -> Tags:
        """Input is a list of texts, as for scikit-learn's text vectorisers."""
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
