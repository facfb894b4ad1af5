"""Who may change what: the owner of a resource, or an admin."""

from flask_jwt_extended import get_current_user
from werkzeug.exceptions import Forbidden


def require_owner_or_admin(owner_id: int) -> None:
    """Raise 403 unless the token's user is ``owner_id`` or an admin."""
    user = get_current_user()
    if user.id != owner_id and not user.is_admin:
        raise Forbidden("Only the owner or an admin may do this.")
