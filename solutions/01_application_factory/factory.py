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
    # The package's name, not this module's: Flask finds the instance folder from it.
    # No static folder: a JSON API serves no files, so no /static/<path> route either.
    app = Flask("reference_app", instance_relative_config=True, static_folder=None)
    app.config.from_mapping(load_config(config_name, environ))
    if overrides:
        app.config.from_mapping(overrides)
    register_extensions(app)
    register_session_teardown(app)
    register_jwt_callbacks()
    register_blueprints(app)
    register_error_handlers(app)
    register_commands(app)
    register_headers(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extension objects to this app."""
    db.init_app(app)
    migrate.init_app(app, db)
    jwt.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # SQLite ignores foreign keys, ON DELETE CASCADE included, unless asked per connection.
            event.listen(db.engine, "connect", _enable_sqlite_foreign_keys)


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """Switch on foreign-key checks (and ON DELETE CASCADE) for one new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def register_blueprints(app: Flask) -> None:
    """Mount each resource under the versioned API prefix."""
    app.url_map.converters["id"] = IdConverter
    app.register_blueprint(users.bp, url_prefix="/api/v1/users")
    app.register_blueprint(auth.bp, url_prefix="/api/v1/auth")
    app.register_blueprint(posts.bp, url_prefix="/api/v1/posts")
