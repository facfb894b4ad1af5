"""Grading for chapter 02: the posts blueprint's views in routes.py."""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest
from flask import Flask
from flask_jwt_extended import create_access_token
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.local import LocalProxy
from werkzeug.test import TestResponse

from workbook.grading import seeded
from workbook.grading.api import POSTS, bearer, random_post_fields, random_user_fields
from workbook.grading.feedback import (
    Feedback,
    expect,
    expect_equal,
    expect_error,
    expect_status,
    expect_stored,
)

POST_KEYS = {"id", "title", "body", "author_id", "created_at", "updated_at"}
# The largest id the "id" converter lets through: no row has it.
HUGE_ID = 10**18 - 1
# Digits of another script: Python's int() reads "٤٢" as 42; the "id" converter refuses them.
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
NOT_COMMITTED = "Likely cause: a missing db.session.commit(), so the request's change was undone"

# Each request the tests make, and the view in routes.py that must answer it.
ROUTES = {
    ("GET", False): ("list_posts", '@bp.get("/")'),
    ("GET", True): ("get_post", '@bp.get("/<id:post_id>")'),
    ("POST", False): ("create_post", '@bp.post("/")'),
    ("PUT", True): ("update_post", '@bp.put("/<id:post_id>")'),
    ("DELETE", True): ("delete_post", '@bp.delete("/<id:post_id>")'),
}


@dataclass(frozen=True)
class Member:
    """A user made straight in the database, with an access token's header."""

    id: int
    headers: dict[str, str]


class Blog:
    """The app under test: requests to the posts routes, and database shortcuts around them.

    Users and posts are made and read straight in the database, so that each task is
    graded on its own view: the list can be graded before create_post works.
    """

    def __init__(self, app: Flask, reference: ModuleType) -> None:
        self.app = app
        self.client = app.test_client()
        self.db = reference.db
        self.models = reference.models
        self.routes = reference.posts.routes

    def users(self, *roles: str) -> list[Member]:
        """Make one user per role ("user" or "admin"), each with an access token."""
        with self.app.app_context():
            users = []
            for role in roles:
                fields = random_user_fields()
                user = self.models.User(email=fields["email"], name=fields["name"], role=role)
                user.set_password(fields["password"])
                users.append(user)
            self.db.session.add_all(users)
            self.db.session.flush()  # gives each user its id
            members = [Member(u.id, bearer(create_access_token(identity=u))) for u in users]
            self.db.session.commit()
            return members

    def user(self) -> Member:
        return self.users("user")[0]

    def add_posts(self, *posts: tuple[Member, datetime]) -> list[dict[str, Any]]:
        """Save a post for each (author, created_at), in order; return their fields and ids.

        Each was last updated some minutes after it was made, so that an order by
        updated_at is not the order by created_at.
        """
        with self.app.app_context():
            made = [
                random_post_fields()
                | {
                    "author_id": author.id,
                    "created_at": created_at,
                    "updated_at": created_at + timedelta(minutes=seeded.randbelow(5000)),
                }
                for author, created_at in posts
            ]
            rows = [self.models.Post(**fields) for fields in made]
            self.db.session.add_all(rows)
            self.db.session.flush()  # gives each post its id
            made = [fields | {"id": row.id} for fields, row in zip(made, rows, strict=True)]
            self.db.session.commit()
            return made

    def add_post(self, author: Member) -> dict[str, Any]:
        return self.add_posts((author, datetime.now(UTC)))[0]

    def drop_post_indexes(self) -> None:
        """Drop the indexes of the posts table, so that rows come back in the order asked for.

        Without this, SQLite reads posts of the same instant from the (created_at, id)
        index in id order, and a query that forgot the tie-break would pass by luck.
        """
        with self.app.app_context(), self.db.engine.begin() as connection:
            for index in self.models.Post.__table__.indexes:
                index.drop(connection)

    def stored(self, post_id: int) -> dict[str, Any] | None:
        """The post as the database holds it, or None."""
        with self.app.app_context():
            post = self.db.session.get(self.models.Post, post_id)
            if post is None:
                return None
            return {"title": post.title, "body": post.body, "author_id": post.author_id}

    def count(self) -> int:
        with self.app.app_context():
            return self.db.session.scalar(
                self.db.select(self.db.func.count()).select_from(self.models.Post)
            )

    def send(
        self, method: str, post_id: int | str | None = None, *, routed: bool = True, **kwargs: Any
    ) -> TestResponse:
        """Send ``method`` to the posts list, or to one post, once its route is known to exist.

        ``routed=False`` sends to a path that no route should take.
        """
        path = POSTS if post_id is None else f"{POSTS}{post_id}"
        if routed:
            self._expect_route(method, path, post_id is not None)
        return self.client.open(path, method=method, **kwargs)

    def _expect_route(self, method: str, path: str, one_post: bool) -> None:
        try:
            self.app.url_map.bind("localhost").match(path, method=method)
        except HTTPException as error:
            view, decorator = ROUTES[(method, one_post)]
            url = f"{POSTS}<id>" if one_post else POSTS
            where = (
                f"keep the function {view} in routes.py with its decorator {decorator}"
                if hasattr(self.routes, view)
                else f"MISSING FUNCTION {view} in routes.py: did you rename or delete it?"
                f" Put it back, with its decorator {decorator}"
            )
            raise Feedback(
                f"No route answers {method} {url}: Flask replies {error.code} before any view"
                f" runs.\n  {where}."
            ) from None


