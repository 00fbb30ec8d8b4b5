"""Samples for hand coding: the extended corpus, its locked test split and the sentence sample.

The study's framing measure is validated against coding made without sight of the detector.
This module draws, with the study's seed, which coverage articles are set aside as the locked
test split and which articles are coded sentence by sentence, and writes the coders' packets.
Nothing here reads the detector's output.

The unit that is coded and measured is an article's *opening*: its first
:data:`OPENING_CHARS` characters (97 of the 109 coverage texts are stored that way; the
seeds are cut to the same length so that every article is measured alike).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core.config import CORPUS_DIR, RANDOM_SEED, SHARED_DATA_DIR
from analysis.io.corpus import load_corpus
from analysis.text.tokens import ALNUM_TOKEN

#: Characters of an article's text that make its opening, the study's unit of measurement.
OPENING_CHARS = 2000

#: The coverage corpus, kept beside the project (never inside it: the texts are the outlets').
COVERAGE_FILE = "coverage_2026.csv"

#: Share of the coverage articles set aside as the locked test split.
TEST_FRACTION = 0.30

#: Articles sharing at least this share of their 8-word shingles are kept in one split.
SHARED_COPY_CONTAINMENT = 0.2

SHINGLE_WORDS = 8


def coverage_path() -> Path:
    """Where the coverage corpus is read from (``FRAMING_SHARED_DATA`` or ``../shared/data``)."""
    return SHARED_DATA_DIR / COVERAGE_FILE


def opening(text: str, n_chars: int = OPENING_CHARS) -> str:
    """The first ``n_chars`` characters of ``text``.

    >>> opening("abcdef", 3)
    'abc'
    """
    return text[:n_chars]


def coverage_metadata(path: Path | str | None = None) -> pd.DataFrame:
    """The coverage corpus's metadata columns (no texts), as read from its CSV file."""
    table = pd.read_csv(path or coverage_path(), dtype=str, keep_default_na=False)
    return table.drop(columns=["text"])


def _shingles(text: str) -> set[str]:
    words = [w.lower() for w in ALNUM_TOKEN.findall(text)]
    return {
        " ".join(words[i : i + SHINGLE_WORDS])
        for i in range(max(len(words) - SHINGLE_WORDS + 1, 0))
    }


