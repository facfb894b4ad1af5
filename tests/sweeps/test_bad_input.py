"""Bad input on every write endpoint, and on ids and page arguments: never a 5xx.

Each case breaks exactly one thing in an otherwise valid request (valid token, valid
body, existing id), so a rejection can only be for that thing. Every rejected request
is also checked to have changed nothing in the database.

The tables share one app per database for the whole module: a rejected request
changes nothing, and building the tables afresh for each of these few hundred cases
would make the sweep slow on PostgreSQL. Tests that do change data (accepted
boundaries, deletions) work on users and posts of their own.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from reference_app import db
from reference_app.models import Post, User
from tests.support import PASSWORD, Api, Scene, assert_error, make_scene, snapshot

OWNER_EMAIL = "owner@example.com"
JSON = "application/json"
LONG = 10_000  # the longest post body allowed; far too long for every other string field
# Deeper than Python's recursion limit, yet a small body (20 kB).
DEEP = 10_000
_emails = count(1)


# --- fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def scene(api: Api) -> Scene:
    """The module's shared user and post, which every rejected request targets."""
    return make_scene(api, email=OWNER_EMAIL)


@pytest.fixture(scope="module")
def crowd(app: Flask) -> None:
    """More than 100 users and posts, so that a page size above 100 can show itself."""
    with app.app_context():
        users = [
            User(email=f"crowd{n}@example.com", name=f"Crowd {n}", password_hash="unusable")
            for n in range(101)
        ]
        db.session.add_all(users)
        db.session.add_all(Post(author=user, title="Crowd", body="Crowd") for user in users)
        db.session.commit()


# --- helpers -----------------------------------------------------------------------


def raw_json(text: str | bytes) -> dict[str, Any]:
    """Request arguments that send ``text`` as it is, labelled as JSON."""
    return {"data": text, "content_type": JSON}


def assert_not_server_error(response: TestResponse, *, details: bool) -> None:
    """Assert a success, or an error below 500 in the app's shape (where the contract is silent)."""
    status = response.status_code
    assert status < 500, f"server error {status}: {response.get_data(as_text=True)}"
    if status >= 400:
        assert_error(response, status, details=details and status == 400)


@dataclass(frozen=True)
class Endpoint:
    """A write endpoint and a body it accepts, so that a case can break one thing in it."""

    name: str
    method: str
    path: str  # "{user}" and "{post}" stand for the scene's ids
    valid_body: dict[str, Any] = field(default_factory=dict)
    auth: bool = True
    # Whether a bad field is reported with marshmallow's "details" (a user or post body).
    details: bool = True

    def send(self, client: FlaskClient, scene: Scene, **kwargs: Any) -> TestResponse:
        """Send this request for ``scene``'s user and post, with their token if needed."""
        path = self.path.format(user=scene.user_id, post=scene.post_id)
        headers = scene.headers if self.auth else {}
        return client.open(path, method=self.method, headers=headers, **kwargs)


REGISTER = Endpoint(
    "register",
    "POST",
    "/api/v1/users/",
    {"email": "new@example.com", "password": PASSWORD, "name": "New"},
    auth=False,
)
UPDATE_USER = Endpoint("update-user", "PUT", "/api/v1/users/{user}", {"name": "Renamed"})
LOGIN = Endpoint(
    "login",
    "POST",
    "/api/v1/auth/login",
    {"email": OWNER_EMAIL, "password": PASSWORD},
    auth=False,
    details=False,  # login says "send email and password", never which field was wrong
)
CREATE_POST = Endpoint("create-post", "POST", "/api/v1/posts/", {"title": "T", "body": "B"})
UPDATE_POST = Endpoint("update-post", "PUT", "/api/v1/posts/{post}", {"title": "Retitled"})

