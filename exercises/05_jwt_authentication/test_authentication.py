"""Grading for chapter 05: tokens and their failures (tokens.py), login and refresh (routes.py)."""

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt as pyjwt
import pytest
from flask import Flask
from flask_jwt_extended import create_access_token, create_refresh_token
from werkzeug import security
from werkzeug.test import TestResponse

from workbook.grading import seeded
from workbook.grading.api import LOGIN, REFRESH, USERS, bearer, register
from workbook.grading.feedback import (
    Feedback,
    expect,
    expect_defined,
    expect_equal,
    expect_error,
    expect_status,
)

ME = f"{USERS}me"
NO_TOKEN, BAD_TOKEN = "Bearer", 'Bearer error="invalid_token"'  # the challenges of a 401


def expect_challenge(
    response: TestResponse, challenge: str, why: str, where: str | None = None
) -> None:
    """Expect the 401's ``WWW-Authenticate`` header to be ``challenge``."""
    name = "NO_TOKEN" if challenge == NO_TOKEN else "BAD_TOKEN"
    expect_equal(
        response.headers.get("WWW-Authenticate"),
        challenge,
        f"{response.request.method} {response.request.path} with {why}: the WWW-Authenticate "
        f"header of its 401\n  ({where or f'token_error(message, {name})'} sets it)",
    )


def forge(app: Flask, sub: Any, *, kind: str = "access", key: str = "", **claims: Any) -> str:
    """A token with flask-jwt-extended's claims, signed with the app's key unless ``key``."""
    now = int(time.time())
    payload = {
        "sub": sub,
        "type": kind,
        "fresh": False,
        "jti": seeded.token_hex(8),
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    } | claims
    return pyjwt.encode(payload, key or app.config["JWT_SECRET_KEY"], algorithm="HS256")


def claims(token: str) -> dict[str, Any]:
    """The claims of ``token``, read without checking its signature."""
    return pyjwt.decode(token, options={"verify_signature": False})


def make_token(app: Flask, reference: Any, user_id: int, kind: str = "access") -> str:
    """Have flask-jwt-extended make a token for the user, as login does."""
    create = create_access_token if kind == "access" else create_refresh_token
    with app.app_context():
        user = reference.db.session.get(reference.models.User, user_id)
        try:
            return create(identity=user)
        except NotImplementedError:
            raise
        except Exception as error:
            raise Feedback(
                f"create_{kind}_token(identity=user) failed: {type(error).__name__}: {error}\n"
                "  It puts user_identity(user) in the token's 'sub' claim: that must be a string."
            ) from error


# --- task 1: every token failure is a 401 in the app's shape ------------------------


@pytest.mark.task(taskno=1)
def test_a_request_without_a_token_is_401(client):
    expect_error(client.get(ME), 401, "no Authorization header")
    basic = {"Authorization": f"Basic {seeded.token_urlsafe(12)}"}
    expect_error(client.get(ME, headers=basic), 401, "a Basic header instead of a Bearer token")


@pytest.mark.task(taskno=1)
def test_a_token_that_is_not_valid_is_401(app, client):
    tokens = {
        "a random string": seeded.token_urlsafe(16),
        "three random parts": "abc.def.ghi",
        "a token signed with another key": forge(app, "1", key=seeded.token_urlsafe(48)),
    }
    for what, token in tokens.items():
        expect_error(client.get(ME, headers=bearer(token)), 401, what)


@pytest.mark.task(taskno=1)
def test_an_expired_token_is_401(app, client):
    token = forge(app, "1", exp=int(time.time()) - 60)
    expect_error(client.get(ME, headers=bearer(token)), 401, "a token that expired a minute ago")


@pytest.mark.task(taskno=1)
def test_a_token_of_the_wrong_kind_is_401(app, client):
    refresh_token = forge(app, "1", kind="refresh")
    expect_error(client.get(ME, headers=bearer(refresh_token)), 401, "a refresh token on /me")
    access_token = forge(app, "1", kind="access")
    expect_error(client.post(REFRESH, headers=bearer(access_token)), 401, "an access token")


@pytest.mark.task(taskno=1)
def test_a_token_whose_user_cannot_be_loaded_is_401(app, client, reference, monkeypatch):
    """A user loader that finds nobody (stands in for load_user, task 2): the failure's shape."""
    # flask-jwt-extended keeps the registered user loader here; this test swaps in its own.
    monkeypatch.setattr(reference.extensions.jwt, "_user_lookup_callback", lambda _h, _d: None)
    token = forge(app, str(seeded.randbelow(1000) + 1))
    response = client.get(ME, headers=bearer(token))
    expect_error(response, 401, "a token whose user is not found")
    expect_challenge(response, BAD_TOKEN, "a token whose user is not found")


