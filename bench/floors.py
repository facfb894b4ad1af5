"""``python -m bench.floors``: what a read behind a token costs before its view runs.

Each timed read checks its token with flask-jwt-extended and loads the token's user.
This measures endpoints that do only that, a step at a time, in the same rounds as the
bare endpoint and the reference app's reads, through the driver the targets are judged
on:

- the token check alone, no database;
- the check and the user's row, read with SQLAlchemy Core on a plain connection, the
  least a database read can cost here;
- the check and the user, loaded with ``db.session.get`` in a minimal app that has
  nothing but flask-jwt-extended and Flask-SQLAlchemy;
- the same in the reference app: its own floor;
- for comparison, PyJWT without flask-jwt-extended, and the Core row;
- the reference app's floor and the list's page of 20 users fetched by ``db.paginate``,
  not dumped: what the page costs before marshmallow and JSON.

Then it turns each ratio target into the time per request it allows, and says how much
of that each floor leaves for the view. A target that leaves less than nothing after
``db.session.get``, or less than the page's own fetch, cannot be met by any view that
loads its rows with the ORM, as the rules do (``db.session.get``, ``db.paginate``), on
these libraries.
"""

import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
from flask import Flask, request
from flask_jwt_extended import JWTManager, jwt_required
from sqlalchemy import Engine, Row, bindparam, insert, select
from werkzeug.exceptions import Unauthorized

from bench import api, timing
from bench.targets import MIN_RATIOS, TARGET_DRIVER
from reference_app import db
from reference_app.models import User
from workbook.apps import close_app
from workbook.grading.api import bearer

ROUNDS, SECONDS = 9, 0.1

# The floors, cheapest first; each key is timed as an endpoint beside the app's reads.
FLOORS = {
    "check": "flask-jwt-extended token check, no database",
    "core": "  + the token user's row, SQLAlchemy Core",
    "orm": "  + the token user, db.session.get, in a minimal app",
    "floor": "  + the token user, ORM: the reference app's floor",
}
PYJWT = "for comparison: PyJWT alone + the Core row"
PAGE_QUERY = "the app's floor + db.paginate's page of 20 users, not dumped"
FETCHES = {"page1": "page_query"}  # a timed read, and the endpoint that only fetches its rows

USER_ROW = select(User.__table__).where(User.__table__.c.id == bindparam("id"))


def user_row_reader(engine: Engine) -> Callable[[str], Row[Any] | None]:
    """Return a function reading the user row a token's ``sub`` names, through Core."""

    def read(subject: str) -> Row[Any] | None:
        with engine.connect() as connection:
            return connection.execute(USER_ROW, {"id": int(subject)}).first()

    return read


def token_app(config: dict[str, Any], read_user: Callable[[str], Row[Any] | None] | None) -> Flask:
    """Return a bare app whose one route checks a token as the reference app does.

    ``config`` holds the reference app's ``JWT_*`` settings, so its tokens are accepted.
    With ``read_user``, flask-jwt-extended loads the token's user through it.
    """
    app = Flask(__name__)
    app.config.update(config)
    manager = JWTManager(app)
    if read_user is not None:
        manager.user_lookup_loader(lambda _header, data: read_user(data["sub"]))

    @app.get("/floor")
    @jwt_required()
    def floor() -> dict[str, bool]:
        return {"ok": True}

    return app


def orm_token_app(config: dict[str, Any], user_row: Row[Any]) -> Flask:
    """Return ``token_app`` loading the user with ``db.session.get``, from a database of its own.

    The database holds the token's user alone (``user_row``): the ORM floor of an app
    that has nothing but flask-jwt-extended and Flask-SQLAlchemy.
    """
    app = token_app({**config, "SQLALCHEMY_DATABASE_URI": "sqlite://"}, None)
    db.init_app(app)
    with app.app_context():
        db.create_all()
        db.session.execute(insert(User), [user_row._asdict()])
        db.session.commit()
    app.extensions["flask-jwt-extended"].user_lookup_loader(
        lambda _header, data: db.session.get(User, int(data["sub"]))
    )
    return app


def pyjwt_app(config: dict[str, Any], read_user: Callable[[str], Row[Any] | None]) -> Flask:
    """Return a bare app that checks the token with PyJWT itself, then reads its user's row."""
    app = Flask(__name__)
    scheme = f"{config['JWT_HEADER_TYPE']} "

    @app.get("/floor")
    def floor() -> dict[str, bool]:
        header = request.headers.get(config["JWT_HEADER_NAME"], "")
        if not header.startswith(scheme):
            raise Unauthorized()
        try:
            claims = jwt.decode(
                header.removeprefix(scheme),
                config["JWT_SECRET_KEY"],
                algorithms=[config["JWT_ALGORITHM"]],
            )
        except jwt.InvalidTokenError:
            raise Unauthorized() from None
        if claims.get("type") != "access" or read_user(claims["sub"]) is None:
            raise Unauthorized()
        return {"ok": True}

    return app


@dataclass(frozen=True)
class Timed:
    """Median microseconds per request, and the median ratio to the bare endpoint."""

    micros: float
    ratio: float


