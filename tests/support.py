"""Helpers shared by the tests: an API driver and the error-shape assertion."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import count
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from reference_app import create_app, db
from reference_app.models import Post, User
from workbook.apps import closing
from workbook.databases import SERVER_URL, in_schema, schema_name
from workbook.grading import api as driver
from workbook.grading.api import bearer
from workbook.grading.feedback import expect_error

PASSWORD = "correct-horse-battery"
HASH_METHOD = os.environ.get("TEST_PASSWORD_HASH_METHOD", "")

RUN_SCHEMA = schema_name("test_run")
POSTGRES_URL = in_schema(SERVER_URL, RUN_SCHEMA) if SERVER_URL else ""

# Every API test runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set.
DATABASES = [
    pytest.param("sqlite://", id="sqlite"),
    pytest.param(
        POSTGRES_URL,
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set"),
        ],
    ),
]


@contextmanager
def fresh_app(database_url: str) -> Iterator[Flask]:
    """Yield a testing app on ``database_url`` with empty tables; drop them afterwards."""
    overrides = {"SQLALCHEMY_DATABASE_URI": database_url}
    if HASH_METHOD:  # `make bench` times the suite with the default hash too
        overrides["PASSWORD_HASH_METHOD"] = HASH_METHOD
    app = create_app("testing", overrides=overrides)
    with closing(app):
        with app.app_context():
            db.drop_all()
            db.create_all()
        yield app
        with app.app_context():
            db.session.remove()
            db.drop_all()


class Api:
    """The grader's API driver (workbook.grading.api), with this suite's users.

    Emails count up (``user1@example.com``, ...) and every password is PASSWORD, so a
    test can log a user in again from its JSON alone.
    """

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self._numbers = count(1)

    def register(self, **fields: Any) -> dict[str, Any]:
        """Register a user (unique email unless given) and return its JSON."""
        n = next(self._numbers)
        body = {"email": f"user{n}@example.com", "password": PASSWORD, "name": f"User {n}"}
        user = driver.register(self.client, **(body | fields))
        return {key: value for key, value in user.items() if key != "password"}

    def tokens(self, email: str, password: str = PASSWORD) -> dict[str, str]:
        """Log in and return the access and refresh tokens."""
        return driver.tokens(self.client, {"email": email, "password": password})

    def headers(self, user: dict[str, Any], kind: str = "access") -> dict[str, str]:
        """Return an Authorization header for ``user`` with an access or refresh token."""
        return bearer(self.tokens(user["email"])[f"{kind}_token"])

    def make_admin(self, user: dict[str, Any]) -> None:
        """Give ``user`` the admin role, directly in the database."""
        with self.client.application.app_context():
            db.session.get(User, user["id"]).role = "admin"
            db.session.commit()

    def post(self, user: dict[str, Any], **fields: Any) -> dict[str, Any]:
        """Publish a post as ``user`` and return its JSON."""
        author = {"email": user["email"], "password": PASSWORD}
        return driver.publish(
            self.client, author, **({"title": "A title", "body": "A body."} | fields)
        )


def assert_error(response: TestResponse, status: int, *, details: bool = False) -> dict[str, Any]:
    """Assert ``response`` is ``status`` in the app's one JSON error shape; return the body.

    The shape is the grader's (``expect_error``); a 401 also names the API's scheme in
    ``WWW-Authenticate``.
    """
    body = expect_error(response, status, details=details)
    if status == 401:
        challenge = response.headers.get("WWW-Authenticate", "")
        assert challenge.split(" ")[0] == "Bearer", f"a 401's challenge: {challenge!r}"
    return body


@dataclass(frozen=True)
class Scene:
    """A user with a post of theirs, and the user's raw tokens by kind ("access", "refresh")."""

    user_id: int
    post_id: int
    tokens: dict[str, str]

    @property
    def headers(self) -> dict[str, str]:
        """The Authorization header with the access token."""
        return bearer(self.tokens["access"])

    @property
    def refresh_headers(self) -> dict[str, str]:
        """The Authorization header with the refresh token."""
        return bearer(self.tokens["refresh"])


def make_scene(api: Api, **user_fields: Any) -> Scene:
    """Register a user, log them in once and publish a post of theirs."""
    user = api.register(**user_fields)
    tokens = api.tokens(user["email"])
    tokens = {"access": tokens["access_token"], "refresh": tokens["refresh_token"]}
    post = api.client.post(
        "/api/v1/posts/", json={"title": "T", "body": "B"}, headers=bearer(tokens["access"])
    )
    assert post.status_code == 201, post.json
    return Scene(user_id=user["id"], post_id=post.json["id"], tokens=tokens)


# The columns a request could change; rows are compared before and after it.
USER_COLUMNS = (User.id, User.email, User.name, User.role, User.password_hash, User.updated_at)
POST_COLUMNS = (Post.id, Post.title, Post.body, Post.author_id, Post.updated_at)


def snapshot(app: Flask) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every user and post row, to show that a refused request changed nothing."""
    with app.app_context():
        users = db.session.execute(select(*USER_COLUMNS).order_by(User.id))
        posts = db.session.execute(select(*POST_COLUMNS).order_by(Post.id))
        return [tuple(row) for row in users], [tuple(row) for row in posts]
