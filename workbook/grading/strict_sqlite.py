"""SQLite held to PostgreSQL's limits while grading, so a laptop's verdict is CI's.

SQLite stores any integer up to 2**63 - 1 in an INTEGER column and any length of text
in a VARCHAR(200); PostgreSQL refuses both. An app that passes an id of 2**31 to a
query, or saves a title of 201 characters, answers 500 on PostgreSQL: graded on
SQLite alone, it would pass. So each statement's values are checked against the
column types they are bound to, and refused as PostgreSQL would refuse them.
"""

import sqlite3
from typing import Any

from sqlalchemy import Integer, String, event
from sqlalchemy.engine import Engine

INTEGER_RANGE = range(-(2**31), 2**31)  # PostgreSQL's integer: 4 bytes


def hold_to_postgresql_limits(engine: Engine) -> None:
    """Refuse, in ``engine``'s statements, the values PostgreSQL's columns cannot hold."""
    event.listen(engine, "before_cursor_execute", _check_values)


def _check_values(
    connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    compiled = context.compiled if context is not None else None
    if compiled is None:  # plain SQL text: nothing says which column a value is for
        return
    for values in context.compiled_parameters:
        for name, value in values.items():
            bind = compiled.binds.get(name)
            if bind is not None and (problem := _refusal(name, bind.type, value)):
                # A driver's error, as psycopg raises one: SQLAlchemy wraps it in DataError.
                raise sqlite3.DataError(f"{problem} (PostgreSQL refuses it; so does the grader)")


def _refusal(name: str, column_type: Any, value: Any) -> str | None:
    # Anonymous integers ("param_1") are LIMIT and OFFSET: PostgreSQL takes a bigint there.
    anonymous = name.startswith("param_")
    if isinstance(column_type, Integer) and not anonymous and isinstance(value, int):
        return None if value in INTEGER_RANGE else f"integer out of range: {value} for {name}"
    length = getattr(column_type, "length", None) if isinstance(column_type, String) else None
    if length and isinstance(value, str) and len(value) > length:
        return f"value too long for type character varying({length}): {name}"
    return None
