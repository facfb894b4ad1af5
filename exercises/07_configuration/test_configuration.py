"""Grading for chapter 07: the configuration classes and load_config in config.py.

These tests call your config module directly, each with an environment of its own:
the app fixture cannot be used here, as it is built through the very code you write.
"""

import importlib.util
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from workbook.grading import seeded
from workbook.grading.feedback import Feedback, expect, expect_defined, expect_equal

VARIABLES = ("DATABASE_URL", "SECRET_KEY", "JWT_SECRET_KEY", "TEST_DATABASE_URL", "TRUSTED_HOSTS")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Run each test without any of the variables the configuration reads."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def postgres_url(prefix: str = "postgres://") -> tuple[str, str]:
    """A random PostgreSQL URL with ``prefix``, and the same URL for psycopg 3."""
    rest = f"user{seeded.token_hex(2)}:pw@db-{seeded.token_hex(3)}.example.org:5432/app"
    return f"{prefix}{rest}", f"postgresql+psycopg://{rest}"


def production_environ() -> dict[str, str]:
    """What production needs: a database and two random secrets (one exactly 32 bytes)."""
    return {
        "DATABASE_URL": f"sqlite:///production-{seeded.token_hex(4)}.sqlite",
        "SECRET_KEY": seeded.token_urlsafe(24),  # 32 characters: the shortest allowed
        "JWT_SECRET_KEY": seeded.token_urlsafe(48),
    }


def refusal(call: Callable[[], Any], error: type[Exception], what: str) -> str:
    """Call ``call`` expecting ``error``; return its message."""
    try:
        result = call()
    except error as raised:
        return str(raised)
    except NotImplementedError:
        raise
    except Exception as raised:
        raise Feedback(
            f"{what}\n  expected {error.__name__}, got {type(raised).__name__}: {raised}"
        ) from raised
    raise Feedback(f"{what}\n  expected {error.__name__}; it returned {result!r}")


def build(reference: Any, config_name: str) -> Any:
    """Return ``create_app(config_name)``; a failure is feedback, not a traceback."""
    try:
        return reference.create_app(config_name)
    except NotImplementedError:
        raise
    except Exception as error:
        raise Feedback(
            f"create_app({config_name!r}) failed: {type(error).__name__}: {error}"
        ) from error


def expect_settings(values: Mapping[str, Any], expected: Mapping[str, Any], what: str) -> None:
    """Expect each of ``expected`` in the settings ``values``."""
    expect(isinstance(values, Mapping), f"{what} should return a dict, not {values!r}")
    for name, value in expected.items():
        expect_equal(values.get(name), value, f"{what}[{name!r}]")


# --- task 1: database_url ------------------------------------------------------------


@pytest.mark.task(taskno=1)
def test_postgres_urls_get_the_psycopg_driver(reference):
    for prefix in ("postgres://", "postgresql://"):
        given, expected = postgres_url(prefix)
        expect_equal(reference.config.database_url(given), expected, f"database_url({given!r})")


@pytest.mark.task(taskno=1)
def test_other_urls_are_kept(reference):
    tag = seeded.token_hex(3)
    urls = [
        postgres_url("postgresql+psycopg://")[0],
        f"sqlite:///{tag}.sqlite",
        "sqlite://",
        f"mysql://user@host/{tag}",
    ]
    for url in urls:
        expect_equal(reference.config.database_url(url), url, f"database_url({url!r})")


# --- task 2: DevelopmentConfig.settings and TestingConfig.settings -------------------


@pytest.mark.task(taskno=2)
def test_testing_uses_in_memory_sqlite_and_ignores_database_url(reference):
    testing = reference.config.TestingConfig
    expect_settings(
        testing.settings({}), {"SQLALCHEMY_DATABASE_URI": "sqlite://"}, "TestingConfig.settings({})"
    )
    environ = {"DATABASE_URL": postgres_url()[0]}
    values = testing.settings(environ)
    expect_settings(
        values,
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True},
        f"TestingConfig.settings({environ})",
    )
    for name in (
        "SECRET_KEY",
        "JWT_SECRET_KEY",
        "JWT_ACCESS_TOKEN_EXPIRES",
        "PASSWORD_HASH_METHOD",
    ):
        expect(name in values, f"TestingConfig.settings(...) lacks the shared setting {name}")
    expect(
        not values["PASSWORD_HASH_METHOD"].startswith("scrypt"),
        "the testing config should keep its cheap PASSWORD_HASH_METHOD",
    )


