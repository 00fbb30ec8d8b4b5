"""Large corpora: import with column mapping and outlet normalisation, and measure chunk by chunk.

A corpus of tens of thousands of articles is never held in memory as sentences. It is read in
chunks of articles; each chunk is cleaned, split, framed and scored by :func:`measure_chunk`
(the same functions as the study, through :func:`analysis.study.load.study_from_articles`), and
only its per-article rows are kept. Chunks run one after another, on local processes
(``workers``), or on a Dask cluster (``dask``): every path calls the same function on the same
chunks, so the results are identical. A content-keyed cache (hash of the chunk's articles, the
package's version and code, the versions of the libraries that change results, the codebook and
the actor list) skips chunks already measured; a cached table is used only when its bytes match
the SHA-256 recorded beside it, and is measured again otherwise.

Formats read: the project's corpus folder, CSV (also ``.csv.xz``/``.csv.gz``/``.csv.bz2``),
JSONL and Parquet; a Media Cloud story-list CSV export with :data:`MEDIA_CLOUD` (its
``media_name``, ``publish_date`` and ``media_url`` columns); a folder of ``.txt`` files named in
a metadata CSV (the corpus folder format).

Examples
--------
>>> ColumnMap(outlet="media_name").source_for("outlet")
'media_name'
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import json
import lzma
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from analysis.core.config import N_BOOTSTRAP
from analysis.core.errors import InputError
from analysis.core.parallel import ordered_map
from analysis.core.progress import progress
from analysis.io.corpus import (
    ARTICLE_COLUMNS,
    Problem,
    corpus_hash,
    field_problem,
    load_corpus,
    parse_date,
)
from analysis.study.provenance import (
    code_hash,
    input_hashes,
    json_bytes,
    library_versions,
    sha256_bytes,
    table_to_csv_bytes,
    write_paths_atomically,
)

DEFAULT_CHUNK_SIZE = 500
#: Outlets with fewer articles than this get an imbalance warning.
MIN_ARTICLES_PER_OUTLET = 5
_COMPRESSED_CSV = (".csv", ".csv.xz", ".csv.gz", ".csv.bz2")


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


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in (*_COMPRESSED_CSV, ".jsonl", ".ndjson", ".parquet"):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


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
    suffix = _suffix(path)
    try:
        if suffix in _COMPRESSED_CSV:
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
    except (UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        where = _unreadable_line(path, suffix)
        if where is not None:
            raise InputError(f"{path}: {where}") from None
        raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None


def _unreadable_line(path: Path, suffix: str) -> str | None:
    """The first line of a text corpus file that is not UTF-8 (or, in JSON Lines, not JSON),
    found line by line after the streaming reader failed; ``None`` if every line reads."""
    if suffix not in (*_COMPRESSED_CSV, ".jsonl", ".ndjson"):
        return None
    opener = {".xz": lzma.open, ".gz": gzip.open, ".bz2": bz2.open}.get(path.suffix.lower(), open)
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
    folded (case, punctuation, a trailing "(Online)"-style qualifier and the word "online").

    >>> outlet_key("Fox News (Online)"), outlet_key("FOX NEWS"), outlet_key("x", url="https://www.fox.com/a")
    ('fox news', 'fox news', 'fox.com')
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
    return " ".join(folded.split())


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
    problems; ``first_row`` numbers the chunk's rows in the file, ``seen_ids`` spans chunks."""
    missing = [columns.source_for(f) for f in REQUIRED_FIELDS if columns.source_for(f) not in raw]
    if missing:
        found = ", ".join(map(str, raw.columns))
        raise InputError(
            f"{where}: missing required column {', '.join(map(repr, missing))} (found: {found}; "
            "map columns with --id-col, --outlet-col, --text-col ...)"
        )
    problems: list[Problem] = []
    table = pd.DataFrame({field: _column(raw, columns, field) for field in ARTICLE_COLUMNS[1:]})
    table.insert(0, "doc_id", _column(raw, columns, "id").str.strip().to_numpy())
    table["outlet"] = table["outlet"].str.strip()
    dates = []
    for offset, (doc_id, outlet, date, text) in enumerate(
        zip(table["doc_id"], table["outlet"], table["date"], table["text"], strict=True)
    ):
        at = f"{where}: row {first_row + offset}"
        if not doc_id:
            problems.append(Problem("error", f"{at}, field 'id'", "empty id"))
        elif doc_id in seen_ids:
            problems.append(
                Problem(
                    "error",
                    f"{at}, field 'id'",
                    f"duplicate id {doc_id!r} (first at row {seen_ids[doc_id]})",
                )
            )
        else:
            seen_ids[doc_id] = first_row + offset
        if not outlet:
            problems.append(Problem("error", f"{at}, field 'outlet'", "empty outlet"))
        if not text.strip():
            problems.append(Problem("error", f"{at}, field 'text'", "empty text"))
        try:
            dates.append(parse_date(date))
        except ValueError:
            problems.append(Problem("error", f"{at}, field 'date'", f"cannot parse {date!r}"))
            dates.append("")
    table["date"] = dates
    for field in ARTICLE_COLUMNS:  # control characters and over-long fields, in any column
        source = columns.source_for("id" if field == "doc_id" else field)
        for offset, value in enumerate(table[field]):
            problem = field_problem(value)
            if problem:
                at = f"{where}: row {first_row + offset}, field {source!r}"
                problems.append(Problem("error", at, problem))
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


