"""The module names of version 0.1 that moved into layer packages, kept working for one version.

``import analysis.pipeline`` (or ``from analysis.pipeline import load_study``) still works: it
returns the module's new home, :mod:`analysis.study.load`, and warns with a
:class:`DeprecationWarning` that names it. A module whose names went to several modules
(``analysis.stream``) is a stand-in that finds each name in the first of them that has it. The
old names go in version 0.3.

Examples
--------
>>> import sys, warnings
>>> _ = sys.modules.pop("analysis.pipeline", None)  # a first import, as in a fresh session
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from analysis.pipeline import load_study
>>> load_study.__module__, caught[0].category.__name__
('analysis.study.load', 'DeprecationWarning')
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
import warnings

#: Old module name -> where it lives now. A package's submodules follow it (``analysis.figures.
#: spec`` is ``analysis.outputs.figures.spec``). A module split in several: the one with most of
#: its names first, then the others, searched in that order.
MOVED: dict[str, str | tuple[str, ...]] = {
    "analysis.errors": "analysis.core.errors",
    "analysis.config": "analysis.core.config",
    "analysis.progress": "analysis.core.progress",
    "analysis.parallel": "analysis.core.parallel",
    "analysis.uncertainty": "analysis.core.uncertainty",
    "analysis.corpus": ("analysis.io.corpus", "analysis.io.checks"),
    "analysis.cleaning": "analysis.text.cleaning",
    "analysis.sentences": "analysis.text.sentences",
    # split into analysis.framing.patterns and .codebook; the package has all its names
    "analysis.codebook": "analysis.framing",
    "analysis.hand_coding": "analysis.validation.hand_coding",
    "analysis.pipeline": "analysis.study.load",
    "analysis.measures": "analysis.study.measures",
    "analysis.extended": (
        "analysis.study.extended",
        "analysis.study.extended_measures",
        "analysis.study.extended_tables",
    ),
    "analysis.coding": "analysis.study.coding",
    "analysis.frame_evaluation": "analysis.study.frame_evaluation",
    "analysis.provenance": "analysis.study.provenance",
    "analysis.stream": (
        "analysis.io.chunks",
        "analysis.run.corpus",
        "analysis.run.cache",
        "analysis.run.summary",
        "analysis.io.checks",
    ),
    "analysis.figures": "analysis.outputs.figures",
    "analysis.report": "analysis.outputs.report",
    "analysis.cite": "analysis.outputs.cite",
    "analysis.findings": "analysis.outputs.findings",
}


def new_names(old: str) -> tuple[str, ...] | None:
    """Where the module once called ``old`` lives now (several modules if it was split), or None
    if it did not move.

    >>> new_names("analysis.figures.spec")
    ('analysis.outputs.figures.spec',)
    >>> new_names("analysis.corpus")
    ('analysis.io.corpus', 'analysis.io.checks')
    >>> new_names("analysis.reuse") is None
    True
    """
    for before, after in MOVED.items():
        if isinstance(after, str) and old.startswith(before + "."):
            return (after + old[len(before) :],)
        if old == before:
            return (after,) if isinstance(after, str) else after
    return None


def _stand_in(name: str, targets: tuple[str, ...]) -> types.ModuleType:
    """A module called ``name`` whose every name is that of the first of ``targets`` having it."""
    modules = [importlib.import_module(target) for target in targets]
    stand_in = types.ModuleType(name, f"Moved to {', '.join(targets)}.")

    def __getattr__(attribute: str) -> object:  # noqa: N807 (a module's __getattr__, PEP 562)
        for module in modules:  # its own __spec__, __file__ ... are the import system's
            if not attribute.startswith("__") and hasattr(module, attribute):
                return getattr(module, attribute)
        raise AttributeError(f"module {name!r} has no attribute {attribute!r}")

    stand_in.__getattr__ = __getattr__
    return stand_in


class _Alias(importlib.abc.Loader):
    def __init__(self, targets: tuple[str, ...]) -> None:
        self.targets = targets

    def create_module(self, spec):  # noqa: ANN001, D102
        if len(self.targets) == 1:
            return importlib.import_module(self.targets[0])
        return _stand_in(spec.name, self.targets)

    def exec_module(self, module) -> None:  # noqa: ANN001, D102
        pass


class MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Finds a moved module under its old name, returning the new module with a warning."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001, ANN201, D102
        targets = new_names(fullname)
        if targets is None:
            return None
        warnings.warn(
            f"{fullname} moved to {', '.join(targets)}; the old name will be removed in "
            "version 0.3",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.util.spec_from_loader(fullname, _Alias(targets))


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (before the path finder, which would load a
    second copy of a moved package's submodule under its old name), once."""
    if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, MovedModuleFinder())
