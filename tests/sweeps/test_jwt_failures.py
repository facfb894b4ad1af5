"""Every way a token can be wrong, on every protected endpoint: always a 401 in the app's shape.

flask-jwt-extended's own answers are ``{"msg": ...}`` with 401 or 422; the contract
wants every JWT failure as a 401 ``{"error", "message"}``, and never a 500. Each case
starts from a token that works (checked by the positive controls at the end) and
breaks one thing in it.

The failure table shares one app per database for the module: a refused request
changes nothing, and building the tables afresh for each of these few hundred cases
would make the sweep slow on PostgreSQL. The positive controls, which do change data,
work on users and posts of their own.
"""

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_jwt_extended import create_access_token, create_refresh_token
from werkzeug.test import TestResponse

from reference_app import db
from reference_app.models import User
from tests.support import Api, Scene, assert_error, bearer, make_scene, snapshot

# At least 32 bytes, or PyJWT warns that the key is too short for HS256.
OTHER_KEY = "a-different-key-that-the-app-has-never-seen"
OMIT = object()  # a claim to leave out of a forged token


# --- fixtures ----------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """What the failure cases need: the target scene, an admin, a deleted user's tokens."""

    app: Flask
    owner: Scene
    admin_id: int
    ghost_tokens: dict[str, str]


@pytest.fixture(scope="module")
def world(app: Flask, api: Api) -> World:
    """The module's shared users: an owner whose data is targeted, an admin, a deleted user."""
    owner = make_scene(api)
    admin = api.register()
    api.make_admin(admin)
    ghost = make_scene(api)
    deleted = api.client.delete(
        f"/api/v1/users/{ghost.user_id}", headers=bearer(ghost.tokens["access"])
    )
    assert deleted.status_code == 204, deleted.json
    return World(app=app, owner=owner, admin_id=admin["id"], ghost_tokens=ghost.tokens)


# --- helpers -----------------------------------------------------------------------


def b64url(data: dict[str, Any]) -> str:
    """``data`` as JSON in unpadded base64url: one segment of a JWT."""
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims of ``token``, read without checking its signature."""
    return jwt.decode(token, options={"verify_signature": False})


def forge(world: World, kind: str, *, key: str | None = None, **claims: Any) -> str:
    """A PyJWT token with flask-jwt-extended's claims for the owner, changed by ``claims``.

    Signed with the app's own key unless ``key`` is given; a claim set to ``OMIT`` is left out.
    """
    now = int(time.time())
    payload = {
        "sub": str(world.owner.user_id),
        "acct": unverified_claims(world.owner.tokens[kind])["acct"],
        "type": kind,
        "fresh": False,
        "jti": "forged",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    } | claims
    payload = {name: value for name, value in payload.items() if value is not OMIT}
    return jwt.encode(payload, key or world.app.config["JWT_SECRET_KEY"], algorithm="HS256")


@dataclass(frozen=True)
class Endpoint:
    """A protected endpoint, the kind of token it needs and what a valid request gets."""

    name: str
    method: str
    path: str  # "{user}" and "{post}" stand for a scene's ids
    ok: int
    body: dict[str, Any] | None = None
    kind: str = "access"

    def send(self, client: FlaskClient, scene: Scene, headers: dict[str, str]) -> TestResponse:
        """Send this request, with a valid body, against ``scene``'s user and post."""
        path = self.path.format(user=scene.user_id, post=scene.post_id)
        return client.open(path, method=self.method, json=self.body, headers=headers)


PROTECTED = [
    pytest.param(endpoint, id=endpoint.name)
    for endpoint in (
        Endpoint("list-users", "GET", "/api/v1/users/", 200),
        Endpoint("get-user", "GET", "/api/v1/users/{user}", 200),
        Endpoint("me", "GET", "/api/v1/users/me", 200),
        Endpoint("update-user", "PUT", "/api/v1/users/{user}", 200, {"name": "Renamed"}),
        Endpoint("delete-user", "DELETE", "/api/v1/users/{user}", 204),
        Endpoint("create-post", "POST", "/api/v1/posts/", 201, {"title": "T", "body": "B"}),
        Endpoint("update-post", "PUT", "/api/v1/posts/{post}", 200, {"title": "Retitled"}),
        Endpoint("delete-post", "DELETE", "/api/v1/posts/{post}", 204),
        Endpoint("refresh", "POST", "/api/v1/auth/refresh", 200, kind="refresh"),
    )
]


# --- the ways a token can be wrong -------------------------------------------------
# Each takes the world and the kind of token the endpoint needs, and returns headers.


def tampered_payload(world: World, kind: str) -> dict[str, str]:
    """The owner's token rewritten to name the admin, its original signature kept."""
    header, payload, signature = world.owner.tokens[kind].split(".")
    claims = unverified_claims(world.owner.tokens[kind]) | {"sub": str(world.admin_id)}
    assert b64url(claims) != payload  # the rewrite did change something
    return bearer(f"{header}.{b64url(claims)}.{signature}")


def expired(world: World, kind: str) -> dict[str, str]:
    """A token made by the app itself, which expired a second ago."""
    create_token = create_access_token if kind == "access" else create_refresh_token
    with world.app.app_context():
        user = db.session.get(User, world.owner.user_id)
        return bearer(create_token(identity=user, expires_delta=timedelta(seconds=-1)))


