"""Grade a mutant as a learner's checkout: every chapter finished, one file wrong.

The grader runs as a learner runs it, ``pytest exercises/NN_slug --answers-dir=DIR
--junitxml=...``, in a process of its own; its junit report says which tasks went red.
"""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbook.chapters import all_chapters
from workbook.generate import write_exercises
from workbook.grading.scoreboard import Scoreboard
from workbook.mutation import Mutant
from workbook.progress import Runner, cold_run

TIMEOUT = 120  # seconds; a chapter grades in about one, so only a hang comes near it


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


def grade(
    slug: str,
    checkout: Path,
    mutant: Mutant | None,
    timeout: float = TIMEOUT,
    run: Runner = cold_run,
) -> Verdict:
    """Grade chapter ``slug`` of a copy of ``checkout`` with ``mutant``'s file (if any) in it.

    ``run`` runs pytest: a cold process, or a warm grader's fork (the same verdict, sooner).
    """
    with tempfile.TemporaryDirectory(prefix="mutant-") as scratch:
        answers, report = Path(scratch) / "answers", Path(scratch) / "report.xml"
        shutil.copytree(checkout, answers)
        if mutant is not None:
            (answers / slug / mutant.file).write_text(mutant.text, encoding="utf-8")
        args = [f"exercises/{slug}", f"--answers-dir={answers}", f"--junitxml={report}", "-q"]
        try:
            done = run(args, timeout)
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
