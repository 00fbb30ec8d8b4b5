"""The repository's own contracts: the README's tree, CITATION.cff, the CI entry point."""

from __future__ import annotations

import json
import re
import subprocess

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


def test_readme_tree_lists_every_tracked_top_level_entry():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    if not tracked:  # not a git checkout: nothing to compare
        return
    top_level = {path.split("/")[0] for path in tracked} - {".gitignore"}
    listed = {entry.split("/")[0] for entry in _tree_entries()}
    listed |= {".ci"} if ".ci/run" in _tree_entries() else set()
    assert top_level <= listed, f"not in the README tree: {sorted(top_level - listed)}"


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
