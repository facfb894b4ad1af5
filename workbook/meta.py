"""A chapter's maintainer files in ``exercises/NN_slug/.meta/``: its rules, other right answers.

- ``rules.toml``: each rule the chapter teaches (its README, TODOs, hints, notebook),
  with the task it belongs to and the grading tests that fail when it is broken;
- ``alternatives.toml``: other correct answers, as edits of the solution, that the
  grader must pass (a different but equivalent structure, another API that does the job).

A learner's folder listing leaves ``.meta/`` out: nothing in it is theirs to edit.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from workbook.chapters import Chapter

META = ".meta"


@dataclass(frozen=True)
class Rule:
    """One rule a chapter teaches, and the tests that fail when it is broken."""

    task: int
    rule: str
    tests: tuple[str, ...]


@dataclass(frozen=True)
class Edit:
    """Replace ``find``, which must occur exactly once, with ``replace`` in one chapter file."""

    file: str
    find: str
    replace: str


@dataclass(frozen=True)
class Alternative:
    """Another correct answer to a task: edits of the solution that the grader must pass."""

    id: str
    task: int
    why: str
    edits: tuple[Edit, ...]


def _read(chapter: Chapter, name: str) -> dict:
    path = chapter.exercise_dir / META / name
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def rules(chapter: Chapter) -> list[Rule]:
    """The chapter's rules, in the order written."""
    return [
        Rule(entry["task"], entry["rule"], tuple(entry["tests"]))
        for entry in _read(chapter, "rules.toml").get("rule", [])
    ]


def alternatives(chapter: Chapter) -> list[Alternative]:
    """The chapter's other correct answers."""
    return [
        Alternative(
            entry["id"],
            entry["task"],
            entry["why"],
            tuple(Edit(e["file"], e["find"], e["replace"]) for e in entry["edit"]),
        )
        for entry in _read(chapter, "alternatives.toml").get("alternative", [])
    ]


def apply(edits: tuple[Edit, ...], folder: Path) -> None:
    """Make ``edits`` to the files in ``folder`` (a chapter's folder of answers)."""
    for edit in edits:
        path = folder / edit.file
        text = path.read_text(encoding="utf-8")
        found = text.count(edit.find)
        if found != 1:
            raise LookupError(
                f"{path.name}: the text to replace occurs {found} times, not once: {edit.find!r}"
            )
        path.write_text(text.replace(edit.find, edit.replace), encoding="utf-8")
