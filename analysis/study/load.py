"""The study's tables, from a corpus path: load, clean, split; derived tables on demand.

:func:`load_study` is what the CLI, the notebooks and the figure registry all start from, so
there is one way to get from a corpus to its sentence table. Derived tables (frame hits,
sentiment, reuse ...) are computed once per :class:`Study` through :meth:`Study.derived`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

import pandas as pd

from analysis.core.config import CORPUS_DIR, display_path
from analysis.core.errors import InputError
from analysis.core.progress import log_line
from analysis.io.checks import Problem, corpus_warnings
from analysis.io.corpus import corpus_hash, load_corpus, validate_corpus
from analysis.text.cleaning import clean_corpus, sentence_split_records
from analysis.text.sentences import iter_sentences, split_sentences


class TableStore(Protocol):
    """Where a derived table of a study is kept between runs (a cache folder, say)."""

    def table(self, study: Study, compute: Callable[[], object]) -> object:
        """The table for ``study``: read back when the store holds it, else ``compute()`` and
        kept."""


@dataclass
class Study:
    """A loaded corpus and the tables every measure shares.

    Attributes
    ----------
    corpus_path
        Where the corpus was read from.
    articles
        One row per article: ``doc_id, outlet, date, title, url, wire, text, clean_text``.
    cleaning_report
        One row per span removed by cleaning (see :mod:`analysis.text.cleaning`).
    sentences
        One row per sentence (see :data:`analysis.text.sentences.SENTENCE_COLUMNS`).
    corpus_hash
        SHA-256 of the article table's content.
    workers
        Worker processes that the costliest measures (choosing the number of topics, finding
        shared text, quotations, frame indicators and actor mentions, scoring tone) may use;
        their results do not depend on it.
    """

    corpus_path: Path
    articles: pd.DataFrame
    cleaning_report: pd.DataFrame
    sentences: pd.DataFrame
    corpus_hash: str
    codebook_path: Path | None = None
    actors_path: Path | None = None
    workers: int = 1
    _derived: dict[str, object] = field(default_factory=dict, repr=False)
    _provided: set[str] = field(default_factory=set, repr=False)
    _released: set[str] = field(default_factory=set, repr=False)
    #: What a read of a released table does: ``False`` (a build's default) computes it again,
    #: with a line in the log, so a missing declaration costs time, never a wrong or stopped
    #: build; ``True`` raises :class:`ReleasedTableError` (the tests, to find the declaration).
    strict_release: bool = field(default=False, repr=False)
    _computing: list[str] = field(default_factory=list, repr=False)
    #: When a dict, every read of a derived table is recorded in it: the table being computed
    #: at the time (``None`` outside any) -> the tables it read (see ``tests/test_figures.py``).
    reads: dict[str | None, set[str]] | None = field(default=None, repr=False)
    #: Where some derived tables are kept between runs (name -> :class:`TableStore`): such a
    #: table is read back when its store has it, and given to the store once computed.
    stores: dict[str, TableStore] = field(default_factory=dict, repr=False)

    @property
    def corpus_label(self) -> str:
        """The corpus path as provenance records it (project-relative where possible)."""
        return display_path(self.corpus_path)

    def derived(self, name: str, compute: Callable[[Study], object]) -> object:
        """The derived table ``name``, computed with ``compute(study)`` the first time.

        A table released by :meth:`release` is computed again (logged), or, with
        ``strict_release``, raises :class:`ReleasedTableError`: a build that releases tables
        should declare every table its later outputs read."""
        if self.reads is not None:
            self.reads.setdefault(self._computing[-1] if self._computing else None, set()).add(name)
        if name in self._released and not self.strict_release:
            log_line(f"derived table {name} was released and is read again: computing it again")
            self._released.discard(name)
        if name in self._released:
            raise ReleasedTableError(
                f"the derived table {name!r} was released, but is read again: declare it "
                "among the tables of the output that reads it (FigureSpec.tables) or of the "
                "tables it is computed from (analysis.study.measures.NEEDS)"
            )
        if name not in self._derived:
            self._computing.append(name)
            try:
                store = self.stores.get(name)
                self._derived[name] = (
                    compute(self) if store is None else store.table(self, lambda: compute(self))
                )
            finally:
                self._computing.pop()
        return self._derived[name]

    def provide(self, name: str, table: object) -> None:
        """Set the derived table ``name`` from elsewhere (reuse found on a whole corpus, for a
        study that is one chunk of it); every measure built on it then uses it, and it is never
        released."""
        self._derived[name] = table
        self._provided.add(name)
        self._released.discard(name)

    def release(self, keep: Iterable[str]) -> list[str]:
        """Drop every derived table not in ``keep`` (tables set by :meth:`provide` stay), so
        that its memory can be reused; a later read of one computes it again (or, with
        ``strict_release``, raises :class:`ReleasedTableError`). Returns the names released.

        For a build that owns the study and knows which tables its remaining outputs read
        (:func:`analysis.outputs.figures.build_all` with ``release``)."""
        keep = set(keep) | self._provided
        released = [name for name in self._derived if name not in keep]
        for name in released:
            del self._derived[name]
        self._released.update(released)
        return released


class ReleasedTableError(RuntimeError):
    """A derived table was read after :meth:`Study.release` dropped it: a declaration of the
    tables an output or a table reads is missing."""


def load_study(
    corpus_path: Path | str | None = None,
    *,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
    workers: int = 1,
) -> Study:
    """Load, validate, clean and split a corpus.

    Parameters
    ----------
    corpus_path
        A corpus folder or CSV/JSONL file; the project's ``corpus/`` when ``None``.
    codebook, actors
        A frame codebook and an actor list (YAML); the study's own when ``None``.
    workers
        Worker processes for the costliest measures (see :attr:`Study.workers`).

    Examples
    --------
    >>> study = load_study()
    >>> study.sentences.columns.tolist()
    ['doc_id', 'sent_idx', 'para_idx', 'start', 'end', 'text']
    """
    path = Path(corpus_path) if corpus_path is not None else CORPUS_DIR
    return study_from_articles(
        load_corpus(path), path, codebook=codebook, actors=actors, workers=workers
    )


class Cleaned(NamedTuple):
    """An article table cleaned and split: what a :class:`Study` is built from.

    ``articles`` is the article table with ``clean_text`` added, ``cleaning_report`` one row
    per span removed (and per over-long sentence split, after them), ``sentences`` the
    sentence table (see :class:`Study`)."""

    articles: pd.DataFrame
    cleaning_report: pd.DataFrame
    sentences: pd.DataFrame


def clean_and_split(articles: pd.DataFrame, corpus_path: Path | str) -> Cleaned:
    """Clean an already loaded article table and split it into sentences; an article left
    with no sentence raises :class:`InputError` naming ``corpus_path`` and the article."""
    cleaned, report = clean_corpus(articles)
    splits: list[tuple[str, int]] = []
    try:
        sentences = split_sentences(cleaned, splits)
    except InputError as exc:
        raise InputError(f"{corpus_path}: {exc}") from None
    if splits:  # over-long sentences split before any measure: the cleaning report says where
        report = pd.concat([report, sentence_split_records(report, splits)], ignore_index=True)
    return Cleaned(cleaned, report, sentences)


def study_from_articles(
    articles: pd.DataFrame,
    corpus_path: Path | str,
    *,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
    workers: int = 1,
) -> Study:
    """Clean and split an already loaded article table (one chunk of a large corpus, say)."""
    return study_from_cleaned(
        clean_and_split(articles, corpus_path),
        corpus_path,
        codebook=codebook,
        actors=actors,
        workers=workers,
    )


def study_from_cleaned(
    cleaned: Cleaned,
    corpus_path: Path | str,
    *,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
    workers: int = 1,
) -> Study:
    """A :class:`Study` of an article table cleaned and split already (by
    :func:`clean_and_split`, or read back from a cache of its tables), without cleaning again."""
    return Study(
        Path(corpus_path),
        cleaned.articles,
        cleaned.cleaning_report,
        cleaned.sentences,
        corpus_hash(cleaned.articles),
        Path(codebook) if codebook is not None else None,
        Path(actors) if actors is not None else None,
        workers,
    )


def validate_study(corpus_path: Path | str) -> list[Problem]:
    """Every problem with a corpus: those of :func:`~analysis.io.corpus.validate_corpus`, and
    articles left with no sentence after cleaning."""
    problems = validate_corpus(corpus_path)
    if any(problem.severity == "error" for problem in problems):
        return problems
    articles = load_corpus(corpus_path)
    # undated articles are already listed one by one
    problems += corpus_warnings(articles, str(corpus_path), count_undated=False)
    cleaned, _ = clean_corpus(articles)
    for row_number, (doc_id, clean_text) in enumerate(
        zip(cleaned["doc_id"], cleaned["clean_text"], strict=True), start=1
    ):
        if next(iter_sentences(doc_id, clean_text), None) is None:
            problems.append(
                Problem(
                    "error",
                    f"{corpus_path}: row {row_number} (id {doc_id!r})",
                    "no sentences after cleaning (the text is only boilerplate or whitespace)",
                )
            )
    return problems
