"""``python -m bench.notebooks``: how long each notebook takes under nbval, as `make test` runs it.

Each figure is the wall time of a fresh `pytest --nbval` process for one notebook
(kernel start included), median of 3 runs; then all nine in one process.
Targets: each notebook <= 3 s, all of them <= 30 s.
"""

from pathlib import Path

from bench.runs import median_wall, verdict
from workbook.chapters import ROOT

MAX_ONE, MAX_ALL = 3.0, 30.0
REPEATS = 3
NBVAL = ["pytest", "--nbval", "--nbval-sanitize-with", "notebooks/sanitize.cfg", "-q"]


def main() -> int:
    """Time each notebook alone, then all of them together."""
    print(f"notebooks under nbval: wall time of a fresh pytest process, median of {REPEATS}")
    worst = 0.0
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        seconds = median_wall([*NBVAL, str(Path("notebooks") / notebook.name)], REPEATS)
        worst = max(worst, seconds)
        print(f"  {notebook.name:<36} {seconds:5.2f} s")
    total = median_wall([*NBVAL, "notebooks"], 1)
    print(f"  {'all notebooks, one process':<36} {total:5.2f} s")
    print(f"  {verdict(worst <= MAX_ONE)}  slowest notebook {worst:.2f} s (<= {MAX_ONE} s)")
    print(f"  {verdict(total <= MAX_ALL)}  all notebooks {total:.2f} s (<= {MAX_ALL} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
