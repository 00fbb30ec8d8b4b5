"""Notebooks: stored clean, parameterised, function-free, and executed for real."""

from __future__ import annotations

import ast
import json

import pytest

from analysis.core.config import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _code_cells(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_there_are_notebooks():
    assert any(path.name.startswith("01-") for path in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    for cell in _code_cells(path):
        assert not cell.get("outputs") and cell.get("execution_count") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_a_parameters_cell_with_the_corpus_path(path):
    tagged = [
        cell for cell in _code_cells(path) if "parameters" in cell["metadata"].get("tags", [])
    ]
    assert len(tagged) == 1
    assert "corpus_path" in "".join(tagged[0]["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_defines_no_functions_or_classes(path):
    for cell in _code_cells(path):
        tree = ast.parse("".join(cell["source"]))
        defined = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
        ]
        assert not defined, f"{path.name} defines {defined[0].__class__.__name__}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executes_and_writes_the_same_bytes_as_the_cli(path, tmp_path, run_cli):
    import papermill

    from analysis.study.extended import coverage_available, coverage_path

    extended = path.name.startswith("06-")
    if extended and not coverage_available():
        pytest.skip(f"coverage corpus not found at {coverage_path()} (set FRAMING_SHARED_DATA)")

    notebook_out = tmp_path / "notebook_figures"
    papermill.execute_notebook(
        str(path),
        str(tmp_path / path.name),
        parameters={"out_dir": str(notebook_out)},
        kernel_name="python3",
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )
    written = sorted(notebook_out.iterdir()) if notebook_out.exists() else []
    assert written, f"{path.name} built no figure"
    names = sorted({file.stem for file in written})
    cli_out = tmp_path / "cli_figures"
    for name in names:
        command = "extended" if extended else "figures"
        result = run_cli(command, "--only", name, "--out", cli_out)
        assert result.code == 0, result.stderr
    for file in written:
        assert file.read_bytes() == (cli_out / file.name).read_bytes(), file.name


@pytest.mark.slow
def test_another_corpus_never_writes_into_the_study_figures(tmp_path, study):
    # papermill -p corpus_path alone wrote another corpus's figures over the study's 14 files
    import papermill

    from analysis.core.config import FIGURES_DIR
    from analysis.io.corpus import write_corpus_csv

    corpus = tmp_path / "mine.csv"
    write_corpus_csv(study.articles.head(2), corpus)
    before = {path.name: path.read_bytes() for path in FIGURES_DIR.iterdir() if path.is_file()}
    for parameters in ({}, {"out_dir": "../figures"}, {"out_dir": str(FIGURES_DIR / "mine")}):
        with pytest.raises(papermill.PapermillExecutionError, match="out_dir: "):
            papermill.execute_notebook(
                str(NOTEBOOKS_DIR / "01-corpus.ipynb"),
                str(tmp_path / "out.ipynb"),
                parameters={"corpus_path": str(corpus), **parameters},
                kernel_name="python3",
                cwd=str(NOTEBOOKS_DIR),
                progress_bar=False,
            )
    after = {path.name: path.read_bytes() for path in FIGURES_DIR.iterdir() if path.is_file()}
    assert after == before
    assert not (FIGURES_DIR / "mine").exists()
    # with a folder of its own, the notebook writes there, for that corpus
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "01-corpus.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"corpus_path": str(corpus), "out_dir": str(tmp_path / "mine")},
        kernel_name="python3",
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )
    record = json.loads((tmp_path / "mine" / "corpus_overview.json").read_text())
    assert record["corpus"]["n_articles"] == 2


@pytest.mark.slow
def test_the_framing_notebook_runs_on_a_users_corpus_with_a_codebook_of_other_frames(
    tmp_path, users_corpus_and_codebook
):
    # it stopped with a KeyError at the framing index, which needs frames this codebook has not
    import papermill

    corpus, codebook = users_corpus_and_codebook
    out = tmp_path / "mine_figures"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "02-framing.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"corpus_path": str(corpus), "codebook_path": str(codebook), "out_dir": str(out)},
        kernel_name="python3",
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )
    assert (out / "frame_shares.png").exists()
    assert not (out / "framing_index.png").exists()
    assert json.loads((out / "framing_index.json").read_text())["note"].startswith("not scored")
    # the evidence cell shows this codebook's hits, not an empty table of the index's frames
    executed = json.loads((tmp_path / "out.ipynb").read_text())
    (evidence,) = [cell for cell in executed["cells"] if cell.get("id") == "c10"]
    shown = "".join(evidence["outputs"][0]["data"]["text/plain"])
    assert "Empty DataFrame" not in shown and "trade_economy" in shown