def corpus_warnings(
    articles: pd.DataFrame, where: str, count_undated: bool = True
) -> list[Problem]:
    """What a reader should know about a usable corpus: undated articles, repeated URLs,
    outlets with very few articles, and outlet-name variants merged under one key."""
    warnings = []
    undated = int((articles["date"] == "").sum())
    if undated and count_undated:
        warnings.append(Problem("warning", where, f"{undated} articles have no date"))
    urls = articles.loc[articles["url"] != "", "url"]
    repeated = int(urls.duplicated().sum())
    if repeated:
        example = urls[urls.duplicated()].iloc[0]
        warnings.append(
            Problem("warning", where, f"{repeated} articles repeat another's URL (e.g. {example})")
        )
    per_outlet = articles["outlet"].value_counts()
    small = per_outlet[per_outlet < MIN_ARTICLES_PER_OUTLET]
    if len(per_outlet) > 1 and (len(small) or per_outlet.max() > 20 * per_outlet.median()):
        warnings.append(
            Problem(
                "warning",
                where,
                f"outlet imbalance: {len(per_outlet)} outlets, {per_outlet.max()} to "
                f"{per_outlet.min()} articles (median {per_outlet.median():g}); {len(small)} "
                f"with fewer than {MIN_ARTICLES_PER_OUTLET}: their intervals will be wide",
            )
        )
    if "outlet_raw" in articles:
        variants = articles.groupby("outlet")["outlet_raw"].nunique()
        merged = variants[variants > 1]
        if len(merged):
            warnings.append(
                Problem(
                    "warning",
                    where,
                    f"{len(merged)} outlets merged from name variants by domain or folded name "
                    "(outlet_raw keeps the original name)",
                )
            )
    return warnings


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
            for table in _canonical_chunks(source, columns, chunk_size, checked.outlet_names):
                table = table.rename(columns={"doc_id": "id"})[file_columns]
                writer.write_table(pa.Table.from_pandas(table, schema=schema, preserve_index=False))
        staging.replace(out)
    finally:
        staging.unlink(missing_ok=True)
    return checked.n_articles, warnings


