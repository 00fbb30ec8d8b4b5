"""The study's measures for a loaded corpus, computed once per :class:`~analysis.study.load.Study`.

Each function takes a study and returns a tidy table; :meth:`Study.derived` caches it, so the
figures, the report, ``framing score`` and the notebooks share one computation. The functions
themselves are thin: the work is in :mod:`analysis.framing`, :mod:`analysis.voices` and the
other measure modules, which run one article (or sentence) at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd
from scipy import sparse

from analysis import reuse as text_reuse
from analysis import topics as topic_models
from analysis.distinctive import distinctive_terms as log_odds_terms
from analysis.framing import (
    Codebook,
    article_frames,
    article_presence,
    detect_frames,
    load_codebook,
    outlet_frames,
    sentence_frames,
    title_frames,
)
from analysis.sentiment import (
    actor_tone,
    article_tone,
    outlet_tone,
    segment_actors,
    segment_tone,
    sentence_tone,
)
from analysis.study.load import Study
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
        lambda s: quotations_for_articles(s.articles, s.sentences, actors(s), s.workers),
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
        "evidence", lambda s: detect_frames(s.sentences, codebook(s), quotations(s), s.workers)
    )


def frames_per_sentence(study: Study) -> pd.DataFrame:
    """0/1 per sentence and frame."""
    return study.derived(
        "frames_per_sentence",
        lambda s: sentence_frames(s.sentences, evidence(s), codebook(s).frame_ids),
    )


def frames_per_title(study: Study) -> pd.DataFrame:
    """0/1 per article headline and frame (read by the all-text and own-text article tables)."""
    return study.derived("frames_per_title", lambda s: title_frames(s.articles, codebook(s)))


def frames_per_article(study: Study) -> pd.DataFrame:
    """Frame counts, shares and the framing indices per article."""

    def compute(s: Study) -> pd.DataFrame:
        book = codebook(s)
        headline = frames_per_title(s)
        table = article_frames(s.articles, frames_per_sentence(s), headline, book.frame_ids)
        presence = article_presence(s.articles, evidence(s), headline, book)
        return table.merge(presence, on="doc_id", how="left")

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
    return study.derived(
        "tone_per_sentence", lambda s: sentence_tone(s.sentences, voice(s), s.workers)
    )


def tone_per_segment(study: Study) -> pd.DataFrame:
    """VADER compound per narration or quotation segment."""

    def compute(s: Study) -> pd.DataFrame:
        spans = s.sentences[["doc_id", "sent_idx", "start", "end"]]
        scored = spans.assign(compound=tone_per_sentence(s)["compound"].to_numpy())
        return segment_tone(segments(s), s.sentences, scored, s.workers)

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
        mentions = segment_actors(segments(s), s.sentences, actors(s), s.workers)
        return actor_tone(s.articles, tone_per_segment(s), mentions)

    return study.derived("tone_per_actor", compute)


# --- syndication (see analysis.reuse) ---------------------------------------------------------


def reuse_detection(study: Study) -> text_reuse.ReuseResult:
    """Verbatim passages, sentence matches and article pairs that share text."""
    return study.derived(
        "reuse_detection",
        lambda s: text_reuse.detect_reuse(s.articles, s.sentences, workers=s.workers),
    )


def reuse_per_sentence(study: Study) -> pd.DataFrame:
    """Per sentence: original, verbatim or rewrite, ``own``, partners and best match."""
    return study.derived(
        "reuse_per_sentence",
        lambda s: text_reuse.sentence_reuse(s.sentences, reuse_detection(s).matches),
    )


def reuse_per_article(study: Study) -> pd.DataFrame:
    """Per article: shared share, nearest neighbour, neighbours and the cluster it is in."""

    def compute(s: Study) -> pd.DataFrame:
        pairs = reuse_detection(s).pairs
        return text_reuse.article_reuse_with_clusters(s.articles, reuse_per_sentence(s), pairs)

    return study.derived("reuse_per_article", compute)


def shared_share_per_article(study: Study) -> pd.DataFrame:
    """Per article: ``shared_share``, the share of its words in sentences it shares."""

    def compute(s: Study) -> pd.DataFrame:
        no_pairs = pd.DataFrame(columns=text_reuse.PAIR_COLUMNS)
        table = text_reuse.article_reuse(s.articles, reuse_per_sentence(s), no_pairs)
        return table[["doc_id", "shared_share"]]

    return study.derived("shared_share_per_article", compute)


def _own(study: Study, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a per-sentence table that are in their article's own (not shared) text."""
    own = reuse_per_sentence(study)[["doc_id", "sent_idx", "own"]]
    marked = table.merge(own, on=["doc_id", "sent_idx"], how="left", validate="many_to_one")
    return marked[marked["own"].fillna(True).astype(bool)].drop(columns="own")


