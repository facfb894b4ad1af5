"""The benchmark runs and reports what it should. Its figures are not judged here.

Speed belongs in the benchmark's own output (`make bench`). These tests only check
that it still runs end to end after a change to the app, and that the SQL
statements it counts for each request are the ones the contract allows.
"""

import contextlib
import io

import pytest

from bench import __main__ as report
from bench import api, floors, quick, timing
from workbook.apps import closing
from workbook.grading.api import bearer


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
    assert "python -m bench.floors" in printed


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


@pytest.fixture(scope="module")
def floor_run() -> tuple[dict[str, floors.Timed], dict[str, str]]:
    """One tiny run of the floors: every endpoint answered 200, or it would have exited."""
    return floors.measure(rounds=1, seconds=0.002)


def test_the_floors_time_every_step_and_every_timed_read(floor_run):
    timed, labels = floor_run
    steps = {"bare", *floors.FLOORS, "pyjwt", "page_query", *floors.MIN_RATIOS}
    assert set(timed) == steps
    assert all(t.micros > 0 and t.ratio > 0 for t in timed.values())
    assert timed["bare"].ratio == 1
    assert labels["me"] == "GET /api/v1/users/me"


def test_each_floor_app_refuses_what_the_reference_app_refuses():
    """The floors check tokens for real: a missing or forged token is refused by each."""
    with closing(api.make_reference_app()) as reference:
        check_the_floor_apps(reference)


def check_the_floor_apps(reference):
    with reference.app_context():
        engine = api.db.engine
    config = {k: v for k, v in reference.config.items() if k.startswith("JWT_")}
    read_user = floors.user_row_reader(engine)
    token = api.access_token(reference)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    apps = {
        "check": floors.token_app(config, None),
        "core": floors.token_app(config, read_user),
        "pyjwt": floors.pyjwt_app(config, read_user),
    }
    for name, app in apps.items():
        client = app.test_client()
        assert client.get("/floor", headers=bearer(token)).status_code == 200
        assert client.get("/floor").status_code == 401, f"{name}: no token"
        status = client.get("/floor", headers=bearer(forged)).status_code
        assert status in (401, 422), f"{name}: forged token answered {status}"


def test_the_room_each_target_leaves_is_what_it_allows_minus_the_floor():
    timed = {key: floors.Timed(micros, 0) for key, micros in _FLOOR_MICROS.items()}
    room = floors.room_left(timed, minimum=0.25)
    assert room["allows"] == 400  # a quarter of bare's rate: four times its 100 µs
    assert room["check"] == 100 and room["core"] == 50 and room["orm"] == -50
    assert floors.verdict(room, view=30).startswith("out of reach")
    roomy = floors.room_left(timed, minimum=0.2)  # allows 500 µs: 0 left after the app's floor
    assert "the view must take under 0 µs" in floors.verdict(roomy, view=30)
    fetching = floors.verdict(roomy, view=30, fetch=60)  # 50 µs left after db.session.get
    assert fetching.startswith("out of reach with db.paginate: fetching the page alone takes 60")


_FLOOR_MICROS = {"bare": 100, "check": 300, "core": 350, "orm": 450, "floor": 500}


def test_the_floors_report_says_which_targets_are_out_of_reach(floor_run, capsys):
    timed, labels = floor_run
    floors.print_floors(timed, labels)
    floors.print_room(timed, labels)
    out = capsys.readouterr().out
    for key in floors.MIN_RATIOS:
        assert f"  {labels[key]}: " in out, f"no verdict for {labels[key]}"
    assert "flask-jwt-extended token check, no database" in out


def test_breakdown_says_what_it_needs_instead_of_a_traceback(monkeypatch):
    from bench import breakdown

    monkeypatch.setattr(breakdown, "find_spec", lambda _name: None)
    with pytest.raises(SystemExit, match=r"needs pyinstrument: .*pip install pyinstrument"):
        breakdown.main(["me"])


def test_breakdown_names_the_endpoints_it_knows(monkeypatch):
    from bench import breakdown

    monkeypatch.setattr(breakdown, "find_spec", lambda _name: object())
    with pytest.raises(SystemExit, match="no endpoint nope; choose from bare, floor, me, "):
        breakdown.main(["nope"])
