"""Grading for chapter 03: the models in models.py, and the migration they must match."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from types import ModuleType
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskClient
from flask_jwt_extended import create_access_token
from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    inspect,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError

from workbook.grading import seeded
from workbook.grading.api import (
    LOGIN,
    POSTS,
    USERS,
    auth,
    bearer,
    publish,
    random_post_fields,
    random_user_fields,
    register,
)
from workbook.grading.feedback import (
    Feedback,
    expect,
    expect_equal,
    expect_status,
)

Headers = dict[str, str]
MODELS = "exercises/03_models_and_migrations/models.py"
# What task 5 declares, as (model, attribute).
POST_ATTRIBUTES = [
    ("Post", "title"),
    ("Post", "body"),
    ("Post", "author_id"),
    ("Post", "author"),
    ("User", "posts"),
]


@pytest.fixture(autouse=True)
def models_fit_together(reference: ModuleType) -> None:
    """Fail every test, saying why, while the models cannot be mapped."""
    try:
        reference.db.Model.registry.configure()
    except Exception as error:
        hint = ""
        if "back_populates" in str(error) or "has no property" in str(error):
            hint = (
                "\n  (A relationship's back_populates must name an attribute of the other model.)"
            )
        raise Feedback(
            f"Your models cannot be mapped, so no task can pass:\n"
            f"  {type(error).__name__}: {error}{hint}"
        ) from None


@pytest.fixture(scope="module")
def sqlite() -> Iterator[Engine]:
    """A bare in-memory SQLite database, for values that need no table."""
    engine = create_engine("sqlite://")
    yield engine
    engine.dispose()


@pytest.fixture
def hashing_app() -> Flask:
    """A bare app with the one setting that set_password reads (cheaper than the whole app)."""
    app = Flask("hashing")
    app.config["PASSWORD_HASH_METHOD"] = f"pbkdf2:sha256:{1000 + seeded.randbelow(1000)}"
    return app


def round_trip(reference: ModuleType, engine: Engine, value: datetime | None) -> datetime | None:
    """Write ``value`` to the database as a UTCDateTime, and read it back."""
    with unwrapped(), engine.connect() as connection:
        return connection.scalar(select(literal(value, reference.models.UTCDateTime())))


@contextmanager
def unwrapped() -> Iterator[None]:
    """Raise what your code raised inside a SQL statement, not SQLAlchemy's wrapper."""
    try:
        yield
    except StatementError as error:
        if type(error) is StatementError and isinstance(error.orig, Exception):
            raise error.orig from None
        raise


def commit(db: Any, what: str) -> None:
    """Commit the session; a constraint that refuses ``what`` becomes a message."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Feedback(
            f"The database refused {what}:\n  {error.orig}\n"
            "  Compare your model's columns with the migration's: a constraint too many?"
        ) from None


def insert_user(reference: ModuleType, **columns: Any) -> int:
    """Insert a users row with SQL, past the model's Python hooks; return its id."""
    fields = random_user_fields()
    values = {"email": fields["email"], "name": fields["name"], "password_hash": "-"} | columns
    db = reference.db
    with unwrapped():
        result = db.session.execute(insert(reference.models.User).values(**values))
        db.session.commit()
    return result.inserted_primary_key[0]


def read_back(reference: ModuleType, model: type, ident: int) -> Any:
    """Return the row ``ident`` of ``model`` as loaded afresh from the database."""
    reference.db.session.expire_all()
    with unwrapped():
        return reference.db.session.get(model, ident)


def expect_aware_utc(moment: Any, what: str) -> None:
    expect(
        isinstance(moment, datetime) and moment.utcoffset() == timedelta(0),
        f"{what} should be a timezone-aware datetime in UTC\n  got: {moment!r}",
    )


def random_zone() -> timezone:
    """A fixed UTC offset other than zero, different from run to run."""
    return timezone(timedelta(minutes=seeded.choice([-1, 1]) * (60 + seeded.randbelow(600))))


