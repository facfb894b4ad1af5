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
    status = HTTPStatus(status)
    body = {"error": status.phrase, "message": message, **extra}
    return jsonify(body), status.value


def handle_http_exception(error: HTTPException) -> BaseResponse:
    """Turn werkzeug's HTML error page into JSON, keeping its headers (``Allow``, ...)."""
    response = error.get_response()
    body, _status = error_response(error.code or 500, error.description or error.name)
    response.set_data(body.get_data())
    response.content_type = "application/json"
    return response


def handle_validation_error(error: ValidationError) -> tuple[Response, int]:
    """Answer a marshmallow validation failure with 400 and each bad field's messages."""
    return error_response(
        HTTPStatus.BAD_REQUEST, "The request body is not valid.", details=error.messages
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
    current_app.logger.exception("Unhandled exception", exc_info=error)
    return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.")


def register_error_handlers(app: Flask) -> None:
    """Make every error the app raises answer with the one JSON shape."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(PoolTimeoutError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