def frames_per_article_own(study: Study) -> pd.DataFrame:
    """:func:`frames_per_article` on each article's own sentences only (headline included:
    titles are not compared for reuse). An article with no own sentence has NaN shares."""

    def compute(s: Study) -> pd.DataFrame:
        book = codebook(s)
        own_sentences = _own(s, frames_per_sentence(s))
        return article_frames(s.articles, own_sentences, frames_per_title(s), book.frame_ids)

    return study.derived("frames_per_article_own", compute)


def frames_per_outlet_own(study: Study) -> pd.DataFrame:
    """:func:`frames_per_outlet` on own text: the outlet's words, not the wire's."""
    return study.derived(
        "frames_per_outlet_own",
        lambda s: outlet_frames(
            frames_per_article_own(s), _own(s, frames_per_sentence(s)), codebook(s).frame_ids
        ),
    )


def tone_per_article_own(study: Study) -> pd.DataFrame:
    """:func:`tone_per_article` on each article's own sentences only."""

    def compute(s: Study) -> pd.DataFrame:
        own_segments = _own(s, tone_per_segment(s))
        return article_tone(s.articles, _own(s, tone_per_sentence(s)), own_segments)

    return study.derived("tone_per_article_own", compute)


# --- topics and distinctive language (see analysis.topics, analysis.distinctive) ---------------


def topic_units(study: Study) -> pd.DataFrame:
    """The study's topic units (:data:`~analysis.topics.TOPIC_UNIT`: paragraphs)."""
    return study.derived(
        "topic_units",
        lambda s: topic_models.topic_units(s.sentences, s.articles, unit=topic_models.TOPIC_UNIT),
    )


def topic_quality(study: Study, methods: Iterable[str] = topic_models.METHODS) -> pd.DataFrame:
    """Coherence and stability over :data:`~analysis.topics.K_VALUES` for each method (each
    method cached on its own, so choosing k for the study's method does not fit the other)."""
    tables = [
        study.derived(
            f"topic_quality_{method}",
            lambda s, method=method: topic_models.topic_quality(
                topic_units(s)["text"], methods=[method], workers=s.workers
            ),
        )
        for method in methods
    ]
    return pd.concat(tables, ignore_index=True)


def topic_k(study: Study) -> int:
    """The number of topics of the study's model, by :func:`~analysis.topics.choose_k`."""
    method = topic_models.TOPIC_METHOD
    return topic_models.choose_k(topic_quality(study, [method]), method=method)


@dataclass
class _FittedTopics:
    """The study's topic model, and its units' document-term matrix until
    :func:`topics_per_unit` has used it (``None`` after: the units are analysed once, and the
    matrix is not held for the rest of a build)."""

    model: topic_models.TopicModel
    unit_terms: sparse.csr_matrix | None


def topic_unit_terms(study: Study) -> topic_models.AnalysedTexts:
    """The topic units analysed once, as the study's topic model analyses them, in the study's
    workers: read by the topic model and by the distinctive terms."""
    return study.derived(
        "topic_unit_terms",
        lambda s: topic_models.TopicModel(n_jobs=s.workers).analysed(topic_units(s)["text"]),
    )


def _fitted_topics(study: Study) -> _FittedTopics:
    def compute(s: Study) -> _FittedTopics:
        model = topic_models.TopicModel(method=topic_models.TOPIC_METHOD, n_topics=topic_k(s))
        analysed = topic_unit_terms(s)
        return _FittedTopics(model.fit_analysed(analysed), model.vectorize(analysed))

    return study.derived("topic_model", compute)


