"""How to cite the software and the study, rendered from CITATION.cff.

``framing cite --format bibtex|apa|cff`` prints it. CITATION.cff is the single source: the
BibTeX and APA forms are derived from it here, so they cannot drift from it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from analysis.config import PROJECT_ROOT, read_yaml
from analysis.errors import InputError

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
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc})") from None


def _author_names(authors: list[dict[str, str]]) -> list[str]:
    names = []
    for author in authors:
        if "family-names" in author:
            names.append(f"{author['family-names']}, {author.get('given-names', '')}".strip(", "))
        else:
            names.append(author["name"])
    return names


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", str(text))


def _bibtex_entry(kind: str, key: str, fields: dict[str, Any]) -> str:
    body = ",\n".join(
        f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields.items() if value
    )
    return f"@{kind}{{{key},\n{body}\n}}"


def _bibtex_authors(authors: list[dict[str, str]]) -> str:
    # A corporate author is braced so BibTeX does not split it into first and last names.
    return " and ".join(
        f"{{{name}}}" if "family-names" not in author else name
        for author, name in zip(authors, _author_names(authors), strict=True)
    )


def to_bibtex(citation: dict[str, Any]) -> str:
    """BibTeX entries: ``@software`` for the package and ``@techreport`` for the study.

    Examples
    --------
    >>> print(to_bibtex(load_citation()).splitlines()[0])
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
    return "\n\n".join(entries) + "\n"


def to_apa(citation: dict[str, Any]) -> str:
    """APA 7 style references for the software and the study."""
    year = str(citation.get("date-released", ""))[:4]
    authors = ", ".join(_author_names(citation["authors"]))
    lines = [
        f"{authors}. ({year}). {citation['title']} (Version {citation['version']}) "
        "[Computer software]."
    ]
    study = citation.get("preferred-citation")
    if study:
        study_authors = ", ".join(_author_names(study["authors"]))
        lines.append(f"{study_authors}. ({study.get('year', year)}). {study['title']} [Report].")
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