def copy_groups(articles: pd.DataFrame) -> pd.Series:
    """A group label per article: articles of one outlet, or sharing copy, share a group.

    Two articles share copy when one has at least :data:`SHARED_COPY_CONTAINMENT` of its
    8-word shingles in the other. Groups are connected components, labelled by their first
    ``doc_id`` in sorted order.
    """
    ids = articles["doc_id"].tolist()
    parent = {doc_id: doc_id for doc_id in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for _, same_outlet in articles.groupby("outlet")["doc_id"]:
        members = sorted(same_outlet)
        for other in members[1:]:
            union(members[0], other)
    shingles = {d: _shingles(t) for d, t in zip(ids, articles["text"], strict=True)}
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            shared = len(shingles[a] & shingles[b])
            smaller = min(len(shingles[a]), len(shingles[b])) or 1
            if shared / smaller >= SHARED_COPY_CONTAINMENT:
                union(a, b)
    return pd.Series([find(d) for d in ids], index=articles.index, name="group")


def period(date: str) -> str:
    """The study's period of an ISO date: before, during (2-5 Feb) or after the visit's week.

    >>> [period(d) for d in ["2026-01-29", "2026-02-02", "2026-02-07", ""]]
    ['before', 'visit', 'after', 'undated']
    """
    if not date:
        return "undated"
    if date < "2026-02-02":
        return "before"
    if date <= "2026-02-05":
        return "visit"
    return "after"


def draw_test_split(
    metadata: pd.DataFrame,
    groups: pd.Series,
    *,
    fraction: float = TEST_FRACTION,
    seed: int = RANDOM_SEED,
) -> pd.DataFrame:
    """Set aside about ``fraction`` of the articles as the locked test split.

    Whole groups (one outlet's articles, articles sharing copy) go to one side, so no test
    article shares an outlet or copy with a development article. Groups are drawn within
    strata of article kind and period, so both sides cover the kinds and the weeks alike.

    Returns one row per article: ``doc_id, outlet, kind, period, group, split``.
    """
    table = metadata.assign(
        group=groups.to_numpy(), period=[period(d) for d in metadata["date"]]
    )[["id", "outlet", "kind", "period", "group"]].rename(columns={"id": "doc_id"})
    # A group's stratum is that of its first article. Groups are put in stratum order, shuffled
    # within their stratum, and walked once: a group goes to test when that keeps the running
    # count of test articles closer to ``fraction`` of the articles walked so far, so each
    # stratum gets about its share, whole groups at a time.
    first = table.sort_values("doc_id").groupby("group").first()
    sizes = table.groupby("group").size()
    rng = np.random.default_rng(seed)
    order = first.assign(
        stratum=first["kind"] + "|" + first["period"], key=rng.random(len(first))
    ).sort_values(["stratum", "key"])
    chosen: set[str] = set()
    walked = n_test = 0
    for group in order.index:
        walked += sizes[group]
        target = fraction * walked
        if abs(n_test + sizes[group] - target) < abs(n_test - target):
            chosen.add(group)
            n_test += sizes[group]
    table["split"] = np.where(table["group"].isin(chosen), "test", "development")
    return table.sort_values("doc_id").reset_index(drop=True)


def draw_sentence_sample(
    split: pd.DataFrame, *, n_development: int, n_test: int, seed: int = RANDOM_SEED
) -> list[str]:
    """The coverage articles coded sentence by sentence: a seeded draw from each split."""
    rng = np.random.default_rng(seed + 1)
    chosen: list[str] = []
    for name, n in (("development", n_development), ("test", n_test)):
        ids = sorted(split.loc[split["split"] == name, "doc_id"])
        chosen += sorted(rng.choice(ids, size=n, replace=False).tolist())
    return chosen


def sentence_fingerprint(text: str) -> str:
    """A short hash of a sentence's text, so codes can be realigned without storing the text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def extended_articles(coverage: Path | str | None = None) -> pd.DataFrame:
    """The study's 114 articles (the five seeds and the coverage corpus), each cut to its
    opening, with a ``corpus`` column (``seeds`` or ``coverage``)."""
    seeds = load_corpus(CORPUS_DIR).assign(corpus="seeds")
    others = load_corpus(coverage or coverage_path()).assign(corpus="coverage")
    articles = pd.concat([seeds, others], ignore_index=True)
    return articles.assign(text=[opening(t) for t in articles["text"]])


def coder_codebook(codebook) -> str:
    """The codebook as coders see it: every frame's definition, rules and examples, and none of
    the detector's indicators (Markdown)."""
    lines = [
        f"# Codebook {codebook.name} {codebook.version}: frame definitions for coders",
        "",
        "A sentence or article can carry several frames, or none.",
    ]
    for frame in codebook.frames:
        lines += ["", f"## `{frame.id}`: {frame.label}", "", frame.definition, ""]
        for heading, items in (
            ("Include", frame.include),
            ("Exclude", frame.exclude),
            ("Examples", frame.examples),
            ("Counter-examples", frame.counter_examples),
        ):
            if items:
                lines += [f"{heading}:", *(f"- {item}" for item in items), ""]
    return "\n".join(lines).rstrip() + "\n"


def article_packet(articles: pd.DataFrame, order_seed: int) -> str:
    """Articles for article-level coding, headline and opening, in a seeded order of their own."""
    order = np.random.default_rng(order_seed).permutation(len(articles))
    parts = []
    for i in order:
        row = articles.iloc[i]
        headline = row["title"] or "(no headline)"
        parts.append(f"## Article {row['doc_id']}\n\nHeadline: {headline}\n\n{row['text']}\n")
    return "\n---\n\n".join(parts)


def sentence_packet(articles: pd.DataFrame, sentences: pd.DataFrame, order_seed: int) -> str:
    """Articles for sentence-level coding: the headline, then every sentence numbered."""
    order = np.random.default_rng(order_seed).permutation(len(articles))
    parts = []
    for i in order:
        row = articles.iloc[i]
        own = sentences[sentences["doc_id"] == row["doc_id"]]
        numbered = "\n".join(
            f"[{s}] {t}" for s, t in zip(own["sent_idx"], own["text"], strict=True)
        )
        headline = row["title"] or "(no headline)"
        parts.append(f"## Article {row['doc_id']}\n\nHeadline: {headline}\n\n{numbered}\n")
    return "\n---\n\n".join(parts)


#: Coverage articles coded sentence by sentence, drawn from each split (the five seeds are
#: coded sentence by sentence too).
SENTENCE_SAMPLE = {"development": 30, "test": 12}


def prepare_coding(annotations_dir: Path, packet_dir: Path) -> pd.DataFrame:
    """Draw the locked split and the sentence sample, and write the coders' packets.

    Writes ``coverage_split.csv`` and ``coding/codebook.md`` into ``annotations_dir`` (both
    committed: ids and the codebook, no texts) and the packets, which hold the articles' texts,
    into ``packet_dir`` (outside the repository). Returns the split table.
    """
    from analysis.framing.codebook import load_codebook
    from analysis.study.load import study_from_articles

    metadata = coverage_metadata()
    coverage = load_corpus(coverage_path())
    split = draw_test_split(metadata, copy_groups(coverage))
    sampled = set(draw_sentence_sample(split, **{f"n_{k}": v for k, v in SENTENCE_SAMPLE.items()}))
    split["sentence_level"] = np.where(split["doc_id"].isin(sampled), "yes", "no")
    split.to_csv(annotations_dir / "coverage_split.csv", index=False)
    (annotations_dir / "coding" / "codebook.md").write_text(
        coder_codebook(load_codebook()), encoding="utf-8"
    )
    articles = extended_articles()
    study = study_from_articles(articles, "extended")
    sentence_ids = sampled | set(articles.loc[articles["corpus"] == "seeds", "doc_id"])
    sentence_articles = articles[articles["doc_id"].isin(sentence_ids)].reset_index(drop=True)
    sentences = study.sentences[study.sentences["doc_id"].isin(sentence_ids)]
    packet_dir.mkdir(parents=True, exist_ok=True)
    for coder, seed in (("a", RANDOM_SEED + 11), ("b", RANDOM_SEED + 22)):
        (packet_dir / f"articles_{coder}.md").write_text(
            article_packet(articles, seed), encoding="utf-8"
        )
        (packet_dir / f"sentences_{coder}.md").write_text(
            sentence_packet(sentence_articles, sentences, seed), encoding="utf-8"
        )
    sentences.assign(fingerprint=[sentence_fingerprint(t) for t in sentences["text"]])[
        ["doc_id", "sent_idx", "start", "end", "fingerprint"]
    ].to_csv(annotations_dir / "coding" / "sentence_units.csv", index=False)
    return split
