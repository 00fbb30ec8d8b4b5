"""Syndication: wire copy and rewrites shared between articles, with offsets in both texts.

Indian outlets reprint and rewrite the same ANI, PTI and IANS copy, and all of them quote the
same posts on X. A per-outlet measure that ignores this measures the wire agency, not the
outlet. This module finds what each article shares with the others, so that every measure can
also be computed on each article's own text (:func:`sentence_reuse`, column ``own``).

What counts as shared
---------------------
Texts are compared as *reuse tokens*: runs of letters and digits (``\\w+``), lower-cased. They
are finer than :func:`analysis.text.tokens.word_tokens` on purpose, so that "India-US" and
"India – US", or curly and straight apostrophes, do not break a match. Words are counted in
these tokens everywhere below.

- **Verbatim passage**: a maximal run of at least ``shingle_size`` (8) consecutive identical
  tokens in both articles (a run of shared 8-word shingles), with its character offsets in
  both articles' ``clean_text``. Eight, not five: news repeats titles with names of six or
  seven tokens ("US Secretary of State Marco Rubio", "US Ambassador to India Sergio Gor") in
  articles that share nothing else; eight identical words in a row are shared phrasing.
- **Verbatim sentence pair**: the passages align at least ``verbatim_min_share`` (half) of the
  words of the shorter sentence (containment), or the two sentences have the same tokens. A
  quotation copied whole into a longer sentence is verbatim in both.
- **Rewrite sentence pair**: not verbatim; both sentences at least ``min_rewrite_words`` (8,
  one shingle) long; at least ``min_shared_words`` (4) content words (English stop words
  excluded) in common; and TF-IDF cosine over word unigrams and bigrams of at least
  ``rewrite_threshold`` (0.4). IDF is estimated on the sentences of the corpus at hand, so the
  vocabulary every article on a story shares (the minister's name, "critical minerals") weighs
  little, and the rare words and word pairs of the source carry the match. Shorter sentences
  are judged only as part of a verbatim passage: their cosine rests on two or three words
  ("In fact, we have to do that." against "In fact, we don't know that.").

Why 0.4: cosine over l2-normalised TF-IDF vectors is roughly the share of (weighted) word and
word-pair mass two sentences have in common. On the constructed cases of ``tests/test_reuse.py``
(two stories, each as wire copy, light edit, paraphrase and other articles on the same story
with the same names and stock phrases, written for this purpose and not taken from the seed
articles), light edits score 0.75 to 0.90, paraphrases 0.38 to 0.66, and the 542 sentence pairs
that are not rewrites at most 0.28 (95th percentile 0.16). The threshold sits in that gap, nearer
the paraphrases than the middle (0.33) would, because the chance of a spurious match grows with
the number of sentence pairs compared (hundreds per article pair) and the negatives' maximum
with it. It was not tuned on the hand marks in ``corpus/annotations/reuse_marks.csv``, against
which :func:`reuse_validation` scores it; :func:`threshold_sweep` shows how those scores move
with it.

A sentence's status is ``verbatim`` if it is in any verbatim pair, else ``rewrite`` if it is in
any rewrite pair, else ``original``; ``own`` is ``status == "original"``. Shares of text are
shares of *words* (reuse tokens) in shared sentences.

**Outlet template.** A sentence printed word for word in ``template_min_docs`` (5) or more
articles of one outlet (newsletter prompts, copyright and credit lines, recurring teasers in a
scrape) is the outlet's page furniture: it is neither matched nor sketched, and is listed in
:attr:`ReuseResult.templates`. With one article per outlet, as in the study corpus, there is
none.

Which pairs of articles are compared
------------------------------------
Up to ``all_pairs_max_docs`` (300: about 45,000 pairs, a minute or two) articles, every pair.
Beyond that, candidate pairs come from MinHash locality-sensitive hashing over sentences, so
that the work grows with the number of sentences and of candidates, not with the square of the
number of articles:

1. every sentence long enough to be judged is the set of its content words, leaving out the
   words of more than ``lsh_max_df`` (1,000) sentences of the corpus: two sentences that share
   only "said", "president" and "Tuesday" are common in a large news corpus, and would make
   most of the candidates; a set needs ``lsh_min_words`` (3) words left;
2. each set's MinHash signature (``num_perm`` 128 permutations) uses datasketch's permutations
   and ``affine32`` scheme (:func:`minhash_signatures` equals
   :meth:`datasketch.MinHash.update_batch`), vectorised, one band at a time;
3. the ``b`` bands of ``r`` rows are datasketch's choice (:class:`~datasketch.MinHashLSH`) for a
   Jaccard threshold of ``lsh_threshold`` (0.4: 32 bands of 4); the constructed paraphrases
   have content-word Jaccard 0.5 to 0.8, light edits 0.7 to 0.9;
4. two articles are a candidate pair when their sentences share band buckets at least
   ``lsh_min_collisions`` (2) times: a copied or closely rewritten sentence collides in several
   of the 32 bands (Jaccard 0.6: 4 expected), two unrelated sentences that happen to be similar
   mostly in one; a bucket holding more than ``max_bucket_docs`` (100) articles is boilerplate
   or a ubiquitous quotation and yields none (counted in the summary);
5. every candidate pair is verified exactly as in the all-pairs path, so the LSH path finds a
   subset of what all pairs would, never anything else.

Articles are read in chunks of ``chunk_size``: once to count document frequencies, find outlet
templates and collect the content-word sets (memory: a few integers per sentence). Candidate
pairs are then verified in blocks of about 4,000 pairs. The articles are ranked in a
bandwidth-reducing order of the candidate graph (reverse Cuthill-McKee), so that articles which
are candidates of each other get near ranks, and each pair is grouped with the other pairs of
its lower-ranked article: the blocks move through the ranks as a window. The features of up to
3,000 articles that later blocks need are kept between blocks, the others remade when needed
(on all 37,554 AllSides articles in one process with a cache of 2,000, this grouping makes 49%
fewer features than grouping pairs by first article in article order, and 30% fewer than by
first article in this rank). Each block is first screened as a whole: shared shingles and
identical long sentences are one product of sparse indicator matrices (the block's articles x
the values two of them have) for all its pairs, and the judged sentences' TF-IDF cosines one
sparse product per grouping article over its partners' stacked sentences; a pair that shares no
shingle and no sentence, and whose cosines stay more than 1e-6 below the threshold, can share
nothing and is not compared further; every other pair is compared exactly as above, so the
screen changes no result, only the time. Blocks are independent: ``workers`` processes verify
them, with the same tables (every pair is verified alone, and the tables are sorted in article
order afterwards). The LSH index is numpy, not :class:`~datasketch.MinHashLSH` itself, whose
in-memory storage keeps Python sets per band and key: measured, 1.1 GB and 84 s for 100,000
signatures, so some 18 GB for the 1.7 million sentences of a 37,000-article corpus.

Examples
--------
>>> import pandas as pd
>>> wire = ("External Affairs Minister S Jaishankar will visit the United States from "
...         "February 2 to 5 to attend a ministerial meeting on critical minerals.")
>>> articles = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
...                          "clean_text": [wire, "New Delhi: " + wire]})
>>> from analysis.text.sentences import split_sentences
>>> result = detect_reuse(articles, split_sentences(articles))
>>> result.pairs[["doc_a", "doc_b", "kind", "share_a", "share_b"]].round(2).to_dict("records")
[{'doc_a': 'a', 'doc_b': 'b', 'kind': 'verbatim', 'share_a': 1.0, 'share_b': 1.0}]
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict

import numpy as np
import pandas as pd

from analysis.core.errors import InputError
from analysis.core.parallel import Mapper, local_mapper
from analysis.core.progress import log_line, progress, seconds
from analysis.reuse.features import (
    _MAX_CACHED_TOKENS,
    _N_HASH_FEATURES,
    _Article,
    _article_features,
    _document_frequencies,
    _idf,
    _sentence_keys,
    _template_keys,
    _TokenHashes,
)
from analysis.reuse.lsh import _content_sets, _ContentSets, _lsh_candidates
from analysis.reuse.settings import (
    MATCH_COLUMNS,
    PAIR_COLUMNS,
    PASSAGE_COLUMNS,
    ReuseResult,
    ReuseSettings,
)
from analysis.reuse.tasks import (
    _READ_TASK_ARTICLES,
    _TASK_BLOCK_PAIRS,
    _read_articles,
    _read_calls,
    _verify_blocks,
)
from analysis.reuse.verify import _bandwidth_rank, _blocks, _Texts, _Verifier, _verify


def _spans_by_article(
    articles: pd.DataFrame, sentences: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Sentence (sent_idx, start, end) rows grouped by article position, and the offsets."""
    positions = pd.Index(articles["doc_id"]).get_indexer(sentences["doc_id"])
    if (positions < 0).any():
        unknown = sentences["doc_id"][positions < 0].iloc[0]
        raise InputError(f"sentence table: doc_id {unknown!r} is not in the article table")
    table = np.column_stack(
        [
            positions,
            sentences["start"].to_numpy(np.int64),
            sentences["sent_idx"].to_numpy(np.int64),
            sentences["end"].to_numpy(np.int64),
        ]
    )
    table = table[np.lexsort((table[:, 1], table[:, 0]))]
    offsets = np.searchsorted(table[:, 0], np.arange(len(articles) + 1))
    return table[:, [2, 1, 3]], offsets


