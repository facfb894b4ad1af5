"""What the mutation check prints: per chapter, caught / total, and every survivor named.

A survivor argued equivalent (it cannot change what the app does) is left out of the
totals; any other survivor is a rule the grader does not check.
"""

import difflib
from dataclasses import dataclass

from workbook.chapters import Chapter
from workbook.mutation import Mutant
from workbook.mutation.grade import Verdict

TARGET = 0.95  # of a chapter's mutants that are not argued equivalent
KINDS = {"catalogue": "catalogue", "auto": "automatic"}


@dataclass(frozen=True)
class Graded:
    """A mutant and its verdict."""

    mutant: Mutant
    verdict: Verdict

    @property
    def argued(self) -> bool:
        """Survived, and argued equivalent in the catalogue."""
        return not self.verdict.caught and self.mutant.equivalent is not None


def tally(graded: list[Graded], kind: str | None = None) -> tuple[int, int]:
    """Return (caught, total) of ``graded`` of ``kind`` (any), leaving out argued survivors."""
    counted = [g for g in graded if (kind is None or g.mutant.kind == kind) and not g.argued]
    return sum(g.verdict.caught for g in counted), len(counted)


def below_target(graded: list[Graded]) -> bool:
    caught, total = tally(graded)
    return total > 0 and caught < TARGET * total


def _share(caught: int, total: int) -> str:
    return f"{caught}/{total} ({100 * caught / total:.1f}%)" if total else "0/0"


def chapter_lines(chapter: Chapter, graded: list[Graded]) -> list[str]:
    """The chapter's totals, then its survivors, argued equivalents and misplaced blame."""
    kinds = "  ".join(f"{name} {_share(*tally(graded, kind))}" for kind, name in KINDS.items())
    argued = sum(g.argued for g in graded)
    left_out = f"  (+{argued} argued equivalent)" if argued else ""
    flag = "  BELOW 95%" if below_target(graded) else ""
    lines = [
        f"{chapter.number} {chapter.title:<30} {_share(*tally(graded))}  {kinds}{left_out}{flag}"
    ]
    for g in graded:
        mutant, verdict = g.mutant, g.verdict
        where = f"(task {mutant.task}, {KINDS[mutant.kind]}, {mutant.file})"
        if not verdict.caught:
            if g.argued:
                lines.append(f"  equivalent {mutant.id} {where}: {mutant.equivalent}")
                continue
            lines.append(f"  SURVIVED   {mutant.id} {where}")
            lines += [f"      {line}" for line in _explained(mutant)]
        elif mutant.equivalent is not None:
            lines.append(f"  CAUGHT, yet argued equivalent: {mutant.id} {where}; drop the argument")
        elif verdict.red and mutant.task not in verdict.red:
            red = ", ".join(str(n) for n in sorted(verdict.red))
            lines.append(f"  blame      {mutant.id} {where}: caught only by task {red}'s tests")
        if verdict.note:
            lines.append(f"  note       {mutant.id}: {verdict.note}")
    return lines


def _explained(mutant: Mutant) -> list[str]:
    """A catalogue survivor's why-line and edit, or an automatic one's edit."""
    diff = difflib.unified_diff(
        mutant.original.splitlines(), mutant.text.splitlines(), lineterm="", n=0
    )
    edit = [line for line in diff if line[:1] in "-+" and line[:3] not in ("---", "+++")]
    return ([mutant.why] if mutant.kind == "catalogue" else []) + edit


def failures(graded: list[Graded]) -> list[str]:
    """Why this chapter fails the check: below target, unargued survivors, wrong arguments."""
    problems = []
    if below_target(graded):
        problems.append(f"{_share(*tally(graded))} caught, below {TARGET:.0%}")
    if survivors := sum(not g.verdict.caught and not g.argued for g in graded):
        problems.append(f"{survivors} survivor(s) not argued equivalent")
    if wrong := sum(g.verdict.caught and g.mutant.equivalent is not None for g in graded):
        problems.append(f"{wrong} mutant(s) argued equivalent, yet caught")
    return problems


def summary_line(results: dict[str, list[Graded]], seconds: float) -> str:
    """One line for the whole run."""
    graded = [g for chapter in results.values() for g in chapter]
    kinds = ", ".join(f"{name} {_share(*tally(graded, kind))}" for kind, name in KINDS.items())
    failing = [slug[:2] for slug, chapter in results.items() if failures(chapter)]
    verdict = f"failing: {', '.join(failing)}" if failing else "every chapter passes"
    minutes, rest = divmod(round(seconds), 60)
    return (
        f"Summary: {_share(*tally(graded))} caught ({kinds}); {len(graded)} mutants in "
        f"{len(results)} chapter(s), {minutes}m{rest:02d}s; {verdict}"
    )
