"""The exercise machinery: generated files in sync, each chapter complete, grading proven both ways.

Every graded test must pass on solutions/ and fail on freshly generated skeletons, so
that no test is vacuous and none is unpassable.
"""

import fnmatch
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from workbook.chapters import EXERCISES, ROOT, all_chapters
from workbook.generate import expected_files, stale_files, write_exercises
from workbook.grading.feedback import your_code_raised
from workbook.hints import read_hints

CHAPTERS = all_chapters()
EXPECTED_SLUGS = [
    "01_application_factory",
    "02_blueprints",
    "03_models_and_migrations",
    "04_error_handling",
    "05_jwt_authentication",
    "06_validation",
    "07_configuration",
    "08_cli_commands",
]


def grade(*args: str, tmp_path: Path) -> list[ET.Element]:
    """Run the grader as a learner would; return the junit test cases it reports."""
    report = tmp_path / "grading.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "exercises", f"--junitxml={report}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return list(ET.parse(report).getroot().iter("testcase"))


def outcome(case: ET.Element) -> str:
    """Return "passed", or the name of what the junit case holds (failure, error, skipped)."""
    children = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
    return children[0] if children else "passed"


def test_the_eight_chapters_are_there():
    assert [chapter.slug for chapter in CHAPTERS] == EXPECTED_SLUGS


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_chapter_has_readme_hints_tests_and_todos(chapter):
    folder = chapter.exercise_dir
    assert (folder / "README.md").is_file()
    assert list(folder.glob("test_*.py")), f"{folder} has no grading tests"
    assert 3 <= len(chapter.tasks) <= 6, "a chapter has 3 to 6 tasks"
    assert [task.number for task in chapter.tasks] == list(range(1, len(chapter.tasks) + 1))
    hints = read_hints(chapter)
    for task in chapter.tasks:
        levels = [hint.level for hint in hints.get(task.number, [])]
        assert levels == [1, 2, 3], f"task {task.number} needs hints 1, 2 and 3, has {levels}"
    skeletons = dict(expected_files())  # as generated: the files on disk may hold answers
    for file in chapter.files:
        assert "TODO(task" in skeletons[folder / file.name]
        assert (chapter.solution_dir / file.name).is_file()


def test_generated_files_match_the_reference():
    stale = [path.relative_to(ROOT).as_posix() for path in stale_files()]
    assert not stale, f"out of date, run `python -m workbook.generate` and commit: {stale}"


@pytest.fixture(scope="module")
def solution_cases(tmp_path_factory) -> list[ET.Element]:
    """The junit cases of one grading run on solutions/, shared by the tests that read it."""
    return grade("--solutions", tmp_path=tmp_path_factory.mktemp("solutions"))


def test_every_graded_test_passes_on_the_solutions(solution_cases):
    failing = [case.get("name") for case in solution_cases if outcome(case) != "passed"]
    assert solution_cases, "the grader ran no test"
    assert not failing, f"graded tests failing on solutions/: {failing}"


def test_every_graded_test_fails_on_untouched_skeletons(tmp_path):
    skeletons = write_exercises(tmp_path / "skeletons")
    cases = grade(f"--answers-dir={skeletons}", tmp_path=tmp_path)
    passing = [case.get("name") for case in cases if outcome(case) == "passed"]
    assert cases, "the grader ran no test"
    assert not passing, f"graded tests passing on untouched skeletons: {passing}"
    for case in cases:
        message = "".join(child.get("message", "") + (child.text or "") for child in case)
        assert "not started" in message, f"{case.get('name')} does not say 'not started'"


def test_an_untouched_task_shows_as_n_and_not_as_a_failure(tmp_path):
    skeletons = write_exercises(tmp_path / "skeletons")
    output = grading_output("01_application_factory", skeletons)
    assert output.startswith("nnnn"), output[:200]
    assert "FAILURES" not in output and "ERRORS" not in output, "no section per untouched test"
    assert re.search(r"\b\d+ not started in ", output)


def test_every_task_is_graded(solution_cases):
    graded = {
        (
            case.find("properties/property[@name='chapter']").get("value"),
            int(case.find("properties/property[@name='task']").get("value")),
        )
        for case in solution_cases
    }
    for chapter in CHAPTERS:
        for task in chapter.tasks:
            assert (chapter.slug, task.number) in graded, f"{chapter.slug} task {task.number}"