def topic_model(study: Study) -> topic_models.TopicModel:
    """The study's topic model: the study's method with the chosen k, fitted on the units
    analysed once (:func:`topic_unit_terms`)."""
    return _fitted_topics(study).model


def topics_per_unit(study: Study) -> pd.DataFrame:
    """Topic shares of every unit (see :func:`~analysis.topics.unit_topics`), from the matrix
    the model was fitted on when it is still held."""

    def compute(s: Study) -> pd.DataFrame:
        fitted = _fitted_topics(s)
        matrix, fitted.unit_terms = fitted.unit_terms, None
        return topic_models.unit_topics(fitted.model, topic_units(s), matrix)

    return study.derived("topics_per_unit", compute)


def topics_per_outlet(study: Study) -> pd.DataFrame:
    """Topic prevalence per outlet with bootstrap intervals."""
    return study.derived(
        "topics_per_outlet", lambda s: topic_models.outlet_topics(topics_per_unit(s))
    )


def topic_terms(study: Study, n_terms: int = topic_models.N_TOP_TERMS) -> pd.DataFrame:
    """Top terms of each of the study's topics."""
    return topic_model(study).top_terms(n_terms)


def typical_topic_units(study: Study, n_units: int = 3) -> pd.DataFrame:
    """The most typical units of each topic (see :func:`~analysis.topics.typical_units`)."""
    return topic_models.typical_units(topics_per_unit(study), topic_units(study), n_units)


#: Terms kept per outlet in :func:`distinctive_terms` (the figure plots the first 10). Every
#: term of every outlet is outlets x vocabulary rows: 7.0 million rows and a 2.9 GB peak for the
#: first 2,000 AllSides articles (118 outlets), and it grows with both.
DISTINCTIVE_TERMS = 50


def distinctive_terms(study: Study) -> pd.DataFrame:
    """Each outlet's :data:`DISTINCTIVE_TERMS` terms of largest z against all the others, over
    the study's topic units (see :func:`analysis.distinctive.distinctive_terms`)."""
    return _distinctive(study, "distinctive_terms", False, DISTINCTIVE_TERMS)


#: Terms kept per pair of outlets in :func:`distinctive_terms_pairwise`.
PAIRWISE_DISTINCTIVE_TERMS = 10


def distinctive_terms_pairwise(study: Study) -> pd.DataFrame:
    """Each outlet against all the others and against every other outlet on its own, the
    :data:`PAIRWISE_DISTINCTIVE_TERMS` most distinctive terms of each comparison (a corpus of
    90 outlets has 8,010 pairs; every term of every pair took 12 GB)."""
    return _distinctive(study, "distinctive_terms_pairwise", True, PAIRWISE_DISTINCTIVE_TERMS)


def _distinctive(study: Study, name: str, pairwise: bool, n_terms: int) -> pd.DataFrame:
    """The table ``name``: log-odds terms of the topic units by outlet, in the study's workers."""
    options = {"pairwise": pairwise, "n_terms": n_terms}
    return study.derived(
        name, lambda s: log_odds_terms(topic_units(s), analysed=topic_unit_terms(s), **options)
    )


# --- which tables each table is computed from ------------------------------------------------