def _say_nothing(message: str) -> None:
    """In place of :func:`~analysis.core.progress.log_line` where a stage is too short to log."""


def _texts(articles: pd.DataFrame) -> pd.Series:
    column = "clean_text" if "clean_text" in articles.columns else "text"
    if column not in articles.columns:
        raise InputError("article table: needs a 'clean_text' (or 'text') column")
    return articles[column].fillna("").astype(str)


def detector_inputs(articles: pd.DataFrame, sentences: pd.DataFrame) -> list[bytes]:
    """Everything :func:`detect_reuse` reads of its two tables, as bytes (for a cache key):
    the articles' ids, outlets and texts, and the sentences' ids and offsets, in order; each
    column of strings as its lengths then its UTF-8 bytes, so that no two tables give the
    same bytes.

    >>> articles = pd.DataFrame({"doc_id": ["a"], "clean_text": ["Hi."]})
    >>> sentences = pd.DataFrame({"doc_id": ["a"], "sent_idx": [0], "start": [0], "end": [3]})
    >>> len(detector_inputs(articles, sentences))
    5
    """

    def strings(values: pd.Series) -> bytes:
        encoded = [value.encode("utf-8", "surrogatepass") for value in values.astype(str)]
        return np.array([len(value) for value in encoded], dtype=np.int64).tobytes() + b"".join(
            encoded
        )

    outlets = (
        strings(articles["outlet"].fillna("")) if "outlet" in articles.columns else b"no outlets"
    )
    offsets = sentences[["sent_idx", "start", "end"]].to_numpy(np.int64)
    return [
        strings(articles["doc_id"]),
        outlets,
        strings(_texts(articles)),
        strings(sentences["doc_id"]),
        offsets.tobytes(),
    ]