# Task 1: timestamps in UTC


@pytest.mark.task(taskno=1)
@pytest.mark.time_zones
def test_utcnow_is_now_in_utc(reference):
    now = reference.models.utcnow()
    expect_aware_utc(now, "utcnow()")
    expect(abs(datetime.now(UTC) - now) < timedelta(minutes=1), f"utcnow() is not now: {now!r}")


@pytest.mark.task(taskno=1)
@pytest.mark.time_zones
def test_a_new_row_is_created_and_updated_at_one_instant(app, reference):
    with app.app_context():
        user = read_back(reference, reference.models.User, insert_user(reference))
    expect_aware_utc(user.created_at, "created_at, read back from the database,")
    expect_equal(user.updated_at, user.created_at, "updated_at of a new row (its created_at)")
    age = datetime.now(UTC) - user.created_at
    expect(timedelta(0) <= age < timedelta(minutes=1), f"created_at is not now: {user.created_at}")


@pytest.mark.task(taskno=1)
@pytest.mark.time_zones
def test_a_time_in_another_zone_is_stored_as_the_same_instant(app, reference):
    moment = datetime(2020 + seeded.randbelow(10), 6, 15, 12, 30, tzinfo=random_zone())
    with app.app_context():
        user_id = insert_user(reference, created_at=moment, updated_at=moment)
        user = read_back(reference, reference.models.User, user_id)
    expect_aware_utc(user.created_at, "created_at, read back from the database,")
    expect_equal(user.created_at, moment, f"the instant stored as {moment.isoformat()}, read back")


@pytest.mark.task(taskno=1)
def test_an_aware_time_keeps_its_instant_on_a_database_that_keeps_zones(reference):
    """PostgreSQL takes and hands back aware datetimes, in its session's zone: no relabelling."""
    column_type, dialect = reference.models.UTCDateTime(), postgresql.dialect()
    moment = datetime(2020 + seeded.randbelow(10), 1, 20, 23, 45, tzinfo=random_zone())
    stored = column_type.process_bind_param(moment, dialect)
    read = column_type.process_result_value(moment, dialect)
    for hook, value in [("process_bind_param", stored), ("process_result_value", read)]:
        expect_aware_utc(value, f"{hook}({moment!r}) on PostgreSQL")
        expect_equal(
            value,
            moment,
            f"the instant that {hook} returns for {moment.isoformat()}: convert it"
            " (astimezone), never relabel it (replace(tzinfo=...))",
        )


@pytest.mark.task(taskno=1)
def test_a_naive_datetime_is_refused(reference, sqlite):
    naive = datetime.now(UTC).replace(tzinfo=None)
    try:
        round_trip(reference, sqlite, naive)
    except ValueError:
        return
    raise Feedback(
        f"Storing the naive datetime {naive!r} in a UTCDateTime column should raise\n"
        "  ValueError: without a zone, nobody knows which instant it is. It was stored."
    )


@pytest.mark.task(taskno=1)
def test_a_missing_time_stays_missing(reference, sqlite):
    expect_equal(round_trip(reference, sqlite, None), None, "None stored and read back")


@pytest.mark.task(taskno=1)
@pytest.mark.time_zones
def test_the_api_sends_timestamps_with_their_offset(app, client, reference):
    with app.app_context():
        user_id = insert_user(reference)
        token = create_access_token(identity=read_back(reference, reference.models.User, user_id))
    user = expect_status(client.get(f"{USERS}{user_id}", headers=bearer(token)), 200)
    sent = datetime.fromisoformat(user["created_at"])
    expect_aware_utc(sent, f"created_at as the API sends it ({user['created_at']!r})")


# Task 2: passwords


