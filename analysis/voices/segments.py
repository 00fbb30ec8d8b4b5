"""Narration and quotation within sentences: each sentence split into voice segments.

:func:`sentence_segments` cuts every sentence at the quotations found by
:mod:`analysis.voices.quotations`; :func:`sentence_voice` gives each sentence its main voice.
"""

from __future__ import annotations

import pandas as pd

SEGMENT_COLUMNS = ["doc_id", "sent_idx", "start", "end", "voice", "speaker", "text"]


def sentence_segments(sentences: pd.DataFrame, quotations: pd.DataFrame) -> pd.DataFrame:
    """Split each sentence into narration and quotation segments (SEGMENT_COLUMNS).

    Spans are article offsets. Quotation marks and the whitespace around a segment are left
    out; segments with no letters are dropped (they carry no words to score).
    """
    rows = []  # a tuple per segment: a dict each took three times the memory
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for doc_id, start, end, speaker in zip(
        quotations["doc_id"],
        quotations["start"],
        quotations["end"],
        quotations["speaker"],
        strict=True,
    ):
        by_doc.setdefault(doc_id, []).append((int(start), int(end), speaker))
    columns = [sentences[name].tolist() for name in ("doc_id", "sent_idx", "start", "end", "text")]
    for doc_id, sent_idx, sentence_start, sentence_end, text in zip(*columns, strict=True):
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
            lead = piece.index(stripped)
            first = start + lead
            rows.append((doc_id, sent_idx, first, first + len(stripped), voice, speaker, stripped))
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


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
