# Chapter 07 exercise: fill in each TODO, then grade your work with
#     pytest exercises/07_configuration
# This file stands in for reference_app/config.py inside the complete app.

"""Configuration classes, one per environment, read from the environment when the app is built.

Environment variables:

- ``DATABASE_URL``: SQLAlchemy URL (development: optional, default a SQLite file in
  the instance folder; production: required).
- ``SECRET_KEY``: Flask's signing key (production: required, at least 32 bytes).
- ``JWT_SECRET_KEY``: the key that signs tokens (production: required, at least 32 bytes).
- ``TEST_DATABASE_URL``: the testing config's database (default: in-memory SQLite).
- ``TRUSTED_HOSTS``: production, optional: the host names the API answers to,
  comma-separated (``api.example.org,.example.org``); any other ``Host`` is a 400.

Nothing here reads the environment at import time: the rules' ``os.environ["DATABASE_URL"]``
in a class body makes ``import reference_app`` fail on any machine without it.
"""

from collections.abc import Mapping
from datetime import timedelta
from typing import Any, ClassVar

MIN_SECRET_BYTES = 32
REQUIRED_IN_PRODUCTION = ("DATABASE_URL", "SECRET_KEY", "JWT_SECRET_KEY")


def database_url(url: str) -> str:
    """Return ``url`` with PostgreSQL URLs pointed at the psycopg 3 driver.

    Hosting platforms hand out ``postgres://``, which SQLAlchemy 2 rejects
    ("Can't load plugin: sqlalchemy.dialects:postgres"). ``postgresql://`` means
    psycopg 3 from SQLAlchemy 2.1 on, but psycopg2, which the workbook does not
    install, on the SQLAlchemy 2.0 that the project's requirements also allow.
    """
    # TODO(task 1): Rewrite a URL that starts with postgres:// or postgresql:// to start
    #   with postgresql+psycopg://; return any other URL as it is.
    raise NotImplementedError(
        "task 1 not started: implement database_url in exercises/07_configuration/config.py"
    )


def host_names(setting: str) -> list[str]:
    """Return the host names in a comma-separated ``setting``, blanks dropped.

    Flask 3.1 refuses any other ``Host`` header (400), so a forged one cannot steer the
    URLs the app builds from it, such as the redirect that adds a trailing slash.
    """
    return [name.strip() for name in setting.split(",") if name.strip()]


class ConfigError(RuntimeError):
    """The environment does not hold what the chosen configuration needs."""


class Config:
    """Settings shared by every environment."""

    TESTING = False
    DEBUG = False
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=30)
    # Tokens travel in the Authorization header only (flask-jwt-extended's default,
    # stated here because the app relies on it). Its cookie CSRF protection, on by
    # default whatever the location, puts a "csrf" claim in every token for cookie
    # clients this API does not have: a fifth of each token's length, decoded on every
    # request for nothing.
    JWT_TOKEN_LOCATION = ("headers",)
    JWT_COOKIE_CSRF_PROTECT = False
    # werkzeug's default (scrypt) costs tens of milliseconds a call: right for
    # production, too slow for a test suite that registers hundreds of users.
    PASSWORD_HASH_METHOD = "scrypt"
    MAX_PER_PAGE = 100
    DEFAULT_PER_PAGE = 20
    MAX_CONTENT_LENGTH = 1024 * 1024  # no JSON body of this API comes near a megabyte
    # The error of a failed statement quotes its parameters, and the log keeps them: for
    # an INSERT into users, the email and the password hash.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"hide_parameters": True}

    @classmethod
    def settings(cls, environ: Mapping[str, str]) -> dict[str, Any]:
        """Return this class's settings; each subclass adds what it reads from ``environ``."""
        return {name: getattr(cls, name) for name in dir(cls) if name.isupper()}


class DevelopmentConfig(Config):
    """A laptop: debug on, a SQLite file, development-only secrets."""

    DEBUG = True
    SECRET_KEY = "development-only-secret-key-never-in-production"
    JWT_SECRET_KEY = "development-only-jwt-key-never-in-production"

    @classmethod
    def settings(cls, environ: Mapping[str, str]) -> dict[str, Any]:
        """Return the shared settings with the database and any secrets ``environ`` sets."""
        # TODO(task 2): Start from the shared settings (super().settings(environ)) and add
        #   the database URL read from environ: development takes DATABASE_URL (default: a
        #   SQLite file) and lets environ override its secrets; testing takes
        #   TEST_DATABASE_URL (default: in-memory SQLite) and never DATABASE_URL.
        raise NotImplementedError(
            "task 2 not started: implement DevelopmentConfig.settings"
            " in exercises/07_configuration/config.py"
        )


class TestingConfig(Config):
    """A test run: in-memory SQLite (or ``TEST_DATABASE_URL``) and a cheap hash."""

    TESTING = True
    SECRET_KEY = "testing-only-secret-key-never-in-production"
    JWT_SECRET_KEY = "testing-only-jwt-key-never-in-production!"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # A failing test may show a statement's parameters: its data is made up.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {}

    @classmethod
    def settings(cls, environ: Mapping[str, str]) -> dict[str, Any]:
        """Return the shared settings with the test database, never ``DATABASE_URL``'s."""
        # TODO(task 2): as the TODO at DevelopmentConfig.settings says.
        raise NotImplementedError(
            "task 2 not started: implement TestingConfig.settings"
            " in exercises/07_configuration/config.py"
        )


class ProductionConfig(Config):
    """A server: every secret and the database come from the environment, or nothing starts."""

    # Test each pooled connection before a request uses it: one that the database or a
    # proxy dropped is replaced, where it would have cost that request a 500.
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {
        **Config.SQLALCHEMY_ENGINE_OPTIONS,
        "pool_pre_ping": True,
    }

    @classmethod
    def settings(cls, environ: Mapping[str, str]) -> dict[str, Any]:
        """Return the settings with the database and secrets taken from ``environ``.

        Raise ConfigError, naming the variable, if one is missing or a secret is too short.
        """
        # TODO(task 3): Raise ConfigError naming every missing variable of
        #   REQUIRED_IN_PRODUCTION, and one naming a secret shorter than MIN_SECRET_BYTES;
        #   else return the shared settings with the database URL and both secrets taken
        #   from environ, and TRUSTED_HOSTS (through host_names) when environ sets it.
        raise NotImplementedError(
            "task 3 not started: implement ProductionConfig.settings"
            " in exercises/07_configuration/config.py"
        )


config: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(config_name: str, environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the settings of the named configuration, validated against ``environ``."""
    # TODO(task 4): Look the name up in config (an unknown name is a ValueError listing
    #   the valid ones), return that class's settings for environ, with CONFIG_NAME set to
    #   the name.
    raise NotImplementedError(
        "task 4 not started: implement load_config in exercises/07_configuration/config.py"
    )
