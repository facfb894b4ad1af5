"""The users resource, row by row of the contract."""

from datetime import datetime

import pytest

from tests.support import PASSWORD, assert_error

USERS = "/api/v1/users/"
USER_KEYS = {"id", "email", "name", "role", "created_at"}  # the full record
PUBLIC_KEYS = {"id", "name", "created_at"}  # what anyone else sees


def public(user):
    """The public view of a user's full record."""
    return {key: user[key] for key in PUBLIC_KEYS}


def test_register_returns_the_full_record(client):
    response = client.post(
        USERS, json={"email": "Ann@Example.ORG", "password": PASSWORD, "name": "Ann"}
    )
    assert response.status_code == 201
    user = response.json
    assert set(user) == USER_KEYS
    assert user["email"] == "ann@example.org"
    assert user["name"] == "Ann"
    assert user["role"] == "user"
    assert datetime.fromisoformat(user["created_at"]).utcoffset() is not None
    assert PASSWORD not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"role": "admin"}, "role"),
        ({"id": 7}, "id"),
    ],
    ids=["email", "short-password", "empty-name", "long-name", "role", "id"],
)
def test_register_rejects_invalid_fields(client, fields, bad_field):
    body = {"email": "ann@example.org", "password": PASSWORD, "name": "Ann"} | fields
    error = assert_error(client.post(USERS, json=body), 400, details=True)
    assert bad_field in error["details"]


@pytest.mark.parametrize("missing", ["email", "password", "name"])
def test_register_requires_every_field(client, missing):
    body = {"email": "ann@example.org", "password": PASSWORD, "name": "Ann"}
    del body[missing]
    error = assert_error(client.post(USERS, json=body), 400, details=True)
    assert missing in error["details"]


def test_register_accepts_boundary_lengths(client):
    body = {"email": "ann@example.org", "password": "x" * 8, "name": "n" * 100}
    assert client.post(USERS, json=body).status_code == 201


def test_email_taken_in_any_case_is_409(client, api):
    api.register(email="ann@example.org")
    body = {"email": "ANN@example.org", "password": PASSWORD, "name": "Other Ann"}
    assert_error(client.post(USERS, json=body), 409)


def test_list_is_paged_by_id(client, api):
    users = [api.register() for _ in range(5)]
    headers = api.headers(users[0])
    page = client.get(USERS, query_string={"page": 2, "per_page": 2}, headers=headers).json
    assert page["total"] == 5
    assert page["page"] == 2
    assert page["pages"] == 3
    assert page["items"] == [public(users[2]), public(users[3])]


def test_list_defaults_to_twenty_and_caps_per_page(client, api):
    users = [api.register() for _ in range(21)]
    headers = api.headers(users[0])
    assert len(client.get(USERS, headers=headers).json["items"]) == 20
    capped = client.get(USERS, query_string={"per_page": 1000}, headers=headers).json
    assert len(capped["items"]) == 21  # all of them, and never more than 100 a page
    assert capped["pages"] == 1


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", ""])
def test_list_rejects_a_bad_page(client, api, page):
    headers = api.headers(api.register())
    assert_error(client.get(USERS, query_string={"page": page}, headers=headers), 400)


def test_list_needs_a_token(client):
    assert_error(client.get(USERS), 401)


def test_another_user_is_the_public_view(client, api):
    ann, bob = api.register(), api.register()
    response = client.get(f"{USERS}{bob['id']}", headers=api.headers(ann))
    assert response.status_code == 200
    assert response.json == public(bob)
    assert bob["email"] not in response.get_data(as_text=True)


def test_own_record_is_the_full_record(client, api):
    api.register()
    bob = api.register()
    assert client.get(f"{USERS}{bob['id']}", headers=api.headers(bob)).json == bob


def test_the_list_shows_no_email_to_a_user_not_even_their_own(client, api):
    ann, bob = api.register(), api.register()
    response = client.get(USERS, headers=api.headers(ann))
    assert response.json["items"] == [public(ann), public(bob)]
    text = response.get_data(as_text=True)
    assert ann["email"] not in text and bob["email"] not in text
    assert '"role"' not in text