def alg_none(world: World, kind: str) -> dict[str, str]:
    """The owner's claims under ``"alg": "none"``, with no signature at all."""
    claims = unverified_claims(world.owner.tokens[kind])
    return bearer(f"{b64url({'alg': 'none', 'typ': 'JWT'})}.{b64url(claims)}.")


def wrong_kind(world: World, kind: str) -> dict[str, str]:
    """A refresh token where an access token is needed, and vice versa."""
    return bearer(world.owner.tokens["refresh" if kind == "access" else "access"])


Failure = Callable[[World, str], dict[str, str]]
FAILURES = [
    pytest.param(lambda w, kind: {}, id="missing-header"),
    pytest.param(lambda w, kind: {"Authorization": "Bearer"}, id="bearer-alone"),
    pytest.param(lambda w, kind: {"Authorization": "Bearer "}, id="bearer-and-space"),
    pytest.param(lambda w, kind: {"Authorization": "Basic b3duZXI6cGFzc3dvcmQ="}, id="basic"),
    pytest.param(
        lambda w, kind: {"Authorization": f"Token {w.owner.tokens[kind]}"}, id="token-scheme"
    ),
    pytest.param(lambda w, kind: {"Authorization": w.owner.tokens[kind]}, id="no-scheme"),
    pytest.param(lambda w, kind: bearer("garbage"), id="garbage"),
    pytest.param(lambda w, kind: bearer("abc.def.ghi"), id="garbage-in-three-parts"),
    pytest.param(lambda w, kind: bearer(forge(w, kind, key=OTHER_KEY)), id="other-key"),
    pytest.param(tampered_payload, id="tampered-payload"),
    pytest.param(expired, id="expired"),
    pytest.param(
        lambda w, kind: bearer(forge(w, kind, exp=int(time.time()) - 60)), id="forged-expired"
    ),
    pytest.param(
        lambda w, kind: bearer(forge(w, kind, nbf=int(time.time()) + 3600)), id="not-yet-valid"
    ),
    pytest.param(alg_none, id="alg-none"),
    pytest.param(wrong_kind, id="wrong-kind"),
    pytest.param(lambda w, kind: bearer(w.ghost_tokens[kind]), id="deleted-user"),
    # Signed with the app's own key, so that only the claim itself can be the fault.
    pytest.param(lambda w, kind: bearer(forge(w, kind, sub=w.owner.user_id)), id="integer-sub"),
    pytest.param(lambda w, kind: bearer(forge(w, kind, sub="abc")), id="non-numeric-sub"),
    pytest.param(lambda w, kind: bearer(forge(w, kind, sub="")), id="empty-sub"),
    pytest.param(lambda w, kind: bearer(forge(w, kind, sub=OMIT)), id="missing-sub"),
    # The account claim ties a token to one account, should its id ever name another.
    pytest.param(lambda w, kind: bearer(forge(w, kind, acct=OMIT)), id="missing-account"),
    pytest.param(lambda w, kind: bearer(forge(w, kind, acct=1)), id="other-account"),
    # Ids no user can have: a 32-bit id column, and a 64-bit integer.
    pytest.param(lambda w, kind: bearer(forge(w, kind, sub=str(2**31))), id="sub-2**31"),
    pytest.param(lambda w, kind: bearer(forge(w, kind, sub=str(2**63))), id="sub-2**63"),
]


@pytest.mark.parametrize("endpoint", PROTECTED)
@pytest.mark.parametrize("failure", FAILURES)
def test_bad_token_is_401(
    client: FlaskClient, world: World, endpoint: Endpoint, failure: Failure
) -> None:
    before = snapshot(world.app)
    response = endpoint.send(client, world.owner, failure(world, endpoint.kind))
    assert_error(response, 401)  # exactly {"error", "message"}: never flask-jwt-extended's "msg"
    assert snapshot(world.app) == before


# --- positive controls: the same requests with a good token succeed ----------------


@pytest.mark.parametrize("endpoint", PROTECTED)
def test_valid_token_is_accepted(client: FlaskClient, api: Api, endpoint: Endpoint) -> None:
    scene = make_scene(api)  # of its own, since the request may delete it
    response = endpoint.send(client, scene, bearer(scene.tokens[endpoint.kind]))
    assert response.status_code == endpoint.ok, response.get_data(as_text=True)


def test_owner_tokens_work(client: FlaskClient, world: World) -> None:
    # The failures above start from these tokens; they must be good to begin with.
    me = client.get("/api/v1/users/me", headers=bearer(world.owner.tokens["access"]))
    assert me.status_code == 200
    assert me.json["id"] == world.owner.user_id
    refreshed = client.post("/api/v1/auth/refresh", headers=bearer(world.owner.tokens["refresh"]))
    assert refreshed.status_code == 200


@pytest.mark.parametrize(
    ("kind", "method", "path"),
    [("access", "GET", "/api/v1/users/me"), ("refresh", "POST", "/api/v1/auth/refresh")],
    ids=["access", "refresh"],
)
def test_forged_token_with_the_right_key_and_claims_works(
    client: FlaskClient, world: World, kind: str, method: str, path: str
) -> None:
    # So the forged failures above fail for the one claim they change, not for forge().
    response = client.open(path, method=method, headers=bearer(forge(world, kind)))
    assert response.status_code == 200, response.get_data(as_text=True)
