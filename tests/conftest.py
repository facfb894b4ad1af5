"""Fixtures for the reference app's tests: an app per test, on SQLite and (when set) PostgreSQL."""

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from reference_app import create_app, db
from tests.support import Api

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")

DATABASES = [
    pytest.param("sqlite://", id="sqlite"),
    pytest.param(
        POSTGRES_URL,
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set"),
        ],
    ),
]


@pytest.fixture(params=DATABASES)
def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    """A testing app with empty tables, once on SQLite and once on PostgreSQL."""
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": request.param})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


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
