# Chapter 06 exercise: fill in each TODO, then grade your work with
#     pytest exercises/06_validation
# This file stands in for reference_app/validation.py inside the complete app.

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
    # TODO(task 1): 415 unless the request says it is JSON; 400 unless the body parses
    #   (deep nesting included) to a JSON object; then return the object loaded through
    #   the schema, letting its ValidationError through.
    raise NotImplementedError(
        "task 1 not started: implement load_json_body in exercises/06_validation/validation.py"
    )