@pytest.fixture
def blog(app, reference):
    """The app, its test client and database shortcuts."""
    return Blog(app, reference)


def short(value: Any, limit: int = 300) -> str:
    """``repr(value)``, cut short for a failure message."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... (cut)"


def expect_post(actual: dict[str, Any], expected: dict[str, Any], what: str) -> None:
    """Check that ``actual`` is a post in the contract's shape, with ``expected``'s fields."""
    expect(
        isinstance(actual, dict) and set(actual) == POST_KEYS,
        f"{what} should be a post, exactly the keys {sorted(POST_KEYS)}; got {short(actual)}"
        "\n  (dump the post with post_schema)",
    )
    for field in ("id", "title", "body", "author_id"):
        if field in expected:
            expect_equal(actual[field], expected[field], f"{what}: the {field!r} field")


def expect_page(body: Any) -> list[Any]:
    """Check that ``body`` is a page in the contract's shape; return the ids of its items."""
    expect(
        isinstance(body, dict)
        and {"items", "total", "page", "pages"} <= set(body)
        and isinstance(body["items"], list)
        and all(isinstance(item, dict) for item in body["items"]),
        'GET /api/v1/posts/ should answer a page: {"items": [posts...], "total", "page",'
        f' "pages"}} (what paginated() returns); got {short(body)}',
    )
    return [item.get("id") for item in body["items"]]


def expect_time(text: Any, expected: datetime, what: str) -> None:
    """Check that ``text`` is an ISO-8601 timestamp of the instant ``expected``."""
    try:
        actual = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise Feedback(f"{what} should be an ISO-8601 timestamp; got {text!r}") from None
    expect_equal(actual, expected, f"{what}, read as a datetime")


def newest_first(posts: list[dict[str, Any]]) -> list[int]:
    """The ids of ``posts`` in the contract's order: newest first, then highest id first."""
    return [p["id"] for p in sorted(posts, key=lambda p: (p["created_at"], p["id"]), reverse=True)]


@contextmanager
def authors_given_to_new_posts() -> Iterator[list[type]]:
    """Record the type of the author that each new Post holds when the session saves it."""
    given: list[type] = []

    def record(session: Session, _context: Any, _instances: Any) -> None:
        new_posts = (row for row in session.new if type(row).__name__ == "Post")
        given.extend(type(vars(post).get("author")) for post in new_posts)

    event.listen(Session, "before_flush", record)
    try:
        yield given
    finally:
        event.remove(Session, "before_flush", record)


def saved(post: dict[str, Any]) -> dict[str, Any]:
    """What the database should still hold of ``post``."""
    return {key: post[key] for key in ("title", "body", "author_id")}


def field_rules_broken() -> list[tuple[str, str, str]]:
    """Each rule of each field of a post, broken: (field, what is wrong, the value)."""
    return [
        ("title", "an empty", ""),
        ("title", "a 201-character", "t" * 201),
        ("body", "an empty", ""),
        ("body", "a 10,001-character", "b" * 10_001),
    ]


def ids_of_no_post(post: dict[str, Any]) -> list[tuple[str, str]]:
    """Ids that name no post, each with what a 404 for it teaches.

    Past the last post; past PostgreSQL's integers; too long for any route; ``post``'s
    own id in digits of another script, which ``<int:...>`` would read as that id.
    """
    return [
        (str(post["id"] + seeded.randint(1, 1000)), "no post has this id"),
        (
            str(HUGE_ID),
            "an id past PostgreSQL's integers is a 404, not a 500: reference_app.lookups."
            "get_or_404 answers it without sending it to the database",
        ),
        ("9" * 5000, "an id of 5,000 digits: keep the view's route, <id:post_id>"),
        (
            str(post["id"]).translate(ARABIC_INDIC),
            f"post {post['id']} in Arabic-Indic digits is no id: keep the view's route,"
            " <id:post_id> (<int:...> reads any script's digits)",
        ),
    ]


