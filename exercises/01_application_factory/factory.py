# Chapter 01 exercise: fill in each TODO, then grade your work with
#     pytest exercises/01_application_factory
# This file stands in for reference_app/factory.py inside the complete app.

"""The application factory: ``create_app`` builds and wires one app, a step per concern."""

from collections.abc import Mapping
from os import environ
from typing import Any

from flask import Flask
from sqlalchemy import event

from reference_app import auth, posts, users
from reference_app.auth.tokens import register_jwt_callbacks
from reference_app.cli import register_commands
from reference_app.config import load_config
from reference_app.converters import IdConverter
from reference_app.errors import register_error_handlers
from reference_app.extensions import db, jwt, migrate
from reference_app.headers import register_headers
from reference_app.sessions import register_session_teardown


def create_app(
    config_name: str = "development", overrides: Mapping[str, Any] | None = None
) -> Flask:
    """Build the app for ``config_name`` ("development", "testing" or "production").

    ``overrides`` replace settings after the config is loaded: tests and tools use it
    to point an app at a database of their own.
    """
    # TODO(task 1): Create the Flask app, load the named config with
    #   load_config(config_name, environ), apply the overrides, call every register_*
    #   step, and return the app.
    raise NotImplementedError(
        "task 1 not started: implement create_app in exercises/01_application_factory/factory.py"
    )


def register_extensions(app: Flask) -> None:
    """Bind the extension objects to this app."""
    # TODO(task 2): Bind db, migrate and jwt to the app; on SQLite, make every new
    #   connection call _enable_sqlite_foreign_keys.
    raise NotImplementedError(
        "task 2 not started: implement register_extensions"
        " in exercises/01_application_factory/factory.py"
    )


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """Switch on foreign-key checks (and ON DELETE CASCADE) for one new SQLite connection."""
    # TODO(task 3): Run PRAGMA foreign_keys = ON on the new connection, through a cursor.
    raise NotImplementedError(
        "task 3 not started: implement _enable_sqlite_foreign_keys"
        " in exercises/01_application_factory/factory.py"
    )


def register_blueprints(app: Flask) -> None:
    """Mount each resource under the versioned API prefix."""
    # TODO(task 4): Register the "id" URL converter, then mount the users, auth and posts
    #   blueprints under /api/v1/users, /api/v1/auth and /api/v1/posts.
    raise NotImplementedError(
        "task 4 not started: implement register_blueprints"
        " in exercises/01_application_factory/factory.py"
    )
