"""Import a fresh copy of ``reference_app`` with some of its modules compiled from other code.

This is how a learner's file is graded inside the complete app: every module comes
from ``reference_app/`` except the ones a chapter swaps for the learner's files (as
``workbook.grading.compose`` compiles them). Each load starts from a clean slate, so
one chapter's files never leak into another's; a loaded copy can be put back in
``sys.modules`` later (``activate``), so that the grader keeps a few at hand.
"""

import importlib
import importlib.abc
import importlib.util
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import CodeType, ModuleType

PACKAGE = "reference_app"


@dataclass(frozen=True)
class Swap:
    """A module's stand-in: the file it is read from, and how to compile it."""

    path: Path
    compile: Callable[[], CodeType]


class _CompiledLoader(importlib.abc.Loader):
    """Run a swapped module's code, compiled when the module is imported."""

    def __init__(self, swap: Swap) -> None:
        self.swap = swap

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        exec(self.swap.compile(), module.__dict__)


class _SwapFinder(importlib.abc.MetaPathFinder):
    """Find the swapped modules; leave the rest to the usual finders."""

    def __init__(self, swaps: Mapping[str, Swap]) -> None:
        self.swaps = dict(swaps)

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> ModuleSpec | None:
        if fullname not in self.swaps:
            return None
        swap = self.swaps[fullname]
        spec = importlib.util.spec_from_loader(
            fullname, _CompiledLoader(swap), origin=str(swap.path)
        )
        assert spec is not None
        spec.has_location = True  # so that the module's __file__ is the learner's file
        return spec


def _package_modules() -> dict[str, ModuleType]:
    return {
        name: module
        for name, module in sys.modules.items()
        if name == PACKAGE or name.startswith(f"{PACKAGE}.")
    }


def forget() -> None:
    """Take every module of ``reference_app`` out of ``sys.modules``."""
    for name in _package_modules():
        del sys.modules[name]


@dataclass(frozen=True)
class LoadedPackage:
    """A copy of ``reference_app`` and every module of it, as imported."""

    package: ModuleType
    modules: dict[str, ModuleType]

    def activate(self) -> ModuleType:
        """Make this copy the one that ``import reference_app`` finds; return its package."""
        forget()
        sys.modules.update(self.modules)
        return self.package


def load(swaps: Mapping[str, Swap]) -> LoadedPackage:
    """Import a fresh ``reference_app`` whose modules in ``swaps`` are compiled from those.

    The import can fail (a learner's file with a syntax error, say): the exception
    propagates, and the slate is cleaned all the same.
    """
    finder = _SwapFinder(swaps)
    forget()
    sys.meta_path.insert(0, finder)
    try:
        package = importlib.import_module(PACKAGE)
        for module in swaps:  # import each swapped module even if the package does not
            importlib.import_module(module)
        return LoadedPackage(package, _package_modules())
    except BaseException:
        forget()
        raise
    finally:
        sys.meta_path.remove(finder)
