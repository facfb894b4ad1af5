"""A database that is down, read-only or drops connections: readable answers, no secrets logged."""

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, jsonify
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from reference_app import create_app, db
from reference_app.config import database_url
from reference_app.models import User
from tests.support import PASSWORD, POSTGRES_URL, assert_error
from workbook.apps import closing

STRONG = "s" * 32
REFUSED_POSTGRES = "postgresql+psycopg://postgres:secret@127.0.0.1:1/nothing"  # nobody listens
postgres_only = pytest.mark.skipif(not POSTGRES_URL, reason="TEST_DATABASE_URL is not set")


@pytest.fixture
def build(monkeypatch) -> Iterator:
    """Build apps by config name on a given database; close each one afterwards."""
    for name, value in {"SECRET_KEY": STRONG, "JWT_SECRET_KEY": STRONG}.items():
        monkeypatch.setenv(name, value)
    apps = []

    def build(config_name: str, url: str, **overrides) -> Flask:
        monkeypatch.setenv("DATABASE_URL", url)  # production reads it; the rest is overrides
        app = create_app(config_name, overrides={"SQLALCHEMY_DATABASE_URI": url, **overrides})
        apps.append(app)
        return app

    yield build
    for app in apps:
        with closing(app):
            pass


def sqlite_file(tmp_path: Path) -> Path:
    """A SQLite file with the app's tables in it."""
    path = tmp_path / "app.sqlite"
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with closing(app), app.app_context():
        db.create_all()
    return path


# --- a database that is missing or down: 503, one log line ------------------------------


@pytest.mark.parametrize(
    "url",
    [REFUSED_POSTGRES, "sqlite:////nonexistent-folder/app.sqlite"],
    ids=["postgresql-refused", "sqlite-missing-folder"],
)
def test_a_database_that_cannot_be_reached_is_a_json_503(build, caplog, url):
    app = build("production", url)
    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/api/v1/posts/")
    body = assert_error(response, 503)
    assert body["error"] == "Service Unavailable"
    assert response.headers["Retry-After"].isdigit()
    assert "secret" not in response.get_data(as_text=True)
    lines = [record for record in caplog.records if record.name == app.logger.name]
    assert len(lines) == 1, [record.getMessage() for record in lines]
    assert lines[0].getMessage().startswith("The database is unavailable: OperationalError: ")
    assert lines[0].exc_info is None, "one line, not a traceback"


# --- failed writes: the statement's parameters stay out of the log ----------------------


def write_failure_log(app: Flask, caplog) -> str:
    """Register a user on ``app``, whose database refuses the write; return all that was logged."""
    with caplog.at_level(logging.DEBUG):
        response = app.test_client().post(
            "/api/v1/users/",
            json={"email": "ann@example.org", "password": PASSWORD, "name": "Ann"},
        )
        assert response.status_code >= 500, response.get_data(as_text=True)
        assert response.mimetype == "application/json"
        # The same INSERT run by hand fails too: its exception, logged whole, is the test.
        with app.app_context():
            row = {"email": "bob@example.org", "name": "Bob", "password_hash": "h4sh-of-bob"}
            try:
                db.session.execute(insert(User), row)
                db.session.commit()
            except Exception:
                app.logger.exception("The insert failed")
            db.session.rollback()
    return caplog.text


@pytest.mark.parametrize("config_name", ["development", "production"])
def test_a_failed_write_logs_no_parameters(build, caplog, tmp_path, config_name):
    read_only = f"sqlite:///file:{sqlite_file(tmp_path)}?mode=ro&uri=true"
    log = write_failure_log(build(config_name, read_only), caplog)
    assert "readonly database" in log, "the write failed for the reason the test set up"
    for secret in ("ann@example.org", PASSWORD, "bob@example.org", "h4sh-of-bob", "scrypt:"):
        assert secret not in log
    assert "SQL parameters hidden" in log


@postgres_only
@pytest.mark.parametrize("config_name", ["development", "production"])
def test_a_write_that_postgresql_refuses_logs_no_parameters(build, caplog, config_name):
    app = build(config_name, POSTGRES_URL)
    refuse = (
        "CREATE FUNCTION refuse_writes() RETURNS trigger AS "
        "$$ BEGIN RAISE EXCEPTION 'writes refused'; END $$ LANGUAGE plpgsql"
    )
    with app.app_context():
        db.create_all()
        db.session.execute(text(refuse))
        db.session.execute(
            text("CREATE TRIGGER refuse BEFORE INSERT ON users EXECUTE FUNCTION refuse_writes()")
        )
        db.session.commit()
    try:
        log = write_failure_log(app, caplog)
    finally:
        with app.app_context():
            db.drop_all()
            db.session.execute(text("DROP FUNCTION refuse_writes()"))
            db.session.commit()
    assert "writes refused" in log and "Traceback" in log, "the 500 was logged whole"
    for secret in ("ann@example.org", PASSWORD, "bob@example.org", "h4sh-of-bob", "scrypt:"):
        assert secret not in log
    assert "SQL parameters hidden" in log


def test_the_log_would_show_them_without_hide_parameters(build, caplog, tmp_path):
    """The control: the same failure with SQLAlchemy's default logs the hash."""
    read_only = f"sqlite:///file:{sqlite_file(tmp_path)}?mode=ro&uri=true"
    app = build("development", read_only, SQLALCHEMY_ENGINE_OPTIONS={})
    assert "h4sh-of-bob" in write_failure_log(app, caplog)


# --- a connection the database drops ----------------------------------------------------


@postgres_only
def test_a_connection_dropped_during_a_request_still_answers_json(build, caplog):
    app = build("production", POSTGRES_URL)
    killer = create_engine(database_url(POSTGRES_URL))

    @app.get("/dropped")
    def dropped():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))  # opens a transaction
        with killer.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return jsonify(answered=True)

    try:
        with caplog.at_level(logging.WARNING):
            response = app.test_client().get("/dropped")
    finally:
        killer.dispose()
    assert response.status_code == 200
    assert response.json == {"answered": True}
    assert "could not be rolled back" in caplog.text


def test_a_failed_rollback_at_teardown_never_spoils_the_answer(app, caplog, monkeypatch):
    real_close = Session.close

    def close_fails_once(self):
        monkeypatch.setattr(Session, "close", real_close)
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))

    @app.get("/read")
    def read():
        db.session.scalar(text("SELECT 1"))
        monkeypatch.setattr(Session, "close", close_fails_once)  # the teardown's rollback
        return jsonify(answered=True)

    with caplog.at_level(logging.WARNING):
        response = app.test_client().get("/read")
    assert response.status_code == 200
    assert response.json == {"answered": True}
    assert "could not be rolled back" in caplog.text


@postgres_only
@pytest.mark.parametrize(("config_name", "status"), [("production", 200), ("testing", 503)])
def test_production_tests_a_pooled_connection_before_using_it(build, config_name, status):
    app = build(config_name, POSTGRES_URL)
    with app.app_context():
        db.create_all()
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.remove()  # the connection goes back to the pool
    killer = create_engine(database_url(POSTGRES_URL))
    try:
        with killer.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        killer.dispose()
    # Production's pre-ping finds the pooled connection dead and opens another.
    assert app.test_client().get("/api/v1/posts/").status_code == status
    with app.app_context():
        db.drop_all()
