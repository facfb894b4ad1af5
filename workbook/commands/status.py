"""``workbook status [CHAPTER]``: every chapter's tasks passed, and the next thing to do."""

import time

import click

from workbook.chapters import shown
from workbook.progress import (
    chapter_named,
    exercises_dir,
    grade,
    grading_options,
)


@click.command()
@click.argument("chapter", required=False)
def status(chapter: str | None) -> None:
    """Show each chapter's progress and what to do next.

    CHAPTER (a number such as 2 or 02, or a folder name) grades just that chapter.
    """
    chapters = [chapter_named(chapter)] if chapter else []
    folder = exercises_dir() / chapters[0].slug if chapters else exercises_dir()
    click.echo(f"Grading {shown(folder)}/ ...")
    started = time.monotonic()
    board = grade(chapters)
    if board.empty:
        raise click.ClickException(
            f"The grader reported no graded tests for {shown(folder)}/.\n"
            "Fix: run `workbook doctor`, which checks that pytest collects the exercises."
        )
    graded = f"{shown(exercises_dir())}/"
    for line in board.render(graded_folder=graded, overall=not chapters, options=grading_options()):
        click.echo(line)
    if (next_task := board.next_task()) is not None:
        click.echo(f"  Or ask for one hint at a time: workbook hint {next_task[0].number}")
    for line in board.why_lines():
        click.echo(line)
    click.echo(f"\nGraded in {time.monotonic() - started:.1f} s.")
