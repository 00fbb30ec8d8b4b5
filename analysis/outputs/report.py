"""The study report: every registered figure and table, with captions and provenance.

``framing report [--corpus PATH] [--out DIR]`` builds the outputs through the same registry as
``framing figures`` (outputs already current in the figures folder are reused, with the same
check as ``framing figures``) and writes ``report.html`` (self-contained: images embedded) and
``report.md`` (images linked) into DIR. Every piece of text that comes from a corpus, a study
description or a table is escaped in both, so an article containing ``<script>`` shows it as
text.

The report is about its corpus: its heading, question and frames of interest come from a study
description (:class:`~analysis.outputs.study_description.StudyDescription`: a YAML file
beside the corpus, ``--study``, or ``--title`` and ``--question``), its introduction from the
corpus itself, and the figures' titles and captions drop the Jaishankar study's own wording
(:func:`analysis.outputs.figures.registry.for_corpus`) unless the corpus is the study's. Provenance
names the corpus by its path from the working folder, never by an absolute path. A figure that
needs more data than the corpus has, or hand coding the corpus does not have, is replaced by a
one-line note.

The report carries no timestamp; the git commit sits in one marked element
(``<code class="git-commit">``) so a reproduction check can set it aside.
"""

from __future__ import annotations

import base64
import html
import os
import re
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.core.config import CORPUS_DIR, PROJECT_ROOT
from analysis.outputs.figures import AREA_MODULES, BuiltFigure, build_all
from analysis.outputs.figures.registry import is_study_corpus
from analysis.outputs.study_description import StudyDescription, load_description
from analysis.study import measures
from analysis.study.load import Study
from analysis.study.provenance import (
    code_hash,
    library_versions,
    recorded_commit,
    write_build_stamp,
    write_files_atomically,
)

#: Table-only outputs longer than this are cut in the report (the CSV has every row).
MAX_TABLE_ROWS = 40

STYLE = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 62rem;
       margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.5rem; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: .9rem; color: #444; }
.table-scroll { max-width: 100%; overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; font-size: .8rem; }
th, td { border: 1px solid #ddd; padding: .2rem .4rem; text-align: left; vertical-align: top;
         max-width: 24rem; overflow-wrap: break-word; }
