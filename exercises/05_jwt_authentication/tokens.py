# Chapter 05 exercise: fill in each TODO, then grade your work with
#     pytest exercises/05_jwt_authentication
# This file stands in for reference_app/auth/tokens.py inside the complete app.

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
    # TODO(task 2): user_identity: the value for the token's sub claim, a string.
    #   account_claims: the ACCOUNT_CLAIM, the account's account_stamp. load_user: the
    #   user that sub names, or None when it names no user (deleted, not a number, out of
    #   range) or another account than the token's (its ACCOUNT_CLAIM is not the user's
    #   account_stamp).
    raise NotImplementedError(
        "task 2 not started: implement user_identity in exercises/05_jwt_authentication/tokens.py"
    )


def account_claims(user: User) -> dict[str, int]:
    """Return the claims that tie a new token to ``user``'s account, not only to its id."""
    # TODO(task 2): as the TODO at user_identity says.
    raise NotImplementedError(
        "task 2 not started: implement account_claims in exercises/05_jwt_authentication/tokens.py"
    )


def load_user(_jwt_header: dict[str, Any], jwt_data: dict[str, Any]) -> User | None:
    """Return the token's user, or None (a 401) when that account no longer exists."""
    # TODO(task 2): as the TODO at user_identity says.
    raise NotImplementedError(
        "task 2 not started: implement load_user in exercises/05_jwt_authentication/tokens.py"
    )


def token_error(message: str, challenge: str) -> ErrorReply:
    """Return a 401 in the app's error shape, with ``challenge`` as its ``WWW-Authenticate``."""
    response, status = error_response(HTTPStatus.UNAUTHORIZED, message)
    response.headers["WWW-Authenticate"] = challenge
    return response, status


def unauthorized(reason: str) -> ErrorReply:
    """No token where one is needed."""
    # TODO(task 1): Answer each kind of token failure with a 401 in the app's {"error",
    #   "message"} shape and a WWW-Authenticate challenge (token_error does both: NO_TOKEN
    #   when the request carried none, BAD_TOKEN when the one it carried will not do), and
    #   register every callback of this module with the jwt manager: the two user loaders,
    #   the claims loader and the failure loaders.
    raise NotImplementedError(
        "task 1 not started: implement unauthorized in exercises/05_jwt_authentication/tokens.py"
    )


def invalid_token(reason: str) -> ErrorReply:
    """A token that is malformed, tampered with, or of the wrong type (access or refresh)."""
    # TODO(task 1): as the TODO at unauthorized says.
    raise NotImplementedError(
        "task 1 not started: implement invalid_token in exercises/05_jwt_authentication/tokens.py"
    )


def expired_token(_jwt_header: dict[str, Any], _jwt_data: dict[str, Any]) -> ErrorReply:
    """A token past its expiry time."""
    # TODO(task 1): as the TODO at unauthorized says.
    raise NotImplementedError(
        "task 1 not started: implement expired_token in exercises/05_jwt_authentication/tokens.py"
    )


def rejected_token(_jwt_header: dict[str, Any], _jwt_data: dict[str, Any]) -> ErrorReply:
    """A token refused for who it names: a deleted user, a revoked or stale token."""
    # TODO(task 1): as the TODO at unauthorized says.
    raise NotImplementedError(
        "task 1 not started: implement rejected_token in exercises/05_jwt_authentication/tokens.py"
    )


def register_jwt_callbacks() -> None:
    """Tell flask-jwt-extended how to store and load users and how to report failures."""
    # TODO(task 1): as the TODO at unauthorized says.
    raise NotImplementedError(
        "task 1 not started: implement register_jwt_callbacks"
        " in exercises/05_jwt_authentication/tokens.py"
    )
