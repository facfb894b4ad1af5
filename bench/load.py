"""``python -m bench.load`` (``make loadtest``): the documented deployment under load.

gunicorn serves ``wsgi:app`` (the production config) on a loopback port, against a
seeded schema of its own in PostgreSQL (``LOAD_DATABASE_URL``, else
``TEST_DATABASE_URL``), in turn with the shipped ``gunicorn.conf.py`` and as a bare
``gunicorn wsgi:app`` used to run (one synchronous worker). For each it prints the
requests per second and the median and 99th-percentile latency of four requests,
each sent by ``CLIENTS`` clients at once; then two attacks, with a reader beside each:

- slow clients that send a request's head one header line every 5 s (slowloris);
- a login flood: clients looping on wrong-password logins, a scrypt hash each.

Every phase ends by itself (a deadline, a request limit, a timeout per request); the
server is stopped and the schema dropped afterwards. The clients run on the same
machine and share its CPUs with the server: compare runs on one machine only.
"""

import argparse
import json
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

from bench import api, server, traffic
from workbook.chapters import ROOT

CLIENTS = 8
SLOW_CLIENTS = 4
FLOOD_CLIENTS = 32
USERS = "/api/v1/users"
# What the reader sends beside an attack: a new connection each time, as new visitors do.
READ = ("GET", "/api/v1/posts/1", {"Connection": "close"}, None)

Row = tuple[str, traffic.Tally, float]  # a label, what it got, over how many seconds


def login(base: str) -> dict[str, str]:
    """Log the benchmark's user in; return an Authorization header with the access token."""
    client = traffic.Client(base)
    body = {"email": f"user{api.TOKEN_USER_ID}@example.com", "password": api.PASSWORD}
    status, answer = client.exchange("POST", "/api/v1/auth/login", {}, body)
    client.close()
    if status != 200:
        raise RuntimeError(f"The benchmark's login answered {status}: {answer[:200]!r}")
    return {"Authorization": f"Bearer {json.loads(answer)['access_token']}"}


def throughput(base: str, seconds: float) -> list[Row]:
    """Time the four requests, each from ``CLIENTS`` clients for ``seconds``."""
    auth = login(base)
    tag = secrets.token_hex(4)  # new emails for each server's run on the shared schema
    requests = {
        f"GET {USERS}/?page=1": lambda n: ("GET", f"{USERS}/?page=1", auth, None),
        f"GET {USERS}/{api.OTHER_USER_ID}": lambda n: (
            "GET",
            f"{USERS}/{api.OTHER_USER_ID}",
            auth,
            None,
        ),
        f"GET {USERS}/me": lambda n: ("GET", f"{USERS}/me", auth, None),
        f"POST {USERS}/ (scrypt)": lambda n: (
            "POST",
            f"{USERS}/",
            {},
            {"email": f"load-{tag}-{n}@example.com", "password": api.PASSWORD, "name": f"Load {n}"},
        ),
    }
    results = []
    for label, request in requests.items():
        start = time.monotonic()
        tally = traffic.run_clients(base, request, CLIENTS, seconds, limit=50_000)
        results.append((label, tally, time.monotonic() - start))
    return results


def attacks(base: str, slow_seconds: float, flood_seconds: float) -> list[Row]:
    """Read one request at a time beside slow clients, then beside a login flood."""
    until = time.monotonic() + slow_seconds
    slow = [
        threading.Thread(target=traffic.slow_client, args=(base, until))
        for _ in range(SLOW_CLIENTS)
    ]
    beside_slow = traffic.beside(base, slow, lambda n: READ, slow_seconds)

    wrong = {"email": f"user{api.TOKEN_USER_ID}@example.com", "password": "not-the-password"}
    logins, numbers = traffic.Tally(), iter(range(100_000))
    until = time.monotonic() + flood_seconds
    flood = [
        threading.Thread(
            target=traffic.loop,
            args=(
                base,
                lambda n: ("POST", "/api/v1/auth/login", {}, wrong),
                logins,
                until,
                numbers,
            ),
        )
        for _ in range(FLOOD_CLIENTS)
    ]
    beside_flood = traffic.beside(base, flood, lambda n: READ, flood_seconds)
    return [
        (f"a read, beside {SLOW_CLIENTS} slow clients", beside_slow, slow_seconds),
        (f"a read, beside {FLOOD_CLIENTS} clients on /login", beside_flood, flood_seconds),
        ("  the wrong-password logins themselves", logins, flood_seconds),
    ]


def print_rows(title: str, rows: list[Row]) -> None:
    """Print one table: answers per second, median, p99 and slowest latency, statuses."""
    print(f"\n{title}")
    print(f"  {'':<44}{'req/s':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  statuses")
    for label, tally, seconds in rows:
        slowest = max(tally.latencies, default=float("nan"))
        statuses = [f"{count} x {status}" for status, count in sorted(tally.statuses.items())]
        statuses += [f"{tally.failures} failed"] if tally.failures else []
        print(
            f"  {label:<44}{len(tally.latencies) / seconds:>7.1f}{tally.median * 1000:>9.1f}"
            f"{tally.percentile(0.99) * 1000:>9.1f}{slowest * 1000:>9.1f}  {', '.join(statuses)}"
        )


def main() -> int:
    """Load-test the shipped configuration and the bare command; print both."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="shorter phases (a smoke run)")
    parser.add_argument(
        "--server",
        choices=("shipped", "bare", "both"),
        default="both",
        help="gunicorn.conf.py, bare `gunicorn wsgi:app`, or both (default)",
    )
    args = parser.parse_args()
    seconds, slow, flood = (1.0, 6.0, 4.0) if args.quick else (5.0, 35.0, 15.0)
    database = server.loopback_url(os.environ)
    shipped = ROOT / "gunicorn.conf.py"
    with tempfile.TemporaryDirectory() as folder, server.seeded_schema(database) as url:
        bare = Path(folder) / "bare.conf.py"
        bare.write_text("# gunicorn's defaults: one synchronous worker\n")
        configs = {"shipped": shipped, "bare": bare}
        chosen = ("shipped", "bare") if args.server == "both" else (args.server,)
        for name in chosen:
            log = Path(folder) / f"{name}.log"
            with server.gunicorn(url, configs[name], log) as base:
                what = (
                    f"gunicorn -c {configs[name].name} wsgi:app"
                    if name == "shipped"
                    else "gunicorn wsgi:app (bare)"
                )
                print_rows(f"{what}: {CLIENTS} clients per request", throughput(base, seconds))
                print_rows(f"{what}: attacks", attacks(base, slow, flood))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