@pytest.mark.task(taskno=2)
def test_set_password_stores_a_salted_hash_not_the_password(hashing_app, reference):
    password = f"pw-{seeded.token_hex(8)}"
    first, second = reference.models.User(name="First"), reference.models.User(name="Second")
    with hashing_app.app_context():
        first.set_password(password)
        second.set_password(password)
    expect(
        isinstance(first.password_hash, str) and first.password_hash,
        f"after set_password, password_hash should hold a hash; it holds {first.password_hash!r}",
    )
    expect(password not in first.password_hash, "password_hash holds the password itself")
    expect(
        first.password_hash != second.password_hash,
        "two users with the same password got the same hash: it needs a random salt",
    )


@pytest.mark.task(taskno=2)
def test_the_hash_uses_the_configured_method(hashing_app, reference):
    method = hashing_app.config["PASSWORD_HASH_METHOD"]
    user = reference.models.User(name="Learner")
    with hashing_app.app_context():
        user.set_password("a password")
    expect(
        user.password_hash.startswith(f"{method}$"),
        f"with PASSWORD_HASH_METHOD = {method!r}, the hash should start with {method + '$'!r}\n"
        f"  got: {user.password_hash!r}",
    )


@pytest.mark.task(taskno=2)
def test_check_password_accepts_that_password_only(hashing_app, reference):
    password = f"pw {seeded.token_hex(8)} "  # spaces belong to a password too
    user = reference.models.User(name="Learner")
    with hashing_app.app_context():
        user.set_password(password)
        for attempt, expected in [
            (password, True),
            (password.upper(), False),
            (password + "!", False),
            (password.strip(), False),
            (f" {password}", False),
            ("", False),
        ]:
            expect_equal(user.check_password(attempt), expected, f"check_password({attempt!r})")


# Task 3: one email, one user


def mixed_case_email() -> tuple[str, str]:
    """Return an email as somebody might type it, and its normal form."""
    tag = seeded.token_hex(4)
    return f"  Learner.{tag.upper()}@Example.ORG ", f"learner.{tag}@example.org"


@pytest.mark.task(taskno=3)
def test_normalize_email_trims_and_lower_cases(reference):
    typed, normal = mixed_case_email()
    expect_equal(reference.models.normalize_email(typed), normal, f"normalize_email({typed!r})")


@pytest.mark.task(taskno=3)
def test_a_user_stores_every_email_in_its_normal_form(reference):
    typed, normal = mixed_case_email()
    user = reference.models.User(email=typed)
    expect_equal(user.email, normal, f"User(email={typed!r}).email")
    typed, normal = mixed_case_email()
    user.email = typed
    expect_equal(user.email, normal, f"user.email after `user.email = {typed!r}`")


@pytest.mark.task(taskno=3)
def test_an_email_in_another_case_is_taken(client):
    typed, normal = mixed_case_email()
    first = register(client, email=typed.strip())
    expect_equal(first["email"], normal, "the email of a user registered as " + typed.strip())
    again = client.post(USERS, json=random_user_fields() | {"email": normal})
    expect_status(again, 409, f"{typed.strip()!r} is already registered")


@pytest.mark.task(taskno=3)
def test_logging_in_accepts_the_email_in_any_case(client):
    user = register(client)
    typed = f" {user['email'].upper()}"
    response = client.post(LOGIN, json={"email": typed, "password": user["password"]})
    expect_status(response, 200, f"logging in as {typed!r}, registered as {user['email']!r}")


# Task 4: admins


@pytest.mark.task(taskno=4)
def test_is_admin_follows_the_role(reference):
    roles = [
        ("admin", True),
        ("user", False),
        ("administrator", False),
        (seeded.token_hex(3), False),
    ]
    for role, expected in roles:
        user = reference.models.User(role=role)
        expect_equal(user.is_admin, expected, f"is_admin of a user whose role is {role!r}")


