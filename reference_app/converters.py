"""URL converters shared by the blueprints."""

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """A row id in a URL: at most 18 digits, so that it always fits a 64-bit integer.

    Plain ``<int:...>`` lets any number of digits through; past 4,300 digits Python's
    ``int()`` refuses them, and werkzeug then answers 405 instead of 404 for PUT and
    DELETE. Whether a row has the id is for ``lookups.get_or_404`` to say.
    """

    regex = r"[0-9]{1,18}"  # ASCII digits: \d would also match other scripts' digits
