"""Grading for chapter 06: reading bodies (validation.py) and the schemas (schemas.py)."""

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_jwt_extended import create_access_token
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException
from werkzeug.test import TestResponse

from workbook.grading import seeded
from workbook.grading.api import POSTS, USERS, bearer, random_post_fields, random_user_fields
from workbook.grading.feedback import (
    Feedback,
    expect,
    expect_defined,
    expect_equal,
    expect_status,
)

JSON = "application/json"
SCHEMAS_FILE = "exercises/06_validation/schemas.py"


def schema(reference: Any, name: str, task: int) -> type[Schema]:
    """Return the learner's schema class ``name``; an untouched one is "not started"."""
    schema_class = expect_defined(reference.schemas, name, "CLASS")
    expect(
        isinstance(schema_class, type) and issubclass(schema_class, Schema),
        f"{name} in schemas.py should be a marshmallow Schema class, not {schema_class!r}",
    )
    if not schema_class._declared_fields:
        raise NotImplementedError(f"task {task} not started: implement {name} in {SCHEMAS_FILE}")
    return schema_class


def send(client: FlaskClient, method: str, url: str, body: Any, **kwargs: Any) -> TestResponse:
    """Send ``body`` as JSON, even a JSON ``null`` (which ``json=None`` would leave out)."""
    return client.open(url, method=method, data=json.dumps(body), content_type=JSON, **kwargs)


def expect_invalid(response: TestResponse, field: str, why: str) -> None:
    """Expect a 400 whose ``details`` names ``field``, as the app's ValidationError handler does."""
    body = expect_status(response, 400, why)
    details = (body or {}).get("details") if isinstance(body, dict) else None
    expect(
        isinstance(details, dict) and field in details,
        f"{response.request.method} {response.request.path} ({why})\n"
        f"  expected 'details' to name the field {field!r}, got the body: {body!r}",
    )


def make_user(app: Flask, reference: Any) -> tuple[int, dict[str, str]]:
    """Put a user straight into the database; return its id and an access token header."""
    fields_ = random_user_fields()
    with app.app_context():
        user = reference.models.User(email=fields_["email"], name=fields_["name"])
        user.set_password(fields_["password"])
        reference.db.session.add(user)
        reference.db.session.commit()
        return user.id, bearer(create_access_token(identity=user))


def make_post(app: Flask, reference: Any, author_id: int) -> dict[str, Any]:
    """Put a post straight into the database; return its id, title and body."""
    with app.app_context():
        post = reference.models.Post(author_id=author_id, **random_post_fields())
        reference.db.session.add(post)
        reference.db.session.commit()
        return {"id": post.id, "title": post.title, "body": post.body}


def text(length: int) -> str:
    """A random string of exactly ``length`` characters."""
    return seeded.token_hex(length)[:length]


# --- task 1: load_json_body ----------------------------------------------------------


@pytest.mark.task(taskno=1)
def test_a_body_that_is_not_json_is_415(client):
    body = json.dumps(random_user_fields())
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = client.post(USERS, data=body, content_type=content_type)
        expect_status(response, 415, f"a JSON text sent as {content_type}")


@pytest.mark.task(taskno=1)
def test_json_that_is_not_an_object_is_400(client):
    for body in (None, [random_user_fields()], 42, "text", True):
        expect_status(send(client, "POST", USERS, body), 400, f"the JSON body {json.dumps(body)}")


@pytest.mark.task(taskno=1)
def test_load_json_body_itself_refuses_what_is_not_an_object(app, reference):
    for body in ([{"number": 1}], None, 42, "text"):
        sent = json.dumps(body)
        with app.test_request_context(method="POST", data=sent, content_type=JSON):
            try:
                loaded = reference.validation.load_json_body(Probe())
            except HTTPException as error:
                expect_equal(error.code, 400, f"the error load_json_body raised for {sent}")
                continue
            except ValidationError as error:
                raise Feedback(
                    f"load_json_body(Probe()) for the JSON body {sent}\n"
                    f"  expected: a 400 (werkzeug's BadRequest) from load_json_body itself\n"
                    f"  got:      the schema's ValidationError {error.messages!r}\n"
                    "  Check that the parsed body is a dict before loading it: the schema's\n"
                    "  message is about fields, and this client needs to hear 'send an object'."
                ) from None
        expect(False, f"load_json_body returned {loaded!r} for {sent}; it should raise a 400")


