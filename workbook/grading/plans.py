"""What a graded test runs against: the chapter's files, composed for the test's task.

A task is judged on its own. Its tests run against the learner's files in which the
other tasks' blanks are filled from the reference app, so that a task not yet started,
or one written wrong, changes nothing for the others. Two ways of filling them:

- ``YOURS``: only the blanks still as the skeleton left them come from the reference;
  the learner's answers to the other tasks stay. Their app, as far as it goes.
- ``ALONE``: every other task's blanks come from the reference.

A test runs against ``YOURS`` first; only if it fails there is it run ``ALONE`` (see
``workbook.grading.plugin``). So work that moves a step from one task's function to
another's still passes, and a wrong answer to one task is never a failure of another.
"""

import ast
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from pathlib import Path

import pytest

from workbook.blanks import State, find, state
from workbook.chapters import ROOT, Chapter, ExerciseFile
from workbook.grading.compose import Source, compose
from workbook.grading.loader import Swap


def task_of(item: pytest.Item) -> int:
    """The task number that a graded test's ``@pytest.mark.task(taskno=N)`` names."""
    marker = item.get_closest_marker("task")
    if marker is None or not isinstance(marker.kwargs.get("taskno"), int):
        raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.task(taskno=N) marker")
    return marker.kwargs["taskno"]


class Mode(Enum):
    """Where the other tasks' blanks come from (see the module's docstring)."""

    YOURS = "with your other tasks"
    ALONE = "alone"


MODE = pytest.StashKey[Mode]()  # on a test item: how its run fills the other tasks' blanks


@dataclass(frozen=True)
class FilePlan:
    """One chapter file as graded: the learner's text, and the blanks taken from the reference."""

    file: ExerciseFile
    learner: Source
    from_reference: frozenset[str]

    def swap(self) -> Swap:
        """The module stand-in that ``workbook.grading.loader`` imports."""
        reference = ROOT / self.file.source
        source = Source(reference, reference.read_text(encoding="utf-8"))
        return Swap(self.learner.path, lambda: compose(self.learner, source, self.from_reference))


@dataclass(frozen=True)
class Plan:
    """Every file of a chapter as one task's test runs it; equal plans load the same app."""

    chapter_slug: str
    files: tuple[FilePlan, ...]

    def swaps(self) -> dict[str, Swap]:
        return {plan.file.module: plan.swap() for plan in self.files}


class LearnerFiles:
    """A chapter's files in the graded folder, read and parsed once per grading run."""

    def __init__(self, chapter: Chapter, folder: Path) -> None:
        self.chapter = chapter
        self.folder = folder

    def path(self, file: ExerciseFile) -> Path:
        return self.folder / self.chapter.slug / file.name

    @cached_property
    def texts(self) -> dict[str, str]:
        """Each file's text, by file name."""
        return {f.name: self.path(f).read_text(encoding="utf-8") for f in self.chapter.files}

    @cached_property
    def states(self) -> dict[str, State]:
        """Where the learner stands on each blank ("file.py:QualName") of the chapter.

        A file that does not parse is left to the import, which reports its error.
        """
        states = {}
        for file in self.chapter.files:
            try:
                tree = ast.parse(self.texts[file.name])
            except SyntaxError:
                continue
            reference = ast.parse((ROOT / file.source).read_text(encoding="utf-8"))
            for task in self.chapter.tasks:
                for blank in task.blanks:
                    name, _, qualname = blank.partition(":")
                    if name == file.name:
                        attribute = isinstance(find(reference, qualname), ast.AnnAssign)
                        states[blank] = state(tree, qualname, attribute=attribute)
        return states

    def plan(self, task: int, mode: Mode) -> Plan:
        """The chapter's files as task ``task``'s tests run them in ``mode``."""
        taken = {
            blank
            for other in self.chapter.tasks
            if other.number != task
            for blank in other.blanks
            if _from_reference(self.states.get(blank), mode)
        }
        files = tuple(
            FilePlan(
                file,
                Source(self.path(file), self.texts[file.name]),
                frozenset(b.partition(":")[2] for b in taken if b.partition(":")[0] == file.name),
            )
            for file in self.chapter.files
        )
        return Plan(self.chapter.slug, files)


def _from_reference(where: State | None, mode: Mode) -> bool:
    """Whether a blank of another task comes from the reference in ``mode``."""
    if where is None or where is State.MISSING:  # a file that does not parse; a removed function
        return False
    return mode is Mode.ALONE or where is State.UNTOUCHED
