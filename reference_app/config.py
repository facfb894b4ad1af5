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
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


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
        values = super().settings(environ)
        # Flask-SQLAlchemy puts a relative SQLite path in the instance folder, creating it.
        values["SQLALCHEMY_DATABASE_URI"] = database_url(
            environ.get("DATABASE_URL", "sqlite:///development.sqlite")
        )
        for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
            values[name] = environ.get(name, values[name])
        return values


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
        values = super().settings(environ)
        # DATABASE_URL is deliberately ignored: a test run must never touch real data.
        values["SQLALCHEMY_DATABASE_URI"] = database_url(
            environ.get("TEST_DATABASE_URL", "sqlite://")
        )
        return values


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
        missing = [name for name in REQUIRED_IN_PRODUCTION if not environ.get(name)]
        if missing:
            raise ConfigError(
                f"The production config needs these environment variables: {', '.join(missing)}."
            )
        for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
            if len(environ[name].encode()) < MIN_SECRET_BYTES:
                raise ConfigError(
                    f"{name} must be at least {MIN_SECRET_BYTES} bytes long; generate one with: "
                    'python -c "import secrets; print(secrets.token_urlsafe(48))"'
                )
        values = super().settings(environ)
        values["SQLALCHEMY_DATABASE_URI"] = database_url(environ["DATABASE_URL"])
        values["SECRET_KEY"] = environ["SECRET_KEY"]
        values["JWT_SECRET_KEY"] = environ["JWT_SECRET_KEY"]
        if environ.get("TRUSTED_HOSTS"):
            values["TRUSTED_HOSTS"] = host_names(environ["TRUSTED_HOSTS"])
        return values


config: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(config_name: str, environ: Mapping[str, str]) -> dict[str, Any]:
    """Return the settings of the named configuration, validated against ``environ``."""
    try:
        config_class = config[config_name]
    except KeyError:
        valid = ", ".join(repr(name) for name in config)
        raise ValueError(f"Unknown config name {config_name!r}; valid names are {valid}.") from None
    settings = config_class.settings(environ)
    settings["CONFIG_NAME"] = config_name
    return settings
