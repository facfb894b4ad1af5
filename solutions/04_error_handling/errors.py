"""One JSON error shape for every failure: ``{"error": ..., "message": ...}``.

Validation failures add ``"details"``, marshmallow's field-to-messages mapping.
The JWT failures are shaped in ``reference_app.auth.tokens``, through the hooks
flask-jwt-extended offers for them.
"""

from http import HTTPStatus

from flask import Flask, Response, current_app, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException


def error_response(status: HTTPStatus | int, message: str, **extra: object) -> tuple[Response, int]:
    """Return the app's JSON error body for ``status`` with a human ``message``."""
    status = HTTPStatus(status)
    body = {"error": status.phrase, "message": message, **extra}
    return jsonify(body), status.value


def handle_http_exception(error: HTTPException) -> Response:
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


def handle_unexpected_error(error: Exception) -> tuple[Response, int]:
    """Log the exception and answer 500 without a word of its text or traceback."""
    current_app.logger.exception("Unhandled exception", exc_info=error)
    return error_response(HTTPStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.")


def register_error_handlers(app: Flask) -> None:
    """Make every error the app raises answer with the one JSON shape."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(Exception, handle_unexpected_error)
