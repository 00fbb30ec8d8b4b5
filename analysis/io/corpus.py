"""Reading a corpus: the only module that opens corpus files.

A corpus is either

* a folder (such as the project's ``corpus/``) holding ``metadata.csv`` with the columns
  ``id, outlet, date, title, url, wire, file`` and the raw article files it names (paths
  relative to the folder; a file outside it, by ``../``, an absolute path or a symbolic link,
  is refused: nothing outside the folder is ever read), or
* one CSV (plain, or compressed: ``.csv.xz``, ``.csv.gz``, ``.csv.bz2``), JSONL or Parquet
  file with the columns ``id, outlet, date, title, text`` (``url`` and ``wire`` optional).

Both give the same validated table, one row per article, with the columns of
:data:`ARTICLE_COLUMNS`. Dates are ISO ``YYYY-MM-DD`` or blank (unknown). The rules are those of
:mod:`analysis.io.checks`; every problem found is a :class:`~analysis.io.checks.Problem` naming
the file, the row (data rows counted from 1, after the header) and the field;
:func:`load_corpus` raises :class:`~analysis.core.errors.InputError` on the first error, and
:func:`validate_corpus` lists them all. Large files read chunk by chunk:
:mod:`analysis.io.chunks`.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import hashlib
import io
import json
import lzma
from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError
from analysis.io.checks import (
    EMPTY_FILE,
    MAX_FIELD_CHARS,
    Problem,
    Problems,
    check_columns,
    row_problems,
)

#: The corpus table's columns, in order.
ARTICLE_COLUMNS = ["doc_id", "outlet", "date", "title", "url", "wire", "text"]
#: Columns a CSV or JSONL corpus must have; ``url`` and ``wire`` may be left out.
REQUIRED_FILE_COLUMNS = ["id", "outlet", "date", "title", "text"]
OPTIONAL_FILE_COLUMNS = ["url", "wire"]
#: Columns the folder's metadata.csv must have.
REQUIRED_METADATA_COLUMNS = ["id", "outlet", "date", "title", "file"]
METADATA_FILE = "metadata.csv"


def _decode_utf8(raw: bytes, where: str) -> str:
    """Decode UTF-8 (a byte-order mark is allowed and dropped) or raise naming the line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{where}: not valid UTF-8 (byte {exc.start}, line {line}): save the file as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


#: How to use a file whose columns have other names (said when a required column is missing).
RENAME_HINT = (
    "; for other column names, import it first: framing import FILE --out corpus.parquet "
    "--id-col ... --text-col ..."
)
#: The CSV files every reader takes, plain or compressed.
CSV_FORMATS = (".csv", ".csv.xz", ".csv.gz", ".csv.bz2")
#: The text files every reader takes: CSV and JSON Lines.
TEXT_FORMATS = (*CSV_FORMATS, ".jsonl", ".ndjson")
#: How a compressed file is opened, by its last suffix.
OPENERS = {".xz": lzma.open, ".gz": gzip.open, ".bz2": bz2.open}


