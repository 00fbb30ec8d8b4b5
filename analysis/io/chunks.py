"""Large corpus files read chunk by chunk: column mapping, outlet-name normalisation, the whole
file checked before anything is made from it, and import to one Parquet file.

Formats read: the project's corpus folder, CSV (also ``.csv.xz``/``.csv.gz``/``.csv.bz2``),
JSONL and Parquet; a Media Cloud story-list CSV export with :data:`MEDIA_CLOUD` (its
``media_name``, ``publish_date`` and ``media_url`` columns); a folder of ``.txt`` files named in
a metadata CSV (the corpus folder format). Every row is checked by the rules of
:mod:`analysis.io.checks`, as :func:`analysis.io.corpus.load_corpus` checks it.

Examples
--------
>>> ColumnMap(outlet="media_name").source_for("outlet")
'media_name'
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from analysis.core.errors import InputError
from analysis.core.progress import progress
from analysis.io.checks import (
    EMPTY_FILE,
    ROW_FIELDS,
    Problem,
    check_columns,
    corpus_warnings,
    row_problems,
)
from analysis.io.corpus import (
    ARTICLE_COLUMNS,
    CSV_FORMATS,
    OPENERS,
    TEXT_FORMATS,
    format_suffix,
    load_corpus,
)

DEFAULT_CHUNK_SIZE = 500


@dataclass(frozen=True)
class ColumnMap:
    """Which input column holds each corpus field (``domain`` is optional: the outlet's
    web domain, the best key for merging outlet-name variants; ``url`` is used when absent)."""

    id: str = "id"
    outlet: str = "outlet"
    date: str = "date"
    title: str = "title"
    text: str = "text"
    url: str = "url"
    wire: str = "wire"
    domain: str = "domain"

    def source_for(self, field: str) -> str:
        """The input column for corpus field ``field``."""
        return getattr(self, field)


#: A Media Cloud story-list CSV export (texts in a ``text`` column you add, or ``--text-col``).
MEDIA_CLOUD = ColumnMap(outlet="media_name", date="publish_date", domain="media_url")
REQUIRED_FIELDS = ("id", "outlet", "text")


def iter_raw_chunks(
    path: Path | str, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Iterator[pd.DataFrame]:
    """Raw rows of a corpus file, ``chunk_size`` at a time, every value a string."""
    path = Path(path)
    if path.is_dir():
        articles = load_corpus(path).rename(columns={"doc_id": "id"})
        for start in range(0, len(articles), chunk_size):
            yield articles.iloc[start : start + chunk_size].reset_index(drop=True)
        return
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    suffix = format_suffix(path)
    if path.stat().st_size == 0:
        raise InputError(f"{path}: {EMPTY_FILE}")
    try:
        if suffix in CSV_FORMATS:
            yield from pd.read_csv(
                path, dtype=str, keep_default_na=False, chunksize=chunk_size, encoding="utf-8"
            )
        elif suffix in (".jsonl", ".ndjson"):
            for chunk in pd.read_json(path, lines=True, dtype=False, chunksize=chunk_size):
                yield chunk.astype(str).replace({"None": "", "nan": ""})
        elif suffix == ".parquet":
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_size):
                yield batch.to_pandas().astype(str)
        else:
            raise InputError(
                f"{path}: unknown corpus format {suffix!r} (use a folder, .csv[.xz], .jsonl or "
                ".parquet)"
            )
    except pd.errors.EmptyDataError:  # a compressed empty file, or one of blank lines
        raise InputError(f"{path}: {EMPTY_FILE}") from None
    except (UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        where = _unreadable_line(path, suffix)
        if where is not None:
            raise InputError(f"{path}: {where}") from None
        raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None


def _unreadable_line(path: Path, suffix: str) -> str | None:
    """The first line of a text corpus file that is not UTF-8 (or, in JSON Lines, not JSON),
    found line by line after the streaming reader failed; ``None`` if every line reads."""
    if suffix not in TEXT_FORMATS:
        return None
    opener = OPENERS.get(path.suffix.lower(), open)
    with opener(path, "rb") as handle:
        for number, raw_line in enumerate(handle, start=1):
            try:
                line = raw_line.decode("utf-8")
            except UnicodeDecodeError:
                return f"line {number}: not valid UTF-8: save the file as UTF-8"
            if suffix in (".jsonl", ".ndjson") and line.strip():
                try:
                    json.loads(line)
                except json.JSONDecodeError as exc:
                    return f"line {number}: not valid JSON ({exc.msg})"
    return None


def outlet_key(name: str, domain: str = "", url: str = "") -> str:
    """The key that identifies an outlet: its web domain where there is one, else its name
    folded (case, punctuation, a trailing "(Online)"-style qualifier, the word "online" and a
    leading "The").

    >>> outlet_key("Fox News (Online)"), outlet_key("FOX NEWS"), outlet_key("x", url="https://www.fox.com/a")
    ('fox news', 'fox news', 'fox.com')
    >>> outlet_key("The Morning Post"), outlet_key("the Hill")
    ('morning post', 'hill')
    """
    for source in (domain, url):
        source = source.strip()
        if source:
            host = urlsplit(source if "//" in source else f"//{source}").hostname or ""
            host = host.removeprefix("www.")
            if host:
                return host
    folded = re.sub(r"\([^)]*\)", " ", name.lower())
    folded = re.sub(r"\bonline\b|[^\w\s]", " ", folded)
    words = folded.split()
    return " ".join(words[1:] if len(words) > 1 and words[0] == "the" else words)


def outlet_names(name_counts: Mapping[tuple[str, str], int]) -> dict[str, str]:
    """Canonical name per outlet key from counts of (key, name): the most frequent name
    (ties: alphabetical).

    >>> outlet_names({("fox.com", "Fox News"): 9, ("fox.com", "Fox Online News"): 2})
    {'fox.com': 'Fox News'}
    """
    best: dict[str, tuple[int, str]] = {}
    for (key, name), count in sorted(name_counts.items()):
        if key not in best or (-count, name) < (-best[key][0], best[key][1]):
            best[key] = (count, name)
    return {key: name for key, (_, name) in best.items()}


def _column(raw: pd.DataFrame, columns: ColumnMap, field: str) -> pd.Series:
    source = columns.source_for(field)
    if source in raw.columns:
        return raw[source].fillna("").astype(str)
    return pd.Series([""] * len(raw), index=raw.index, dtype=object)


def normalise_chunk(
    raw: pd.DataFrame,
    columns: ColumnMap,
    where: str,
    first_row: int,
    seen_ids: dict[str, int],
) -> tuple[pd.DataFrame, list[Problem]]:
    """Map a raw chunk to the corpus table (plus ``outlet_raw`` and ``outlet_key``) and list its
    errors (:func:`~analysis.io.checks.row_problems`, the problems named by the input column);
    ``first_row`` numbers the chunk's rows in the file, ``seen_ids`` spans chunks."""
    required = [columns.source_for(field) for field in REQUIRED_FIELDS]
    check_columns(
        list(raw.columns),
        required,
        where,
        "; map columns with --id-col, --outlet-col, --text-col ...",
    )
    values = {field: _column(raw, columns, field) for field in ROW_FIELDS}
    names = {field: columns.source_for(field) for field in ROW_FIELDS}
    problems: list[Problem] = []
    table = pd.DataFrame({field: values[field] for field in ARTICLE_COLUMNS[1:]})
    table.insert(0, "doc_id", values["id"].str.strip().to_numpy())
    for field in ("outlet", "title", "url", "wire"):  # as load_corpus reads them
        table[field] = table[field].str.strip()
    dates = []
    for offset, row in enumerate(zip(*values.values(), strict=True)):
        fields = dict(zip(ROW_FIELDS, row, strict=True))
        date, found = row_problems(where, first_row + offset, fields, seen_ids, names, advice=False)
        dates.append(date)
        problems += [problem for problem in found if problem.severity == "error"]
    table["date"] = dates
    if "outlet_key" in raw and "outlet_raw" in raw:  # an imported corpus: names already keyed
        table["outlet_raw"] = raw["outlet_raw"].to_numpy()
        table["outlet_key"] = raw["outlet_key"].to_numpy()
        return table, problems
    table["outlet_raw"] = table["outlet"]
    table["outlet_key"] = [
        outlet_key(name, domain, url)
        for name, domain, url in zip(
            table["outlet"], _column(raw, columns, "domain"), table["url"], strict=True
        )
    ]
    return table, problems


