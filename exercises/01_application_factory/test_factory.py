"""Grading for chapter 01: the application factory in factory.py."""

import importlib.util
import logging.config
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import inspect, text

from workbook.apps import closing
from workbook.grading import seeded
from workbook.grading.api import LOGIN, POSTS, USERS, auth, publish, register
from workbook.grading.feedback import (
    Feedback,
    expect,
    expect_equal,
    expect_error,
    expect_status,
)

# A database server the grader never reaches: enough to build an engine, which connects lazily.
UNREACHABLE_POSTGRESQL = "postgresql+psycopg://grader@127.0.0.1:9/nothing"
# Digits of another script: Python's int() reads "٤٢" as 42; the "id" converter refuses them.
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def sqlite_file(tmp_path: Path, name: str) -> str:
    """The URL of a SQLite file of its own, which opens a new connection each time it is asked."""
    return f"sqlite:///{tmp_path / name}"


@pytest.mark.task(taskno=1)
def test_create_app_returns_a_configured_flask_app(reference):
    app = reference.factory.create_app("testing")
    expect(isinstance(app, Flask), f"create_app('testing') should return a Flask app, not {app!r}")
    expect_equal(app.config.get("TESTING"), True, "app.config['TESTING'] for the testing config")
    expect_equal(app.name, "reference_app", "the app's name (the first argument to Flask)")
    static = [rule.rule for rule in app.url_map.iter_rules() if rule.endpoint == "static"]
    expect(
        app.static_folder is None and not static,
        "create_app should give Flask static_folder=None: a JSON API serves no files, and "
        f"Flask otherwise adds a route for them when it builds the app (routes: {static})",
    )


@pytest.mark.task(taskno=1)
def test_the_config_is_relative_to_the_instance_folder(reference):
    app = reference.factory.create_app("testing")
    expect_equal(
        Path(app.config.root_path),
        Path(app.instance_path),
        "the folder that app.config reads relative files from (app.config.root_path): "
        "the instance folder, with Flask(..., instance_relative_config=True)",
    )


@pytest.mark.task(taskno=1)
def test_create_app_applies_overrides_last(reference):
    value = seeded.token_hex(8)
    app = reference.factory.create_app("testing", overrides={"SOMETHING": value, "TESTING": False})
    expect_equal(app.config.get("SOMETHING"), value, "a setting passed in overrides")
    expect_equal(app.config.get("TESTING"), False, "an override of a config setting")


@pytest.mark.task(taskno=1)
def test_overrides_are_in_place_before_the_extensions_bind(reference, tmp_path):
    url = sqlite_file(tmp_path, f"override-{seeded.token_hex(3)}.sqlite")
    app = reference.factory.create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
    expect("sqlalchemy" in app.extensions, "db is not bound: call register_extensions(app)")
    with closing(app), app.app_context():
        engine_url = reference.db.engine.url.render_as_string()
    expect_equal(
        engine_url,
        url,
        "the database db is bound to, when overrides name one (SQLALCHEMY_DATABASE_URI)\n"
        "  Likely cause: the overrides are applied after register_extensions(app) binds db",
    )


@pytest.mark.task(taskno=1)
def test_the_config_is_read_from_the_environment(reference, tmp_path, monkeypatch):
    url = sqlite_file(tmp_path, f"environment-{seeded.token_hex(3)}.sqlite")
    monkeypatch.setenv("TEST_DATABASE_URL", url)
    app = reference.factory.create_app("testing")
    with closing(app):
        expect_equal(
            app.config.get("SQLALCHEMY_DATABASE_URI"),
            url,
            "the testing database with TEST_DATABASE_URL set in the environment\n"
            "  (pass the environment to load_config: load_config(config_name, environ))",
        )


