"""Import a fresh copy of ``reference_app`` with some of its modules taken from other files.

This is how a learner's skeleton is graded inside the complete app: every module comes
from ``reference_app/`` except the ones the chapter swaps for the learner's files.
Each load starts from a clean slate, so one chapter's files never leak into another's.
"""

import importlib
import importlib.abc
import importlib.util
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

PACKAGE = "reference_app"


class _SwapFinder(importlib.abc.MetaPathFinder):
    """Find the swapped modules at their stand-in files; leave the rest to the usual finders."""

    def __init__(self, swaps: Mapping[str, Path]) -> None:
        self.swaps = dict(swaps)

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> ModuleSpec | None:
        if fullname in self.swaps:
            return importlib.util.spec_from_file_location(fullname, self.swaps[fullname])
        return None


def _forget_package() -> None:
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


@contextmanager
def swapped_reference_app(swaps: Mapping[str, Path]) -> Iterator[ModuleType]:
    """Yield a freshly imported ``reference_app`` whose modules in ``swaps`` come from those files.

    The import can fail (a learner's file with a syntax error, say): the exception
    propagates, and the slate is cleaned all the same.
    """
    finder = _SwapFinder(swaps)
    _forget_package()
    sys.meta_path.insert(0, finder)
    try:
        package = importlib.import_module(PACKAGE)
        for module in swaps:  # import each swapped module even if the package does not
            importlib.import_module(module)
        yield package
    finally:
        sys.meta_path.remove(finder)
        _forget_package()
