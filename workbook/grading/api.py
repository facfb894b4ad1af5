"""Shortcuts for grading tests: make users with random data, log in, post."""

from typing import Any

from flask.testing import FlaskClient

from workbook.grading import seeded
from workbook.grading.feedback import expect_status

USERS = "/api/v1/users/"
POSTS = "/api/v1/posts/"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"


def random_user_fields() -> dict[str, str]:
    """Return registration fields that differ on every call, so no answer can be hard-coded."""
    tag = seeded.token_hex(4)
    return {
        "email": f"learner-{tag}@example.org",
        "password": f"pw-{seeded.token_hex(6)}",
        "name": f"Learner {tag}",
    }


def register(client: FlaskClient, **fields: Any) -> dict[str, Any]:
    """Register a user; return its JSON plus the ``password`` it was given."""
    body = random_user_fields() | fields
    user = expect_status(client.post(USERS, json=body), 201, "registering a user")
    return user | {"password": body["password"]}


def tokens(client: FlaskClient, user: dict[str, Any]) -> dict[str, str]:
    """Log ``user`` in; return its access and refresh tokens."""
    credentials = {"email": user["email"], "password": user["password"]}
    return expect_status(client.post(LOGIN, json=credentials), 200, "logging in")


def bearer(token: str) -> dict[str, str]:
    """Return an Authorization header carrying ``token``."""
    return {"Authorization": f"Bearer {token}"}


def auth(client: FlaskClient, user: dict[str, Any]) -> dict[str, str]:
    """Return an Authorization header with a fresh access token for ``user``."""
    return bearer(tokens(client, user)["access_token"])


def random_post_fields() -> dict[str, str]:
    """Return post fields that differ on every call."""
    return {"title": f"Title {seeded.token_hex(3)}", "body": f"Body {seeded.token_hex(8)}."}


def publish(client: FlaskClient, user: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Publish a post as ``user``; return its JSON."""
    body = random_post_fields() | fields
    return expect_status(
        client.post(POSTS, json=body, headers=auth(client, user)), 201, "publishing a post"
    )