@pytest.mark.task(taskno=1)
def test_broken_json_is_400(client):
    bodies = {
        "JSON cut short": '{"email": ',
        "single quotes": "{'email': 'ann@example.org'}",
        "arrays nested 10,000 deep": "[" * 10_000 + "]" * 10_000,
    }
    for label, body in bodies.items():
        expect_status(client.post(USERS, data=body, content_type=JSON), 400, label)


class Probe(Schema):
    """A schema of the test's own, to see that load_json_body loads through its argument."""

    number = fields.Integer(required=True)


@pytest.mark.task(taskno=1)
def test_an_object_is_loaded_through_the_schema(app, reference):
    number = seeded.randbelow(10**6)
    with app.test_request_context(method="POST", json={"number": str(number)}):
        loaded = reference.validation.load_json_body(Probe())
    expect_equal(loaded, {"number": number}, 'load_json_body(Probe()) for {"number": "<digits>"}')


@pytest.mark.task(taskno=1)
def test_what_the_schema_refuses_is_a_validation_error(app, reference):
    with app.test_request_context(method="POST", json={"other": seeded.token_hex(4)}):
        try:
            reference.validation.load_json_body(Probe())
        except ValidationError:
            return
        except HTTPException as error:
            expect(False, f"load_json_body raised {error!r}: let the schema's ValidationError out")
    expect(False, "load_json_body returned for a body the schema refuses; it should raise")


# --- task 2: the Text and NormalizedEmail fields -------------------------------------


def refuses(field: fields.Field, value: Any) -> bool:
    """Whether ``field`` refuses ``value`` with a ValidationError (any other error is feedback)."""
    try:
        field.deserialize(value)
    except ValidationError:
        return True
    except NotImplementedError:
        raise
    except Exception as error:
        raise Feedback(
            f"{type(field).__name__}().deserialize({value!r}) raised {type(error).__name__}: "
            f"{error}\n  A field refuses a value with a ValidationError (self.make_error(...))."
        ) from error
    return False


@pytest.mark.task(taskno=2)
def test_text_keeps_an_ordinary_string(reference):
    for value in (seeded.token_hex(8), "Zoë Ødegård 🚀 中文", ""):
        expect_equal(reference.schemas.Text().deserialize(value), value, f"Text for {value!r}")


@pytest.mark.task(taskno=2)
def test_text_refuses_what_no_database_can_store(reference):
    tag = seeded.token_hex(3)
    for value in (f"{tag}\x00", f"\ud800{tag}", f"{tag}\udfff{tag}"):
        expect(refuses(reference.schemas.Text(), value), f"Text should refuse {value!r}")


@pytest.mark.task(taskno=2)
def test_text_still_refuses_what_is_not_a_string(reference):
    for value in (42, ["a"], {"a": 1}):
        expect(refuses(reference.schemas.Text(), value), f"Text should refuse {value!r}")


@pytest.mark.task(taskno=2)
def test_normalized_email_is_lower_case_and_trimmed(reference):
    email = f"Ann-{seeded.token_hex(3)}@Example.ORG"
    sent = f"  {email} "
    try:
        loaded = reference.schemas.NormalizedEmail().deserialize(sent)
    except ValidationError as error:
        raise Feedback(
            f"NormalizedEmail().deserialize({sent!r})\n"
            f"  expected: {email.lower()!r}\n"
            f"  got:      ValidationError {error.messages!r}\n"
            "  The address is valid once trimmed: normalise it (normalize_email) in\n"
            "  _deserialize, so that the spaces are gone before the Email field's check runs."
        ) from None
    expect_equal(loaded, email.lower(), f"NormalizedEmail for {sent!r}")


@pytest.mark.task(taskno=2)
def test_normalized_email_refuses_what_is_not_an_email(reference):
    for value in ("not-an-email", f"{seeded.token_hex(3)}@", 42):
        expect(refuses(reference.schemas.NormalizedEmail(), value), f"refuse {value!r}")


# --- task 3: UserCreateSchema and UserUpdateSchema -----------------------------------


@pytest.mark.task(taskno=3)
def test_registration_accepts_good_values(client, reference):
    schema(reference, "UserCreateSchema", 3)
    fields_ = random_user_fields()
    mixed_case = fields_["email"].replace("learner", "Learner").replace(".org", ".ORG")
    user = expect_status(client.post(USERS, json=fields_ | {"email": mixed_case}), 201)
    expect_equal(user["email"], fields_["email"], "the email, lower-cased")
    expect_equal(user["name"], fields_["name"], "the name")
    for length_password, length_name in ((8, 1), (128, 100)):
        body = random_user_fields() | {"password": text(length_password), "name": text(length_name)}
        why = f"a {length_password}-character password and a {length_name}-character name"
        expect_status(client.post(USERS, json=body), 201, why)


