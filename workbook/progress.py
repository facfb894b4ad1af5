"""The learner's progress: where their files and the workbook's state live, and grading them.

``status``, ``hint`` and ``watch`` all grade through :func:`grade`, which runs the same
``pytest exercises/`` a learner would, in a subprocess, and reads its junit report into
the grading plugin's :class:`Scoreboard`.

Two environment variables move the folders, for tests and unusual set-ups:

- ``WORKBOOK_EXERCISES``: the folder of ``NN_slug/FILE`` files to grade (default ``exercises/``);
- ``WORKBOOK_STATE_DIR``: where the hints shown and reset's backups are kept
  (default ``.workbook/``).
"""

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from workbook.chapters import EXERCISES, ROOT, Chapter, find_chapter, shown
from workbook.grading.scoreboard import Scoreboard

GRADING_TIMEOUT = 300  # seconds; a learner's endless loop must not hang the command


class GradingError(click.ClickException):
    """The grader did not run to the end, so there is no scoreboard to read."""


def exercises_dir() -> Path:
    """Return the folder holding the learner's ``NN_slug/FILE`` files."""
    return Path(os.environ.get("WORKBOOK_EXERCISES") or EXERCISES).resolve()


def state_dir() -> Path:
    """Return the folder of the workbook's own state (hints shown, backups)."""
    return Path(os.environ.get("WORKBOOK_STATE_DIR") or ROOT / ".workbook").resolve()


def chapter_named(name: str) -> Chapter:
    """Return the chapter named by number ("2", "02") or folder, or fail listing the chapters."""
    try:
        return find_chapter(name)
    except KeyError as error:
        raise click.ClickException(f"{error.args[0]}.") from None


def grading_options() -> str:
    """The pytest options, as shown to the learner, that grade their files where they are."""
    folder = exercises_dir()
    return "" if folder == EXERCISES.resolve() else f" --answers-dir={shown(folder)}"


def learner_file(chapter: Chapter, name: str) -> Path:
    """Return the path of the learner's file ``name`` in ``chapter``."""
    return exercises_dir() / chapter.slug / name


def cold_run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``pytest ARGS`` in a new process, in the workbook's folder, as a learner would."""
    command = [sys.executable, "-m", "pytest", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


Runner = Callable[[list[str], float], subprocess.CompletedProcess[str]]


def grade(chapters: Sequence[Chapter] = (), run: Runner = cold_run) -> Scoreboard:
    """Grade ``chapters`` (all of them when empty) with ``run``; return the scoreboard.

    ``run`` is a cold pytest process, or ``workbook.warm.WarmGrader().run``, which gives
    the same verdict sooner.
    """
    targets = [f"exercises/{chapter.slug}" for chapter in chapters] or ["exercises"]
    with tempfile.TemporaryDirectory(prefix="workbook-") as tmp:
        report = Path(tmp) / "grading.xml"
        # --tb=native: pytest formats every failure's traceback before the plugin
        # replaces it, and the short style costs about a second per chapter.
        args = [*targets, "-q", "--tb=native", f"--junitxml={report}"]
        if exercises_dir() != EXERCISES.resolve():
            args.append(f"--answers-dir={exercises_dir()}")
        try:
            result = run(args, GRADING_TIMEOUT)
        except subprocess.TimeoutExpired as error:
            raise GradingError(
                f"Grading took more than {GRADING_TIMEOUT} s and was stopped.\n"
                "Fix: look for an endless loop in your files, then try again."
            ) from error
        if result.returncode not in (0, 1) or not report.exists():
            output = (result.stdout + result.stderr).strip().splitlines()[-15:]
            raise GradingError(
                f"The grader stopped with exit code {result.returncode}:\n"
                + "\n".join(f"  {line}" for line in output)
                + "\nFix: run `workbook doctor`: it checks that pytest collects the exercises."
            )
        return Scoreboard.from_junit(report)
