"""The study's measures for a loaded corpus, computed once per :class:`~analysis.pipeline.Study`.

Each function takes a study and returns a tidy table; :meth:`Study.derived` caches it, so the
figures, the report, ``framing score`` and the notebooks share one computation. The functions
themselves are thin: the work is in :mod:`analysis.framing`, :mod:`analysis.voices` and the
other measure modules, which run one article (or sentence) at a time.
"""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook, load_codebook
from analysis.framing import (
    article_frames,
    detect_frames,
    outlet_frames,
    sentence_frames,
    title_frames,
)
from analysis.pipeline import Study
from analysis.sentiment import (
    actor_tone,
    article_tone,
    outlet_tone,
    segment_actors,
    segment_tone,
    sentence_tone,
)
from analysis.voices import (
    ActorList,
    load_actors,
    quotations_for_articles,
    sentence_segments,
    sentence_voice,
)


def codebook(study: Study) -> Codebook:
    """The study's frame codebook (the user's when the study was loaded with one)."""
    return study.derived("codebook", lambda s: load_codebook(s.codebook_path))


def actors(study: Study) -> ActorList:
    """The study's actor list."""
    return study.derived("actors", lambda s: load_actors(s.actors_path))


def quotations(study: Study) -> pd.DataFrame:
    """Direct quotations with speakers (see :mod:`analysis.voices`)."""
    return study.derived(
        "quotations",
        lambda s: quotations_for_articles(s.articles, s.sentences, actors(s)),
    )


def segments(study: Study) -> pd.DataFrame:
    """Narration and quotation segments of every sentence."""
    return study.derived("segments", lambda s: sentence_segments(s.sentences, quotations(s)))


def voice(study: Study) -> pd.DataFrame:
    """Per sentence: quoted characters, voice and main speaker."""
    return study.derived("voice", lambda s: sentence_voice(s.sentences, segments(s)))


def evidence(study: Study) -> pd.DataFrame:
    """Every indicator hit with spans, rule, status and voice."""
    return study.derived(
        "evidence", lambda s: detect_frames(s.sentences, codebook(s), quotations(s))
    )


def frames_per_sentence(study: Study) -> pd.DataFrame:
    """0/1 per sentence and frame."""
    return study.derived(
        "frames_per_sentence",
        lambda s: sentence_frames(s.sentences, evidence(s), codebook(s).frame_ids),
    )


def frames_per_article(study: Study) -> pd.DataFrame:
    """Frame counts, shares and the framing indices per article."""

    def compute(s: Study) -> pd.DataFrame:
        book = codebook(s)
        return article_frames(
            s.articles, frames_per_sentence(s), title_frames(s.articles, book), book.frame_ids
        )

    return study.derived("frames_per_article", compute)


def frames_per_outlet(study: Study) -> pd.DataFrame:
    """Frame shares and the framing index per outlet with bootstrap intervals."""
    return study.derived(
        "frames_per_outlet",
        lambda s: outlet_frames(
            frames_per_article(s), frames_per_sentence(s), codebook(s).frame_ids
        ),
    )


def tone_per_sentence(study: Study) -> pd.DataFrame:
    """VADER compound per sentence, with the sentence's voice and speaker."""
    return study.derived("tone_per_sentence", lambda s: sentence_tone(s.sentences, voice(s)))


def tone_per_segment(study: Study) -> pd.DataFrame:
    """VADER compound per narration or quotation segment."""

    def compute(s: Study) -> pd.DataFrame:
        scored = dict(zip(s.sentences["text"], tone_per_sentence(s)["compound"], strict=True))
        return segment_tone(segments(s), scored)

    return study.derived("tone_per_segment", compute)


def tone_per_article(study: Study) -> pd.DataFrame:
    """Mean tone per article (all, narration, quotation) and quotation share."""
    return study.derived(
        "tone_per_article",
        lambda s: article_tone(s.articles, tone_per_sentence(s), tone_per_segment(s)),
    )


def tone_per_outlet(study: Study) -> pd.DataFrame:
    """Mean tone per outlet and voice with bootstrap intervals."""
    return study.derived(
        "tone_per_outlet",
        lambda s: outlet_tone(s.articles, tone_per_sentence(s), tone_per_segment(s)),
    )


def tone_per_actor(study: Study) -> pd.DataFrame:
    """Tone of the segments mentioning each actor, per outlet and voice."""

    def compute(s: Study) -> pd.DataFrame:
        mentions = segment_actors(segments(s), actors(s))
        return actor_tone(s.articles, tone_per_segment(s), mentions)

    return study.derived("tone_per_actor", compute)


def score_table(study: Study) -> pd.DataFrame:
    """One row per article: every per-article measure (``framing score``'s output)."""
    tone = tone_per_article(study)[
        [
            "doc_id",
            "sentiment_mean",
            "sentiment_narration",
            "sentiment_quotation",
            "quotation_share",
        ]
    ]
    return frames_per_article(study).merge(tone, on="doc_id", how="left")
