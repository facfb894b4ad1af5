"""The automatic mutation operators: each proposes edits of one kind of node.

- ``flip``: a comparison negated (``==``/``!=``, ``<``/``>=``, ``is``/``is not``, ``in``/...);
- ``and-or``: ``and`` for ``or``, and back;
- ``not``: a ``not`` removed; ``negate-if``: any other ``if`` test negated;
- ``constant``: ``True``/``False`` swapped, a number plus one, a string emptied;
- ``drop-kwarg``: one keyword argument of a call left out;
- ``drop-method``: a method call with no arguments left out (``x.strip()`` for ``x``);
- ``drop-call``, ``drop-raise``, ``drop-assign``: a call statement (a commit, a
  registration), a ``raise``, or a store into an attribute, an item or a class field,
  replaced by ``pass``;
- ``return-none``: ``return X`` made ``return None``.
"""

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass

FLIPS = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}


@dataclass(frozen=True)
class Edit:
    """Replace the code of ``target`` (a node of the finished file) by ``replacement``."""

    operator: str
    target: ast.AST
    replacement: str
    detail: str = ""  # which part of the target: the keyword dropped, the operator flipped


def edits(region: list[ast.AST], *, in_class: bool) -> Iterator[Edit]:
    """Yield every edit of the nodes under ``region``, in source order."""
    parents = {
        id(child): node
        for root in region
        for node in ast.walk(root)
        for child in ast.iter_child_nodes(node)
    }
    nodes = [node for root in region for node in ast.walk(root)]
    nodes.sort(key=lambda node: (getattr(node, "lineno", 0), getattr(node, "col_offset", 0)))
    for node in nodes:
        parent = parents.get(id(node))
        yield from _expression_edits(node, parent)
        yield from _statement_edits(node, class_level=in_class and parent is None)


def _expression_edits(node: ast.AST, parent: ast.AST | None) -> Iterator[Edit]:
    if isinstance(node, ast.Compare):
        for index, op in enumerate(node.ops):
            flipped = copy.deepcopy(node)
            flipped.ops[index] = FLIPS[type(op)]()
            symbols = f"{_symbol(op)}->{_symbol(flipped.ops[index])}"
            yield Edit("flip", node, f"({ast.unparse(flipped)})", symbols)
    elif isinstance(node, ast.BoolOp):
        swapped = ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
        yield Edit("and-or", node, f"({ast.unparse(swapped)})")
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield Edit("not", node, f"({ast.unparse(node.operand)})")
    elif isinstance(node, ast.Constant) and not isinstance(parent, ast.JoinedStr):
        if (changed := _changed_constant(node.value)) is not None:
            yield Edit("constant", node, repr(changed))
    elif isinstance(node, ast.Call):
        yield from _call_edits(node, parent)


def _symbol(op: ast.cmpop) -> str:
    """The comparison's operator as written: ``==``, ``is not``..."""
    return ast.unparse(ast.Compare(ast.Name("a"), [op], [ast.Name("b")]))[2:-2]


def _changed_constant(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str) and value:
        return ""
    return None  # None, an empty string, bytes: nothing meaningful to change


def _call_edits(node: ast.Call, parent: ast.AST | None) -> Iterator[Edit]:
    for keyword in node.keywords:
        if keyword.arg is not None:
            fewer = copy.deepcopy(node)
            fewer.keywords = [k for k in fewer.keywords if k.arg != keyword.arg]
            yield Edit("drop-kwarg", node, f"({ast.unparse(fewer)})", keyword.arg)
    called = node.func
    method = isinstance(called, ast.Attribute) and not node.args and not node.keywords
    # A call that is a statement of its own is drop-call's to drop.
    if method and isinstance(called, ast.Attribute) and not isinstance(parent, ast.Expr):
        yield Edit("drop-method", node, f"({ast.unparse(called.value)})")


def _statement_edits(node: ast.AST, *, class_level: bool) -> Iterator[Edit]:
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        yield Edit("drop-call", node, "pass")
    elif isinstance(node, ast.Raise):
        yield Edit("drop-raise", node, "pass")
    elif isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            yield Edit("return-none", node, "return None")
    elif isinstance(node, ast.Assign) and (
        class_level or any(isinstance(t, ast.Attribute | ast.Subscript) for t in node.targets)
    ):
        yield Edit("drop-assign", node, "pass")
    elif isinstance(node, ast.If) and not _has_own_operator(node.test):
        yield Edit("negate-if", node.test, f"not ({ast.unparse(node.test)})")


def _has_own_operator(test: ast.expr) -> bool:
    """Whether flip, and-or or not already mutates this ``if`` test."""
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    return negated or isinstance(test, ast.Compare | ast.BoolOp)
