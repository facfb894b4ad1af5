"""Grading for chapter 08: the `flask seed-db` and `flask create-admin` commands in cli.py."""

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
import pytest
from click.testing import Result
from sqlalchemy import delete, func, select

from workbook.grading import seeded
from workbook.grading.api import register
from workbook.grading.feedback import expect, expect_equal


def invoke(runner, *args: str, input: str | None = None) -> Result:
    """Run ``flask ARGS``; a skeleton's NotImplementedError is raised, not kept in the result."""
    result = runner.invoke(args=list(args), input=input)
    if isinstance(result.exception, NotImplementedError):
        raise result.exception
    return result


def _report(result: Result, args: tuple[str, ...]) -> str:
    lines = [f"  flask {' '.join(args)}", f"  exit code: {result.exit_code}"]
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        shown = "\n".join(f"    {line}" for line in text.splitlines()) or "    (nothing)"
        lines.append(f"  {name}:\n{shown}")
    return "\n".join(lines)


def where_raised(error: BaseException) -> traceback.FrameSummary:
    """Return the last frame of ``error``'s traceback in cli.py, else its very last frame."""
    frames = traceback.extract_tb(error.__traceback__)
    mine = [frame for frame in frames if Path(frame.filename).name == "cli.py"]
    return (mine or frames)[-1]


def _crash(result: Result) -> str:
    """Describe the exception the command crashed with, if it did not exit by itself."""
    error = result.exception
    if error is None or isinstance(error, SystemExit):
        return ""
    where = where_raised(error)
    return (
        f"  it crashed with {type(error).__name__}: {error}\n"
        f"  (at {Path(where.filename).name}, line {where.lineno}: {where.line})\n"
    )


def expect_success(result: Result, *args: str) -> None:
    """Check that ``flask ARGS`` succeeded."""
    expect(
        result.exit_code == 0 and not _crash(result),
        f"the command should succeed\n{_crash(result)}{_report(result, args)}",
    )


def expect_refusal(result: Result, *args: str, why: str) -> None:
    """Check that ``flask ARGS`` refused, as a click error: a message on stderr, exit code != 0."""
    expect(
        not _crash(result),
        f"the command should refuse ({why}) with a click error, not crash\n"
        f"{_crash(result)}  raise click.ClickException(message) instead\n{_report(result, args)}",
    )
    expect(result.exit_code != 0, f"the command should fail ({why})\n{_report(result, args)}")
    expect(
        result.stderr.strip() != "",
        f"the command should say on stderr why it fails ({why})\n{_report(result, args)}",
    )


def count(app, reference, model) -> int:
    """Return how many rows ``model``'s table holds."""
    with app.app_context():
        return reference.db.session.scalar(select(func.count()).select_from(model))


def find_user(reference, email: str):
    """Return the user with ``email``, or None (inside an app context)."""
    user_model = reference.models.User
    return reference.db.session.scalar(select(user_model).where(user_model.email == email))


def printed_password(app, reference, output: str) -> str | None:
    """Return the word of ``output`` that is the first demo user's password, if any."""
    with app.app_context():
        user = find_user(reference, reference.cli.DEMO_USERS[0][0])
        if user is None:
            return None
        for word in output.split():
            for candidate in {word, word.strip(".,;:!'\"()[]`")}:
                if len(candidate) >= 8 and user.check_password(candidate):
                    return candidate
    return None


@contextmanager
def built_app(reference, config_name: str, **overrides) -> Iterator:
    """Yield an app of ``config_name`` with its tables created; dispose of it afterwards."""
    app = reference.create_app(config_name, overrides=overrides or None)
    with app.app_context():
        reference.db.create_all()
    yield app
    with app.app_context():
        reference.db.session.remove()
        reference.db.engine.dispose()


def random_password() -> str:
    """Return a valid password that differs on every call."""
    return f"pw-{seeded.token_urlsafe(9)}"


@pytest.mark.task(taskno=1)
def test_both_commands_are_attached(runner):
    for command in ("seed-db", "create-admin"):
        result = invoke(runner, command, "--help")
        expect(
            result.exit_code == 0,
            f"`flask {command}` should be one of the app's commands: is it added to app.cli?\n"
            f"{_report(result, (command, '--help'))}",
        )