def format_suffix(path: Path) -> str:
    """The format a file's name says: ``.csv.xz``, ``.jsonl``, ``.parquet`` ...

    >>> format_suffix(Path("coverage.CSV.xz")), format_suffix(Path("notes.txt"))
    ('.csv.xz', '.txt')
    """
    name = path.name.lower()
    for suffix in (*TEXT_FORMATS, ".parquet"):
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, decompressed when its name says it is a compressed CSV."""
    opener = OPENERS.get(path.suffix.lower()) if format_suffix(path) in CSV_FORMATS else None
    try:
        if opener is None:
            return path.read_bytes()
        with opener(path, "rb") as stream:
            return stream.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except (lzma.LZMAError, EOFError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None


def _records_from_csv(text: str, where: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    records: list[dict[str, str]] = []
    limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        records.extend(reader)
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise InputError(
                f"{where}: row {len(records) + 1}: a field has more than {MAX_FIELD_CHARS:,} "
                "characters, the most one field may have (a quotation mark left open?)"
            ) from None
        raise InputError(
            f"{where}: row {len(records) + 1}: not a readable CSV file ({exc})"
        ) from None
    finally:
        csv.field_size_limit(limit)
    for row_number, record in enumerate(records, start=1):
        if None in record:  # more fields than the header names: nothing may be dropped
            fields = len(reader.fieldnames or []) + len(record[None])
            raise InputError(
                f"{where}: row {row_number}: {fields} fields, but the header names "
                f"{len(reader.fieldnames or [])} (an unquoted comma in a value?)"
            )
    return list(reader.fieldnames or []), records


def _records_from_jsonl(text: str, where: str) -> tuple[list[str], list[dict[str, str]]]:
    records: list[dict[str, str]] = []
    columns: list[str] = []
    # Lines end at "\n" only: str.splitlines also splits at U+2028, U+0085 and the like, which
    # JSON strings may hold unescaped (json.dumps(..., ensure_ascii=False) writes them so).
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: line {line_number}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise InputError(f"{where}: line {line_number}: expected a JSON object per line")
        for key in record:
            if key not in columns:
                columns.append(key)
        records.append({key: "" if value is None else str(value) for key, value in record.items()})
    return columns, records


def _table_from_records(
    records: list[dict[str, str]],
    where: str,
    problems: Problems,
    texts: list[str],
    text_field: str = "text",
) -> pd.DataFrame:
    """Validate row by row (:func:`~analysis.io.checks.row_problems`) and build the article
    table; ``texts`` aligns with ``records`` (``text_field`` names where the texts came from:
    ``file`` in a corpus folder)."""
    rows = []
    first_row_of_id: dict[str, int] = {}
    for row_number, (record, text) in enumerate(zip(records, texts, strict=True), start=1):
        values = {**record, "text": text}
        names = {"text": text_field}
        date, found = row_problems(where, row_number, values, first_row_of_id, names)
        problems.extend(found)
        rows.append(
            {
                "doc_id": (record.get("id") or "").strip(),
                "outlet": (record.get("outlet") or "").strip(),
                "date": date,
                "title": (record.get("title") or "").strip(),
                "url": (record.get("url") or "").strip(),
                "wire": (record.get("wire") or "").strip(),
                "text": text,
            }
        )
    if not rows:
        problems.error(where, "no articles")
    return pd.DataFrame(rows, columns=ARTICLE_COLUMNS)


def _read_folder(folder: Path, problems: Problems) -> pd.DataFrame:
    metadata_path = folder / METADATA_FILE
    if not metadata_path.is_file():
        has_texts = any(folder.glob("*.txt")) or any(folder.glob("*/*.txt"))
        hint = "list the articles in it" if has_texts else "the folder has no articles either"
        raise InputError(f"{folder}: no {METADATA_FILE} ({hint}; see corpus/README.md)")
    where = str(metadata_path)
    inside = folder.resolve()
    if not metadata_path.resolve().is_relative_to(inside):
        raise InputError(
            f"{where}: a link to {metadata_path.resolve()}, outside the corpus folder: put the "
            "file itself in the folder"
        )
    text = _decode_utf8(_read_bytes(metadata_path), where)
    if not text.strip():
        raise InputError(f"{where}: {EMPTY_FILE}")
    columns, records = _records_from_csv(text, where)
    check_columns(columns, REQUIRED_METADATA_COLUMNS, where)
    texts = []
    for row_number, record in enumerate(records, start=1):
        name = (record.get("file") or "").strip()
        article_path = folder / name
        if name and not article_path.resolve().is_relative_to(inside):
            # an absolute path, "../", or a link pointing out: only the folder's files are read
            # (checked first, so that nothing is told about files outside, not even whether
            # they exist)
            raise InputError(
                f"{where}: row {row_number}, field 'file': {name!r} is outside the corpus "
                "folder (name a file inside it, by a path relative to the folder)"
            )
        if not name or not article_path.is_file():
            raise InputError(f"{where}: row {row_number}, field 'file': no such file {name!r}")
        texts.append(_decode_utf8(_read_bytes(article_path), str(article_path)))
    return _table_from_records(records, where, problems, texts, text_field="file")


def _records_from_parquet(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        table = pd.read_parquet(path).fillna("").astype(str)
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    return list(table.columns), table.to_dict("records")


def _read_file(path: Path, problems: Problems) -> pd.DataFrame:
    where = str(path)
    if path.suffix.lower() == ".parquet":
        columns, records = _records_from_parquet(path)
        check_columns(columns, REQUIRED_FILE_COLUMNS, where, RENAME_HINT)
        texts = [r.get("text") or "" for r in records]
        return _table_from_records(records, where, problems, texts)
    suffix = format_suffix(path)
    if suffix not in TEXT_FORMATS:
        raise InputError(
            f"{where}: unknown corpus format {suffix!r} (use a folder, .csv[.xz], .jsonl or "
            ".parquet)"
        )
    text = _decode_utf8(_read_bytes(path), where)
    if not text.strip():
        raise InputError(f"{where}: {EMPTY_FILE}")
    if suffix in CSV_FORMATS:
        columns, records = _records_from_csv(text, where)
    else:
        columns, records = _records_from_jsonl(text, where)
    check_columns(columns, REQUIRED_FILE_COLUMNS, where, RENAME_HINT)
    return _table_from_records(records, where, problems, [r.get("text") or "" for r in records])


def _read_any(path: Path | str) -> tuple[pd.DataFrame, Problems]:
    path = Path(path)
    problems = Problems()
    if path.is_dir():
        table = _read_folder(path, problems)
    elif path.is_file():
        table = _read_file(path, problems)
    else:
        raise InputError(f"{path}: no such file or folder")
    return table, problems


def validate_corpus(path: Path | str) -> list[Problem]:
    """Return every problem with the corpus at ``path`` (errors and warnings).

    A problem that stops the file being read at all (not UTF-8, a missing column) is the only
    one reported, since nothing after it can be checked.
    """
    try:
        _, problems = _read_any(path)
    except InputError as exc:
        return [Problem("error", str(path), str(exc).removeprefix(f"{path}: "))]
    return list(problems)


def load_corpus(path: Path | str) -> pd.DataFrame:
    """Load and validate a corpus; raise :class:`InputError` on the first error.

    Parameters
    ----------
    path
        A corpus folder with ``metadata.csv``, or a ``.csv`` (plain or compressed), ``.jsonl`` or
        ``.parquet`` file.

    Returns
    -------
    pandas.DataFrame
        One row per article, columns :data:`ARTICLE_COLUMNS`, in file order.

    Examples
    --------
    >>> from analysis.core.config import CORPUS_DIR
    >>> load_corpus(CORPUS_DIR).columns.tolist()
    ['doc_id', 'outlet', 'date', 'title', 'url', 'wire', 'text']
    """
    table, problems = _read_any(path)
    errors = problems.errors
    if errors:
        more = (
            f" (and {len(errors) - 1} more: run `framing validate {path}`)"
            if len(errors) > 1
            else ""
        )
        raise InputError(f"{errors[0]}{more}")
    return table


def corpus_hash(articles: pd.DataFrame) -> str:
    """SHA-256 of the article table's content, independent of file format and row order."""
    digest = hashlib.sha256()
    for row in articles.sort_values("doc_id")[ARTICLE_COLUMNS].itertuples(index=False):
        digest.update(json.dumps(list(row), ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def write_corpus_csv(articles: pd.DataFrame, path: Path | str) -> None:
    """Write the article table in the CSV corpus format (``id`` instead of ``doc_id``)."""
    table = articles[ARTICLE_COLUMNS].rename(columns={"doc_id": "id"})
    table.to_csv(path, index=False, lineterminator="\n")
