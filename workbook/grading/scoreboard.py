"""The end-of-run scoreboard: each chapter's tasks passed, and the next thing to do."""

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from workbook.chapters import Chapter, Task, all_chapters
from workbook.grading.feedback import IMPORT_FAILED

BAR_WIDTH = 12
STICKY = ("failed", "not started")  # a later phase's pass cannot undo these
WHY_LINES = 14  # of a failure's message, shown under the next step
PASSED_ALONE = "passed alone"  # a test's user property: passed only beside the reference's tasks


@dataclass
class Scoreboard:
    """Outcomes by chapter, task and test."""

    outcomes: dict[str, dict[int, dict[str, str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict))
    )
    # chapter slug -> nodeid -> a failed test's message
    failures: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    import_errors: dict[str, str] = field(default_factory=dict)  # chapter slug -> the error
    # chapter slug -> tasks with a test that passed only with the reference's other tasks
    alone_only: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_junit(cls, report: Path) -> "Scoreboard":
        """Return the scoreboard of a junit report written by ``pytest exercises/``."""
        board = cls()
        for case in ET.parse(report).getroot().iter("testcase"):
            properties = {p.get("name"): p.get("value") for p in case.iter("property")}
            chapter, task = properties.get("chapter"), properties.get("task")
            if chapter is None or not (task and task.isdecimal()):
                continue
            nodeid = f"{case.get('classname')}::{case.get('name')}"
            outcome, message = _junit_outcome(case)
            board.record(chapter, int(task), nodeid, outcome, message)
            if properties.get(PASSED_ALONE) == "True":
                board.alone_only[chapter].add(int(task))
        return board

    @property
    def empty(self) -> bool:
        return not self.outcomes

    def record(
        self,
        chapter_slug: str,
        taskno: int | None,
        nodeid: str,
        outcome: str,
        message: str | None = None,
    ) -> None:
        """Note one phase's outcome of one test, and a failure's message."""
        if taskno is None:
            return
        tests = self.outcomes[chapter_slug][taskno]
        if tests.get(nodeid) not in STICKY:
            tests[nodeid] = outcome
        if outcome == "failed" and message:
            self.failures[chapter_slug].setdefault(nodeid, message)
        lines = (message or "").splitlines()
        if lines and lines[0].startswith(IMPORT_FAILED) and len(lines) > 1:
            self.import_errors.setdefault(chapter_slug, lines[1].strip())

    def first_failure(self, chapter: Chapter, taskno: int) -> tuple[str, str] | None:
        """Return (test name, message) of the task's first failed test that has a message."""
        messages = self.failures.get(chapter.slug, {})
        for nodeid, outcome in self.outcomes.get(chapter.slug, {}).get(taskno, {}).items():
            if outcome == "failed" and nodeid in messages:
                return nodeid.rpartition("::")[2], messages[nodeid]
        return None

    def merge(self, fresh: "Scoreboard") -> None:
        """Take ``fresh``'s grading of each chapter it graded in place of this board's."""
        for slug in fresh.outcomes:
            self.outcomes[slug] = fresh.outcomes[slug]
            self.failures[slug] = fresh.failures.get(slug, {})
            self.import_errors.pop(slug, None)
            self.alone_only[slug] = fresh.alone_only.get(slug, set())
            if slug in fresh.import_errors:
                self.import_errors[slug] = fresh.import_errors[slug]

    def task_status(self, chapter: Chapter, taskno: int) -> str:
        """Return "passed", "not started" or "failed" for one task (all of its tests)."""
        outcomes = set(self.outcomes.get(chapter.slug, {}).get(taskno, {}).values())
        if outcomes == {"passed"}:
            return "passed"
        if outcomes == {"not started"}:
            return "not started"
        return "failed"

    def graded_tasks(self, chapter: Chapter) -> list[Task]:
        """The chapter's tasks that this run graded: all of them, unless ``--task`` chose one."""
        graded = self.outcomes.get(chapter.slug, {})
        return [task for task in chapter.tasks if task.number in graded]

    def first_open_task(self, chapter: Chapter) -> Task | None:
        """Return the chapter's first graded task that does not pass, or None."""
        tasks = self.graded_tasks(chapter)
        return next((t for t in tasks if self.task_status(chapter, t.number) != "passed"), None)

    def next_task(self) -> tuple[Chapter, Task] | None:
        """Return the first task, in course order, that was graded and does not pass."""
        for chapter in all_chapters():
            if (task := self.first_open_task(chapter)) is not None:
                return chapter, task
        return None

    def render(self, graded_folder: str, *, overall: bool = False, options: str = "") -> list[str]:
        """Return the scoreboard's lines; with ``overall``, a line for all chapters as well.

        ``options`` go at the end of the pytest command the next step suggests, so that it
        grades the same files (``--solutions``, ``--answers-dir=...``).
        """
        chapters = [c for c in all_chapters() if c.slug in self.outcomes]
        lines = ["", f" Workbook scoreboard: grading {graded_folder} ".center(78, "=")]
        for chapter in chapters:
            statuses = [self.task_status(chapter, t.number) for t in self.graded_tasks(chapter)]
            passed, total = statuses.count("passed"), len(statuses)
            if chapter.slug in self.import_errors:
                state = "does not import"
            elif passed == total:
                state = "done"
            elif set(statuses) == {"not started"}:
                state = "not started"
            else:
                state = "in progress"
            bar = _bar(passed, total)
            lines.append(
                f"{chapter.number} {chapter.title:<32} {bar} {passed}/{total} tasks  {state}"
            )
            for number in sorted(self.alone_only.get(chapter.slug, ())):
                lines.append(
                    f"   task {number} passes on its own, but not beside your other answers "
                    "in the same files: one of them breaks it"
                )
        if overall:
            passed, total = self.totals()
            lines.append(f"{'':2} {'Overall':<32} {_bar(passed, total)} {passed}/{total} tasks")
        lines += ["", self._tasks_line()]
        return lines + self._next_step_lines(len(chapters), graded_folder, options)

    def _next_step_lines(self, chapter_count: int, graded_folder: str, options: str) -> list[str]:
        """What to do next: the task, the files to edit (in the graded folder), where to read."""
        next_task = self.next_task()
        if next_task is None:
            return [f"Every task of the {chapter_count} chapter(s) graded here passes. Well done!"]
        chapter, task = next_task
        files = ", ".join(f"{graded_folder}{chapter.slug}/{f.name}" for f in chapter.files)
        grade = f"  Grade just this chapter with: pytest exercises/{chapter.slug}{options}"
        if (import_error := self.import_errors.get(chapter.slug)) is not None:
            next_step = f"Next: make chapter {chapter.number}'s files import again: {files}"
            return [next_step, f"  {import_error}", grade]
        verb = "Start" if self.task_status(chapter, task.number) == "not started" else "Finish"
        return [
            f"Next: {verb} chapter {chapter.number}, task {task.number}: {task.title}.",
            f"  Edit {files}; the task is described in exercises/{chapter.slug}/README.md.",
            grade,
            f"  Stuck? exercises/{chapter.slug}/HINTS.md has hints for each task, one at a time.",
        ]

    def why_lines(self) -> list[str]:
        """Say why the next task fails: its first failed test's message, cut short.

        For ``workbook status`` and ``watch``; pytest's own report shows every failure.
        """
        next_task = self.next_task()
        if next_task is None:
            return []
        chapter, task = next_task
        failure = self.first_failure(chapter, task.number)
        if failure is None:
            return []
        name, message = failure
        text = message.strip().splitlines()
        shown_lines = [f"    {line}".rstrip() for line in text[:WHY_LINES]]
        if len(text) > WHY_LINES:
            shown_lines.append(f"    ... (pytest exercises/{chapter.slug} shows the rest)")
        return ["", f"Why task {task.number} fails: {name}", *shown_lines]

    def _tasks_line(self) -> str:
        """Tasks by status: pytest's own last line counts tests, of which a task has several."""
        statuses = [
            self.task_status(chapter, task.number)
            for chapter in all_chapters()
            for task in self.graded_tasks(chapter)
        ]
        counts = {status: statuses.count(status) for status in ("passed", "failed", "not started")}
        return (
            f"Tasks: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['not started']} not started (a task passes when all its tests pass)."
        )

    def totals(self) -> tuple[int, int]:
        """Return the tasks passed and the tasks in all, over the chapters graded."""
        tasks = [
            (chapter, task.number)
            for chapter in all_chapters()
            for task in self.graded_tasks(chapter)
        ]
        passed = sum(self.task_status(chapter, n) == "passed" for chapter, n in tasks)
        return passed, len(tasks)


def _bar(passed: int, total: int) -> str:
    """``[####........]``: the share of ``total`` tasks passed."""
    filled = round(BAR_WIDTH * passed / total) if total else 0
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}]"


def _junit_outcome(case: ET.Element) -> tuple[str, str | None]:
    """Return a junit case's outcome, as the plugin records them, and its failure's text."""
    for child in case:
        if child.tag in ("failure", "error"):
            text = child.text or child.get("message", "")
            full = f"{child.get('message', '')}\n{child.text or ''}"
            return ("not started" if "not started" in full else "failed"), text
    if case.find("skipped") is not None:
        return "skipped", None
    return "passed", None
