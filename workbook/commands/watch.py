"""``workbook watch [CHAPTER]``: grade again each time a file of the chapter(s) is saved.

File events (watchdog) wake it at once; the files' modification times are compared
every ``--interval`` seconds all the same, so a folder whose events never arrive (a
network drive, some container or WSL mounts) is still watched. ``--poll`` uses only that.
"""

import threading
import time
from collections.abc import Callable
from pathlib import Path

import click

from workbook.chapters import Chapter, all_chapters, shown
from workbook.grading.scoreboard import Scoreboard
from workbook.progress import GradingError, chapter_named, exercises_dir, grade, grading_options
from workbook.warm import WarmGrader

Snapshot = dict[Path, tuple[int, int]]


def snapshot(folders: list[Path]) -> Snapshot:
    """Return each .py file under ``folders`` with its modification time and size."""
    files = {}
    for folder in folders:
        for path in folder.rglob("*.py"):
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed while we looked
                continue
            files[path] = (stat.st_mtime_ns, stat.st_size)
    return files


def start_observer(folders: list[Path], wake: threading.Event) -> Callable[[], None] | None:
    """Set ``wake`` on any .py file event under ``folders``; return how to stop, or None."""
    try:
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer
    except ImportError:
        return None

    class Waker(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if any(str(path).endswith(".py") for path in (event.src_path, event.dest_path)):
                wake.set()

    observer = Observer()
    try:
        for folder in folders:
            observer.schedule(Waker(), str(folder), recursive=True)
        observer.start()
    except Exception as error:  # e.g. no inotify watches left: polling still works
        click.echo(f"(File events do not work here, {error}; polling instead.)", err=True)
        return None

    def stop() -> None:
        observer.stop()
        observer.join(timeout=5)

    return stop


def changes(before: Snapshot, now: Snapshot) -> list[Path]:
    """Return the files added, removed or changed between two snapshots."""
    return sorted((now.keys() ^ before.keys()) | {p for p in now if now[p] != before.get(p)})


def run(
    chapters: list[Chapter], board: Scoreboard, number: int, why: str, grader: WarmGrader
) -> None:
    """Grade ``chapters`` into ``board`` and print the scoreboard."""
    click.echo(f"\n--- {time.strftime('%H:%M:%S')} run {number}: {why}")
    try:
        fresh = grade(chapters, grader.run)
    except GradingError as error:
        click.echo(f"Error: {error.format_message()}", err=True)
        return
    board.merge(fresh)
    graded = f"{shown(exercises_dir())}/"
    for line in board.render(graded_folder=graded, options=grading_options())[2:]:  # no title
        click.echo(line)
    for line in board.why_lines():
        click.echo(line)


@click.command()
@click.argument("chapter", required=False)
@click.option("--poll", is_flag=True, help="Only compare file times; use no file events.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    help="Seconds between two looks at the files' times.",
)
@click.option("--max-runs", type=click.IntRange(min=1), hidden=True)  # lets tests stop it
def watch(chapter: str | None, poll: bool, interval: float, max_runs: int | None) -> None:
    """Grade your work now, then each time you save a file.

    CHAPTER (a number such as 2 or 02, or a folder name) watches just that chapter.
    Ctrl-C stops watching.
    """
    chapters = [chapter_named(chapter)] if chapter else list(all_chapters())
    folders = [exercises_dir() / c.slug for c in chapters]
    missing = [shown(folder) for folder in folders if not folder.is_dir()]
    if missing:
        raise click.ClickException(f"No such folder: {', '.join(missing)}")
    wake = threading.Event()
    stop = None if poll else start_observer(folders, wake)
    how = "file events, and a look" if stop else "a look"
    where = shown(folders[0]) if chapter else shown(exercises_dir())
    click.echo(f"Watching {where}/ ({how} every {interval:g} s). Ctrl-C stops.")
    board, runs = Scoreboard(), 1
    before = snapshot(folders)
    grader = WarmGrader()  # keeps the libraries imported between two gradings
    try:
        run(chapters, board, runs, "first grading", grader)
        while max_runs is None or runs < max_runs:
            wake.wait(interval)
            wake.clear()
            if snapshot(folders) == before:
                continue
            time.sleep(0.1)  # let the editor finish writing
            now = snapshot(folders)
            changed, before = changes(before, now), now
            if not changed:  # changed, then back again
                continue
            runs += 1
            slugs = {p.relative_to(exercises_dir()).parts[0] for p in changed}
            touched = [c for c in chapters if c.slug in slugs]
            why = ", ".join(p.name for p in changed) + " changed"
            run(touched or chapters, board, runs, why, grader)
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")
    finally:
        grader.close()
        if stop is not None:
            stop()
