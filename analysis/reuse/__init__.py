"""Shared text between articles: wire copy and rewrites, found sentence by sentence.

The public names of its modules are importable from the package itself. The modules, in the
order the detector uses them (the method is described in :mod:`analysis.reuse.detect`):

- :mod:`~analysis.reuse.settings`: the detector's settings, its result and their columns;
- :mod:`~analysis.reuse.features`: tokens and features of one article;
- :mod:`~analysis.reuse.compare`: comparing two articles;
- :mod:`~analysis.reuse.lsh`: MinHash-LSH candidate pairs of a large corpus;
- :mod:`~analysis.reuse.verify`: verifying candidate pairs, in blocks and worker processes;
- :mod:`~analysis.reuse.detect`: the detector, :func:`detect_reuse`;
- :mod:`~analysis.reuse.tables`: per sentence, per article and cluster tables;
- :mod:`~analysis.reuse.marks`: validation against the hand marks.
"""

from analysis.reuse.detect import chosen_method, detect_reuse, detector_inputs, reuse_pairs
from analysis.reuse.features import reuse_tokens
from analysis.reuse.lsh import lsh_parameters, minhash_signatures
from analysis.reuse.marks import (
    REUSE_MARKS_FILE,
    VALIDATION_COLUMNS,
    read_reuse_marks,
    reuse_validation,
    threshold_sweep,
)
from analysis.reuse.settings import (
    KINDS,
    MATCH_COLUMNS,
    PAIR_COLUMNS,
    PASSAGE_COLUMNS,
    ReuseResult,
    ReuseSettings,
)
from analysis.reuse.tables import (
    ARTICLE_REUSE_COLUMNS,
    SENTENCE_REUSE_COLUMNS,
    STATUSES,
    article_reuse,
    article_reuse_with_clusters,
    passage_texts,
    reuse_clusters,
    sentence_reuse,
)

__all__ = [
    "ARTICLE_REUSE_COLUMNS",
    "KINDS",
    "MATCH_COLUMNS",
    "PAIR_COLUMNS",
    "PASSAGE_COLUMNS",
    "REUSE_MARKS_FILE",
    "ReuseResult",
    "ReuseSettings",
    "SENTENCE_REUSE_COLUMNS",
    "STATUSES",
    "VALIDATION_COLUMNS",
    "article_reuse",
    "article_reuse_with_clusters",
    "chosen_method",
    "detect_reuse",
    "detector_inputs",
    "lsh_parameters",
    "minhash_signatures",
    "passage_texts",
    "read_reuse_marks",
    "reuse_clusters",
    "reuse_pairs",
    "reuse_tokens",
    "reuse_validation",
    "sentence_reuse",
    "threshold_sweep",
]