BODY_ENDPOINTS = [
    pytest.param(e, id=e.name) for e in (REGISTER, UPDATE_USER, LOGIN, CREATE_POST, UPDATE_POST)
]
# Every string field the API reads, by endpoint.
FIELDS = [
    (REGISTER, "email"),
    (REGISTER, "password"),
    (REGISTER, "name"),
    (UPDATE_USER, "email"),
    (UPDATE_USER, "name"),
    (LOGIN, "email"),
    (LOGIN, "password"),
    (CREATE_POST, "title"),
    (CREATE_POST, "body"),
    (UPDATE_POST, "title"),
    (UPDATE_POST, "body"),
]


def long_value(name: str, length: int) -> str:
    """A string of ``length`` characters, shaped as an email for an email field."""
    if name == "email":
        domain = "@example.com"
        return "x" * (length - len(domain)) + domain
    return "x" * length


# --- request bodies that are not a JSON object ---------------------------------------

BodyArgs = Callable[[Endpoint], dict[str, Any]]
# (request arguments, status): the endpoint's own valid body wherever one fits, so only
# the framing is wrong.
BAD_BODIES = [
    # A request without a body has no Content-Type either: a wrong content type.
    pytest.param(lambda e: {}, 415, id="no-body"),
    pytest.param(
        lambda e: {"data": json.dumps(e.valid_body), "content_type": "text/plain"},
        415,
        id="text-plain",
    ),
    pytest.param(lambda e: {"data": e.valid_body}, 415, id="form-data"),
    pytest.param(lambda e: raw_json('{"title": "unfinished'), 400, id="broken-json"),
    pytest.param(lambda e: raw_json(""), 400, id="empty-json-body"),
    pytest.param(lambda e: raw_json(json.dumps([e.valid_body])), 400, id="array"),
    pytest.param(lambda e: raw_json("null"), 400, id="null"),
    pytest.param(lambda e: raw_json("42"), 400, id="number"),
    pytest.param(lambda e: raw_json('"text"'), 400, id="string"),
    pytest.param(lambda e: raw_json("true"), 400, id="boolean"),
    pytest.param(lambda e: raw_json(b'{"title": "\xff"}'), 400, id="invalid-utf8"),
    pytest.param(lambda e: raw_json("[" * DEEP + "]" * DEEP), 400, id="deeply-nested-array"),
]


@pytest.mark.parametrize("endpoint", BODY_ENDPOINTS)
@pytest.mark.parametrize(("body_args", "status"), BAD_BODIES)
def test_body_that_is_not_a_json_object_is_rejected(
    app: Flask,
    client: FlaskClient,
    scene: Scene,
    endpoint: Endpoint,
    body_args: BodyArgs,
    status: int,
) -> None:
    before = snapshot(app)
    response = endpoint.send(client, scene, **body_args(endpoint))
    assert_error(response, status)  # no "details": there is no field to blame
    assert snapshot(app) == before


# Endpoints that read no body ignore whatever is sent: the request still does its job.
IGNORED_BODIES = [
    pytest.param({"data": "hello", "content_type": "text/plain"}, id="text-plain"),
    pytest.param(raw_json('{"broken": '), id="broken-json"),
    pytest.param(raw_json("null"), id="null"),
    pytest.param(raw_json('[{"role": "admin"}]'), id="array"),
]


@pytest.mark.parametrize("body_args", IGNORED_BODIES)
def test_delete_user_ignores_any_body(client: FlaskClient, api: Api, body_args: dict) -> None:
    own = make_scene(api)
    response = client.delete(f"/api/v1/users/{own.user_id}", headers=own.headers, **body_args)
    assert response.status_code == 204, response.get_data(as_text=True)
    assert client.get(f"/api/v1/posts/{own.post_id}").status_code == 404  # gone with the user


@pytest.mark.parametrize("body_args", IGNORED_BODIES)
def test_delete_post_ignores_any_body(client: FlaskClient, scene: Scene, body_args: dict) -> None:
    created = client.post("/api/v1/posts/", json={"title": "T", "body": "B"}, headers=scene.headers)
    path = f"/api/v1/posts/{created.json['id']}"
    response = client.delete(path, headers=scene.headers, **body_args)
    assert response.status_code == 204, response.get_data(as_text=True)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("body_args", IGNORED_BODIES)
