"""A test run on PostgreSQL keeps to a schema of its own, so concurrent runs cannot collide."""

import pytest
from sqlalchemy import inspect, text

from reference_app import db
from tests.support import DATABASES, RUN_SCHEMA, in_schema

POSTGRES_ONLY = [param for param in DATABASES if param.id == "postgresql"]


@pytest.mark.parametrize("app", POSTGRES_ONLY, indirect=True)
def test_the_app_works_in_this_runs_schema(app):
    with app.app_context():
        assert db.session.scalar(text("select current_schema()")) == RUN_SCHEMA
        assert {"users", "posts"} <= set(inspect(db.engine).get_table_names(schema=RUN_SCHEMA))


def test_each_run_names_a_schema_of_its_own():
    assert RUN_SCHEMA.startswith("test_run_")
    url = in_schema("postgresql://postgres@127.0.0.1:5432/test", RUN_SCHEMA)
    assert url == (
        f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{RUN_SCHEMA}"
    )
