"""The chapters of the workbook, read from each ``exercises/NN_slug/exercise.toml``.

A manifest names the reference modules a chapter's learner edits and, per task, the
functions or classes whose bodies the skeleton leaves for the learner to write.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "solutions"
MANIFEST = "exercise.toml"


def shown(path: Path) -> str:
    """Return ``path`` as a learner would type it: relative to the workbook when inside it."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


@dataclass(frozen=True)
class Task:
    """One numbered task: what to write, and which bodies the skeleton blanks for it."""

    number: int
    title: str
    todo: str
    blanks: tuple[str, ...]  # "file.py:QualName", e.g. "schemas.py:UserCreateSchema"


@dataclass(frozen=True)
class ExerciseFile:
    """A reference module that the learner rewrites: ``reference_app/x.py`` as ``x.py``."""

    source: str  # path from the repository root, e.g. "reference_app/auth/tokens.py"

    @property
    def name(self) -> str:
        """The file's name in the exercise and solution folders."""
        return Path(self.source).name

    @property
    def module(self) -> str:
        """The dotted module name the file stands in for."""
        return self.source.removesuffix(".py").replace("/", ".")


@dataclass(frozen=True)
class Chapter:
    """One chapter: its folder name, its files and its tasks."""

    slug: str  # "01_application_factory"
    title: str
    minutes: int
    files: tuple[ExerciseFile, ...]
    tasks: tuple[Task, ...]

    @property
    def number(self) -> str:
        """The two-digit chapter number, e.g. "01"."""
        return self.slug[:2]

    @property
    def exercise_dir(self) -> Path:
        return EXERCISES / self.slug

    @property
    def solution_dir(self) -> Path:
        return SOLUTIONS / self.slug

    def task(self, number: int) -> Task:
        """Return task ``number``, or raise KeyError."""
        for task in self.tasks:
            if task.number == number:
                return task
        raise KeyError(f"chapter {self.number} has no task {number}")


def _read_chapter(manifest: Path) -> Chapter:
    data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    return Chapter(
        slug=manifest.parent.name,
        title=data["title"],
        minutes=data["minutes"],
        files=tuple(ExerciseFile(source) for source in data["files"]),
        tasks=tuple(
            Task(t["number"], t["title"], t["todo"].strip(), tuple(t["blanks"]))
            for t in data["tasks"]
        ),
    )


@cache
def all_chapters() -> tuple[Chapter, ...]:
    """Return every chapter, in order."""
    manifests = sorted(EXERCISES.glob(f"[0-9][0-9]_*/{MANIFEST}"))
    return tuple(_read_chapter(manifest) for manifest in manifests)


def find_chapter(name: str) -> Chapter:
    """Return the chapter named by number ("2", "02") or folder ("02_blueprints")."""
    for chapter in all_chapters():
        if name in (chapter.slug, chapter.number) or (
            name.isdecimal() and int(name) == int(chapter.number)
        ):
            return chapter
    known = ", ".join(chapter.slug for chapter in all_chapters())
    raise KeyError(f"no chapter {name!r}; the chapters are: {known}")