# Task 1: get_post


@pytest.mark.task(taskno=1)
def test_anyone_reads_a_post(blog):
    post = blog.add_post(blog.user())
    body = expect_status(blog.send("GET", post["id"]), 200, "anyone may read a post")
    expect_post(body, post, "the post returned")
    expect_time(body["created_at"], post["created_at"], "the post's created_at")


@pytest.mark.task(taskno=1)
def test_a_missing_post_is_404(blog):
    post = blog.add_post(blog.user())
    for post_id, why in ids_of_no_post(post):
        expect_error(blog.send("GET", post_id, routed=False), 404, why)


# Task 2: list_posts


@pytest.mark.task(taskno=2)
def test_anyone_lists_posts_newest_first(blog):
    """Posts made in a shuffled order list by created_at, newest first, then highest id."""
    authors = blog.users("user", "user")
    start = datetime.now(UTC) - timedelta(days=1)
    minutes = seeded.sample(range(1000), seeded.randint(3, 5))
    minutes[1:1] = [minutes[0]] * seeded.randint(2, 3)  # posts of the same instant
    posts = blog.add_posts(
        *((seeded.choice(authors), start + timedelta(minutes=m)) for m in minutes)
    )
    expected = newest_first(posts)
    blog.drop_post_indexes()
    page = expect_status(blog.send("GET"), 200, "anyone may list the posts, no token needed")
    expect_equal(
        expect_page(page),
        expected,
        "the ids of the posts listed: newest first, and among equal times the highest id first",
    )
    newest = next(post for post in posts if post["id"] == expected[0])
    expect_post(page["items"][0], newest, "the first item listed")
    expect_equal(
        {key: page.get(key) for key in ("total", "page", "pages")},
        {"total": len(posts), "page": 1, "pages": 1},
        "the page's total, page and pages",
    )


@pytest.mark.task(taskno=2)
def test_posts_list_a_page_at_a_time(blog):
    author = blog.user()
    start = datetime.now(UTC) - timedelta(hours=1)
    posts = blog.add_posts(
        *((author, start + timedelta(seconds=n)) for n in range(seeded.randint(5, 9)))
    )
    per_page = seeded.randint(2, 3)
    pages = math.ceil(len(posts) / per_page)
    number = seeded.randint(2, pages)
    query = {"page": number, "per_page": per_page}
    page = expect_status(blog.send("GET", query_string=query), 200)
    expected = newest_first(posts)[(number - 1) * per_page : number * per_page]
    expect_equal(
        expect_page(page), expected, f"the ids on page {number} at {per_page} posts a page"
    )
    expect_equal(
        {key: page.get(key) for key in ("total", "page", "pages")},
        {"total": len(posts), "page": number, "pages": pages},
        "the page's total, page and pages",
    )


@pytest.mark.task(taskno=2)
def test_a_bad_page_number_is_400(blog):
    blog.add_post(blog.user())
    bad = [("page", "0"), ("page", "abc"), ("page", "-1"), ("per_page", "0"), ("page", "1.5")]
    for name, value in bad:
        expect_error(
            blog.send("GET", query_string={name: value}),
            400,
            f"{name}={value} is no page: a whole number from 1 (paginated refuses the rest)",
        )
    response = blog.send("GET", query_string={"page": str(2**63)})
    expect_error(
        response,
        404 if response.status_code == 404 else 400,
        "page=2**63 is past any page: a 400 or a 404, never a 500 (paginated refuses it)",
    )


@pytest.mark.task(taskno=2)
def test_a_page_holds_at_most_the_maximum_and_ends_at_the_last(blog, monkeypatch):
    limit = seeded.randint(2, 4)
    monkeypatch.setitem(blog.app.config, "MAX_PER_PAGE", limit)
    start = datetime.now(UTC) - timedelta(hours=1)
    author = blog.user()
    blog.add_posts(*((author, start + timedelta(seconds=n)) for n in range(2 * limit + 1)))
    response = blog.send("GET", query_string={"per_page": 1000})
    if response.status_code != 400:  # a page size past the maximum: refused, or cut to it
        listed = expect_page(expect_status(response, 200, "per_page=1000"))
        expect(
            len(listed) <= limit,
            f"GET {POSTS}?per_page=1000 listed {len(listed)} posts on one page; the app's"
            f" MAX_PER_PAGE is {limit}: a larger per_page is cut to it (paginated does it)",
        )
    expect_error(
        blog.send("GET", query_string={"page": 4, "per_page": limit}),
        404,
        f"page 4 of {2 * limit + 1} posts at {limit} a page: past the last page (3)",
    )


