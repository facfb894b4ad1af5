"""``workbook hint CHAPTER [TASK]``: the next hint for a task, one level at a time.

The levels shown are kept in ``.workbook/state.json``, so that the next call shows the
next level: a nudge, then a pointer, then nearly the answer.
"""

import json
from pathlib import Path
from typing import Any

import click

from workbook.chapters import Chapter, Task, shown
from workbook.hints import Hint, read_hints
from workbook.progress import (
    GradingError,
    chapter_named,
    grade,
    learner_file,
    state_dir,
)


def state_file() -> Path:
    """Return the path of the JSON file that remembers the hints shown."""
    return state_dir() / "state.json"


def load_state() -> dict[str, Any]:
    """Return the saved state, or an empty one when there is none (or it is unreadable)."""
    try:
        state = json.loads(state_file().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        state = None
    if not _well_formed(state):
        click.echo(f"(Starting afresh: {shown(state_file())} could not be read.)", err=True)
        return {}
    return state


def _well_formed(state: object) -> bool:
    """Whether ``state`` has the shape save_state writes (a hand-edited file may not)."""

    def numbers_by_name(value: object) -> bool:
        return isinstance(value, dict) and all(
            isinstance(key, str) and type(number) is int for key, number in value.items()
        )

    if not isinstance(state, dict):
        return False
    hints = state.get("hints_shown", {})
    return (
        isinstance(hints, dict)
        and all(numbers_by_name(levels) for levels in hints.values())
        and numbers_by_name(state.get("last_task", {}))
    )


def save_state(state: dict[str, Any]) -> None:
    """Write the state, replacing the file in one step."""
    path = state_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(path)


def pick_task(
    chapter: Chapter, number: int | None, again: bool, state: dict[str, Any]
) -> Task | None:
    """Return the task to give a hint for, or None when every task passes.

    That is TASK when given; with ``--again``, the last one hinted; else the chapter's
    first task that does not pass (graded now), or task 1 when grading cannot run.
    """
    if number is None and again:
        number = state.get("last_task", {}).get(chapter.slug)
    if number is not None:
        try:
            return chapter.task(number)
        except KeyError:
            tasks = "\n".join(f"  {t.number}  {t.title}" for t in chapter.tasks)
            raise click.ClickException(
                f"Chapter {chapter.number} has no task {number}. Its tasks are:\n{tasks}"
            ) from None
    try:
        board = grade([chapter])
    except GradingError as error:
        click.echo(f"(Could not grade chapter {chapter.number}, so: task 1.)\n{error}", err=True)
        return chapter.tasks[0]
    if chapter.slug not in board.outcomes:  # nothing graded: no way to tell
        return chapter.tasks[0]
    return board.first_open_task(chapter)


def show(chapter: Chapter, task: Task, hint: Hint, count: int) -> None:
    """Print one hint under a header naming the chapter, the task and the level."""
    kind = hint.heading.partition(":")[2].strip()
    header = (
        f"Chapter {chapter.number}, task {task.number}: {task.title} — hint {hint.level} of {count}"
    )
    click.echo(f"{header}{f' ({kind})' if kind else ''}\n")
    click.echo(hint.text)
    files = ", ".join(shown(learner_file(chapter, f.name)) for f in chapter.files)
    click.echo(f"\nTry it in {files}, then grade it: workbook status {chapter.number}")
    if hint.level < count:
        click.echo(
            f"Still stuck? `workbook hint {chapter.number} {task.number}` shows the next one."
        )


@click.command()
@click.argument("chapter")
@click.argument("task", type=int, required=False)
@click.option("--again", is_flag=True, help="Show the last hint shown again.")
@click.option(
    "--reset",
    "forget",
    is_flag=True,
    help="Forget the hints shown for TASK, or for the whole chapter.",
)
def hint(chapter: str, task: int | None, again: bool, forget: bool) -> None:
    """Show the next hint for a task, one level at a time.

    CHAPTER is a number such as 2 or 02, or a folder name such as 02_blueprints.
    TASK is by default the chapter's first task that does not pass yet.
    """
    found = chapter_named(chapter)
    state = load_state()
    shown_levels = state.setdefault("hints_shown", {}).setdefault(found.slug, {})
    if forget:
        if task is None:
            shown_levels.clear()
        else:
            shown_levels.pop(str(task), None)
        save_state(state)
        which = f"task {task}" if task is not None else "every task"
        click.echo(f"Forgot the hints shown for chapter {found.number}, {which}.")
        return
    picked = pick_task(found, task, again, state)
    if picked is None:
        click.echo(
            f"Every task of chapter {found.number} passes: no hint needed. "
            f"A task's hints all the same: workbook hint {found.number} TASK"
        )
        return
    hints = read_hints(found).get(picked.number, [])
    if not hints:
        raise click.ClickException(
            f"exercises/{found.slug}/HINTS.md has no hints for task {picked.number}."
        )
    level = min(shown_levels.get(str(picked.number), 0), len(hints))
    if again:
        if level == 0:
            raise click.ClickException(
                f"No hint of chapter {found.number}, task {picked.number} shown yet; "
                f"ask for the first: workbook hint {found.number} {picked.number}"
            )
        level -= 1
    elif level >= len(hints):
        click.echo(
            f"Chapter {found.number}, task {picked.number}: {picked.title} — "
            f"no more hints: you have seen all {len(hints)}.\n"
            f"See the last again with: workbook hint {found.number} {picked.number} --again\n"
            f"Or compare with the finished file in solutions/{found.slug}/."
        )
        return
    show(found, picked, hints[level], len(hints))
    shown_levels[str(picked.number)] = max(level + 1, shown_levels.get(str(picked.number), 0))
    state.setdefault("last_task", {})[found.slug] = picked.number
    save_state(state)
