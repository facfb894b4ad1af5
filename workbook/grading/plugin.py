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
from flask import Flask, Response, g
from flask.testing import FlaskClient, FlaskCliRunner

from workbook.apps import closing, new_app
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
IMPORT_TOLD = pytest.StashKey[set[str]]()  # chapters whose import failure was reported in full
SERVER_ERRORS = "workbook.server_errors"  # the app.extensions key of server_errors()


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
    config.stash[RESULTS] = Scoreboard()
    config.pluginmanager.register(OutcomeRecorder(), "workbook-outcome-recorder")


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


def server_errors(app: Flask) -> list[BaseException]:
    """The exceptions behind the app's 500 answers since the current test began."""
    return app.extensions.setdefault(SERVER_ERRORS, [])


def _record_server_errors(app: Flask) -> None:
    """Keep the exception behind each 500 answer, for the report to name in words.

    The app answers a crash with a generic 500 and logs the traceback; the report
    would otherwise show the test's "got 500" and, apart, a log of library frames.
    """
    handle_user_exception = app.handle_user_exception

    def recording(error: Exception):  # returns whatever Flask's own does
        g.workbook_error = error
        return handle_user_exception(error)

    app.handle_user_exception = recording  # type: ignore[method-assign]

    @app.after_request
    def keep_the_cause_of_a_500(response: Response) -> Response:
        error = g.pop("workbook_error", None)
        if response.status_code >= 500 and error is not None:
            server_errors(app).append(error)
        return response


@contextmanager
def _graded_app(reference: ModuleType) -> Iterator[Flask]:
    """Build the complete app with the graded files on an empty in-memory SQLite database."""
    with closing(new_app(package=reference)) as app:
        # A skeleton's NotImplementedError must reach the test, not become a 500 reply.
        app.register_error_handler(NotImplementedError, _reraise)
        _record_server_errors(app)
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


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Report an untouched task, a Feedback, or what the graded code raised, in words.

    Building the report here skips pytest's traceback formatting, which would cost
    more than the test itself: a fresh skeleton fails every one of its tests.
    """
    error = call.excinfo.value if call.excinfo else None
    untouched = not_started_error(error)
    message = str(untouched if untouched is not None else error)
    told_before = False
    if isinstance(error, Feedback) and message.startswith(IMPORT_FAILED):
        told = item.config.stash.setdefault(IMPORT_TOLD, set())
        told_before = item.path.parent.name in told  # one full account per chapter is enough
        if told_before:
            message = f"{IMPORT_FAILED}: see this chapter's first error."
        told.add(item.path.parent.name)
    if untouched is None and not isinstance(error, Feedback):
        worded = None
        if call.excinfo and item.config.option.tbstyle == "short":  # exercises/pytest.ini's
            worded = your_code_raised(call.excinfo, answers_dir(item.config), item.path)
        if worded is None:
            return None  # pytest's own report, traceback and all
        message = worded
    sections = [(f"Captured {key} {when}", text) for when, key, text in item._report_sections]
    if isinstance(error, Feedback) and (cause := _cause_of_a_500(item)):
        message = f"{message}\n\nThe app answered 500 because of this exception:\n{cause}"
        if item.config.option.tbstyle != "long":  # the log repeats it, library frames and all
            sections = [
                section for section in sections if not section[0].startswith("Captured log")
            ]
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
    report.import_told = told_before
    return report


def _cause_of_a_500(item: pytest.Item) -> str | None:
    """Word the last exception that made the test's app answer 500, if there was one."""
    app = getattr(item, "funcargs", {}).get("app")
    errors = server_errors(app) if isinstance(app, Flask) else []
    if not errors:
        return None
    excinfo = pytest.ExceptionInfo.from_exception(errors[-1])
    worded = your_code_raised(excinfo, answers_dir(item.config), item.path)
    if worded is None:
        kind = type(errors[-1])
        text = str(errors[-1]).split("\n[SQL:")[0].strip()  # SQLAlchemy appends the statement
        worded = f"{kind.__module__}.{kind.__qualname__}: {text[:600]}"
        worded += "\n  (add --tb=long to the pytest command for the app's log of it)"
    return "\n".join(f"  {line}" for line in worded.splitlines())


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
            message = report.longreprtext if report.failed else None
            item.config.stash[RESULTS].record(chapter_slug, taskno, item.nodeid, outcome, message)
        return report


def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, str] | None:
    """Count an untouched task's tests as "not started", apart from real failures.

    They still fail the run (and junit reports them as failures), but the terminal
    shows them as ``n`` and skips their sections: the scoreboard says what to do. A
    chapter whose app does not import shows its error once, in its first test's
    section; the others fail as well, without a section each.
    """
    if getattr(report, "not_started", False):
        return "not started", "n", "NOT STARTED"
    if getattr(report, "import_told", False):
        return "failed: does not import", "E", "DOES NOT IMPORT"
    return None


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    board: Scoreboard = config.stash[RESULTS]
    if board.empty:
        return
    folder = answers_dir(config)
    for line in board.render(graded_folder=f"{shown(folder)}/"):
        terminalreporter.write_line(line)
