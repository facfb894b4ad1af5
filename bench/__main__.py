"""``python -m bench [--quick]``: print the benchmark report.

Requests run in-process, through two drivers timed side by side in the same rounds:

- the Flask test client, a new environ per request. It adds about 90 µs of its own to
  every request, twice a bare request, which pulls every ratio towards 1. The targets
  are judged here, because their reference figures were taken this way: a quick
  implementation of the three timed reads (``python -m bench.quick``) measures 0.21x,
  0.16x and 0.09x bare through the test client on the libraries of the time (PyJWT
  2.10.1, SQLAlchemy 2.0.58, Flask-JWT-Extended 4.7.1), close to the 0.22x, 0.18x and
  0.11x quoted with the targets, and 0.09x, 0.07x and 0.04x through WSGI;
- direct WSGI calls on an environ built once, as a server would make them: the app's
  own cost alone, without the client's.
"""

import argparse
import platform
import statistics
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version

from werkzeug.security import generate_password_hash

import reference_app
from bench import api, timing
from bench.runs import verdict
from bench.targets import (
    MAX_DEEP_SLOWDOWN,
    MAX_LIST_STATEMENTS,
    MIN_HASH_SPEEDUP,
    MIN_RATIOS,
    TARGET_DRIVER,
)
from workbook.apps import close_app

DRIVER_NAMES = {
    "client": "the Flask test client, a new environ per request (the targets are judged here)",
    "wsgi": "direct WSGI calls on an environ built once (the app's own cost, without the client)",
}
PACKAGES = ("flask", "werkzeug", "sqlalchemy", "flask-sqlalchemy", "flask-jwt-extended")
PACKAGES += ("pyjwt", "marshmallow")
ROUNDS, SECONDS = 15, 0.1  # rounds per endpoint, seconds per batch; --quick: 3, 0.05

NOISY_IQR = 0.10  # rounds that disagree more than this make a run worth repeating


@dataclass(frozen=True)
class Figures:
    """One endpoint through one driver."""

    rate: float  # median requests per second
    ratio: float  # median of the round-by-round ratios to the bare endpoint
    spread: float  # the interquartile range of those ratios, relative to their median


@dataclass(frozen=True)
class Row:
    """The figures of one endpoint, by driver."""

    endpoint: api.Endpoint
    by_driver: dict[str, Figures]
    statements: int  # SQL statements per request

    @property
    def ratio(self) -> float:
        """The ratio the targets are judged on."""
        return self.by_driver[TARGET_DRIVER].ratio


@dataclass(frozen=True)
class Hashing:
    """Milliseconds per ``generate_password_hash`` call, and how much faster testing's is."""

    testing_method: str
    default_method: str
    testing_ms: float
    default_ms: float
    speedup: float


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Print the reference app's benchmark report."
    )
    parser.add_argument("--quick", action="store_true", help="few, short rounds: a smoke run")
    parser.add_argument("--rounds", type=int, help=f"rounds per endpoint (default {ROUNDS})")
    parser.add_argument("--seconds", type=float, help=f"seconds per batch (default {SECONDS})")
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (3 if args.quick else ROUNDS)
    args.seconds = args.seconds or (0.05 if args.quick else SECONDS)
    return args


def count_statements(calls: dict[str, timing.Call], endpoint: api.Endpoint) -> int:
    """Return the number of SQL statements one request to ``endpoint`` makes its app issue."""
    with api.recorded_statements(endpoint.app) as statements:
        calls[timing.subject(TARGET_DRIVER, endpoint.key)]()
    return len(statements)


def measure_requests(
    endpoints: list[api.Endpoint], calls: dict[str, timing.Call], args: argparse.Namespace
) -> tuple[list[Row], timing.Rounds]:
    """Time every endpoint through every driver; return the table rows and the raw rounds."""
    app_endpoints = [e for e in endpoints if e.key != "bare"]
    counts = {e.key: count_statements(calls, e) for e in app_endpoints}
    counts["bare"] = 0
    timed = timing.rounds(calls, args.rounds, args.seconds)
    rows = []
    for endpoint in endpoints:
        figures = {}
        for driver in DRIVER_NAMES:
            rates = timed.rates[timing.subject(driver, endpoint.key)]
            bare = timed.rates[timing.subject(driver, "bare")]
            ratio, spread = timing.median_ratio(rates, bare)
            figures[driver] = Figures(statistics.median(rates), ratio, spread)
        rows.append(Row(endpoint, figures, counts[endpoint.key]))
    return rows, timed


def measure_hashing(testing_method: str, args: argparse.Namespace) -> Hashing:
    """Time werkzeug's ``generate_password_hash`` with the testing method and its default."""
    calls: dict[str, Callable[[], object]] = {
        "testing": lambda: generate_password_hash(api.PASSWORD, method=testing_method),
        "default": lambda: generate_password_hash(api.PASSWORD),
    }
    rates = timing.rounds(calls, args.rounds, args.seconds).rates
    speedup, _spread = timing.median_ratio(rates["testing"], rates["default"])
    return Hashing(
        testing_method=testing_method,
        default_method=generate_password_hash("x").rsplit("$", 2)[0],
        testing_ms=1000 / statistics.median(rates["testing"]),
        default_ms=1000 / statistics.median(rates["default"]),
        speedup=speedup,
    )


