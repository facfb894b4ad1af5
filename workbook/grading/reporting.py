"""How the grading run reports: worded failures, "not started", and the scoreboard at the end.

``exercises/conftest.py`` loads it beside ``workbook.grading.plugin``.
"""

import pytest

from workbook.chapters import shown
from workbook.grading.feedback import IMPORT_FAILED, Feedback, not_started_error, your_code_raised
from workbook.grading.plugin import answers_dir
from workbook.grading.scoreboard import Scoreboard
from workbook.grading.server_errors import cause_of_a_500

RESULTS = pytest.StashKey[Scoreboard]()
IMPORT_TOLD = pytest.StashKey[set[str]]()  # chapters whose import failure was reported in full


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS] = Scoreboard()
    config.pluginmanager.register(OutcomeRecorder(), "workbook-outcome-recorder")


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
        if call.excinfo and item.config.option.tbstyle != "long":  # long: pytest's own
            worded = your_code_raised(call.excinfo, answers_dir(item.config), item.path)
        if worded is None:
            return None  # pytest's own report, traceback and all
        message = worded
    sections = [(f"Captured {key} {when}", text) for when, key, text in item._report_sections]
    app = getattr(item, "funcargs", {}).get("app")
    if isinstance(error, Feedback) and (
        cause := cause_of_a_500(message, app, answers_dir(item.config), item.path)
    ):
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
    options = " --solutions" if config.getoption("solutions") else ""
    if config.getoption("answers_dir"):
        options = f" --answers-dir={shown(folder)}"
    for line in board.render(graded_folder=f"{shown(folder)}/", options=options):
        terminalreporter.write_line(line)