@pytest.mark.task(taskno=4)
def test_an_admin_may_change_another_user(app, client, reference):
    user, other = register(client), register(client)
    headers = auth(client, user)
    rename = {"name": f"Renamed {seeded.token_hex(3)}"}
    expect_status(client.put(f"{USERS}{other['id']}", json=rename, headers=headers), 403)
    with app.app_context():
        reference.db.session.get(reference.models.User, user["id"]).role = "admin"
        reference.db.session.commit()
    response = client.put(f"{USERS}{other['id']}", json=rename, headers=headers)
    expect_equal(expect_status(response, 200, "now an admin")["name"], rename["name"], "the name")


# Task 5: the Post model


def post_model(reference: ModuleType) -> type:
    """Return your Post model; task 5 is "not started" while none of its attributes exists."""
    declared = {
        f"{model}.{name}": hasattr(getattr(reference.models, model), name)
        for model, name in POST_ATTRIBUTES
    }
    if not any(declared.values()):
        raise NotImplementedError(f"task 5 not started: implement Post in {MODELS}")
    missing = [attribute for attribute, found in declared.items() if not found]
    expect(not missing, f"Task 5 is not finished: declare {', '.join(missing)} in {MODELS}")
    return reference.models.Post


def publish_as_new_user(client: FlaskClient) -> tuple[dict[str, Any], dict[str, Any], Headers]:
    """Register a user who publishes a post; return the user, the post and the user's headers."""
    user = register(client)
    headers = auth(client, user)
    response = client.post(POSTS, json=random_post_fields(), headers=headers)
    return user, expect_status(response, 201, "publishing a post"), headers


@pytest.mark.task(taskno=5)
def test_a_post_keeps_its_title_body_and_author(client, reference):
    post_model(reference)
    user = register(client)
    fields = random_post_fields() | {"title": seeded.token_hex(100)}  # the longest title
    post = publish(client, user, **fields)
    stored = expect_status(client.get(f"{POSTS}{post['id']}"), 200)
    for name, value in fields.items():
        expect_equal(stored[name], value, f"the {name} of GET {POSTS}{post['id']}")
    expect_equal(stored["author_id"], user["id"], "author_id: the id of the token's user")


@pytest.mark.task(taskno=5)
def test_a_post_has_an_author_and_a_user_has_posts(app, reference):
    post_class, user_class = post_model(reference), reference.models.User
    with app.app_context():
        db = reference.db
        author = db.session.get(user_class, insert_user(reference))
        other = db.session.get(user_class, insert_user(reference))
        added = post_class(**random_post_fields())
        with write_only("author.posts.add(post)"):
            author.posts.add(added)  # from the other end: the post's author is set at once
        if added.author is not author:
            raise Feedback(
                "after author.posts.add(post), post.author should be that author, before any "
                "commit: Post.author and User.posts are one relationship, each naming the "
                f"other with back_populates (post.author is {added.author!r})"
            )
        written = [added, post_class(author=author, **random_post_fields())]
        db.session.add_all([*written, post_class(author=other, **random_post_fields())])
        commit(db, "two posts by one author, one by another")
        with write_only("author.posts.select()"):
            query = author.posts.select()
        listed = {post.id for post in db.session.scalars(query)}
        expect_equal(listed, {post.id for post in written}, "the ids in author.posts.select()")
        db.session.expire_all()
        post = db.session.get(post_class, written[0].id)
        expect_equal(post.author.id, author.id, f"the author's id of post {post.id}, read back")


@contextmanager
def write_only(call: str) -> Iterator[None]:
    """Word the AttributeError of a collection that is not write-only."""
    try:
        yield
    except AttributeError as error:
        raise Feedback(
            f"{call} failed ({error}):\n  User.posts should be a write-only collection"
            ' (WriteOnlyMapped["Post"]), whose add() adds a post and select() is a query.'
        ) from None


@pytest.mark.task(taskno=5)
def test_deleting_a_user_deletes_their_posts(client, reference):
    post_model(reference)
    user, post, headers = publish_as_new_user(client)
    expect_status(client.delete(f"{USERS}{user['id']}", headers=headers), 204)
    expect_status(client.get(f"{POSTS}{post['id']}"), 404, "the deleted user's post")


