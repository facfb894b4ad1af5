"""URL converters shared by the blueprints."""

from werkzeug.routing import IntegerConverter, Map

# The largest value of a 32-bit INTEGER primary key, PostgreSQL's ``integer``.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """A database id in a URL: 1 to ``MAX_ID``; anything else does not match (404).

    Plain ``<int:...>`` lets ``/users/9223372036854775808`` through to the database,
    which raises an overflow error: a 500 instead of a 404.
    """

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)
