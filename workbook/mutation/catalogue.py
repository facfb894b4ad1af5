"""A chapter's catalogue of plausible learner mistakes, ``exercises/NN_slug/.meta/mistakes.toml``.

Each ``[[mistake]]`` has an ``id``, the ``file`` and ``task`` it belongs to, ``why`` a
learner would make it (one line), and the edit: ``find``, text that is in the finished
file exactly once, and its ``replace``ment (or two lists, for an edit in several places,
applied in order). ``equivalent`` argues that a mistake cannot change what the app does;
the ``[equivalent]`` table argues the same of automatic mutants, by id.

An entry that no longer fits the finished file is an error naming it, never skipped:
the catalogue must not rot while the reference app changes.
"""

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from workbook.chapters import Chapter
from workbook.mutation import Mutant

CATALOGUE = Path(".meta") / "mistakes.toml"
REQUIRED = ("id", "file", "task", "why", "find", "replace")
KEYS = {*REQUIRED, "equivalent"}


class CatalogueError(Exception):
    """A catalogue entry that does not fit the chapter; the message names each one."""


@dataclass(frozen=True)
class Catalogue:
    """A chapter's mistakes as mutants, and the arguments for equivalent automatic mutants."""

    mistakes: list[Mutant]
    equivalent: dict[str, str]  # automatic mutant id -> why it cannot change behaviour


def catalogue_path(chapter: Chapter) -> Path:
    """Where ``chapter``'s catalogue lives (hidden from a learner browsing the exercises)."""
    return chapter.exercise_dir / CATALOGUE


def load(chapter: Chapter, finished: Mapping[str, str], path: Path | None = None) -> Catalogue:
    """Read ``chapter``'s catalogue and apply each mistake to the ``finished`` file texts.

    Raise CatalogueError naming every entry that is malformed or no longer fits.
    """
    path = path or catalogue_path(chapter)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"{path}: {error}") from None
    mutants, errors, ids = [], [], set()
    for number, entry in enumerate(data.get("mistake", []), start=1):
        name = f"chapter {chapter.number}, mistake {entry.get('id', f'number {number}')!r}"
        try:
            mutant = _mutant(chapter, entry, finished)
        except CatalogueError as error:
            errors.append(f"{name}: {error}")
            continue
        if mutant.id in ids:
            errors.append(f"{name}: the id is used twice")
        ids.add(mutant.id)
        mutants.append(mutant)
    if errors:
        raise CatalogueError(f"{path}:\n" + "\n".join(f"  {line}" for line in errors))
    return Catalogue(mutants, dict(data.get("equivalent", {})))


def _mutant(chapter: Chapter, entry: dict, finished: Mapping[str, str]) -> Mutant:
    if missing := [key for key in REQUIRED if key not in entry]:
        raise CatalogueError(f"lacks {', '.join(missing)}")
    if unknown := sorted(set(entry) - KEYS):
        raise CatalogueError(f"has unknown keys {', '.join(unknown)} (known: {sorted(KEYS)})")
    if entry["file"] not in finished:
        raise CatalogueError(f"file {entry['file']!r} is not one of {sorted(finished)}")
    if entry["task"] not in {task.number for task in chapter.tasks}:
        raise CatalogueError(f"chapter {chapter.number} has no task {entry['task']!r}")
    why = entry["why"].strip()
    if not why or "\n" in why:
        raise CatalogueError("needs a why of one line: why a learner would make this mistake")
    original = finished[entry["file"]]
    return Mutant(
        kind="catalogue",
        id=entry["id"],
        chapter=chapter.slug,
        file=entry["file"],
        task=entry["task"],
        original=original,
        text=apply(original, entry["find"], entry["replace"], entry["file"]),
        why=why,
        equivalent=entry.get("equivalent"),
    )


def apply(text: str, find: str | Sequence[str], replace: str | Sequence[str], file: str) -> str:
    """Return ``text`` with each ``find`` (there exactly once) replaced, in order."""
    finds = [find] if isinstance(find, str) else list(find)
    replaces = [replace] if isinstance(replace, str) else list(replace)
    if len(finds) != len(replaces) or not finds:
        raise CatalogueError("find and replace need as many texts each, at least one")
    for old, new in zip(finds, replaces, strict=True):
        count = text.count(old)
        if count != 1:
            where = "is no longer in" if count == 0 else f"is {count} times in"
            raise CatalogueError(f"its find-text {where} {file}: {_first_line(old)!r}")
        text = text.replace(old, new)
    return text


def _first_line(text: str) -> str:
    lines = text.strip().splitlines() or [""]
    return lines[0] + (" ..." if len(lines) > 1 else "")


def argue(auto: list[Mutant], equivalent: Mapping[str, str], chapter: Chapter) -> list[Mutant]:
    """Return ``auto`` with the catalogue's arguments attached; an unknown id is an error."""
    known = {mutant.id for mutant in auto}
    if stale := sorted(set(equivalent) - known):
        raise CatalogueError(
            f"{catalogue_path(chapter)}: [equivalent] names automatic mutants that no longer "
            f"exist: {', '.join(stale)}"
        )
    return [replace(mutant, equivalent=equivalent.get(mutant.id)) for mutant in auto]
