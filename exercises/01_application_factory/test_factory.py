"""Grading for chapter 01: the application factory in factory.py."""

import pytest
from flask import Flask
from sqlalchemy import text

from workbook.apps import closing
from workbook.grading import seeded
from workbook.grading.api import LOGIN, POSTS, USERS, auth, publish, register
from workbook.grading.feedback import expect, expect_equal, expect_status


@pytest.mark.task(taskno=1)
def test_create_app_returns_a_configured_flask_app(reference):
    app = reference.factory.create_app("testing")
    expect(isinstance(app, Flask), f"create_app('testing') should return a Flask app, not {app!r}")
    expect_equal(app.config.get("TESTING"), True, "app.config['TESTING'] for the testing config")
    expect_equal(app.name, "reference_app", "the app's name (the first argument to Flask)")
    expect(
        app.static_folder is None,
        "create_app should give Flask static_folder=None: a JSON API serves no files, and "
        f"Flask would otherwise add a /static route (static_folder: {app.static_folder!r})",
    )


@pytest.mark.task(taskno=1)
def test_create_app_applies_overrides_last(reference):
    value = seeded.token_hex(8)
    app = reference.factory.create_app("testing", overrides={"SOMETHING": value, "TESTING": False})
    expect_equal(app.config.get("SOMETHING"), value, "a setting passed in overrides")
    expect_equal(app.config.get("TESTING"), False, "an override of a config setting")


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
        missing = expect_status(client.get(f"{USERS}{seeded.randbelow(10**6)}"), 401)
        expect(
            isinstance(missing, dict) and set(missing) == {"error", "message"},
            "a request without a token should get the app's JSON 401, from the JWT callbacks "
            f"that register_jwt_callbacks wires (and a mounted users blueprint); got {missing!r}",
        )
        unknown = client.get(f"/api/v1/nothing-{seeded.token_hex(3)}")
        nowhere = expect_status(unknown, 404)
        expect_equal(
            unknown.headers.get("X-Content-Type-Options"),
            "nosniff",
            "the X-Content-Type-Options header of every answer (register_headers)",
        )
        expect(
            isinstance(nowhere, dict) and set(nowhere) == {"error", "message"},
            "an unknown route should get the app's JSON 404 (register_error_handlers), "
            f"not {nowhere!r}",
        )
        with app.app_context():
            reference.db.create_all()
        user = register(client)
        expect_status(
            client.get(f"{USERS}me", headers=auth(client, user)), 200, "GET /me with a token"
        )


@pytest.mark.task(taskno=1)
def test_create_app_refuses_an_unknown_config(reference):
    with pytest.raises(ValueError, match="development"):
        reference.factory.create_app(f"staging-{seeded.token_hex(2)}")


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
def test_flask_db_commands_exist(runner):
    result = runner.invoke(args=["db", "--help"])
    expect_equal(result.exit_code, 0, "exit code of `flask db --help` (is migrate bound?)")


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
    huge = "9" * 30
    response = client.put(f"{USERS}{huge}", json={"name": "x"}, headers=auth(client, user))
    expect_status(response, 404, "an id too long for any row is not found")
