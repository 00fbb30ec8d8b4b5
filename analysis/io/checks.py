"""The corpus rules, in one place: what makes a field, a row or a whole corpus unusable, and what
a reader should be warned of.

Both readers apply them: :mod:`analysis.io.corpus` (a corpus folder or a whole file) and
:mod:`analysis.io.chunks` (a large file read chunk by chunk). Every problem found is a
:class:`Problem` naming the file, the row (data rows counted from 1, after the header) and the
field.

Examples
--------
>>> row = {"id": "a1", "outlet": "", "date": "2026-02-02T09:30", "title": "T", "text": "x"}
>>> date, problems = row_problems("c.csv", 1, row, first_row_of_id={})
>>> date, [str(problem) for problem in problems]
('2026-02-02', ["c.csv: row 1, field 'outlet': empty outlet: name the publishing outlet"])
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.core.errors import InputError

#: The fields of an article row, in the order their values are checked.
ROW_FIELDS = ("id", "outlet", "date", "title", "url", "wire", "text")
#: The most characters one field (an article's text, say) may have: far above any real article
#: (the longest of AllSides's 37,554 has 76,553 characters, of BBC News's 2,225 has 25,452),
#: low enough that a quotation mark left open cannot swallow a large file unnoticed. Python's
#: csv module stops at 131,072 unless told otherwise.
MAX_FIELD_CHARS = 10_000_000
#: Control characters (NUL and the like; tab, newline and carriage return are text).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Outlets with fewer articles than this get an imbalance warning.
MIN_ARTICLES_PER_OUTLET = 5
#: What every reader says of a corpus file with nothing in it.
EMPTY_FILE = "the file is empty (no header, no articles)"
#: What to do about a row error, said by the reader of folders and whole files (the chunked
#: reader of large files gives the error alone, but for a date: the format is not obvious).
_ADVICE = {
    "empty id": ": give every article a unique id",
    "empty outlet": ": name the publishing outlet",
    "date": " as a date (use YYYY-MM-DD, or leave it blank)",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a corpus.

    ``severity`` is ``"error"`` (the corpus cannot be used) or ``"warning"`` (it can, but a
    reader should know).
    """

    severity: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Problems(list):
    """A list of :class:`Problem` with shorthands to add one and to pick the errors."""

    def error(self, where: str, message: str) -> None:
        """Add an error at ``where``."""
        self.append(Problem("error", where, message))

    def warning(self, where: str, message: str) -> None:
        """Add a warning at ``where``."""
        self.append(Problem("warning", where, message))

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the corpus unusable."""
        return [problem for problem in self if problem.severity == "error"]


def field_problem(value: str) -> str | None:
    """What is wrong with a field's value that no corpus may contain, or ``None``: a control
    character (NUL and the like: they change how the text splits and reads) or more than
    :data:`MAX_FIELD_CHARS` characters.

    >>> field_problem("Talks\\tbegan.\\r\\n") is None
    True
    >>> field_problem("Talks\\x00began.").split(":")[0]
    'control character U+0000 at character 6'
    """
    if len(value) > MAX_FIELD_CHARS:
        return f"{len(value):,} characters, more than the {MAX_FIELD_CHARS:,} one field may have"
    found = CONTROL_CHARACTERS.search(value)
    if found:
        return (
            f"control character U+{ord(found.group()):04X} at character {found.start() + 1}: "
            "remove it (tab, newline and carriage return are allowed)"
        )
    return None


def parse_date(value: str) -> str:
    """Normalise a date to ``YYYY-MM-DD``; blank stays blank.

    Accepts an ISO date or an ISO date-time (the time is dropped). Raises ``ValueError`` for
    anything else.

    Examples
    --------
    >>> parse_date("2026-02-02T09:30:00Z")
    '2026-02-02'
    >>> parse_date("")
    ''
    """
    value = value.strip()
    if not value:
        return ""
    try:
        return dt.datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        raise ValueError(value) from None


def check_columns(columns: list[str], required: list[str], where: str, hint: str = "") -> None:
    """Raise :class:`InputError` naming the ``required`` columns missing from ``columns``
    (``hint``: how to fix it, after the columns found)."""
    missing = [column for column in required if column not in columns]
    if missing:
        found = ", ".join(map(str, columns)) or "none"
        raise InputError(
            f"{where}: missing required column {', '.join(repr(m) for m in missing)} "
            f"(found: {found}{hint})"
        )


def row_problems(
    where: str,
    row_number: int,
    values: Mapping[str, str],
    first_row_of_id: dict[str, int],
    names: Mapping[str, str] | None = None,
    advice: bool = True,
) -> tuple[str, list[Problem]]:
    """Check one article row; return its date as ``YYYY-MM-DD`` (blank if none or unreadable)
    and its problems.

    Parameters
    ----------
    values
        The row's raw values of :data:`ROW_FIELDS` (a missing one counts as blank).
    first_row_of_id
        The row of every id seen so far, across the whole corpus; this row's id is added.
    names
        The name a field has in the input, where it is not the field's own (a mapped column, or
        ``file`` for the texts of a corpus folder); a problem with a value names it so.
    advice
        Say what to do about an empty id or outlet and an unreadable date.
    """
    at = f"{where}: row {row_number}"
    names = names or {}
    hint = _ADVICE if advice else {}
    problems = Problems()
    for field in ROW_FIELDS:
        problem = field_problem(values.get(field) or "")
        if problem:
            problems.error(f"{at}, field {names.get(field, field)!r}", problem)

    doc_id = (values.get("id") or "").strip()
    if not doc_id:
        problems.error(f"{at}, field 'id'", "empty id" + hint.get("empty id", ""))
    elif doc_id in first_row_of_id:
        problems.error(
            f"{at}, field 'id'",
            f"duplicate id {doc_id!r} (first at row {first_row_of_id[doc_id]})",
        )
    else:
        first_row_of_id[doc_id] = row_number
    if not (values.get("outlet") or "").strip():
        problems.error(f"{at}, field 'outlet'", "empty outlet" + hint.get("empty outlet", ""))
    raw_date = values.get("date") or ""
    try:
        date = parse_date(raw_date)
    except ValueError:
        problems.error(
            f"{at}, field 'date'",
            f"cannot parse {raw_date!r}" + _ADVICE["date"],
        )
        date = ""
    else:
        if not date:
            problems.warning(f"{at}, field 'date'", "no date: the article counts as undated")
    if not (values.get("text") or "").strip():
        problems.error(f"{at}, field 'text'", "empty text")
    if not (values.get("title") or "").strip():
        problems.warning(f"{at}, field 'title'", "no title")
    return date, problems


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
        variants = articles.groupby("outlet")["outlet_raw"].unique()
        merged = variants[variants.map(len) > 1]
        if len(merged):
            examples = "; ".join(
                f"{outlet!r} from {', '.join(repr(name) for name in sorted(names))}"
                for outlet, names in merged.head(3).items()
            )
            warnings.append(
                Problem(
                    "warning",
                    where,
                    f"{len(merged)} outlets merged from name variants by domain or folded name "
                    f"(outlet_raw keeps the original name): {examples}"
                    + (" ..." if len(merged) > 3 else ""),
                )
            )
    return warnings
