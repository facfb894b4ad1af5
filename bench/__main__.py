"""``python -m bench [--quick] [--driver wsgi|client]``: print the benchmark report.

Requests run in-process. The default driver calls the app as a WSGI server would, on an
environ built once per endpoint. It was chosen over the Flask test client because its
ratios were at least as steady run to run: over three runs each on a quiet machine the
five ratios moved by 3.6 % on average against 4.0 %, and on a loaded one, measured in one
process side by side five times, their coefficient of variation was 7.5 % against 8.3 %.
It also measures the app alone: the test client adds about 90 µs of its own to every
request, twice a bare request, which pulls every ratio towards 1 (``/me`` reads 0.07x
bare through WSGI, 0.16x through the test client). The targets are meant for the WSGI
driver; ``--driver client`` is there for comparison.
"""

import argparse
import platform
import statistics
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version

from flask import Flask
from werkzeug.security import generate_password_hash

import reference_app
from bench import api, timing

DRIVER_NAMES = {
    "wsgi": "direct WSGI calls, environ prebuilt by werkzeug's EnvironBuilder\n"
    "            (ratios as steady as the test client's or steadier, without its cost)",
    "client": "the Flask test client, a new environ per request (the targets assume wsgi)",
}
PACKAGES = ("flask", "werkzeug", "sqlalchemy", "flask-sqlalchemy", "flask-jwt-extended")
PACKAGES += ("pyjwt", "marshmallow")
ROUNDS, SECONDS = 15, 0.1  # rounds per endpoint, seconds per batch; --quick: 3, 0.05

# The targets: minimum ratios to the bare endpoint, and the other limits.
MIN_RATIOS = {"me": 0.28, "by_id": 0.24, "page1": 0.16}
MAX_LIST_STATEMENTS = 2  # per list page, beyond the token user's own lookup
MAX_DEEP_SLOWDOWN = 1.2  # deep page vs page 1
MIN_HASH_SPEEDUP = 5.0  # testing hash vs werkzeug's default
NOISY_IQR = 0.10  # rounds that disagree more than this make a run worth repeating


@dataclass(frozen=True)
class Row:
    """The figures of one endpoint."""

    endpoint: api.Endpoint
    rate: float  # median requests per second
    ratio: float  # median of the round-by-round ratios to the bare endpoint
    spread: float  # the interquartile range of those ratios, relative to their median
    statements: int  # SQL statements per request


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
    parser.add_argument(
        "--driver", choices=sorted(timing.DRIVERS), default="wsgi", help="default: wsgi"
    )
    parser.add_argument("--rounds", type=int, help=f"rounds per endpoint (default {ROUNDS})")
    parser.add_argument("--seconds", type=float, help=f"seconds per batch (default {SECONDS})")
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (3 if args.quick else ROUNDS)
    args.seconds = args.seconds or (0.05 if args.quick else SECONDS)
    return args


def build_calls(endpoints: list[api.Endpoint], driver: str) -> dict[str, timing.Call]:
    """Return a request call per endpoint, each checked to answer 200."""
    make_call = timing.DRIVERS[driver]
    calls = {e.key: make_call(e.app, e.path, e.headers) for e in endpoints}
    for endpoint in endpoints:
        status = calls[endpoint.key]()
        if status != 200:
            sys.exit(f"bench: {endpoint.label} answered {status}, not 200; nothing to measure.")
    return calls


def count_statements(calls: dict[str, timing.Call], app: Flask) -> dict[str, int]:
    """Return the number of SQL statements one request of each call makes ``app`` issue."""
    counts = {}
    for key, call in calls.items():
        with api.recorded_statements(app) as statements:
            call()
        counts[key] = len(statements)
    return counts


