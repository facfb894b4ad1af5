"""The mutation check of the grader (``make mutants``): does it catch wrong answers?

Every chapter's finished files get one mistake at a time, from the chapter's catalogue
(``exercises/NN_slug/.meta/mistakes.toml``, see ``catalogue``) and from small automatic
edits of the code its tasks blank (``auto``); each is graded as a learner's checkout
(``grade``) and the verdicts are summed up per chapter (``report``). See README.md.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    """One wrong version of a chapter's file: where it is, what it says, and why."""

    kind: str  # "catalogue" or "auto"
    id: str
    chapter: str  # the chapter's slug
    file: str  # the file's name in the chapter, e.g. "routes.py"
    task: int  # the task whose code the mistake is in
    original: str  # the finished file
    text: str  # the same file with the mistake in it
    why: str  # catalogue: why a learner would make it; auto: the edit in a few words
    equivalent: str | None = None  # why it cannot change behaviour, when argued so