def measure(rounds: int, seconds: float) -> tuple[dict[str, Timed], dict[str, str]]:
    """Time the floors and the app's timed reads; return them by key, and their labels."""
    reference = api.make_reference_app()
    token = api.access_token(reference)
    with reference.app_context():
        engine = db.engine
    read_user = user_row_reader(engine)
    jwt_config = {k: v for k, v in reference.config.items() if k.startswith("JWT_")}
    auth = bearer(token)
    orm_app = orm_token_app(jwt_config, read_user(str(api.TOKEN_USER_ID)))
    app_endpoints = {e.key: e for e in api.endpoints(api.make_bare_app(), reference, token)}
    endpoints = [
        app_endpoints["bare"],
        api.Endpoint("check", FLOORS["check"], token_app(jwt_config, None), "/floor", auth),
        api.Endpoint("core", FLOORS["core"], token_app(jwt_config, read_user), "/floor", auth),
        api.Endpoint("orm", FLOORS["orm"], orm_app, "/floor", auth),
        api.Endpoint("floor", FLOORS["floor"], reference, app_endpoints["floor"].path, auth),
        api.Endpoint("pyjwt", PYJWT, pyjwt_app(jwt_config, read_user), "/floor", auth),
        api.Endpoint("page_query", PAGE_QUERY, reference, "/bench/page-query", auth),
        *(app_endpoints[key] for key in MIN_RATIOS),
    ]
    calls = timing.build_calls(endpoints, [TARGET_DRIVER])
    rates = timing.rounds(calls, rounds, seconds).rates
    bare = rates[timing.subject(TARGET_DRIVER, "bare")]
    timed = {}
    for endpoint in endpoints:
        own = rates[timing.subject(TARGET_DRIVER, endpoint.key)]
        timed[endpoint.key] = Timed(1e6 / statistics.median(own), timing.median_ratio(own, bare)[0])
    for app in (reference, orm_app):
        close_app(app)
    return timed, {e.key: e.label for e in endpoints}


def print_floors(timed: dict[str, Timed], labels: dict[str, str]) -> None:
    """One line per floor: microseconds per request and the ratio to bare."""
    print(f"What a read behind a token costs before its view runs ({TARGET_DRIVER} driver)")
    rows = {"bare": labels["bare"], **FLOORS, "pyjwt": PYJWT, "page_query": PAGE_QUERY}
    width = max(len(label) for label in rows.values())
    print(f"  {'':<{width}}  {'µs/req':>7}  {'x bare':>6}")
    for key, label in rows.items():
        print(f"  {label:<{width}}  {timed[key].micros:>7,.0f}  {timed[key].ratio:>6.3f}")
    print()


def room_left(timed: dict[str, Timed], minimum: float) -> dict[str, float]:
    """Microseconds per request a ratio target allows, and what each floor leaves of it."""
    allowed = timed["bare"].micros / minimum
    return {"allows": allowed, **{floor: allowed - timed[floor].micros for floor in FLOORS}}


def verdict(room: dict[str, float], view: float, fetch: float | None = None) -> str:
    """Say what a target leaves the view once the token's user is loaded as the app does.

    ``fetch`` is what the view's own query costs, where it is measured apart (the page).
    """
    if room["orm"] < 0:
        return (
            f"out of reach with the token's user loaded by db.session.get: even in a "
            f"minimal app, the request is {-room['orm']:,.0f} µs over before its view runs; "
            f"a Core read would leave {room['core']:,.0f} µs"
        )
    if fetch is not None and fetch > room["orm"]:
        return (
            f"out of reach with db.paginate: fetching the page alone takes {fetch:,.0f} µs, "
            f"and {room['orm']:,.0f} µs are left after db.session.get even in a minimal app"
        )
    return (
        f"the view must take under {room['floor']:,.0f} µs ({room['core']:,.0f} µs with a "
        f"Core read of the token's user); the app's view takes {view:,.0f} µs"
    )


def print_room(timed: dict[str, Timed], labels: dict[str, str]) -> None:
    """For each ratio target: what it allows, what each floor leaves, and the verdict."""
    print("What each ratio target leaves for the view, in µs per request")
    heads = ("allows", "after check", "after Core", "after get", "after app's", "app's view")
    names = {key: f"{labels[key]} >= {minimum}" for key, minimum in MIN_RATIOS.items()}
    width = max(len(name) for name in names.values())
    print(f"  {'':<{width}}" + "".join(f"  {head:>11}" for head in heads))
    verdicts = []
    for key, minimum in MIN_RATIOS.items():
        room = room_left(timed, minimum)
        view = timed[key].micros - timed["floor"].micros
        cells = [room["allows"], *(room[floor] for floor in FLOORS), view]
        print(f"  {names[key]:<{width}}" + "".join(f"  {cell:>11,.0f}" for cell in cells))
        fetch = timed[FETCHES[key]].micros - timed["floor"].micros if key in FETCHES else None
        verdicts.append(f"  {labels[key]}: {verdict(room, view, fetch)}")
    print("after X: what is left once that floor is paid (negative: over before the view runs);")
    print("get: db.session.get in a minimal app; app's: the reference app's floor;")
    print("app's view: the app's request minus its floor.")
    print("\n".join(verdicts))
    print()


def main() -> int:
    """Measure the floors and print what they leave of each ratio target."""
    timed, labels = measure(ROUNDS, SECONDS)
    print_floors(timed, labels)
    print_room(timed, labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
