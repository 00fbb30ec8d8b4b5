"""The package's layering: every module imports only from its own layer or the layers below it,
there is no import cycle (imports inside functions included), and no module is over 500 lines.

The layers, bottom to top, are listed in ARCHITECTURE.md; :data:`LAYERS` is the same list.
"""

from __future__ import annotations

import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

from analysis import _moved
from analysis.core.config import PACKAGE_DIR

#: Bottom to top: a module may import from its own layer and from every layer before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("core", ("analysis.core",)),
    ("io", ("analysis.io",)),
    ("text", ("analysis.text",)),
    (
        "questions",
        (
            "analysis.framing",
            "analysis.voices",
            "analysis.sentiment",
            "analysis.reuse",
            "analysis.topics",
            "analysis.distinctive",
            "analysis.kwic",
        ),
    ),
    ("validation", ("analysis.validation",)),
    ("study", ("analysis.study",)),
    ("run", ("analysis.run",)),
    ("outputs", ("analysis.outputs",)),
    ("cli", ("analysis.cli", "analysis.__main__")),
]
#: The package's own ``__init__`` (its version) and the finder of moved names stand outside.
OUTSIDE = {"analysis", "analysis._moved"}
MAX_LINES = 500


def module_files(package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Every module of the package by dotted name."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules that ``name`` imports anywhere in its file, lazy imports included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t == "analysis" or t.startswith("analysis."))
    return found


def layer_of(module: str) -> int | None:
    """The index of ``module``'s layer in :data:`LAYERS`, None for :data:`OUTSIDE`."""
    if module in OUTSIDE:
        return None
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and ARCHITECTURE.md")


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    known = set(modules)
    return {name: imported_modules(name, path, known) & known for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a path that starts and ends at the same module, or None.

    A package's ``__init__`` that imports its own submodules is not a cycle by itself; it is
    one only if a submodule imports the package back.
    """
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_every_module_imports_only_from_its_layer_or_below():
    upward = []
    for module, targets in import_graph().items():
        own = layer_of(module)
        if own is None:
            continue
        for target in sorted(targets):
            theirs = layer_of(target)
            if theirs is not None and theirs > own:
                upward.append(f"{module} ({LAYERS[own][0]}) imports {target} ({LAYERS[theirs][0]})")
    assert upward == []


def test_there_is_no_import_cycle():
    assert find_cycle(import_graph()) is None



def test_the_checks_see_an_upward_import_and_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert layer_of("analysis.cli.main") > layer_of("analysis.study.load") > layer_of("analysis.io")
    lazy = "def f():\n    from analysis.cli.main import main\n"
    path = PACKAGE_DIR / "core" / "_probe_.py"
    try:
        path.write_text(lazy)
        graph = import_graph()
        assert "analysis.cli.main" in graph["analysis.core._probe_"]
    finally:
        path.unlink()


@pytest.mark.parametrize("module", sorted(module_files()))
def test_no_module_is_over_500_lines(module):
    n_lines = len(module_files()[module].read_text(encoding="utf-8").splitlines())
    assert n_lines <= MAX_LINES, f"{module} has {n_lines} lines"


MOVED_WHOLE = sorted(old for old, new in _moved.MOVED.items() if isinstance(new, str))
MOVED_SPLIT = sorted(old for old, new in _moved.MOVED.items() if not isinstance(new, str))


@pytest.mark.parametrize("old", MOVED_WHOLE)
def test_an_old_module_name_is_the_new_module_with_a_warning(old):
    sys.modules.pop(old, None)  # imported earlier in the session: import it afresh
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert module is importlib.import_module(_moved.MOVED[old])
    assert module.__name__ == _moved.MOVED[old]
    assert any(issubclass(w.category, DeprecationWarning) and old in str(w.message) for w in caught)


@pytest.mark.parametrize("old", MOVED_SPLIT)
def test_a_split_module_s_old_name_finds_each_name_where_it_went_with_a_warning(old, monkeypatch):
    for name in [old, *(n for n in sys.modules if n.startswith(old + "."))]:
        monkeypatch.delitem(sys.modules, name, raising=False)  # imported anew, warning again
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
    assert module.__name__ == old
    assert any(issubclass(w.category, DeprecationWarning) and old in str(w.message) for w in caught)
    targets = [importlib.import_module(new) for new in _moved.MOVED[old]]
    for index, target in enumerate(targets):
        for name, value in vars(target).items():
            if name.startswith("_") or getattr(value, "__module__", None) != target.__name__:
                continue  # its own public functions and classes, not what it imports
            if not any(hasattr(earlier, name) for earlier in targets[:index]):
                assert getattr(module, name) is value, f"{old}.{name}"
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        module.no_such_name  # noqa: B018


def test_the_old_stream_module_s_names_resolve():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from analysis.corpus import Problem, load_corpus, parse_date
        from analysis.stream import (
            ColumnMap,
            check_corpus,
            chunk_key,
            corpus_warnings,
            measure_corpus,
            outlet_summary,
            write_run,
        )
    assert ColumnMap.__module__ == check_corpus.__module__ == "analysis.io.chunks"
    assert corpus_warnings.__module__ == Problem.__module__ == parse_date.__module__
    assert chunk_key.__module__ == "analysis.run.cache"
    assert measure_corpus.__module__ == "analysis.run.corpus"
    assert outlet_summary.__module__ == write_run.__module__ == "analysis.run.summary"
    assert load_corpus.__module__ == "analysis.io.corpus"