def _canonical_chunks(
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


# --- measuring chunk by chunk ------------------------------------------------------------------


#: Libraries whose versions change a chunk's measures (sentence splitting and stemming,
#: tone, vectorising, numbers and tables): a cached chunk is used only under the same versions.
RESULT_LIBRARIES = ("nltk", "vaderSentiment", "scikit-learn", "numpy", "pandas")


def chunk_key(
    articles: pd.DataFrame,
    codebook: Path | None,
    actors: Path | None,
    own_text: pd.DataFrame | None = None,
) -> str:
    """Cache key of a chunk: its articles' content, the package's version and code, the
    versions of :data:`RESULT_LIBRARIES`, the codebook and the actor list (by content; the
    study's for ``None``) and, when own text is measured, the chunk's rows of the sentence
    reuse table."""
    from analysis import __version__

    digest = hashlib.sha256()
    parts = [
        corpus_hash(articles),
        __version__,
        code_hash(),
        json.dumps(library_versions(RESULT_LIBRARIES), sort_keys=True),
        json.dumps(input_hashes(codebook, actors), sort_keys=True),
    ]
    if own_text is not None:
        parts.append(table_to_csv_bytes(own_text))
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def measure_chunk(
    articles: pd.DataFrame,
    codebook: Path | None = None,
    actors: Path | None = None,
    own_text: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every per-article measure (``framing score``'s columns) for one chunk of articles.

    ``own_text`` is the chunk's rows of a sentence reuse table (:func:`read_sentence_reuse`,
    from ``framing reuse`` on the whole corpus); with it the own-text columns are added."""
    from analysis.study import measures
    from analysis.study.load import study_from_articles

    study = study_from_articles(
        articles[ARTICLE_COLUMNS], "chunk", codebook=codebook, actors=actors
    )
    if own_text is not None:
        measures.use_sentence_reuse(study, own_text)
    scores = measures.score_table(study, reuse=own_text is not None)
    extra = [c for c in ("outlet_raw", "outlet_key") if c in articles]
    if extra:
        scores = scores.merge(articles[["doc_id", *extra]], on="doc_id", how="left")
    return scores


#: The columns of ``framing reuse --sentences`` that own-text measures need.
SENTENCE_REUSE_NEEDED = ["doc_id", "sent_idx", "n_words", "status", "own"]


def read_sentence_reuse(path: Path | str) -> pd.DataFrame:
    """The per-sentence table written by ``framing reuse --sentences`` (CSV or Parquet), for
    measuring each article's own text chunk by chunk; raises :class:`InputError` naming the
    file, row and column of a problem."""
    path = Path(path)
    try:
        if _suffix(path) == ".parquet":
            table = pd.read_parquet(path).astype({"doc_id": str})
        else:
            table = pd.read_csv(path, dtype={"doc_id": str, "status": str}, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None
    missing = [column for column in SENTENCE_REUSE_NEEDED if column not in table]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} (write it with framing reuse "
            "--sentences)"
        )
    table = table[SENTENCE_REUSE_NEEDED].copy()
    for column, valid in (
        ("sent_idx", lambda v: pd.to_numeric(v, errors="coerce").notna()),
        ("n_words", lambda v: pd.to_numeric(v, errors="coerce").notna()),
        ("own", lambda v: v.astype(str).isin(["True", "False"])),
        ("status", lambda v: v.isin(["original", "verbatim", "rewrite"])),
    ):
        bad = ~valid(table[column])
        if bad.any():
            row = int(bad.to_numpy().argmax()) + 1
            raise InputError(
                f"{path}: row {row}, column '{column}': {table[column].iloc[row - 1]!r} is not "
                "valid"
            )
    table["sent_idx"] = table["sent_idx"].astype(int)
    table["n_words"] = table["n_words"].astype(int)
    table["own"] = table["own"].astype(str) == "True"
    return table


def _chunks(path: Path, chunk_size: int, columns: ColumnMap) -> tuple[int, Iterator[pd.DataFrame]]:
    """The number of chunks, and the corpus's chunks normalised as :func:`import_corpus`
    writes them (canonical outlet names); the whole file is checked first (:func:`check_corpus`),
    so an error raises before the first chunk is given."""
    checked = check_corpus(path, columns, chunk_size, keep_summary=False)
    chunks = _canonical_chunks(path, columns, chunk_size, checked.outlet_names)
    return -(-checked.n_articles // chunk_size), chunks


def cleaned_corpus(
    path: Path | str,
    *,
    columns: ColumnMap = ColumnMap(),  # noqa: B008 (frozen, immutable)
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The whole corpus cleaned and split, read chunk by chunk, for the corpus-level stages
    that compare articles with each other (:func:`analysis.reuse.detect_reuse`).

    Returns the article table (doc_id, outlet, clean_text) and the sentence table (doc_id,
    sent_idx, para_idx, start, end, text; offsets into ``clean_text``). Memory: about three
    times the corpus's text (37,554 AllSides articles: see benchmarks/RESULTS.md). With
    ``workers`` > 1 the chunks are cleaned in that many processes; the tables are the same.
    """
    n_chunks, chunks = _chunks(Path(path), chunk_size, columns)
    bar = {"desc": "cleaning and splitting", "unit": "chunk", "total": n_chunks}
    parts = list(
        progress(ordered_map(_clean_chunk, ((c, path) for c in chunks), workers=workers), **bar)
    )
    return (
        pd.concat([articles for articles, _ in parts], ignore_index=True),
        pd.concat([sentences for _, sentences in parts], ignore_index=True),
    )


def _clean_chunk(chunk: pd.DataFrame, path: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from analysis.study.load import study_from_articles

    study = study_from_articles(chunk[ARTICLE_COLUMNS], path)
    return study.articles[["doc_id", "outlet", "clean_text"]], study.sentences


def _measure_cached(
    articles: pd.DataFrame,
    codebook: Path | None,
    actors: Path | None,
    cache_dir: Path | None,
    own_text: pd.DataFrame | None = None,
) -> pd.DataFrame:
    if cache_dir is None:
        return measure_chunk(articles, codebook, actors, own_text)
    cached = cache_dir / f"{chunk_key(articles, codebook, actors, own_text)}.parquet"
    scores = _read_cached(cached)
    if scores is not None:
        return scores
    scores = measure_chunk(articles, codebook, actors, own_text)
    buffer = io.BytesIO()
    scores.to_parquet(buffer, index=False)
    data = buffer.getvalue()
    check = json_bytes({"sha256": sha256_bytes(data), "rows": len(scores)})
    write_paths_atomically({cached: data, _check_file(cached): check})
    return scores


def _check_file(cached: Path) -> Path:
    """The sidecar holding a cached table's SHA-256."""
    return cached.with_suffix(".json")


def _read_cached(cached: Path) -> pd.DataFrame | None:
    """A cached chunk table, if it is there and its bytes have the SHA-256 its sidecar
    recorded when it was written; ``None`` otherwise (missing, truncated, edited), so that
    the chunk is measured again."""
    try:
        data = cached.read_bytes()
        expected = json.loads(_check_file(cached).read_text(encoding="utf-8"))["sha256"]
        if sha256_bytes(data) != expected:
            return None
        return pd.read_parquet(io.BytesIO(data))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def measure_corpus(
    path: Path | str,
    *,
    columns: ColumnMap = ColumnMap(),  # noqa: B008 (frozen, immutable)
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
    workers: int = 1,
    dask: str | None = None,
    cache_dir: Path | str | None = None,
    sentence_reuse: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per-article measures for a corpus of any size, chunk by chunk.

    Parameters
    ----------
    workers
        Local processes (1: in this process).
    dask
        A Dask scheduler address (``tcp://host:8786``) or ``local:N`` for a local cluster of N
        single-threaded worker processes; overrides ``workers``.
    cache_dir
        Where chunk results are cached by content (``None``: no cache).
    sentence_reuse
        Every sentence's reuse status (:func:`read_sentence_reuse`: ``framing reuse`` on this
        corpus). With it, each chunk also gets the own-text columns of ``framing score``
        (``shared_share``, ``own_...``); shared text is found on the whole corpus, so these are
        the same as measuring the corpus in one piece.

    Returns the score table in corpus order (the same whichever way the chunks ran).
    """
    path = Path(path)
    codebook = Path(codebook) if codebook is not None else None
    actors = Path(actors) if actors is not None else None
    cache = Path(cache_dir) if cache_dir is not None else None
    n_chunks, chunks = _chunks(path, chunk_size, columns)
    own_text = _own_text_of_chunks(sentence_reuse)
    calls = (
        (chunk, codebook, actors, cache, own_text(chunk) if own_text else None) for chunk in chunks
    )
    bar = {"desc": "measuring", "unit": "chunk", "total": n_chunks}
    if dask is not None:
        results = _run_dask(calls, dask, bar)
    else:
        results = list(progress(ordered_map(_measure_cached, calls, workers=workers), **bar))
    return pd.concat(results, ignore_index=True)


def _own_text_of_chunks(sentence_reuse: pd.DataFrame | None):
    """A function giving a chunk's rows of ``sentence_reuse`` (``None`` without a table)."""
    if sentence_reuse is None:
        return None
    positions = sentence_reuse.groupby("doc_id", sort=False).indices  # found once, not per chunk

    def rows_of(chunk: pd.DataFrame) -> pd.DataFrame:
        found = [positions[doc_id] for doc_id in chunk["doc_id"].unique() if doc_id in positions]
        rows = np.concatenate(found) if found else np.arange(0)
        return sentence_reuse.iloc[rows].reset_index(drop=True)

    return rows_of


def _run_dask(calls, address: str, bar) -> list[pd.DataFrame]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask needs dask.distributed: pip install 'dask[distributed]'") from None
    if address.startswith("local:"):
        workers = address.removeprefix("local:")
        if not workers.isdigit() or int(workers) < 1:
            raise InputError(f"--dask: {address!r}: give local:N with N 1 or more processes")
        cluster = LocalCluster(
            n_workers=int(workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        try:
            cluster, client = None, Client(address, timeout=30)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"--dask: cannot reach a scheduler at {address!r} ({exc})") from None
    try:
        in_flight = 2 * max(1, len(client.scheduler_info()["workers"]))
        pending, results = [], []
        for call in progress(calls, **bar):
            pending.append(client.submit(_measure_cached, *call, pure=False))
            if len(pending) >= in_flight:
                results.append(pending.pop(0).result())
        results += [future.result() for future in pending]
        return results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- outlet summaries from per-article rows ------------------------------------------------------


def outlet_summary(scores: pd.DataFrame, n_boot: int = N_BOOTSTRAP) -> pd.DataFrame:
    """Per outlet: every frame share, the framing index and mean tone, pooled over its
    sentences, with 95% intervals from resampling its articles (none for a one-article outlet:
    at this scale the article is the unit). With own-text columns (``framing run
    --reuse-sentences``) also the same on own text (``own_``-prefixed, pooled over own
    sentences) and ``shared_share``, the mean over articles of the share of their words in
    shared sentences. Columns: outlet, measure, estimate, low, high, n_articles, n_sentences
    (the sentences the measure is pooled over)."""
    from analysis.core.uncertainty import ratio_interval, seeded_rng

    frames = [
        c.removeprefix("frame_").removesuffix("_sentences")
        for c in scores.columns
        if c.startswith("frame_") and c.endswith("_sentences")
    ]
    ratios = {}  # measure -> (numerator per article, denominator per article)
    for prefix, n_sentences in (("", "n_sentences"), ("own_", "own_n_sentences")):
        if n_sentences not in scores:
            continue
        count = scores[n_sentences]
        for frame in frames:
            ratios[f"{prefix}frame_{frame}_share"] = (
                scores[f"{prefix}frame_{frame}_sentences"],
                count,
            )
        if {"convergence", "downturn"} <= set(frames):
            ratios[f"{prefix}frame_index"] = (
                scores[f"{prefix}frame_convergence_sentences"]
                - scores[f"{prefix}frame_downturn_sentences"],
                count,
            )
        if f"{prefix}sentiment_mean" in scores:
            ratios[f"{prefix}sentiment_mean"] = (
                scores[f"{prefix}sentiment_mean"].fillna(0) * count,
                count,
            )
    if "shared_share" in scores:
        ratios["shared_share"] = (
            scores["shared_share"].fillna(0),
            scores["shared_share"].notna().astype(int),
        )
    rows = []
    for outlet, group in scores.groupby("outlet", sort=True):
        for measure, (numerator, denominator) in ratios.items():
            numerators = numerator.loc[group.index].to_numpy(float)
            denominators = denominator.loc[group.index].to_numpy(float)
            estimate, low, high = ratio_interval(
                numerators, denominators, seeded_rng(outlet, measure), n_boot
            )
            rows.append(
                {
                    "outlet": outlet,
                    "measure": measure,
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "n_articles": len(group),
                    "n_sentences": int(
                        group[
                            "own_n_sentences" if measure.startswith("own_") else "n_sentences"
                        ].sum()
                    ),
                }
            )
    return pd.DataFrame(rows)


def write_run(scores: pd.DataFrame, out_dir: Path | str, record: dict) -> list[Path]:
    """Write a run's outputs at once: scores.parquet, scores.csv, outlets.csv and run.json."""
    import io

    out_dir = Path(out_dir)
    buffer = io.BytesIO()
    scores.to_parquet(buffer, index=False)
    outlets = outlet_summary(scores)
    files = {
        out_dir / "scores.parquet": buffer.getvalue(),
        out_dir / "scores.csv": table_to_csv_bytes(scores),
        out_dir / "outlets.csv": table_to_csv_bytes(outlets),
        out_dir / "run.json": (
            json.dumps(record, indent=2, sort_keys=True, default=str) + "\n"
        ).encode(),
    }
    return write_paths_atomically(files)


def column_map_from_options(preset: str | None, **overrides: str | None) -> ColumnMap:
    """A :class:`ColumnMap` from a preset (``mediacloud``) and per-field overrides."""
    base = MEDIA_CLOUD if preset == "mediacloud" else ColumnMap()
    fields = asdict(base)
    fields.update({k: v for k, v in overrides.items() if v})
    return ColumnMap(**fields)


__all__ = [
    "CheckedCorpus",
    "ColumnMap",
    "MEDIA_CLOUD",
    "check_corpus",
    "corpus_problems",
    "column_map_from_options",
    "corpus_warnings",
    "import_corpus",
    "iter_raw_chunks",
    "measure_chunk",
    "measure_corpus",
    "outlet_key",
    "outlet_names",
    "outlet_summary",
    "write_run",
]
