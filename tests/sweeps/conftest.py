"""Fixtures for the sweeps: one app per database for a whole module.

A sweep sends hundreds of requests that each must change nothing, so building the
tables afresh for every case would only make it slow (PostgreSQL above all). Tests
that do change data work on users and posts of their own.
"""

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.support import DATABASES, Api, fresh_app


@pytest.fixture(scope="module", params=DATABASES)
def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    """One testing app per database for the module (overrides the per-test app)."""
    with fresh_app(request.param) as app:
        yield app


@pytest.fixture(scope="module")
def api(app: Flask) -> Api:
    """One API driver for the module, so the emails it makes up stay unique."""
    return Api(app.test_client())
