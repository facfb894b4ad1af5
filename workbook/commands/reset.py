"""``workbook reset CHAPTER``: put a chapter's skeleton back, keeping the learner's file.

Each file that differs from the untouched skeleton is first copied to
``.workbook/backups/NN_slug/FILE.YYYYmmdd-HHMMSS``; then the skeleton is generated
afresh from ``reference_app/``, exactly as ``python -m workbook.generate`` writes it.
"""

import shutil
from datetime import datetime
from pathlib import Path

import click

from workbook.chapters import Chapter, shown
from workbook.progress import chapter_named, learner_file, state_dir
from workbook.skeletons import skeleton as skeleton_text


def skeleton(chapter: Chapter) -> dict[Path, str]:
    """Return each of the chapter's learner files with its untouched skeleton text."""
    return {
        learner_file(chapter, file.name): skeleton_text(chapter, file) for file in chapter.files
    }


def backup(path: Path, chapter: Chapter) -> Path:
    """Copy ``path`` into the chapter's backup folder under a timestamped name; return it."""
    folder = state_dir() / "backups" / chapter.slug
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{path.name}.{stamp}"
    extra = 1
    while target.exists():  # two resets within a second keep both files
        extra += 1
        target = folder / f"{path.name}.{stamp}-{extra}"
    shutil.copy2(path, target)
    return target


@click.command()
@click.argument("chapter")
@click.option("--yes", "-y", is_flag=True, help="Reset without asking first.")
def reset(chapter: str, yes: bool) -> None:
    """Restore a chapter's skeleton, backing up your file.

    CHAPTER is a number such as 2 or 02, or a folder name such as 02_blueprints.
    """
    found = chapter_named(chapter)
    skeletons = skeleton(found)
    changed = []
    for path, text in skeletons.items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            click.echo(f"{shown(path)} is already the untouched skeleton: nothing to do.")
        else:
            changed.append(path)
    if not changed:
        return
    names = ", ".join(path.name for path in changed)
    if not yes:
        click.confirm(
            f"Reset {names} of chapter {found.number} ({found.title}) to the skeleton? "
            "A backup of each is kept",
            abort=True,
        )
    for path in changed:
        if path.exists():
            click.echo(f"Kept your {path.name} as {shown(backup(path, found))}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(skeletons[path], encoding="utf-8")
        click.echo(f"Restored the skeleton of {shown(path)}")
    click.echo(f"Chapter {found.number} starts afresh: workbook status {found.number}")
