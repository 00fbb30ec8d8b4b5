"""``framing report``: every output present, text escaped, byte-stable, committed copy current."""

from __future__ import annotations

import re
import shutil

import pytest

from analysis.config import REPORT_DIR
from analysis.corpus import write_corpus_csv
from analysis.extended import EXTENDED_DIR
from analysis.figures import EXTENDED_REGISTRY, REGISTRY
from analysis.provenance import without_volatile
from analysis.report import build_report


def _with_extended(figures_dir):
    """A figures folder holding the committed extended outputs, as `make figures` leaves it."""
    if EXTENDED_DIR.is_dir():
        shutil.copytree(EXTENDED_DIR, figures_dir / "extended")
    return figures_dir


@pytest.fixture(scope="module")
def study_report(tmp_path_factory, study):
    root = tmp_path_factory.mktemp("report")
    figures_dir = _with_extended(root / "figures")
    build_report(study=study, out_dir=root / "report", figures_dir=figures_dir)
    return root


def test_report_has_every_registered_output(study_report):
    html = (study_report / "report" / "report.html").read_text(encoding="utf-8")
    markdown = (study_report / "report" / "report.md").read_text(encoding="utf-8")
    for name, spec in REGISTRY.items():
        assert f'<section id="{name}">' in html
        assert spec.title in markdown
        if spec.plot is not None:
            assert f"](../figures/{name}.png)" in markdown
            assert (study_report / "figures" / f"{name}.png").is_file()
    # Self-contained: images are embedded, nothing is fetched.
    extended = [s for s in EXTENDED_REGISTRY.values() if s.plot is not None]
    if EXTENDED_DIR.is_dir():
        for spec in extended:
            assert f'<section id="{spec.name}">' in html
    assert html.count("data:image/png;base64,") == sum(
        s.plot is not None for s in REGISTRY.values()
    ) + (len(extended) if EXTENDED_DIR.is_dir() else 0)
    assert not re.search(r'src="(?!data:)', html)


def test_report_states_its_provenance(study_report, study):
    html = (study_report / "report" / "report.html").read_text(encoding="utf-8")
    assert study.corpus_hash in html and 'class="git-commit"' in html


def test_report_is_byte_stable(study_report, study, tmp_path):
    figures_dir = _with_extended(tmp_path / "figures")
    build_report(study=study, out_dir=tmp_path / "report", figures_dir=figures_dir)
    for name in ("report.html", "report.md"):
        assert (tmp_path / "report" / name).read_bytes() == (
            study_report / "report" / name
        ).read_bytes()


def test_committed_report_is_current(study_report):
    """report/ must be what the code makes now: run `make figures` and commit."""
    for name in ("report.html", "report.md"):
        fresh = (study_report / "report" / name).read_bytes()
        committed = (REPORT_DIR / name).read_bytes()
        assert without_volatile(name, committed) == without_volatile(name, fresh), name


def test_hostile_text_is_escaped(tmp_path, study, run_cli):
    articles = study.articles.head(2).copy()
    articles.loc[articles.index[0], "outlet"] = "<script>alert('outlet')</script>"
    articles.loc[articles.index[0], "title"] = "<img src=x onerror=alert(1)>"
    articles.loc[articles.index[0], "text"] = (
        "<script>alert('text')</script> The minister said the talks went well. "
        + articles.iloc[0]["text"]
    )
    corpus_csv = tmp_path / "hostile.csv"
    write_corpus_csv(articles, corpus_csv)
    result = run_cli("report", "--corpus", corpus_csv, "--out", tmp_path / "out")
    assert result.code == 0, result.stderr
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html  # shown as text
