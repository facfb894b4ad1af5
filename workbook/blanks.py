"""The blanks of a module: what a task names (``file.py:QualName``), found in a file's syntax tree.

A blank is a function or class whose body the skeleton takes out, or an annotated class
attribute (a mapped column) that the skeleton drops. The generator blanks them
(``workbook.skeletons``); the grader asks, of a learner's file, which ones are still
as the skeleton left them (``workbook.grading.compose``).
"""

import ast
from enum import Enum

# What a task can blank: a function's body, a class's body, or an annotated attribute.
Blank = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.AnnAssign


class State(Enum):
    """Where a learner's file stands on one blank."""

    UNTOUCHED = "as the skeleton left it"
    ANSWERED = "written"
    MISSING = "not in the file"  # renamed or restructured: a function or class that is gone


def name_of(node: ast.stmt) -> str | None:
    """The name a statement defines, if it is a function, a class or an annotated attribute."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def find(tree: ast.Module, qualname: str) -> Blank | None:
    """Return the node that ``qualname`` ("Class.method", "function") names, or None."""
    scope: list[ast.stmt] = tree.body
    node: ast.stmt | None = None
    for part in qualname.split("."):
        node = next((n for n in scope if name_of(n) == part), None)
        if node is None:
            return None
        scope = getattr(node, "body", [])
    assert isinstance(node, Blank)
    return node


def owner(tree: ast.Module, qualname: str) -> tuple[list[ast.stmt], int] | None:
    """Return the body that holds ``qualname`` and its position there, or None."""
    parent, _, name = qualname.rpartition(".")
    scope = tree.body
    if parent:
        holder = find(tree, parent)
        if not isinstance(holder, ast.ClassDef):
            return None
        scope = holder.body
    for index, node in enumerate(scope):
        if name_of(node) == name:
            return scope, index
    return None


def state(tree: ast.Module, qualname: str, *, attribute: bool) -> State:
    """Where ``tree`` stands on the blank ``qualname`` (an attribute blank when ``attribute``).

    A skeleton drops an attribute blank, so an absent attribute is untouched; it keeps a
    function's signature and raises "task N not started", and keeps a class with nothing
    but its docstring.
    """
    node = find(tree, qualname)
    if node is None:
        return State.UNTOUCHED if attribute else State.MISSING
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        untouched = any(_raises_not_started(child) for child in ast.walk(node))
        return State.UNTOUCHED if untouched else State.ANSWERED
    if isinstance(node, ast.ClassDef):
        untouched = all(_is_placeholder(statement) for statement in node.body)
        return State.UNTOUCHED if untouched else State.ANSWERED
    return State.ANSWERED


def _raises_not_started(node: ast.AST) -> bool:
    """Whether ``node`` is the skeleton's ``raise NotImplementedError("task N not started")``."""
    if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
        return False
    called = node.exc.func
    if not (isinstance(called, ast.Name) and called.id == "NotImplementedError"):
        return False
    return any(
        isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "not started" in arg.value
        for arg in node.exc.args
    )


def _is_placeholder(statement: ast.stmt) -> bool:
    """A docstring, ``pass`` or ``...``: what a class body holds before a task is answered."""
    if isinstance(statement, ast.Pass):
        return True
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
