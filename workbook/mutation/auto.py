"""Automatic mutants: small edits of the code a chapter's tasks blank, made on the AST.

Only what a skeleton takes out is mutated (a manifest's ``blanks``: a body after its
docstring, or an attribute's value), one edit per mutant (see ``workbook.mutation.edits``
for the operators). A mutant's id names the file, the blank, the operator and the code it
changes (``routes.update_post/drop-call/db.session.commit()``), with ``#2`` for a second
identical edit in one blank: no line numbers, so ids survive unrelated edits.

Why not mutmut 3 or cosmic-ray 8: both mutate the sources in place and judge a mutant by
one test command's exit code (mutmut even picks the mutant at run time by the module's
import name, which the grader's swapped-in files do not have); the grader needs each
mutant as an answer file in its own folder (``--answers-dir``), verdicts per task from
the junit report, and only the blanked code mutated, and neither tool's ids (an
occurrence index) survive unrelated edits.
"""

import ast
import hashlib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from workbook.blanks import Blank
from workbook.chapters import Chapter
from workbook.mutation import Mutant
from workbook.mutation.edits import Edit, edits
from workbook.skeletons import find_blank

LABEL_LENGTH = 40  # longer code is cut, with a hash of the whole, to keep ids readable


def auto_mutants(chapter: Chapter, finished: Mapping[str, str]) -> list[Mutant]:
    """Return the automatic mutants of every blank of ``chapter``, in the manifest's order."""
    trees = {name: ast.parse(text) for name, text in finished.items()}
    mutants = []
    for task in chapter.tasks:
        for blank in task.blanks:
            file, qualname = blank.split(":")
            node = find_blank(trees[file], qualname)
            seen: Counter[str] = Counter()
            for edit in edits(_region(node), in_class=isinstance(node, ast.ClassDef)):
                what = label(edit.target) + (f" [{edit.detail}]" if edit.detail else "")
                base = f"{Path(file).stem}.{qualname}/{edit.operator}/{what}"
                seen[base] += 1
                mutant_id = base if seen[base] == 1 else f"{base}#{seen[base]}"
                text = splice(finished[file], edit)
                ast.parse(text)  # an operator that writes invalid code is a bug here
                mutants.append(
                    Mutant(
                        kind="auto",
                        id=mutant_id,
                        chapter=chapter.slug,
                        file=file,
                        task=task.number,
                        original=finished[file],
                        text=text,
                        why=f"{edit.operator}: {what}",
                    )
                )
    return mutants


def _region(node: Blank) -> list[ast.AST]:
    """The nodes of a blank that a learner writes: the body after the docstring, or a value."""
    if isinstance(node, ast.AnnAssign):
        return [node.value] if node.value is not None else []
    body = node.body
    first = body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    return list(body[1:] if docstring else body)


def label(node: ast.AST) -> str:
    """A short, stable name for ``node``'s code: its text on one line, cut with a hash."""
    text = " ".join(ast.unparse(node).split()).replace('"', "'")
    if len(text) <= LABEL_LENGTH:
        return text
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:6]
    return f"{text[: LABEL_LENGTH - 10]}...{digest}"


def splice(source: str, edit: Edit) -> str:
    """Return ``source`` with the code of ``edit.target`` replaced by ``edit.replacement``."""
    data = source.encode("utf-8")  # the AST's column offsets count UTF-8 bytes
    line_starts = [0]
    line_starts += [index + 1 for index, byte in enumerate(data) if byte == ord("\n")]
    node = edit.target
    assert isinstance(node, ast.expr | ast.stmt) and node.end_lineno and node.end_col_offset
    start = line_starts[node.lineno - 1] + node.col_offset
    end = line_starts[node.end_lineno - 1] + node.end_col_offset
    return (data[:start] + edit.replacement.encode("utf-8") + data[end:]).decode("utf-8")
