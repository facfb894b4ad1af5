"""The benchmark runs and reports what it should. Its figures are not judged here.

Speed belongs in the benchmark's own output (`make bench`). These tests only check
that it still runs end to end after a change to the app, and that the SQL
statements it counts for each request are the ones the contract allows.
"""

import contextlib
import io

import pytest

from bench import __main__ as report
from bench import api, quick, timing


@pytest.fixture(scope="module")
def printed() -> str:
    """The report of one tiny run, shared by the module's tests."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        report.main(["--rounds", "1", "--seconds", "0.002"])
    return out.getvalue()


def table_row(output: str, label: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(label))
    return line[len(label) :].split()


def test_the_report_has_every_endpoint_through_both_drivers(printed):
    for label in ("bare Flask JSON endpoint", "GET /api/v1/users/me", "GET /api/v1/users/5000"):
        cells = table_row(printed, label)
        assert len(cells) == 7, f"{label}: req/s, x bare and IQR twice, then SQL/req: {cells}"
    assert "--- client ---" in printed and "--- wsgi ---" in printed


@pytest.mark.parametrize(
    ("label", "statements"),
    [
        ("token check + user lookup only", 1),
        ("GET /api/v1/users/me", 1),
        ("GET /api/v1/users/5000", 2),
        ("GET /api/v1/users/?page=1", 3),
        ("GET /api/v1/users/?page=500", 3),
        ("GET /api/v1/posts/?page=1", 2),
    ],
)
def test_each_request_issues_the_sql_statements_the_contract_allows(printed, label, statements):
    assert int(table_row(printed, label)[-1]) == statements


def test_the_report_judges_every_target(printed):
    verdicts = [line for line in printed.splitlines() if line.strip()[:4] in ("PASS", "FAIL")]
    assert len(verdicts) == 7
    assert "targets met (a report, not a test: the exit status is 0)" in printed
    assert "floor: an endpoint that only checks the token and loads its user" in printed


def test_the_quick_implementation_answers_each_timed_read():
    app = quick.make_quick_app()
    with app.app_context():
        token = quick.create_access_token(identity=str(api.TOKEN_USER_ID))
    reads = [
        e
        for e in api.endpoints(api.make_bare_app(), app, token)
        if e.key in ("me", "by_id", "page1")
    ]
    for endpoint in reads:
        for make_call in timing.DRIVERS.values():
            call = make_call(endpoint.app, endpoint.path, endpoint.headers)
            assert call() == 200, endpoint.label
    with app.app_context():
        quick.db.engine.dispose()
