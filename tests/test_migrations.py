"""The committed migrations build the schema on SQLite and PostgreSQL, run as a user would."""

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect

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