def test_an_admin_sees_full_records_everywhere(client, api):
    admin, bob = api.register(), api.register()
    api.make_admin(admin)
    headers = api.headers(admin)
    admin |= {"role": "admin"}
    assert client.get(USERS, headers=headers).json["items"] == [admin, bob]
    assert client.get(f"{USERS}{bob['id']}", headers=headers).json == bob
    renamed = client.put(f"{USERS}{bob['id']}", json={"name": "Robert"}, headers=headers)
    assert renamed.json == bob | {"name": "Robert"}


def test_get_unknown_user_is_404(client, api):
    headers = api.headers(api.register())
    assert_error(client.get(f"{USERS}999", headers=headers), 404)


def test_me_is_the_tokens_user(client, api):
    api.register()
    bob = api.register()
    assert client.get(f"{USERS}me", headers=api.headers(bob)).json == bob


def test_user_updates_own_email_and_name(client, api):
    ann = api.register()
    response = client.put(
        f"{USERS}{ann['id']}",
        json={"email": "NEW@example.org", "name": "New Ann"},
        headers=api.headers(ann),
    )
    assert response.status_code == 200
    assert response.json == ann | {"email": "new@example.org", "name": "New Ann"}
    api.tokens("new@example.org")  # the new email logs in


def test_update_to_own_email_is_not_a_conflict(client, api):
    ann = api.register()
    response = client.put(
        f"{USERS}{ann['id']}", json={"email": ann["email"]}, headers=api.headers(ann)
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"role": "admin"}, {"password": "another-password"}, {"name": ""}, {"email": "nope"}],
    ids=["role", "password", "empty-name", "bad-email"],
)
def test_update_rejects_other_fields_and_bad_values(client, api, body):
    ann = api.register()
    response = client.put(f"{USERS}{ann['id']}", json=body, headers=api.headers(ann))
    assert_error(response, 400, details=True)
    assert client.get(f"{USERS}me", headers=api.headers(ann)).json == ann


def test_update_of_another_user_is_403(client, api):
    ann, bob = api.register(), api.register()
    response = client.put(f"{USERS}{bob['id']}", json={"name": "Hacked"}, headers=api.headers(ann))
    assert_error(response, 403)


def test_admin_updates_anyone(client, api):
    admin, bob = api.register(), api.register()
    api.make_admin(admin)
    response = client.put(
        f"{USERS}{bob['id']}", json={"name": "Robert"}, headers=api.headers(admin)
    )
    assert response.status_code == 200
    assert response.json["name"] == "Robert"


def test_update_to_a_taken_email_is_409(client, api):
    ann, bob = api.register(), api.register()
    response = client.put(
        f"{USERS}{ann['id']}", json={"email": bob["email"].upper()}, headers=api.headers(ann)
    )
    assert_error(response, 409)


def test_update_unknown_user_is_404(client, api):
    ann = api.register()
    assert_error(client.put(f"{USERS}999", json={"name": "X"}, headers=api.headers(ann)), 404)


def test_user_deletes_self_and_their_posts(client, api):
    ann = api.register()
    post = api.post(ann)
    headers = api.headers(ann)
    response = client.delete(f"{USERS}{ann['id']}", headers=headers)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(client.get(f"/api/v1/posts/{post['id']}"), 404)
    assert_error(client.get(f"{USERS}me", headers=headers), 401)


def test_delete_of_another_user_is_403(client, api):
    ann, bob = api.register(), api.register()
    assert_error(client.delete(f"{USERS}{bob['id']}", headers=api.headers(ann)), 403)
    assert client.get(f"{USERS}{bob['id']}", headers=api.headers(ann)).status_code == 200


def test_admin_deletes_anyone(client, api):
    admin, bob = api.register(), api.register()
    api.make_admin(admin)
    assert client.delete(f"{USERS}{bob['id']}", headers=api.headers(admin)).status_code == 204


def test_delete_unknown_user_is_404(client, api):
    assert_error(client.delete(f"{USERS}999", headers=api.headers(api.register())), 404)
