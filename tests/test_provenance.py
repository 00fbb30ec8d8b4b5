"""Provenance that tells the truth: a commit only where it identifies the code, and a code hash
a reader can check."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from analysis.study import provenance


def _write(tmp_path):
    return provenance.write_outputs(
        tmp_path,
        "thing",
        {"thing.csv": b"a,b\n1,2\n"},
        corpus={"path": "corpus", "sha256": "0" * 64},
        parameters={},
        command="framing figures --only thing",
    )


def test_a_tree_with_uncommitted_source_changes_records_no_commit(monkeypatch, tmp_path):
    monkeypatch.setattr(provenance, "git_commit", lambda: "abc123")
    monkeypatch.setattr(provenance, "git_dirty", lambda: True)
    _write(tmp_path)
    record = json.loads((tmp_path / "thing.json").read_text())
    assert record["git_commit"] is None and record["git_dirty"] is True


def test_a_clean_tree_records_its_commit(monkeypatch, tmp_path):
    monkeypatch.setattr(provenance, "git_commit", lambda: "abc123")
    monkeypatch.setattr(provenance, "git_dirty", lambda: False)
    _write(tmp_path)
    assert json.loads((tmp_path / "thing.json").read_text())["git_commit"] == "abc123"


def test_check_sidecar_finds_changed_files_and_other_code(monkeypatch, tmp_path):
    _write(tmp_path)
    sidecar = tmp_path / "thing.json"
    assert provenance.check_sidecar(sidecar) == []
    (tmp_path / "thing.csv").write_bytes(b"a,b\n1,3\n")
    assert provenance.check_sidecar(sidecar) == ["thing.csv changed"]
    monkeypatch.setattr(provenance, "code_hash", lambda: "f" * 64)
    assert provenance.check_sidecar(sidecar)[0].startswith("code differs")


def test_framing_provenance_exit_codes(run_cli, tmp_path):
    _write(tmp_path)
    ok = run_cli("provenance", tmp_path)
    assert ok.code == 0 and "1 of 1 outputs match" in ok.stdout
    (tmp_path / "thing.csv").write_bytes(b"changed\n")
    changed = run_cli("provenance", tmp_path)
    assert changed.code == 1 and "thing.csv changed" in changed.stdout
    missing = run_cli("provenance", tmp_path / "nowhere")
    assert missing.code == 2 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_a_table_written_block_by_block_is_the_csv_of_the_whole(monkeypatch):
    table = pd.DataFrame(
        {
            "x": [0.5, 1 / 3, float("nan"), -2e-9, 7.0, 1e12, 3.0],
            "text": ["a", 'say "hi", then', "", "line\nbreak", "é", "b", "c"],
            "n": range(7),
        }
    )
    monkeypatch.setattr(provenance, "CSV_ROWS_AT_A_TIME", 3)
    for rows in (table, table.iloc[:3], table.iloc[:1], table.iloc[:0]):
        pieces = list(provenance.CsvTable(rows).pieces())
        assert len(pieces) == max(1, -(-len(rows) // 3))  # blocks of 3 rows; an empty one
        assert b"".join(pieces) == provenance.table_to_csv_bytes(rows)


def test_csv_bytes_are_pandas_own_for_every_kind_of_float_column():
    rng = np.random.default_rng(7)
    wide = np.concatenate([rng.normal(size=50) * 10.0 ** rng.integers(-12, 12, 50), [0.1, 1 / 3]])
    special = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-300, 123456.5, 1234567.0, 5e-324]
    values = np.concatenate([wide, special, rng.random(9)])
    table = pd.DataFrame(
        {
            "x": values,
            "x32": values.astype(np.float32),
            "x16": np.clip(values, -6e4, 6e4).astype(np.float16),
            "nullable": pd.array(values, dtype="Float64"),  # left to pandas
            "mixed": pd.Series(values, dtype=object).where(values > 0, "text, with comma"),
            "n": np.arange(len(values)),
            "text": [None, 'say "hi"'] * (len(values) // 2),
        }
    )
    for rows in (table, table.iloc[:0], table[["n"]]):
        pandas_own = io.BytesIO()
        rows.to_csv(pandas_own, **provenance.CSV_OPTIONS)
        assert provenance.table_to_csv_bytes(rows) == pandas_own.getvalue()
        assert b"".join(provenance.CsvTable(rows).pieces()) == pandas_own.getvalue()
    assert b",inf," in provenance.table_to_csv_bytes(table)  # the specials are in the file


def test_a_table_written_as_csv_is_listed_with_its_hash_and_written_once(monkeypatch, tmp_path):
    monkeypatch.setattr(provenance, "CSV_ROWS_AT_A_TIME", 2)
    table = pd.DataFrame({"x": [1.5, 2.5, 3.5], "y": ["a", "b", "c"]})
    written = provenance.write_outputs(
        tmp_path,
        "thing",
        {"thing.csv": provenance.CsvTable(table), "thing.txt": b"note\n"},
        corpus={"path": "corpus", "sha256": "0" * 64},
        parameters={},
        command="framing figures --only thing",
    )
    assert [path.name for path in written] == ["thing.csv", "thing.txt", "thing.json"]
    assert (tmp_path / "thing.csv").read_bytes() == provenance.table_to_csv_bytes(table)
    assert provenance.check_sidecar(tmp_path / "thing.json") == []
    before = {path.name: path.stat().st_mtime_ns for path in written}
    provenance.write_files_atomically(tmp_path, {"thing.csv": provenance.CsvTable(table)})
    assert (tmp_path / "thing.csv").stat().st_mtime_ns == before["thing.csv"]  # unchanged
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(before)


def test_an_output_that_fails_midway_leaves_nothing(tmp_path):
    class Broken(provenance.CsvTable):
        def pieces(self):
            yield b"a,b\n"
            raise OSError(28, "No space left on device")

    (tmp_path / "old.csv").write_bytes(b"old\n")
    with pytest.raises(OSError, match="No space"):
        provenance.write_outputs(
            tmp_path,
            "thing",
            {"thing.txt": b"first\n", "old.csv": Broken(pd.DataFrame())},
            corpus={"path": "corpus", "sha256": "0" * 64},
            parameters={},
            command="framing figures --only thing",
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["old.csv"]
    assert (tmp_path / "old.csv").read_bytes() == b"old\n"
