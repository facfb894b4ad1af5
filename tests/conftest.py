"""Fixtures for the reference app's tests: an app per test, on SQLite and (when set) PostgreSQL."""

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.support import DATABASES, POSTGRES_URL, RUN_SCHEMA, Api, fresh_app
from workbook.databases import postgres_schema


@pytest.fixture(scope="session", autouse=True)
def run_schema() -> Iterator[None]:
    """This run's own PostgreSQL schema, when there is a test database (see support.py)."""
    if not POSTGRES_URL:
        yield
        return
    with postgres_schema(RUN_SCHEMA):
        yield


@pytest.fixture(params=DATABASES)
def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A testing app with empty tables, once on SQLite and once on PostgreSQL."""
    with fresh_app(request.param) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A runner for the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def api(client: FlaskClient) -> Api:
    """Shortcuts to register users, log in and post."""
    return Api(client)
