"""The study at full size: the five seeds and the 109 coverage articles, 114 in all, loaded.

Every article is measured on its *opening*, its first
:data:`~analysis.study.coding.OPENING_CHARS` characters
(:func:`~analysis.study.coding.extended_articles`): 97 of the 109 coverage texts are stored that
way, and headline and lead carry most of the framing. The seeds' full texts are a
sensitivity check (:func:`analysis.study.extended_measures.seed_sensitivity`).

This module reads the coverage corpus and the outlet table and loads the 114 openings
(:func:`load_extended_study`); :mod:`analysis.study.extended_measures` groups their measures and
:mod:`analysis.study.extended_tables` makes the tables of the extended figures.

The coverage texts are the outlets' copyright: tables made from them carry measures, counts, ids,
offsets and matched indicator words, never a sentence of text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from analysis.core.config import CORPUS_DIR, FIGURES_DIR
from analysis.core.errors import InputError
from analysis.study.coding import (
    OPENING_CHARS,
    coverage_metadata,
    coverage_path,
    extended_articles,
)
from analysis.study.load import Study, study_from_articles

#: Where the extended study's outputs go.
EXTENDED_DIR = FIGURES_DIR / "extended"
#: The committed metadata of the coverage corpus (no titles, no texts).
COVERAGE_METADATA_FILE = CORPUS_DIR / "coverage" / "metadata.csv"
#: Columns of :data:`COVERAGE_METADATA_FILE` taken from the coverage file as they are.
COVERAGE_METADATA_COLUMNS = [
    "id",
    "outlet",
    "date",
    "url",
    "wire",
    "kind",
    "truncated",
    "title_source",
]
#: The outlet table: country, kind and web domain of every outlet, with sources.
OUTLETS_FILE = CORPUS_DIR / "outlets.csv"
OUTLET_COLUMNS = [
    "outlet",
    "corpus",
    "n_articles",
    "domain",
    "domain_source",
    "country",
    "country_source",
    "kind",
    "kind_source",
]
#: Outlet kinds (the issue's seven, and two the outlets needed: see corpus/README.md).
OUTLET_KINDS = (
    "national daily",
    "broadcaster",
    "news agency or wire-reprint site",
    "magazine",
    "think tank",
    "regional",
    "aggregator",
    "digital news site",
    "diaspora outlet",
)
#: Article kinds of the coverage corpus; the five seeds are news reports.
ARTICLE_KINDS = ("news", "analysis", "opinion", "explainer")
SEED_KIND = "news"

#: The day Trump announced the 18% tariff (and Jaishankar's visit began).
TARIFF_CUT = "2026-02-02"
#: The days the interim trade framework was announced.
FRAMEWORK_DAYS = ("2026-02-06", "2026-02-07")
UNDATED = "undated"
#: Outlet groups: India, every other known country, and outlets whose country is not shown.
INDIA, FOREIGN, UNKNOWN_COUNTRY = "Indian outlets", "foreign outlets", "country not shown"

#: Every caption ends with this.
UNIT_NOTE = (
    f"Unit: every article's opening (first {OPENING_CHARS:,} characters), the seeds' included; "
    "the seeds' full texts are a sensitivity check (extended_seed_sensitivity)."
)


@dataclass
class ExtendedStudy(Study):
    """A :class:`~analysis.study.load.Study` of the 114 openings, labelled as such in provenance."""

    label: str = ""

    @property
    def corpus_label(self) -> str:
        """What provenance records as the corpus (no machine-specific path)."""
        return self.label

    @staticmethod
    def regenerate_command(name: str) -> str:
        """The command that rebuilds output ``name``."""
        return f"framing extended --only {name}"


def coverage_available(path: Path | str | None = None) -> bool:
    """Whether the coverage corpus can be read (it lives beside the project, not in it)."""
    return Path(path or coverage_path()).is_file()


def coverage_metadata_table(path: Path | str | None = None) -> pd.DataFrame:
    """The committed metadata of the coverage corpus: :data:`COVERAGE_METADATA_COLUMNS`, and
    each stored text's length and SHA-256, so a collector can check they have the same text."""
    table = pd.read_csv(path or coverage_path(), dtype=str, keep_default_na=False)
    return table[COVERAGE_METADATA_COLUMNS].assign(
        n_chars=table["text"].str.len(),
        text_sha256=[hashlib.sha256(t.encode("utf-8")).hexdigest() for t in table["text"]],
    )


def read_outlets(path: Path | str = OUTLETS_FILE) -> pd.DataFrame:
    """The outlet table (:data:`OUTLET_COLUMNS`), checked: one row per outlet, known kinds.

    Raises :class:`InputError` naming the file, row and field otherwise.
    """
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in OUTLET_COLUMNS if column not in table]
    if missing:
        raise InputError(f"{path}: no column {missing[0]!r}")
    for row, (outlet, kind) in enumerate(zip(table["outlet"], table["kind"], strict=True), 2):
        if kind not in OUTLET_KINDS:
            raise InputError(
                f"{path}: row {row} ({outlet}): kind {kind!r} is not one of "
                f"{', '.join(OUTLET_KINDS)}"
            )
    repeated = table[table["outlet"].duplicated()]
    if not repeated.empty:
        raise InputError(f"{path}: outlet {repeated['outlet'].iloc[0]!r} is listed twice")
    return table.assign(n_articles=table["n_articles"].astype(int))


def outlet_group(country: str) -> str:
    """:data:`INDIA`, :data:`FOREIGN` or :data:`UNKNOWN_COUNTRY` for an outlet's country.

    >>> [outlet_group(c) for c in ["India", "Pakistan", "unknown"]]
    ['Indian outlets', 'foreign outlets', 'country not shown']
    """
    if country == "unknown":
        return UNKNOWN_COUNTRY
    return INDIA if country == "India" else FOREIGN


def load_extended_study(
    coverage: Path | str | None = None, *, outlets: Path | str = OUTLETS_FILE, workers: int = 1
) -> ExtendedStudy:
    """The 114 openings, loaded, cleaned and split, each article with its ``corpus``, article
    ``kind``, ``outlet_country``, ``outlet_kind`` and ``outlet_group``.

    Raises :class:`InputError` when the coverage corpus is absent or an outlet has no row in
    the outlet table.
    """
    path = Path(coverage or coverage_path())
    if not path.is_file():
        raise InputError(
            f"{path}: the coverage corpus is not there (see corpus/coverage/README.md)"
        )
    articles = extended_articles(path)
    kinds = coverage_metadata(path).set_index("id")["kind"]
    articles["kind"] = articles["doc_id"].map(kinds).fillna(SEED_KIND)
    table = read_outlets(outlets).set_index("outlet")
    unknown = sorted(set(articles["outlet"]) - set(table.index))
    if unknown:
        raise InputError(f"{outlets}: no row for outlet {unknown[0]!r}")
    articles["outlet_country"] = articles["outlet"].map(table["country"])
    articles["outlet_kind"] = articles["outlet"].map(table["kind"])
    articles["outlet_group"] = articles["outlet_country"].map(outlet_group)
    study = study_from_articles(articles, path, workers=workers)
    label = f"corpus/ + {path.name} (openings of {OPENING_CHARS} characters)"
    return ExtendedStudy(**{f.name: getattr(study, f.name) for f in fields(Study)}, label=label)


__all__ = [
    "EXTENDED_DIR",
    "ExtendedStudy",
    "coverage_available",
    "load_extended_study",
    "read_outlets",
]
