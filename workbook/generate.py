"""Generate each chapter's skeletons and solutions from ``reference_app/``, and check them.

    python -m workbook.generate          # write exercises/NN_*/FILE and solutions/NN_*/FILE
    python -m workbook.generate --check  # exit 1, naming each file, if any is out of date
    python -m workbook.generate --force  # write even over work: answers, hand edits

A solution is the reference module as it is; a skeleton is made from it by
``workbook.skeletons.blank``. The GitHub Classroom workflow is generated too
(``workbook.workflow``). Nothing is written over a learner's answers or a hand edit.
"""

import argparse
import subprocess
import sys
from collections.abc import Collection, Container, Iterator, Mapping
from functools import cache
from pathlib import Path

from workbook import workflow
from workbook.chapters import (
    EXERCISES,
    MANIFEST,
    ROOT,
    Chapter,
    ExerciseFile,
    all_chapters,
)
from workbook.skeletons import answered, skeleton


def _generated(chapter: Chapter, file: ExerciseFile) -> Iterator[tuple[Path, str]]:
    """Yield the solution and the skeleton made from ``file``, each with its text."""
    yield chapter.solution_dir / file.name, (ROOT / file.source).read_text(encoding="utf-8")
    yield chapter.exercise_dir / file.name, skeleton(chapter, file)


def _generated_with_inputs() -> Iterator[tuple[Path, str, tuple[Path, ...]]]:
    """Yield every generated path, its text, and the files it is generated from."""
    chapters = all_chapters()
    for chapter in chapters:
        for file in chapter.files:
            inputs = (ROOT / file.source, chapter.exercise_dir / MANIFEST)
            for path, text in _generated(chapter, file):
                yield path, text, inputs
    manifests = tuple(chapter.exercise_dir / MANIFEST for chapter in chapters)
    yield workflow.WORKFLOW, workflow.render(), manifests


def expected_files() -> Iterator[tuple[Path, str]]:
    """Yield every generated path with the text it should hold.

    That is each chapter's solutions and skeletons, and the GitHub Classroom workflow,
    which has a step per task.
    """
    for path, text, _inputs in _generated_with_inputs():
        yield path, text


def write_exercises(
    folder: Path,
    finished: Container[str] = (),
    *,
    untouched: Mapping[str, Collection[int]] | None = None,
) -> Path:
    """Lay out a learner's ``NN_slug/FILE`` files in ``folder``; return it.

    A chapter named in ``finished`` (by its slug) gets its solutions, every other one
    its untouched skeletons: a learner's checkout at some point of the course, as tests
    and tools grade it. A chapter in ``untouched`` gets files in which only the tasks
    it lists are left as the skeleton has them, the others answered.
    """
    untouched = untouched or {}
    for chapter in all_chapters():
        for file in chapter.files:
            if chapter.slug in untouched:
                text = skeleton(chapter, file, untouched[chapter.slug])
            elif chapter.slug in finished:
                text = (ROOT / file.source).read_text(encoding="utf-8")
            else:
                text = skeleton(chapter, file)
            target = folder / chapter.slug / file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return folder


@cache  # one run asks for the same inputs again and again; the last commit does not move
def committed_text(path: Path) -> str | None:
    """Return ``path`` as the last commit holds it, or None (not in git, or no git at all)."""
    try:
        shown = subprocess.run(
            # "./": relative to the workbook's folder, which may sit inside a larger repo.
            ["git", "show", f"HEAD:./{path.relative_to(ROOT).as_posix()}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # git is not installed: a workbook downloaded as a zip
        return None
    return shown.stdout if shown.returncode == 0 else None


def _on_disk(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def _learners(path: Path, text: str) -> bool:
    """Whether ``path`` is a skeleton in which a learner has answered a task."""
    on_disk = _on_disk(path)
    return path.is_relative_to(EXERCISES) and on_disk is not None and answered(on_disk, text)


def stale_files() -> list[Path]:
    """Return the generated files that differ from what the generator would write now.

    A file counts as up to date when the generator's text is on disk or in the last
    commit. A skeleton that a learner has answered tasks in is theirs, not checked.
    """
    return [
        path
        for path, text in expected_files()
        if not _learners(path, text) and text not in (_on_disk(path), committed_text(path))
    ]


def edited_files() -> list[Path]:
    """Return the generated files that generating would overwrite with someone's work.

    That is a skeleton in which a learner has answered a task (see ``answered``), and,
    where git tells, any generated file changed since the last commit although what it
    is generated from is as committed: when a maintainer changes the reference module
    or a manifest, regenerating is the point.
    """
    edited = []
    for path, text, inputs in _generated_with_inputs():
        on_disk = _on_disk(path)
        if on_disk is None or on_disk == text:
            continue
        if _learners(path, text):
            edited.append(path)
            continue
        committed = committed_text(path)
        changed_by_hand = committed is not None and on_disk != committed
        if changed_by_hand and all(_on_disk(src) == committed_text(src) for src in inputs):
            edited.append(path)
    return edited


def write_all() -> list[Path]:
    """Write every generated file; return the ones that changed."""
    changed = []
    for path, text in expected_files():
        if _on_disk(path) != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line; an unknown argument is an error, never a silent rewrite."""
    parser = argparse.ArgumentParser(
        prog="python -m workbook.generate",
        description="Write every skeleton and solution from reference_app/ (maintainers).",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 naming each stale file"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite even answers and hand edits"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Generate, or with ``--check`` report, the skeletons and solutions."""
    args = parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        if stale:
            print("Run `python -m workbook.generate` and commit the result.", file=sys.stderr)
        return 1 if stale else 0
    if not args.force and (edited := edited_files()):
        for path in edited:
            print(f"holds work of its own: {path.relative_to(ROOT)}", file=sys.stderr)
        print(
            "Nothing written: generating would overwrite these. If they hold work of "
            "your own, keep it; to overwrite them, run again with --force.",
            file=sys.stderr,
        )
        return 1
    for path in write_all():
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
