"""Each task is judged on its own, in every chapter, for every pair of tasks.

A solved task passes whatever state the others are in; an untouched one is "not
started", never a failure; a wrong answer fails its own task only, and its failure
names it. One grading run checks one such state in every chapter at once.
"""

import ast
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from workbook.blanks import find
from workbook.chapters import ROOT, Chapter, Task, all_chapters
from workbook.databases import on_sqlite_alone
from workbook.generate import write_exercises
from workbook.grading.scoreboard import Scoreboard

CHAPTERS = all_chapters()
TASKS = range(1, max(len(chapter.tasks) for chapter in CHAPTERS) + 1)
SOLVED_AMONG_UNTOUCHED = "solved, the others untouched"
UNTOUCHED_AMONG_SOLVED = "untouched, the others solved"
WRONG_AMONG_UNTOUCHED = "wrong, the others untouched"
WRONG_AMONG_SOLVED = "wrong, the others solved"
KINDS = [SOLVED_AMONG_UNTOUCHED, UNTOUCHED_AMONG_SOLVED, WRONG_AMONG_UNTOUCHED, WRONG_AMONG_SOLVED]
STATES = [(kind, task) for kind in KINDS for task in TASKS]


def wrong_message(task: int) -> str:
    return f"a wrong answer to task {task}"


def _write_state(folder: Path, kind: str, task: int) -> Path:
    """A learner's checkout where task ``task`` of every chapter is as ``kind`` says."""
    untouched = {}
    for chapter in CHAPTERS:
        numbers = {t.number for t in chapter.tasks}
        untouched[chapter.slug] = {
            SOLVED_AMONG_UNTOUCHED: numbers - {task},
            UNTOUCHED_AMONG_SOLVED: {task},
            WRONG_AMONG_UNTOUCHED: numbers,
            WRONG_AMONG_SOLVED: {task},
        }[kind]
    answers = write_exercises(folder, untouched=untouched)
    if kind in (WRONG_AMONG_UNTOUCHED, WRONG_AMONG_SOLVED):
        untouched_code = re.compile(rf'NotImplementedError\(\s*"task {task} not started[^)]*\)')
        for path in answers.glob("*/*.py"):
            text = untouched_code.sub(
                f'RuntimeError("{wrong_message(task)}")', path.read_text(encoding="utf-8")
            )
            path.write_text(text, encoding="utf-8")
    return answers


def _grade(folder: Path) -> Scoreboard:
    report = folder / "report.xml"
    command = [sys.executable, "-m", "pytest", "exercises", f"--answers-dir={folder}"]
    # SQLite alone: which task a verdict belongs to does not depend on the database.
    subprocess.run(
        [*command, f"--junitxml={report}"],
        cwd=ROOT,
        capture_output=True,
        check=False,
        env=on_sqlite_alone(os.environ),
    )
    return Scoreboard.from_junit(report)


@pytest.fixture(scope="module")
def boards(tmp_path_factory) -> dict[tuple[str, int], Scoreboard]:
    """Every state's scoreboard, graded two at a time."""

    def graded(state: tuple[str, int]) -> Scoreboard:
        folder = tmp_path_factory.mktemp(f"{state[1]}-{state[0].split(',')[0]}")
        return _grade(_write_state(folder, *state))

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(STATES, pool.map(graded, STATES), strict=True))


def can_be_wrong(chapter: Chapter, task: Task) -> bool:
    """Whether the task blanks a function, which a wrong answer can make raise."""
    for blank in task.blanks:
        file, _, qualname = blank.partition(":")
        source = next(f.source for f in chapter.files if f.name == file)
        node = find(ast.parse((ROOT / source).read_text(encoding="utf-8")), qualname)
        if isinstance(node, ast.FunctionDef):
            return True
    return False


def expected(kind: str, chapter: Chapter, task: Task, state_task: int) -> str:
    """The status the scoreboard should give ``task`` in the state (kind, state_task)."""
    others = "not started" if kind in (SOLVED_AMONG_UNTOUCHED, WRONG_AMONG_UNTOUCHED) else "passed"
    if task.number != state_task:
        return others
    if kind == SOLVED_AMONG_UNTOUCHED:
        return "passed"
    if kind == UNTOUCHED_AMONG_SOLVED or not can_be_wrong(chapter, task):
        return "not started"
    return "failed"


@pytest.mark.parametrize("state", STATES, ids=lambda s: f"task {s[1]} {s[0]}")
def test_each_task_is_judged_on_its_own(boards, state):
    board = boards[state]
    assert not board.empty, "the grader reported nothing"
    wrongly = [
        f"{chapter.number} task {task.number}: {board.task_status(chapter, task.number)}, "
        f"expected {expected(*state[:1], chapter, task, state[1])}"
        for chapter in CHAPTERS
        for task in chapter.tasks
        if board.task_status(chapter, task.number) != expected(state[0], chapter, task, state[1])
    ]
    assert not wrongly, f"with task {state[1]} {state[0]}:\n" + "\n".join(wrongly)


@pytest.mark.parametrize("task", TASKS)
def test_a_wrong_answer_is_blamed_on_its_own_task(boards, task):
    board = boards[(WRONG_AMONG_SOLVED, task)]
    for chapter in CHAPTERS:
        if task > len(chapter.tasks) or not can_be_wrong(chapter, chapter.task(task)):
            continue
        failure = board.first_failure(chapter, task)
        assert failure is not None, f"{chapter.number} task {task} has no failure to show"
        assert wrong_message(task) in failure[1], (chapter.number, failure)
