"""Headers that every answer of the API carries."""

from flask import Flask, Response


def add_security_headers(response: Response) -> Response:
    """Tell browsers to take the declared content type as it is, never to sniff another."""
    # An API answer that a browser took for HTML or script could run in the API's origin.
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def register_headers(app: Flask) -> None:
    """Add the security headers to every response, error answers included."""
    app.after_request(add_security_headers)