@pytest.fixture
def schema_check(app, reference):
    """Add `flask check-schema` to the app: a command that only calls _require_schema."""

    @app.cli.command("check-schema")
    def check_schema():
        reference.cli._require_schema()
        click.echo("The tables are there.")

    return "check-schema"


@pytest.fixture
def empty_app(app, reference):
    """The app, with every table dropped: what a new database looks like before migrations."""
    with app.app_context():
        reference.db.drop_all()
    return app


@pytest.mark.task(taskno=2)
def test_a_database_with_tables_passes_the_check(runner, schema_check):
    expect_success(invoke(runner, schema_check), schema_check)


@pytest.mark.task(taskno=2)
def test_a_database_without_tables_is_refused(empty_app, runner, schema_check):
    result = invoke(runner, schema_check)
    why = f"no tables; `flask {schema_check}` is the grader's command calling _require_schema"
    expect_refusal(result, schema_check, why=why)
    expect(
        "flask db upgrade" in result.stderr,
        "the error should tell the user to run `flask db upgrade`\n"
        f"{_report(result, (schema_check,))}",
    )


@pytest.mark.task(taskno=3)
def test_create_admin_with_options_creates_an_admin(app, reference, runner):
    tag = seeded.token_hex(4)
    email, name, password = f"Admin-{tag}@Example.org", f"Admin {tag}", random_password()
    args = ("create-admin", email, "--password", password, "--name", name)
    expect_success(invoke(runner, *args), *args)
    with app.app_context():
        admin = find_user(reference, email.lower())
        expect(
            admin is not None, f"no user with the email {email.lower()!r} after `flask {args[0]}`"
        )
        expect_equal(admin.role, "admin", "the new user's role")
        expect_equal(admin.name, name, "the new admin's name (given with --name)")
        expect(admin.check_password(password), "the admin's password is not the one given")


@pytest.mark.task(taskno=3)
def test_create_admin_asks_twice_for_a_hidden_password(app, reference, runner):
    email, password = f"admin-{seeded.token_hex(4)}@example.org", random_password()
    mismatch = invoke(runner, "create-admin", email, input=f"{password}\n{random_password()}\n")
    expect(mismatch.exit_code != 0, "two different passwords at the prompts should be refused")
    result = invoke(runner, "create-admin", email, input=f"{password}\n{password}\n")
    expect_success(result, "create-admin", email)
    expect(password not in result.output, "the password typed at the prompt should be hidden")
    with app.app_context():
        admin = find_user(reference, email)
        expect(admin is not None, f"no user with the email {email!r} after `flask create-admin`")
        expect(admin.check_password(password), "the admin's password is not the one typed")


@pytest.mark.task(taskno=3)
def test_create_admin_validates_like_the_api(app, reference, runner):
    valid = {
        "email": f"admin-{seeded.token_hex(4)}@example.org",
        "password": random_password(),
        "name": "Admin",
    }
    wrong = {"email": f"not-an-email-{seeded.token_hex(2)}", "password": "short", "name": ""}
    for field, bad_value in wrong.items():
        values = valid | {field: bad_value}
        args = ("create-admin", values["email"], "--password", values["password"])
        args += ("--name", values["name"])
        result = invoke(runner, *args)
        expect_refusal(result, *args, why=f"the {field} is not valid")
        expect(
            field in result.stderr.lower(),
            f"the error should say that the {field} is wrong\n{_report(result, args)}",
        )
        users = count(app, reference, reference.models.User)
        expect_equal(users, 0, f"users after a refusal for the {field}")


@pytest.mark.task(taskno=3)
def test_create_admin_refuses_a_taken_email(app, reference, client, runner):
    user = register(client)
    args = ("create-admin", user["email"].upper(), "--password", random_password())
    expect_refusal(invoke(runner, *args), *args, why="the email belongs to a user already")
    expect_equal(count(app, reference, reference.models.User), 1, "users after a refusal")
    with app.app_context():
        expect_equal(find_user(reference, user["email"]).role, "user", "the existing user's role")


def demo_users(reference) -> dict[str, tuple[str, str]]:
    """The demo users' names and roles by email."""
    return {email: (name, role) for email, name, role in reference.cli.DEMO_USERS}