@pytest.mark.task(taskno=1)
def test_the_app_create_app_returns_is_wired_by_every_step(reference):
    """Every register_* step has done its part, wherever create_app calls it from."""
    app = reference.factory.create_app(
        "testing", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    with closing(app):
        for name in ("sqlalchemy", "migrate", "flask-jwt-extended"):
            expect(name in app.extensions, f"no {name!r} in app.extensions: register_extensions")
        for command in ("seed-db", "create-admin", "db"):
            expect(command in app.cli.commands, f"no `flask {command}`: register_commands")
        ends = [getattr(f, "__name__", "") for f in app.teardown_appcontext_funcs]
        expect(
            "end_session" in ends,
            "no end_session at the end of a request: register_session_teardown",
        )
        client = app.test_client()
        expect_error(
            client.get(f"{USERS}{seeded.randbelow(10**6)}"),
            401,
            "no token: the JWT callbacks that register_jwt_callbacks() wires answer it, "
            "on a route of the users blueprint that register_blueprints(app) mounts",
        )
        unknown = client.get(f"/api/v1/nothing-{seeded.token_hex(3)}")
        expect_equal(
            unknown.headers.get("X-Content-Type-Options"),
            "nosniff",
            "the X-Content-Type-Options header of every answer (register_headers)",
        )
        expect_error(
            unknown,
            404,
            "an unknown route: register_error_handlers(app) makes every error JSON",
        )
        with app.app_context():
            reference.db.create_all()
        user = register(client)
        expect_status(
            client.get(f"{USERS}me", headers=auth(client, user)), 200, "GET /me with a token"
        )


@pytest.mark.task(taskno=1)
def test_create_app_refuses_an_unknown_config(reference):
    name = f"staging-{seeded.token_hex(2)}"
    try:
        app = reference.factory.create_app(name)
    except ValueError as error:
        expect(
            "development" in str(error),
            f"the ValueError for config {name!r} should list the valid names; it says: {error}",
        )
        return
    raise Feedback(
        f"create_app({name!r}) should raise ValueError (load_config raises it: let it "
        f"through); it returned {app!r}"
    )


@pytest.mark.task(taskno=1)
def test_each_call_builds_a_new_app(reference):
    first = reference.factory.create_app("testing")
    second = reference.factory.create_app("testing", overrides={"MARK": 1})
    expect(first is not second, "two calls to create_app should return two apps")
    expect("MARK" not in first.config, "overrides of one app leaked into another")


@pytest.mark.task(taskno=2)
def test_extensions_are_bound(app):
    for name in ("sqlalchemy", "migrate", "flask-jwt-extended"):
        expect(name in app.extensions, f"app.extensions should hold {name!r} after create_app")


@pytest.mark.task(taskno=2)
def test_database_and_tokens_work(client):
    user = register(client)
    me = expect_status(client.get(f"{USERS}me", headers=auth(client, user)), 200)
    expect_equal(me["email"], user["email"], "the email of GET /api/v1/users/me")


@pytest.mark.task(taskno=2)
def test_flask_db_upgrade_builds_the_schema(reference, tmp_path, monkeypatch):
    # The migrations' env.py would apply alembic.ini's logging settings to the whole
    # grading run, switching off the loggers of the apps that later tests build.
    monkeypatch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)
    url = sqlite_file(tmp_path, "migrated.sqlite")
    app = reference.factory.create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
    with closing(app):
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        expect(
            result.exit_code == 0,
            f"`flask db upgrade` failed (exit code {result.exit_code}): "
            f"{result.exception!r}\n{result.output}"
            "  Flask-Migrate runs the migrations on the database that migrate was given:"
            " migrate.init_app(app, db)",
        )
        with app.app_context():
            tables = set(inspect(reference.db.engine).get_table_names())
    expect(
        {"users", "posts"} <= tables,
        f"`flask db upgrade` left the tables {sorted(tables)}; the migrations create users, posts",
    )


