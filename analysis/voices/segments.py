"""Narration and quotation within sentences: each sentence split into voice segments.

:func:`sentence_segments` cuts every sentence at the quotations found by
:mod:`analysis.voices.quotations`; :func:`sentence_voice` gives each sentence its main voice.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator

import numpy as np
import pandas as pd

SEGMENT_COLUMNS = ["doc_id", "sent_idx", "start", "end", "voice", "speaker"]
#: Sentence texts taken from the sentence table at a time by :func:`segment_texts`.
TEXTS_AT_A_TIME = 50_000


def sentence_segments(sentences: pd.DataFrame, quotations: pd.DataFrame) -> pd.DataFrame:
    """Split each sentence into narration and quotation segments (SEGMENT_COLUMNS).

    Spans are article offsets. Quotation marks and the whitespace around a segment are left
    out; segments with no letters are dropped (they carry no words to score). A segment keeps
    its offsets, not its text (:func:`segment_texts` cuts it from the sentence): at 37,554
    articles a text column held another copy of the corpus, some 0.4 GB of Python strings.
    """
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for doc_id, start, end, speaker in zip(
        quotations["doc_id"],
        quotations["start"],
        quotations["end"],
        quotations["speaker"],
        strict=True,
    ):
        by_doc.setdefault(doc_id, []).append((int(start), int(end), speaker))
    # built column by column, numbers in typed arrays and one string object per article shared
    # by its segments: a tuple per segment, with its own numbers and its own copy of the
    # article's id, took some 0.3 GB at 37,554 AllSides articles
    doc_ids: list[str] = []
    voices: list[str] = []
    speakers: list[str] = []
    numbers = {name: array("q") for name in ("sent_idx", "start", "end")}
    codes, names = pd.factorize(sentences["doc_id"])
    names = list(names)
    for begin in range(0, len(sentences), TEXTS_AT_A_TIME):  # never all texts as str at once
        batch = slice(begin, begin + TEXTS_AT_A_TIME)
        columns = [sentences[name].iloc[batch].tolist() for name in ("sent_idx", "start", "end")]
        texts = sentences["text"].iloc[batch].tolist()
        articles = [names[code] for code in codes[batch].tolist()]
        for doc_id, sent_idx, sentence_start, sentence_end, text in zip(
            articles, *columns, texts, strict=True
        ):
            cursor = sentence_start
            pieces = []
            for quote_start, quote_end, speaker in by_doc.get(doc_id, ()):
                if quote_start >= sentence_end or quote_end <= sentence_start:
                    continue
                q_start, q_end = max(quote_start, sentence_start), min(quote_end, sentence_end)
                pieces.append((cursor, q_start, "narration", ""))
                pieces.append((q_start, q_end, "quotation", speaker))
                cursor = q_end
            pieces.append((cursor, sentence_end, "narration", ""))
            for start, end, voice, speaker in pieces:
                piece = text[start - sentence_start : end - sentence_start]
                stripped = piece.strip(' \t\n“”"‘’,;:')
                if not any(char.isalpha() for char in stripped):
                    continue
                first = start + piece.index(stripped)
                doc_ids.append(doc_id)
                numbers["sent_idx"].append(sent_idx)
                numbers["start"].append(first)
                numbers["end"].append(first + len(stripped))
                voices.append(voice)
                speakers.append(speaker)
    return pd.DataFrame(
        {
            "doc_id": doc_ids,
            **{name: np.array(values, dtype=np.int64) for name, values in numbers.items()},
            "voice": voices,
            "speaker": speakers,
        },
        columns=SEGMENT_COLUMNS,
    )


def segment_texts(segments: pd.DataFrame, sentences: pd.DataFrame) -> Iterator[str]:
    """The text of each segment, in the segments' order, cut from its sentence's text.

    Parameters
    ----------
    segments
        Rows with ``doc_id, sent_idx, start, end`` (article offsets), such as
        :func:`sentence_segments`'s table or some of its rows.
    sentences
        The sentence table the segments were cut from (``doc_id, sent_idx, start, text``).

    Yields
    ------
    str
        One text per segment; the sentences' texts are taken :data:`TEXTS_AT_A_TIME` at a
        time, never all at once as Python strings.

    Examples
    --------
    >>> sentences = pd.DataFrame(
    ...     {"doc_id": ["d"], "sent_idx": [0], "start": [10], "text": ["Rubio said, “Ties hold.”"]}
    ... )
    >>> segments = pd.DataFrame(
    ...     {"doc_id": ["d", "d"], "sent_idx": [0, 0], "start": [10, 23], "end": [20, 33]}
    ... )
    >>> list(segment_texts(segments, sentences))
    ['Rubio said', 'Ties hold.']
    """
    keys = ["doc_id", "sent_idx"]
    lookup = sentences[[*keys, "start"]].rename(columns={"start": "sentence_start"})
    lookup = lookup.assign(row=np.arange(len(sentences)))
    located = segments[[*keys, "start", "end"]].merge(
        lookup, on=keys, how="left", validate="many_to_one"
    )
    if located["row"].isna().any():
        first = located[located["row"].isna()].iloc[0]
        raise ValueError(
            f"segment of doc_id {first['doc_id']!r}, sentence {first['sent_idx']} has no "
            "sentence in the sentence table"
        )
    rows = located["row"].to_numpy(dtype=np.int64)
    sentence_start = located["sentence_start"].to_numpy(dtype=np.int64)
    lead = located["start"].to_numpy(dtype=np.int64) - sentence_start
    tail = located["end"].to_numpy(dtype=np.int64) - sentence_start
    texts = sentences["text"]
    for begin in range(0, len(rows), TEXTS_AT_A_TIME):
        batch = slice(begin, begin + TEXTS_AT_A_TIME)
        batch_texts = texts.iloc[rows[batch]].tolist()  # one conversion, not an item at a time
        cut = zip(batch_texts, lead[batch].tolist(), tail[batch].tolist(), strict=True)
        for text, first, last in cut:
            yield text[first:last]


def sentence_voice(sentences: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Per sentence: characters quoted, the sentence's voice (quotation when at least half of
    its segment characters are quoted) and the main speaker quoted."""
    lengths = segments.assign(chars=segments["end"] - segments["start"])
    quoted = lengths[lengths["voice"] == "quotation"]
    total = lengths.groupby(["doc_id", "sent_idx"])["chars"].sum()
    quoted_chars = quoted.groupby(["doc_id", "sent_idx"])["chars"].sum()
    speaker = (
        quoted.sort_values("chars", ascending=False, kind="stable")
        .groupby(["doc_id", "sent_idx"])["speaker"]
        .first()
    )
    table = sentences[["doc_id", "sent_idx"]].copy()
    keys = pd.MultiIndex.from_frame(table)
    table["chars"] = total.reindex(keys, fill_value=0).to_numpy()
    table["quoted_chars"] = quoted_chars.reindex(keys, fill_value=0).to_numpy()
    table["voice"] = (
        (table["quoted_chars"] * 2 >= table["chars"]) & (table["quoted_chars"] > 0)
    ).map({True: "quotation", False: "narration"})
    table["speaker"] = speaker.reindex(keys, fill_value="").to_numpy()
    table.loc[table["voice"] == "narration", "speaker"] = ""
    return table