th { background: #f4f4f4; } .note { font-size: .85rem; color: #555; }
code { background: #f4f4f4; padding: 0 .2rem; }
"""


def _section_title(module) -> str:
    return getattr(module, "SECTION", module.__name__.rsplit(".", 1)[-1].replace("_", " ").title())


def _shown_rows(table: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if len(table) <= MAX_TABLE_ROWS:
        return table, ""
    return table.head(MAX_TABLE_ROWS), f"First {MAX_TABLE_ROWS} of {len(table)} rows."


def _html_table(table: pd.DataFrame) -> str:
    shown, note = _shown_rows(table)
    rendered = shown.to_html(
        index=False, escape=True, border=0, na_rep="", float_format=lambda v: f"{v:.3g}"
    )
    note_html = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return f'<div class="table-scroll">{rendered}</div>{note_html}'


#: Characters that Markdown reads as markup in text: each is written with a backslash.
_MARKDOWN_MARKUP = re.compile(r"([\\`*_\[\]|!#])")


def markdown_text(value: object) -> str:
    r"""Text from a corpus or a table, safe in Markdown: HTML escaped as in report.html (so a
    viewer that renders inline HTML shows ``<script>`` as text), Markdown markup
    backslash-escaped, newlines folded.

    >>> markdown_text("<img src=x onerror=alert(1)> [a](b) | c")
    '&lt;img src=x onerror=alert(1)&gt; \\[a\\](b) \\| c'
    """
    text = f"{value:.3g}" if isinstance(value, float) else str(value)
    text = html.escape(text, quote=False)
    return _MARKDOWN_MARKUP.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def _markdown_cell(value: object) -> str:
    if isinstance(value, float) and pd.isna(value):
        return ""
    return markdown_text(value)


def markdown_table(table: pd.DataFrame) -> str:
    r"""A GitHub-flavoured Markdown table (text escaped with :func:`markdown_text`).

    >>> print(markdown_table(pd.DataFrame({"a": [1], "b": ["x|y"]})))
    | a | b |
    |---|---|
    | 1 | x\|y |
    """
    shown, note = _shown_rows(table)
    header = "| " + " | ".join(map(_markdown_cell, shown.columns)) + " |"
    rule = "|" + "---|" * len(shown.columns)
    rows = [
        "| " + " | ".join(map(_markdown_cell, row)) + " |" for row in shown.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows] + ([f"\n{note}"] if note else []))


def path_base(corpus: Path | str) -> Path:
    """The folder the report's paths start from: the working folder when the corpus is inside
    it, else the corpus's own folder (so that no path climbs out to the machine's root)."""
    corpus, cwd = Path(corpus).resolve(), Path.cwd().resolve()
    if corpus.is_relative_to(cwd):
        return cwd
    return corpus if corpus.is_dir() else corpus.parent


def shown_path(path: Path | str, base: Path | None = None) -> str:
    """A path as the report shows it: the study's corpus as ``corpus``, any other relative to
    ``base`` (default: the working folder), never as an absolute path of the user's machine."""
    path = Path(path).resolve()
    if path == CORPUS_DIR.resolve():
        return path.relative_to(PROJECT_ROOT).as_posix()
    return Path(os.path.relpath(path, base or Path.cwd().resolve())).as_posix()


def provenance_rows(study: Study, command: str | None = None) -> list[tuple[str, str]]:
    """The report's provenance block: package, code, commit, corpus, software, and the command
    that regenerates the report (``command``; by default ``framing report --corpus ...``)."""
    software = ", ".join(f"{name} {version}" for name, version in library_versions().items())
    base = path_base(study.corpus_path)
    corpus = shown_path(study.corpus_path, base)
    where = "working" if base == Path.cwd().resolve() else "corpus's"
    label = "regenerate" if is_study_corpus(study) else f"regenerate (from the {where} folder)"
    return [
        ("package", f"jaishankar-framing {__version__}"),
        ("code sha256", code_hash()),
        ("git commit", recorded_commit() or "none recorded (uncommitted changes, or not a git "
         "checkout): the code sha256 identifies the code"),
        ("corpus", corpus),
        ("corpus sha256", study.corpus_hash),
        ("articles / sentences", f"{len(study.articles)} / {len(study.sentences)}"),
        ("software", software),
        (label, command or f"framing report --corpus {corpus}"),
    ]


def introduction(study: Study, description: StudyDescription) -> list[str]:
    """The report's opening paragraphs, as plain text (escaped by the renderers): the question,
    what the corpus holds, the frames of interest, and, for another corpus than the study's,
    what the study's codebook and hand coding mean for it."""
    articles = study.articles
    dates = pd.to_datetime(articles["date"].replace("", None), errors="coerce").dropna()
    undated = len(articles) - len(dates)
    span = (
        f", dated {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
        if len(dates)
        else ", none of them dated"
    )
    if len(dates) and undated:
        span += f" ({undated} undated)"
    outlets = articles["outlet"].nunique()
    corpus = (
        f"The corpus: {len(articles):,} articles from {outlets:,} "
        f"{'outlet' if outlets == 1 else 'outlets'}{span}, {len(study.sentences):,} sentences "
        f"after cleaning ({shown_path(study.corpus_path, path_base(study.corpus_path))})."
    )
    paragraphs = [description.question] if description.question else []
    paragraphs.append(corpus)
    book = measures.codebook(study)
    if description.frames:
        labels = [f"{book.frame(frame).label} ({frame})" for frame in description.frames]
        paragraphs.append("Frames of interest: " + "; ".join(labels) + ".")
    if not is_study_corpus(study):
        paragraphs.append(
            f"Frames are those of the codebook {book.name} (version {book.version}): the "
            "indicator words it was written with decide what counts, so read the frame "
            "figures with the evidence table. The validation figures need hand coding of "
            "the corpus, which only the Jaishankar study's own articles have; here they are "
            "replaced by a note."
        )
    paragraphs.append(
        "Every figure and table below is built by analysis/ from the corpus named in the "
        "provenance block; each has a CSV of its data and a provenance sidecar beside it."
    )
    return paragraphs


def _grouped(built: list[BuiltFigure]) -> list[tuple[str, list[BuiltFigure]]]:
    by_name = {item.spec.name: item for item in built}
    groups = []
    for module in AREA_MODULES:
        items = [by_name[spec.name] for spec in module.FIGURES if spec.name in by_name]
        if items:
            groups.append((_section_title(module), items))
    return groups


def _extended_outputs(study: Study, figures_dir: Path) -> list[tuple[object, pd.DataFrame]]:
    """The extended study's outputs found in ``figures_dir/extended`` (built by ``framing
    extended``; read from disk, so the report shows them where the coverage corpus is absent),
    for the study corpus only: (spec, table) pairs in registry order."""
    from analysis.core.config import CORPUS_DIR
    from analysis.outputs.figures import EXTENDED_REGISTRY

    if Path(study.corpus_path).resolve() != CORPUS_DIR.resolve():
        return []
    folder = figures_dir / "extended"
    return [
        (spec, pd.read_csv(folder / f"{name}.csv", keep_default_na=False))
        for name, spec in EXTENDED_REGISTRY.items()
        if (folder / f"{name}.csv").is_file()
    ]


#: The report section of the extended study's outputs.
EXTENDED_SECTION = "The study at full size: 114 articles (figures/extended/)"


def _table(item: BuiltFigure, figures_dir: Path) -> pd.DataFrame:
    """The output's table as written to its CSV (the same whether built now or reused)."""
    path = figures_dir / f"{item.spec.name}.csv"
    try:
        return pd.read_csv(path)
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def _note(item: BuiltFigure) -> str:
    return f"No {'figure' if item.spec.plot is not None else 'table'}: {item.note}."


def render_html(
    study: Study,
    built: list[BuiltFigure],
    figures_dir: Path,
    description: StudyDescription | None = None,
    command: str | None = None,
) -> str:
    """The self-contained HTML report."""
    esc = html.escape
    description = description or load_description(study)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(description.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{esc(description.title)}</h1>",
        *(f"<p>{esc(paragraph)}</p>" for paragraph in introduction(study, description)),
        '<h2>Provenance</h2><div class="table-scroll"><table>',
    ]
    for label, value in provenance_rows(study, command):
        cell = (
            f'<code class="git-commit">{esc(value)}</code>' if label == "git commit" else esc(value)
        )
        parts.append(f"<tr><th>{esc(label)}</th><td>{cell}</td></tr>")
    parts.append("</table></div>")
    for section, items in _grouped(built):
        parts.append(f"<h2>{esc(section)}</h2>")
        for item in items:
            spec = item.spec
            parts.append(f'<section id="{esc(spec.name)}"><h3>{esc(spec.title)}</h3>')
            if item.note is not None:
                parts.append(f'<p class="note">{esc(_note(item))}</p>')
            elif item.png is not None:
                encoded = base64.b64encode((figures_dir / f"{spec.name}.png").read_bytes()).decode()
                parts.append(
                    f'<figure><img alt="{esc(spec.title)}" src="data:image/png;base64,{encoded}">'
                    f"<figcaption>{esc(spec.caption)}</figcaption></figure>"
                )
                parts.append(f"<details><summary>Data ({esc(spec.name)}.csv)</summary>")
                parts.append(_html_table(_table(item, figures_dir)) + "</details>")
            else:
                parts.append(f"<p>{esc(spec.caption)}</p>")
                parts.append(_html_table(_table(item, figures_dir)))
            parts.append("</section>")
    extended = _extended_outputs(study, figures_dir)
    if extended:
        parts.append(f"<h2>{esc(EXTENDED_SECTION)}</h2>")
    for spec, table in extended:
        parts.append(f'<section id="{esc(spec.name)}"><h3>{esc(spec.title)}</h3>')
        png = figures_dir / "extended" / f"{spec.name}.png"
        if spec.plot is not None and png.is_file():
            encoded = base64.b64encode(png.read_bytes()).decode()
            parts.append(
                f'<figure><img alt="{esc(spec.title)}" src="data:image/png;base64,{encoded}">'
                f"<figcaption>{esc(spec.caption)}</figcaption></figure>"
            )
        else:
            parts.append(f"<p>{esc(spec.caption)}</p>")
        parts.append(_html_table(table) + "</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def render_markdown(
    study: Study,
    built: list[BuiltFigure],
    figures_dir: Path,
    out_dir: Path,
    description: StudyDescription | None = None,
    command: str | None = None,
) -> str:
    """The Markdown report, linking the figure files relative to ``out_dir``; every text from
    the corpus, the description or a table escaped (:func:`markdown_text`)."""
    link_base = Path(os.path.relpath(figures_dir, out_dir)).as_posix()
    description = description or load_description(study)
    lines = [f"# {markdown_text(description.title)}"]
    for paragraph in introduction(study, description):
        lines += ["", markdown_text(paragraph)]
    lines += [
        "",
        "## Provenance",
        "",
        markdown_table(pd.DataFrame(provenance_rows(study, command), columns=["item", "value"])),
    ]
    for section, items in _grouped(built):
        lines += ["", f"## {markdown_text(section)}"]
        for item in items:
            spec = item.spec
            title, caption = markdown_text(spec.title), markdown_text(spec.caption)
            lines += ["", f"### {title}", ""]
            if item.note is not None:
                lines += [f"*{markdown_text(_note(item))}*"]
            elif item.png is not None:
                lines += [f"![{title}]({link_base}/{spec.name}.png)", "", f"*{caption}*"]
            else:
                lines += [caption, "", markdown_table(_table(item, figures_dir))]
    extended = _extended_outputs(study, figures_dir)
    if extended:
        lines += ["", f"## {markdown_text(EXTENDED_SECTION)}"]
    for spec, table in extended:
        title, caption = markdown_text(spec.title), markdown_text(spec.caption)
        lines += ["", f"### {title}", ""]
        if spec.plot is not None and (figures_dir / "extended" / f"{spec.name}.png").is_file():
            lines += [f"![{title}]({link_base}/extended/{spec.name}.png)", "", f"*{caption}*"]
        else:
            lines += [caption, "", markdown_table(table)]
    return "\n".join(lines) + "\n"


def build_report(
    *,
    corpus: Path | str | None = None,
    out_dir: Path | str,
    figures_dir: Path | str | None = None,
    study: Study | None = None,
    description: StudyDescription | None = None,
    force: bool = False,
    workers: int = 1,
    command: str | None = None,
) -> list[Path]:
    """Build every registered output into ``figures_dir`` and the report into ``out_dir``.

    ``figures_dir`` defaults to ``out_dir/figures``. Outputs already current there (the check
    of ``framing figures``) are reused unless ``force``; a complete build is recorded, so a
    later ``framing figures`` finds the folder up to date. ``description``: what the report is
    about (default: :func:`load_description`). ``command``: the command line shown as the way
    to regenerate the report. Returns the report's paths.
    """
    from analysis.study.load import load_study

    out_dir = Path(out_dir)
    figures_dir = Path(figures_dir) if figures_dir is not None else out_dir / "figures"
    study = study or load_study(corpus, workers=workers)
    description = description or load_description(study)
    built = build_all(study=study, out_dir=figures_dir, skip_current=not force)
    write_build_stamp(figures_dir, {item.spec.name: dict(item.spec.params) for item in built})
    files = {
        "report.html": render_html(study, built, figures_dir, description, command).encode(),
        "report.md": render_markdown(
            study, built, figures_dir, out_dir, description, command
        ).encode(),
    }
    return write_files_atomically(out_dir, files)