def measure_requests(
    endpoints: list[api.Endpoint],
    calls: dict[str, timing.Call],
    app: Flask,
    args: argparse.Namespace,
) -> tuple[list[Row], timing.Rounds]:
    """Time every endpoint; return the table rows and the raw rounds."""
    counts = count_statements(calls, app)
    timed = timing.rounds(calls, args.rounds, args.seconds)
    rows = []
    for endpoint in endpoints:
        rates = timed.rates[endpoint.key]
        ratio, spread = timing.median_ratio(rates, timed.rates["bare"])
        rows.append(Row(endpoint, statistics.median(rates), ratio, spread, counts[endpoint.key]))
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
    print(f"  driver    {DRIVER_NAMES[args.driver]}")
    print(
        f"  data      {api.USER_COUNT:,} users, {api.POST_COUNT:,} posts, per_page {per_page}, "
        f"token of user {api.TOKEN_USER_ID}"
    )
    print(
        f"  timing    time.perf_counter; {args.rounds} interleaved rounds of ~{args.seconds} s "
        "per endpoint after warm-up;"
    )
    print("            ratios taken round by round, then their median")
    print()


def print_table(rows: list[Row], timed: timing.Rounds) -> None:
    """Print one line per endpoint, then how busy the machine was."""
    width = max(len(row.endpoint.label) for row in rows)
    print(f"{'endpoint':<{width}}  {'req/s':>8}  {'x bare':>7}  {'IQR':>6}  {'SQL/req':>7}")
    for row in rows:
        print(
            f"{row.endpoint.label:<{width}}  {row.rate:>8,.0f}  {row.ratio:>7.4f}  "
            f"{row.spread:>6.0%}  {row.statements:>7}"
        )
    print("x bare: median of the round-by-round ratios; IQR: their interquartile range / median.")
    print(
        f"{timed.retried} re-timings of {timed.batches} batches that ran on under "
        f"{timing.MIN_CPU_SHARE:.0%} of a CPU (other work on the machine); "
        f"{timed.contended} still did after {timing.MAX_RETRIES} retries."
    )
    noisiest = max(row.spread for row in rows)
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
        text = f"{row.endpoint.label}: {row.ratio:.4f}x bare (needs >= {minimum}x)"
        results.append((row.ratio >= minimum, text))
    own_lookup = by_key["me"].statements  # /me issues the token user's lookup and nothing else
    for key in ("page1", "deep"):
        row = by_key[key]
        extra = row.statements - own_lookup
        text = f"{row.endpoint.label}: {extra} SQL statements beyond the token user's lookup"
        results.append((extra <= MAX_LIST_STATEMENTS, f"{text} (needs <= {MAX_LIST_STATEMENTS})"))
    deep, _spread = timing.median_ratio(rates["deep"], rates["page1"])
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
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
    met = sum(passed for passed, _ in results)
    print(f"{met} of {len(results)} targets met (a report, not a test: the exit status is 0)")


def print_floor(rows: list[Row]) -> None:
    """Say how far the ratio targets sit from the floor that every token endpoint pays."""
    by_key = {row.endpoint.key: row for row in rows}
    floor = by_key["floor"].ratio
    print(f"floor: an endpoint that only checks the token and loads its user is {floor:.4f}x bare;")
    for key in MIN_RATIOS:
        row = by_key[key]
        print(f"  {row.endpoint.label:<28} {row.ratio / floor:.2f}x the floor")


def main(argv: Sequence[str] | None = None) -> int:
    """Build the apps, measure, and print the report."""
    args = parse_args(argv)
    app = api.make_reference_app()
    endpoints = api.endpoints(api.make_bare_app(), app, api.access_token(app))
    calls = build_calls(endpoints, args.driver)
    print_header(args, app.config["DEFAULT_PER_PAGE"])
    rows, timed = measure_requests(endpoints, calls, app, args)
    print_table(rows, timed)
    hashing = measure_hashing(app.config["PASSWORD_HASH_METHOD"], args)
    print_hashing(hashing)
    print_targets(evaluate_targets(rows, timed.rates, hashing))
    print()
    print_floor(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
