"""The module names of version 0.1 that moved into layer packages, kept working for one version.

``import analysis.pipeline`` (or ``from analysis.pipeline import load_study``) still works: it
returns the module's new home, :mod:`analysis.study.load`, and warns with a
:class:`DeprecationWarning` that names it. The old names go in version 0.3.

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
import warnings

#: Old module name -> where it lives now. A package's submodules follow it (``analysis.figures.
#: spec`` is ``analysis.outputs.figures.spec``).
MOVED: dict[str, str] = {
    "analysis.errors": "analysis.core.errors",
    "analysis.config": "analysis.core.config",
    "analysis.progress": "analysis.core.progress",
    "analysis.parallel": "analysis.core.parallel",
    "analysis.uncertainty": "analysis.core.uncertainty",
    "analysis.corpus": "analysis.io.corpus",
    "analysis.cleaning": "analysis.text.cleaning",
    "analysis.sentences": "analysis.text.sentences",
    # split into analysis.framing.patterns and .codebook; the package has all its names
    "analysis.codebook": "analysis.framing",
    "analysis.hand_coding": "analysis.validation.hand_coding",
    "analysis.pipeline": "analysis.study.load",
    "analysis.measures": "analysis.study.measures",
    "analysis.extended": "analysis.study.extended",
    "analysis.coding": "analysis.study.coding",
    "analysis.frame_evaluation": "analysis.study.frame_evaluation",
    "analysis.provenance": "analysis.study.provenance",
    "analysis.stream": "analysis.run.stream",
    "analysis.figures": "analysis.outputs.figures",
    "analysis.report": "analysis.outputs.report",
    "analysis.cite": "analysis.outputs.cite",
    "analysis.findings": "analysis.outputs.findings",
}


def new_name(old: str) -> str | None:
    """Where the module once called ``old`` lives now, or None if it did not move.

    >>> new_name("analysis.figures.spec")
    'analysis.outputs.figures.spec'
    >>> new_name("analysis.reuse") is None
    True
    """
    for before, after in MOVED.items():
        if old == before or old.startswith(before + "."):
            return after + old[len(before) :]
    return None


class _Alias(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec):  # noqa: ANN001, D102
        return importlib.import_module(self.target)

    def exec_module(self, module) -> None:  # noqa: ANN001, D102
        pass


class MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Finds a moved module under its old name, returning the new module with a warning."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001, ANN201, D102
        target_name = new_name(fullname)
        if target_name is None:
            return None
        warnings.warn(
            f"{fullname} moved to {target_name}; the old name will be removed in version 0.3",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.util.spec_from_loader(fullname, _Alias(target_name))


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (before the path finder, which would load a
    second copy of a moved package's submodule under its old name), once."""
    if not any(isinstance(finder, MovedModuleFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, MovedModuleFinder())
