"""``framing cite``: derived from CITATION.cff, parseable BibTeX, APA, CFF."""

from __future__ import annotations

import re

import pytest
from pybtex.database import parse_string

from analysis.outputs.cite import load_citation, render_citation


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
    from analysis.outputs.cite import CITATION_FILE

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
    from analysis.outputs.cite import to_bibtex

    text = to_bibtex(load_citation(cff))
    entry = parse_string(text, "bibtex").entries["jaishankar_framing_2026"]
    assert entry.persons["author"][0].last_names == ["Rao"]
    assert r"R\&D 100\% \_done\_" in text


@pytest.mark.parametrize("output_format", ["bibtex", "apa"])
def test_every_format_ends_with_a_newline(output_format):
    assert render_citation(output_format).endswith("\n")


# --- issue 23, item 7 ---------------------------------------------------------------------------


def test_bibtex_says_it_is_biblatex_and_has_nothing_that_breaks_latex(tmp_path):
    from analysis.outputs.cite import BIBLATEX_NOTE, to_bibtex

    bibtex = render_citation("bibtex")
    assert bibtex.startswith(BIBLATEX_NOTE + "\n") and "biblatex" in BIBLATEX_NOTE
    assert "`" not in bibtex
    cff = tmp_path / "CITATION.cff"
    cff.write_text(
        'cff-version: 1.2.0\nmessage: m\ntitle: "Tone #1: 50% of A&B\'s `framing cite`"\n'
        "version: 1.0.0\ndate-released: '2026-01-01'\nauthors:\n  - name: \"R&D_Team\"\n",
        encoding="utf-8",
    )
    text = to_bibtex(load_citation(cff))
    assert r"Tone \#1: 50\% of A\&B's \texttt{framing cite}" in text
    assert r"author = {{R\&D\_Team}}" in text and "`" not in text
    # nothing unescaped that LaTeX reads as markup: every special character has its backslash
    values = [line.split(" = ", 1)[1] for line in text.splitlines() if " = {" in line]
    assert values and not any(re.search(r"(?<!\\)[%&#_$]", value) for value in values)
    assert parse_string(text, "bibtex").entries


def test_apa_is_complete_and_has_no_invented_url():
    citation = load_citation()
    software, study = render_citation("apa").splitlines()
    assert software == (
        f"{citation['authors'][0]['name']}. ({str(citation['date-released'])[:4]}). "
        f"{citation['title']} (Version {citation['version']}) [Computer software]."
    )
    assert study.endswith(f"{citation['preferred-citation']['title']} [Report].")
    assert "http" not in software + study  # CITATION.cff has no URL or DOI yet
    assert "repository-code" not in citation and "doi" not in citation


def test_authors_are_the_project_team_and_the_version_is_the_package_version():
    import tomllib

    from analysis import __version__
    from analysis.core.config import PROJECT_ROOT

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    citation = load_citation()
    team = project["authors"][0]["name"]
    assert [author.get("name") for author in citation["authors"]] == [team]
    assert [a.get("name") for a in citation["preferred-citation"]["authors"]] == [team]
    assert citation["version"] == project["version"] == __version__
    from analysis.outputs.cite import CITATION_FILE

    # how to cite the study's authors once they are named, and why there is no repository URL
    comments = CITATION_FILE.read_text(encoding="utf-8")
    assert "When the study's authors are named" in comments
    assert "no public repository URL yet" in comments


def test_readme_how_to_cite_matches_framing_cite(run_cli):
    from analysis.core.config import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## How to cite\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"<!-- cite:.*?-->\n```text\n(.*?)```\n<!-- end cite -->", section, re.S)
    assert block is not None, "README's How to cite has no APA block"
    result = run_cli("cite", "--format", "apa")
    assert result.code == 0 and block.group(1) == result.stdout
    assert "framing cite" in section and "CITATION.cff" in section
