"""A learner's file with some of its blanks taken from the reference: how a task is judged alone.

To grade task 3 on its own, the learner's file is compiled with the bodies of the
other tasks' blanks taken from the reference module, and everything else (their task
3, their helpers, their imports) as they wrote it. The learner's lines keep their line
numbers and their file name, so a traceback through their code points at their file;
the reference's functions keep the reference's file name and lines, so nothing the
reference runs is ever blamed on the learner.
"""

import ast
import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

from workbook.blanks import find, owner

# Reference nodes are moved this far down while the two files are one syntax tree, so
# that their code objects can be told apart from the learner's and given back the
# reference's file name and line numbers. No exercise file comes near this many lines.
REFERENCE_LINES = 1_000_000


@dataclass(frozen=True)
class Source:
    """A Python file's text and where it lives."""

    path: Path
    text: str


def compose(learner: Source, reference: Source, from_reference: Iterable[str]) -> CodeType:
    """Compile ``learner`` with each blank in ``from_reference`` as ``reference`` has it.

    A blank that the learner's file no longer has is added only when it is a class
    attribute (the skeleton drops those); a function or class that the learner removed
    or renamed stays out, since their file is built another way.
    """
    tree = ast.parse(learner.text, filename=str(learner.path))
    reference_tree = ast.parse(reference.text, filename=str(reference.path))
    for qualname in sorted(from_reference):
        theirs = find(reference_tree, qualname)
        if theirs is None:
            raise LookupError(f"{reference.path} has no {qualname}")
        moved = ast.increment_lineno(copy.deepcopy(theirs), REFERENCE_LINES)
        if (place := owner(tree, qualname)) is not None:
            body, index = place
            body[index] = moved
        elif isinstance(theirs, ast.AnnAssign) and (cls := _class_of(tree, qualname)):
            cls.body.append(moved)
    code = compile(tree, str(learner.path), "exec", dont_inherit=True)
    return _retarget(code, str(reference.path))


def _class_of(tree: ast.Module, qualname: str) -> ast.ClassDef | None:
    parent = qualname.rpartition(".")[0]
    node = find(tree, parent) if parent else None
    return node if isinstance(node, ast.ClassDef) else None


def _retarget(code: CodeType, reference_path: str) -> CodeType:
    """Give each code object that came from the reference its file name and lines back."""
    consts = tuple(
        _retarget(const, reference_path) if isinstance(const, CodeType) else const
        for const in code.co_consts
    )
    if code.co_firstlineno > REFERENCE_LINES:
        return code.replace(
            co_consts=consts,
            co_filename=reference_path,
            co_firstlineno=code.co_firstlineno - REFERENCE_LINES,
        )
    return code.replace(co_consts=consts)


def from_the_reference(lineno: int) -> bool:
    """Whether a line number in a learner's file is a reference statement moved into it.

    Only a class attribute taken from the reference runs in the learner's class body,
    under the learner's file name, at such a line.
    """
    return lineno > REFERENCE_LINES