# Task 3: create_post


@pytest.mark.task(taskno=3)
def test_a_post_is_published_as_the_tokens_user(blog):
    """Each of two users publishes: the author is whoever's token it is, never another user."""
    authors = blog.users("user", "user")
    for author in seeded.sample(authors, len(authors)):
        fields = random_post_fields()
        with authors_given_to_new_posts() as given:
            post = expect_status(blog.send("POST", json=fields, headers=author.headers), 201)
        expect(
            LocalProxy not in given,
            "create_post gave the new Post the current_user proxy as its author: give it the"
            " User itself, get_current_user() (a proxy stands for it only while the request"
            " lasts, and must not go into a model)",
        )
        expect_post(post, {}, "the post created")
        stored = blog.stored(post["id"]) if isinstance(post["id"], int) else None
        expect_stored(stored, f"the post that POST {POSTS} answered (id {post['id']!r})")
        expected = fields | {"author_id": author.id}
        expect_post(post, expected, f"the post created with user {author.id}'s token")
        expect_equal(stored, expected, "the post saved in the database")


@pytest.mark.task(taskno=3)
def test_publishing_needs_an_access_token(blog):
    author = blog.user()
    expect_status(blog.send("POST", json=random_post_fields(), headers=author.headers), 201)
    expect_error(blog.send("POST", json=random_post_fields()), 401, "no token")
    expect_equal(blog.count(), 1, "the number of posts after one post with a token, one without")


@pytest.mark.task(taskno=3)
def test_an_invalid_post_is_rejected_and_nothing_is_saved(blog):
    author, other = blog.users("user", "user")
    good = random_post_fields()
    cases = [  # what is wrong, the status, the field "details" names, the request
        ("author_id is never a field", 400, "author_id", {"json": good | {"author_id": other.id}}),
        *(
            (f"no {field}", 400, field, {"json": {k: v for k, v in good.items() if k != field}})
            for field in ("title", "body")
        ),
        *(
            (f"{what} {field}", 400, field, {"json": good | {field: value}})
            for field, what, value in field_rules_broken()
        ),
        ("a JSON null", 400, None, {"data": "null", "content_type": "application/json"}),
        ("a form instead of JSON", 415, None, {"data": good}),
    ]
    for case, status, field, request in cases:
        response = blog.send("POST", headers=author.headers, **request)
        body = expect_error(response, status, case, details=bool(field))
        if field:
            expect(
                field in (body.get("details") or {}),
                f'{case}: the 400 body\'s "details" should name {field!r}; got {short(body)}',
            )
    expect_equal(blog.count(), 0, "the number of posts after only rejected requests")


# Task 4: update_post


@pytest.mark.task(taskno=4)
def test_the_author_updates_the_title_the_body_or_both(blog):
    author = blog.user()
    post = blog.add_post(author)
    field, kept = seeded.choice([("title", "body"), ("body", "title")])  # one of the two
    change = {field: random_post_fields()[field]}
    body = expect_status(blog.send("PUT", post["id"], json=change, headers=author.headers), 200)
    expect_post(body, post | change, f"the post after a change of its {field} alone")
    expect_equal(
        blog.stored(post["id"]),
        saved(post | change),
        f"the post in the database after the change ({kept} kept)\n  {NOT_COMMITTED}?",
    )
    change = random_post_fields()
    body = expect_status(blog.send("PUT", post["id"], json=change, headers=author.headers), 200)
    expect_post(body, post | change, "the post after a change of both fields")
    expect_equal(
        blog.stored(post["id"]),
        saved(post | change),
        f"the post in the database after the change\n  {NOT_COMMITTED}?",
    )


@pytest.mark.task(taskno=4)
def test_only_the_author_or_an_admin_may_update(blog):
    admin, other, author = blog.users("admin", "user", "user")  # the author's id is no post's
    post = blog.add_post(author)
    change = random_post_fields()
    expect_error(blog.send("PUT", post["id"], json=change), 401, "no token")
    expect_error(
        blog.send("PUT", post["id"], json=change, headers=other.headers),
        403,
        "another user is neither the author nor an admin",
    )
    expect_equal(blog.stored(post["id"]), saved(post), "the post after refused updates")
    body = expect_status(
        blog.send("PUT", post["id"], json=change, headers=admin.headers), 200, "an admin may"
    )
    expect_post(body, post | change, "the post an admin changed (its author stays the same)")
    change = random_post_fields()
    body = expect_status(
        blog.send("PUT", post["id"], json=change, headers=author.headers), 200, "the author may"
    )
    expect_post(body, post | change, "the post its author changed")


