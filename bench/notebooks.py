"""``python -m bench.notebooks``: how long each notebook takes under nbval, as `make test` runs it.

All notebooks run in one `pytest --nbval` process, as in `make test`; a notebook's time
is the sum of its cells' junit times, its kernel's start included. For comparison, the
wall time of a fresh process for one notebook adds pytest's and nbval's own start-up.
Targets: each notebook <= 3 s, all of them <= 30 s.
"""

import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from bench.runs import median_wall, verdict, wall_seconds

MAX_ONE, MAX_ALL = 3.0, 30.0
NBVAL = ["pytest", "--nbval", "--nbval-sanitize-with", "notebooks/sanitize.cfg", "-q"]


def per_notebook_seconds() -> tuple[dict[str, float], float]:
    """Run every notebook in one process; return each notebook's seconds and the wall time."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "nbval.xml"
        wall, code = wall_seconds([*NBVAL, "notebooks", f"--junitxml={report}"])
        if code != 0:
            raise RuntimeError(f"the notebooks failed under nbval (exit {code})")
        seconds: dict[str, float] = defaultdict(float)
        for case in ET.parse(report).getroot().iter("testcase"):
            notebook = case.get("classname", "").removeprefix("notebooks.")
            seconds[notebook] += float(case.get("time", 0))
    return dict(seconds), wall


def main() -> int:
    """Time the notebooks in one run, then one notebook in a fresh process."""
    seconds, wall = per_notebook_seconds()
    print("notebooks under nbval, one process (as `make test`): seconds per notebook")
    for notebook, spent in sorted(seconds.items()):
        print(f"  {notebook:<36} {spent:5.2f} s")
    print(f"  {'all notebooks, wall':<36} {wall:5.2f} s")
    fresh = median_wall([*NBVAL, "notebooks/00_welcome.ipynb"], 3)
    print(f"  (one notebook in a fresh process: 00_welcome {fresh:.2f} s wall, start-up included)")
    worst = max(seconds.values())
    print(f"  {verdict(worst <= MAX_ONE)}  slowest notebook {worst:.2f} s (<= {MAX_ONE} s)")
    print(f"  {verdict(wall <= MAX_ALL)}  all notebooks {wall:.2f} s (<= {MAX_ALL} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
