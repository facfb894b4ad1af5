"""The pytest plugin that grades ``exercises/``: its options, the order of tests, how each runs.

``exercises/conftest.py`` loads it with the plugins beside it. Each test is graded
for its own task: it runs against the learner's files with the other tasks' blanks
filled as ``workbook.grading.plans`` says, first with the learner's other answers,
then, if it fails, with the reference's.
"""

import pytest
from _pytest.runner import runtestprotocol  # the one way pytest offers to run a test again

from workbook.chapters import EXERCISES, find_chapter
from workbook.grading.fixtures import plans_differ
from workbook.grading.plans import MODE, Mode, task_of
from workbook.grading.scoreboard import PASSED_ALONE


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "task(taskno): the numbered task of the chapter a test grades"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not item.path.is_relative_to(EXERCISES):
            # Another copy of the workbook, run with this copy's Python: it would grade
            # the files of this copy, not the ones the learner is editing.
            raise pytest.UsageError(
                f"These tests are in {item.path.parent.parent}, but this Python's workbook "
                f"is the one in {EXERCISES.parent}, whose files it would grade.\n"
                "Run that copy's own Python: `make test` or `.venv/bin/pytest exercises/` "
                "from its folder (or `pip install -e .` there once)."
            )
        item.user_properties += [("chapter", item.path.parent.name), ("task", task_of(item))]
    # A chapter's tests by task, each task's in file order: a task's app is loaded once.
    chapters = list(dict.fromkeys(item.path for item in items))
    items.sort(key=lambda item: (chapters.index(item.path), task_of(item)))
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
    kept = [item for item in items if task_of(item) == task]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool:
    """Run a graded test with the learner's other answers; if it fails, again with the reference's.

    The test passes if either passes: the task's own code does its job. Only the
    reports of the run that counts are logged (terminal, junit, scoreboard).
    """
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    item.stash[MODE] = Mode.YOURS
    reports = runtestprotocol(item, nextitem=nextitem, log=False)
    if _failed(reports) and plans_differ(item):
        item.stash[MODE] = Mode.ALONE
        reports = runtestprotocol(item, nextitem=nextitem, log=False)
        if not _failed(reports):
            for report in reports:  # a list of the report's own: the item's is shared
                report.user_properties = [*report.user_properties, (PASSED_ALONE, True)]
    for report in reports:
        item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def _failed(reports: list[pytest.TestReport]) -> bool:
    """Whether a run failed on the learner's code (a task not started is no failure here)."""
    return any(r.failed and not getattr(r, "not_started", False) for r in reports)