@pytest.mark.task(taskno=2)
def test_testing_uses_test_database_url(reference):
    given, expected = postgres_url()
    environ = {"TEST_DATABASE_URL": given, "DATABASE_URL": postgres_url()[0]}
    expect_settings(
        reference.config.TestingConfig.settings(environ),
        {"SQLALCHEMY_DATABASE_URI": expected},
        f"TestingConfig.settings({environ})",
    )


@pytest.mark.task(taskno=2)
def test_development_uses_a_sqlite_file_and_its_own_secrets(reference):
    development = reference.config.DevelopmentConfig
    values = development.settings({})
    expect_settings(
        values,
        {
            "DEBUG": True,
            "SECRET_KEY": development.SECRET_KEY,
            "JWT_SECRET_KEY": development.JWT_SECRET_KEY,
        },
        "DevelopmentConfig.settings({})",
    )
    uri = values.get("SQLALCHEMY_DATABASE_URI") or ""
    expect(
        uri.startswith("sqlite:///") and len(uri) > len("sqlite:///"),
        f"DevelopmentConfig.settings({{}}) should use a SQLite file, not {uri!r}",
    )


@pytest.mark.task(taskno=2)
def test_development_takes_what_the_environment_sets(reference):
    given, expected = postgres_url()
    environ = {
        "DATABASE_URL": given,
        "SECRET_KEY": seeded.token_urlsafe(32),
        "JWT_SECRET_KEY": seeded.token_urlsafe(32),
    }
    expect_settings(
        reference.config.DevelopmentConfig.settings(environ),
        {
            "SQLALCHEMY_DATABASE_URI": expected,
            "SECRET_KEY": environ["SECRET_KEY"],
            "JWT_SECRET_KEY": environ["JWT_SECRET_KEY"],
        },
        f"DevelopmentConfig.settings({environ})",
    )


# --- task 3: ProductionConfig.settings -----------------------------------------------


@pytest.mark.task(taskno=3)
def test_production_takes_everything_from_the_environment(reference):
    environ = production_environ()
    given, expected = postgres_url()
    environ["DATABASE_URL"] = given
    values = reference.config.ProductionConfig.settings(environ)
    expect_settings(
        values,
        {
            "SQLALCHEMY_DATABASE_URI": expected,
            "SECRET_KEY": environ["SECRET_KEY"],
            "JWT_SECRET_KEY": environ["JWT_SECRET_KEY"],
            "DEBUG": False,
            "TESTING": False,
        },
        f"ProductionConfig.settings({environ})",
    )
    expect("JWT_ACCESS_TOKEN_EXPIRES" in values, "production lacks the shared settings")


@pytest.mark.task(taskno=3)
def test_production_answers_the_trusted_hosts_when_they_are_set(reference):
    host = f"api-{seeded.token_hex(3)}.example.org"
    environ = production_environ() | {"TRUSTED_HOSTS": f"{host}, .example.net"}
    values = reference.config.ProductionConfig.settings(environ)
    expect_settings(
        values,
        {"TRUSTED_HOSTS": [host, ".example.net"]},
        f"ProductionConfig.settings() with TRUSTED_HOSTS={environ['TRUSTED_HOSTS']!r}",
    )
    unset = reference.config.ProductionConfig.settings(production_environ())
    expect(
        unset.get("TRUSTED_HOSTS") is None,
        "ProductionConfig.settings() without TRUSTED_HOSTS: leave the setting out (Flask's "
        f"default, None, answers any host), not {unset.get('TRUSTED_HOSTS')!r}",
    )


