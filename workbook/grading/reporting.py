"""How the grading run reports: worded failures, "not started", and the scoreboard at the end.

``exercises/conftest.py`` loads it beside the other grading plugins.
"""

from typing import Any

import pytest

from workbook.chapters import shown
from workbook.grading.feedback import IMPORT_FAILED, Feedback, not_started_error, your_code_raised
from workbook.grading.fixtures import COPIES
from workbook.grading.options import answers_dir
from workbook.grading.scoreboard import PASSED_ALONE, Scoreboard
from workbook.grading.seeds import replay_hint

RESULTS = pytest.StashKey[Scoreboard]()
IMPORT_TOLD = pytest.StashKey[set[str]]()  # chapters whose import failure was reported in full


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RESULTS] = board = Scoreboard()
    config.stash[IMPORT_TOLD] = set()
    config.pluginmanager.register(OutcomeRecorder(board), "workbook-outcome-recorder")


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
        told = item.config.stash[IMPORT_TOLD]
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
    # The report pytest makes of a run that passed, with its captured output, then failed.
    report = pytest.TestReport.from_item_and_call(
        item, pytest.CallInfo.from_call(lambda: None, when=call.when)
    )
    report.outcome = "failed"
    report.duration, report.start, report.stop = call.duration, call.start, call.stop
    server_errors = item.config.stash[COPIES].server_errors
    if isinstance(error, Feedback) and (
        cause := server_errors.cause_of_a_500(message, answers_dir(item.config), item.path)
    ):
        message = f"{message}\n\nThe app answered 500 because of this exception:\n{cause}"
        if item.config.option.tbstyle != "long":  # the log repeats it, library frames and all
            report.sections = [s for s in report.sections if not s[0].startswith("Captured log")]
    report.longrepr = message
    marked: Any = report  # two attributes of ours, read by pytest_report_teststatus
    marked.not_started = untouched is not None
    marked.import_told = told_before
    return report


class OutcomeRecorder:
    """Notes each logged test outcome by chapter and task, for the scoreboard.

    Only logged reports count: a test that ran again on its own (see the plugin's
    protocol) is logged once, with the run that counts.
    """

    def __init__(self, board: Scoreboard) -> None:
        self.board = board

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        if "task" not in properties or not (
            report.when == "call" or report.failed or report.skipped
        ):
            return
        outcome = "not started" if getattr(report, "not_started", False) else report.outcome
        message = report.longreprtext if report.failed else None
        chapter, task = str(properties["chapter"]), int(str(properties["task"]))
        self.board.record(chapter, task, report.nodeid, outcome, message)
        if properties.get(PASSED_ALONE) and report.when == "call":
            self.board.alone_only[chapter].add(task)


def pytest_report_teststatus(
    report: pytest.TestReport,
) -> tuple[str, str, str | tuple[str, dict[str, bool]]] | None:
    """Count an untouched task's tests as "not started", apart from real failures.

    They still fail the run (and junit reports them as failures), but the terminal
    shows them as a yellow ``n`` and skips their sections: the scoreboard says what to
    do. A chapter whose app does not import shows its error once, in its first test's
    section; the others fail as well, without a section each.
    """
    if getattr(report, "not_started", False):
        return "not started", "n", ("NOT STARTED", {"yellow": True})  # letter takes its colour
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
    if board.failures:
        terminalreporter.write_line(replay_hint(config))