@pytest.mark.task(taskno=4)
def test_updating_a_missing_post_is_404(blog):
    author = blog.user()
    post = blog.add_post(author)
    for post_id, why in ids_of_no_post(post):
        change = random_post_fields()
        expect_error(
            blog.send("PUT", post_id, routed=False, json=change, headers=author.headers), 404, why
        )
    expect_equal(blog.stored(post["id"]), saved(post), "the post after updates of no post")


@pytest.mark.task(taskno=4)
def test_an_update_checks_the_post_then_the_user_then_the_body(blog):
    """404 before 403 before 400: the questions in order, whatever the body says."""
    author, other = blog.users("user", "user")
    post = blog.add_post(author)
    invalid = seeded.choice([{"title": ""}, {"author_id": other.id}, {"body": "b" * 10_001}])
    expect_error(
        blog.send("PUT", post["id"], json=invalid, headers=other.headers),
        403,
        f"another user sent {short(invalid, 60)}: not theirs to change, whatever the body says"
        " (require_owner_or_admin before load_json_body)",
    )
    expect_error(
        blog.send("PUT", post["id"] + seeded.randint(1, 1000), json=invalid, headers=other.headers),
        404,
        f"no post has this id, whatever the body ({short(invalid, 60)}) says (get_or_404 first)",
    )
    expect_equal(blog.stored(post["id"]), saved(post), "the post after refused updates")


@pytest.mark.task(taskno=4)
def test_an_invalid_update_is_400_and_changes_nothing(blog):
    author, other = blog.users("user", "user")
    post = blog.add_post(author)
    cases = [  # what is wrong, whether a schema finds it (and "details" says where), the request
        ("author_id is never a field", True, {"json": {"author_id": other.id}}),
        *(
            (f"{what} {field}", True, {"json": {field: value}})
            for field, what, value in field_rules_broken()
        ),
        ("a JSON list, not an object", False, {"data": "[]", "content_type": "application/json"}),
    ]
    for case, details, request in cases:
        response = blog.send("PUT", post["id"], headers=author.headers, **request)
        expect_error(response, 400, case, details=details)
    expect_equal(blog.stored(post["id"]), saved(post), "the post after rejected updates")


# Task 5: delete_post


@pytest.mark.task(taskno=5)
def test_the_author_deletes_a_post(blog):
    author = blog.user()
    now = datetime.now(UTC)
    post, kept = blog.add_posts((author, now), (author, now))
    response = blog.send("DELETE", post["id"], headers=author.headers)
    expect_status(response, 204, "the author deletes their post")
    expect_equal(response.get_data(as_text=True), "", "the body of a 204 reply")
    expect(
        blog.stored(post["id"]) is None,
        f"the post the author deleted is still in the database.\n  {NOT_COMMITTED}.",
    )
    expect(blog.stored(kept["id"]) is not None, "another post of the author's was deleted too")


@pytest.mark.task(taskno=5)
def test_only_the_author_or_an_admin_may_delete(blog):
    admin, other, author = blog.users("admin", "user", "user")  # the author's id is no post's
    now = datetime.now(UTC)
    post, second = blog.add_posts((author, now), (author, now))
    expect_error(blog.send("DELETE", post["id"]), 401, "no token")
    expect_error(
        blog.send("DELETE", post["id"], headers=other.headers),
        403,
        "another user is neither the author nor an admin",
    )
    expect(blog.stored(post["id"]) is not None, "a refused delete removed the post all the same")
    expect_status(blog.send("DELETE", post["id"], headers=admin.headers), 204, "an admin may")
    expect_equal(blog.stored(post["id"]), None, "the post an admin deleted, in the database")
    expect_status(blog.send("DELETE", second["id"], headers=author.headers), 204, "the author may")


@pytest.mark.task(taskno=5)
def test_deleting_a_missing_post_is_404(blog):
    author = blog.user()
    post = blog.add_post(author)
    for post_id, why in ids_of_no_post(post):
        expect_error(blog.send("DELETE", post_id, routed=False, headers=author.headers), 404, why)
        expect(blog.stored(post["id"]) is not None, f"deleting {post_id[:20]} removed another post")
