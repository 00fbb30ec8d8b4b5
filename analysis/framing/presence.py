"""Whether each article presents a frame: the article-level rule over where its hits stand.

A frame is present in an article when a counted hit stands in one of the places the frame's
``present_from`` lists (headline, lead, narration, attributed text), attributed text only from
``attributed_min_sentences`` sentences on; :func:`article_presence` applies the rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.framing.codebook import Codebook


def hit_places(evidence: pd.DataFrame, lead_sentences: int) -> pd.Series:
    """Where each hit of the evidence table stands: ``lead`` (one of the first
    ``lead_sentences`` sentences), else ``attributed`` (a quotation or reported speech) or
    ``narration`` (the outlet's own voice)."""
    return pd.Series(
        np.where(
            evidence["sent_idx"] < lead_sentences,
            "lead",
            np.where(evidence["attributed"].astype(bool), "attributed", "narration"),
        ),
        index=evidence.index,
        dtype=object,
    )


def article_presence(
    articles: pd.DataFrame, evidence: pd.DataFrame, headline: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Per article, ``frame_<id>_present`` (0/1) for every frame of the codebook.

    A frame is present when a counted hit (not negated, not excluded) stands in one of the
    places its ``present_from`` lists: the headline, the lead, the body's narration, or
    attributed text in the body (quotation or reported speech), the last only when such hits
    stand in at least ``attributed_min_sentences`` sentences. The study's codebook asks two
    such sentences for convergence: one official's courtesy relayed in the body ("the minister
    said the deal would strengthen ties") does not make an article present the relationship as
    converging; an article that builds its story on quoted convergence returns to it.

    >>> from analysis.framing.codebook import load_codebook
    >>> from analysis.framing.detect import detect_frames, title_frames
    >>> book = load_codebook()
    >>> sents = pd.DataFrame({"doc_id": ["a"] * 3, "sent_idx": [0, 1, 2], "start": [0, 10, 20],
    ...     "text": ["Talks held.", "More talks.", "Rao said ties are deepening."]})
    >>> articles = pd.DataFrame({"doc_id": ["a"], "title": ["Talks"]})
    >>> table = article_presence(articles, detect_frames(sents, book),
    ...     title_frames(articles, book), book)
    >>> int(table.loc[0, "frame_convergence_present"])
    0
    """
    counted = evidence[evidence["status"] == "counted"]
    places = hit_places(counted, codebook.lead_sentences)
    head = headline.set_index("doc_id")
    table = articles[["doc_id"]].copy()
    for frame in codebook.frames:
        own = counted["frame"] == frame.id
        mask = own & places.isin(frame.present_from) & (places != "attributed")
        docs = set(counted.loc[mask, "doc_id"])
        if "attributed" in frame.present_from:
            attributed = counted[own & (places == "attributed")]
            per_doc = attributed.groupby("doc_id")["sent_idx"].nunique()
            docs |= set(per_doc.index[per_doc >= frame.attributed_min_sentences])
        in_headline = (
            table["doc_id"].map(head[frame.id]).fillna(0).astype(bool)
            if "headline" in frame.present_from
            else False
        )
        table[f"frame_{frame.id}_present"] = (table["doc_id"].isin(docs) | in_headline).astype(int)
    return table
