"""The test PostgreSQL database, when ``TEST_DATABASE_URL`` names one: schemas of our own in it.

The project's tests and the grader both run on SQLite, and again on PostgreSQL when
that variable is set. Each run works in schemas of its own, dropped at the end, so
that two runs on one database (two checkouts, or a maintainer beside CI) never drop
each other's tables.
"""

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")


def on_sqlite_alone(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without ``TEST_DATABASE_URL``: a grading run in it stays on SQLite."""
    return {name: value for name, value in environ.items() if name != "TEST_DATABASE_URL"}


def with_driver(url: str) -> str:
    """Return a PostgreSQL ``url`` that names the psycopg 3 driver SQLAlchemy should use."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def schema_name(purpose: str) -> str:
    """A schema name no other run uses: the purpose, this process and a random tag."""
    return f"{purpose}_{os.getpid()}_{secrets.token_hex(4)}"


def in_schema(url: str, schema: str) -> str:
    """Return the PostgreSQL ``url`` with every connection's search_path set to ``schema``."""
    with_options = make_url(with_driver(url)).update_query_dict(
        {"options": f"-csearch_path={schema}"}
    )
    return with_options.render_as_string(hide_password=False)


@contextmanager
def postgres_schema(schema: str) -> Iterator[str]:
    """Create ``schema`` in the test database, yield a URL into it, then drop it and all in it."""
    engine = create_engine(with_driver(SERVER_URL))
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield in_schema(SERVER_URL, schema)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        engine.dispose()