@pytest.mark.task(taskno=5)
def test_the_database_deletes_the_posts_of_a_deleted_user(app, client, reference):
    post_class, user_class = post_model(reference), reference.models.User
    user, post, _headers = publish_as_new_user(client)
    with app.app_context():
        db = reference.db
        try:
            db.session.execute(delete(user_class).where(user_class.id == user["id"]))
            db.session.commit()
        except IntegrityError as error:
            raise Feedback(
                f"The database refused to delete a user who has posts:\n  {error.orig}\n"
                "  Tell the foreign key what to do with the posts when their user goes."
            ) from None
        left = db.session.get(post_class, post["id"])
    expect(left is None, "Deleting a user with SQL left their posts behind (see posts.author_id)")


def migrated_schema_differences(reference: ModuleType) -> list[Any]:
    """Build the schema with the committed migrations; return how the models differ from it.

    This is what `flask db check` does, on a throwaway in-memory SQLite database.
    """
    scripts = ScriptDirectory(reference.extensions.migrate.directory)
    engine = create_engine("sqlite://")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            with Operations.context(context):
                for revision in reversed(list(scripts.walk_revisions())):
                    revision.module.upgrade()
            differences = compare_metadata(context, reference.db.metadata)
            return differences + lengths_left_out(connection, reference.db.metadata)
    finally:
        engine.dispose()


def lengths_left_out(connection: Any, metadata: Any) -> list[tuple[Any, ...]]:
    """The String columns that the migration gives a length and the model none.

    Alembic compares two lengths, not a length with none; on PostgreSQL a VARCHAR
    without a length holds text of any length.
    """
    inspector = inspect(connection)
    found = []
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        migrated = {column["name"]: column["type"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            length = getattr(migrated.get(column.name), "length", None)
            unbounded = isinstance(column.type, String) and column.type.length is None
            if unbounded and length and not isinstance(column.type, Text):  # Text: Alembic's
                found.append(("modify_length", None, table.name, column.name, {}, length, None))
    return found


def describe(change: Any) -> str:
    """Say in words one difference that Alembic found between the models and the migration."""
    if isinstance(change, list):  # the changes to one column come as a list
        return "\n".join(describe(part) for part in change)
    kind, *details = change
    if kind.startswith("modify_"):
        _schema, table, column, _existing, in_migration, in_model = details
        attribute = kind.removeprefix("modify_")  # type, nullable, default...
        return (
            f"{table}.{column}: {attribute} is {in_model!r} in your model,"
            f" {in_migration!r} in the migration"
        )
    where = "only in your models" if kind.startswith("add_") else "only in the migration"
    return f"{_name(details[-1])}: {where}"


def _name(item: Any) -> str:
    if isinstance(item, Table):
        return f"table {item.name}"
    if isinstance(item, Column):
        return f"column {item.table.name}.{item.name} {item.type}"
    columns = ", ".join(column.name for column in getattr(item, "columns", []))
    if isinstance(item, Index):
        return f"index {item.name} on {item.table.name}({columns})"
    if isinstance(item, ForeignKeyConstraint):
        target = ", ".join(key.target_fullname for key in item.elements)
        return f"foreign key {item.table.name}({columns}) -> {target}, ondelete={item.ondelete!r}"
    return f"{type(item).__name__} {getattr(item, 'name', '')} ({columns})"


@pytest.mark.task(taskno=5)
def test_the_models_match_the_committed_migration(reference):
    post_model(reference)
    differences = [describe(change) for change in migrated_schema_differences(reference)]
    expect(
        not differences,
        "`flask db check` would find your models different from the committed migration\n"
        "(reference_app/migrations/versions/):\n"
        + "\n".join(f"  {line}" for text in differences for line in text.splitlines()),
    )
