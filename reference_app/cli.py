"""Command-line tools: ``flask --app reference_app seed-db`` and ``create-admin``.

Errors go to stderr with a non-zero exit (``click.ClickException``), never a traceback.
The commands are plain click commands, defined without an app (there is no global
``app`` for the rules' ``@app.cli.command``); ``with_appcontext`` gives each one the
app that ``flask --app`` built, and ``register_commands`` attaches them in the factory.
"""

import secrets

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError
from sqlalchemy import inspect

from reference_app.extensions import db
from reference_app.models import Post, User
from reference_app.schemas import UserCreateSchema

DEMO_USERS = [
    ("admin@example.com", "Ada Admin", "admin"),
    ("ann@example.com", "Ann Author", "user"),
    ("bob@example.com", "Bob Reader", "user"),
]
DEMO_POSTS = [
    ("ann@example.com", "Hello, Flask", "An application factory builds the app on demand."),
    ("ann@example.com", "Blueprints", "A blueprint groups the routes of one resource."),
    ("admin@example.com", "House rules", "Be kind; admins may edit any post."),
]


def _require_schema() -> None:
    """Stop the command with an error saying to run the migrations if the tables are missing."""
    if not inspect(db.engine).has_table(User.__tablename__):
        raise click.ClickException("The database has no tables; run 'flask db upgrade' first.")


def _create_missing_demo_users(password: str) -> dict[str, User]:
    """Return the demo users by email, creating those that do not exist with ``password``."""
    users = {}
    # No autoflush: each query would otherwise write the users added before it, and a
    # new user would no longer be told apart by its id of None.
    with db.session.no_autoflush:
        for email, name, role in DEMO_USERS:
            user = db.session.scalar(db.select(User).where(User.email == email))
            if user is None:
                user = User(email=email, name=name, role=role)
                user.set_password(password)
                db.session.add(user)
            users[email] = user
    return users


def _create_missing_demo_posts(users: dict[str, User]) -> None:
    """Add each demo post that its author, one of ``users`` by email, does not have yet."""
    for email, title, body in DEMO_POSTS:
        author = users[email]
        exists = db.select(Post.id).where(Post.author == author, Post.title == title)
        if author.id is None or db.session.scalar(exists) is None:
            db.session.add(Post(author=author, title=title, body=body))


@click.command("seed-db")
@with_appcontext
def seed_db() -> None:
    """Fill a development database with demo users and posts; safe to run twice."""
    if current_app.config["CONFIG_NAME"] == "production":
        raise click.ClickException("seed-db refuses to run with the production config.")
    _require_schema()
    # A fresh random password, never a fixed one: should this run against a real
    # database by mistake, it creates no account that anybody can guess into.
    password = secrets.token_urlsafe(12)
    users = _create_missing_demo_users(password)
    created = [email for email, user in users.items() if user.id is None]
    _create_missing_demo_posts(users)
    db.session.commit()
    click.echo(f"Demo data ready: {len(DEMO_USERS)} users, {len(DEMO_POSTS)} posts.")
    if created:
        click.echo(f"Created {', '.join(created)} with the password: {password}")
    else:
        click.echo("The demo users existed already; their passwords are unchanged.")


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True, help="The admin's name.")
@click.password_option(help="The admin's password (prompted twice, hidden, when omitted).")
@with_appcontext
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin user with EMAIL, by the API's rules for a registration."""
    _require_schema()
    try:
        data = UserCreateSchema().load({"email": email, "name": name, "password": password})
    except ValidationError as error:
        messages = error.normalized_messages().items()
        problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in messages)
        raise click.ClickException(problems) from None
    if db.session.scalar(db.select(User.id).where(User.email == data["email"])) is not None:
        raise click.ClickException(f"A user with the email {data['email']} already exists.")
    admin = User(email=data["email"], name=data["name"], role="admin")
    admin.set_password(data["password"])
    db.session.add(admin)
    db.session.commit()
    click.echo(f"Created admin {admin.email} (id {admin.id}).")


def register_commands(app: Flask) -> None:
    """Add the app's commands to ``flask --app reference_app``."""
    app.cli.add_command(seed_db)
    app.cli.add_command(create_admin)
