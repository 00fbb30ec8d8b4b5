"""The settings the stages of :mod:`analysis.topics` share: stop words, collocation cutoffs, the
unit and the method, the range of k and the limits on what choosing it costs, the tables' columns.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

#: Words every news story has, whatever it is about: reporting verbs and calendar words.
DOMAIN_STOP_WORDS = frozenset(
    """
    said says say saying told tell added adding according reportedly reported report reports
    statement including just like
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    day days week weeks month months year years time
    mr mrs ms dr
    """.split()
)

#: Stop words removed from every term list: scikit-learn's English list and the domain list.
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | DOMAIN_STOP_WORDS

#: Topic model families behind :class:`TopicModel`.
METHODS = ("lda", "nmf")

#: Likelihood-ratio score above which an adjacent word pair is a collocation (chi-square with
#: one degree of freedom, p < 0.001).
LIKELIHOOD_RATIO_CUTOFF = 10.83

#: Corpus size, in words (whitespace-separated), above which collocations are found on a
#: fixed-seed sample of units of about this many words rather than on every unit (see
#: :class:`PhraseAnalyzer`): about 5,000 full-length news articles, or 80,000 paragraphs.
COLLOCATION_SAMPLE = 5_000_000

#: PMI (log2) above which an adjacent pair is a collocation: eight times more often than chance.
PMI_CUTOFF = 3.0

#: Unit of the study's topic models (see :mod:`analysis.topics.prevalence`).
TOPIC_UNIT = "paragraph"
#: The units a corpus can be modelled on.
TOPIC_UNITS = ("paragraph", "sentence", "article")

#: Topic model family used for the study's figures.
TOPIC_METHOD = "nmf"

#: Numbers of topics compared when choosing k.
K_VALUES = tuple(range(2, 9))

#: Minimum stability (mean matched cosine) for a k to be chosen.
STABILITY_THRESHOLD = 0.6

#: Units above which coherence and stability are measured on a fixed-seed sample of this many
#: (see :func:`topic_quality`): choosing k fits seven k values six times each, which on every
#: paragraph of a corpus of thousands of articles takes hours; the study has 57 paragraphs.
QUALITY_MAX_UNITS = 5_000

#: Units above which :func:`topic_quality` fits LDA online (minibatches of
#: :data:`QUALITY_ONLINE_BATCH`, ten passes) rather than in batch: batch LDA took 180 s of CPU
#: for one fit on 5,000 AllSides paragraphs against 1.2 s for NMF, so choosing k with its 42
#: fits would take about two hours (see benchmarks/RESULTS.md), and on the 619 paragraphs of
#: 150 BBC articles 4 to 8 s per fit against about 1 s online; the ``learning`` column says
#: which was used. NMF is always fitted in batch.
QUALITY_ONLINE_UNITS = 300
QUALITY_ONLINE_BATCH = 256

#: Top terms per topic used for coherence and shown in the figures.
N_TOP_TERMS = 10

#: Refits (each with its own seed and 80% sample of units) behind the stability score.
N_STABILITY_RUNS = 5
STABILITY_SAMPLE = 0.8

#: Fewest units per topic for a k to be tried: with fewer, "topics" are single passages (the
#: study's 57 paragraphs allow k up to 11, so its range 2 to 8 is whole).
MIN_UNITS_PER_TOPIC = 5

#: Units above which :func:`topic_quality` stops refitting a k whose score can no longer reach
#: the best complete k's (below, every fit takes a fraction of a second and every k gets all
#: its refits, so the curves of a small corpus are whole).
EARLY_STOP_UNITS = 200

UNIT_COLUMNS = ["doc_id", "outlet", "unit_idx", "first_sent_idx", "last_sent_idx", "text"]
QUALITY_COLUMNS = [
    "method",
    "k",
    "coherence",
    "stability",
    "stability_jaccard",
    "n_units",
    "learning",
    "n_refits",
]
PREVALENCE_COLUMNS = [
    "outlet",
    "topic",
    "estimate",
    "low",
    "high",
    "n_articles",
    "n_units",
    "resampled",
]
