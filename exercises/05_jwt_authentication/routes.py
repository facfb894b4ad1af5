# Chapter 05 exercise: fill in each TODO, then grade your work with
#     pytest exercises/05_jwt_authentication
# This file stands in for reference_app/auth/routes.py inside the complete app.

"""Log in for a pair of tokens; trade a refresh token for a new access token."""

from functools import cache

from flask import Blueprint, Response, current_app, jsonify
from flask_jwt_extended import create_access_token, create_refresh_token, current_user, jwt_required
from marshmallow import ValidationError
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import BadRequest, Unauthorized
from werkzeug.security import check_password_hash, generate_password_hash

from reference_app.extensions import db
from reference_app.models import User, normalize_email
from reference_app.schemas import LoginSchema
from reference_app.validation import load_json_body

bp = Blueprint("auth", __name__)

login_schema = LoginSchema()


@cache
def _dummy_hash(method: str) -> str:
    """Return a hash made with ``method`` that no password of a user matches (made once)."""
    return generate_password_hash("a password that no account has", method=method)


def _find_user(email: str, password: str) -> User | None:
    """Return the user these credentials belong to, in the same time whether or not one exists."""
    # TODO(task 4): Find the user by email (as the model stores it) and check the
    #   password. An unknown email must cost a password check too (against _dummy_hash),
    #   so that it takes as long as a wrong password.
    raise NotImplementedError(
        "task 4 not started: implement _find_user in exercises/05_jwt_authentication/routes.py"
    )


@bp.after_request
def no_store(response: Response) -> Response:
    """Keep token answers out of every cache, the browser's included (RFC 6749, 5.1)."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/login")
def login() -> Response:
    """Exchange an email and password for an access token and a refresh token."""
    # TODO(task 5): Load the credentials through login_schema (a bad body is a 400), find
    #   the user, and answer 401 with one message whether the email or the password was
    #   wrong, and the WWW-Authenticate: Bearer challenge; else 200 with an access token
    #   and a refresh token.
    raise NotImplementedError(
        "task 5 not started: implement login in exercises/05_jwt_authentication/routes.py"
    )


@bp.post("/refresh")
@jwt_required(refresh=True)
def refresh() -> Response:
    """Return a new access token for the refresh token's user."""
    # TODO(task 3): Return a new access token for the refresh token's user, as JSON.
    raise NotImplementedError(
        "task 3 not started: implement refresh in exercises/05_jwt_authentication/routes.py"
    )
