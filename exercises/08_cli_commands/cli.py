# Chapter 08 exercise: fill in each TODO, then grade your work with
#     pytest exercises/08_cli_commands
# This file stands in for reference_app/cli.py inside the complete app.

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
    # TODO(task 2): If the database has no users table, stop the command with a click
    #   error that tells the user to run `flask db upgrade` first; otherwise do nothing.
    raise NotImplementedError(
        "task 2 not started: implement _require_schema in exercises/08_cli_commands/cli.py"
    )


def _create_missing_demo_users(password: str) -> dict[str, User]:
    """Return the demo users by email, creating those that do not exist with ``password``."""
    # TODO(task 4): Create only what is missing, so that running twice adds nothing: look
    #   each demo row up first and add it when it is not there. Leave the commit to the
    #   caller.
    raise NotImplementedError(
        "task 4 not started: implement _create_missing_demo_users"
        " in exercises/08_cli_commands/cli.py"
    )


def _create_missing_demo_posts(users: dict[str, User]) -> None:
    """Add each demo post that its author, one of ``users`` by email, does not have yet."""
    # TODO(task 4): as the TODO at _create_missing_demo_users says.
    raise NotImplementedError(
        "task 4 not started: implement _create_missing_demo_posts"
        " in exercises/08_cli_commands/cli.py"
    )


@click.command("seed-db")
@with_appcontext
def seed_db() -> None:
    """Fill a development database with demo users and posts; safe to run twice."""
    # TODO(task 5): Refuse the production config, check the schema, pick a new random
    #   password, create the missing demo users and posts, commit, and say what was done,
    #   printing the password when users were created.
    raise NotImplementedError(
        "task 5 not started: implement seed_db in exercises/08_cli_commands/cli.py"
    )


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True, help="The admin's name.")
@click.password_option(help="The admin's password (prompted twice, hidden, when omitted).")
@with_appcontext
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin user with EMAIL, by the API's rules for a registration."""
    # TODO(task 3): Check the schema, validate the email, name and password with
    #   UserCreateSchema, refuse an email that is taken, then add the admin and commit.
    #   Every refusal is a click error (a message on stderr, a non-zero exit), never a
    #   traceback.
    raise NotImplementedError(
        "task 3 not started: implement create_admin in exercises/08_cli_commands/cli.py"
    )


def register_commands(app: Flask) -> None:
    """Add the app's commands to ``flask --app reference_app``."""
    # TODO(task 1): Add the seed_db and create_admin commands to the app's command group,
    #   app.cli.
    raise NotImplementedError(
        "task 1 not started: implement register_commands in exercises/08_cli_commands/cli.py"
    )