@pytest.mark.task(taskno=3)
def test_registration_needs_every_field(client, reference):
    schema(reference, "UserCreateSchema", 3)
    for missing in ("email", "password", "name"):
        body = {k: v for k, v in random_user_fields().items() if k != missing}
        expect_invalid(client.post(USERS, json=body), missing, f"registering without {missing}")


@pytest.mark.task(taskno=3)
def test_registration_checks_each_value(client, reference):
    schema(reference, "UserCreateSchema", 3)
    bad_values = [
        ("email", "not-an-email"),
        ("email", 42),
        ("password", text(7)),
        ("password", text(129)),
        ("name", ""),
        ("name", text(101)),
        ("name", f"{text(4)}\x00"),
        ("password", f"{text(8)}\ud800"),
    ]
    for field, value in bad_values:
        body = random_user_fields() | {field: value}
        expect_invalid(client.post(USERS, json=body), field, f"{field} = {value!r}")


@pytest.mark.task(taskno=3)
def test_registration_refuses_unknown_fields(client, reference):
    schema(reference, "UserCreateSchema", 3)
    for field, value in (("role", "admin"), (f"extra_{seeded.token_hex(2)}", "x")):
        body = random_user_fields() | {field: value}
        expect_invalid(client.post(USERS, json=body), field, f"registering with {field!r}")


@pytest.mark.task(taskno=3)
def test_an_update_changes_what_it_is_given(app, client, reference):
    schema(reference, "UserUpdateSchema", 3)
    user_id, headers = make_user(app, reference)
    before = expect_status(client.get(f"{USERS}{user_id}", headers=headers), 200)
    name = f"Renamed {seeded.token_hex(3)}"
    url = f"{USERS}{user_id}"
    after = expect_status(client.put(url, json={"name": name}, headers=headers), 200)
    expect_equal(after, before | {"name": name}, "the user after a change of name only")
    email = f"New-{seeded.token_hex(3)}@Example.org"
    after = expect_status(client.put(url, json={"email": email}, headers=headers), 200)
    expect_equal(after["email"], email.lower(), "the email after a change of email")
    expect_status(client.put(url, json={}, headers=headers), 200, "an empty change")


@pytest.mark.task(taskno=3)
def test_an_update_follows_the_registration_rules(app, client, reference):
    schema(reference, "UserUpdateSchema", 3)
    user_id, headers = make_user(app, reference)
    bad = [("email", "not-an-email"), ("name", ""), ("name", text(101)), ("name", "a\x00")]
    for field, value in bad:
        response = client.put(f"{USERS}{user_id}", json={field: value}, headers=headers)
        expect_invalid(response, field, f"changing {field} to {value!r}")


@pytest.mark.task(taskno=3)
def test_an_update_refuses_any_other_field(app, client, reference):
    schema(reference, "UserUpdateSchema", 3)
    user_id, headers = make_user(app, reference)
    for field, value in (("role", "admin"), ("password", text(12)), ("id", user_id + 1)):
        response = client.put(f"{USERS}{user_id}", json={field: value}, headers=headers)
        expect_invalid(response, field, f"changing {field}")
    user = expect_status(client.get(f"{USERS}{user_id}", headers=headers), 200)
    expect_equal(user["role"], "user", "the role after the refused changes")


PUBLIC_FIELDS = ("id", "name", "created_at")  # what anyone may see of another user


def make_admin(app: Flask, reference: Any, user_id: int) -> None:
    """Give the user the admin role, straight in the database."""
    with app.app_context():
        reference.db.session.get(reference.models.User, user_id).role = "admin"
        reference.db.session.commit()


@pytest.mark.task(taskno=3)
def test_another_user_sees_only_the_public_view(app, client, reference):
    schema(reference, "UserPublicSchema", 3)
    user_id, headers = make_user(app, reference)
    _other_id, other_headers = make_user(app, reference)
    url = f"{USERS}{user_id}"
    own = expect_status(client.get(url, headers=headers), 200, "a user reading their own record")
    seen = expect_status(client.get(url, headers=other_headers), 200, "another user's record")
    expect_equal(
        seen,
        {field: own.get(field) for field in PUBLIC_FIELDS},
        f"GET {url} with another user's token: the public view (UserPublicSchema), "
        "never the email or the role",
    )


