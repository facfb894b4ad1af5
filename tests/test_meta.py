"""Each chapter's rules map to tests that exist, and its other correct answers pass the grader."""

import ast
import subprocess
import sys
from itertools import zip_longest

import pytest

from workbook.chapters import ROOT, all_chapters
from workbook.generate import write_exercises
from workbook.grading.scoreboard import Scoreboard
from workbook.meta import META, alternatives, apply, rules

CHAPTERS = all_chapters()


def graded_tests(chapter) -> dict[str, int]:
    """Each grading test of the chapter, by name, with the task its marker names."""
    tests = {}
    for path in chapter.exercise_dir.glob("test_*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                for decorator in node.decorator_list:
                    if (
                        isinstance(decorator, ast.Call)
                        and getattr(decorator.func, "attr", "") == "task"
                    ):
                        tests[node.name] = decorator.keywords[0].value.value
    return tests


@pytest.mark.parametrize(
    "chapter",
    [c for c in CHAPTERS if (c.exercise_dir / META / "rules.toml").is_file()],
    ids=lambda c: c.slug,
)
def test_each_rule_names_tests_of_its_task_and_each_test_a_rule(chapter):
    tests = graded_tests(chapter)
    stated = rules(chapter)
    for rule in stated:
        assert rule.tests, f"{rule.rule!r} names no test"
        for name in rule.tests:
            assert name in tests, f"{rule.rule!r} names {name}, which is not a grading test"
            assert tests[name] == rule.task, f"{name} grades task {tests[name]}, not {rule.task}"
    covered = {name for rule in stated for name in rule.tests}
    assert not set(tests) - covered, f"tests no rule names: {sorted(set(tests) - covered)}"
    assert {rule.task for rule in stated} == {t.number for t in chapter.tasks}, "a task has no rule"


def test_other_correct_answers_pass(tmp_path):
    """Each chapter's k-th alternative answer, all chapters in one grading run per k."""
    rounds = zip_longest(*(alternatives(chapter) for chapter in CHAPTERS))
    ran = 0
    for number, round_ in enumerate(rounds):
        answers = write_exercises(tmp_path / f"round{number}", {c.slug for c in CHAPTERS})
        for chapter, alternative in zip(CHAPTERS, round_, strict=True):
            if alternative is not None:
                apply(alternative.edits, answers / chapter.slug)
                ran += 1
        report = tmp_path / f"round{number}.xml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "exercises",
                f"--answers-dir={answers}",
                f"--junitxml={report}",
            ],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        board = Scoreboard.from_junit(report)
        failing = [
            f"{chapter.number} task {task.number}: {alternative.id} ({alternative.why})"
            for chapter, alternative in zip(CHAPTERS, round_, strict=True)
            if alternative is not None
            for task in chapter.tasks
            if board.task_status(chapter, task.number) != "passed"
        ]
        assert not failing, "a correct answer is refused:\n" + "\n".join(failing)
    assert ran, "no alternative answers to try"
