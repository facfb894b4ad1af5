"""Show a chapter's reference implementation after the exercise, never before.

A notebook ends its exercise with a cell that calls ``reveal("NN")``. It grades the
chapter first and shows the reference files only when every task passes; a learner
who wants to look sooner asks for it in so many words, ``reveal("NN", now=True)``.
The committed notebooks keep no output of that cell (``make notebooks`` drops it), so
neither the notebook file nor Run All shows the answer before it is asked for.
"""

import ast
import importlib

from workbook import progress
from workbook.chapters import Chapter, find_chapter
from workbook.listing import show

# The cell tag that tells nbval to run a reveal cell without comparing what it shows (a
# tag, not a comment, so that the learner reads no note meant for the notebook tests).
IGNORE_OUTPUT = "nbval-ignore-output"


def reveal(chapter: str, *, now: bool = False) -> None:
    """Show the chapter's reference files if its exercise passes, or straight away with ``now``."""
    found = find_chapter(chapter)
    if now or _finished(found):
        for file in found.files:
            show(importlib.import_module(file.module))


def _finished(chapter: Chapter) -> bool:
    """Grade ``chapter``; say what is left and how to look anyway when it does not pass."""
    ask = f'to look now, run reveal("{chapter.number}", now=True) in a cell of your own.'
    try:
        board = progress.grade([chapter])
    except progress.GradingError as error:
        print(f"{error.message}\nThe reference stays hidden until the grader runs; {ask}")
        return False
    statuses = [board.task_status(chapter, task.number) for task in chapter.tasks]
    passed = statuses.count("passed")
    if passed == len(chapter.tasks):
        return True
    print(
        f"Chapter {chapter.number}'s exercise passes {passed} of {len(statuses)} tasks, so its "
        f"reference stays hidden. Finish it first (pytest exercises/{chapter.slug}), then "
        f"run this cell again; or, {ask}"
    )
    return False


def is_reveal_cell(source: str) -> bool:
    """Whether a notebook cell's code calls ``reveal``: its output is never stored."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "reveal"
        for node in ast.walk(tree)
    )