@pytest.mark.task(taskno=3)
def test_the_list_is_public_views_but_for_an_admin(app, client, reference):
    schema(reference, "UserPublicSchema", 3)
    user_id, headers = make_user(app, reference)
    admin_id, admin_headers = make_user(app, reference)
    make_admin(app, reference, admin_id)
    page = expect_status(client.get(USERS, headers=headers), 200, "the list, as a user")
    expect_equal(
        [sorted(item) for item in page["items"]],
        [sorted(PUBLIC_FIELDS)] * 2,
        "the fields of each user in the list a user gets, their own row included",
    )
    page = expect_status(client.get(USERS, headers=admin_headers), 200, "the list, as an admin")
    full = sorted(reference.schemas.UserResponseSchema().fields)
    expect_equal([sorted(item) for item in page["items"]], [full] * 2, "the fields an admin sees")
    expect_equal([item["id"] for item in page["items"]], [user_id, admin_id], "the ids")


# --- task 4: PostCreateSchema and PostUpdateSchema -----------------------------------


@pytest.mark.task(taskno=4)
def test_a_post_with_a_title_and_a_body_is_201(app, client, reference):
    schema(reference, "PostCreateSchema", 4)
    user_id, headers = make_user(app, reference)
    fields_ = random_post_fields()
    post = expect_status(client.post(POSTS, json=fields_, headers=headers), 201)
    expect_equal(
        {k: post.get(k) for k in ("title", "body", "author_id")},
        fields_ | {"author_id": user_id},
        "the new post's title, body and author",
    )
    for title, body in ((text(1), text(1)), (text(200), text(10_000))):
        response = client.post(POSTS, json={"title": title, "body": body}, headers=headers)
        expect_status(response, 201, f"a {len(title)}-character title, {len(body)}-character body")


@pytest.mark.task(taskno=4)
def test_a_new_post_needs_good_values(app, client, reference):
    schema(reference, "PostCreateSchema", 4)
    _user_id, headers = make_user(app, reference)
    bad = [
        ("title", None),
        ("body", None),
        ("title", ""),
        ("title", text(201)),
        ("body", ""),
        ("body", text(10_001)),
        ("title", "a\x00"),
    ]
    for field, value in bad:
        body = random_post_fields() | {field: value}
        if value is None:
            del body[field]
        why = f"a post without {field}" if value is None else f"{field} of {len(value)} characters"
        expect_invalid(client.post(POSTS, json=body, headers=headers), field, why)


@pytest.mark.task(taskno=4)
def test_a_new_post_refuses_author_id(app, client, reference):
    schema(reference, "PostCreateSchema", 4)
    _user_id, headers = make_user(app, reference)
    other_id, _other_headers = make_user(app, reference)
    for field, value in (("author_id", other_id), (f"extra_{seeded.token_hex(2)}", "x")):
        body = random_post_fields() | {field: value}
        expect_invalid(client.post(POSTS, json=body, headers=headers), field, f"with {field!r}")


@pytest.mark.task(taskno=4)
def test_a_post_update_changes_what_it_is_given(app, client, reference):
    schema(reference, "PostUpdateSchema", 4)
    user_id, headers = make_user(app, reference)
    post = make_post(app, reference, user_id)
    title = f"Retitled {seeded.token_hex(3)}"
    url = f"{POSTS}{post['id']}"
    after = expect_status(client.put(url, json={"title": title}, headers=headers), 200)
    expect_equal((after["title"], after["body"]), (title, post["body"]), "title and body")
    expect_status(client.put(url, json={}, headers=headers), 200, "an empty change")


@pytest.mark.task(taskno=4)
def test_a_post_update_follows_the_rules(app, client, reference):
    schema(reference, "PostUpdateSchema", 4)
    user_id, headers = make_user(app, reference)
    other_id, _other_headers = make_user(app, reference)
    post = make_post(app, reference, user_id)
    bad = [("title", ""), ("title", text(201)), ("body", text(10_001)), ("author_id", other_id)]
    for field, value in bad:
        response = client.put(f"{POSTS}{post['id']}", json={field: value}, headers=headers)
        expect_invalid(response, field, f"changing {field} to {str(value)[:20]!r}")
    after = expect_status(client.get(f"{POSTS}{post['id']}"), 200)
    expect_equal(after["author_id"], user_id, "the author after the refused changes")
