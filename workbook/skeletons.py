"""A skeleton: a reference module with the bodies that a chapter's tasks name blanked.

A function keeps its signature and docstring and raises ``NotImplementedError("task N
not started: ...")``; a class keeps its docstring and gets a TODO. Everything else,
imports and comments included, stays.

A task may also name an annotated class attribute, such as a mapped column
(``models.py:Post.title`` for ``title: Mapped[str] = mapped_column(...)``). The skeleton
drops the whole statement, with the comment lines right above it, so the class still
imports and maps (keep its primary key out of the blanks). The first attribute that a
task names in each class leaves the task's TODO in its place.
"""

import ast
import re
import subprocess
import sys
import textwrap
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from workbook.blanks import Blank, find
from workbook.chapters import ROOT, Chapter, ExerciseFile, Task

SKELETON_HEADER = (
    "# Chapter {number} exercise: fill in each TODO, then grade your work with\n"
    "#     pytest exercises/{slug}\n"
    "# This file stands in for {source} inside the complete app.\n\n"
)


def find_blank(tree: ast.Module, qualname: str) -> Blank:
    """Return the function, class or annotated attribute that ``qualname`` names in ``tree``."""
    node = find(tree, qualname)
    if node is None:
        raise LookupError(f"no {qualname!r} to blank")
    return node


def _docstring_end(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, qualname: str
) -> int:
    first = node.body[0]
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
        raise LookupError(f"{qualname} needs a docstring to keep in its skeleton")
    assert first.end_lineno is not None
    return first.end_lineno


def _todo(task: Task, indent: str, first: str | None = None) -> list[str]:
    """The task's TODO comment; after the ``first`` blank of a task, one line pointing there."""
    text = task.todo if first is None else f"as the TODO at {first} says."
    todo = textwrap.wrap(
        f"TODO(task {task.number}): {text}", width=88 - len(indent), subsequent_indent="  "
    )
    return [f"{indent}# {line}\n" for line in todo]


def _attribute_start(node: ast.AnnAssign, lines: list[str]) -> int:
    """Return the 0-based line where ``node`` starts, counting the comment lines above it."""
    start = node.lineno - 1
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


def _replacement(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef,
    qualname: str,
    task: Task,
    chapter: Chapter,
    file: ExerciseFile,
    first: str | None,
) -> list[str]:
    indent = " " * (node.col_offset + 4)
    lines = _todo(task, indent, first)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        lines += [
            f"{indent}raise NotImplementedError(\n",
            f'{indent}    "task {task.number} not started: implement {qualname}"\n',
            f'{indent}    " in exercises/{chapter.slug}/{file.name}"\n',
            f"{indent})\n",
        ]
    return lines


def blank(source: str, file: ExerciseFile, chapter: Chapter) -> str:
    """Return ``source`` with what the chapter's tasks name for ``file`` blanked."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []
    for task in chapter.tasks:
        # The task's whole TODO goes at its first blank in the file; the others point there.
        first: str | None = None
        classes_with_todo = set()  # where this task's attribute blanks left a TODO
        here = [t.split(":")[1] for t in task.blanks if t.split(":")[0] == file.name]
        for qualname in sorted(here, key=lambda name: find_blank(tree, name).lineno):
            node = find_blank(tree, qualname)
            assert node.end_lineno is not None
            if isinstance(node, ast.AnnAssign):
                owner = qualname.rpartition(".")[0]
                indent = " " * node.col_offset
                todo = [] if owner in classes_with_todo else _todo(task, indent, first)
                classes_with_todo.add(owner)
                edits.append((_attribute_start(node, lines), node.end_lineno, todo))
            else:
                start = _docstring_end(node, qualname)  # 1-based line of the docstring's end
                replacement = _replacement(node, qualname, task, chapter, file, first)
                edits.append((start, node.end_lineno, replacement))
            first = first or qualname
    for start, end, replacement in sorted(edits, reverse=True):
        lines[start:end] = replacement
    header = SKELETON_HEADER.format(number=chapter.number, slug=chapter.slug, source=file.source)
    return _ruff_format(header + "".join(lines), chapter.exercise_dir / file.name)


def skeleton(chapter: Chapter, file: ExerciseFile, tasks: Collection[int] | None = None) -> str:
    """The skeleton of ``file`` as the generator writes it; only ``tasks`` blanked, if given."""
    if tasks is not None:
        chapter = replace(chapter, tasks=tuple(t for t in chapter.tasks if t.number in tasks))
    return blank((ROOT / file.source).read_text(encoding="utf-8"), file, chapter)


def _ruff_format(text: str, path: Path) -> str:
    """Format ``text`` as ``ruff format`` would ``path``, so that `make test`'s check agrees."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


# The line each blanked body raises: still there, the learner has not answered its task.
NOT_STARTED = re.compile(r"task \d+ not started: [^\"']+")


def answered(on_disk: str, skeleton: str) -> bool:
    """Whether a learner answered a task in ``on_disk``: a skeleton's "not started" is gone.

    It needs no history, so it holds without git and for work already committed.
    """
    return any(marker not in on_disk for marker in NOT_STARTED.findall(skeleton))
