"""Generate each chapter's skeletons and solutions from ``reference_app/``.

    python -m workbook.generate          # write exercises/NN_*/FILE and solutions/NN_*/FILE
    python -m workbook.generate --check  # exit 1, naming each file, if any is out of date
    python -m workbook.generate --force  # write even over files edited since the last commit

A solution is the reference module as it is. A skeleton is the same module with the
bodies that the chapter's tasks name replaced: a function keeps its signature and
docstring and raises ``NotImplementedError("task N not started: ...")``; a class keeps
its docstring and gets a TODO. Everything else, imports and comments included, stays.

A task may also name an annotated class attribute, such as a mapped column
(``models.py:Post.title`` for ``title: Mapped[str] = mapped_column(...)``). The skeleton
drops the whole statement, with the comment lines right above it, so the class still
imports and maps (keep its primary key out of the blanks). The first attribute that a
task names in each class leaves the task's TODO in its place.
"""

import argparse
import ast
import subprocess
import sys
import textwrap
from collections.abc import Container, Iterator
from pathlib import Path

from workbook import workflow
from workbook.chapters import ROOT, Chapter, ExerciseFile, Task, all_chapters

SKELETON_HEADER = (
    "# Chapter {number} exercise: fill in each TODO, then grade your work with\n"
    "#     pytest exercises/{slug}\n"
    "# This file stands in for {source} inside the complete app.\n\n"
)


# What a task can blank: a function's body, a class's body, or an annotated attribute.
Blank = ast.FunctionDef | ast.ClassDef | ast.AnnAssign


def _name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.FunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def _find(tree: ast.Module, qualname: str) -> Blank:
    scope: list[ast.stmt] = tree.body
    node = None
    for part in qualname.split("."):
        node = next((n for n in scope if _name(n) == part), None)
        if node is None:
            raise LookupError(f"no {qualname!r} to blank")
        scope = getattr(node, "body", [])
    assert isinstance(node, Blank)
    return node


def _docstring_end(node: ast.FunctionDef | ast.ClassDef, qualname: str) -> int:
    first = node.body[0]
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
        raise LookupError(f"{qualname} needs a docstring to keep in its skeleton")
    assert first.end_lineno is not None
    return first.end_lineno


def _todo(task: Task, indent: str) -> list[str]:
    todo = textwrap.wrap(
        f"TODO(task {task.number}): {task.todo}",
        width=88 - len(indent),
        subsequent_indent="  ",
    )
    return [f"{indent}# {line}\n" for line in todo]


def _attribute_start(node: ast.AnnAssign, lines: list[str]) -> int:
    """Return the 0-based line where ``node`` starts, counting the comment lines above it."""
    start = node.lineno - 1
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


def _replacement(
    node: ast.FunctionDef | ast.ClassDef,
    qualname: str,
    task: Task,
    chapter: Chapter,
    file: ExerciseFile,
) -> list[str]:
    indent = " " * (node.col_offset + 4)
    lines = _todo(task, indent)
    if isinstance(node, ast.FunctionDef):
        lines += [
            f"{indent}raise NotImplementedError(\n",
            f'{indent}    "task {task.number} not started: implement {qualname}"\n',
            f'{indent}    " in exercises/{chapter.slug}/{file.name}"\n',
            f"{indent})\n",
        ]
    return lines


def blank(source: str, file: ExerciseFile, chapter: Chapter) -> str:
    """Return ``source`` with what the chapter's tasks name for ``file`` blanked."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []
    for task in chapter.tasks:
        classes_with_todo = set()  # where this task's attribute blanks left their TODO
        for target in task.blanks:
            file_name, qualname = target.split(":")
            if file_name != file.name:
                continue
            node = _find(tree, qualname)
            assert node.end_lineno is not None
            if isinstance(node, ast.AnnAssign):
                owner = qualname.rpartition(".")[0]
                todo = [] if owner in classes_with_todo else _todo(task, " " * node.col_offset)
                classes_with_todo.add(owner)
                edits.append((_attribute_start(node, lines), node.end_lineno, todo))
                continue
            start = _docstring_end(node, qualname)  # 1-based line of the docstring's end
            replacement = _replacement(node, qualname, task, chapter, file)
            edits.append((start, node.end_lineno, replacement))
    for start, end, replacement in sorted(edits, reverse=True):
        lines[start:end] = replacement
    header = SKELETON_HEADER.format(number=chapter.number, slug=chapter.slug, source=file.source)
    return _ruff_format(header + "".join(lines), chapter.exercise_dir / file.name)


def _ruff_format(text: str, path: Path) -> str:
    """Format ``text`` as ``ruff format`` would ``path``, so that `make test`'s check agrees."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


def _generated(chapter: Chapter, file: ExerciseFile) -> Iterator[tuple[Path, str]]:
    """Yield the solution and the skeleton made from ``file``, each with its text."""
    source = (ROOT / file.source).read_text(encoding="utf-8")
    yield chapter.solution_dir / file.name, source
    yield chapter.exercise_dir / file.name, blank(source, file, chapter)


def expected_files() -> Iterator[tuple[Path, str]]:
    """Yield every generated path with the text it should hold.

    That is each chapter's solutions and skeletons, and the GitHub Classroom workflow,
    which has a step per task.
    """
    for chapter in all_chapters():
        for file in chapter.files:
            yield from _generated(chapter, file)
    yield workflow.WORKFLOW, workflow.render()


def write_exercises(folder: Path, finished: Container[str] = ()) -> Path:
    """Lay out a learner's ``NN_slug/FILE`` files in ``folder``; return it.

    A chapter named in ``finished`` (by its slug) gets its solutions, every other one
    its untouched skeletons: a learner's checkout at some point of the course, as tests
    and tools grade it.
    """
    for chapter in all_chapters():
        for file in chapter.files:
            (_, solution), (_, skeleton) = _generated(chapter, file)
            target = folder / chapter.slug / file.name
            target.parent.mkdir(parents=True, exist_ok=True)
            text = solution if chapter.slug in finished else skeleton
            target.write_text(text, encoding="utf-8")
    return folder


def committed_text(path: Path) -> str | None:
    """Return ``path`` as the last commit holds it, or None (not in git, or no git at all)."""
    try:
        shown = subprocess.run(
            ["git", "show", f"HEAD:{path.relative_to(ROOT).as_posix()}"],
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


def stale_files() -> list[Path]:
    """Return the generated files that differ from what the generator would write now.

    A file counts as up to date when the generator's text is on disk or in the last
    commit: a learner's work in a skeleton is theirs, and the committed skeleton is
    what the check is about.
    """
    return [
        path
        for path, text in expected_files()
        if text not in (_on_disk(path), committed_text(path))
    ]


def edited_files() -> list[Path]:
    """Return the generated files that were changed by hand since the last commit.

    A file was changed by hand when it holds neither the generator's text nor the
    committed one while what it is generated from, the reference module and the
    chapter's manifest, is as committed. Without git, any difference counts.
    """
    edited = []
    for chapter in all_chapters():
        for file in chapter.files:
            inputs = (ROOT / file.source, chapter.exercise_dir / "exercise.toml")
            if any(_on_disk(path) != committed_text(path) for path in inputs):
                continue  # a maintainer at work on the reference: regenerating is the point
            for path, text in _generated(chapter, file):
                on_disk = _on_disk(path)
                if on_disk not in (None, text, committed_text(path)):
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
        "--force", action="store_true", help="overwrite files edited since the last commit"
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
            print(f"edited since the last commit: {path.relative_to(ROOT)}", file=sys.stderr)
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
