"""The reuse detector's settings, its result, and the columns of the result's tables.

:class:`ReuseSettings` holds every threshold (the study's values are the defaults, justified in
:mod:`analysis.reuse.detect`); :class:`ReuseResult` is what
:func:`~analysis.reuse.detect.detect_reuse` finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.core.config import RANDOM_SEED
from analysis.core.errors import InputError

PASSAGE_COLUMNS = ["doc_a", "doc_b", "start_a", "end_a", "start_b", "end_b", "n_words"]
MATCH_COLUMNS = [
    "doc_a",
    "sent_idx_a",
    "doc_b",
    "sent_idx_b",
    "kind",
    "similarity",
    "shared_words",
]
PAIR_COLUMNS = [
    "doc_a",
    "doc_b",
    "outlet_a",
    "outlet_b",
    "kind",
    "share_a",
    "share_b",
    "verbatim_share_a",
    "verbatim_share_b",
    "n_verbatim_sentences",
    "n_rewrite_sentences",
    "n_passages",
    "longest_passage_words",
]
KINDS = ("verbatim", "rewrite")


@dataclass(frozen=True)
class ReuseSettings:
    """The detector's parameters; the defaults are the study's (:mod:`analysis.reuse.detect`).

    Parameters
    ----------
    shingle_size
        Words in a shingle; also the shortest verbatim passage.
    verbatim_min_share
        Share of the shorter sentence's words that verbatim passages must align for a
        verbatim sentence pair.
    rewrite_threshold
        Lowest TF-IDF cosine of a rewrite sentence pair.
    min_rewrite_words
        Shortest sentence (in words) judged for rewriting.
    min_shared_words
        Fewest content words (English stop words excluded) a rewrite pair must share.
    all_pairs_max_docs
        Largest corpus compared pair by pair; larger ones use MinHash-LSH candidates.
    num_perm, lsh_threshold
        MinHash permutations, and the Jaccard threshold the LSH bands are chosen for.
    lsh_min_words
        Fewest content words for a sentence to be sketched.
    lsh_max_df
        Words found in more sentences than this are left out of the sketches.
    lsh_min_collisions
        Fewest band collisions (over all their sentences) that make two articles a candidate.
    max_bucket_docs
        A band bucket with more articles than this yields no candidate pairs.
    template_min_docs
        A sentence printed word for word in this many articles of one outlet is the outlet's
        template text and is neither matched nor sketched.
    chunk_size
        Articles processed at a time on the LSH path.
    seed
        Seed of the MinHash permutations.
    """

    shingle_size: int = 8
    verbatim_min_share: float = 0.5
    rewrite_threshold: float = 0.4
    min_rewrite_words: int = 8
    min_shared_words: int = 4
    all_pairs_max_docs: int = 300
    num_perm: int = 128
    lsh_threshold: float = 0.4
    lsh_min_words: int = 3
    lsh_max_df: int = 1000
    lsh_min_collisions: int = 2
    max_bucket_docs: int = 100
    template_min_docs: int = 5
    chunk_size: int = 2000
    seed: int = RANDOM_SEED

    def __post_init__(self) -> None:
        checks = {
            "shingle_size": self.shingle_size >= 2,
            "verbatim_min_share": 0 < self.verbatim_min_share <= 1,
            "rewrite_threshold": 0 < self.rewrite_threshold <= 1,
            "min_rewrite_words": self.min_rewrite_words >= 1,
            "min_shared_words": self.min_shared_words >= 0,
            "num_perm": self.num_perm >= 2,
            "lsh_threshold": 0 < self.lsh_threshold < 1,
            "max_bucket_docs": self.max_bucket_docs >= 2,
            "lsh_min_collisions": self.lsh_min_collisions >= 1,
            "template_min_docs": self.template_min_docs >= 2,
            "chunk_size": self.chunk_size >= 1,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise InputError(
                f"reuse settings: invalid value for {', '.join(bad)} "
                f"({', '.join(f'{name}={getattr(self, name)!r}' for name in bad)})"
            )


@dataclass
class ReuseResult:
    """What :func:`detect_reuse` found.

    Attributes
    ----------
    passages
        One row per verbatim passage (:data:`PASSAGE_COLUMNS`): the two articles, the
        passage's character offsets in each article's ``clean_text`` and its length in words.
    matches
        One row per shared sentence pair (:data:`MATCH_COLUMNS`): kind ``verbatim`` or
        ``rewrite``, TF-IDF cosine, and words aligned by verbatim passages.
    pairs
        One row per pair of articles sharing at least one sentence (:data:`PAIR_COLUMNS`).
    templates
        ``doc_id, sent_idx`` of the sentences left out as outlet template text.
    summary
        Counts: articles, sentences, all pairs, candidate pairs, pairs found, method, LSH
        bands and rows, skipped buckets; and the settings.
    """

    passages: pd.DataFrame
    matches: pd.DataFrame
    pairs: pd.DataFrame
    templates: pd.DataFrame
    summary: dict = field(default_factory=dict)
