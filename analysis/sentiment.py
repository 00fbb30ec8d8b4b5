"""Tone: VADER per sentence and per narration or quotation segment, never per article.

VADER's compound score saturates on long texts and cannot tell the outlet's own words from the
officials it quotes, so every score here is computed on one sentence, or on one segment of a
sentence (see :func:`analysis.voices.sentence_segments`), and aggregated by means:

- ``compound``: VADER compound of the whole sentence (-1 most negative, +1 most positive).
- segment tone: VADER compound of each narration or quotation segment. Parts of a sentence
  shorter than :data:`MIN_SEGMENT_WORDS` words ("he said", "it added" beside a quotation) are
  attribution tags, not statements; they are kept in the tables with ``scored=False`` and left
  out of the segment means. A sentence with no quotation is one segment and always scored.
- article tone: the mean over its sentences (``sentiment_mean``) and over its scored narration
  and quotation segments (``sentiment_narration``, ``sentiment_quotation``).
- outlet tone: the same means pooled over the outlet's units, with bootstrap 95% intervals that
  resample articles when the outlet has several, and units of its one article otherwise (the
  interval then says how much the mean depends on which sentences the article contains; it says
  nothing about the outlet's coverage in general).

The scoring is streaming: :func:`iter_compound` takes texts and yields scores one at a time, and
every table function works row by row, so a corpus can be scored chunk by chunk.

Examples
--------
>>> [round(score, 3) for score in iter_compound(["Ties are strong.", "Talks collapsed."])]
[0.511, -0.273]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from itertools import chain, islice

import numpy as np
import pandas as pd
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
    SentiText,
)

from analysis.core.config import N_BOOTSTRAP
from analysis.core.parallel import map_runs, ordered_map
from analysis.core.uncertainty import mean_with_interval, seeded_rng
from analysis.text.tokens import count_words
from analysis.voices import ActorList, segment_texts

#: Segments with fewer words are attribution tags ("he said") and are not scored.
MIN_SEGMENT_WORDS = 3
VOICES = ("narration", "quotation")
SEGMENT_TONE_COLUMNS = [
    "doc_id",
    "sent_idx",
    "start",
    "end",
    "voice",
    "speaker",
    "n_words",
    "scored",
    "compound",
]
OUTLET_TONE_COLUMNS = [
    "outlet",
    "voice",
    "estimate",
    "low",
    "high",
    "n_articles",
    "n_units",
    "resampled",
]


_NEGATE = frozenset(NEGATE)
#: VADER's own word clean-up (outer punctuation off, unless that leaves two characters or
#: fewer), remembered per word.
_strip_punctuation = lru_cache(maxsize=200_000)(SentiText._strip_punc_if_word)


class _SentiText(SentiText):
    """VADER's :class:`SentiText` with each distinct word cleaned once per process."""

    def _words_and_emoticons(self) -> list[str]:
        return list(map(_strip_punctuation, self.text.split()))


