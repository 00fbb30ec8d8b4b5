"""The study report: every registered figure and table, with captions and provenance.

``framing report [--corpus PATH] [--out DIR]`` builds the outputs through the same registry as
``framing figures`` and writes ``report.html`` (self-contained: images embedded) and
``report.md`` (images linked) into DIR. Every piece of text that comes from a corpus or a table
is escaped, so an article containing ``<script>`` shows it as text.

The report carries no timestamp; the git commit sits in one marked element
(``<code class="git-commit">``) so a reproduction check can set it aside.
"""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path

import pandas as pd

from analysis import __version__
from analysis.figures import AREA_MODULES, BuiltFigure, build_all
from analysis.pipeline import Study
from analysis.provenance import code_hash, library_versions, recorded_commit, write_files_atomically

REPORT_TITLE = "How outlets framed S. Jaishankar's February 2026 US visit: downturn or convergence?"
#: Table-only outputs longer than this are cut in the report (the CSV has every row).
MAX_TABLE_ROWS = 40

STYLE = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 62rem;
       margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2.5rem; }
figure { margin: 1.5rem 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: .9rem; color: #444; }
table { border-collapse: collapse; font-size: .8rem; margin: .5rem 0 1rem; display: block;
        overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: .2rem .4rem; text-align: left; vertical-align: top; }
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
    rendered = shown.to_html(index=False, escape=True, border=0, float_format=lambda v: f"{v:.3g}")
    return rendered + (f'<p class="note">{html.escape(note)}</p>' if note else "")


def _markdown_cell(value: object) -> str:
    text = f"{value:.3g}" if isinstance(value, float) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (pipes escaped, newlines folded).

    >>> print(markdown_table(pd.DataFrame({"a": [1], "b": ["x|y"]})))
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """
    shown, note = _shown_rows(table)
    header = "| " + " | ".join(map(_markdown_cell, shown.columns)) + " |"
    rule = "|" + "---|" * len(shown.columns)
    rows = [
        "| " + " | ".join(map(_markdown_cell, row)) + " |" for row in shown.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows] + ([f"\n{note}"] if note else []))


def provenance_rows(study: Study) -> list[tuple[str, str]]:
    """The report's provenance block: package, code, commit, corpus, software."""
    software = ", ".join(f"{name} {version}" for name, version in library_versions().items())
    return [
        ("package", f"jaishankar-framing {__version__}"),
        ("code sha256", code_hash()),
        ("git commit", recorded_commit() or "none recorded (uncommitted changes, or not a git "
         "checkout): the code sha256 identifies the code"),
        ("corpus", study.corpus_label),
        ("corpus sha256", study.corpus_hash),
        ("articles / sentences", f"{len(study.articles)} / {len(study.sentences)}"),
        ("software", software),
        ("regenerate", f"framing report --corpus {study.corpus_label}"),
    ]


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
    from analysis.config import CORPUS_DIR
    from analysis.figures import EXTENDED_REGISTRY

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


def render_html(study: Study, built: list[BuiltFigure], figures_dir: Path) -> str:
    """The self-contained HTML report."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>How outlets framed S. Jaishankar's February 2026 US visit</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{esc(REPORT_TITLE)}</h1>",
        "<p>Every figure and table below is built by <code>analysis/</code> from the corpus "
        "named in the provenance block; each has a CSV of its data and a provenance sidecar "
        "beside it.</p>",
        "<h2>Provenance</h2><table>",
    ]
    for label, value in provenance_rows(study):
        cell = (
            f'<code class="git-commit">{esc(value)}</code>' if label == "git commit" else esc(value)
        )
        parts.append(f"<tr><th>{esc(label)}</th><td>{cell}</td></tr>")
    parts.append("</table>")
    for section, items in _grouped(built):
        parts.append(f"<h2>{esc(section)}</h2>")
        for item in items:
            spec = item.spec
            parts.append(f'<section id="{esc(spec.name)}"><h3>{esc(spec.title)}</h3>')
            if item.png is not None:
                encoded = base64.b64encode((figures_dir / f"{spec.name}.png").read_bytes()).decode()
                parts.append(
                    f'<figure><img alt="{esc(spec.title)}" src="data:image/png;base64,{encoded}">'
                    f"<figcaption>{esc(spec.caption)}</figcaption></figure>"
                )
                parts.append(f"<details><summary>Data ({esc(spec.name)}.csv)</summary>")
                parts.append(_html_table(item.table) + "</details>")
            else:
                parts.append(f"<p>{esc(spec.caption)}</p>")
                parts.append(_html_table(item.table))
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
    study: Study, built: list[BuiltFigure], figures_dir: Path, out_dir: Path
) -> str:
    """The Markdown report, linking the figure files relative to ``out_dir``."""
    link_base = Path(os.path.relpath(figures_dir, out_dir)).as_posix()
    lines = [
        f"# {REPORT_TITLE}",
        "",
        "## Provenance",
        "",
        markdown_table(pd.DataFrame(provenance_rows(study), columns=["item", "value"])),
    ]
    for section, items in _grouped(built):
        lines += ["", f"## {section}"]
        for item in items:
            spec = item.spec
            lines += ["", f"### {spec.title}", ""]
            if item.png is not None:
                lines += [f"![{spec.title}]({link_base}/{spec.name}.png)", "", f"*{spec.caption}*"]
            else:
                lines += [spec.caption, "", markdown_table(item.table)]
    extended = _extended_outputs(study, figures_dir)
    if extended:
        lines += ["", f"## {EXTENDED_SECTION}"]
    for spec, table in extended:
        lines += ["", f"### {spec.title}", ""]
        if spec.plot is not None and (figures_dir / "extended" / f"{spec.name}.png").is_file():
            lines += [f"![{spec.title}]({link_base}/extended/{spec.name}.png)", ""]
            lines += [f"*{spec.caption}*"]
        else:
            lines += [spec.caption, "", markdown_table(table)]
    return "\n".join(lines) + "\n"


def build_report(
    *,
    corpus: Path | str | None = None,
    out_dir: Path | str,
    figures_dir: Path | str | None = None,
    study: Study | None = None,
) -> list[Path]:
    """Build every registered output into ``figures_dir`` and the report into ``out_dir``.

    ``figures_dir`` defaults to ``out_dir/figures``. Returns the report's paths.
    """
    from analysis.pipeline import load_study

    out_dir = Path(out_dir)
    figures_dir = Path(figures_dir) if figures_dir is not None else out_dir / "figures"
    study = study or load_study(corpus)
    built = build_all(study=study, out_dir=figures_dir)
    files = {
        "report.html": render_html(study, built, figures_dir).encode("utf-8"),
        "report.md": render_markdown(study, built, figures_dir, out_dir).encode("utf-8"),
    }
    return write_files_atomically(out_dir, files)
