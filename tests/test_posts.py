"""The posts resource, row by row of the contract."""

from datetime import datetime

import pytest

from tests.support import assert_error

POSTS = "/api/v1/posts/"
POST_KEYS = {"id", "title", "body", "author_id", "created_at", "updated_at"}


def test_create_post_as_the_tokens_user(client, api):
    ann = api.register()
    response = client.post(
        POSTS, json={"title": "Hello", "body": "First post."}, headers=api.headers(ann)
    )
    assert response.status_code == 201
    post = response.json
    assert set(post) == POST_KEYS
    assert post["author_id"] == ann["id"]
    assert (post["title"], post["body"]) == ("Hello", "First post.")
    assert post["created_at"] == post["updated_at"]
    assert datetime.fromisoformat(post["created_at"]).utcoffset() is not None


def test_create_post_needs_a_token(client):
    assert_error(client.post(POSTS, json={"title": "T", "body": "B"}), 401)


@pytest.mark.parametrize(
    ("body", "bad_field"),
    [
        ({"title": "T", "body": "B", "author_id": 99}, "author_id"),
        ({"title": "", "body": "B"}, "title"),
        ({"title": "t" * 201, "body": "B"}, "title"),
        ({"title": "T", "body": ""}, "body"),
        ({"title": "T", "body": "b" * 10_001}, "body"),
        ({"body": "B"}, "title"),
        ({"title": "T"}, "body"),
    ],
    ids=[
        "author_id",
        "empty-title",
        "long-title",
        "empty-body",
        "long-body",
        "no-title",
        "no-body",
    ],
)
def test_create_post_rejects_invalid_fields(client, api, body, bad_field):
    response = client.post(POSTS, json=body, headers=api.headers(api.register()))
    assert bad_field in assert_error(response, 400, details=True)["details"]


def test_create_post_accepts_boundary_lengths(client, api):
    body = {"title": "t" * 200, "body": "b" * 10_000}
    assert client.post(POSTS, json=body, headers=api.headers(api.register())).status_code == 201


def test_anyone_lists_posts_newest_first(client, api):
    ann = api.register()
    posts = [api.post(ann, title=f"Post {n}") for n in range(3)]
    page = client.get(POSTS).json
    assert page["total"] == 3
    assert (page["page"], page["pages"]) == (1, 1)
    # Created within the same clock tick or not, ties go to the highest id.
    assert [p["id"] for p in page["items"]] == [p["id"] for p in reversed(posts)]


def test_post_list_pages(client, api):
    ann = api.register()
    posts = [api.post(ann) for _ in range(5)]
    page = client.get(POSTS, query_string={"page": 3, "per_page": 2}).json
    assert [p["id"] for p in page["items"]] == [posts[0]["id"]]
    assert (page["total"], page["pages"]) == (5, 3)


def test_a_page_past_the_last_is_a_404_naming_the_last_page(client, api):
    ann = api.register()
    for _ in range(3):
        api.post(ann)
    body = assert_error(client.get(POSTS, query_string={"page": 3, "per_page": 2}), 404)
    assert body["message"] == "There is no page 3; the last page is 2."


def test_page_one_of_no_posts_is_empty_and_page_two_is_past_the_end(client):
    empty = client.get(POSTS)
    assert empty.status_code == 200
    assert empty.json == {"items": [], "total": 0, "page": 1, "pages": 0}
    body = assert_error(client.get(POSTS, query_string={"page": 2}), 404)
    assert body["message"] == "There is no page 2; the last page is 1."


@pytest.mark.parametrize("page", ["0", "abc", "-3"])
def test_post_list_rejects_a_bad_page(client, page):
    assert_error(client.get(POSTS, query_string={"page": page}), 400)


def test_anyone_reads_a_post(client, api):
    post = api.post(api.register())
    assert client.get(f"{POSTS}{post['id']}").json == post


def test_unknown_post_is_404(client):
    assert_error(client.get(f"{POSTS}999"), 404)


def test_author_updates_title_and_body(client, api):
    ann = api.register()
    post = api.post(ann)
    response = client.put(
        f"{POSTS}{post['id']}", json={"title": "New title"}, headers=api.headers(ann)
    )
    assert response.status_code == 200
    updated = response.json
    assert updated["title"] == "New title"
    assert updated["body"] == post["body"]
    assert updated["created_at"] == post["created_at"]
    assert updated["updated_at"] >= post["updated_at"]


@pytest.mark.parametrize(
    "body",
    [{"author_id": 2}, {"title": ""}, {"body": "b" * 10_001}, {"id": 5}],
    ids=["author_id", "empty-title", "long-body", "id"],
)
def test_update_post_rejects_invalid_fields(client, api, body):
    ann = api.register()
    post = api.post(ann)
    response = client.put(f"{POSTS}{post['id']}", json=body, headers=api.headers(ann))
    assert_error(response, 400, details=True)
    assert client.get(f"{POSTS}{post['id']}").json == post


def test_update_of_another_users_post_is_403(client, api):
    post = api.post(api.register())
    intruder = api.register()
    response = client.put(
        f"{POSTS}{post['id']}", json={"title": "X"}, headers=api.headers(intruder)
    )
    assert_error(response, 403)


def test_admin_updates_any_post(client, api):
    post = api.post(api.register())
    admin = api.register()
    api.make_admin(admin)
    response = client.put(
        f"{POSTS}{post['id']}", json={"body": "Edited."}, headers=api.headers(admin)
    )
    assert response.status_code == 200
    assert response.json["author_id"] == post["author_id"]


def test_update_post_needs_a_token_and_a_post(client, api):
    assert_error(client.put(f"{POSTS}1", json={"title": "X"}), 401)
    headers = api.headers(api.register())
    assert_error(client.put(f"{POSTS}999", json={"title": "X"}, headers=headers), 404)


def test_author_deletes_a_post(client, api):
    ann = api.register()
    post = api.post(ann)
    response = client.delete(f"{POSTS}{post['id']}", headers=api.headers(ann))
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_error(client.get(f"{POSTS}{post['id']}"), 404)


def test_delete_of_another_users_post_is_403(client, api):
    post = api.post(api.register())
    response = client.delete(f"{POSTS}{post['id']}", headers=api.headers(api.register()))
    assert_error(response, 403)
    assert client.get(f"{POSTS}{post['id']}").status_code == 200


def test_admin_deletes_any_post(client, api):
    post = api.post(api.register())
    admin = api.register()
    api.make_admin(admin)
    assert client.delete(f"{POSTS}{post['id']}", headers=api.headers(admin)).status_code == 204


def test_delete_post_needs_a_token_and_a_post(client, api):
    assert_error(client.delete(f"{POSTS}1"), 401)
    assert_error(client.delete(f"{POSTS}999", headers=api.headers(api.register())), 404)


def test_posts_created_in_the_same_instant_list_highest_id_first(app, client, api):
    from reference_app import db
    from reference_app.models import Post

    ann = api.register()
    ids = [api.post(ann)["id"] for _ in range(3)]
    with app.app_context():
        same_instant = db.session.get(Post, ids[0]).created_at
        for post_id in ids:
            db.session.get(Post, post_id).created_at = same_instant
        db.session.commit()
    assert [p["id"] for p in client.get(POSTS).json["items"]] == sorted(ids, reverse=True)


def test_only_ascii_digits_make_ids_and_pages(client, api):
    post = api.post(api.register())
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in str(post["id"]))  # the same number
    assert_error(client.get(f"{POSTS}{arabic_indic}"), 404)
    assert_error(client.get(POSTS, query_string={"page": chr(0x0661)}), 400)