@dataclass(frozen=True)
class CheckedCorpus:
    """What one reading of a whole corpus file found (:func:`check_corpus`)."""

    n_articles: int
    outlet_names: dict[str, str]  # canonical outlet name per outlet key
    summary: pd.DataFrame | None  # doc_id, outlet (canonical), date, url, outlet_raw, outlet_key
    errors: tuple[Problem, ...] = ()  # with keep_errors only


def check_corpus(
    source: Path | str,
    columns: ColumnMap = ColumnMap(),  # noqa: B008 (frozen, immutable)
    chunk_size: int = 5000,
    keep_summary: bool = True,
    keep_errors: bool = False,
) -> CheckedCorpus:
    """Read ``source`` once, chunk by chunk, before anything is made from it.

    Raises :class:`InputError` naming its first error (and how many more there are), or with
    ``keep_errors`` lists every error in the result. Returns its size, the canonical name of
    each outlet (the most frequent name under its key) and, with ``keep_summary``, a
    per-article summary (a few short strings per article). Every command that reads a corpus
    file calls this first, so that bad input anywhere in the file stops it before it writes
    anything, and outlet names are merged the same way whether the file was imported first or
    not.
    """
    source = Path(source)
    where = str(source)
    seen: dict[str, int] = {}
    errors: list[Problem] = []
    key_names: Counter = Counter()
    first_row = 1
    summary_columns = ["doc_id", "outlet", "date", "url", "outlet_raw", "outlet_key"]
    summaries = []
    for raw in progress(iter_raw_chunks(source, chunk_size), desc="checking", unit="chunk"):
        table, problems = normalise_chunk(raw, columns, where, first_row, seen)
        errors += [p for p in problems if p.severity == "error"]
        key_names.update(zip(table["outlet_key"], table["outlet_raw"], strict=True))
        if keep_summary:
            summaries.append(table[summary_columns])
        first_row += len(raw)
    if first_row == 1:
        errors.append(Problem("error", where, "no articles"))
    if errors and not keep_errors:
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise InputError(f"{errors[0]}{more}")
    canonical = outlet_names(key_names)
    summary = None
    if keep_summary and summaries:
        summary = pd.concat(summaries, ignore_index=True)
        summary["outlet"] = summary["outlet_key"].map(canonical)
    return CheckedCorpus(first_row - 1, canonical, summary, tuple(errors))


