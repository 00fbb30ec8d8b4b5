"""``framing report``: every output present, text escaped, byte-stable, committed copy current."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from analysis.core.config import REPORT_DIR
from analysis.io.corpus import write_corpus_csv
from analysis.outputs.figures import EXTENDED_REGISTRY, REGISTRY
from analysis.outputs.report import build_report
from analysis.study.extended import EXTENDED_DIR
from analysis.study.provenance import without_volatile


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


# --- issue 23: a report about the user's corpus; issue 20: small corpora, Markdown escaped ----


def _small_corpus(study, n_articles: int, path, sentences: int = 2):
    """``n_articles`` short articles made from the study's (their first sentences), each with
    its own id: a corpus with too little text for a topic model."""
    rows = []
    for number in range(n_articles):
        article = study.articles.iloc[number % len(study.articles)].copy()
        article["doc_id"] = f"small_{number:02d}"
        article["text"] = " ".join(article["text"].split(". ")[:sentences]).strip() + "."
        rows.append(article)
    write_corpus_csv(pd.DataFrame(rows), path)
    return path


def test_markdown_report_escapes_html_like_the_html_report(tmp_path, study, run_cli):
    """Issue 20, case 10: outlet names, titles and evidence reach report.md as text."""
    articles = study.articles.head(2).copy()
    articles.loc[articles.index[0], "outlet"] = "<script>alert('outlet')</script>"
    articles.loc[articles.index[1], "title"] = "<img src=x onerror=alert(1)>"
    articles.loc[articles.index[0], "text"] = (
        "<script>alert('text')</script> The minister said the partnership deepened. "
        + articles.iloc[0]["text"]
    )
    corpus_csv = tmp_path / "hostile.csv"
    write_corpus_csv(articles, corpus_csv)
    result = run_cli("report", "--corpus", corpus_csv, "--out", tmp_path / "out")
    assert result.code == 0, result.stderr
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "<script" not in markdown and "<img" not in markdown
    assert "&lt;script&gt;alert('outlet')&lt;/script&gt;" in markdown  # shown as text
    assert "&lt;script&gt;alert('text')&lt;/script&gt;" in markdown  # evidence sentence


@pytest.mark.parametrize("n_articles", [2, 3, 10])
def test_the_report_of_a_small_corpus_builds_with_a_note_for_each_missing_figure(
    tmp_path, study, run_cli, n_articles
):
    """Issue 20, case 9: a 3-article corpus raised a ValueError in the topic model."""
    corpus = _small_corpus(study, n_articles, tmp_path / "small.csv", sentences=1)
    result = run_cli("report", "--corpus", corpus, "--out", tmp_path / "out")
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    section = html.split('<section id="topic_terms">')[1].split("</section>")[0]
    if n_articles <= 3:  # fewer than 10 paragraphs: no k has 5 paragraphs per topic
        assert '<p class="note">No figure: needs more data than this corpus has' in section
        assert "<img" not in section
        assert "*No figure: needs more data than this corpus has" in markdown
        assert not (tmp_path / "out" / "figures" / "topic_terms.png").exists()
    # every output is in the report: a figure, a table or a one-line note
    for name, spec in REGISTRY.items():
        section = html.split(f'<section id="{name}">')[1].split("</section>")[0]
        shown = "<img" in section if spec.plot is not None else "<table" in section
        assert shown or '<p class="note">No ' in section, name


def test_the_report_of_another_corpus_is_about_that_corpus(tmp_path, study, run_cli):
    """Issue 23, item 1: heading and question from the description beside the corpus, none of
    the study's own wording, provenance without absolute paths, tables inside the page."""
    corpus = _small_corpus(study, 5, tmp_path / "press.csv", sentences=4)
    (tmp_path / "press.study.yaml").write_text(
        "title: How the press covered the ministerial\n"
        "question: Which outlets wrote of partnership?\n"
        "frames: [convergence]\n",
        encoding="utf-8",
    )
    result = run_cli("report", "--corpus", corpus, "--out", tmp_path / "out")
    assert result.code == 0, result.stderr
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "<h1>How the press covered the ministerial</h1>" in html
    assert "<title>How the press covered the ministerial</title>" in html
    assert markdown.startswith("# How the press covered the ministerial\n")
    assert "<p>Which outlets wrote of partnership?</p>" in html
    assert "Frames of interest: " in html and "(convergence)" in html
    assert "The corpus: 5 articles from 5 outlets" in html
    from analysis.outputs.figures.registry import STUDY_ONLY_WORDING
    from analysis.outputs.study_description import REPORT_TITLE

    for text in (html, markdown):
        assert REPORT_TITLE not in text and "Jaishankar's February 2026" not in text
        assert str(tmp_path) not in text and "/tmp/" not in text
        for phrases in STUDY_ONLY_WORDING.values():
            for study_text, _ in phrases:
                assert study_text not in text.replace("&quot;", '"').replace("&#x27;", "'")
    # the validation figures need hand coding this corpus does not have: a note each
    for name in ("frame_validation", "reuse_validation"):
        section = html.split(f'<section id="{name}">')[1].split("</section>")[0]
        assert '<p class="note">No figure: ' in section and "<img" not in section
    # every table scrolls inside the page, and long cells wrap
    assert html.count("<table") == html.count('<div class="table-scroll"><table')
    assert "overflow-wrap: break-word" in html and "overflow-x: auto" in html


