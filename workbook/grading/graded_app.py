"""The apps built on one copy of ``reference_app``: one per database, emptied between tests."""

from contextlib import ExitStack
from types import ModuleType, TracebackType
from typing import Any, NoReturn, Self

from flask import Flask
from sqlalchemy.exc import StatementError

from workbook.apps import close_app, new_app
from workbook.databases import postgres_schema, schema_name
from workbook.grading.feedback import not_started_error
from workbook.grading.server_errors import ServerErrors
from workbook.grading.strict_sqlite import hold_to_postgresql_limits

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def _reraise(error: NotImplementedError) -> NoReturn:
    raise error


def _untouched_inside_sql(app: Flask):
    """An error handler: a skeleton's error inside a SQL statement reaches the test as it is.

    SQLAlchemy wraps what a column default or type raises (a task of chapter 03, say)
    in a ``StatementError``; any other such error goes to the app's own handler.
    """

    def handle(error: StatementError) -> Any:
        if (untouched := not_started_error(error)) is not None:
            raise untouched
        handler = app.error_handler_spec.get(None, {}).get(None, {}).get(Exception)
        if handler is None:
            raise error
        return handler(error)

    return handle


class GradedApps:
    """Testing apps on one copy of the app, on SQLite or in a PostgreSQL schema of their own."""

    def __init__(self) -> None:
        self._shared: dict[str, Flask] = {}
        self._cleanup = ExitStack()

    def build(self, package: ModuleType, database: str, listener: ServerErrors) -> Flask:
        """A new app with the graded files, its tables created, closed with the others."""
        overrides = {}
        if database == POSTGRESQL:
            schema = postgres_schema(schema_name("grading"))
            overrides["SQLALCHEMY_DATABASE_URI"] = self._cleanup.enter_context(schema)
        app = new_app(package=package, **overrides)
        self._cleanup.callback(close_app, app)
        if database == SQLITE:
            with app.app_context():
                hold_to_postgresql_limits(package.db.engine)
        # A skeleton's NotImplementedError must reach the test, not become a 500 reply.
        app.register_error_handler(NotImplementedError, _reraise)
        app.register_error_handler(StatementError, _untouched_inside_sql(app))
        listener.listen_to(app)
        return app

    def shared(self, package: ModuleType, database: str, listener: ServerErrors) -> Flask:
        """The app that tests on ``database`` share, every table emptied."""
        if database not in self._shared:
            self._shared[database] = self.build(package, database, listener)
        app = self._shared[database]
        with app.app_context():
            package.db.create_all()  # back, should a test have dropped the tables
            for table in reversed(package.db.metadata.sorted_tables):
                package.db.session.execute(table.delete())
            package.db.session.commit()
        return app

    def close(self) -> None:
        self._shared.clear()
        self._cleanup.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
