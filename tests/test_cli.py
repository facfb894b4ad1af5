"""The CLI commands through Flask's CLI runner: seed-db and create-admin."""

import pytest
from sqlalchemy import func

from reference_app import create_app, db
from reference_app.cli import DEMO_POSTS, DEMO_USERS
from reference_app.models import Post, User
from tests.support import bearer, fresh_app
from workbook.apps import closing


def count_rows(app, model) -> int:
    """Return how many rows ``model``'s table holds."""
    with app.app_context():
        return db.session.scalar(db.select(func.count()).select_from(model))


def printed_password(output: str) -> str:
    """Return the password that seed-db printed for the users it created."""
    return output.rsplit("password: ", 1)[1].split()[0]


def test_seed_db_fills_the_database(app, runner, client):
    result = runner.invoke(args=["seed-db"])
    assert result.exit_code == 0, result.output
    assert count_rows(app, User) == len(DEMO_USERS)
    assert count_rows(app, Post) == len(DEMO_POSTS)
    for email, _name, _role in DEMO_USERS:
        assert email in result.output  # each one named as created
        credentials = {"email": email, "password": printed_password(result.output)}
        assert client.post("/api/v1/auth/login", json=credentials).status_code == 200


def test_seed_db_twice_leaves_the_same_data(app, runner, client):
    first = runner.invoke(args=["seed-db"])
    assert first.exit_code == 0
    second = runner.invoke(args=["seed-db"])
    assert second.exit_code == 0, second.output
    assert count_rows(app, User) == len(DEMO_USERS)
    assert count_rows(app, Post) == len(DEMO_POSTS)
    credentials = {"email": DEMO_USERS[1][0], "password": printed_password(first.output)}
    assert client.post("/api/v1/auth/login", json=credentials).status_code == 200


def test_seed_db_never_uses_a_fixed_password():
    passwords = set()
    for _ in range(2):
        with fresh_app("sqlite://") as fresh:
            result = fresh.test_cli_runner().invoke(args=["seed-db"])
        passwords.add(printed_password(result.output))
    assert len(passwords) == 2


def test_seed_db_refuses_production(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("JWT_SECRET_KEY", "j" * 32)
    app = create_app("production")
    with closing(app):
        with app.app_context():
            db.create_all()
        result = app.test_cli_runner().invoke(args=["seed-db"])
        assert result.exit_code != 0
        assert "production" in result.stderr
        assert count_rows(app, User) == 0


def test_seed_db_without_tables_says_to_migrate():
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with closing(app):
        result = app.test_cli_runner().invoke(args=["seed-db"])
    assert result.exit_code != 0
    assert "flask db upgrade" in result.stderr


def test_create_admin_non_interactive(app, runner, client):
    result = runner.invoke(
        args=["create-admin", "Root@Example.org", "--password", "long-enough", "--name", "Root"]
    )
    assert result.exit_code == 0, result.output
    login = client.post(
        "/api/v1/auth/login", json={"email": "root@example.org", "password": "long-enough"}
    )
    headers = bearer(login.json["access_token"])
    me = client.get("/api/v1/users/me", headers=headers).json
    assert (me["role"], me["name"], me["email"]) == ("admin", "Root", "root@example.org")


def test_create_admin_prompts_twice_for_a_hidden_password(app, runner):
    result = runner.invoke(args=["create-admin", "root@example.org"], input="long-enough\n" * 2)
    assert result.exit_code == 0, result.output
    assert "long-enough" not in result.output  # hidden input is not echoed
    assert "Password: " in result.output
    assert "Repeat for confirmation: " in result.output
    assert count_rows(app, User) == 1


def test_create_admin_refuses_mismatched_passwords(app, runner):
    result = runner.invoke(args=["create-admin", "root@example.org"], input="long-enough\nother\n")
    assert result.exit_code != 0
    assert count_rows(app, User) == 0


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["create-admin", "root@example.org", "--password", "short"], "password"),
        (["create-admin", "not-an-email", "--password", "long-enough"], "email"),
        (["create-admin", "root@example.org", "--password", "long-enough", "--name", ""], "name"),
    ],
    ids=["short-password", "bad-email", "empty-name"],
)
def test_create_admin_validates_like_the_api(app, runner, args, complaint):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert complaint in result.stderr
    # click's own exit, not an exception escaping the command (which the runner keeps
    # out of the output, so looking for "Traceback" there could never fail).
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert count_rows(app, User) == 0


def test_create_admin_with_a_taken_email_changes_nothing(app, runner, api):
    ann = api.register(email="ann@example.org")
    result = runner.invoke(args=["create-admin", "ANN@example.org", "--password", "long-enough"])
    assert result.exit_code != 0
    assert "already exists" in result.stderr
    assert count_rows(app, User) == 1
    with app.app_context():
        assert db.session.get(User, ann["id"]).role == "user"
