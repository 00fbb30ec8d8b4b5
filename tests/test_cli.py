"""Bad option values and output paths: one line, exit code 2, nothing written, inputs intact."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import build_parser
from analysis.core.config import CORPUS_DIR
from analysis.io.corpus import load_corpus, write_corpus_csv

HEADER = "id,outlet,date,title,text\n"
ROWS = (
    "a1,Daily,2026-02-02,T,The minister met officials in Washington on Monday.\n"
    "a2,Herald,2026-02-03,T,Talks on tariffs and minerals went on for two days.\n"
)


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    """A small corpus in every form a command reads, and the paths around it."""
    corpus = tmp_path / "corpus.csv"
    corpus.write_text(HEADER + ROWS, encoding="utf-8")
    parquet = tmp_path / "corpus.parquet"
    pd.read_csv(corpus, dtype=str).to_parquet(parquet, index=False)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a1.txt").write_text("The minister met officials on Monday.\n", encoding="utf-8")
    (folder / "metadata.csv").write_text(
        "id,outlet,date,title,file\na1,Daily,2026-02-02,T,a1.txt\n", encoding="utf-8"
    )
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text("codebook: mine\n", encoding="utf-8")
    sentences = tmp_path / "sentences.csv"
    sentences.write_text("doc_id,sent_idx,n_words,status,own\n", encoding="utf-8")
    (tmp_path / "a_file").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "existing_dir").mkdir()
    data = tmp_path / "data"
    data.mkdir()
    (data / "topic_terms.csv").write_text(HEADER + ROWS, encoding="utf-8")
    (tmp_path / "run").mkdir()
    return {
        "corpus": corpus,
        "parquet": parquet,
        "folder": folder,
        "codebook": codebook,
        "sentences": sentences,
        "file": tmp_path / "a_file",
        "dir": tmp_path / "existing_dir",
        "data": data,
        "tmp": tmp_path,
    }


# Each case: the command line (paths by name in `files`) and what its one line must say.
CASES = {
    "run --workers 0": (
        ["run", "{corpus}", "--out", "{tmp}/o", "--workers", "0"],
        "--workers: 0: give 1 or more processes",
    ),
    "run --dask local:x": (
        ["run", "{corpus}", "--out", "{tmp}/o", "--dask", "local:x"],
        "--dask: 'local:x'",
    ),
    "run --dask local:0": (
        ["run", "{corpus}", "--out", "{tmp}/o", "--dask", "local:0"],
        "--dask: 'local:0'",
    ),
    "run --dask nonsense": (
        ["run", "{corpus}", "--out", "{tmp}/o", "--dask", "no address"],
        "--dask: 'no address'",
    ),
    "run --chunk-size 0": (
        ["run", "{corpus}", "--out", "{tmp}/o", "--chunk-size", "0"],
        "--chunk-size: 0: give 1 or more articles",
    ),
    "import --chunk-size -1": (
        ["import", "{corpus}", "--out", "{tmp}/o.parquet", "--chunk-size", "-1"],
        "--chunk-size: -1",
    ),
    "reuse --workers 0": (
        ["reuse", "{corpus}", "--out", "{tmp}/p.csv", "--workers", "0"],
        "--workers: 0",
    ),
    "topics -k 0": (
        ["topics", "{corpus}", "--out", "{tmp}/t", "-k", "0"],
        "-k: 0: give 1 or more topics",
    ),
    "topics --max-features 0": (
        ["topics", "{corpus}", "--out", "{tmp}/t", "-k", "2", "--max-features", "0"],
        "--max-features: 0",
    ),
    "kwic --window -1": (
        ["kwic", "minister", "--corpus", "{corpus}", "--window", "-1"],
        "--window: -1: give 0 or more words",
    ),
    "score --out a folder": (["score", "{corpus}", "--out", "{dir}"], "--out: {dir} is a folder"),
    "score --out the corpus": (
        ["score", "{corpus}", "--out", "{corpus}"],
        "--out: {corpus} is an input (path)",
    ),
    "score --out the codebook": (
        ["score", "{corpus}", "--out", "{codebook}", "--codebook", "{codebook}"],
        "is an input (--codebook)",
    ),
    "score --out a file of the corpus folder": (
        ["score", "{folder}", "--out", "{folder}/metadata.csv"],
        "a file of the corpus folder",
    ),
    "score --out same as --evidence": (
        ["score", "{corpus}", "--out", "{tmp}/s.csv", "--evidence", "{tmp}/s.csv"],
        "--evidence: {tmp}/s.csv is also --out",
    ),
    "score --out under a file": (
        ["score", "{corpus}", "--out", "{file}/s.csv"],
        "{file} is a file, not a folder",
    ),
    "import --out the source": (
        ["import", "{parquet}", "--out", "{parquet}"],
        "is an input (source)",
    ),
    "reuse --out the corpus": (["reuse", "{corpus}", "--out", "{corpus}"], "is an input (path)"),
    "reuse --sentences same as --out": (
        ["reuse", "{corpus}", "--out", "{tmp}/p.csv", "--sentences", "{tmp}/p.csv"],
        "--sentences: {tmp}/p.csv is also --out",
    ),
    "run --out a file": (
        ["run", "{corpus}", "--out", "{file}"],
        "--out: {file} is a file: give a folder",
    ),
    "run --out the corpus folder": (["run", "{folder}", "--out", "{folder}"], "is an input (path)"),
    "run --out would overwrite --reuse-sentences": (
        ["run", "{corpus}", "--out", "{tmp}", "--reuse-sentences", "{sentences}"],
        None,
    ),
    "topics --out would overwrite the corpus": (
        ["topics", "{data}/topic_terms.csv", "--out", "{data}", "-k", "2"],
        "writing topic_terms.csv would overwrite an input",
    ),
    "figures --out a file": (
        ["figures", "--out", "{file}"],
        "--out: {file} is a file: give a folder",
    ),
    "figures --out holds the corpus": (
        ["figures", "--corpus", "{corpus}", "--out", "{tmp}"],
        "holds an input",
    ),
    "report --out a file": (
        ["report", "--corpus", "{corpus}", "--out", "{file}"],
        "--out: {file} is a file",
    ),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"<dir>"
        for path in sorted(folder.rglob("*"))
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_options_and_output_paths_give_one_line_and_write_nothing(files, run_cli, case):
    arguments, fragment = CASES[case]
    names = {name: str(path) for name, path in files.items()}
    if case == "run --out would overwrite --reuse-sentences":
        files["sentences"].rename(files["tmp"] / "scores.csv")
        names["sentences"] = str(files["tmp"] / "scores.csv")
        fragment = "writing scores.csv would overwrite an input (--reuse-sentences)"
    before = _snapshot(files["tmp"])
    result = run_cli(*[argument.format(**names) for argument in arguments])
    assert result.code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert fragment.format(**names) in lines[0], lines[0]
    assert _snapshot(files["tmp"]) == before  # nothing written, no temporary file, inputs intact


def test_an_earlier_output_inside_a_corpus_folder_may_be_replaced(files, run_cli):
    out = files["folder"] / "scores.csv"
    out.write_text("an earlier run's scores\n", encoding="utf-8")
    result = run_cli("score", files["folder"], "--out", out)
    assert result.code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("doc_id,")


def test_a_failed_write_leaves_no_temporary_file(tmp_path):
    from analysis.study.provenance import write_paths_atomically

    (tmp_path / "taken").mkdir()
    with pytest.raises(IsADirectoryError):
        write_paths_atomically({tmp_path / "first.csv": b"a\n", tmp_path / "taken": b"b\n"})
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken"]


def test_a_hard_link_to_the_input_is_the_input(files, run_cli, tmp_path):
    corpus = tmp_path / "corpus.csv"  # written by the files fixture
    link = tmp_path / "linked.csv"
    os.link(corpus, link)
    before = Path(corpus).read_bytes()
    result = run_cli("score", link, "--out", corpus)
    assert result.code == 2 and "is an input" in result.stderr
    assert Path(corpus).read_bytes() == before


def test_sidecars_of_another_corpus_name_it_relatively_with_a_command_that_runs(tmp_path, run_cli):
    corpus = tmp_path / "news.csv"
    write_corpus_csv(load_corpus(CORPUS_DIR), corpus)
    out = tmp_path / "out"
    result = run_cli(
        "figures", "--corpus", corpus, "--out", out, "--only", "framing_index", cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    record = json.loads((out / "framing_index.json").read_text())
    assert record["corpus"]["path"] == "news.csv"
    assert record["command"] == "framing figures --only framing_index --corpus news.csv --out out"
    assert str(tmp_path) not in (out / "framing_index.json").read_text()
    (out / "framing_index.png").unlink()
    rerun = run_cli(*record["command"].split()[1:], cwd=tmp_path)
    assert rerun.code == 0, rerun.stderr
    assert (out / "framing_index.png").is_file()


def test_each_command_is_parsed_and_handled_by_a_module_of_its_own_name():
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    modules = {name: sub.get_default("run").__module__ for name, sub in commands.choices.items()}
    # `import` is a keyword: its module is import_
    assert modules == {name: f"analysis.cli.{name.replace('import', 'import_')}" for name in modules}
    assert len(modules) == 13


def test_an_option_the_command_lacks_gets_the_commands_usage_and_the_closest_option(
    tmp_path, run_cli
):
    # framing printed its own usage, not the command's, and no hint
    out = tmp_path / "scores.csv"
    result = run_cli("score", "corpus", "--out", out, "--evidense", tmp_path / "hits.csv")
    assert result.code == 2 and not out.exists()
    assert "usage: framing score" in result.stderr
    assert "unrecognized arguments: --evidense" in result.stderr
    assert "(did you mean --evidence?)" in result.stderr
    result = run_cli("topics", "corpus", "--out", tmp_path, "-k", "2", "--zzz")
    assert result.code == 2 and "usage: framing topics" in result.stderr
    assert "did you mean" not in result.stderr
    # an abbreviation is not taken for the option it begins (--text for --text-col, say)
    result = run_cli("score", "corpus", "--out", out, "--code", tmp_path / "mine.yaml")
    assert result.code == 2 and not out.exists()
    assert "unrecognized arguments: --code" in result.stderr and "--codebook?" in result.stderr


def test_score_says_why_a_codebook_without_the_index_frames_has_no_index(
    tmp_path, run_cli, users_corpus_and_codebook
):
    corpus, codebook = users_corpus_and_codebook
    result = run_cli("score", corpus, "--out", tmp_path / "s.csv", "--codebook", codebook)
    assert result.code == 0 and result.stdout.startswith("scored 2 articles")
    assert result.stderr.startswith("note: no frame_index columns: the framing index contrasts")
    columns = pd.read_csv(tmp_path / "s.csv").columns
    assert not any("index" in column for column in columns)
    study_codebook = run_cli("score", corpus, "--out", tmp_path / "t.csv")
    assert study_codebook.code == 0 and "note:" not in study_codebook.stderr
