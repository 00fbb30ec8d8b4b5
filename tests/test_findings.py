"""Findings computed, not typed: README.md's findings block is the text written from the tables."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.outputs.findings import EXTENDED_TABLES, TABLES, findings_markdown, readme_block

HAVE_TABLES = all((EXTENDED_TABLES / f"{name}.csv").is_file() for name in TABLES)


@pytest.mark.skipif(
    not HAVE_TABLES,
    reason=f"no extended tables in {EXTENDED_TABLES} (run `framing extended`, which needs the "
    "coverage corpus in ../shared/data)",
)
def test_readme_findings_are_the_text_written_from_the_tables():
    assert readme_block() == findings_markdown(), (
        "README.md's findings are stale: run `framing findings --readme`"
    )


@pytest.mark.skipif(not HAVE_TABLES, reason=f"no extended tables in {EXTENDED_TABLES}")
def test_a_changed_table_changes_the_findings(tmp_path):
    for name in TABLES:
        shutil.copy(EXTENDED_TABLES / f"{name}.csv", tmp_path / f"{name}.csv")
    shared = pd.read_csv(tmp_path / "extended_shared_copy.csv")
    shared.loc[shared["corpus"] == "coverage", "estimate"] = 0.871
    shared.to_csv(tmp_path / "extended_shared_copy.csv", index=False)
    assert "87% of the coverage's words" in findings_markdown(tmp_path)
    assert "87% of the coverage's words" not in findings_markdown()


def test_findings_without_the_tables_name_the_missing_file(tmp_path):
    from analysis.core.errors import InputError

    with pytest.raises(InputError, match="extended_articles.csv: not there"):
        findings_markdown(tmp_path)
