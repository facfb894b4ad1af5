"""Reading a request's JSON body through a schema, refusing anything that is not an object."""

from typing import Any

from flask import request
from marshmallow import Schema
from werkzeug.exceptions import BadRequest, UnsupportedMediaType


def load_json_body(schema: Schema) -> dict[str, Any]:
    """Return the request's JSON object loaded through ``schema``.

    The rules' ``request.get_json()`` passes ``null``, a list or a number on to the
    view, which then crashes with a 500; here each is a 400 that says what to send.
    """
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON, with 'Content-Type: application/json'.")
    try:
        data = request.get_json(silent=True)  # None when the body does not parse
    except RecursionError:  # "[[[[...": nested too deep for Python's json module
        data = None
    if not isinstance(data, dict):
        raise BadRequest("The request body must be a JSON object.")
    return schema.load(data)
