# Chapter 04 exercise: fill in each TODO, then grade your work with
#     pytest exercises/04_error_handling
# This file stands in for reference_app/errors.py inside the complete app.

"""One JSON error shape for every failure: ``{"error": ..., "message": ...}``.

Validation failures add ``"details"``, marshmallow's field-to-messages mapping.
The JWT failures are shaped in ``reference_app.auth.tokens``, through the hooks
flask-jwt-extended offers for them.
"""

from http import HTTPStatus

from flask import Flask, Response, current_app, jsonify
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

RETRY_AFTER_SECONDS = 5  # how long a client should wait before trying a database that was down


def error_response(status: HTTPStatus | int, message: str, **extra: object) -> tuple[Response, int]:
    """Return the app's JSON error body for ``status`` with a human ``message``."""
    # TODO(task 2): Return a JSON response with exactly "error" (the status's standard
    #   phrase) and "message", plus any extra keys, together with the status code.
    raise NotImplementedError(
        "task 2 not started: implement error_response in exercises/04_error_handling/errors.py"
    )


def handle_http_exception(error: HTTPException) -> BaseResponse:
    """Turn werkzeug's HTML error page into JSON, keeping its headers (``Allow``, ...)."""
    # TODO(task 3): Start from werkzeug's own response for the error (it carries headers
    #   such as Allow), and replace its HTML body with the app's JSON error shape, using
    #   the error's description as the message.
    raise NotImplementedError(
        "task 3 not started: implement handle_http_exception"
        " in exercises/04_error_handling/errors.py"
    )


def handle_validation_error(error: ValidationError) -> tuple[Response, int]:
    """Answer a marshmallow validation failure with 400 and each bad field's messages."""
    # TODO(task 4): Answer 400 in the error shape, with "details" holding the messages
    #   marshmallow collected for each bad field.
    raise NotImplementedError(
        "task 4 not started: implement handle_validation_error"
        " in exercises/04_error_handling/errors.py"
    )


def handle_database_unavailable(error: OperationalError | PoolTimeoutError) -> tuple[Response, int]:
    """Log in one line why the database cannot be used; answer 503, to be tried again.

    A refused or dropped connection, a database file that cannot be opened or written,
    a pool with no connection free: none is the request's fault, and none is a bug,
    so a traceback would only bury the reason: the first line of the driver's message
    says it, without the statement or its parameters.
    """
    cause = getattr(error, "orig", None) or error
    reason = (str(cause).strip().splitlines() or ["no reason given"])[0]
    current_app.logger.error("The database is unavailable: %s: %s", type(cause).__name__, reason)
    response, status = error_response(
        HTTPStatus.SERVICE_UNAVAILABLE, "The database is unavailable; try again shortly."
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response, status


def handle_unexpected_error(error: Exception) -> tuple[Response, int]:
    """Log the exception and answer 500 without a word of its text or traceback."""
    # TODO(task 5): Log the exception with its traceback through the app's logger, then
    #   answer a generic 500 in the error shape: not a word of the exception's text.
    raise NotImplementedError(
        "task 5 not started: implement handle_unexpected_error"
        " in exercises/04_error_handling/errors.py"
    )


def register_error_handlers(app: Flask) -> None:
    """Make every error the app raises answer with the one JSON shape."""
    # TODO(task 1): Register handle_http_exception for every werkzeug HTTPException,
    #   handle_validation_error for marshmallow's ValidationError,
    #   handle_database_unavailable for SQLAlchemy's OperationalError and TimeoutError
    #   (imported as PoolTimeoutError), and handle_unexpected_error for any other
    #   Exception.
    raise NotImplementedError(
        "task 1 not started: implement register_error_handlers"
        " in exercises/04_error_handling/errors.py"
    )