def print_header(args: argparse.Namespace, per_page: int) -> None:
    """Say what is measured, how, and with which versions."""
    versions = ", ".join(f"{name} {version(name)}" for name in PACKAGES)
    print("Reference app benchmark: in-process, SQLite in memory")
    print(f"  app       {reference_app.__file__}")
    versions = f"Python {platform.python_version()}, {versions}"
    print(textwrap.fill(versions, 100, initial_indent="  versions  ", subsequent_indent=" " * 12))
    for label, (driver, text) in zip(("drivers", ""), DRIVER_NAMES.items(), strict=True):
        print(f"  {label:<8}  {driver}: {text}")
    print(
        f"  data      {api.USER_COUNT:,} users, {api.POST_COUNT:,} posts, per_page {per_page}, "
        f"token of user {api.TOKEN_USER_ID}"
    )
    print(
        f"  timing    time.perf_counter; {args.rounds} interleaved rounds of ~{args.seconds} s "
        "per endpoint and driver"
    )
    print("            after warm-up; ratios taken round by round, then their median")
    print()


def print_table(rows: list[Row], timed: timing.Rounds) -> None:
    """Print one line per endpoint, a group of columns per driver, then how busy the machine was."""
    width = max(len(row.endpoint.label) for row in rows)
    group = 8 + 2 + 7 + 2 + 5  # req/s, x bare, IQR
    titles = "".join(f"  {f'--- {driver} ---':^{group}}" for driver in DRIVER_NAMES)
    print(f"{'':<{width}}{titles}")
    columns = f"  {'req/s':>8}  {'x bare':>7}  {'IQR':>5}" * len(DRIVER_NAMES)
    print(f"{'endpoint':<{width}}{columns}  {'SQL/req':>7}")
    for row in rows:
        cells = "".join(
            f"  {f.rate:>8,.0f}  {f.ratio:>7.4f}  {f.spread:>5.0%}" for f in row.by_driver.values()
        )
        print(f"{row.endpoint.label:<{width}}{cells}  {row.statements:>7}")
    print("x bare: median of the round-by-round ratios; IQR: their interquartile range / median.")
    print(
        f"{timed.retried} re-timings of {timed.batches} batches that ran on under "
        f"{timing.MIN_CPU_SHARE:.0%} of a CPU (other work on the machine); "
        f"{timed.contended} still did after {timing.MAX_RETRIES} retries."
    )
    noisiest = max(f.spread for row in rows for f in row.by_driver.values())
    if noisiest > NOISY_IQR:
        print(
            f"The rounds disagree by up to {noisiest:.0%} (IQR): the machine was busy or "
            "unsteady; run again before trusting a difference of that size."
        )
    print()


def print_hashing(hashing: Hashing) -> None:
    """Print the cost of each password-hash method."""
    print("password hashing, werkzeug generate_password_hash")
    print(f"  testing config    {hashing.testing_method:<18} {hashing.testing_ms:>8.2f} ms/call")
    print(f"  werkzeug default  {hashing.default_method:<18} {hashing.default_ms:>8.2f} ms/call")
    print(f"  speed-up          {hashing.speedup:.0f}x")
    print()


def evaluate_targets(
    rows: list[Row], rates: dict[str, list[float]], hashing: Hashing
) -> list[tuple[bool, str]]:
    """Return ``(passed, description)`` for every target."""
    by_key = {row.endpoint.key: row for row in rows}
    results = []
    for key, minimum in MIN_RATIOS.items():
        row = by_key[key]
        text = f"{row.endpoint.label}: {row.ratio:.4f}x bare, {TARGET_DRIVER} (needs >= {minimum}x)"
        results.append((row.ratio >= minimum, text))
    own_lookup = by_key["me"].statements  # /me issues the token user's lookup and nothing else
    for key in ("page1", "deep"):
        row = by_key[key]
        extra = row.statements - own_lookup
        text = f"{row.endpoint.label}: {extra} SQL statements beyond the token user's lookup"
        results.append((extra <= MAX_LIST_STATEMENTS, f"{text} (needs <= {MAX_LIST_STATEMENTS})"))
    deep, _spread = timing.median_ratio(
        rates[timing.subject(TARGET_DRIVER, "deep")], rates[timing.subject(TARGET_DRIVER, "page1")]
    )
    minimum = 1 / MAX_DEEP_SLOWDOWN
    text = f"deep page: {deep:.3f}x the req/s of page 1 (needs >= {minimum:.3f}x, 1/1.2)"
    results.append((deep >= minimum, text))
    text = f"testing hash: {hashing.speedup:.0f}x faster than the default (needs >= 5x)"
    results.append((hashing.speedup >= MIN_HASH_SPEEDUP, text))
    return results


def print_targets(results: list[tuple[bool, str]]) -> None:
    """Print each target with PASS or FAIL."""
    print("targets")
    for passed, text in results:
        print(f"  {verdict(passed)}  {text}")
    met = sum(passed for passed, _ in results)
    print(f"{met} of {len(results)} targets met (a report, not a test: the exit status is 0)")


def main(argv: Sequence[str] | None = None) -> int:
    """Build the apps, measure, and print the report."""
    args = parse_args(argv)
    app = api.make_reference_app()
    endpoints = api.endpoints(api.make_bare_app(), app, api.access_token(app))
    calls = timing.build_calls(endpoints, DRIVER_NAMES)
    print_header(args, app.config["DEFAULT_PER_PAGE"])
    rows, timed = measure_requests(endpoints, calls, args)
    print_table(rows, timed)
    hashing = measure_hashing(app.config["PASSWORD_HASH_METHOD"], args)
    print_hashing(hashing)
    print_targets(evaluate_targets(rows, timed.rates, hashing))
    print("see python -m bench.floors for what the token check and the user's lookup leave of")
    print("each ratio target")
    print()
    close_app(app)  # its in-memory database, before the process ends
    return 0


if __name__ == "__main__":
    sys.exit(main())
