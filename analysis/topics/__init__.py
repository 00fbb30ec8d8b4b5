"""Topics and terms: phrase-aware terms, LDA and NMF topic models, their quality, and topic
prevalence per outlet.

The modules, in the order of the analysis (each imports only from the ones before it):

- :mod:`~analysis.topics.settings`: stop words, cutoffs, the unit and method, the range of k.
- :mod:`~analysis.topics.terms`: a text's content terms, collocations merged
  (:class:`PhraseAnalyzer`).
- :mod:`~analysis.topics.analysed`: texts analysed once, their terms kept as numbers for every
  reader (:func:`analyse_texts`).
- :mod:`~analysis.topics.model`: LDA and NMF behind one scikit-learn estimator
  (:class:`TopicModel`).
- :mod:`~analysis.topics.quality`: NPMI coherence, stability under refits, validity against
  labelled news.
- :mod:`~analysis.topics.ksearch`: the number of topics (:func:`topic_quality`,
  :func:`choose_k`).
- :mod:`~analysis.topics.prevalence`: the units, each unit's topic shares, each outlet's
  prevalence (:func:`outlet_topics`), typical units.

The public names of its modules are importable from the package itself.
"""

from analysis.topics.analysed import AnalysedTexts, analyse_texts
from analysis.topics.ksearch import choose_k, topic_quality
from analysis.topics.model import TopicModel
from analysis.topics.prevalence import (
    outlet_topics,
    topic_labels,
    topic_units,
    typical_units,
    unit_topics,
)
from analysis.topics.quality import (
    match_topics,
    model_coherence,
    npmi_coherence,
    purity,
    topic_stability,
    topic_validity,
)
from analysis.topics.settings import (
    COLLOCATION_SAMPLE,
    DOMAIN_STOP_WORDS,
    EARLY_STOP_UNITS,
    K_VALUES,
    LIKELIHOOD_RATIO_CUTOFF,
    METHODS,
    MIN_UNITS_PER_TOPIC,
    N_STABILITY_RUNS,
    N_TOP_TERMS,
    PMI_CUTOFF,
    PREVALENCE_COLUMNS,
    QUALITY_COLUMNS,
    QUALITY_MAX_UNITS,
    QUALITY_ONLINE_BATCH,
    QUALITY_ONLINE_UNITS,
    STABILITY_SAMPLE,
    STABILITY_THRESHOLD,
    STOP_WORDS,
    TOPIC_METHOD,
    TOPIC_UNIT,
    TOPIC_UNITS,
    UNIT_COLUMNS,
)
from analysis.topics.terms import (
    PhraseAnalyzer,
    collocation_sample,
    find_collocations,
    map_in_order,
    merge_collocations,
)

__all__ = [
    "AnalysedTexts",
    "COLLOCATION_SAMPLE",
    "DOMAIN_STOP_WORDS",
    "EARLY_STOP_UNITS",
    "K_VALUES",
    "LIKELIHOOD_RATIO_CUTOFF",
    "METHODS",
    "MIN_UNITS_PER_TOPIC",
    "N_STABILITY_RUNS",
    "N_TOP_TERMS",
    "PMI_CUTOFF",
    "PREVALENCE_COLUMNS",
    "PhraseAnalyzer",
    "QUALITY_COLUMNS",
    "QUALITY_MAX_UNITS",
    "QUALITY_ONLINE_BATCH",
    "QUALITY_ONLINE_UNITS",
    "STABILITY_SAMPLE",
    "STABILITY_THRESHOLD",
    "STOP_WORDS",
    "TOPIC_METHOD",
    "TOPIC_UNIT",
    "TOPIC_UNITS",
    "TopicModel",
    "UNIT_COLUMNS",
    "analyse_texts",
    "choose_k",
    "collocation_sample",
    "find_collocations",
    "map_in_order",
    "match_topics",
    "merge_collocations",
    "model_coherence",
    "npmi_coherence",
    "outlet_topics",
    "purity",
    "topic_labels",
    "topic_quality",
    "topic_stability",
    "topic_units",
    "topic_validity",
    "typical_units",
    "unit_topics",
]
