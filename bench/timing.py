"""Request drivers and timing loops: warm-up, calibrated batches, interleaved rounds.

Every round times each subject once, one after the other, so that a slow moment of the
machine (another process, a frequency change) hits all subjects of that round alike; the
ratios are then taken round by round, and their median reported.

The clock is ``time.perf_counter``. A batch during which the process ran for less than
``MIN_CPU_SHARE`` of the wall time (``time.process_time`` says so) was descheduled by
other work on the machine, and is timed again, up to ``MAX_RETRIES`` times.
"""

import gc
import statistics
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from time import perf_counter, process_time
from typing import Protocol

from flask import Flask
from werkzeug.test import EnvironBuilder

Call = Callable[[], int]  # one request; returns the HTTP status code

WARMUP_SECONDS = 0.1
MIN_CPU_SHARE = 0.9
MAX_RETRIES = 2


def wsgi_call(app: Flask, path: str, headers: Mapping[str, str]) -> Call:
    """Return a call of ``app`` as a WSGI server would make it, on an environ built once.

    Each call gets a shallow copy of the environ (the app may add keys to it) and reads
    the whole body, then closes the iterable, as the WSGI spec asks of a server.
    """
    environ = EnvironBuilder(path=path, headers=dict(headers)).get_environ()
    status = [""]

    def start_response(line: str, _headers: object, _exc_info: object = None) -> None:
        status[0] = line

    def call() -> int:
        body = app(dict(environ), start_response)
        try:
            for _chunk in body:
                pass
        finally:
            if hasattr(body, "close"):
                body.close()
        return int(status[0][:3])

    return call


def client_call(app: Flask, path: str, headers: Mapping[str, str]) -> Call:
    """Return a call of ``app`` through the Flask test client (a new environ per request)."""
    client = app.test_client()
    headers = dict(headers)

    def call() -> int:
        return client.get(path, headers=headers).status_code

    return call


DRIVERS: dict[str, Callable[[Flask, str, Mapping[str, str]], Call]] = {
    "wsgi": wsgi_call,
    "client": client_call,
}


class Endpoint(Protocol):
    """What a request to time needs: ``bench.api.Endpoint`` has it."""

    key: str
    label: str
    app: Flask
    path: str
    headers: dict[str, str]


def subject(driver: str, key: str) -> str:
    """Name one endpoint through one driver in the timing rounds."""
    return f"{driver}:{key}"


def build_calls(endpoints: Iterable[Endpoint], drivers: Iterable[str]) -> dict[str, Call]:
    """Return a request call per endpoint and driver; exit unless each answers 200."""
    calls = {}
    for driver in drivers:
        for endpoint in endpoints:
            call = DRIVERS[driver](endpoint.app, endpoint.path, endpoint.headers)
            status = call()
            if status != 200:
                sys.exit(f"bench: {endpoint.label} answered {status}, not 200; nothing to measure.")
            calls[subject(driver, endpoint.key)] = call
    return calls


@dataclass
class Rounds:
    """Calls per second of each subject, one figure per round, and how often a batch was redone."""

    rates: dict[str, list[float]]
    batches: int = 0
    retried: int = 0
    contended: int = 0  # batches still short of MIN_CPU_SHARE after the retries


def time_batch(call: Callable[[], object], n: int) -> tuple[float, float]:
    """Return the wall-clock seconds ``n`` calls take, and the share of them spent running."""
    wall, cpu = perf_counter(), process_time()
    for _ in range(n):
        call()
    wall, cpu = perf_counter() - wall, process_time() - cpu
    return wall, cpu / max(wall, 1e-9)


def calibrate(call: Callable[[], object], seconds: float) -> int:
    """Warm ``call`` up, then return how many calls take about ``seconds``."""
    deadline = perf_counter() + WARMUP_SECONDS
    while perf_counter() < deadline:
        call()
    n = 1
    while (elapsed := time_batch(call, n)[0]) < seconds / 5:
        n *= 2
    return max(1, round(n * seconds / elapsed))


def rounds(calls: Mapping[str, Callable[[], object]], repeats: int, seconds: float) -> Rounds:
    """Time every call in each of ``repeats`` rounds of about ``seconds`` per call."""
    sizes = {key: calibrate(call, seconds) for key, call in calls.items()}
    # Move everything alive now out of the collector's way: collections then scan
    # only what the requests themselves leave behind, the same in every round.
    gc.collect()
    gc.freeze()
    result = Rounds(rates={key: [] for key in calls})
    try:
        for _ in range(repeats):
            for key, call in calls.items():
                result.rates[key].append(sizes[key] / _uncontended_time(call, sizes[key], result))
    finally:
        gc.unfreeze()
    return result


def _uncontended_time(call: Callable[[], object], n: int, tally: Rounds) -> float:
    """Time a batch, again while the process was descheduled for much of it; count both."""
    tally.batches += 1
    for attempt in range(MAX_RETRIES + 1):
        elapsed, share = time_batch(call, n)
        if share >= MIN_CPU_SHARE:
            break
        if attempt < MAX_RETRIES:
            tally.retried += 1
    else:
        tally.contended += 1
    return elapsed


def median_ratio(numerators: list[float], denominators: list[float]) -> tuple[float, float]:
    """Return the median of the round-by-round ratios, and their interquartile range over it."""
    ratios = [a / b for a, b in zip(numerators, denominators, strict=True)]
    middle = statistics.median(ratios)
    if len(ratios) < 2:
        return middle, 0.0
    low, _, high = statistics.quantiles(ratios, n=4, method="inclusive")
    return middle, (high - low) / middle