@pytest.mark.task(taskno=2)
def test_every_new_sqlite_connection_enforces_foreign_keys(reference, tmp_path):
    """Two connections open at once: the pool opens a new one for the second."""
    url = sqlite_file(tmp_path, "connections.sqlite")
    app = reference.factory.create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": url})
    with (
        closing(app),
        app.app_context(),
        reference.db.engine.connect() as first,
        reference.db.engine.connect() as second,
    ):
        enabled = [c.execute(text("PRAGMA foreign_keys")).scalar() for c in (first, second)]
    expect(
        enabled[0] == 1,
        "PRAGMA foreign_keys is off on a new SQLite connection: register_extensions should "
        'listen for "connect" on db.engine with _enable_sqlite_foreign_keys',
    )
    expect(
        enabled[1] == 1,
        "PRAGMA foreign_keys is on for the first SQLite connection only, off on the second: "
        'listen for "connect" (each new connection), not "first_connect"',
    )


class RecordingConnection:
    """A stand-in for a database driver's connection: it records the SQL sent to it."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def cursor(self) -> "RecordingConnection":
        return self

    def execute(self, statement: str, *args: object) -> "RecordingConnection":
        self.sent.append(statement)
        return self

    def close(self) -> None:
        """Nothing to close."""


@pytest.mark.task(taskno=2)
def test_other_databases_get_no_sqlite_pragma(reference):
    expect(
        importlib.util.find_spec("psycopg") is not None,
        "this check builds an app for PostgreSQL, whose driver (psycopg) the workbook installs;"
        " it is missing here: reinstall the workbook's packages,"
        ' `.venv/bin/pip install -c requirements/constraints.txt -e ".[dev]"`',
    )
    app = reference.factory.create_app(
        "testing", overrides={"SQLALCHEMY_DATABASE_URI": UNREACHABLE_POSTGRESQL}
    )
    with closing(app), app.app_context():
        listeners = list(reference.db.engine.pool.dispatch.connect)
    connection = RecordingConnection()
    for listener in listeners:
        if not listener.__module__.startswith("sqlalchemy"):  # the app's, not the dialect's
            listener(connection, None)
    expect(
        not connection.sent,
        f"a new PostgreSQL connection would be sent {connection.sent}: only SQLite needs (and "
        'knows) that PRAGMA; listen only when db.engine.dialect.name == "sqlite"',
    )


@pytest.mark.task(taskno=3)
@pytest.mark.sqlite_only
def test_sqlite_connections_enforce_foreign_keys(app, reference):
    with app.app_context(), reference.db.engine.connect() as connection:
        enabled = connection.execute(text("PRAGMA foreign_keys")).scalar()
    expect_equal(enabled, 1, "PRAGMA foreign_keys on a new SQLite connection")


@pytest.mark.task(taskno=3)
@pytest.mark.sqlite_only  # PostgreSQL enforces foreign keys without being asked
def test_deleting_a_user_deletes_their_posts(client):
    user = register(client)
    post = publish(client, user)
    expect_status(client.delete(f"{USERS}{user['id']}", headers=auth(client, user)), 204)
    expect_status(client.get(f"{POSTS}{post['id']}"), 404, "the author's post should be gone")


@pytest.mark.task(taskno=4)
def test_each_blueprint_is_mounted_at_its_prefix(client):
    user = register(client)  # POST /api/v1/users/
    credentials = {"email": user["email"], "password": user["password"]}
    expect_status(client.post(LOGIN, json=credentials), 200)
    expect_status(client.get(POSTS), 200)


@pytest.mark.task(taskno=4)
def test_ids_use_the_id_converter(client):
    user = register(client)
    headers = auth(client, user)
    for huge in ("9" * 30, "9" * 5000):
        response = client.put(f"{USERS}{huge}", json={"name": "x"}, headers=headers)
        expect_error(response, 404, f"an id of {len(huge)} digits is no row's")
    other_digits = str(user["id"]).translate(ARABIC_INDIC)
    expect_error(
        client.get(f"{USERS}{other_digits}", headers=headers),
        404,
        f"{other_digits!r} is no id: the app's IdConverter takes ASCII digits only"
        ' (app.url_map.converters["id"] = IdConverter)',
    )
