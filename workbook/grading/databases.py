"""The database each graded test runs on: SQLite, and PostgreSQL too when one is configured.

A learner's laptop grades on in-memory SQLite. With ``TEST_DATABASE_URL`` set (CI, a
maintainer), every test that uses the app runs a second time on PostgreSQL, where
some mistakes only show (an id beyond its integers, say).
"""

import pytest

from workbook.databases import SERVER_URL
from workbook.grading.graded_app import POSTGRESQL, SQLITE


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: the test checks what SQLite alone does (its PRAGMAs, say)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    if SERVER_URL and "database" in metafunc.fixturenames and not sqlite_only:
        metafunc.parametrize("database", [SQLITE, POSTGRESQL], indirect=True)


@pytest.fixture
def database(request: pytest.FixtureRequest) -> str:
    """The database the test's app runs on: "sqlite" or "postgresql"."""
    return getattr(request, "param", SQLITE)
