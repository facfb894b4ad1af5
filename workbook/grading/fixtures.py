"""The graded app of each test, as fixtures: ``reference``, ``app``, ``client``, ``runner``.

A test's ``reference`` is a fresh copy of ``reference_app`` whose chapter modules are
the learner's files, composed for the test's task (``workbook.grading.plans``). Equal
compositions share one copy and one app, so a learner who finished a chapter loads it
once; a few copies are kept at hand, as the tests run task by task.
"""

from collections import OrderedDict
from collections.abc import Iterator
from types import ModuleType

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from workbook.chapters import Chapter, find_chapter, shown
from workbook.grading.feedback import IMPORT_FAILED, Feedback, not_started
from workbook.grading.graded_app import GradedApps
from workbook.grading.loader import LoadedPackage, load
from workbook.grading.options import answers_dir
from workbook.grading.plans import MODE, LearnerFiles, Mode, Plan, task_of
from workbook.grading.server_errors import ServerErrors

KEPT_COPIES = 4  # a task's two plans, and the next task's, without loading any twice


class Copy:
    """One loaded copy of the app for a plan, or why it would not load, and its apps."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.loaded: LoadedPackage | None = None
        self.error: BaseException | None = None
        try:
            self.loaded = load(plan.swaps())
        except (Exception, SystemExit) as error:  # SystemExit: a file that calls sys.exit()
            self.error = error if not_started(error) else _import_failed(plan, error)
        self.apps = GradedApps()


def _import_failed(plan: Plan, error: BaseException) -> Feedback:
    folder = shown(plan.files[0].learner.path.parent)
    feedback = Feedback(
        f"{IMPORT_FAILED} from {folder}:\n"
        f"  {type(error).__name__}: {error}\n"
        "  Fix that first: every task of this chapter needs the app to import."
    )
    feedback.__cause__ = error
    return feedback


class Copies:
    """The copies of the app this grading run has loaded, the most recently used kept."""

    def __init__(self) -> None:
        self._copies: OrderedDict[Plan, Copy] = OrderedDict()
        self.learner_files: dict[str, LearnerFiles] = {}
        self.server_errors = ServerErrors()

    def files(self, config: pytest.Config, chapter: Chapter) -> LearnerFiles:
        if chapter.slug not in self.learner_files:
            self.learner_files[chapter.slug] = LearnerFiles(chapter, answers_dir(config))
        return self.learner_files[chapter.slug]

    def get(self, plan: Plan) -> Copy:
        if plan in self._copies:
            self._copies.move_to_end(plan)
        else:
            self._copies[plan] = Copy(plan)
            while len(self._copies) > KEPT_COPIES:
                _, oldest = self._copies.popitem(last=False)
                oldest.apps.close()
        return self._copies[plan]

    def close(self) -> None:
        for copy in self._copies.values():
            copy.apps.close()
        self._copies.clear()


COPIES = pytest.StashKey[Copies]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[COPIES] = Copies()
    config.addinivalue_line(
        "markers", "fresh_app: each test gets an app of its own (it adds routes or handlers)"
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    if COPIES in config.stash:
        config.stash[COPIES].close()


def _plan(item: pytest.Item, mode: Mode) -> Plan:
    chapter = find_chapter(item.path.parent.name)
    files = item.config.stash[COPIES].files(item.config, chapter)
    for file in chapter.files:
        if not files.path(file).is_file():
            raise NotImplementedError(
                f"task 1 not started: {shown(files.path(file))} is missing; "
                f"`workbook reset {chapter.number}` puts the skeleton back"
            )
    return files.plan(task_of(item), mode)


def plans_differ(item: pytest.Item) -> bool:
    """Whether the test's task, judged alone, runs other code than with the learner's answers."""
    try:
        return _plan(item, Mode.YOURS) != _plan(item, Mode.ALONE)
    except NotImplementedError:
        return False


def _copy(request: pytest.FixtureRequest) -> Copy:
    item = request.node
    copy = item.config.stash[COPIES].get(_plan(item, item.stash.get(MODE, Mode.YOURS)))
    if copy.error is not None:
        raise copy.error.with_traceback(None)
    return copy


@pytest.fixture(scope="module")
def chapter(request: pytest.FixtureRequest) -> Chapter:
    """The chapter whose folder holds the test module."""
    return find_chapter(request.path.parent.name)


@pytest.fixture
def reference(request: pytest.FixtureRequest) -> ModuleType:
    """A fresh ``reference_app`` with this chapter's modules taken from the graded files."""
    copy = _copy(request)
    assert copy.loaded is not None
    return copy.loaded.activate()


@pytest.fixture
def app(request: pytest.FixtureRequest, reference: ModuleType, database: str) -> Iterator[Flask]:
    """The complete app with the graded files, its database empty.

    A chapter's tests of one task share an app, emptied before each test, unless the
    test is marked ``fresh_app`` because it adds routes, handlers or settings.
    """
    copies = request.config.stash[COPIES]
    copies.server_errors.clear()
    if request.node.get_closest_marker("fresh_app"):
        with GradedApps() as apps:
            yield apps.build(reference, database, copies.server_errors)
        return
    yield _copy(request).apps.shared(reference, database, copies.server_errors)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's CLI commands."""
    return app.test_cli_runner()
