"""Grading a class: ``workbook grade-classroom`` and the GitHub Classroom workflow.

``workbook grade-classroom`` writes one CSV row per checkout, whatever state each is in.

The room holds a finished checkout, a half-done one, a broken one (a syntax error, a
missing file, a file that raises at import, one that loops forever at import) and one
with no exercises folder. Grading them all takes about half a minute, most of it the
broken checkout's time limit.
"""

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from workbook.chapters import ROOT, all_chapters
from workbook.commands.classroom import grade_classroom
from workbook.databases import on_sqlite_alone
from workbook.generate import write_exercises
from workbook.workflow import WORKFLOW

CHAPTERS = all_chapters()
TASKS = {chapter.slug: len(chapter.tasks) for chapter in CHAPTERS}
TIMEOUT = 20  # seconds: a whole grading run takes about 5 here; the looping file, all of it
HALF_DONE = {"01_application_factory", "02_blueprints", "03_models_and_migrations"}


def make_checkout(folder: Path, finished: set[str]) -> Path:
    """Lay out a learner's checkout: solutions for the ``finished`` chapters, skeletons else."""
    return write_exercises(folder / "exercises", finished)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[dict[str, dict[str, str]], str]:
    """Grade a room of four checkouts once; return the CSV rows by learner, and the output."""
    room = tmp_path_factory.mktemp("room")
    every = {chapter.slug for chapter in CHAPTERS}
    make_checkout(room / "finished", every)
    half = make_checkout(room / "half_done", HALF_DONE)
    # Tests altered in the checkout must not count: the grader uses this repository's.
    (half / "05_jwt_authentication" / "test_authentication.py").write_text(
        "def test_anything():\n    pass\n", encoding="utf-8"
    )
    broken = make_checkout(room / "broken", every)
    (broken / "02_blueprints" / "routes.py").write_text("def get_post(:\n", encoding="utf-8")
    (broken / "03_models_and_migrations" / "models.py").unlink()
    (broken / "04_error_handling" / "errors.py").write_text(
        'raise RuntimeError("half-finished edit")\n', encoding="utf-8"
    )
    (broken / "08_cli_commands" / "cli.py").write_text("while True:\n    pass\n", encoding="utf-8")
    (room / "no_exercises").mkdir()
    (room / "no_exercises" / "README.md").write_text("I cloned the wrong thing.\n")
    out = room / "grades.csv"
    result = CliRunner().invoke(
        grade_classroom, [str(room), "--csv", str(out), "--timeout", str(TIMEOUT)]
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as file:
        rows = {row["learner"]: row for row in csv.DictReader(file)}
    return rows, result.output


def scores(row: dict[str, str]) -> dict[str, int]:
    """The tasks passed per chapter in a CSV row."""
    return {slug: int(row[slug]) for slug in TASKS}


def test_one_row_per_checkout_with_every_column(graded):
    rows, _output = graded
    assert sorted(rows) == ["broken", "finished", "half_done", "no_exercises"]
    columns = list(next(iter(rows.values())))
    assert columns == ["learner", *TASKS, "tasks_passed", "tasks_total", "note"]
    for row in rows.values():
        assert int(row["tasks_total"]) == sum(TASKS.values())
        assert int(row["tasks_passed"]) == sum(scores(row).values())


def test_a_finished_checkout_passes_every_task(graded):
    row = graded[0]["finished"]
    assert scores(row) == TASKS
    assert row["note"] == ""


def test_a_half_done_checkout_scores_only_its_finished_chapters(graded):
    row = graded[0]["half_done"]
    assert scores(row) == {slug: TASKS[slug] if slug in HALF_DONE else 0 for slug in TASKS}
    assert row["note"] == "", "untouched skeletons (and altered tests) are just zero, not errors"


def test_a_broken_checkout_costs_only_its_broken_chapters(graded):
    row = graded[0]["broken"]
    zero = {"02_blueprints", "03_models_and_migrations", "04_error_handling", "08_cli_commands"}
    assert scores(row) == {slug: 0 if slug in zero else TASKS[slug] for slug in TASKS}
    note = row["note"]
    assert "missing 03_models_and_migrations/models.py" in note
    assert "02_blueprints does not import: SyntaxError" in note
    assert "04_error_handling does not import: RuntimeError: half-finished edit" in note
    assert f"08_cli_commands timed out after {TIMEOUT} s" in note


def test_a_folder_without_exercises_is_a_row_of_zeros(graded):
    row = graded[0]["no_exercises"]
    assert set(scores(row).values()) == {0}
    assert row["note"] == "no exercises folder"


def test_the_table_printed_while_grading(graded):
    _rows, output = graded
    lines = output.splitlines()
    assert lines[0].split()[:3] == ["learner", "01", "02"]
    total = sum(TASKS.values())
    assert any(line.startswith("finished") and f"{total}/{total}" in line for line in lines)
    assert lines[-1].startswith("Wrote 4 row(s) to ")


def test_one_checkout_instead_of_a_folder_of_them_is_refused(tmp_path):
    result = CliRunner().invoke(grade_classroom, [str(ROOT), "--csv", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "looks like one checkout" in result.output


def test_a_csv_in_a_folder_that_does_not_exist_is_refused_before_grading(tmp_path):
    (tmp_path / "room" / "ann").mkdir(parents=True)
    csv_path = tmp_path / "no" / "scores.csv"
    result = CliRunner().invoke(grade_classroom, [str(tmp_path / "room"), "--csv", str(csv_path)])
    assert result.exit_code == 2
    assert f"there is no folder {csv_path.parent} to write it in" in result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)


def test_the_classroom_workflow_scores_every_task_once():
    """One autograding step per task, a point each, and the reporter reads every step."""
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    graders = [step for step in steps if "autograding-command-grader" in step.get("uses", "")]
    expected = [
        (f"pytest exercises/{chapter.slug} --task {task.number}", f"{chapter.number}.{task.number}")
        for chapter in CHAPTERS
        for task in chapter.tasks
    ]
    assert [(s["with"]["command"], s["name"].split()[0]) for s in graders] == expected
    assert all(step["with"]["max-score"] == 1 for step in graders)
    reporter = steps[-1]
    ids = [step["id"] for step in graders]
    assert reporter["with"]["runners"].split(",") == ids
    # The reporter reads each step's result from the variable ID_RESULTS, ID in capitals.
    assert reporter["env"] == {
        f"{step_id.upper()}_RESULTS": f"${{{{steps.{step_id}.outputs.result}}}}" for step_id in ids
    }
    job_minutes = workflow["jobs"]["run-autograding-tests"]["timeout-minutes"]
    assert job_minutes > sum(step["with"]["timeout"] for step in graders), "a loop in every task"


@pytest.mark.parametrize(
    ("finished", "code", "says"),
    [(True, 0, r"\b3 passed, \d+ deselected"), (False, 1, r"\d+ deselected, 3 not started")],
    ids=["solutions", "untouched skeleton"],
)
def test_task_option_grades_that_task_alone(tmp_path, finished, code, says):
    """Task 3's three tests run; the chapter's others are deselected, however many they are."""
    answers = write_exercises(tmp_path, {c.slug for c in CHAPTERS} if finished else ())
    command = [sys.executable, "-m", "pytest", "exercises/02_blueprints", "--task", "3"]
    graded = subprocess.run(
        [*command, f"--answers-dir={answers}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=on_sqlite_alone(os.environ),  # the counts below are one database's tests
    )
    assert graded.returncode == code, graded.stdout
    assert re.search(says, graded.stdout), graded.stdout[-300:]


def test_task_option_names_the_tasks_a_chapter_has():
    command = [sys.executable, "-m", "pytest", "exercises/02_blueprints", "--task", "9"]
    graded = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert graded.returncode == pytest.ExitCode.USAGE_ERROR
    assert "--task 9: chapter 02 has tasks 1, 2, 3, 4, 5" in graded.stderr
