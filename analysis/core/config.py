"""Paths and study-wide settings, in one place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parents[1]
PROJECT_ROOT = PACKAGE_DIR.parent
CORPUS_DIR = PROJECT_ROOT / "corpus"
FIGURES_DIR = PROJECT_ROOT / "figures"
REPORT_DIR = PROJECT_ROOT / "report"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
CODEBOOK_DIR = PACKAGE_DIR / "codebooks"
STYLE_FILE = PACKAGE_DIR / "outputs" / "figures" / "study.mplstyle"

#: The larger real corpora live beside the project, never inside it.
SHARED_DATA_DIR = Path(
    os.environ.get("FRAMING_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data")
)


#: The largest codebook or actor list read, in bytes (the study's codebook has 22,013).
MAX_YAML_BYTES = 1_000_000
#: The most aliases (``*name``) one YAML file may use, and the most nodes it may hold with
#: every alias expanded: a few aliases nested can stand for billions of nodes (an "alias bomb"
#: under an unused key passed validation and ran out of memory 110 s later).
MAX_YAML_ALIASES = 200
MAX_YAML_NODES = 200_000
#: The tags of plain data; any other (``!!python/object``, ``!!binary``, ...) is refused.
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge")
)


def _yaml_problem(root: Any) -> tuple[Any, str] | None:
    """The first node of a composed YAML document that is not plain data, with what is wrong,
    or ``None``: a tag other than plain data's, an alias that contains itself, more than
    :data:`MAX_YAML_ALIASES` aliases or :data:`MAX_YAML_NODES` nodes once aliases are expanded.
    Walks the node graph once (shared nodes are sized once), never expanding anything."""

    def children(node: Any) -> list[Any]:
        if isinstance(node.value, list):
            return [c for item in node.value for c in (item if isinstance(item, tuple) else [item])]
        return []

    size: dict[int, int] = {}
    open_nodes: set[int] = set()
    aliases = 0
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        key = id(node)
        if closing:
            open_nodes.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in children(node))
            if size[key] > MAX_YAML_NODES:
                return node, f"aliases expand to more than {MAX_YAML_NODES:,} values"
            continue
        if key in open_nodes:
            return node, "an alias refers to a value that contains it"
        if key in size:
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                return node, f"more than {MAX_YAML_ALIASES} aliases"
            continue
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            return node, f"the tag {tag!r} is not allowed (only text, numbers, lists, mappings)"
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children(node))
    return None


def read_yaml(path: Path) -> Any:
    """The data of a YAML file (a codebook, an actor list), safely loaded, with libyaml's
    parser where PyYAML has it (ten times faster than the pure-Python one, which matters for a
    codebook read once per chunk).

    Plain data only, checked before anything is built from it: at most
    :data:`MAX_YAML_BYTES` bytes, standard tags, and aliases within :data:`MAX_YAML_ALIASES`
    and :data:`MAX_YAML_NODES`; otherwise :class:`~analysis.core.errors.InputError` names the file
    and line, as it does for text that is not YAML (:func:`yaml_problem`) or not UTF-8. Raises
    ``OSError`` (no such file ...) for the caller to report.
    """
    import yaml

    from analysis.core.errors import InputError

    with open(path, "rb") as stream:
        data = stream.read(MAX_YAML_BYTES + 1)
    if len(data) > MAX_YAML_BYTES:
        raise InputError(f"{path}: larger than {MAX_YAML_BYTES:,} bytes: not a codebook or list")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        found = _yaml_problem(root)
        if found is not None:
            node, problem = found
            raise InputError(f"{path}: line {node.start_mark.line + 1}: {problem}")
        return loader.construct_document(root)
    except RecursionError:
        raise InputError(f"{path}: nested too deeply to be a codebook or list") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: {yaml_problem(exc)}") from None
    finally:
        loader.dispose()


def yaml_problem(error: Exception) -> str:
    """Where and why a YAML text could not be parsed, in one line: the line the parser
    stopped at and its reason (the mistake itself may be a line or two before).

    >>> import yaml
    >>> try:
    ...     yaml.safe_load("frames: [a, b")
    ... except yaml.YAMLError as exc:
    ...     print(yaml_problem(exc))
    line 1: not valid YAML (expected ',' or ']', but got '<stream end>')
    """
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}" if mark is not None else "file"
    problem = getattr(error, "problem", None)
    return f"{where}: not valid YAML" + (f" ({problem})" if problem else "")


#: One seed for every random step (bootstrap, topic models, MinHash).
RANDOM_SEED = 20260202

#: Fixed timestamp stamped into SVG/PDF metadata so figures are byte-stable (2026-02-04).
SOURCE_DATE_EPOCH = 1770163200

#: Bootstrap resamples for every interval in the study.
N_BOOTSTRAP = 2000


def display_path(path: Path | str) -> str:
    """Return ``path`` as provenance and messages show it: relative to the project root when
    inside it, else relative to the working folder when inside that, else the file or folder
    name alone (relative to its own folder): never an absolute path of the user's machine.

    Provenance and messages use this so that the same corpus gives the same text whether it was
    named ``corpus``, ``../corpus`` or an absolute path.

    >>> display_path(PROJECT_ROOT / "corpus")
    'corpus'
    """
    resolved = Path(path).resolve()
    for base in (PROJECT_ROOT, Path.cwd().resolve()):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix() or "."
    return resolved.name
