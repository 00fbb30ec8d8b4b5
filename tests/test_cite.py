"""``framing cite``: derived from CITATION.cff, parseable BibTeX, APA, CFF."""

from __future__ import annotations

import pytest
from pybtex.database import parse_string

from analysis.cite import load_citation, render_citation


def test_bibtex_parses_with_a_bibtex_parser_and_carries_the_cff_fields(run_cli):
    result = run_cli("cite", "--format", "bibtex")
    assert result.code == 0
    database = parse_string(result.stdout, "bibtex")
    citation = load_citation()
    software = next(e for e in database.entries.values() if e.type == "software")
    assert software.fields["title"] == citation["title"]
    assert software.fields["version"] == citation["version"]
    study = next(e for e in database.entries.values() if e.type == "techreport")
    assert study.fields["title"] == citation["preferred-citation"]["title"]


def test_apa_names_version_and_year():
    apa = render_citation("apa")
    citation = load_citation()
    assert f"(Version {citation['version']})" in apa
    assert f"({str(citation['date-released'])[:4]})" in apa


def test_cff_format_is_the_file_itself():
    from analysis.cite import CITATION_FILE

    assert render_citation("cff") == CITATION_FILE.read_text(encoding="utf-8")


def test_unknown_format_is_one_line_and_exit_2(run_cli):
    result = run_cli("cite", "--format", "mla")
    assert result.code == 2 and result.stderr.count("\n") == 1 and "--format" in result.stderr


def test_bibtex_special_characters_are_escaped(tmp_path):
    cff = tmp_path / "CITATION.cff"
    cff.write_text(
        'cff-version: 1.2.0\nmessage: m\ntitle: "R&D 100% _done_"\nversion: 1.0.0\n'
        "date-released: '2026-01-01'\nauthors:\n  - family-names: Rao\n    given-names: Asha\n",
        encoding="utf-8",
    )
    from analysis.cite import to_bibtex

    text = to_bibtex(load_citation(cff))
    entry = parse_string(text, "bibtex").entries["jaishankar_framing_2026"]
    assert entry.persons["author"][0].last_names == ["Rao"]
    assert r"R\&D 100\% \_done\_" in text


@pytest.mark.parametrize("output_format", ["bibtex", "apa"])
def test_every_format_ends_with_a_newline(output_format):
    assert render_citation(output_format).endswith("\n")