@pytest.mark.task(taskno=4)
def test_demo_users_are_created_once(app, reference):
    first, second = random_password(), random_password()
    with app.app_context():
        users = reference.cli._create_missing_demo_users(first)
        reference.db.session.commit()
        expect_equal(set(users), set(demo_users(reference)), "the emails of the users returned")
        again = reference.cli._create_missing_demo_users(second)
        reference.db.session.commit()
        expect_equal(set(again), set(demo_users(reference)), "the emails returned the second time")
        for email, (name, role) in demo_users(reference).items():
            user = find_user(reference, email)
            expect(user is not None, f"the demo user {email} is not in the database")
            expect_equal((user.name, user.role), (name, role), f"the name and role of {email}")
            expect(user.check_password(first), f"a second run changed the password of {email}")
    users_count = count(app, reference, reference.models.User)
    expect_equal(users_count, len(demo_users(reference)), "users after two runs")


@pytest.mark.task(taskno=4)
def test_demo_posts_are_created_once(app, reference):
    for _ in range(2):
        with app.app_context():
            users = reference.cli._create_missing_demo_users(random_password())
            reference.cli._create_missing_demo_posts(users)
            reference.db.session.commit()
    post_model = reference.models.Post
    with app.app_context():
        posts = reference.db.session.scalars(select(post_model)).all()
        written = sorted((post.author.email, post.title, post.body) for post in posts)
    expect_equal(written, sorted(reference.cli.DEMO_POSTS), "(author, title, body) after two runs")


def expect_demo_rows(app, reference, when: str) -> None:
    """Check that the database holds each demo user and post once."""
    users, posts = reference.models.User, reference.models.Post
    expect_equal(count(app, reference, users), len(reference.cli.DEMO_USERS), f"users {when}")
    expect_equal(count(app, reference, posts), len(reference.cli.DEMO_POSTS), f"posts {when}")


@pytest.mark.task(taskno=5)
def test_seed_db_fills_the_database_once(app, reference, runner):
    first = invoke(runner, "seed-db")
    expect_success(first, "seed-db")
    expect_demo_rows(app, reference, "after seed-db")
    expect(
        printed_password(app, reference, first.output) is not None,
        "seed-db should print the password of the demo users it created\n"
        f"{_report(first, ('seed-db',))}",
    )
    second = invoke(runner, "seed-db")
    expect_success(second, "seed-db")
    expect_demo_rows(app, reference, "after running seed-db twice")
    expect(
        printed_password(app, reference, first.output) is not None,
        "a second seed-db changed the password of the demo users that existed already",
    )


@pytest.mark.task(taskno=5)
def test_seed_db_picks_a_new_random_password(app, reference, runner):
    passwords = set()
    for _ in range(2):
        result = invoke(runner, "seed-db")
        expect_success(result, "seed-db")
        passwords.add(printed_password(app, reference, result.output))
        with app.app_context():  # start again from an empty database
            reference.db.session.execute(delete(reference.models.User))
            reference.db.session.commit()
    expect(None not in passwords, "seed-db should print the password of the users it created")
    expect(len(passwords) == 2, "two seeded databases got the same password: pick a random one")


@pytest.mark.task(taskno=5)
def test_seed_db_refuses_the_production_config(reference, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("SECRET_KEY", seeded.token_urlsafe(32))
    monkeypatch.setenv("JWT_SECRET_KEY", seeded.token_urlsafe(32))
    with built_app(reference, "production") as production:
        result = invoke(production.test_cli_runner(), "seed-db")
        expect_refusal(result, "seed-db", why="the app runs with the production config")
        users_count = count(production, reference, reference.models.User)
    expect_equal(users_count, 0, "users after seed-db refused to run")


@pytest.mark.task(taskno=5)
def test_seed_db_needs_the_tables(empty_app, runner):
    result = invoke(runner, "seed-db")
    expect_refusal(result, "seed-db", why="the database has no tables")
    expect(
        "flask db upgrade" in result.stderr,
        "seed-db should stop with the error of _require_schema (task 2), which says to run"
        f" `flask db upgrade`\n{_report(result, ('seed-db',))}",
    )
