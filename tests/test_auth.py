"""Login and refresh, row by row of the contract, and the login's equal timing."""

import jwt as pyjwt
import pytest
from werkzeug import security

from reference_app import db
from reference_app.models import User
from tests.support import PASSWORD, assert_error, bearer

LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"


def test_login_returns_both_tokens(client, api):
    ann = api.register()
    response = client.post(LOGIN, json={"email": ann["email"], "password": PASSWORD})
    assert response.status_code == 200
    assert set(response.json) == {"access_token", "refresh_token"}


def test_login_ignores_email_case(client, api):
    ann = api.register(email="ann@example.org")
    response = client.post(LOGIN, json={"email": " ANN@Example.org", "password": PASSWORD})
    assert response.status_code == 200
    me = client.get("/api/v1/users/me", headers=bearer(response.json["access_token"]))
    assert me.json == ann


def test_token_subject_is_a_string(client, api):
    ann = api.register()
    tokens = api.tokens(ann["email"])
    refreshed = client.post(REFRESH, headers=bearer(tokens["refresh_token"]))
    for token in [*tokens.values(), refreshed.json["access_token"]]:
        claims = pyjwt.decode(token, options={"verify_signature": False})
        assert claims["sub"] == str(ann["id"])  # PyJWT 2.10+ refuses any other type


def test_tokens_carry_no_cookie_csrf_claim(client, api):
    ann = api.register()
    for token in api.tokens(ann["email"]).values():
        claims = pyjwt.decode(token, options={"verify_signature": False})
        assert set(claims) == {"acct", "exp", "fresh", "iat", "jti", "nbf", "sub", "type"}


@pytest.mark.parametrize("where", ["cookie", "query string"])
def test_a_token_is_read_from_the_authorization_header_only(client, api, where):
    ann = api.register()
    token = api.tokens(ann["email"])["access_token"]
    if where == "cookie":
        client.set_cookie("access_token_cookie", token)
        response = client.get("/api/v1/users/me")
    else:
        response = client.get("/api/v1/users/me", query_string={"jwt": token})
    assert_error(response, 401)


@pytest.mark.parametrize(
    ("headers", "challenge"),
    [
        ({}, "Bearer"),
        ({"Authorization": "Basic b3duZXI6cGFzc3dvcmQ="}, "Bearer"),
        ({"Authorization": "Bearer abc.def.ghi"}, 'Bearer error="invalid_token"'),
    ],
    ids=["no token", "another scheme", "a bad token"],
)
def test_a_401_says_how_to_authenticate(client, headers, challenge):
    response = client.get("/api/v1/users/me", headers=headers)
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"] == challenge


def test_wrong_password_and_unknown_email_look_the_same(client, api):
    ann = api.register()
    wrong_password = client.post(LOGIN, json={"email": ann["email"], "password": "wrong-one"})
    unknown_email = client.post(LOGIN, json={"email": "nobody@example.org", "password": PASSWORD})
    assert assert_error(wrong_password, 401) == assert_error(unknown_email, 401)


def test_unknown_email_costs_one_password_hash_too(client, api, monkeypatch):
    ann = api.register()
    calls = []
    real_hash = security._hash_internal

    def counting_hash(method, salt, password):
        calls.append(method)
        return real_hash(method, salt, password)

    monkeypatch.setattr(security, "_hash_internal", counting_hash)
    client.post(LOGIN, json={"email": ann["email"], "password": "wrong-one"})
    client.post(LOGIN, json={"email": "nobody@example.org", "password": "wrong-one"})
    assert len(calls) == 2
    assert calls[0] == calls[1], "the dummy check must use the same hash method as a real one"


@pytest.mark.parametrize(
    "body",
    [{}, {"email": "ann@example.org"}, {"password": PASSWORD}, {"email": 1, "password": PASSWORD}],
    ids=["empty", "no-password", "no-email", "email-not-a-string"],
)
def test_login_with_a_bad_body_is_400(client, body):
    assert_error(client.post(LOGIN, json=body), 400)


def test_refresh_returns_a_working_access_token(client, api):
    ann = api.register()
    response = client.post(REFRESH, headers=api.headers(ann, kind="refresh"))
    assert response.status_code == 200
    assert set(response.json) == {"access_token"}
    headers = bearer(response.json["access_token"])
    assert client.get("/api/v1/users/me", headers=headers).json == ann


def test_refresh_refuses_an_access_token(client, api):
    assert_error(client.post(REFRESH, headers=api.headers(api.register())), 401)


def test_access_endpoints_refuse_a_refresh_token(client, api):
    headers = api.headers(api.register(), kind="refresh")
    assert_error(client.get("/api/v1/users/me", headers=headers), 401)


def test_tokens_of_a_deleted_user_are_refused(client, api):
    ann = api.register()
    access, refresh = api.headers(ann), api.headers(ann, kind="refresh")
    assert client.delete(f"/api/v1/users/{ann['id']}", headers=access).status_code == 204
    assert_error(client.get("/api/v1/users/me", headers=access), 401)
    assert_error(client.post(REFRESH, headers=refresh), 401)


def test_a_deleted_users_id_and_tokens_never_pass_to_the_next_account(client, api):
    ann = api.register()
    access, refresh = api.headers(ann), api.headers(ann, kind="refresh")
    assert client.delete(f"/api/v1/users/{ann['id']}", headers=access).status_code == 204
    bob = api.register()
    assert bob["id"] > ann["id"], "a deleted user's id must never be handed out again"
    assert_error(client.get("/api/v1/users/me", headers=access), 401)
    assert_error(client.get(f"/api/v1/users/{bob['id']}", headers=access), 401)
    assert_error(client.put(f"/api/v1/users/{bob['id']}", json={}, headers=access), 401)
    assert_error(client.post(REFRESH, headers=refresh), 401)
    assert client.get("/api/v1/users/me", headers=api.headers(bob)).json == bob


def test_tokens_never_work_for_another_account_with_the_same_id(app, client, api):
    """Should an id come back (a restored backup, a rebuilt table), old tokens still fail."""
    ann = api.register()
    access, refresh = api.headers(ann), api.headers(ann, kind="refresh")
    with app.app_context():
        db.session.delete(db.session.get(User, ann["id"]))
        db.session.commit()
        # The next account, given the deleted one's id by hand: no API call can do that.
        bob = User(id=ann["id"], email="bob@example.org", name="Bob")
        bob.set_password(PASSWORD)
        db.session.add(bob)
        db.session.commit()
    assert_error(client.get("/api/v1/users/me", headers=access), 401)
    assert_error(client.post(REFRESH, headers=refresh), 401)
    bobs = bearer(api.tokens("bob@example.org")["access_token"])
    assert client.get("/api/v1/users/me", headers=bobs).json["email"] == "bob@example.org"


def test_a_token_without_its_account_claim_is_refused(app, client, api):
    ann = api.register()
    token = api.tokens(ann["email"])["access_token"]
    claims = pyjwt.decode(token, options={"verify_signature": False})
    for stamp in (None, claims["acct"] + 1, str(claims["acct"])):
        forged = {key: value for key, value in claims.items() if key != "acct"}
        if stamp is not None:
            forged["acct"] = stamp
        token = pyjwt.encode(forged, app.config["JWT_SECRET_KEY"], algorithm="HS256")
        assert_error(client.get("/api/v1/users/me", headers=bearer(token)), 401)
