"""Page-number pagination for list endpoints: strict query arguments, bounded pages."""

from typing import Any

from flask import current_app, request
from marshmallow import Schema
from sqlalchemy import Select
from werkzeug.exceptions import BadRequest, NotFound

from reference_app.extensions import db

# Past this, OFFSET (page * per_page) could overflow a 64-bit integer in the database.
MAX_PAGE = 2**31 - 1


def _positive_int_arg(name: str, default: int) -> int:
    """Return query argument ``name`` as a whole number from 1 to ``MAX_PAGE``; raise 400 else."""
    raw = request.args.get(name)
    if raw is None:
        return default
    # The rules' ``request.args.get(name, type=int)`` turns "abc" into the default,
    # silently; a client that sent a bad page deserves to hear about it.
    if not (raw.isascii() and raw.isdecimal() and len(raw) <= 18 and 1 <= int(raw) <= MAX_PAGE):
        raise BadRequest(f"Query argument {name!r} must be a whole number from 1 to {MAX_PAGE}.")
    return int(raw)


def page_args() -> tuple[int, int]:
    """Return ``(page, per_page)`` from the query string; ``per_page`` is clamped to the maximum."""
    config = current_app.config
    page = _positive_int_arg("page", default=1)
    per_page = _positive_int_arg("per_page", default=config["DEFAULT_PER_PAGE"])
    return page, min(per_page, config["MAX_PER_PAGE"])


def paginated(statement: Select[Any], schema: Schema) -> dict[str, Any]:
    """Run ``statement`` for the requested page; return the items dumped by ``schema``.

    Two SQL statements whatever the page: one for the items, one for the total.
    A page past the last one is a 404 that says which page is the last; page 1 of an
    empty list is an empty page.
    """
    page, per_page = page_args()
    # error_out=False: page_args has checked the arguments, and Flask-SQLAlchemy's own
    # 404 for a page past the end says only "The requested URL was not found".
    pagination = db.paginate(statement, page=page, per_page=per_page, error_out=False)
    if page > 1 and not pagination.items:
        raise NotFound(f"There is no page {page}; the last page is {max(pagination.pages, 1)}.")
    return {
        "items": schema.dump(pagination.items, many=True),
        "total": pagination.total,
        "page": pagination.page,
        "pages": pagination.pages,
    }
