"""``python -m bench.breakdown [KEY ...]``: where the time of one request goes.

Profiles each endpoint (keys as in ``bench.api.endpoints``: bare, me, by_id, page1, deep,
posts; all by default) with pyinstrument, a sampling profiler whose overhead does not
swell code made of many tiny calls the way cProfile's does, and splits each request's
time among the parts below. A part's share excludes the parts nested in it, and is
turned into microseconds with the request's CPU time (``time.process_time``, so that
other work on the machine does not count) measured without the profiler.

pyinstrument is not one of the project's dependencies: ``.venv/bin/pip install pyinstrument``.
"""

import sys
from collections import defaultdict
from collections.abc import Sequence
from importlib.util import find_spec
from time import process_time
from typing import Any

from bench import api, timing
from workbook.apps import close_app

# (a file path ending, a function name) -> the part of the request it stands for
PARTS = {
    ("flask_jwt_extended/view_decorators.py", "_decode_jwt_from_request"): "JWT decode",
    ("flask_jwt_extended/internal_utils.py", "user_lookup"): "token user lookup",
    ("flask_sqlalchemy/extension.py", "get_or_404"): "row by id",
    ("reference_app/lookups.py", "get_or_404"): "row by id",
    ("flask_sqlalchemy/pagination.py", "_query_items"): "page items query",
    ("flask_sqlalchemy/pagination.py", "_query_count"): "count query",
    ("marshmallow/schema.py", "dump"): "marshmallow dump",
    ("flask/json/provider.py", "response"): "jsonify",
    ("flask/app.py", "do_teardown_appcontext"): "session teardown",
    ("flask/ctx.py", "push"): "context push",
    ("flask/ctx.py", "match_request"): "URL routing",
}
REST = "the rest: Flask, werkzeug, view glue"
PROFILE_SECONDS = 1.0


def _part(frame: Any) -> str | None:
    path = frame.file_path.replace("\\", "/") if frame.file_path else ""
    for (ending, function), part in PARTS.items():
        if frame.function == function and path.endswith(ending):
            return part
    return None


def _split(frame: Any, shares: dict[str, float], current: str) -> None:
    """Credit ``frame``'s time to its part, taking it from the part it is nested in."""
    part = _part(frame)
    if part is not None and part != current:
        shares[part] += frame.time
        shares[current] -= frame.time
        current = part
    for child in frame.children:
        _split(child, shares, current)


def profile(call: timing.Call, n: int) -> dict[str, float]:
    """Return each part's share of ``n`` calls, from a pyinstrument profile."""
    from pyinstrument import Profiler  # an optional tool, not a dependency: import it late

    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(n):
        call()
    profiler.stop()
    root = profiler.last_session.root_frame()
    shares: dict[str, float] = defaultdict(float)
    shares[REST] = root.time
    _split(root, shares, REST)
    return {part: seconds / root.time for part, seconds in shares.items()}


def _cpu_time(call: timing.Call, n: int) -> float:
    """Return the CPU seconds one of ``n`` calls takes."""
    start = process_time()
    for _ in range(n):
        call()
    return (process_time() - start) / n


def report(endpoint: api.Endpoint) -> None:
    """Print one endpoint's time per request, part by part."""
    call = timing.wsgi_call(endpoint.app, endpoint.path, endpoint.headers)
    n = timing.calibrate(call, PROFILE_SECONDS)
    micros = min(_cpu_time(call, n) for _ in range(3)) * 1e6
    print(f"{endpoint.label}: {micros:,.0f} µs of CPU per request without the profiler")
    for part, share in sorted(profile(call, n).items(), key=lambda item: -item[1]):
        print(f"  {part:<38} {share:>6.1%}  {share * micros:>6,.0f} µs")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    """Profile the endpoints named on the command line, or all of them."""
    if find_spec("pyinstrument") is None:
        sys.exit("bench.breakdown needs pyinstrument: .venv/bin/pip install pyinstrument")
    keys = list(sys.argv[1:] if argv is None else argv)
    app = api.make_reference_app()
    try:
        endpoints = api.endpoints(api.make_bare_app(), app, api.access_token(app))
        known = [endpoint.key for endpoint in endpoints]
        if unknown := [key for key in keys if key not in known]:
            sys.exit(
                f"bench.breakdown: no endpoint {', '.join(unknown)}; choose from {', '.join(known)}"
            )
        for endpoint in endpoints:
            if not keys or endpoint.key in keys:
                report(endpoint)
    finally:
        close_app(app)  # its in-memory database, before the process ends
    return 0


if __name__ == "__main__":
    sys.exit(main())
