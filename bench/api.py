"""The apps under test: a bare Flask JSON endpoint, and the reference app on a seeded database."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask_jwt_extended import jwt_required
from sqlalchemy import event, insert
from werkzeug.security import generate_password_hash

from reference_app import db
from reference_app.models import Post, User
from workbook.apps import new_app
from workbook.grading.api import bearer

USER_COUNT = 10_000
POST_COUNT = 1_000
PASSWORD = "bench-password"
TOKEN_USER_ID = 1  # the user who logs in; its lookup is the first statement of every request
# Another user than the token's, so that reading it is a real lookup, not an identity-map hit.
OTHER_USER_ID = USER_COUNT // 2
USERS = "/api/v1/users"
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Endpoint:
    """One request to time: ``key`` names it in the targets, ``label`` in the table."""

    key: str
    label: str
    app: Flask
    path: str
    headers: dict[str, str] = field(default_factory=dict)


def make_bare_app() -> Flask:
    """Return the baseline: a minimal Flask app with one JSON route and nothing else."""
    app = Flask(__name__)

    @app.get("/bare")
    def bare() -> dict[str, Any]:
        return {"id": 1, "name": "Bare", "role": "user"}

    return app


def make_reference_app() -> Flask:
    """Return the testing app on a fresh in-memory SQLite database, seeded with users and posts.

    The database is in memory whatever ``TEST_DATABASE_URL`` says.
    """
    app = new_app()

    @app.get("/bench/token-floor")
    @jwt_required()
    def token_floor() -> dict[str, bool]:
        """The least an endpoint behind a token costs: decoding it and loading its user."""
        return {"ok": True}

    @app.get("/bench/page-query")
    @jwt_required()
    def page_query() -> dict[str, int]:
        """The floor and the list's page of users, fetched as the list fetches it; no dump."""
        per_page = app.config["DEFAULT_PER_PAGE"]
        page = db.paginate(db.select(User).order_by(User.id), page=1, per_page=per_page)
        return {"items": len(page.items)}

    with app.app_context():
        password_hash = generate_password_hash(PASSWORD, method=app.config["PASSWORD_HASH_METHOD"])
        db.session.execute(insert(User), list(user_rows(password_hash)))
        db.session.execute(insert(Post), list(post_rows()))
        db.session.commit()
    return app


def user_rows(password_hash: str) -> Iterator[dict[str, Any]]:
    """Yield ``USER_COUNT`` users sharing one precomputed hash (hashing each would take minutes)."""
    for n in range(1, USER_COUNT + 1):
        created = EPOCH + timedelta(seconds=n)
        yield {
            "id": n,
            "email": f"user{n}@example.com",
            "name": f"User {n}",
            "password_hash": password_hash,
            "role": "user",
            "created_at": created,
            "updated_at": created,
        }


def post_rows() -> Iterator[dict[str, Any]]:
    """Yield ``POST_COUNT`` posts spread over the first users, one second apart."""
    for n in range(1, POST_COUNT + 1):
        created = EPOCH + timedelta(days=1, seconds=n)
        yield {
            "id": n,
            "title": f"Post {n}",
            "body": "A short body for the benchmark. " * 4,
            "author_id": 1 + n % 50,
            "created_at": created,
            "updated_at": created,
        }


def access_token(app: Flask) -> str:
    """Log the token user in through the API and return the access token."""
    response = app.test_client().post(
        "/api/v1/auth/login",
        json={"email": f"user{TOKEN_USER_ID}@example.com", "password": PASSWORD},
    )
    if response.status_code != 200:
        raise RuntimeError(f"Login failed with {response.status_code}: {response.get_data(True)}")
    return response.json["access_token"]


def endpoints(bare: Flask, app: Flask, token: str) -> list[Endpoint]:
    """Return the baseline first, then the reference app's endpoints, in table order."""
    auth = bearer(token)
    deep_page = USER_COUNT // app.config["DEFAULT_PER_PAGE"]
    return [
        Endpoint("bare", "bare Flask JSON endpoint", bare, "/bare"),
        Endpoint("floor", "token check + user lookup only", app, "/bench/token-floor", auth),
        Endpoint("me", f"GET {USERS}/me", app, f"{USERS}/me", auth),
        Endpoint("by_id", f"GET {USERS}/{OTHER_USER_ID}", app, f"{USERS}/{OTHER_USER_ID}", auth),
        Endpoint("page1", f"GET {USERS}/?page=1", app, f"{USERS}/?page=1", auth),
        Endpoint("deep", f"GET {USERS}/?page={deep_page}", app, f"{USERS}/?page={deep_page}", auth),
        Endpoint("posts", "GET /api/v1/posts/?page=1", app, "/api/v1/posts/?page=1"),
    ]


@contextmanager
def recorded_statements(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements ``app``'s engine sends while the block runs."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