class _Vader(SentimentIntensityAnalyzer):
    """VADER (vaderSentiment 3.3.2) giving the same scores with less Python work per text.

    The stock analyzer rebuilds the text character by character to replace emoji, and lower-
    cases every word of the text again for each of up to three words before each lexicon
    word (quadratic in the sentence's length). Here a text with no emoji is only stripped, the
    words are lower-cased once per text, a word outside the lexicon gets its 0 without a call,
    each distinct word's punctuation is stripped once per process, and a single word is
    checked against the negations with a set; every rule, and the order of its floating-point
    operations, is VADER's own (``tests/test_sentiment.py`` compares the scores with the stock
    analyzer's).
    """

    def __init__(self) -> None:
        super().__init__()
        self._emoji_chars = frozenset(key for key in self.emojis if len(key) == 1)
        self._lowered: tuple[list[str], list[str]] = ([], [])

    def _lower(self, words: list[str]) -> list[str]:
        """The lower-cased words of the text being scored (computed once per text)."""
        if self._lowered[0] is not words:
            self._lowered = (words, [str(word).lower() for word in words])
        return self._lowered[1]

    def polarity_scores(self, text: str) -> dict[str, float]:
        if not self._emoji_chars.isdisjoint(text):
            return super().polarity_scores(text)  # emoji become their descriptions first
        text = text.strip()
        sentitext = _SentiText(text)
        sentiments: list[float] = []
        words = sentitext.words_and_emoticons
        lowered = self._lower(words)
        lexicon = self.lexicon
        for i, item in enumerate(words):
            if (
                lowered[i] in BOOSTER_DICT
                or (i < len(words) - 1 and lowered[i] == "kind" and lowered[i + 1] == "of")
                or lowered[i] not in lexicon  # VADER's sentiment_valence gives such a word 0
            ):
                sentiments.append(0)
                continue
            sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = self._but_check(words, sentiments)
        return self.score_valence(sentiments, text)

    def _negation_check(
        self, valence: float, words_and_emoticons: list[str], start_i: int, i: int
    ) -> float:
        lowered = self._lower(words_and_emoticons)
        before = lowered[i - (start_i + 1)].lower()  # VADER's negated() lower-cases again
        is_negated = before in _NEGATE or "n't" in before
        if start_i == 0 and is_negated:
            valence = valence * N_SCALAR
        if start_i == 1:
            if lowered[i - 2] == "never" and (lowered[i - 1] == "so" or lowered[i - 1] == "this"):
                valence = valence * 1.25
            elif lowered[i - 2] == "without" and lowered[i - 1] == "doubt":
                pass
            elif is_negated:
                valence = valence * N_SCALAR
        if start_i == 2:
            if (
                lowered[i - 3] == "never"
                and (lowered[i - 2] == "so" or lowered[i - 2] == "this")
                or (lowered[i - 1] == "so" or lowered[i - 1] == "this")
            ):
                valence = valence * 1.25
            elif lowered[i - 3] == "without" and (
                lowered[i - 2] == "doubt" or lowered[i - 1] == "doubt"
            ):
                pass
            elif is_negated:
                valence = valence * N_SCALAR
        return valence

    def _special_idioms_check(
        self, valence: float, words_and_emoticons: list[str], i: int
    ) -> float:
        lowered = self._lower(words_and_emoticons)
        onezero = f"{lowered[i - 1]} {lowered[i]}"
        twoonezero = f"{lowered[i - 2]} {lowered[i - 1]} {lowered[i]}"
        twoone = f"{lowered[i - 2]} {lowered[i - 1]}"
        threetwoone = f"{lowered[i - 3]} {lowered[i - 2]} {lowered[i - 1]}"
        threetwo = f"{lowered[i - 3]} {lowered[i - 2]}"
        for sequence in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if sequence in SPECIAL_CASES:
                valence = SPECIAL_CASES[sequence]
                break
        if len(lowered) - 1 > i:
            zeroone = f"{lowered[i]} {lowered[i + 1]}"
            if zeroone in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroone]
        if len(lowered) - 1 > i + 1:
            zeroonetwo = f"{lowered[i]} {lowered[i + 1]} {lowered[i + 2]}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in BOOSTER_DICT:
                valence = valence + BOOSTER_DICT[n_gram]
        return valence


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    """VADER with its bundled lexicon (read once; nothing is downloaded)."""
    return _Vader()


def iter_compound(texts: Iterable[str]) -> Iterator[float]:
    """VADER compound score of each text, one at a time."""
    analyzer = _analyzer()
    for text in texts:
        yield float(analyzer.polarity_scores(text)["compound"])


def sentence_tone(sentences: pd.DataFrame, voice: pd.DataFrame, workers: int = 1) -> pd.DataFrame:
    """Per sentence: VADER compound of the whole sentence, with its voice and speaker.

    ``voice`` is :func:`analysis.voices.sentence_voice`'s table; ``workers``: processes that
    score the sentences (the same scores). Columns: doc_id, sent_idx, voice, speaker,
    compound.
    """
    table = sentences[["doc_id", "sent_idx"]].merge(
        voice[["doc_id", "sent_idx", "voice", "speaker"]], on=["doc_id", "sent_idx"], how="left"
    )
    table["compound"] = _scores_once(sentences["text"], workers)
    return table


def _scores_once(texts: pd.Series, workers: int = 1) -> np.ndarray:
    """VADER compound of each text, every distinct text scored once (a sentence repeated in
    shared text, say), in ``workers`` processes. The texts are numbered in place rather than
    gathered as Python strings in a list and a dict: a corpus's sentences as Python strings
    took some 0.5 GB at 37,554 AllSides articles."""
    codes, unique = pd.factorize(texts)
    # the workers read the texts they inherited (sending them cost 180 MB more at the peak, on
    # 10,000 AllSides articles): each run is its numbers
    numbers = np.arange(len(unique))
    runs = map_runs(_compound_run, [numbers], workers=workers, held=(unique,))
    return np.concatenate(runs)[codes]


