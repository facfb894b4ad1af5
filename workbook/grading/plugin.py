"""The pytest plugin that grades ``exercises/``: its options, the tests it runs, their app.

``exercises/conftest.py`` loads it, with ``workbook.grading.reporting`` for the report.
Each chapter's tests get a fresh ``reference_app`` whose chapter modules are the
learner's files (or, with ``--solutions``, the finished ones).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from workbook.apps import closing, new_app
from workbook.chapters import EXERCISES, SOLUTIONS, Chapter, find_chapter, shown
from workbook.grading.feedback import (
    IMPORT_FAILED,
    Feedback,
    not_started,
)
from workbook.grading.loader import swapped_reference_app
from workbook.grading.server_errors import record_server_errors, server_errors


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("workbook", "grading the workbook's exercises")
    group.addoption(
        "--solutions",
        action="store_true",
        help="grade the finished files in solutions/ instead of your exercises/",
    )
    group.addoption(
        "--task",
        type=int,
        default=None,
        help="grade only task N of the chapter(s) named (GitHub Classroom scores each task)",
    )
    group.addoption(
        "--answers-dir",
        type=Path,
        default=None,
        help="grade the chapter files found in this folder (NN_slug/FILE) instead",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "task(taskno): the numbered task of the chapter a test grades"
    )


def answers_dir(config: pytest.Config) -> Path:
    """The folder whose NN_slug/FILE files are graded."""
    if config.getoption("answers_dir"):
        folder = config.getoption("answers_dir").resolve()
        if not folder.is_dir():
            raise pytest.UsageError(f"--answers-dir {shown(folder)}: there is no such folder")
        return folder
    return SOLUTIONS if config.getoption("solutions") else EXERCISES


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("task") is None:
            raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.task(taskno=N) marker")
        if not item.path.is_relative_to(EXERCISES):
            # Another copy of the workbook, run with this copy's Python: it would grade
            # the files of this copy, not the ones the learner is editing.
            raise pytest.UsageError(
                f"These tests are in {item.path.parent.parent}, but this Python's workbook "
                f"is the one in {EXERCISES.parent}, whose files it would grade.\n"
                "Run that copy's own Python: `make test` or `.venv/bin/pytest exercises/` "
                "from its folder (or `pip install -e .` there once)."
            )
    if (task := config.getoption("task")) is not None:
        _keep_one_task(config, items, task)


def _keep_one_task(config: pytest.Config, items: list[pytest.Item], task: int) -> None:
    """Deselect every test but task ``task``'s; each chapter collected must have that task."""
    for slug in sorted({item.path.parent.name for item in items}):
        chapter = find_chapter(slug)
        if task not in {t.number for t in chapter.tasks}:
            raise pytest.UsageError(
                f"--task {task}: chapter {chapter.number} has tasks "
                f"{', '.join(str(t.number) for t in chapter.tasks)}"
            )
    kept = [item for item in items if item.get_closest_marker("task").kwargs.get("taskno") == task]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


@pytest.fixture(scope="module")
def chapter(request: pytest.FixtureRequest) -> Chapter:
    """The chapter whose folder holds the test module."""
    return find_chapter(request.path.parent.name)


@pytest.fixture(scope="module")
def reference(request: pytest.FixtureRequest, chapter: Chapter) -> Iterator[ModuleType]:
    """A fresh ``reference_app`` with this chapter's modules taken from the graded files."""
    folder = answers_dir(request.config) / chapter.slug
    swaps = {file.module: folder / file.name for file in chapter.files}
    for path in swaps.values():
        if not path.is_file():
            raise NotImplementedError(
                f"task 1 not started: {path} is missing; "
                f"`workbook reset {chapter.number}` puts the skeleton back"
            )
    try:
        with swapped_reference_app(swaps) as package:
            yield package
    except Feedback:
        raise
    except (Exception, SystemExit) as error:  # SystemExit: a file that calls sys.exit()
        if not_started(error):
            raise
        raise Feedback(
            f"{IMPORT_FAILED} from {folder}:\n"
            f"  {type(error).__name__}: {error}\n"
            "  Fix that first: every task of this chapter needs the app to import."
        ) from error


def _reraise(error: NotImplementedError) -> None:
    raise error


@contextmanager
def _graded_app(reference: ModuleType) -> Iterator[Flask]:
    """Build the complete app with the graded files on an empty in-memory SQLite database."""
    with closing(new_app(package=reference)) as app:
        # A skeleton's NotImplementedError must reach the test, not become a 500 reply.
        app.register_error_handler(NotImplementedError, _reraise)
        record_server_errors(app)
        yield app


@pytest.fixture(scope="module")
def shared_app(reference: ModuleType) -> Iterator[Flask]:
    """One app for a chapter's tests: building one costs more than most tests."""
    with _graded_app(reference) as app:
        yield app


@pytest.fixture
def app(request: pytest.FixtureRequest, reference: ModuleType) -> Iterator[Flask]:
    """The complete app with the graded files, its database empty.

    A chapter's tests share one app, emptied before each test, unless the test module
    sets ``FRESH_APP_PER_TEST = True`` because its tests add routes, handlers or config.
    """
    if getattr(request.module, "FRESH_APP_PER_TEST", False):
        with _graded_app(reference) as app:
            yield app
        return
    app = request.getfixturevalue("shared_app")
    server_errors(app).clear()
    with app.app_context():
        reference.db.create_all()  # back, should a test have dropped the tables
        for table in reversed(reference.db.metadata.sorted_tables):
            reference.db.session.execute(table.delete())
        reference.db.session.commit()
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's CLI commands."""
    return app.test_cli_runner()