@pytest.mark.task(taskno=1)
def test_each_token_failure_says_how_to_authenticate(app, client):
    """Every 401 carries a WWW-Authenticate challenge (RFC 9110); RFC 6750 words it for tokens."""
    cases = {
        "no Authorization header": ({}, NO_TOKEN),
        "a token signed with another key": (
            bearer(forge(app, "1", key=seeded.token_urlsafe(48))),
            BAD_TOKEN,
        ),
        "a token that expired a minute ago": (
            bearer(forge(app, "1", exp=int(time.time()) - 60)),
            BAD_TOKEN,
        ),
        "a refresh token on /me": (bearer(forge(app, "1", kind="refresh")), BAD_TOKEN),
    }
    for what, (headers, challenge) in cases.items():
        response = client.get(ME, headers=headers)
        expect_error(response, 401, what)
        expect_challenge(response, challenge, what)


# --- task 2: the user in a token -----------------------------------------------------


@pytest.mark.task(taskno=2)
def test_the_sub_claim_is_the_user_id_as_a_string(app, client, reference):
    for user in (register(client), register(client)):
        sub = claims(make_token(app, reference, user["id"]))["sub"]
        expect_equal(
            sub, str(user["id"]), f"the 'sub' claim (user_identity's value) for user {user['id']}"
        )


@pytest.mark.task(taskno=2)
def test_a_token_brings_back_its_user(app, client, reference):
    for user in (register(client), register(client)):
        token = make_token(app, reference, user["id"])
        me = expect_status(client.get(ME, headers=bearer(token)), 200, "a valid access token")
        expect_equal(me["id"], user["id"], "the id of GET /api/v1/users/me (the token's user)")


@pytest.mark.task(taskno=2)
def test_a_deleted_users_token_is_401(app, client, reference):
    user = register(client)
    token = make_token(app, reference, user["id"])
    with app.app_context():
        db = reference.db
        db.session.delete(db.session.get(reference.models.User, user["id"]))
        db.session.commit()
    expect_error(client.get(ME, headers=bearer(token)), 401, "the token of a deleted user")


@pytest.mark.task(taskno=2)
def test_a_sub_that_names_no_user_is_401(app, client):
    for sub in ("", "not-a-number", "-1", str(2**31), str(2**63)):
        token = forge(app, sub)
        expect_error(client.get(ME, headers=bearer(token)), 401, f"a token whose sub is {sub!r}")