def test_refresh_ignores_any_body(client: FlaskClient, scene: Scene, body_args: dict) -> None:
    response = client.post("/api/v1/auth/refresh", headers=scene.refresh_headers, **body_args)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert set(response.json) == {"access_token"}


# --- fields of the wrong type, too long, unknown or missing --------------------------

WRONG_TYPES = {"int": 42, "list": ["text"], "dict": {"text": "text"}, "null": None, "bool": True}
WRONG_TYPE_CASES = [
    pytest.param(endpoint, name, value, id=f"{endpoint.name}-{name}-{label}")
    for endpoint, name in FIELDS
    for label, value in WRONG_TYPES.items()
]


def assert_field_rejected(response: TestResponse, endpoint: Endpoint, name: str) -> None:
    """Assert a 400 for ``name``; for a user or post body, "details" blames that field alone."""
    body = assert_error(response, 400, details=endpoint.details)
    if endpoint.details:
        assert set(body["details"]) == {name}, body


def refuse_field(
    app: Flask, client: FlaskClient, scene: Scene, endpoint: Endpoint, name: str, value: Any
) -> None:
    """Send the endpoint's valid body with ``name`` set to ``value``: a 400, nothing changed."""
    before = snapshot(app)
    response = endpoint.send(client, scene, json=endpoint.valid_body | {name: value})
    assert_field_rejected(response, endpoint, name)
    assert snapshot(app) == before


@pytest.mark.parametrize(("endpoint", "name", "value"), WRONG_TYPE_CASES)
def test_field_of_wrong_type_is_rejected(
    app: Flask, client: FlaskClient, scene: Scene, endpoint: Endpoint, name: str, value: Any
) -> None:
    refuse_field(app, client, scene, endpoint, name, value)


# A post body may be 10,000 characters long; one more is too many.
TOO_LONG_CASES = [
    pytest.param(endpoint, name, LONG + (name == "body"), id=f"{endpoint.name}-{name}")
    for endpoint, name in FIELDS
    if endpoint is not LOGIN
]


@pytest.mark.parametrize(("endpoint", "name", "length"), TOO_LONG_CASES)
def test_too_long_string_is_rejected(
    app: Flask, client: FlaskClient, scene: Scene, endpoint: Endpoint, name: str, length: int
) -> None:
    refuse_field(app, client, scene, endpoint, name, long_value(name, length))


@pytest.mark.parametrize("name", ["email", "password"])
def test_login_with_long_credentials_is_just_wrong(
    client: FlaskClient, scene: Scene, name: str
) -> None:
    # Login accepts any string, so that a malformed email reads like an unknown one;
    # the scene's user exists, so a long password is a wrong password for a real account.
    body = LOGIN.valid_body | {name: long_value(name, LONG)}
    assert_error(client.post("/api/v1/auth/login", json=body), 401)


