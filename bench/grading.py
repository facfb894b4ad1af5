"""``python -m bench.grading``: how long grading takes, per chapter and for all eight.

Each figure is the wall time of a fresh `pytest exercises/...` process, as a learner
runs it, graded on the solutions (so every test runs to its end), median of 3 runs.
Targets: one chapter <= 1.2 s, all eight <= 3 s.
"""

from bench.runs import median_wall, verdict
from workbook.chapters import all_chapters

MAX_CHAPTER, MAX_ALL = 1.2, 3.0
REPEATS = 3


def main() -> int:
    """Time each chapter's grading, then all of them in one run."""
    print(f"grading on solutions/: wall time of `pytest exercises/...`, median of {REPEATS}")
    worst = 0.0
    for chapter in all_chapters():
        seconds = median_wall(["pytest", f"exercises/{chapter.slug}", "--solutions"], REPEATS)
        worst = max(worst, seconds)
        print(f"  {chapter.slug:<28} {seconds:5.2f} s")
    total = median_wall(["pytest", "exercises", "--solutions"], REPEATS)
    print(f"  {'all eight chapters':<28} {total:5.2f} s")
    # Untouched skeletons fail by design: pytest exits 1.
    skeletons = median_wall(["pytest", "exercises"], REPEATS, ok_codes=(1,))
    print(f"  {'all eight, untouched':<28} {skeletons:5.2f} s  (every task not started)")
    print(f"  {verdict(worst <= MAX_CHAPTER)}  slowest chapter {worst:.2f} s (<= {MAX_CHAPTER} s)")
    print(f"  {verdict(total <= MAX_ALL)}  all eight {total:.2f} s (<= {MAX_ALL} s)")
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
