"""Looking rows up by the ids that clients send, whatever their size."""

from typing import TypeVar

from werkzeug.exceptions import NotFound

from reference_app.extensions import Base, db

# The largest PostgreSQL ``integer``, the type of every primary key here.
MAX_ID = 2**31 - 1

ModelT = TypeVar("ModelT", bound=Base)


def get_by_id(model: type[ModelT], ident: int) -> ModelT | None:
    """Return the ``model`` row with primary key ``ident``, or None.

    An id no row can have is None without asking the database: SQLite raises
    ``OverflowError`` for 2**63 and PostgreSQL an out-of-range error, each a 500.
    """
    if not 1 <= ident <= MAX_ID:
        return None
    return db.session.get(model, ident)


def get_or_404(model: type[ModelT], ident: int) -> ModelT:
    """Return the ``model`` row with primary key ``ident``, or raise 404."""
    row = get_by_id(model, ident)
    if row is None:
        raise NotFound(f"There is no {model.__name__.lower()} with id {ident}.")
    return row
