"""``python -m workbook.mutation [CHAPTER ...] [--only catalogue|auto] [--jobs N]``.

Grades every mutant of the chapters named (all by default) and prints caught / total per
chapter with every survivor; exits 1 when a chapter fails the check, 2 when the check
cannot run (a usage error, a catalogue that does not fit its chapter, finished files that
do not pass).
"""

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from workbook.chapters import Chapter, all_chapters, find_chapter
from workbook.mutation import Mutant
from workbook.mutation.auto import auto_mutants
from workbook.mutation.catalogue import CatalogueError, argue, load
from workbook.mutation.grade import TIMEOUT, Verdict, finished_checkout, finished_files, grade
from workbook.mutation.report import Graded, chapter_lines, failures, summary_line
from workbook.warm import WarmGraders


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line; an unknown chapter is a usage error."""
    parser = argparse.ArgumentParser(
        prog="python -m workbook.mutation",
        description="Grade plausible mistakes and automatic mutants of the finished files.",
    )
    parser.add_argument("chapters", nargs="*", help="chapters by number or folder (default: all)")
    parser.add_argument("--only", choices=("catalogue", "auto"), help="one kind of mutant only")
    # The machine is shared: two graders at a time by default, each a process of its own.
    parser.add_argument("--jobs", type=int, default=2, help="graders run at once (default: 2)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per grading")
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.timeout <= 0:
        parser.error("--jobs and --timeout must be positive")
    try:
        args.chapters = [find_chapter(name) for name in args.chapters] or list(all_chapters())
    except KeyError as error:
        parser.error(error.args[0])
    return args


def mutants_of(chapter: Chapter, checkout: Path, only: str | None) -> list[Mutant]:
    """The chapter's mutants of the kinds asked for; CatalogueError if its catalogue rotted."""
    finished = finished_files(checkout, chapter.slug)
    catalogue = load(chapter, finished)
    mutants = [] if only == "auto" else catalogue.mistakes
    if only != "catalogue":
        mutants += argue(auto_mutants(chapter, finished), catalogue.equivalent, chapter)
    return mutants


def graded_warm(warm: WarmGraders, checkout: Path, timeout: float, mutant: Mutant) -> Verdict:
    """Grade ``mutant`` in the first idle warm grader."""
    return warm.use(partial(grade, mutant.chapter, checkout, mutant, timeout))


def main(argv: list[str]) -> int:
    """Run the mutation check; return the exit status."""
    args = parse_args(argv)
    chapters = args.chapters
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutation-") as scratch:
        checkout = finished_checkout(Path(scratch))
        try:
            planned = {chapter: mutants_of(chapter, checkout, args.only) for chapter in chapters}
        except CatalogueError as error:
            print(f"The catalogue does not fit the finished files:\n{error}", file=sys.stderr)
            return 2
        total = sum(len(mutants) for mutants in planned.values())
        print(
            f"Grading {total} mutants of {len(chapters)} chapter(s), {args.jobs} at a time, "
            "each with `pytest exercises/NN_slug --answers-dir=...` in a warm grader's fork."
        )
        results: dict[str, list[Graded]] = {}
        with ThreadPoolExecutor(max_workers=args.jobs) as pool, WarmGraders(args.jobs) as warm:
            for chapter, mutants in planned.items():
                baseline = grade(chapter.slug, checkout, None, args.timeout)
                if baseline.caught:
                    print(f"The finished files of {chapter.slug} fail: {baseline}", file=sys.stderr)
                    return 2
                verdicts = pool.map(partial(graded_warm, warm, checkout, args.timeout), mutants)
                pairs = zip(mutants, verdicts, strict=True)
                results[chapter.slug] = [Graded(mutant, verdict) for mutant, verdict in pairs]
                print("\n".join(["", *chapter_lines(chapter, results[chapter.slug])]), flush=True)
    print()
    for slug, graded in results.items():
        for problem in failures(graded):
            print(f"{slug}: {problem}")
    print(summary_line(results, time.monotonic() - started))
    return 1 if any(failures(graded) for graded in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
