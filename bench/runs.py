"""Timing whole commands: each run in a fresh process, as a learner or CI starts it."""

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence

from workbook.chapters import ROOT


def wall_seconds(args: Sequence[str], env: Mapping[str, str] | None = None) -> tuple[float, int]:
    """Run ``python -m ARGS`` from the repository root; return its wall time and exit code."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, result.returncode


def median_wall(
    args: Sequence[str],
    repeats: int,
    env: Mapping[str, str] | None = None,
    ok_codes: tuple[int, ...] = (0,),
) -> float:
    """Return the median wall time of ``repeats`` runs; raise if one exits otherwise."""
    times = []
    for _ in range(repeats):
        seconds, code = wall_seconds(args, env)
        if code not in ok_codes:
            raise RuntimeError(f"`python -m {' '.join(args)}` exited {code}")
        times.append(seconds)
    return statistics.median(times)


def verdict(passed: bool) -> str:
    """PASS or FAIL, for a target line."""
    return "PASS" if passed else "FAIL"
