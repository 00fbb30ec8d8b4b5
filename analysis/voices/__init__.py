"""Who speaks: actors, direct quotations with their speakers, and narration versus quotation.

Its modules:

- :mod:`~analysis.voices.actors`: the actor list and the actors a text mentions;
- :mod:`~analysis.voices.quotations`: direct quotations in an article, each with its speaker;
- :mod:`~analysis.voices.segments`: sentences split into narration and quotation segments.

The public names of its modules are importable from the package itself.
"""

from analysis.voices.actors import (
    ACTOR_KINDS,
    STUDY_ACTORS,
    Actor,
    ActorList,
    actor_mentions,
    load_actors,
    parse_actors,
)
from analysis.voices.quotations import (
    QUOTATION_COLUMNS,
    find_quotations,
    is_reported_speech,
    quotations_for_articles,
    quote_spans,
)
from analysis.voices.segments import (
    SEGMENT_COLUMNS,
    segment_texts,
    sentence_segments,
    sentence_voice,
)

__all__ = [
    "ACTOR_KINDS",
    "Actor",
    "ActorList",
    "QUOTATION_COLUMNS",
    "SEGMENT_COLUMNS",
    "STUDY_ACTORS",
    "actor_mentions",
    "find_quotations",
    "is_reported_speech",
    "load_actors",
    "parse_actors",
    "quotations_for_articles",
    "quote_spans",
    "segment_texts",
    "sentence_segments",
    "sentence_voice",
]