def corpus_problems(
    source: Path | str,
    columns: ColumnMap = ColumnMap(),  # noqa: B008 (frozen, immutable)
    chunk_size: int = 5000,
) -> list[Problem]:
    """Every error and warning :func:`import_corpus` would give for ``source`` (``framing
    validate`` with column options)."""
    checked = check_corpus(source, columns, chunk_size, keep_errors=True)
    if checked.errors:
        return list(checked.errors)
    return corpus_warnings(checked.summary, str(source))


def import_corpus(
    source: Path | str,
    out: Path | str,
    columns: ColumnMap = ColumnMap(),  # noqa: B008 (frozen, immutable)
    chunk_size: int = 5000,
) -> tuple[int, list[Problem]]:
    """Read ``source`` chunk by chunk, validate it, normalise outlet names, and write one
    Parquet file ``out`` (atomically: on any error nothing is written).

    Returns the number of articles and the warnings. Raises :class:`InputError` naming the
    first error (and how many more there are).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    source, out = Path(source), Path(out)
    checked = check_corpus(source, columns, chunk_size)
    warnings = corpus_warnings(checked.summary, str(source))
    # pass 2: write, with the canonical outlet names
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.tmp")
    file_columns = ["id", *ARTICLE_COLUMNS[1:], "outlet_raw", "outlet_key"]
    schema = pa.schema([(name, pa.string()) for name in file_columns])
    try:
        with pq.ParquetWriter(staging, schema) as writer:
            for table in canonical_chunks(source, columns, chunk_size, checked.outlet_names):
                table = table.rename(columns={"doc_id": "id"})[file_columns]
                writer.write_table(pa.Table.from_pandas(table, schema=schema, preserve_index=False))
        staging.replace(out)
    finally:
        staging.unlink(missing_ok=True)
    return checked.n_articles, warnings


def canonical_chunks(
    source: Path, columns: ColumnMap, chunk_size: int, canonical: Mapping[str, str]
) -> Iterator[pd.DataFrame]:
    """The chunks of a file :func:`check_corpus` has passed, normalised, each outlet under its
    canonical name (``canonical``: outlet key to name)."""
    first_row = 1
    for raw in iter_raw_chunks(source, chunk_size):
        table, _ = normalise_chunk(raw, columns, str(source), first_row, {})
        table["outlet"] = table["outlet_key"].map(canonical)
        first_row += len(raw)
        yield table


def column_map_from_options(preset: str | None, **overrides: str | None) -> ColumnMap:
    """A :class:`ColumnMap` from a preset (``mediacloud``) and per-field overrides."""
    base = MEDIA_CLOUD if preset == "mediacloud" else ColumnMap()
    fields = asdict(base)
    fields.update({k: v for k, v in overrides.items() if v})
    return ColumnMap(**fields)
