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
    user = db.session.scalar(db.select(User).where(User.email == normalize_email(email)))
    if user is None:
        # Hash anyway, so an unknown email takes as long as a wrong password.
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    return user if user.check_password(password) else None


@bp.after_request
def no_store(response: Response) -> Response:
    """Keep token answers out of every cache, the browser's included (RFC 6749, 5.1)."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/login")
def login() -> Response:
    """Exchange an email and password for an access token and a refresh token."""
    try:
        credentials = load_json_body(login_schema)
    except ValidationError:
        raise BadRequest("Send a JSON object with 'email' and 'password' strings.") from None
    user = _find_user(credentials["email"], credentials["password"])
    if user is None:
        # One message for both cases: never tell a caller which emails have accounts.
        # The challenge, which every 401 carries, names the scheme the API's tokens use.
        raise Unauthorized("Wrong email or password.", www_authenticate=WWWAuthenticate("bearer"))
    return jsonify(
        access_token=create_access_token(identity=user),
        refresh_token=create_refresh_token(identity=user),
    )


@bp.post("/refresh")
@jwt_required(refresh=True)
def refresh() -> Response:
    """Return a new access token for the refresh token's user."""
    return jsonify(access_token=create_access_token(identity=current_user))
