"""The pytest plugin that grades ``exercises/``: swapped-in files, task markers, a scoreboard.

``exercises/conftest.py`` loads it. Each chapter's tests get a fresh ``reference_app``
whose chapter modules are the learner's files (or, with ``--solutions``, the finished
ones), and the run ends with every chapter's tasks passed and what to do next.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from workbook.chapters import EXERCISES, SOLUTIONS, Chapter, find_chapter, shown
from workbook.grading.feedback import (
    IMPORT_FAILED,
    Feedback,
    not_started,
    not_started_error,
    your_code_raised,
)
from workbook.grading.loader import swapped_reference_app
from workbook.grading.scoreboard import Scoreboard

RESULTS = pytest.StashKey[Scoreboard]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("workbook", "grading the workbook's exercises")
    group.addoption(
        "--solutions",
        action="store_true",
        help="grade the finished files in solutions/ instead of your exercises/",
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
    config.stash[RESULTS] = Scoreboard()
    config.pluginmanager.register(OutcomeRecorder(), "workbook-outcome-recorder")


def answers_dir(config: pytest.Config) -> Path:
    """The folder whose NN_slug/FILE files are graded."""
    if config.getoption("answers_dir"):
        return config.getoption("answers_dir").resolve()
    return SOLUTIONS if config.getoption("solutions") else EXERCISES


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("task") is None:
            raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.task(taskno=N) marker")


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
    app = reference.create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    # A skeleton's NotImplementedError must reach the test, not become a 500 reply.
    app.register_error_handler(NotImplementedError, _reraise)
    with app.app_context():
        reference.db.create_all()
    yield app
    with app.app_context():
        reference.db.session.remove()
        reference.db.engine.dispose()


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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Report an untouched task, a Feedback, or what the graded code raised, in words.

    Building the report here skips pytest's traceback formatting, which would cost
    more than the test itself: a fresh skeleton fails every one of its tests.
    """
    error = call.excinfo.value if call.excinfo else None
    untouched = not_started_error(error)
    message = str(untouched if untouched is not None else error)
    if untouched is None and not isinstance(error, Feedback):
        worded = None
        if call.excinfo and item.config.option.tbstyle == "short":  # exercises/pytest.ini's
            worded = your_code_raised(call.excinfo, answers_dir(item.config), item.path)
        if worded is None:
            return None  # pytest's own report, traceback and all
        message = worded
    sections = [(f"Captured {key} {when}", text) for when, key, text in item._report_sections]
    report = pytest.TestReport(
        item.nodeid,
        item.location,
        dict.fromkeys(item.keywords, 1),
        "failed",
        message,
        call.when,
        sections,
        call.duration,
        call.start,
        call.stop,
        user_properties=item.user_properties,
    )
    report.not_started = untouched is not None  # read by pytest_report_teststatus
    return report


class OutcomeRecorder:
    """Notes each test's outcome by chapter and task, for the scoreboard and for junit.

    A class of its own because this module already has the other
    ``pytest_runtest_makereport`` (pytest reads hooks by name).
    """

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]):
        report = yield
        marker = item.get_closest_marker("task")
        taskno = marker.kwargs.get("taskno") if marker else None
        chapter_slug = item.path.parent.name
        if report.when == "setup":
            item.user_properties += [("chapter", chapter_slug), ("task", taskno)]
            report.user_properties = item.user_properties
        if report.when == "call" or report.failed or report.skipped:
            outcome = "not started" if getattr(report, "not_started", False) else report.outcome
            item.config.stash[RESULTS].record(chapter_slug, taskno, item.nodeid, outcome)
        return report


def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, str] | None:
    """Count an untouched task's tests as "not started", apart from real failures.

    They still fail the run (and junit reports them as failures), but the terminal
    shows them as ``n`` and skips their sections: the scoreboard says what to do.
    """
    if getattr(report, "not_started", False):
        return "not started", "n", "NOT STARTED"
    return None


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    board: Scoreboard = config.stash[RESULTS]
    if board.empty:
        return
    folder = answers_dir(config)
    for line in board.render(graded_folder=f"{shown(folder)}/"):
        terminalreporter.write_line(line)