def _compound_run(numbers: np.ndarray, texts: pd.Index) -> np.ndarray:
    """VADER compound of the ``texts`` at ``numbers`` (consecutive)."""
    if not len(numbers):
        return np.zeros(0)
    return np.fromiter(iter_compound(texts[numbers[0] : numbers[-1] + 1]), float, len(numbers))


def segment_tone(
    segments: pd.DataFrame,
    sentences: pd.DataFrame,
    sentences_tone: pd.DataFrame | None = None,
    workers: int = 1,
) -> pd.DataFrame:
    """Per narration or quotation segment: VADER compound, word count and whether it is scored
    (a whole sentence, or a part of one with at least :data:`MIN_SEGMENT_WORDS` words).

    Parameters
    ----------
    segments
        :func:`analysis.voices.sentence_segments`'s table.
    sentences
        The sentence table the segments were cut from (their texts come from it:
        :func:`analysis.voices.segment_texts`).
    sentences_tone
        The sentences already scored: ``doc_id, sent_idx, start, end, compound`` (the sentence
        table's spans beside :func:`sentence_tone`'s ``compound``). A segment with its
        sentence's span is that whole sentence (most segments are), and takes its score
        rather than being scored again; ``None`` scores every segment.
    workers
        Processes that score the segments (the same scores).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SEGMENT_TONE_COLUMNS`, one row per segment, in the segments' order.
    """
    table = segments[["doc_id", "sent_idx", "start", "end", "voice", "speaker"]].copy()
    compound = np.full(len(table), np.nan)
    if sentences_tone is not None:
        keys = ["doc_id", "sent_idx", "start", "end"]
        whole = table[keys].merge(
            sentences_tone[[*keys, "compound"]], on=keys, how="left", validate="many_to_one"
        )
        compound = whole["compound"].to_numpy(dtype=float, copy=True)
    fresh = np.isnan(compound)
    n_words, fresh_texts = np.empty(len(table), np.int64), []
    texts = segment_texts(segments, sentences)  # one pass: every count, the texts to score
    for row, (text, to_score) in enumerate(zip(texts, fresh.tolist(), strict=True)):
        n_words[row] = count_words(text)
        if to_score:
            fresh_texts.append(text)
    table["n_words"] = n_words
    pieces = table.groupby(["doc_id", "sent_idx"], sort=False)["start"].transform("size")
    table["scored"] = (table["n_words"] >= MIN_SEGMENT_WORDS) | (pieces == 1)
    compound[fresh] = _scores_once(pd.Series(fresh_texts, dtype=object), workers)
    table["compound"] = compound
    return table[SEGMENT_TONE_COLUMNS]


def article_tone(
    articles: pd.DataFrame, sentences_tone: pd.DataFrame, segments_tone: pd.DataFrame
) -> pd.DataFrame:
    """Per article: sentiment_mean, sentiment_narration, sentiment_quotation, quotation_share
    and the counts behind them (an article with no quotation has sentiment_quotation NaN)."""
    by_doc = sentences_tone.groupby("doc_id", sort=False)
    table = articles[["doc_id"]].copy()
    table["sentiment_mean"] = table["doc_id"].map(by_doc["compound"].mean())
    quoted = sentences_tone["voice"].eq("quotation").groupby(sentences_tone["doc_id"]).mean()
    table["quotation_share"] = table["doc_id"].map(quoted)
    scored = segments_tone[segments_tone["scored"]]
    for voice in VOICES:
        rows = scored[scored["voice"] == voice].groupby("doc_id")["compound"]
        table[f"sentiment_{voice}"] = table["doc_id"].map(rows.mean())
        table[f"n_{voice}_segments"] = table["doc_id"].map(rows.size()).fillna(0).astype(int)
    return table


