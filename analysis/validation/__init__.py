"""Validation of the detectors against hand coding: seed scores, coder agreement.

The public names of its modules are importable from the package itself."""

from analysis.validation.seeds import (
    ANNOTATIONS_DIR,
    CODER_FILES,
    GOLD_FILE,
    alpha,
    baseline_model,
    frame_validation,
    leave_one_article_out,
    precision_recall_f1,
    quotation_scores,
    quotation_validation,
    read_frame_codes,
)

__all__ = [
    "ANNOTATIONS_DIR",
    "CODER_FILES",
    "GOLD_FILE",
    "alpha",
    "baseline_model",
    "frame_validation",
    "leave_one_article_out",
    "precision_recall_f1",
    "quotation_scores",
    "quotation_validation",
    "read_frame_codes",
]
