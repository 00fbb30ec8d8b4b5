"""The detector's matches as tables: per sentence (status, partners), per article (shares,
neighbours), clusters of articles sharing a source, and passages with their text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from analysis.reuse.detect import _texts
from analysis.reuse.settings import KINDS
from analysis.text.tokens import ALNUM_TOKEN

SENTENCE_REUSE_COLUMNS = [
    "doc_id",
    "sent_idx",
    "n_words",
    "status",
    "own",
    "shared_with",
    "verbatim_with",
    "rewrite_with",
    "best_match_doc",
    "best_match_sent",
    "similarity",
]
ARTICLE_REUSE_COLUMNS = [
    "doc_id",
    "outlet",
    "n_sentences",
    "n_words",
    "shared_share",
    "n_shared_sentences",
    "n_verbatim_sentences",
    "n_rewrite_sentences",
    "nearest_doc",
    "nearest_share",
    "neighbours",
]
STATUSES = ("original", "verbatim", "rewrite")


def _partners(matches: pd.DataFrame) -> pd.DataFrame:
    """Matches seen from both sides: doc_id, sent_idx, other_doc, other_sent, kind, similarity."""
    columns = ["doc_id", "sent_idx", "other_doc", "other_sent", "kind", "similarity"]
    sides = [
        matches.rename(
            columns={
                f"doc_{this}": "doc_id",
                f"sent_idx_{this}": "sent_idx",
                f"doc_{other}": "other_doc",
                f"sent_idx_{other}": "other_sent",
            }
        )[columns]
        for this, other in (("a", "b"), ("b", "a"))
    ]
    both = pd.concat(sides, ignore_index=True)
    return both.astype({"doc_id": str, "other_doc": str, "kind": str, "similarity": float})


def sentence_reuse(sentences: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Per sentence: whether it is shared with other articles, how, and with which.

    Parameters
    ----------
    sentences
        The sentence table (``doc_id, sent_idx, text``).
    matches
        Sentence matches (:attr:`ReuseResult.matches`).

    Returns
    -------
    pandas.DataFrame
        :data:`SENTENCE_REUSE_COLUMNS`: ``n_words`` (reuse tokens), ``status`` (``original``,
        ``verbatim`` or ``rewrite``), ``own`` (``status == "original"``: the sentence counts
        as the article's own text), ``shared_with`` (other articles, ``;``-joined),
        ``verbatim_with`` and ``rewrite_with`` (matched sentences as ``doc_id:sent_idx``),
        and the best match of the sentence's status (``best_match_doc``,
        ``best_match_sent``, ``similarity``: TF-IDF cosine; empty for original sentences).
    """
    table = sentences[["doc_id", "sent_idx"]].copy()
    table["n_words"] = [len(ALNUM_TOKEN.findall(text)) for text in sentences["text"].tolist()]
    partners = _partners(matches)
    partners = partners[partners["doc_id"].isin(table["doc_id"].unique())]  # ids, not rows
    partners = partners.assign(
        label=partners["other_doc"].astype(str)
        + ":"
        + partners["other_sent"].astype(int).astype(str)
    ).sort_values(["doc_id", "sent_idx", "other_doc", "other_sent", "kind"], kind="stable")
    keys = ["doc_id", "sent_idx"]

    def joined(frame: pd.DataFrame, column: str) -> pd.Series:
        return frame.groupby(keys, sort=False)[column].agg(
            lambda values: ";".join(dict.fromkeys(values))
        )

    indexed = table.set_index(keys).index
    by_kind = {kind: partners[partners["kind"] == kind] for kind in KINDS}
    table["shared_with"] = joined(partners, "other_doc").reindex(indexed).fillna("").to_numpy()
    for kind in KINDS:
        table[f"{kind}_with"] = (
            joined(by_kind[kind], "label").reindex(indexed).fillna("").to_numpy()
        )
    table["status"] = np.where(
        table["verbatim_with"] != "",
        "verbatim",
        np.where(table["rewrite_with"] != "", "rewrite", "original"),
    )
    table["own"] = table["status"] == "original"
    best = (
        partners.merge(table[[*keys, "status"]], on=keys)
        .query("kind == status")
        .sort_values(
            [*keys, "similarity", "other_doc", "other_sent"],
            ascending=[True, True, False, True, True],
            kind="stable",
        )
        .drop_duplicates(keys)
        .set_index(keys)
        .reindex(indexed)
    )
    table["best_match_doc"] = best["other_doc"].fillna("").to_numpy()
    table["best_match_sent"] = pd.array(best["other_sent"].to_numpy(), dtype="Int64")
    table["similarity"] = best["similarity"].astype(float).to_numpy()
    return table[SENTENCE_REUSE_COLUMNS].reset_index(drop=True)


