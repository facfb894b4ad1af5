"""``workbook grade-classroom``: grade a folder of learners' checkouts into one CSV.

Each learner's chapter files are graded against this repository's tests and reference
app, never the learner's own copies (they could be altered), in a pytest process of its
own with a time limit: a missing folder, a syntax error, a file that raises or hangs
at import, each costs only its own chapter (or learner), never the rest of the class.
"""

import contextlib
import csv
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click

from workbook.chapters import EXERCISES, ROOT, Chapter, all_chapters
from workbook.databases import on_sqlite_alone
from workbook.grading.scoreboard import Scoreboard

NOTE_LENGTH = 100  # the part of an error message that a CSV note keeps
EXIT_CODES = {2: "interrupted", 3: "internal error", 4: "usage error", 5: "no tests ran"}


@dataclass
class Grade:
    """One learner's row: tasks passed per chapter, and what went wrong on the way."""

    learner: str
    passed: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def row(self, tasks_total: int) -> dict[str, object]:
        """The CSV row: learner, one column per chapter, totals and the note."""
        totals = {"tasks_passed": sum(self.passed.values()), "tasks_total": tasks_total}
        return {"learner": self.learner, **self.passed, **totals, "note": "; ".join(self.notes)}


def run_grader(
    answers: Path, report: Path, timeout: float, skip: list[Chapter]
) -> tuple[int | None, str]:
    """Grade ``answers`` with this repository's tests, but ``skip``; return (exit code, output).

    The exit code is None when the run outlived ``timeout`` and was killed, with
    whatever it started. ``-v`` undoes the ``-q`` of exercises/pytest.ini: the output
    then names each test file as it starts, which tells which chapter hung. Nothing is
    written to the learner's folder (no ``.pyc``).
    """
    command = [sys.executable, "-m", "pytest", str(EXERCISES), f"--answers-dir={answers}"]
    command += [f"--ignore={chapter.exercise_dir}" for chapter in skip]
    command += [f"--junitxml={report}", "-v"]
    # SQLite alone, whatever the instructor's shell sets: the grader holds SQLite to
    # PostgreSQL's limits, and a class graded twice over would take twice as long.
    env = on_sqlite_alone(os.environ) | {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=os.name == "posix",  # its own process group, to kill it whole
        )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):  # it may have ended just now
                if os.name == "posix":
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            process.wait()
            code = None
        log.seek(0)
        return code, log.read().decode(errors="replace")


def last_chapter_started(output: str, chapters: tuple[Chapter, ...]) -> Chapter | None:
    """The chapter whose test file the output names last: the one running when it stopped."""
    started = [(output.rfind(f"{chapter.slug}/test_"), chapter) for chapter in chapters]
    position, chapter = max(started, key=lambda pair: pair[0])
    return chapter if position >= 0 else None


def read_report(report: Path, grade: Grade, chapters: tuple[Chapter, ...]) -> None:
    """Add the tasks passed in a junit report to ``grade``: a task passes if all its tests do."""
    board = Scoreboard.from_junit(report)
    for chapter in chapters:
        grade.passed[chapter.slug] = sum(
            board.task_status(chapter, task.number) == "passed" for task in chapter.tasks
        )
        if error := board.import_errors.get(chapter.slug, ""):
            grade.notes.append(f"{chapter.slug} does not import: {error[:NOTE_LENGTH]}")


def grade_checkout(checkout: Path, workdir: Path, timeout: float) -> Grade:
    """Grade one learner's checkout, whatever state it is in."""
    chapters = all_chapters()
    grade = Grade(checkout.name, {chapter.slug: 0 for chapter in chapters})
    answers = checkout / "exercises"
    if not answers.is_dir():
        grade.notes.append("no exercises folder")
        return grade
    missing = [
        f"{chapter.slug}/{file.name}"
        for chapter in chapters
        for file in chapter.files
        if not (answers / chapter.slug / file.name).is_file()
    ]
    if missing:
        grade.notes.append(f"missing {', '.join(missing)}")
    if len(missing) == sum(len(chapter.files) for chapter in chapters):
        return grade
    stopped: dict[Chapter, str] = {}  # chapters that stopped a run, and how
    while True:
        report = workdir / f"{checkout.name}-{len(stopped)}.xml"
        code, output = run_grader(answers.resolve(), report, timeout, list(stopped))
        problem = run_problem(code, report, timeout, skipping=bool(stopped))
        if problem is None:
            break
        chapter = last_chapter_started(output, chapters)
        if chapter is None or chapter in stopped:
            last = next((line for line in reversed(output.splitlines()) if line.strip()), "")
            grade.notes.append(f"grader crashed: {problem}: {last[:NOTE_LENGTH]}")
            return grade
        stopped[chapter] = problem  # grade the others again without it: it costs only itself
    grade.notes += [f"{chapter.slug} {problem}" for chapter, problem in stopped.items()]
    read_report(report, grade, chapters)
    return grade