#: The derived tables (:meth:`Study.derived` names) that each one is computed from, as the
#: functions above read them: a build that releases tables once its last output that reads
#: them is written (:meth:`Study.release`) keeps these for the tables it has still to compute.
#: ``tests/test_figures.py`` checks it against the reads recorded in a whole build.
NEEDS: dict[str, tuple[str, ...]] = {
    "codebook": (),
    "actors": (),
    "quotations": ("actors",),
    "segments": ("quotations",),
    "voice": ("segments",),
    "evidence": ("codebook", "quotations"),
    "frames_per_sentence": ("codebook", "evidence"),
    "frames_per_title": ("codebook",),
    "frames_per_article": ("codebook", "evidence", "frames_per_sentence", "frames_per_title"),
    "frames_per_outlet": ("codebook", "frames_per_article", "frames_per_sentence"),
    "tone_per_sentence": ("voice",),
    "tone_per_segment": ("segments", "tone_per_sentence"),
    "tone_per_article": ("tone_per_segment", "tone_per_sentence"),
    "tone_per_outlet": ("tone_per_segment", "tone_per_sentence"),
    "tone_per_actor": ("actors", "segments", "tone_per_segment"),
    "reuse_detection": (),
    "reuse_per_sentence": ("reuse_detection",),
    "reuse_per_article": ("reuse_detection", "reuse_per_sentence"),
    "shared_share_per_article": ("reuse_per_sentence",),
    "frames_per_article_own": (
        "codebook",
        "frames_per_sentence",
        "frames_per_title",
        "reuse_per_sentence",
    ),
    "frames_per_outlet_own": (
        "codebook",
        "frames_per_article_own",
        "frames_per_sentence",
        "reuse_per_sentence",
    ),
    "tone_per_article_own": ("reuse_per_sentence", "tone_per_segment", "tone_per_sentence"),
    "topic_units": (),
    **{f"topic_quality_{method}": ("topic_units",) for method in topic_models.METHODS},
    "topic_unit_terms": ("topic_units",),
    "topic_model": (f"topic_quality_{topic_models.TOPIC_METHOD}", "topic_unit_terms"),
    "topics_per_unit": ("topic_model", "topic_units"),
    "topics_per_outlet": ("topics_per_unit",),
    "distinctive_terms": ("topic_unit_terms", "topic_units"),
    "distinctive_terms_pairwise": ("topic_unit_terms", "topic_units"),
}


#: Derived tables that a build releasing tables computes before any output, when they are
#: among the tables it needs: shared text is found in worker processes forked from this one
#: (:attr:`Study.workers`), whose memory at the fork is this process's, so the fewer tables the
#: study holds then, the less the workers and the main process hold together (37,554 AllSides
#: articles, 2 workers: 4,166 MB with the frame tables held, benchmarks/RESULTS.md). Its
#: tables are read until the build's last outputs, so holding them from the start costs little.
COMPUTED_FIRST: dict[str, Callable[[Study], object]] = {"reuse_detection": reuse_detection}


def needed(names: Iterable[str]) -> set[str]:
    """``names`` and every table they are computed from, directly or not (:data:`NEEDS`).

    >>> sorted(needed(["voice"]))
    ['actors', 'quotations', 'segments', 'voice']
    """
    found, stack = set(), list(names)
    while stack:
        name = stack.pop()
        if name not in found:
            found.add(name)
            stack.extend(NEEDS.get(name, ()))
    return found


# --- the per-article table of ``framing score`` ------------------------------------------------


def score_table(study: Study, reuse: bool = True) -> pd.DataFrame:
    """One row per article: every per-article measure (``framing score``'s output), on all
    text, and, with ``reuse``, the frame shares, framing index and tone on the article's own
    text (``own_``-prefixed) with ``shared_share``, the share of its words in shared sentences.

    ``framing run`` measures a large corpus chunk by chunk: shared text is a relation between
    articles of different chunks, so it is found by ``framing reuse`` on the whole corpus and
    given to each chunk (:func:`analysis.run.cache.use_sentence_reuse`), or left out
    (``reuse=False``)."""
    tone_columns = [
        "doc_id",
        "sentiment_mean",
        "sentiment_narration",
        "sentiment_quotation",
        "quotation_share",
    ]
    table = frames_per_article(study).merge(
        tone_per_article(study)[tone_columns], on="doc_id", how="left"
    )
    if not reuse:
        return table
    own_frames = frames_per_article_own(study)
    own_columns = [
        column
        for column in own_frames.columns
        if column == "n_sentences" or column.startswith("frame_")
    ]
    own = own_frames[["doc_id", *own_columns]].rename(
        columns={column: f"own_{column}" for column in own_columns}
    )
    own_tone = tone_per_article_own(study)[["doc_id", "sentiment_mean"]].rename(
        columns={"sentiment_mean": "own_sentiment_mean"}
    )
    shared = shared_share_per_article(study)
    return (
        table.merge(shared, on="doc_id", how="left")
        .merge(own, on="doc_id", how="left")
        .merge(own_tone, on="doc_id", how="left")
    )
