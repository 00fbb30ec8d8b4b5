"""Framing: the frame codebook and its detection in articles.

Its modules, in the order the work flows:

- :mod:`~analysis.framing.patterns`: the pattern language (word tokens, stems, compiled patterns);
- :mod:`~analysis.framing.codebook`: the YAML codebook, validated into frames and indicators;
- :mod:`~analysis.framing.triggers`: which indicators can fire in a sentence, from its words;
- :mod:`~analysis.framing.detect`: indicator hits per sentence, with their evidence and status;
- :mod:`~analysis.framing.shares`: frame shares and the framing index per article and outlet;
- :mod:`~analysis.framing.presence`: whether an article presents a frame (the article rule);
- :mod:`~analysis.framing.features`: codebook hits as scikit-learn features.

The public names of its modules are importable from the package itself."""

from analysis.framing.codebook import (
    INDEX_FRAMES,
    PLACES,
    STUDY_CODEBOOK,
    Codebook,
    Frame,
    Indicator,
    load_codebook,
    parse_codebook,
)
from analysis.framing.detect import (
    EVIDENCE_COLUMNS,
    detect_frames,
    sentence_frames,
    sentence_hits,
    title_frames,
)
from analysis.framing.features import CodebookFeaturizer
from analysis.framing.patterns import (
    Pattern,
    PatternMatch,
    PatternWord,
    StemFilter,
    Token,
    WordIndex,
    compile_pattern,
    stem,
    tokenize,
    word_forms,
)
from analysis.framing.presence import article_presence, hit_places
from analysis.framing.shares import HEADLINE_WEIGHT, LEAD_WEIGHT, article_frames, outlet_frames
from analysis.framing.triggers import MAX_REMEMBERED_WORDS, IndicatorTriggers, triggers_for

__all__ = [
    "Codebook",
    "CodebookFeaturizer",
    "EVIDENCE_COLUMNS",
    "Frame",
    "HEADLINE_WEIGHT",
    "INDEX_FRAMES",
    "Indicator",
    "IndicatorTriggers",
    "LEAD_WEIGHT",
    "MAX_REMEMBERED_WORDS",
    "PLACES",
    "Pattern",
    "PatternMatch",
    "PatternWord",
    "STUDY_CODEBOOK",
    "StemFilter",
    "Token",
    "WordIndex",
    "article_frames",
    "article_presence",
    "compile_pattern",
    "detect_frames",
    "hit_places",
    "load_codebook",
    "outlet_frames",
    "parse_codebook",
    "sentence_frames",
    "sentence_hits",
    "stem",
    "title_frames",
    "tokenize",
    "triggers_for",
    "word_forms",
]
