"""The end-of-run scoreboard: each chapter's tasks passed, and the next thing to do."""

from collections import defaultdict
from dataclasses import dataclass, field

from workbook.chapters import Chapter, all_chapters

BAR_WIDTH = 12
STICKY = ("failed", "not started")  # a later phase's pass cannot undo these


@dataclass
class Scoreboard:
    """Outcomes by chapter, task and test."""

    outcomes: dict[str, dict[int, dict[str, str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict))
    )

    @property
    def empty(self) -> bool:
        return not self.outcomes

    def record(self, chapter_slug: str, taskno: int | None, nodeid: str, outcome: str) -> None:
        """Note one phase's outcome of one test."""
        if taskno is None:
            return
        tests = self.outcomes[chapter_slug][taskno]
        if tests.get(nodeid) not in STICKY:
            tests[nodeid] = outcome

    def task_status(self, chapter: Chapter, taskno: int) -> str:
        """Return "passed", "not started" or "failed" for one task (all of its tests)."""
        outcomes = set(self.outcomes[chapter.slug][taskno].values())
        if outcomes == {"passed"}:
            return "passed"
        if outcomes == {"not started"}:
            return "not started"
        return "failed"

    def render(self, graded_folder: str, *, overall: bool = False) -> list[str]:
        """Return the scoreboard's lines; with ``overall``, a line for all chapters as well."""
        chapters = [c for c in all_chapters() if c.slug in self.outcomes]
        lines = ["", f" Workbook scoreboard: grading {graded_folder} ".center(78, "=")]
        next_step = None
        for chapter in chapters:
            statuses = {t.number: self.task_status(chapter, t.number) for t in chapter.tasks}
            passed = sum(status == "passed" for status in statuses.values())
            total = len(chapter.tasks)
            filled = round(BAR_WIDTH * passed / total)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            if passed == total:
                state = "done"
            elif set(statuses.values()) == {"not started"}:
                state = "not started"
            else:
                state = "in progress"
            lines.append(
                f"{chapter.number} {chapter.title:<32} [{bar}] {passed}/{total} tasks  {state}"
            )
            if next_step is None and passed < total:
                first = min(n for n, status in statuses.items() if status != "passed")
                next_step = (chapter, chapter.task(first), statuses[first])
        if overall:
            passed, total = self.totals()
            filled = round(BAR_WIDTH * passed / total) if total else 0
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            lines.append(f"{'':2} {'Overall':<32} [{bar}] {passed}/{total} tasks")
        lines.append("")
        lines.extend(_next_step_lines(next_step, len(chapters)))
        return lines

    def totals(self) -> tuple[int, int]:
        """Return the tasks passed and the tasks in all, over the chapters graded."""
        tasks = [
            (chapter, task.number)
            for chapter in all_chapters()
            if chapter.slug in self.outcomes
            for task in chapter.tasks
        ]
        passed = sum(self.task_status(chapter, n) == "passed" for chapter, n in tasks)
        return passed, len(tasks)


def _next_step_lines(next_step, chapter_count: int) -> list[str]:
    if next_step is None:
        return [f"Every task of the {chapter_count} chapter(s) graded here passes. Well done!"]
    chapter, task, status = next_step
    files = ", ".join(f"exercises/{chapter.slug}/{f.name}" for f in chapter.files)
    verb = "Start" if status == "not started" else "Finish"
    return [
        f"Next: {verb} chapter {chapter.number}, task {task.number}: {task.title}.",
        f"  Edit {files}; the task is described in exercises/{chapter.slug}/README.md.",
        f"  Grade just this chapter with: pytest exercises/{chapter.slug}",
        f"  Stuck? exercises/{chapter.slug}/HINTS.md has hints for each task, one at a time.",
    ]
