"""The warm grader of `workbook watch` gives the verdict of a cold `pytest exercises/NN`."""

import subprocess

import pytest

from workbook.chapters import all_chapters, find_chapter
from workbook.generate import write_exercises
from workbook.grading.scoreboard import Scoreboard
from workbook.progress import cold_run, grade
from workbook.warm import WarmGrader

CHAPTERS = all_chapters()
BLUEPRINTS = find_chapter("02")


@pytest.fixture(scope="module")
def warm():
    """One warm grader for the module's gradings, as `workbook watch` keeps one."""
    grader = WarmGrader()
    yield grader
    grader.close()


def verdict(board: Scoreboard) -> dict[str, object]:
    """Every task's status, and every failed test's first line, chapter by chapter."""
    return {
        chapter.slug: (
            [board.task_status(chapter, task.number) for task in chapter.tasks],
            {
                name: message.splitlines()[0]
                for name, message in board.failures[chapter.slug].items()
            },
        )
        for chapter in CHAPTERS
        if chapter.slug in board.outcomes
    }


def break_a_task(folder):
    routes = folder / BLUEPRINTS.slug / "routes.py"
    routes.write_text(routes.read_text().replace("HTTPStatus.CREATED", "HTTPStatus.OK"))


@pytest.mark.parametrize("state", ["solutions", "skeletons", "a broken file"])
def test_warm_and_cold_grading_agree(tmp_path, monkeypatch, warm, state):
    answers = write_exercises(tmp_path, {c.slug for c in CHAPTERS} if state != "skeletons" else ())
    if state == "a broken file":
        break_a_task(answers)
    monkeypatch.setenv("WORKBOOK_EXERCISES", str(answers))
    monkeypatch.setenv("PYTEST_ADDOPTS", "--seed 7")  # the same made-up data in both runs
    cold = verdict(grade([BLUEPRINTS], cold_run))
    warmed = verdict(grade([BLUEPRINTS], warm.run))
    assert cold and warmed == cold
    statuses = set(cold[BLUEPRINTS.slug][0])
    assert statuses == {"solutions": {"passed"}, "skeletons": {"not started"}}.get(state, statuses)
    if state == "a broken file":
        assert "failed" in statuses


def test_a_grading_that_hangs_is_stopped_and_the_next_one_runs(tmp_path, monkeypatch, warm):
    answers = write_exercises(tmp_path, {c.slug for c in CHAPTERS})
    routes = answers / BLUEPRINTS.slug / "routes.py"
    routes.write_text(routes.read_text() + "\nwhile True:\n    pass\n")
    monkeypatch.setenv("WORKBOOK_EXERCISES", str(answers))
    with pytest.raises(subprocess.TimeoutExpired):
        warm.run(["exercises/02_blueprints", f"--answers-dir={answers}"], timeout=3)
    done = warm.run(["exercises/01_application_factory", "--solutions"], timeout=60)
    assert done.returncode == 0, done.stdout