def outlet_tone(
    articles: pd.DataFrame,
    sentences_tone: pd.DataFrame,
    segments_tone: pd.DataFrame,
    n_boot: int = N_BOOTSTRAP,
) -> pd.DataFrame:
    """Per outlet and voice (``all`` sentences, ``narration`` and ``quotation`` segments): mean
    compound with its bootstrap 95% interval. Columns: :data:`OUTLET_TONE_COLUMNS`."""
    outlets = articles[["doc_id", "outlet"]]
    units_by_voice = {
        "all": sentences_tone.merge(outlets, on="doc_id"),
        **{
            voice: segments_tone[segments_tone["scored"] & (segments_tone["voice"] == voice)].merge(
                outlets, on="doc_id"
            )
            for voice in VOICES
        },
    }
    # each voice's units split by outlet in one pass (a mask per outlet read every row each time)
    by_outlet = {
        voice: dict(iter(units.groupby("outlet", sort=False)))
        for voice, units in units_by_voice.items()
    }
    rows = []
    for outlet in sorted(outlets["outlet"].unique()):
        for voice, units in units_by_voice.items():
            outlet_units = by_outlet[voice].get(outlet, units.iloc[:0])
            estimate, low, high, resampled = mean_with_interval(
                outlet_units["compound"],
                outlet_units["doc_id"],
                seeded_rng(outlet, "tone", voice),
                n_boot,
            )
            rows.append(
                {
                    "outlet": outlet,
                    "voice": voice,
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "n_articles": int(outlet_units["doc_id"].nunique()),
                    "n_units": len(outlet_units),
                    "resampled": resampled,
                }
            )
    return pd.DataFrame(rows, columns=OUTLET_TONE_COLUMNS)


def segment_actors(
    segments: pd.DataFrame, sentences: pd.DataFrame, actors: ActorList, workers: int = 1
) -> pd.DataFrame:
    """One row per (segment, actor it mentions): doc_id, sent_idx, start, actor.

    Mentions are looked up in the segment's own text (cut from its sentence in ``sentences``:
    :func:`analysis.voices.segment_texts`), so "Rubio" in the narration around a quotation is
    a narration mention and an actor named inside the quotation a quotation one. With
    ``workers`` > 1, runs of :data:`SEGMENTS_PER_RUN` segments' texts are looked up in that
    many processes (the same rows).
    """
    texts = segment_texts(segments, sentences)
    runs = iter(lambda: list(islice(texts, SEGMENTS_PER_RUN)), [])
    found = ordered_map(_actors_mentioned, ((run, actors) for run in runs), workers=workers)
    keys = zip(*(segments[key].tolist() for key in ("doc_id", "sent_idx", "start")), strict=True)
    rows = [
        {"doc_id": doc_id, "sent_idx": sent_idx, "start": start, "actor": a}
        for (doc_id, sent_idx, start), ids in zip(keys, chain.from_iterable(found), strict=True)
        for a in ids
    ]
    return pd.DataFrame(rows, columns=["doc_id", "sent_idx", "start", "actor"])


#: Segments whose texts :func:`segment_actors` sends to a worker at a time.
SEGMENTS_PER_RUN = 5000


def _actors_mentioned(texts: list[str], actors: ActorList) -> list[tuple[str, ...]]:
    """The ids of the actors each text mentions, each once, in order of first mention."""
    return [tuple(dict.fromkeys(actor.id for _, _, actor in actors.mentions(t))) for t in texts]


def actor_tone(
    articles: pd.DataFrame,
    segments_tone: pd.DataFrame,
    mentions: pd.DataFrame,
    n_boot: int = N_BOOTSTRAP,
) -> pd.DataFrame:
    """Per actor, outlet and voice: mean compound of the scored segments that mention the actor,
    with the number of segments and a bootstrap 95% interval.

    Columns: actor, outlet, voice, estimate, low, high, n_segments, n_articles, resampled.
    """
    keys = ["doc_id", "sent_idx", "start"]
    units = (
        mentions.merge(segments_tone[segments_tone["scored"]], on=keys)
        .merge(articles[["doc_id", "outlet"]], on="doc_id")
        .sort_values(["actor", "outlet", "voice", *keys], kind="stable")
    )
    rows = []
    for (actor, outlet, voice), group in units.groupby(["actor", "outlet", "voice"], sort=True):
        estimate, low, high, resampled = mean_with_interval(
            group["compound"], group["doc_id"], seeded_rng(actor, outlet, voice), n_boot
        )
        rows.append(
            {
                "actor": actor,
                "outlet": outlet,
                "voice": voice,
                "estimate": estimate,
                "low": low,
                "high": high,
                "n_segments": len(group),
                "n_articles": int(group["doc_id"].nunique()),
                "resampled": resampled,
            }
        )
    columns = ["actor", "outlet", "voice", "estimate", "low", "high", "n_segments", "n_articles"]
    return pd.DataFrame(rows, columns=[*columns, "resampled"])