def test_post_body_of_exactly_10000_characters_is_accepted(
    client: FlaskClient, scene: Scene
) -> None:
    body = "x" * LONG
    created = client.post(
        "/api/v1/posts/", json={"title": "T", "body": body}, headers=scene.headers
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.json["body"] == body
    path = f"/api/v1/posts/{created.json['id']}"
    updated = client.put(path, json={"body": body[:-1] + "y"}, headers=scene.headers)
    assert updated.status_code == 200, updated.get_data(as_text=True)
    assert client.get(path).json["body"] == body[:-1] + "y"


UNKNOWN_FIELD_CASES = [
    pytest.param(REGISTER, "role", "admin", id="register-role"),
    pytest.param(REGISTER, "id", 1, id="register-id"),
    pytest.param(UPDATE_USER, "role", "admin", id="update-user-role"),
    pytest.param(UPDATE_USER, "id", 999, id="update-user-id"),
    pytest.param(UPDATE_USER, "password", "a-new-password", id="update-user-password"),
    pytest.param(CREATE_POST, "author_id", 1, id="create-post-author_id"),
    pytest.param(CREATE_POST, "id", 999, id="create-post-id"),
    pytest.param(UPDATE_POST, "author_id", 1, id="update-post-author_id"),
    pytest.param(UPDATE_POST, "id", 999, id="update-post-id"),
]


@pytest.mark.parametrize(("endpoint", "name", "value"), UNKNOWN_FIELD_CASES)
def test_unknown_field_is_rejected(
    app: Flask, client: FlaskClient, scene: Scene, endpoint: Endpoint, name: str, value: Any
) -> None:
    refuse_field(app, client, scene, endpoint, name, value)


MISSING_FIELD_CASES = [
    pytest.param(REGISTER, {}, {"email", "password", "name"}, id="register-empty-object"),
    pytest.param(
        REGISTER, {"email": "new@example.com", "name": "N"}, {"password"}, id="register-no-password"
    ),
    pytest.param(LOGIN, {}, None, id="login-empty-object"),
    pytest.param(LOGIN, {"email": OWNER_EMAIL}, None, id="login-no-password"),
    pytest.param(CREATE_POST, {}, {"title", "body"}, id="create-post-empty-object"),
    pytest.param(CREATE_POST, {"title": "T"}, {"body"}, id="create-post-no-body"),
]


@pytest.mark.parametrize(("endpoint", "body", "blamed"), MISSING_FIELD_CASES)
def test_missing_required_field_is_rejected(
    app: Flask,
    client: FlaskClient,
    scene: Scene,
    endpoint: Endpoint,
    body: dict,
    blamed: set[str] | None,
) -> None:
    before = snapshot(app)
    error = assert_error(endpoint.send(client, scene, json=body), 400, details=endpoint.details)
    if blamed is not None:
        assert set(error["details"]) == blamed, error
    assert snapshot(app) == before


# Valid JSON strings that cannot be stored or hashed as they are: PostgreSQL refuses
# NUL characters, and a lone surrogate has no UTF-8 encoding at all. The contract does
# not say whether such text is refused, only that it is never a 500. Each is at least
# eight characters long, so that the password length rule cannot reject it first.
HOSTILE_TEXT = {"nul": "nul \x00 inside", "lone-surrogate": "surrogate \ud800 inside"}
HOSTILE_CASES = [
    pytest.param(endpoint, name, value, id=f"{endpoint.name}-{name}-{label}")
    for endpoint, name in FIELDS
    for label, value in HOSTILE_TEXT.items()
]


@pytest.mark.parametrize(("endpoint", "name", "value"), HOSTILE_CASES)
def test_unstorable_text_is_not_a_server_error(
    client: FlaskClient, scene: Scene, endpoint: Endpoint, name: str, value: str
) -> None:
    body = endpoint.valid_body | {name: value}
    if endpoint is REGISTER and name != "email":
        body["email"] = f"hostile{next(_emails)}@example.com"  # so a 409 cannot hide the answer
    assert_not_server_error(endpoint.send(client, scene, json=body), details=endpoint.details)


# --- ids in URLs -----------------------------------------------------------------------

BAD_IDS = [
    pytest.param(str(2**31 - 1), id="2**31-1-no-such-row"),
    pytest.param(str(2**31), id="2**31"),
    pytest.param(str(2**63), id="2**63"),
    pytest.param(str(2**64), id="2**64"),
    pytest.param("9" * 5000, id="5000-digits"),
    pytest.param("-1", id="minus-1"),
    pytest.param("0", id="zero"),
    pytest.param("1.5", id="fraction"),
    pytest.param("abc", id="abc"),
]
ID_ROUTES = [
    pytest.param("GET", "/api/v1/users/{}", {}, id="get-user"),
    pytest.param("PUT", "/api/v1/users/{}", UPDATE_USER.valid_body, id="update-user"),
    pytest.param("DELETE", "/api/v1/users/{}", {}, id="delete-user"),
    pytest.param("GET", "/api/v1/posts/{}", {}, id="get-post"),
    pytest.param("PUT", "/api/v1/posts/{}", UPDATE_POST.valid_body, id="update-post"),
    pytest.param("DELETE", "/api/v1/posts/{}", {}, id="delete-post"),
]


@pytest.mark.parametrize(("method", "path", "body"), ID_ROUTES)
@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_id_beyond_any_row_is_404(
    app: Flask, client: FlaskClient, scene: Scene, method: str, path: str, body: dict, bad_id: str
) -> None:
    before = snapshot(app)
    response = client.open(
        path.format(bad_id), method=method, json=body or None, headers=scene.headers
    )
    assert_error(response, 404)
    assert snapshot(app) == before


# --- page arguments --------------------------------------------------------------------

LISTS = [
    pytest.param("/api/v1/users/", True, id="users"),
    pytest.param("/api/v1/posts/", False, id="posts"),
]
# (query, allowed statuses): 400 for a page below 1 or not a whole number; a page past
# any real one may be a 400 or a 404, as the contract allows.
BAD_PAGES = [
    pytest.param({"page": "0"}, {400}, id="page=0"),
    pytest.param({"page": "-1"}, {400}, id="page=-1"),
    pytest.param({"page": "abc"}, {400}, id="page=abc"),
    pytest.param({"page": "1.5"}, {400}, id="page=1.5"),
    pytest.param({"page": ""}, {400}, id="page=empty"),
    pytest.param({"page": str(2**31 - 1)}, {400, 404}, id="page=2**31-1"),
    pytest.param({"page": str(2**63)}, {400, 404}, id="page=2**63"),
    pytest.param({"page": "9" * 5000}, {400, 404}, id="page=5000-digits"),
    pytest.param({"per_page": "0"}, {400}, id="per_page=0"),
    pytest.param({"per_page": "-1"}, {400}, id="per_page=-1"),
    pytest.param({"per_page": "abc"}, {400}, id="per_page=abc"),
    pytest.param({"per_page": ""}, {400}, id="per_page=empty"),
]


def list_headers(scene: Scene, needs_token: bool) -> dict[str, str]:
    """The scene's token for the users list; nothing for the public posts list."""
    return scene.headers if needs_token else {}


@pytest.mark.parametrize(("path", "needs_token"), LISTS)
@pytest.mark.parametrize(("query", "allowed"), BAD_PAGES)
def test_bad_page_argument_is_rejected(
    client: FlaskClient,
    scene: Scene,
    path: str,
    needs_token: bool,
    query: dict[str, str],
    allowed: set[int],
) -> None:
    response = client.get(path, query_string=query, headers=list_headers(scene, needs_token))
    assert response.status_code in allowed, response.get_data(as_text=True)
    assert_error(response, response.status_code)


@pytest.mark.parametrize(("path", "needs_token"), LISTS)
def test_per_page_of_101_is_clamped_to_100(
    client: FlaskClient, scene: Scene, crowd: None, path: str, needs_token: bool
) -> None:
    response = client.get(
        path, query_string={"per_page": "101"}, headers=list_headers(scene, needs_token)
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["total"] > 100  # so that 101 items could have been returned
    assert len(response.json["items"]) == 100


@pytest.mark.parametrize(("path", "needs_token"), LISTS)
@pytest.mark.parametrize(
    "per_page", ["1000", str(2**63), "9" * 5000], ids=["1000", "2**63", "5000-digits"]
)
def test_huge_per_page_is_never_honoured(
    client: FlaskClient, scene: Scene, crowd: None, path: str, needs_token: bool, per_page: str
) -> None:
    # The contract allows clamping or a 400; either way no more than 100 items.
    response = client.get(
        path, query_string={"per_page": per_page}, headers=list_headers(scene, needs_token)
    )
    if response.status_code == 200:
        assert len(response.json["items"]) <= 100
    else:
        assert_error(response, 400)