def microseconds_since_1970(iso: str) -> int:
    """The instant ``iso`` (an aware ISO-8601 time) in whole microseconds since 1970."""
    return (datetime.fromisoformat(iso) - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(
        microseconds=1
    )


@pytest.mark.task(taskno=2)
def test_a_token_names_its_account_not_only_its_id(app, client, reference):
    user = register(client)
    claim = reference.auth.tokens.ACCOUNT_CLAIM
    token_claims = claims(make_token(app, reference, user["id"]))
    expect(
        claim in token_claims,
        f"A new token's claims: {sorted(token_claims)}\n"
        f"  expected a {claim!r} claim among them, the account's stamp.\n"
        "  account_claims(user) returns it, and register_jwt_callbacks (task 1) hands\n"
        "  account_claims to jwt.additional_claims_loader.",
    )
    expect_equal(
        token_claims[claim],
        microseconds_since_1970(user["created_at"]),
        f"the {claim!r} claim: account_stamp(user), when the account was created",
    )


@pytest.mark.task(taskno=2)
def test_a_token_is_refused_for_a_later_account_with_its_id(app, client, reference):
    user = register(client)
    token = make_token(app, reference, user["id"])
    models, db = reference.models, reference.db
    with app.app_context():
        db.session.delete(db.session.get(models.User, user["id"]))
        db.session.commit()
        # A later account with the same id, as SQLite without AUTOINCREMENT would make it.
        later = models.User(id=user["id"], email=f"later-{seeded.token_hex(4)}@example.org")
        later.name = "Later"
        later.set_password(seeded.token_hex(8))
        db.session.add(later)
        db.session.commit()
    response = client.get(ME, headers=bearer(token))
    expect_error(response, 401, "the token of a deleted account, whose id a later account has")


@pytest.mark.task(taskno=2)
def test_a_token_without_the_accounts_stamp_is_401(app, client, reference):
    user = register(client)
    claim = reference.auth.tokens.ACCOUNT_CLAIM
    stamp = microseconds_since_1970(user["created_at"])
    sub = str(user["id"])
    expect_status(client.get(ME, headers=bearer(forge(app, sub, **{claim: stamp}))), 200)
    for what, token in {
        f"no {claim!r} claim": forge(app, sub),
        f"another account's {claim!r}": forge(app, sub, **{claim: stamp - 1}),
    }.items():
        expect_error(client.get(ME, headers=bearer(token)), 401, f"a token with {what}")


# --- task 3: refresh -----------------------------------------------------------------


@pytest.mark.task(taskno=3)
def test_refresh_gives_a_new_access_token_for_the_same_user(app, client, reference):
    register(client)
    user = register(client)
    refresh_token = make_token(app, reference, user["id"], kind="refresh")
    body = expect_status(client.post(REFRESH, headers=bearer(refresh_token)), 200)
    expect_equal(sorted(body or {}), ["access_token"], "the fields of the refresh answer")
    expect_equal(claims(body["access_token"])["type"], "access", "the new token's type")
    me = expect_status(client.get(ME, headers=bearer(body["access_token"])), 200)
    expect_equal(me["id"], user["id"], "the user of the new access token")


@pytest.mark.task(taskno=3)
def test_refresh_refuses_an_access_token(app, client, reference):
    user = register(client)
    refresh_token = make_token(app, reference, user["id"], kind="refresh")
    expect_status(client.post(REFRESH, headers=bearer(refresh_token)), 200, "a refresh token")
    access_token = make_token(app, reference, user["id"])
    expect_error(client.post(REFRESH, headers=bearer(access_token)), 401, "an access token")


# --- task 4: checking credentials ----------------------------------------------------


def find_user(app: Flask, reference: Any, email: str, password: str) -> Any:
    """Call routes._find_user(email, password) in the app; return the user's id or None."""
    find = expect_defined(reference.auth.routes, "_find_user")
    with app.app_context():
        user = find(email, password)
        return None if user is None else user.id


@pytest.mark.task(taskno=4)
def test_the_right_password_finds_the_user(app, client, reference):
    register(client)
    user = register(client)
    found = find_user(app, reference, user["email"], user["password"])
    expect_equal(found, user["id"], "the id of the user _find_user(email, password) returned")
    found = find_user(app, reference, user["email"].upper(), user["password"])
    expect_equal(found, user["id"], "the user _find_user found for the email in capitals")


@pytest.mark.task(taskno=4)
def test_wrong_credentials_find_nobody(app, client, reference):
    user = register(client)
    wrong_password = find_user(app, reference, user["email"], f"{user['password']}x")
    expect_equal(wrong_password, None, "_find_user with a wrong password")
    unknown = find_user(app, reference, f"nobody-{seeded.token_hex(4)}@example.org", "pw")
    expect_equal(unknown, None, "_find_user with an email that has no account")


@pytest.mark.task(taskno=4)
def test_an_unknown_email_costs_a_password_hash_too(app, client, reference, monkeypatch):
    """Timing must not tell who has an account: count the password hashes each case runs."""
    user = register(client)
    nobody = f"nobody-{seeded.token_hex(4)}@example.org"
    find_user(app, reference, nobody, user["password"])  # a first call may prepare a dummy hash
    real_hash = security._hash_internal

    def hashes(email: str) -> list[str]:
        calls = []

        def counting_hash(method: str, salt: str, password: str) -> Any:
            calls.append(method)
            return real_hash(method, salt, password)

        monkeypatch.setattr(security, "_hash_internal", counting_hash)
        find_user(app, reference, email, f"wrong-{seeded.token_hex(4)}")
        monkeypatch.setattr(security, "_hash_internal", real_hash)
        return calls

    known, unknown = hashes(user["email"]), hashes(nobody)
    expect(
        known == unknown,
        "A wrong password and an unknown email should cost the same password hashing.\n"
        f"  hash methods run for a wrong password: {known}\n"
        f"  hash methods run for an unknown email: {unknown}\n"
        "  Check the password against _dummy_hash(method) when no user has the email,\n"
        "  with the app's PASSWORD_HASH_METHOD.",
    )


# --- task 5: login -------------------------------------------------------------------


@pytest.mark.task(taskno=5)
def test_login_returns_two_working_tokens(client):
    register(client)
    user = register(client)
    credentials = {"email": user["email"], "password": user["password"]}
    body = expect_status(client.post(LOGIN, json=credentials), 200, "the right credentials")
    expect_equal(sorted(body or {}), ["access_token", "refresh_token"], "the fields of a login")
    me = expect_status(client.get(ME, headers=bearer(body["access_token"])), 200, "access token")
    expect_equal(me["id"], user["id"], "the user of the access token that login returned")
    refresh = claims(body["refresh_token"])
    expect_equal(refresh["type"], "refresh", "the 'type' claim of the refresh token")
    expect_equal(refresh["sub"], str(user["id"]), "the 'sub' claim of the refresh token")


@pytest.mark.task(taskno=5)
def test_wrong_password_and_unknown_email_get_the_same_401(client):
    user = register(client)
    wrong_password = {"email": user["email"], "password": f"{user['password']}x"}
    unknown_email = {"email": f"nobody-{seeded.token_hex(4)}@example.org", "password": "pw"}
    refused = client.post(LOGIN, json=wrong_password)
    first = expect_error(refused, 401, "a wrong password")
    expect_challenge(
        refused,
        NO_TOKEN,
        "a wrong password",
        'Unauthorized(..., www_authenticate=WWWAuthenticate("bearer"))',
    )
    second = expect_error(client.post(LOGIN, json=unknown_email), 401, "an unknown email")
    expect_equal(second, first, "the body for an unknown email (it must not differ)")


@pytest.mark.task(taskno=5)
def test_a_bad_body_is_400(client):
    email, password = f"ann-{seeded.token_hex(4)}@example.org", seeded.token_hex(6)
    bodies = [
        {},
        {"email": email},
        {"password": password},
        {"email": 1, "password": password},
        {"email": email, "password": None},
        None,
        [email, password],
    ]
    for body in bodies:
        response = client.post(LOGIN, data=json.dumps(body), content_type="application/json")
        expect_error(response, 400, f"the JSON body {json.dumps(body)}")