def test_title_and_question_options_replace_the_description(tmp_path, study, run_cli):
    corpus = _small_corpus(study, 3, tmp_path / "news.csv")
    result = run_cli(
        "report", "--corpus", corpus, "--out", tmp_path / "out",
        "--title", "Our <b>corpus</b>", "--question", "What did they say?",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<h1>Our &lt;b&gt;corpus&lt;/b&gt;</h1>" in html
    assert "<p>What did they say?</p>" in html
    # without a description or options, the title names the corpus
    build = run_cli("report", "--corpus", corpus, "--out", tmp_path / "plain")
    assert build.code == 0, build.stderr
    plain = (tmp_path / "plain" / "report.html").read_text(encoding="utf-8")
    assert "<h1>Framing, tone and shared text in news</h1>" in plain


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title: T\nsubtitle: S\n", "field 'subtitle': unknown"),
        ("title: T\nframes: [détente]\n", "field 'frames': no frame 'détente' in the codebook"),
        ("question: Q\n", "field 'title': give the report's title"),
        ("title: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_description_is_one_line_and_nothing_is_written(
    tmp_path, study, run_cli, content, message
):
    corpus = _small_corpus(study, 2, tmp_path / "news.csv")
    (tmp_path / "news.study.yaml").write_text(content, encoding="utf-8")
    result = run_cli("report", "--corpus", corpus, "--out", tmp_path / "out")
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "news.study.yaml" in result.stderr and message in result.stderr
    assert not (tmp_path / "out").exists()


def test_report_reuses_the_figures_that_are_current(tmp_path, study, run_cli):
    """Issue 23, item 2: `framing figures` then `framing report --figures-dir` builds each
    figure once; the report is the same bytes as one that rebuilds them."""
    corpus = _small_corpus(study, 5, tmp_path / "news.csv", sentences=4)
    figures, out = tmp_path / "figs", tmp_path / "out"
    assert run_cli("figures", "--corpus", corpus, "--out", figures).code == 0
    stamps = {p.name: p.stat().st_mtime_ns for p in figures.iterdir() if p.suffix != ".json"}
    assert len(stamps) > len(REGISTRY)  # the figures and tables (their sidecars are .json)
    result = run_cli("report", "--corpus", corpus, "--out", out, "--figures-dir", figures)
    assert result.code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if " figure " in line]
    assert len(lines) == len(REGISTRY) and all(": up to date (" in line for line in lines)
    assert {p.name: p.stat().st_mtime_ns for p in figures.iterdir() if p.name in stamps} == stamps
    reused = {name: (out / name).read_bytes() for name in ("report.html", "report.md")}
    forced = run_cli(
        "report", "--corpus", corpus, "--out", out, "--figures-dir", figures, "--force"
    )
    assert forced.code == 0, forced.stderr
    assert all(": built (" in line or "no figure" in line
               for line in forced.stderr.splitlines() if " figure " in line)  # fmt: skip
    for name, data in reused.items():
        assert without_volatile(name, (out / name).read_bytes()) == without_volatile(name, data)
    # and a report's complete build leaves `framing figures` nothing to do
    again = run_cli("figures", "--corpus", corpus, "--out", figures)
    assert again.code == 0 and "up to date" in again.stdout
