"""Writing outputs: byte-stable files, written atomically, each with a provenance sidecar.

Every figure and table is written through :func:`write_outputs`: the files go to a temporary
name first and are moved into place only when all of them are written, so a failure leaves no
partial output. The sidecar ``<name>.json`` records the package version, a hash of the code, the
git commit where it identifies the code exactly, the corpus hash, the parameters and the command
that regenerates the output. It carries no timestamp, so a rerun gives the same bytes.

The code hash (``code_sha256``, :func:`code_hash`: every source, codebook and style file of
``analysis/``) is the key a reader can check: ``framing provenance [PATH ...]``
(:func:`check_sidecar`) recomputes it for the checkout at hand and compares it, and every
listed file's SHA-256, with each sidecar. A commit is recorded only when the source paths
(:data:`SOURCE_PATHS`) had no uncommitted change; it is then the commit the output was built
from, never the one that holds it (a commit cannot name itself), and ``null`` otherwise.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import platform
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis import __version__
from analysis.core.config import PACKAGE_DIR, PROJECT_ROOT, RANDOM_SEED

PACKAGE_NAME = "jaishankar-framing"
#: Libraries whose versions are recorded in every sidecar.
RECORDED_LIBRARIES = ["matplotlib", "numpy", "pandas", "scikit-learn", "nltk", "vaderSentiment"]
#: Sidecar fields that legitimately differ between two checkouts of the same content. An output
#: whose files differ from those on disk only in these is left as it is (see
#: :func:`write_files_atomically`), so regenerating from a fresh clone changes nothing.
VOLATILE_FIELDS = ("git_commit", "git_dirty")
#: Paths whose uncommitted changes make a build "dirty".
SOURCE_PATHS = ["analysis", "corpus", "pyproject.toml", "requirements.lock"]
_VOLATILE_TEXT = re.compile(
    r'<code class="git-commit">[^<]*</code>|^\| git commit \| [^|]* \|$', re.MULTILINE
)


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def code_hash() -> str:
    """SHA-256 over the package's source, codebooks and style files (sorted by path)."""
    package_dir = PACKAGE_DIR
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*")):
        if path.suffix in {".py", ".yaml", ".yml", ".mplstyle", ".toml", ".csv"} and path.is_file():
            digest.update(path.relative_to(package_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _git(*args: str) -> str | None:
    """What ``git ARGS`` prints in the project, or ``None`` outside a git checkout or on failure."""
    if not (PROJECT_ROOT / ".git").exists():
        return None
    try:
        result = subprocess.run(
            ["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
        )
    except OSError:
        return None
    return result.stdout if result.returncode == 0 else None


def git_commit() -> str | None:
    """The project's HEAD commit, or ``None`` outside a git checkout."""
    printed = _git("rev-parse", "HEAD")
    return printed.strip() or None if printed is not None else None


def git_dirty() -> bool | None:
    """True if the package, corpus or dependency files have uncommitted changes."""
    printed = _git("status", "--porcelain", "--", *SOURCE_PATHS)
    return bool(printed.strip()) if printed is not None else None


def recorded_commit() -> str | None:
    """The commit to record beside an output: HEAD when the source paths are clean (the
    commit then identifies the code exactly), else ``None`` (the code hash identifies it)."""
    return git_commit() if git_dirty() is False else None


def check_sidecar(sidecar: Path) -> list[str]:
    """What no longer matches in one provenance sidecar: its ``code_sha256`` against
    :func:`code_hash` of this checkout, and each listed file against its SHA-256.

    Returns a list of problems (empty when everything matches). Raises ``ValueError`` for a
    file that is not a sidecar.
    """
    try:
        record = json.loads(Path(sidecar).read_text(encoding="utf-8"))
        recorded, files = record["code_sha256"], dict(record["files"])
    except (OSError, UnicodeDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{sidecar}: not a provenance sidecar ({exc})") from None
    problems = []
    if recorded != code_hash():
        problems.append(f"code differs (sidecar {recorded[:12]}, this checkout {code_hash()[:12]})")
    for file_name, digest in sorted(files.items()):
        path = Path(sidecar).parent / file_name
        if not path.is_file():
            problems.append(f"{file_name} missing")
        elif sha256_bytes(path.read_bytes()) != digest:
            problems.append(f"{file_name} changed")
    return problems


def without_volatile(file_name: str, data: bytes) -> bytes | dict:
    """Content of an output with the volatile fields set aside, for comparisons."""
    if file_name.endswith(".json"):
        try:
            record = json.loads(data)
        except ValueError:
            return data
        if isinstance(record, dict):
            return {key: value for key, value in record.items() if key not in VOLATILE_FIELDS}
        return data
    if file_name.endswith((".html", ".md")):
        return _VOLATILE_TEXT.sub("", data.decode("utf-8", "replace")).encode("utf-8")
    return data


def library_versions(names: Sequence[str] = tuple(RECORDED_LIBRARIES)) -> dict[str, str]:
    """Installed versions of the libraries ``names`` (:data:`RECORDED_LIBRARIES`) and Python."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


#: How every table is written as CSV: no index, ``\\n`` line ends, floats with 6 significant
#: digits, UTF-8.
CSV_OPTIONS: dict[str, Any] = {
    "index": False,
    "lineterminator": "\n",
    "float_format": "%.6g",
    "encoding": "utf-8",
}


def table_to_csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV bytes for a table (:data:`CSV_OPTIONS`)."""
    buffer = io.BytesIO()  # encoded chunk by chunk: text, then bytes, of the whole was 2.5x
    _floats_as_text(table).to_csv(buffer, **CSV_OPTIONS)
    return buffer.getvalue()


def _floats_as_text(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each float column (numpy ``float16`` to ``float64``) as the text
    ``to_csv`` writes for it with :data:`CSV_OPTIONS` (``float_format % value``, a missing
    value empty), so the CSV bytes are the same. Made here in one pass over each column:
    pandas formats a float through a few Python calls each, which took about a fifth of the
    time of writing a figure's table of millions of rows.

    >>> _floats_as_text(pd.DataFrame({"x": [1 / 3, float("nan")], "n": [1, 2]}))["x"].tolist()
    ['0.333333', '']
    """
    floats = [
        position
        for position, dtype in enumerate(table.dtypes)
        if isinstance(dtype, np.dtype) and dtype.kind == "f"
    ]
    if not floats:
        return table
    table = table.copy(deep=False)
    form = CSV_OPTIONS["float_format"]
    for position in floats:
        values = table.iloc[:, position].to_numpy()
        text = np.array([form % value for value in values.tolist()], dtype=object)
        text[np.isnan(values)] = ""
        table.isetitem(position, text)
    return table


def provenance_record(
    *,
    name: str,
    file_hashes: Mapping[str, str],
    corpus: Mapping[str, Any],
    parameters: Mapping[str, Any],
    command: str,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The sidecar's content for one output set (see the module docstring); ``file_hashes``
    gives each file's name and SHA-256."""
    record: dict[str, Any] = {
        "output": name,
        "files": dict(sorted(file_hashes.items())),
        "package": {"name": PACKAGE_NAME, "version": __version__},
        "code_sha256": code_hash(),
        "git_commit": recorded_commit(),
        "git_dirty": git_dirty(),
        "corpus": dict(corpus),
        "parameters": dict(parameters),
        "random_seed": RANDOM_SEED,
        "software": library_versions(),
        "command": command,
    }
    if extra:
        record.update(extra)
    return record


def json_bytes(record: Mapping[str, Any]) -> bytes:
    """Stable JSON: sorted keys, two-space indent, UTF-8, final newline."""
    return (
        json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    ).encode()


#: Rows of a :class:`CsvTable` made into CSV at a time.
CSV_ROWS_AT_A_TIME = 100_000


@dataclass(frozen=True)
class CsvTable:
    """A table to write as CSV straight to its file, :data:`CSV_ROWS_AT_A_TIME` rows at a time:
    the same bytes as :func:`table_to_csv_bytes`, never all held in memory (a figure's table of
    3.7 million rows made 380 MB of CSV). Every writer of this module takes one where it takes
    bytes.

    >>> table = pd.DataFrame({"x": [0.5, 1 / 3], "y": ["a", "b,c"]})
    >>> b"".join(CsvTable(table).pieces()) == table_to_csv_bytes(table)
    True
    """

    table: pd.DataFrame

    def pieces(self) -> Iterator[bytes]:
        """The CSV bytes: the header with the first block of rows, then a block at a time."""
        for start in range(0, max(len(self.table), 1), CSV_ROWS_AT_A_TIME):
            block = self.table.iloc[start : start + CSV_ROWS_AT_A_TIME]
            buffer = io.BytesIO()
            _floats_as_text(block).to_csv(buffer, header=start == 0, **CSV_OPTIONS)
            yield buffer.getvalue()


#: What a file is written from: its bytes, or a table written as CSV block by block.
FileContent = bytes | CsvTable


def _pieces(content: FileContent) -> Iterator[bytes]:
    if isinstance(content, CsvTable):
        yield from content.pieces()
    else:
        yield content


@dataclass(frozen=True)
class _Staged:
    """A file written to a temporary name beside its target, and its content's SHA-256."""

    final: Path
    temporary: Path
    sha256: str


def _stage(files: Mapping[Path, FileContent]) -> list[_Staged]:
    """Write each file to a temporary name beside its target (every one, or none is left)."""
    staged: list[_Staged] = []
    try:
        for final, content in files.items():
            final = Path(final)
            if final.is_dir():  # checked first: a rename onto a folder fails after staging
                raise IsADirectoryError(21, "Is a directory", str(final))
            final.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                dir=final.parent, prefix=f".{final.name}.", suffix=".tmp"
            )
            digest = hashlib.sha256()
            try:
                with os.fdopen(handle, "wb") as stream:
                    for piece in _pieces(content):
                        digest.update(piece)
                        stream.write(piece)
            finally:
                staged.append(_Staged(final, Path(temporary), digest.hexdigest()))
            os.chmod(temporary, 0o644)
    except BaseException:
        _remove(staged)
        raise
    return staged


def _remove(staged: Sequence[_Staged]) -> None:
    for file in staged:
        file.temporary.unlink(missing_ok=True)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _unchanged(files: Mapping[Path, FileContent], staged: Sequence[_Staged]) -> bool:
    """True when every file on disk already has its staged content, volatile provenance fields
    aside (:data:`VOLATILE_FIELDS`; a table written as CSV has none)."""
    for file in staged:
        if not file.final.is_file():
            return False
        if _file_sha256(file.final) == file.sha256:
            continue
        content = files[file.final]
        if isinstance(content, CsvTable):
            return False
        name = file.final.name
        if without_volatile(name, file.final.read_bytes()) != without_volatile(name, content):
            return False
    return True


def _write_staged(files: Mapping[Path, FileContent], staged: list[_Staged]) -> list[Path]:
    """Move the staged files into place, unless every one is unchanged; no temporary file
    stays behind, whatever happens."""
    try:
        if not _unchanged(files, staged):
            for file in staged:
                os.replace(file.temporary, file.final)
    finally:
        _remove(staged)
    return [file.final for file in staged]


def write_files_atomically(out_dir: Path, files: Mapping[str, FileContent]) -> list[Path]:
    """Write all ``files`` into ``out_dir``, or none of them.

    Each file is first written to a temporary file in ``out_dir``; only when every one is
    written are they renamed into place. When every file on disk already has this content,
    volatile provenance fields aside (:data:`VOLATILE_FIELDS`), nothing is rewritten.
    """
    paths = {Path(out_dir) / name: content for name, content in files.items()}
    return _write_staged(paths, _stage(paths))


def write_paths_atomically(files: Mapping[Path, FileContent]) -> list[Path]:
    """Write every file (anywhere), or none: stage each beside its target, then rename all."""
    paths = {Path(final): content for final, content in files.items()}
    staged = _stage(paths)
    try:
        for file in staged:
            os.replace(file.temporary, file.final)
    finally:  # whatever happened, no temporary file stays behind
        _remove(staged)
    return [file.final for file in staged]


def write_outputs(
    out_dir: Path,
    name: str,
    files: Mapping[str, FileContent],
    *,
    corpus: Mapping[str, Any],
    parameters: Mapping[str, Any],
    command: str,
    extra: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write ``files`` and the provenance sidecar ``<name>.json`` beside them, atomically.

    The files are staged first, hashed as they are written, so that the sidecar lists their
    SHA-256 without a table's CSV ever held in memory whole (:class:`CsvTable`).
    """
    paths = {Path(out_dir) / file_name: content for file_name, content in files.items()}
    staged = _stage(paths)
    try:
        record = provenance_record(
            name=name,
            file_hashes={file.final.name: file.sha256 for file in staged},
            corpus=corpus,
            parameters=parameters,
            command=command,
            extra=extra,
        )
        sidecar = {Path(out_dir) / f"{name}.json": json_bytes(record)}
        staged += _stage(sidecar)
    except BaseException:
        _remove(staged)
        raise
    return _write_staged({**paths, **sidecar}, staged)


#: In an output folder, the names of the outputs a complete ``framing figures`` run wrote.
BUILD_STAMP = ".framing-build.json"


def input_hashes(codebook: Path | str | None, actors: Path | str | None) -> dict[str, str]:
    """SHA-256 of the frame codebook and of the actor list a measure used (the study's own
    files for ``None``), so that outputs of another codebook are never taken for current."""
    from analysis.framing.codebook import STUDY_CODEBOOK
    from analysis.voices import STUDY_ACTORS

    return {
        "codebook_sha256": sha256_bytes(Path(codebook or STUDY_CODEBOOK).read_bytes()),
        "actors_sha256": sha256_bytes(Path(actors or STUDY_ACTORS).read_bytes()),
    }


def build_key(
    corpus_sha256: str,
    corpus_path: str,
    codebook: Path | str | None = None,
    actors: Path | str | None = None,
) -> dict[str, Any]:
    """What an output depends on besides its parameters: code, corpus, codebook and actor list
    (the study's for ``None``: :func:`input_hashes`) and software."""
    return {
        "code_sha256": code_hash(),
        "corpus_sha256": corpus_sha256,
        "corpus_path": corpus_path,
        "inputs": input_hashes(codebook, actors),
        "software": library_versions(),
    }


def current_output(
    out_dir: Path, name: str, key: Mapping[str, Any], parameters: Mapping[str, Any]
) -> list[Path] | None:
    """The paths of output ``name`` if its sidecar in ``out_dir`` matches ``key`` and
    ``parameters`` and every file it lists is intact (same SHA-256); otherwise ``None``."""
    sidecar = Path(out_dir) / f"{name}.json"
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
        found = {
            "code_sha256": record["code_sha256"],
            "corpus_sha256": record["corpus"]["sha256"],
            "corpus_path": record["corpus"]["path"],
            "inputs": record["inputs"],
            "software": record["software"],
        }
        files = dict(record["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if found != dict(key) or record.get("parameters") != dict(parameters):
        return None
    paths = []
    for file_name, digest in files.items():
        path = Path(out_dir) / file_name
        if not path.is_file() or sha256_bytes(path.read_bytes()) != digest:
            return None
        paths.append(path)
    return [*paths, sidecar]


def write_build_stamp(out_dir: Path, outputs: Mapping[str, Mapping[str, Any]]) -> None:
    """Record which outputs (name: parameters) a complete build wrote into ``out_dir``."""
    write_paths_atomically({Path(out_dir) / BUILD_STAMP: json_bytes({"outputs": outputs})})


def build_is_current(out_dir: Path, key: Mapping[str, Any]) -> bool:
    """True when the last complete build in ``out_dir`` is still current for ``key``."""
    try:
        outputs = json.loads((Path(out_dir) / BUILD_STAMP).read_text(encoding="utf-8"))["outputs"]
    except (OSError, ValueError, KeyError):
        return False
    return bool(outputs) and all(
        current_output(Path(out_dir), name, key, parameters) is not None
        for name, parameters in outputs.items()
    )
