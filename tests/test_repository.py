"""The repository's own contracts: the README's tree, CITATION.cff, the CI entry point."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from analysis.core.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _tree_entries() -> list[str]:
    block = README.split("<!-- tree: checked by tests/test_repository.py -->")[1].split(
        "<!-- end tree -->"
    )[0]
    entries, parents = [], {}
    for line in block.splitlines():
        match = re.match(r"^([│ ]*)[├└]── (\S+)", line)
        if not match:
            continue
        depth = len(match.group(1)) // 4
        name = match.group(2).rstrip("/")
        parents[depth] = name
        entries.append("/".join([parents[d] for d in range(depth)] + [name]))
    return entries


def test_readme_tree_entries_exist():
    missing = [entry for entry in _tree_entries() if not (PROJECT_ROOT / entry).exists()]
    assert not missing, f"README tree lists what is not there: {missing}"


def _tracked_files(root: Path) -> list[str]:
    """The files git tracks below ``root``; none outside a git checkout or without git."""
    if shutil.which("git") is None:
        return []
    listed = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True)
    return listed.stdout.split() if listed.returncode == 0 else []


def _top_level_not_in_tree(tracked: list[str], entries: list[str]) -> list[str]:
    top_level = {path.split("/")[0] for path in tracked} - {".gitignore"}
    listed = {entry.split("/")[0] for entry in entries}
    listed |= {".ci"} if ".ci/run" in entries else set()
    return sorted(top_level - listed)


def test_readme_tree_lists_every_tracked_top_level_entry():
    tracked = _tracked_files(PROJECT_ROOT)
    if not tracked:
        pytest.skip("not a git checkout (or no git): which files the project tracks is unknown")
    missing = _top_level_not_in_tree(tracked, _tree_entries())
    assert not missing, f"not in the README tree: {missing}"


def test_the_tree_check_sees_a_tracked_entry_the_tree_leaves_out(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (tmp_path / "analysis").mkdir()
    for name in ("analysis/core.py", "notes.txt", ".gitignore"):
        (tmp_path / name).write_text("x\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    tracked = _tracked_files(tmp_path)
    assert sorted(tracked) == [".gitignore", "analysis/core.py", "notes.txt"]
    assert _top_level_not_in_tree(tracked, ["analysis", "analysis/core.py"]) == ["notes.txt"]
    assert _top_level_not_in_tree(tracked, ["analysis", "notes.txt"]) == []


def test_readme_quick_start_is_the_two_commands():
    quick_start = README.split("## Quick start")[1].split("##")[0]
    assert "make figures" in quick_start and "make test" in quick_start


def test_citation_cff_is_valid_cff_1_2():
    import jsonschema

    schema = json.loads(
        (PROJECT_ROOT / "tests" / "data" / "citation-file-format-1.2.0.schema.json").read_text()
    )
    citation = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(citation, schema)
    from analysis import __version__

    assert citation["version"] == __version__


def test_ci_runs_make_test():
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text()


def test_ruff_clean():
    ruff = PROJECT_ROOT / ".venv" / "bin" / "ruff"
    command = [str(ruff)] if ruff.exists() else ["ruff"]
    result = subprocess.run(
        [*command, "check", "analysis", "tests", "benchmarks"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
