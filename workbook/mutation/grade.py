"""Grade a mutant as a learner's checkout: every chapter finished, one file wrong.

The grader runs as a learner runs it, ``pytest exercises/NN_slug --answers-dir=DIR
--junitxml=...``, in a process of its own; its junit report says which tasks went red.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbook.chapters import ROOT, all_chapters
from workbook.generate import write_exercises
from workbook.grading.scoreboard import Scoreboard
from workbook.mutation import Mutant

TIMEOUT = 120  # seconds; a chapter grades in about one, so only a hang comes near it
# Verdicts must not depend on the maintainer's laptop: grade in UTC, where a local-time
# mistake looks right, so that only the tests' own time zones can catch it.
ENVIRONMENT = {**os.environ, "TZ": "UTC"}


@dataclass(frozen=True)
class Verdict:
    """What the grader made of a mutant: caught or not, the tasks that went red, and why."""

    caught: bool
    red: frozenset[int]  # the tasks with a test that did not pass
    note: str = ""  # a hang, or a grader that ended without a report


def finished_checkout(folder: Path) -> Path:
    """Lay out a learner's checkout in ``folder`` with every chapter finished; return it."""
    return write_exercises(folder, {chapter.slug for chapter in all_chapters()})


def finished_files(checkout: Path, slug: str) -> dict[str, str]:
    """The finished files of chapter ``slug`` in ``checkout``, by name."""
    return {path.name: path.read_text(encoding="utf-8") for path in (checkout / slug).iterdir()}


def grade(slug: str, checkout: Path, mutant: Mutant | None, timeout: float = TIMEOUT) -> Verdict:
    """Grade chapter ``slug`` of a copy of ``checkout`` with ``mutant``'s file (if any) in it."""
    with tempfile.TemporaryDirectory(prefix="mutant-") as scratch:
        answers, report = Path(scratch) / "answers", Path(scratch) / "report.xml"
        shutil.copytree(checkout, answers)
        if mutant is not None:
            (answers / slug / mutant.file).write_text(mutant.text, encoding="utf-8")
        command = [sys.executable, "-m", "pytest", f"exercises/{slug}"]
        command += [f"--answers-dir={answers}", f"--junitxml={report}", "-q"]
        try:
            done = subprocess.run(
                command,
                cwd=ROOT,
                env=ENVIRONMENT,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Verdict(True, frozenset(), f"timed out after {timeout:g} s (a hang is caught)")
        if not report.exists():
            note = f"the grader exited {done.returncode} without a report: {_last(done)}"
            return Verdict(True, frozenset(), note)
        tasks = Scoreboard.from_junit(report).outcomes.get(slug, {})
    red = frozenset(n for n, tests in tasks.items() if set(tests.values()) - {"passed", "skipped"})
    if done.returncode != 0 and not red:
        return Verdict(True, red, f"the grader exited {done.returncode}: {_last(done)}")
    return Verdict(bool(red), red)


def _last(done: subprocess.CompletedProcess[str]) -> str:
    """The last line the grader wrote, to say why it stopped."""
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else "(nothing)"
