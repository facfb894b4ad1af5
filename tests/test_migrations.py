"""The committed migrations build the schema on SQLite and PostgreSQL, run as a user would."""

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import MetaData, create_engine, delete, func, insert, inspect, select

from reference_app.config import database_url
from tests.support import RUN_SCHEMA
from workbook.databases import SERVER_URL, postgres_schema


def flask(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``flask --app reference_app ARGS`` against ``database``, as a user would.

    Warnings are errors there too, as in the tests' own process: a deprecated call in
    ``migrations/env.py`` runs only in such a subprocess.
    """
    env = {**os.environ, "DATABASE_URL": database, "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "reference_app", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh, empty SQLite file."""
    return f"sqlite:///{tmp_path / 'fresh.sqlite'}"


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """An empty schema of its own in the test PostgreSQL database, dropped afterwards."""
    if not SERVER_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    schema = f"{RUN_SCHEMA}_migrations"
    with postgres_schema(schema) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database(request) -> str:
    """An empty database URL, SQLite or PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


FIRST_REVISION = "c6a7011f9fbe"  # users and posts, before ids were never reused on SQLite


def table_names(url: str) -> set[str]:
    """Return the tables that ``url``'s database holds."""
    engine = create_engine(database_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_then_check_finds_no_difference(empty_database):
    upgrade = flask(empty_database, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert {"users", "posts", "alembic_version"} <= table_names(empty_database)
    check = flask(empty_database, "db", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr


def test_downgrade_to_base_and_up_again(empty_database):
    assert flask(empty_database, "db", "upgrade").returncode == 0
    downgrade = flask(empty_database, "db", "downgrade", "base")
    assert downgrade.returncode == 0, downgrade.stderr
    assert table_names(empty_database) <= {"alembic_version"}
    assert flask(empty_database, "db", "upgrade").returncode == 0


def test_seed_db_after_upgrade(sqlite_url):
    assert flask(sqlite_url, "db", "upgrade").returncode == 0
    seeded = flask(sqlite_url, "seed-db")
    assert seeded.returncode == 0, seeded.stderr
    assert "Demo data ready" in seeded.stdout


def test_upgrade_keeps_the_rows_and_ids_are_never_reused(empty_database):
    assert flask(empty_database, "db", "upgrade", FIRST_REVISION).returncode == 0
    engine = create_engine(database_url(empty_database))
    try:
        tables = MetaData()
        tables.reflect(engine, only=["users", "posts"])
        users, posts = tables.tables["users"], tables.tables["posts"]
        now = datetime.now(UTC)
        user = {"email": "a@example.org", "password_hash": "x", "name": "A", "role": "user"}
        user |= {"created_at": now, "updated_at": now}
        with engine.begin() as connection:
            first = connection.execute(insert(users).values(user)).inserted_primary_key[0]
            post = {"title": "T", "body": "B", "author_id": first}
            connection.execute(insert(posts).values(post | {"created_at": now, "updated_at": now}))
        upgrade = flask(empty_database, "db", "upgrade")
        assert upgrade.returncode == 0, upgrade.stderr
        with engine.begin() as connection:
            # The rebuild of users must not take its posts with it (ON DELETE CASCADE).
            assert connection.scalar(select(func.count()).select_from(posts)) == 1
            connection.execute(delete(posts))
            connection.execute(delete(users))
            user["email"] = "b@example.org"
            second = connection.execute(insert(users).values(user)).inserted_primary_key[0]
        assert second > first, "the id of a deleted user was handed out again"
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres:secret@127.0.0.1:1/nothing",  # nobody listens on port 1
        "sqlite:////nonexistent-folder/app.sqlite",
    ],
    ids=["postgresql-refused", "sqlite-missing-folder"],
)
def test_upgrade_against_a_database_that_is_down_says_so_in_one_line(url):
    upgrade = flask(url, "db", "upgrade")
    assert upgrade.returncode == 1
    lines = upgrade.stderr.strip().splitlines()
    assert len(lines) == 1, upgrade.stderr
    assert lines[0].startswith("Error: Cannot connect to the database "), lines[0]
    assert "secret" not in upgrade.stderr, "the password is hidden"
