"""How tokens carry a user, and one JSON error shape for every token failure.

flask-jwt-extended answers its failures with ``{"msg": ...}`` and, for a malformed
token, status 422; the loaders below make every one of them a 401 in the app's shape,
with the ``WWW-Authenticate`` challenge that every 401 must carry (RFC 9110).
"""

from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from flask import Response

from reference_app.errors import error_response
from reference_app.extensions import jwt
from reference_app.lookups import get_by_id
from reference_app.models import User

ErrorReply = tuple[Response, int]

# The challenges: this API takes bearer tokens (RFC 6750), and when the request sent
# one, the challenge says that this token will not do.
NO_TOKEN = "Bearer"
BAD_TOKEN = 'Bearer error="invalid_token"'


# A token names its account twice: by id (``sub``) and by the instant the account was
# created. Should an id ever name another account (a table rebuilt, a backup restored),
# the old account's tokens carry another instant, and are refused.
ACCOUNT_CLAIM = "acct"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def account_stamp(user: User) -> int:
    """Return when ``user``'s account was created, in whole microseconds since 1970."""
    return (user.created_at - EPOCH) // timedelta(microseconds=1)


def user_identity(user: User) -> str:
    """Put the user's id in the token's ``sub`` claim as a string: PyJWT 2.10+ refuses others."""
    return str(user.id)


def account_claims(user: User) -> dict[str, int]:
    """Return the claims that tie a new token to ``user``'s account, not only to its id."""
    return {ACCOUNT_CLAIM: account_stamp(user)}


def load_user(_jwt_header: dict[str, Any], jwt_data: dict[str, Any]) -> User | None:
    """Return the token's user, or None (a 401) when that account no longer exists."""
    subject = jwt_data["sub"]
    if not (isinstance(subject, str) and subject.isascii() and subject.isdecimal()):
        return None
    user = get_by_id(User, int(subject))
    if user is None or jwt_data.get(ACCOUNT_CLAIM) != account_stamp(user):
        return None
    return user


def token_error(message: str, challenge: str) -> ErrorReply:
    """Return a 401 in the app's error shape, with ``challenge`` as its ``WWW-Authenticate``."""
    response, status = error_response(HTTPStatus.UNAUTHORIZED, message)
    response.headers["WWW-Authenticate"] = challenge
    return response, status


def unauthorized(reason: str) -> ErrorReply:
    """No token where one is needed."""
    return token_error(f"Authentication required: {reason}.", NO_TOKEN)


def invalid_token(reason: str) -> ErrorReply:
    """A token that is malformed, tampered with, or of the wrong type (access or refresh)."""
    return token_error(f"The token is not valid: {reason}.", BAD_TOKEN)


def expired_token(_jwt_header: dict[str, Any], _jwt_data: dict[str, Any]) -> ErrorReply:
    """A token past its expiry time."""
    return token_error("The token has expired.", BAD_TOKEN)


def rejected_token(_jwt_header: dict[str, Any], _jwt_data: dict[str, Any]) -> ErrorReply:
    """A token refused for who it names: a deleted user, a revoked or stale token."""
    return token_error("The token is no longer accepted.", BAD_TOKEN)


def register_jwt_callbacks() -> None:
    """Tell flask-jwt-extended how to store and load users and how to report failures."""
    jwt.user_identity_loader(user_identity)
    jwt.additional_claims_loader(account_claims)
    jwt.user_lookup_loader(load_user)
    jwt.unauthorized_loader(unauthorized)
    jwt.invalid_token_loader(invalid_token)
    jwt.expired_token_loader(expired_token)
    jwt.user_lookup_error_loader(rejected_token)
    jwt.revoked_token_loader(rejected_token)
    jwt.needs_fresh_token_loader(rejected_token)
    jwt.token_verification_failed_loader(rejected_token)