def article_reuse(
    articles: pd.DataFrame, sentence_table: pd.DataFrame, pairs: pd.DataFrame
) -> pd.DataFrame:
    """Per article: the share of its text shared with other articles, and its neighbours.

    Parameters
    ----------
    articles
        ``doc_id`` and ``outlet`` of every article.
    sentence_table
        :func:`sentence_reuse`'s table.
    pairs
        :func:`reuse_pairs`'s table.

    Returns
    -------
    pandas.DataFrame
        :data:`ARTICLE_REUSE_COLUMNS`: ``shared_share`` is the share of the article's words in
        sentences that are not its own (verbatim or rewrite); ``nearest_doc`` is the article
        holding the largest share of this one's words (``nearest_share``, its ``share_a`` or
        ``share_b`` in the pair table); ``neighbours`` lists every article sharing text with
        it, largest share first, as ``doc_id (share)``.
    """
    table = articles[["doc_id"]].copy()
    table["outlet"] = articles["outlet"].to_numpy() if "outlet" in articles else ""
    grouped = sentence_table.assign(
        shared_words=sentence_table["n_words"].where(~sentence_table["own"], 0),
        verbatim=sentence_table["status"] == "verbatim",
        rewrite=sentence_table["status"] == "rewrite",
        shared=~sentence_table["own"],
    ).groupby("doc_id", sort=False)
    sums = grouped[["n_words", "shared_words", "shared", "verbatim", "rewrite"]].sum()
    sums["n_sentences"] = grouped.size()
    sums = sums.reindex(table["doc_id"]).fillna(0)
    table["n_sentences"] = sums["n_sentences"].astype(int).to_numpy()
    table["n_words"] = sums["n_words"].astype(int).to_numpy()
    table["shared_share"] = (
        sums["shared_words"] / sums["n_words"].where(sums["n_words"] > 0)
    ).to_numpy()
    table["n_shared_sentences"] = sums["shared"].astype(int).to_numpy()
    table["n_verbatim_sentences"] = sums["verbatim"].astype(int).to_numpy()
    table["n_rewrite_sentences"] = sums["rewrite"].astype(int).to_numpy()
    seen = pd.concat(
        [
            pairs[["doc_a", "doc_b", "share_a"]].set_axis(["doc_id", "other", "share"], axis=1),
            pairs[["doc_b", "doc_a", "share_b"]].set_axis(["doc_id", "other", "share"], axis=1),
        ],
        ignore_index=True,
    ).sort_values(["doc_id", "share", "other"], ascending=[True, False, True], kind="stable")
    nearest = seen.drop_duplicates("doc_id").set_index("doc_id").reindex(table["doc_id"])
    table["nearest_doc"] = nearest["other"].fillna("").to_numpy()
    table["nearest_share"] = nearest["share"].fillna(0.0).astype(float).to_numpy()
    listed = {
        doc_id: ";".join(
            f"{o} ({s:.2f})" for o, s in zip(rows["other"], rows["share"], strict=True)
        )
        for doc_id, rows in seen.groupby("doc_id", sort=False)
    }
    table["neighbours"] = [listed.get(doc_id, "") for doc_id in table["doc_id"]]
    return table[ARTICLE_REUSE_COLUMNS].reset_index(drop=True)


def reuse_clusters(
    pairs: pd.DataFrame, doc_ids: Sequence[str], *, min_share: float = 0.25
) -> pd.DataFrame:
    """Groups of articles that share a source: connected components of the pairs in which
    at least ``min_share`` of one article's words are shared with the other.

    A quarter, so that one shared quotation or a stock sentence does not join two articles,
    while a short wire story reprinted inside a longer article does. Single linkage: two
    articles in one cluster may share nothing directly, only through a third.

    Returns
    -------
    pandas.DataFrame
        ``doc_id, cluster, cluster_size``; clusters numbered from 0 in the order of their first
        article in ``doc_ids``; an article linked to none is a cluster of size 1.

    Examples
    --------
    >>> pairs = pd.DataFrame({"doc_a": ["a"], "doc_b": ["c"], "share_a": [0.6], "share_b": [0.3]})
    >>> reuse_clusters(pairs, ["a", "b", "c"])["cluster"].tolist()
    [0, 1, 0]
    """
    doc_ids = list(doc_ids)
    index = {doc: i for i, doc in enumerate(doc_ids)}
    linked = pairs[pairs[["share_a", "share_b"]].max(axis=1) >= min_share]
    linked = linked[linked["doc_a"].isin(index) & linked["doc_b"].isin(index)]
    rows = linked["doc_a"].map(index).to_numpy(dtype=np.int64)
    columns = linked["doc_b"].map(index).to_numpy(dtype=np.int64)
    graph = sparse.coo_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(doc_ids), len(doc_ids))
    )
    _, labels = connected_components(graph, directed=False)
    renumber: dict[int, int] = {}
    clusters = [renumber.setdefault(label, len(renumber)) for label in labels.tolist()]
    table = pd.DataFrame({"doc_id": doc_ids, "cluster": clusters})
    table["cluster_size"] = table.groupby("cluster")["doc_id"].transform("size")
    return table


def article_reuse_with_clusters(
    articles: pd.DataFrame, sentences: pd.DataFrame, pairs: pd.DataFrame
) -> pd.DataFrame:
    """:func:`article_reuse` with each article's :func:`reuse_clusters` cluster and size."""
    table = article_reuse(articles, sentences, pairs)
    return table.merge(reuse_clusters(pairs, articles["doc_id"]), on="doc_id", how="left")


def passage_texts(passages: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The passage table with the passages' text in each article (``text_a``, ``text_b``),
    sliced from ``clean_text`` with the offsets.

    >>> articles = pd.DataFrame({"doc_id": ["a", "b"],
    ...                          "clean_text": ["Hello there.", "Oh, hello."]})
    >>> passages = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "start_a": [0], "end_a": [5],
    ...                          "start_b": [4], "end_b": [9], "n_words": [1]})
    >>> passage_texts(passages, articles)[["text_a", "text_b"]].values.tolist()
    [['Hello', 'hello']]
    """
    texts = dict(zip(articles["doc_id"], _texts(articles), strict=True))
    table = passages.copy()
    for side in ("a", "b"):
        table[f"text_{side}"] = [
            texts[doc][start:end]
            for doc, start, end in zip(
                table[f"doc_{side}"], table[f"start_{side}"], table[f"end_{side}"], strict=True
            )
        ]
    return table