@pytest.mark.task(taskno=3)
def test_production_names_each_missing_variable(reference):
    production, config_error = reference.config.ProductionConfig, reference.config.ConfigError
    full = production_environ()
    for missing in full:
        environ = {name: value for name, value in full.items() if name != missing}
        what = f"ProductionConfig.settings() without {missing}"
        message = refusal(lambda environ=environ: production.settings(environ), config_error, what)
        expect(missing in message, f"{what}: the error should name {missing}: {message!r}")
    what = "ProductionConfig.settings({}), with nothing set"
    message = refusal(lambda: production.settings({}), config_error, what)
    for name in full:
        expect(
            name in message,
            f"{what}: the error should name every missing variable, {name} too: {message!r}",
        )


@pytest.mark.task(taskno=3)
def test_production_refuses_a_short_secret(reference):
    production, config_error = reference.config.ProductionConfig, reference.config.ConfigError
    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
        environ = production_environ() | {name: seeded.token_urlsafe(24)[:31]}
        what = f"ProductionConfig.settings() with a 31-byte {name}"
        message = refusal(lambda environ=environ: production.settings(environ), config_error, what)
        expect(name in message, f"{what}: the error should name {name}: {message!r}")


@pytest.mark.task(taskno=3)
def test_the_module_reads_no_variable_at_import(reference, clean_environment):
    """Import your config.py afresh with no variable set; then production reads them."""
    path = Path(reference.config.__file__)
    spec = reference.config.__spec__  # a module of its own, run as the grader runs config.py
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise Feedback(
            f"Importing {path.name} with no DATABASE_URL, SECRET_KEY or JWT_SECRET_KEY set "
            f"failed:\n  {type(error).__name__}: {error}\n"
            "  Read the environment inside settings(), when the app is built, not at import."
        ) from error
    for name in ("ProductionConfig", "load_config", "ConfigError"):
        expect_defined(module, name, "NAME")
    environ = production_environ()
    for name, value in environ.items():
        clean_environment.setenv(name, value)
    expect_settings(
        module.ProductionConfig.settings(environ),
        {
            "SQLALCHEMY_DATABASE_URI": environ["DATABASE_URL"],
            "SECRET_KEY": environ["SECRET_KEY"],
            "JWT_SECRET_KEY": environ["JWT_SECRET_KEY"],
        },
        "ProductionConfig.settings(environ), the variables set after the import",
    )


# --- task 4: load_config -------------------------------------------------------------


@pytest.mark.task(taskno=4)
def test_an_unknown_name_lists_the_valid_ones(reference):
    name = f"staging-{seeded.token_hex(2)}"
    message = refusal(
        lambda: reference.config.load_config(name, {}), ValueError, f"load_config({name!r}, {{}})"
    )
    for valid in ("development", "testing", "production"):
        expect(valid in message, f"the ValueError should list {valid!r}: {message!r}")


@pytest.mark.task(taskno=4)
def test_each_name_gives_its_settings(reference):
    load_config = reference.config.load_config
    given, expected = postgres_url()
    cases = [
        ("testing", {"TEST_DATABASE_URL": given}, {"TESTING": True}),
        ("development", {"DATABASE_URL": given}, {"DEBUG": True}),
        ("production", production_environ() | {"DATABASE_URL": given}, {"DEBUG": False}),
    ]
    for name, environ, expected_values in cases:
        expect_settings(
            load_config(name, environ),
            expected_values | {"SQLALCHEMY_DATABASE_URI": expected, "CONFIG_NAME": name},
            f"load_config({name!r}, {environ})",
        )


@pytest.mark.task(taskno=4)
def test_create_app_builds_from_the_environment(reference, clean_environment, tmp_path):
    database = f"sqlite:///{tmp_path / seeded.token_hex(4)}.sqlite"
    clean_environment.setenv("TEST_DATABASE_URL", database)
    app = build(reference, "testing")
    expect_settings(
        app.config,
        {"SQLALCHEMY_DATABASE_URI": database, "TESTING": True, "CONFIG_NAME": "testing"},
        'create_app("testing").config',
    )
    environ = production_environ() | {"DATABASE_URL": database}
    for name, value in environ.items():
        clean_environment.setenv(name, value)
    app = build(reference, "production")
    expect_settings(
        app.config,
        {"SECRET_KEY": environ["SECRET_KEY"], "CONFIG_NAME": "production", "DEBUG": False},
        'create_app("production").config',
    )