def run_problem(code: int | None, report: Path, timeout: float, skipping: bool) -> str | None:
    """Say why a grader run gave no full report (None when it did)."""
    if code is None:
        return f"timed out after {timeout:g} s"
    if not report.is_file():
        return f"stopped the grader (pytest exit code {code}, no report)"
    if code in (0, 1) or (code == 5 and skipping):  # 5: every chapter was skipped
        return None
    return f"stopped the grader (pytest exit code {code}: {EXIT_CODES.get(code, 'unknown')})"


def learner_folders(folder: Path) -> list[Path]:
    """The checkouts in ``folder``: every subdirectory but hidden ones, by name."""
    if (folder / "exercises").is_dir() and (folder / "pyproject.toml").is_file():
        raise click.UsageError(
            f"{folder} looks like one checkout; give the folder that holds the checkouts."
        )
    checkouts = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]
    if not checkouts:
        raise click.UsageError(f"{folder} holds no folder: one checkout per learner is expected.")
    return sorted(checkouts, key=lambda path: path.name.lower())


@click.command("grade-classroom")
@click.argument(
    "folder", type=click.Path(exists=True, file_okay=False, resolve_path=True, path_type=Path)
)
@click.option(
    "--csv",
    "csv_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write one row per learner to this CSV file.",
)
@click.option(
    "--timeout",
    default=120.0,
    show_default=True,
    type=click.FloatRange(min=1),
    help="Seconds a grading run may take; a chapter that outlasts it scores 0.",
)
def grade_classroom(folder: Path, csv_path: Path, timeout: float) -> None:
    """Grade every learner's checkout in FOLDER with this workbook's tests; write a CSV.

    Each subdirectory of FOLDER is one learner's copy of the workbook. Only their
    exercises/NN_slug/ files are used: the tests and the reference app are this one's.
    """
    if not csv_path.parent.is_dir():
        raise click.BadParameter(
            f"there is no folder {csv_path.parent} to write it in.", param_hint="'--csv'"
        )
    chapters = all_chapters()
    tasks_total = sum(len(chapter.tasks) for chapter in chapters)
    checkouts = learner_folders(folder)
    width = max(len("learner"), *(len(path.name) for path in checkouts))
    numbers = " ".join(f"{chapter.number:>3}" for chapter in chapters)
    click.echo(f"{'learner':<{width}} {numbers}  {'tasks':>7}  note")
    columns = ["learner", *(c.slug for c in chapters), "tasks_passed", "tasks_total", "note"]
    with (
        open(csv_path, "w", newline="", encoding="utf-8") as out,
        tempfile.TemporaryDirectory(prefix="grade-classroom-") as workdir,
    ):
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for checkout in checkouts:
            try:
                grade = grade_checkout(checkout, Path(workdir), timeout)
            except Exception as error:  # a checkout must never stop the others
                grade = Grade(checkout.name, {chapter.slug: 0 for chapter in chapters})
                grade.notes.append(f"grader crashed: {type(error).__name__}: {error}")
            row = grade.row(tasks_total)
            writer.writerow(row)
            out.flush()
            scores = " ".join(f"{grade.passed[chapter.slug]:>3}" for chapter in chapters)
            total = f"{row['tasks_passed']}/{tasks_total}"
            click.echo(f"{grade.learner:<{width}} {scores}  {total:>7}  {row['note']}")
    click.echo(f"Wrote {len(checkouts)} row(s) to {csv_path}")