def chosen_method(method: str, n_docs: int, settings: ReuseSettings) -> str:
    """The method :func:`detect_reuse` uses for ``method`` on ``n_docs`` articles: ``auto`` is
    all pairs up to ``settings.all_pairs_max_docs`` articles, LSH beyond.

    >>> chosen_method("auto", 300, ReuseSettings()), chosen_method("auto", 301, ReuseSettings())
    ('all_pairs', 'lsh')
    """
    if method != "auto":
        return method
    return "all_pairs" if n_docs <= settings.all_pairs_max_docs else "lsh"


def detect_reuse(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    settings: ReuseSettings | None = None,
    method: str = "auto",
    workers: int = 1,
    mapper: Mapper | None = None,
) -> ReuseResult:
    """Find verbatim passages and shared sentences between every pair of articles.

    Parameters
    ----------
    articles
        One row per article: ``doc_id``, ``clean_text`` (or ``text``), ``outlet`` (optional).
    sentences
        The sentence table (``doc_id, sent_idx, start, end``; offsets into ``clean_text``).
    settings
        Detector parameters; :class:`ReuseSettings` defaults when ``None``.
    method
        ``"all_pairs"``, ``"lsh"``, or ``"auto"`` (all pairs up to
        ``settings.all_pairs_max_docs`` articles, LSH beyond).
    workers
        Local processes reading the articles, hashing the LSH bands and verifying the
        candidate pairs (1: in this process). Reading and banding run as the tasks of
        ``mapper`` would; the candidates are verified a block of pairs at a time.
        The results are identical whatever the number of workers.
    mapper
        Where the articles are read, the LSH bands hashed and the blocks of candidate pairs
        verified, as independent tasks (:mod:`analysis.reuse.tasks`), instead of ``workers``:
        a Dask cluster's (:class:`analysis.run.dask.DaskMapper`) or any
        :class:`~analysis.core.parallel.Mapper`. The results are identical.

    Returns
    -------
    ReuseResult
        Passages, sentence matches, article pairs and a summary.

    See Also
    --------
    reuse_pairs : the article-pair table alone.
    sentence_reuse, article_reuse : per-sentence status and per-article shares.
    """
    settings = settings or ReuseSettings()
    if method not in {"auto", "all_pairs", "lsh"}:
        raise InputError(f"reuse: method must be auto, all_pairs or lsh, not {method!r}")
    if workers < 1:
        raise InputError(f"reuse: workers must be 1 or more, not {workers!r}")
    if articles["doc_id"].duplicated().any():
        duplicate = articles["doc_id"][articles["doc_id"].duplicated()].iloc[0]
        raise InputError(f"article table: doc_id {duplicate!r} appears more than once")
    n_docs = len(articles)
    method = chosen_method(method, n_docs, settings)
    texts = _texts(articles)
    spans, offsets = _spans_by_article(articles, sentences)
    outlets = (
        articles["outlet"].fillna("").astype(str).to_numpy()
        if "outlet" in articles.columns
        else np.full(n_docs, "", dtype=object)
    )
    # articles with no outlet are each their own outlet: they cannot share a template
    named = np.where(outlets == "", articles["doc_id"].astype(str).to_numpy(), outlets)
    outlet_codes = pd.factorize(named)[0]
    hashes = _TokenHashes()

    def features(positions: Iterable[int]) -> list[_Article]:
        made = [
            _article_features(
                int(p), texts.iat[int(p)], spans[offsets[p] : offsets[p + 1]], settings, hashes
            )
            for p in positions
        ]
        if len(hashes) > _MAX_CACHED_TOKENS:
            hashes.clear()
        return made

    summary: dict = {
        "method": method,
        "n_articles": n_docs,
        "n_sentences": len(sentences),
        "n_all_pairs": n_docs * (n_docs - 1) // 2,
    }
    chunks = [
        np.arange(start, min(start + settings.chunk_size, n_docs))
        for start in range(0, n_docs, settings.chunk_size)
    ]
    started = time.perf_counter()
    # pass 1: document frequencies, outlet sentence keys and (for LSH) content-word sets
    df = np.zeros(_N_HASH_FEATURES, dtype=np.int64)
    n_rows = 0
    key_parts, owner_parts, set_parts = [], [], []
    # local workers read and band as tasks too, when there is more than one reading task;
    # they verify in larger blocks (below)
    n_reading_tasks = sum(-(-len(chunk) // _READ_TASK_ARTICLES) for chunk in chunks)
    in_workers = mapper is None and workers > 1 and n_reading_tasks > 1
    task_mapper = local_mapper(workers) if in_workers else mapper
    if task_mapper is None:
        for chunk in progress(chunks, desc="reuse: reading articles", unit="chunk"):
            chunk_articles = features(chunk)
            chunk_df, chunk_rows = _document_frequencies(chunk_articles)
            df += chunk_df
            n_rows += chunk_rows
            for article in chunk_articles:
                key_parts.append(_sentence_keys(article, outlet_codes[article.position]))
                owner_parts.append(np.full(len(article.sentence_words), article.position))
            if method == "lsh":
                set_parts.append(_content_sets(chunk_articles, outlet_codes, settings))
    else:  # the same, in tasks of a run of articles each, put together in article order
        calls = _read_calls(
            chunks, texts.tolist(), spans, offsets, outlet_codes, settings, method == "lsh"
        )
        parts = task_mapper(_read_articles, calls)
        for part in progress(parts, desc="reuse: reading articles"):
            df[part.features] += part.frequencies  # each feature once per part
            n_rows += part.n_sentences
            key_parts.append(part.keys)
            owner_parts.append(part.owners)
            if part.sets is not None:
                set_parts.append(part.sets)
    sentence_keys = np.concatenate(key_parts) if key_parts else np.zeros(0, np.uint64)
    sentence_owners = np.concatenate(owner_parts) if owner_parts else np.zeros(0, np.int64)
    del key_parts, owner_parts
    templates = _template_keys(sentence_keys, sentence_owners, settings.template_min_docs)
    template_rows = np.flatnonzero(np.isin(sentence_keys, templates))
    template_owners = sentence_owners[template_rows]
    template_table = pd.DataFrame(
        {
            "doc_id": articles["doc_id"].to_numpy()[template_owners],
            "sent_idx": spans[template_rows, 0] if len(template_rows) else np.zeros(0, np.int64),
        }
    )
    del sentence_keys, sentence_owners
    summary["template_sentences"] = len(template_table)
    say = log_line if method == "lsh" else _say_nothing  # the long path says what it did
    say(
        f"reuse: read {n_docs:,} articles, {n_rows:,} sentences "
        f"({len(template_table):,} of them outlet template text) ({seconds(started)})"
    )
    if method == "all_pairs":
        candidates = np.array(
            [(i, j) for i in range(n_docs) for j in range(i + 1, n_docs)], dtype=np.int64
        ).reshape(-1, 2)
        summary["n_candidate_pairs"] = len(candidates)
    else:
        sets = _ContentSets.concatenate(set_parts)
        del set_parts
        sets = sets.keep(~np.isin(sets.keys, templates), np.ones(len(sets.features), dtype=bool))
        words, counts = np.unique(sets.features, return_counts=True)
        common = words[counts > settings.lsh_max_df]
        sets = sets.keep(np.ones(len(sets.sizes), dtype=bool), ~np.isin(sets.features, common))
        sets = sets.keep(sets.sizes >= settings.lsh_min_words, np.ones(len(sets.features), bool))
        banding = time.perf_counter()
        candidates, lsh_summary = _lsh_candidates(sets, n_docs, settings, task_mapper)
        del sets
        say(f"reuse: {len(candidates):,} candidate pairs from MinHash-LSH ({seconds(banding)})")
        summary.update(n_candidate_pairs=len(candidates), common_words=len(common), **lsh_summary)
    # as tasks, smaller blocks than in local processes, so that the workers' loads even out
    max_pairs = _TASK_BLOCK_PAIRS if mapper is not None else None
    blocks, needs = _blocks(candidates, _bandwidth_rank(candidates, n_docs), max_pairs)
    del candidates
    doc_ids = articles["doc_id"].to_numpy()
    verifier = _Verifier(
        texts=_Texts(texts),
        spans=spans,
        offsets=offsets,
        outlet_codes=outlet_codes,
        templates=templates,
        idf=_idf(df, n_rows),
        settings=settings,
        doc_ids=doc_ids,
        outlets=outlets,
        needs=needs,
        n_blocks=len(blocks),
    )
    summary["seconds_preparing"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    total = summary["n_candidate_pairs"]
    done = progress(range(total), desc="reuse: verifying pairs", unit="pair", total=total)
    if mapper is None:
        passage_rows, match_rows, pair_rows = _verify(verifier, blocks, workers, done)
    else:
        passage_rows, match_rows, pair_rows = _verify_blocks(verifier, blocks, mapper, done)
    summary["n_pairs_found"] = len(pair_rows)
    summary["seconds_verifying"] = round(time.perf_counter() - started, 1)
    say(
        f"reuse: verified {total:,} candidate pairs in {len(blocks):,} blocks: "
        f"{len(pair_rows):,} share text ({seconds(started)})"
    )
    summary["settings"] = asdict(settings)
    position = {doc: i for i, doc in enumerate(doc_ids)}

    def in_article_order(rows: list, columns: list[str]) -> pd.DataFrame:
        table = pd.DataFrame(rows, columns=columns)
        order = np.lexsort((table["doc_b"].map(position), table["doc_a"].map(position)))
        return table.iloc[order].reset_index(drop=True)

    return ReuseResult(
        passages=in_article_order(passage_rows, PASSAGE_COLUMNS),
        matches=in_article_order(match_rows, MATCH_COLUMNS),
        pairs=in_article_order(pair_rows, PAIR_COLUMNS),
        templates=template_table,
        summary=summary,
    )


def reuse_pairs(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    settings: ReuseSettings | None = None,
    method: str = "auto",
) -> pd.DataFrame:
    """One row per pair of articles that share text (``framing reuse PATH --out pairs.csv``).

    Columns (:data:`PAIR_COLUMNS`): ``doc_a, doc_b`` (``doc_a`` first in the article table),
    their outlets, ``kind`` (``verbatim``, ``rewrite`` or ``both``: the kinds of their shared
    sentence pairs), ``share_a`` (share of doc_a's words in sentences shared with doc_b) and
    ``share_b``, ``verbatim_share_a/b`` (share of words inside verbatim passages),
    ``n_verbatim_sentences`` and ``n_rewrite_sentences`` (sentence pairs of each kind),
    ``n_passages`` and ``longest_passage_words``.

    Examples
    --------
    >>> from analysis.text.sentences import split_sentences
    >>> text = "Rubio will host partners from across the globe for the inaugural ministerial."
    >>> articles = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "B", "C"],
    ...     "clean_text": [text, text, "Floods closed schools across the state on Monday."]})
    >>> reuse_pairs(articles, split_sentences(articles))[["doc_a", "doc_b", "kind"]].values.tolist()
    [['a', 'b', 'verbatim']]
    """
    return detect_reuse(articles, sentences, settings=settings, method=method).pairs
