"""Provenance that tells the truth: a commit only where it identifies the code, and a code hash
a reader can check."""

from __future__ import annotations

import json

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