def wrong_answers(tmp_path: Path, chapter: str, file: str, right: str, wrong: str) -> Path:
    """Copy the solutions to ``tmp_path``, with ``right`` replaced by ``wrong`` in one file."""
    answers = write_exercises(tmp_path / "answers", {c.slug for c in CHAPTERS})
    path = answers / chapter / file
    text = path.read_text(encoding="utf-8")
    assert right in text, f"{right!r} is no longer in solutions/{chapter}/{file}"
    path.write_text(text.replace(right, wrong), encoding="utf-8")
    return answers


def grading_output(chapter: str, answers: Path) -> str:
    """Grade one chapter of ``answers`` as a learner would; return what the terminal shows."""
    graded = subprocess.run(
        [sys.executable, "-m", "pytest", f"exercises/{chapter}", f"--answers-dir={answers}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert graded.returncode == 1, graded.stdout + graded.stderr
    return graded.stdout


def test_an_error_raised_in_your_code_is_reported_in_words(tmp_path):
    chapter = "03_models_and_migrations"
    answers = wrong_answers(
        tmp_path, chapter, "models.py", "return datetime.now(UTC)", "return datetime.now()"
    )
    output = grading_output(chapter, answers)
    section = output.split("test_a_new_row_is_created_and_updated_at_one_instant")[1]
    section = section.split("\n___")[0]
    assert "ValueError: UTCDateTime needs an aware datetime, not a naive one." in section
    assert f"raised in your code, {answers}/{chapter}/models.py:" in section
    assert f"while the test ran exercises/{chapter}/test_models.py:" in section
    assert "site-packages" not in section, "the library frames should not be shown"


def test_a_500_names_the_exception_behind_it_not_a_log_of_library_frames(tmp_path):
    chapter = "03_models_and_migrations"
    answers = wrong_answers(
        tmp_path, chapter, "models.py", ', cascade="all, delete-orphan", passive_deletes=True', ""
    )
    output = grading_output(chapter, answers)
    assert "expected status 204, got 500" in output
    assert "The app answered 500 because of this exception:" in output
    assert "sqlalchemy.exc.InvalidRequestError: Attribute User.posts" in output
    assert "configure passive_deletes=True on the User.posts relationship" in output
    assert "Captured log" not in output and "site-packages" not in output


def test_a_500_the_test_caused_on_purpose_is_not_blamed_on_your_code(tmp_path):
    """Chapter 04 makes its app crash on purpose; a wrong shape is then the failure."""
    chapter = "04_error_handling"
    answers = wrong_answers(
        tmp_path, chapter, "errors.py", '"An unexpected error occurred."', "str(error)"
    )
    output = grading_output(chapter, answers)
    assert "test_an_unexpected_error_is_a_generic_500" in output
    assert "the 500 body gives away the exception's text" in output
    assert "The app answered 500 because of this exception:" not in output


def test_a_500_from_your_code_names_your_line(tmp_path):
    chapter = "05_jwt_authentication"
    answers = wrong_answers(
        tmp_path,
        chapter,
        "tokens.py",
        "    if not (isinstance(subject, str) and subject.isascii() and subject.isdecimal()):\n"
        "        return None\n",
        "",
    )
    output = grading_output(chapter, answers)
    assert "The app answered 500 because of this exception:" in output
    assert "ValueError: invalid literal for int() with base 10: ''" in output
    assert f"raised in your code, {answers}/{chapter}/tokens.py:" in output
    assert "user = get_by_id(User, int(subject))" in output
    assert "Captured log" not in output


def test_a_normalized_email_that_does_not_normalise_gets_feedback(tmp_path):
    chapter = "06_validation"
    answers = wrong_answers(
        tmp_path,
        chapter,
        "schemas.py",
        "return normalize_email(super()._deserialize(value, attr, data, **kwargs))",
        "return super()._deserialize(value, attr, data, **kwargs)",
    )
    output = grading_output(chapter, answers)
    assert "got:      ValidationError ['Not a valid email address.']" in output
    assert "normalise it (normalize_email) in\n  _deserialize" in output
    assert "Traceback" not in output and "site-packages" not in output


def test_only_the_learners_files_count_as_their_code(tmp_path, monkeypatch):
    chapter = tmp_path / "graded" / "01_demo"
    chapter.mkdir(parents=True)
    (chapter / "models.py").write_text(
        "import json\n\ndef build():\n    return json.loads('{not json')\n", encoding="utf-8"
    )
    (chapter / "test_demo.py").write_text(
        "import models\n\ndef test_it():\n    models.build()\n\n"
        "def test_own_mistake():\n    raise KeyError('the test itself')\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(chapter)
    import test_demo

    graded, test_file = tmp_path / "graded", chapter / "test_demo.py"
    with pytest.raises(ValueError, match="Expecting property name") as through_yours:
        test_demo.test_it()
    worded = your_code_raised(through_yours, graded, test_file)
    assert worded.startswith("json.decoder.JSONDecodeError: Expecting property name")
    assert f"raised while your code ran, {chapter / 'models.py'}:4, in build():" in worded
    assert f"while the test ran {test_file}:4:\n      models.build()" in worded

    with pytest.raises(KeyError) as in_the_test:
        test_demo.test_own_mistake()
    assert your_code_raised(in_the_test, graded, test_file) is None


def test_a_missing_answers_folder_is_named_not_graded_as_not_started(tmp_path):
    graded = subprocess.run(
        [sys.executable, "-m", "pytest", "exercises/02_blueprints", f"--answers-dir={tmp_path}/no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert graded.returncode == pytest.ExitCode.USAGE_ERROR, graded.stdout
    assert "there is no such folder" in graded.stderr


def test_a_file_that_does_not_import_is_told_once_and_named_by_the_scoreboard(tmp_path):
    chapter = "04_error_handling"
    answers = wrong_answers(
        tmp_path,
        chapter,
        "errors.py",
        "def register_error_handlers(",
        "def register_error_handlers(:",
    )
    output = grading_output(chapter, answers)
    assert output.count("SyntaxError: invalid syntax") == 2, "once in the error, once in Next"
    assert output.count("The app could not be imported with your files") == 1
    assert "04 Error handling                   [............] 0/5 tasks  does not import" in output
    assert f"Next: make chapter 04's files import again: {answers}/{chapter}/errors.py" in output
    assert f"Grade just this chapter with: pytest exercises/{chapter} --answers-dir={answers}" in (
        output
    )
    assert re.search(r"\b1 error, \d+ failed: does not import in ", output), output[-300:]


def test_grading_another_copys_exercises_is_refused_not_misgraded(tmp_path):
    """A copy of the workbook run with this copy's Python would grade this copy's files."""
    shutil.copytree(EXERCISES, tmp_path / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    graded = subprocess.run(
        [sys.executable, "-m", "pytest", "exercises/01_application_factory"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert graded.returncode == pytest.ExitCode.USAGE_ERROR, graded.stdout
    assert f"These tests are in {tmp_path / 'exercises'}, but this Python's workbook" in (
        graded.stderr
    )


def test_ruff_leaves_the_learners_files_alone_and_lints_the_rest():
    """A learner's answer in any style must not fail `make test`; test files stay linted."""
    excluded = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"][
        "extend-exclude"
    ]
    for chapter in CHAPTERS:
        for file in chapter.files:
            path = (chapter.exercise_dir / file.name).relative_to(ROOT).as_posix()
            assert any(fnmatch.fnmatch(path, pattern) for pattern in excluded), path
        for test_file in chapter.exercise_dir.glob("test_*.py"):
            path = test_file.relative_to(ROOT).as_posix()
            assert not any(fnmatch.fnmatch(path, pattern) for pattern in excluded), path


def test_a_pytest_without_the_workbooks_packages_says_so_in_one_line():
    """A learner's first `pytest exercises/` is often a pytest from outside the .venv."""
    without_flask = (
        "import sys; sys.modules['flask'] = None; import pytest; "
        "sys.exit(pytest.main(['exercises/01_application_factory']))"
    )
    graded = subprocess.run(
        [sys.executable, "-c", without_flask], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert graded.returncode == pytest.ExitCode.USAGE_ERROR, graded.stdout + graded.stderr
    lines = (graded.stdout + graded.stderr).strip().splitlines()
    assert len(lines) == 1 and "source .venv/bin/activate" in lines[0], lines
