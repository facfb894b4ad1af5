"""Find a chapter's graded code in a text: the bodies its manifest blanks, in any layout.

A task's graded code is what ``exercises/NN_slug/exercise.toml`` blanks. A text gives
it away when it holds a run of ``RUN`` of a blank's statements in a row (the whole
body, when it is shorter), compared without spaces, comments or line breaks, so that
a listing laid out by ``show`` at another width still counts. Three is short enough to
catch a pasted view and long enough not to flag ``db.session.add(...)`` then
``db.session.commit()``. What the rules write (docs/flask-rules.md) is given to every
learner, so a run they hold as well is not counted.
"""

import ast
import re
from dataclasses import dataclass
from functools import cache

from workbook.blanks import find
from workbook.chapters import ROOT, all_chapters
from workbook.listing import fit

RUN = 3
RULES = ROOT / "docs" / "flask-rules.md"


@dataclass(frozen=True)
class Blank:
    """One blanked body: where it comes from, and its statements in each layout, normalised."""

    label: str  # "chapter 06 task 1, load_json_body"
    layouts: tuple[tuple[str, ...], ...]  # as the file has them, as ``show`` lays them out

    def runs(self) -> set[str]:
        """Every run of ``RUN`` statements in a row, or the whole body when shorter."""
        found = set()
        for statements in self.layouts:
            size = min(RUN, len(statements))
            for start in range(len(statements) - size + 1):
                found.add("".join(statements[start : start + size]))
        return found

    def given_by_the_rules(self) -> bool:
        """Whether the rules hold every run of it, so no notebook can give it away."""
        return all(run in _rules() for run in self.runs())


def normalise(text: str) -> str:
    """Return ``text`` without comments, spaces, trailing commas or joins of string literals."""
    text = re.sub(r"(^|\s)#[^\n]*", "", text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r",(?=[)\]}])", "", text)
    return re.sub(r"([\"'])[rRbBfFuU]{0,2}\1", "", text)


def _statements(body: list[ast.stmt], source: str) -> list[str]:
    """Each statement of ``body``, a compound one as its header followed by its own body."""
    lines = source.splitlines()
    found = []
    for statement in body:
        children = [c for c in getattr(statement, "body", []) if isinstance(c, ast.stmt)]
        if children:
            header = lines[statement.lineno - 1 : children[0].lineno - 1]
            found.append("\n".join(header))
            for field in ("body", "handlers", "orelse", "finalbody"):
                for child in getattr(statement, field, []):
                    inner = child.body if isinstance(child, ast.ExceptHandler) else [child]
                    found += _statements(inner, source)
        else:
            found.append(ast.get_source_segment(source, statement) or "")
    return [text for text in map(normalise, found) if text]


def _body(source: str, qualname: str) -> list[ast.stmt]:
    """The statements a blank takes out of ``source``: all but a docstring, which stays."""
    node = find(ast.parse(source), qualname)
    assert node is not None, f"no {qualname} in the reference"
    if isinstance(node, ast.AnnAssign):
        return [node]
    return node.body[1:] if ast.get_docstring(node, clean=False) is not None else node.body


@cache
def blanks() -> tuple[Blank, ...]:
    """Every blank of every chapter, read from the manifests and the reference modules."""
    found = []
    for chapter in all_chapters():
        for task in chapter.tasks:
            for target in task.blanks:
                file_name, qualname = target.split(":")
                file = next(f for f in chapter.files if f.name == file_name)
                source = (ROOT / file.source).read_text(encoding="utf-8")
                texts = (source, fit(source))
                layouts = tuple(tuple(_statements(_body(t, qualname), t)) for t in texts)
                label = f"chapter {chapter.number} task {task.number}, {qualname}"
                found.append(Blank(label, layouts))
    return tuple(found)


@cache
def _rules() -> str:
    return normalise(RULES.read_text(encoding="utf-8"))


def given_away(text: str) -> list[str]:
    """Return the label of every blank that ``text`` holds a run of, the rules' runs aside."""
    haystack = normalise(text)
    return [
        blank.label
        for blank in blanks()
        if any(run in haystack and run not in _rules() for run in blank.runs())
    ]
