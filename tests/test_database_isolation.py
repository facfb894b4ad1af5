"""A test run on PostgreSQL keeps to a schema of its own, so concurrent runs cannot collide."""

import subprocess
import sys

import pytest
from sqlalchemy import inspect, text

from reference_app import db
from tests.support import DATABASES, RUN_SCHEMA
from workbook.chapters import ROOT
from workbook.databases import in_schema

POSTGRES_ONLY = [param for param in DATABASES if param.id == "postgresql"]


@pytest.mark.parametrize("app", POSTGRES_ONLY, indirect=True)
def test_the_app_works_in_this_runs_schema(app):
    with app.app_context():
        assert db.session.scalar(text("select current_schema()")) == RUN_SCHEMA
        assert {"users", "posts"} <= set(inspect(db.engine).get_table_names(schema=RUN_SCHEMA))


def run_schema_of_a_new_run() -> str:
    """The schema name that another test run, a process of its own, would pick."""
    script = "from tests.support import RUN_SCHEMA; print(RUN_SCHEMA)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_each_run_names_a_schema_of_its_own():
    assert RUN_SCHEMA.startswith("test_run_")
    others = {run_schema_of_a_new_run() for _ in range(2)}
    assert len(others) == 2 and RUN_SCHEMA not in others, (RUN_SCHEMA, others)
    url = in_schema("postgresql://postgres@127.0.0.1:5432/test", RUN_SCHEMA)
    assert url == (
        f"postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{RUN_SCHEMA}"
    )
