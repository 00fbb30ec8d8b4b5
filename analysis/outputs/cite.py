"""How to cite the software and the study, rendered from CITATION.cff.

``framing cite --format bibtex|apa|cff`` prints it. CITATION.cff is the single source: the
BibTeX and APA forms are derived from it here, so they cannot drift from it, and README's "How
to cite" shows the APA form (tested).

The software entry is biblatex's ``@software`` (BibTeX's own styles do not know it: a comment
above the entries says so, and what to use instead). Every field is escaped for LaTeX:
``% & $ # _ { } ~ ^`` and the backslash are written as LaTeX reads them, and a ``code`` span
in backticks becomes ``\texttt{code}``. A field that CITATION.cff does not have (there is no public
repository URL or DOI yet) is left out, never invented.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from analysis.core.config import PROJECT_ROOT, read_yaml
from analysis.core.errors import InputError

CITATION_FILE = PROJECT_ROOT / "CITATION.cff"
FORMATS = ("bibtex", "apa", "cff")


def load_citation(path: Path = CITATION_FILE) -> dict[str, Any]:
    """Read CITATION.cff; raise :class:`InputError` if it is missing or not YAML."""
    try:
        return read_yaml(path)
    except OSError:
        raise InputError(
            f"{path}: not found (the citation metadata ships with the repository)"
        ) from None


def _author_names(authors: list[dict[str, str]]) -> list[str]:
    names = []
    for author in authors:
        if "family-names" in author:
            names.append(f"{author['family-names']}, {author.get('given-names', '')}".strip(", "))
        else:
            names.append(author["name"])
    return names


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL_PATTERN = re.compile("|".join(map(re.escape, _LATEX_SPECIAL)))
_CODE_SPAN = re.compile(r"`([^`]*)`")

#: The comment above the BibTeX entries.
#: (No at sign in it: BibTeX reads one anywhere outside an entry as the start of an entry.)
BIBLATEX_NOTE = (
    "% biblatex entries: the software entry type needs biblatex (with biber); "
    "with classic BibTeX, change it to misc."
)


def _bibtex_escape(text: object) -> str:
    r"""``text`` as a LaTeX-safe BibTeX field value.

    >>> print(_bibtex_escape("R&D 100% `framing cite` {x} a_b #1"))
    R\&D 100\% \texttt{framing cite} \{x\} a\_b \#1
    >>> print(_bibtex_escape("~ ^ \\"))
    \textasciitilde{} \textasciicircum{} \textbackslash{}
    """
    parts = []
    last = 0
    for match in _CODE_SPAN.finditer(str(text)):
        parts.append(_latex(str(text)[last : match.start()]))
        parts.append(r"\texttt{" + _latex(match.group(1)) + "}")
        last = match.end()
    parts.append(_latex(str(text)[last:].replace("`", "'")))
    return "".join(parts)


def _latex(text: str) -> str:
    return _LATEX_SPECIAL_PATTERN.sub(lambda match: _LATEX_SPECIAL[match.group()], text)


def _bibtex_entry(kind: str, key: str, fields: dict[str, Any]) -> str:
    """One entry; every field escaped but ``author`` (escaped by :func:`_bibtex_authors`)."""
    body = ",\n".join(
        f"  {name} = {{{value if name == 'author' else _bibtex_escape(value)}}}"
        for name, value in fields.items()
        if value
    )
    return f"@{kind}{{{key},\n{body}\n}}"


def _bibtex_authors(authors: list[dict[str, str]]) -> str:
    # A corporate author is braced so BibTeX does not split it into first and last names.
    return " and ".join(
        f"{{{_bibtex_escape(name)}}}" if "family-names" not in author else _bibtex_escape(name)
        for author, name in zip(authors, _author_names(authors), strict=True)
    )


def to_bibtex(citation: dict[str, Any]) -> str:
    """BibTeX entries: ``@software`` for the package and ``@techreport`` for the study.

    Examples
    --------
    >>> print(to_bibtex(load_citation()).splitlines()[2])
    @software{jaishankar_framing_2026,
    """
    year = str(citation.get("date-released", ""))[:4]
    software = _bibtex_entry(
        "software",
        f"jaishankar_framing_{year}",
        {
            "author": _bibtex_authors(citation["authors"]),
            "title": citation["title"],
            "version": citation.get("version"),
            "year": year,
            "license": citation.get("license"),
            "url": citation.get("repository-code") or citation.get("url"),
            "doi": citation.get("doi"),
        },
    )
    entries = [software]
    study = citation.get("preferred-citation")
    if study:
        entries.append(
            _bibtex_entry(
                "techreport",
                f"jaishankar_framing_study_{study.get('year', year)}",
                {
                    "author": _bibtex_authors(study["authors"]),
                    "title": study["title"],
                    "year": study.get("year"),
                    "institution": study.get("institution", {}).get("name")
                    or _author_names(study["authors"])[0],
                    "note": study.get("notes"),
                },
            )
        )
    return BIBLATEX_NOTE + "\n\n" + "\n\n".join(entries) + "\n"


def _apa_authors(authors: list[dict[str, str]]) -> str:
    """APA 7 author list: "Family, G. G., & Other, A." for people, the name for a group."""
    names = []
    for author in authors:
        if "family-names" in author:
            initials = " ".join(
                f"{part[0]}." for part in str(author.get("given-names", "")).split() if part
            )
            names.append(f"{author['family-names']}, {initials}".strip(", "))
        else:
            names.append(str(author["name"]))
    if len(names) <= 2:
        return " & ".join(names) if len(names) == 2 and "," not in names[0] else ", & ".join(names)
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _apa_end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _apa_source(record: dict[str, Any], authors: str) -> str:
    """The source part of an APA reference: the publisher when it is not the author, then the
    DOI or URL (none when CITATION.cff has none)."""
    publisher = (record.get("institution") or record.get("publisher") or {}).get("name")
    parts = [f"{publisher}." if publisher and publisher != authors else ""]
    if record.get("doi"):
        parts.append(f"https://doi.org/{record['doi']}")
    elif record.get("repository-code") or record.get("url"):
        parts.append(str(record.get("repository-code") or record.get("url")))
    return " ".join(part for part in parts if part)


def to_apa(citation: dict[str, Any]) -> str:
    """APA 7 references for the software and the study: author, year, title, version and
    kind, then publisher (when it is not the author) and DOI or URL where CITATION.cff has
    them. Titles are plain text (italics are the typesetter's).

    Examples
    --------
    >>> print(to_apa(load_citation()).splitlines()[0])  # doctest: +ELLIPSIS
    Media Framing Study Team. (2026). jaishankar-framing: ... (Version 0.1.0) [Computer software].
    """
    year = str(citation.get("date-released", ""))[:4]
    authors = _apa_authors(citation["authors"])
    software = (
        f"{_apa_end(authors)} ({year}). {citation['title']} (Version {citation['version']}) "
        f"[Computer software]. {_apa_source(citation, authors)}"
    )
    lines = [software.strip()]
    study = citation.get("preferred-citation")
    if study:
        study_authors = _apa_authors(study["authors"])
        reference = (
            f"{_apa_end(study_authors)} ({study.get('year', year)}). "
            f"{_apa_end(study['title'])[:-1] if study['title'].endswith('.') else study['title']}"
            f" [Report]. {_apa_source(study, study_authors)}"
        )
        lines.append(reference.strip())
    return "\n".join(lines) + "\n"


def render_citation(output_format: str, path: Path = CITATION_FILE) -> str:
    """The citation in ``output_format`` (one of :data:`FORMATS`)."""
    if output_format not in FORMATS:
        raise InputError(f"--format: unknown format {output_format!r} (use {', '.join(FORMATS)})")
    if output_format == "cff":
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            raise InputError(f"{path}: not found") from None
    citation = load_citation(path)
    return to_bibtex(citation) if output_format == "bibtex" else to_apa(citation)
