"""The users resource: registration, listing, reading, updating and deleting users."""

from http import HTTPStatus

from flask import Blueprint, Response, jsonify
from flask_jwt_extended import get_current_user, jwt_required
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Conflict

from reference_app.auth.permissions import require_owner_or_admin
from reference_app.extensions import db
from reference_app.lookups import get_or_404
from reference_app.models import User
from reference_app.pagination import paginated
from reference_app.schemas import UserCreateSchema, UserUpdateSchema, user_schema_for
from reference_app.validation import load_json_body

bp = Blueprint("users", __name__)

create_schema = UserCreateSchema()
update_schema = UserUpdateSchema()

EMAIL_TAKEN = "A user with this email already exists."


def _ensure_email_free(email: str) -> None:
    """Raise 409 if ``email`` already belongs to a user."""
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise Conflict(EMAIL_TAKEN)


def _commit_user_change() -> None:
    """Commit; a unique-email race lost to another request is a 409, not a 500."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(EMAIL_TAKEN) from None


@bp.post("/")
def create_user() -> tuple[Response, int]:
    """Register a new user."""
    data = load_json_body(create_schema)
    _ensure_email_free(data["email"])
    user = User(email=data["email"], name=data["name"])
    user.set_password(data["password"])
    db.session.add(user)
    _commit_user_change()
    # The new user is the one who sees it: their full record.
    return jsonify(user_schema_for(user, user).dump(user)), HTTPStatus.CREATED


@bp.get("/")
@jwt_required()
def list_users() -> Response:
    """List users by id, a page at a time: public views, full records for an admin."""
    return jsonify(
        paginated(db.select(User).order_by(User.id), user_schema_for(get_current_user()))
    )


@bp.get("/me")
@jwt_required()
def me() -> Response:
    """Return the user the access token belongs to."""
    # The User itself, not the current_user proxy, which looks it up again for each
    # attribute the schema reads.
    me = get_current_user()
    return jsonify(user_schema_for(me, me).dump(me))


@bp.get("/<id:user_id>")
@jwt_required()
def get_user(user_id: int) -> Response:
    """Return one user: the full record to that user or an admin, else the public view."""
    user = get_or_404(User, user_id)
    return jsonify(user_schema_for(get_current_user(), user).dump(user))


@bp.put("/<id:user_id>")
@jwt_required()
def update_user(user_id: int) -> Response:
    """Change a user's email or name: the user themself, or an admin."""
    user = get_or_404(User, user_id)
    require_owner_or_admin(user.id)
    data = load_json_body(update_schema)
    if "email" in data and data["email"] != user.email:
        _ensure_email_free(data["email"])
    for field, value in data.items():
        setattr(user, field, value)
    _commit_user_change()
    return jsonify(user_schema_for(get_current_user(), user).dump(user))


@bp.delete("/<id:user_id>")
@jwt_required()
def delete_user(user_id: int) -> tuple[str, int]:
    """Delete a user and, with them, their posts: the user themself, or an admin."""
    user = get_or_404(User, user_id)
    require_owner_or_admin(user.id)
    db.session.delete(user)
    db.session.commit()
    return "", HTTPStatus.NO_CONTENT
