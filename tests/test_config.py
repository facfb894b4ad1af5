"""The three configurations, and what production refuses."""

import subprocess
import sys

import pytest

from reference_app import create_app
from reference_app.config import ConfigError, database_url

STRONG = "s" * 32
PRODUCTION_ENV = {"DATABASE_URL": "sqlite://", "SECRET_KEY": STRONG, "JWT_SECRET_KEY": STRONG}


@pytest.fixture
def clean_env(monkeypatch):
    """An environment without any variable the configs read."""
    for name in ("DATABASE_URL", "SECRET_KEY", "JWT_SECRET_KEY", "TEST_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_unknown_config_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"development.*testing.*production"):
        create_app("staging")


def test_testing_uses_memory_sqlite_a_cheap_hash_and_ignores_database_url(clean_env):
    clean_env.setenv("DATABASE_URL", "postgresql://prod.example.org/real")
    app = create_app("testing")
    assert app.testing
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert not app.config["PASSWORD_HASH_METHOD"].startswith("scrypt")


def test_testing_uses_test_database_url_when_set(clean_env):
    clean_env.setenv("TEST_DATABASE_URL", "sqlite:///elsewhere.sqlite")
    assert create_app("testing").config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///elsewhere.sqlite"


def test_development_uses_a_sqlite_file_in_the_instance_folder(clean_env):
    app = create_app("development")
    assert app.debug
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith(".sqlite")


def test_development_reads_database_url(clean_env):
    clean_env.setenv("DATABASE_URL", "sqlite:///other.sqlite")
    assert create_app("development").config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///other.sqlite"


def test_production_builds_from_the_environment(clean_env):
    for name, value in PRODUCTION_ENV.items():
        clean_env.setenv(name, value)
    app = create_app("production")
    assert not app.debug
    assert not app.testing
    assert app.config["SECRET_KEY"] == STRONG
    assert app.config["JWT_SECRET_KEY"] == STRONG
    assert not {"REQUIRED", "REQUIRED_IN_PRODUCTION"} & set(app.config), "a constant, not a setting"


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_names_a_missing_variable(clean_env, missing):
    for name, value in PRODUCTION_ENV.items():
        if name != missing:
            clean_env.setenv(name, value)
    with pytest.raises(ConfigError, match=missing):
        create_app("production")


@pytest.mark.parametrize("name", ["SECRET_KEY", "JWT_SECRET_KEY"])
def test_production_refuses_a_short_secret(clean_env, name):
    for variable, value in PRODUCTION_ENV.items():
        clean_env.setenv(variable, value)
    clean_env.setenv(name, "s" * 31)
    with pytest.raises(ConfigError, match=f"{name} must be at least 32 bytes"):
        create_app("production")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
    ],
)
def test_database_url_points_postgres_at_psycopg(given, expected):
    assert database_url(given) == expected


def test_every_module_imports_without_any_environment_variable():
    """Importing never needs DATABASE_URL or a secret: only create_app("production") does."""
    script = (
        "import pkgutil, importlib, reference_app\n"
        "for m in pkgutil.walk_packages(reference_app.__path__, 'reference_app.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
