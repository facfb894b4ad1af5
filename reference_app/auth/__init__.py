"""Authentication: the login and refresh endpoints, token callbacks, and permissions."""

from reference_app.auth.routes import bp

__all__ = ["bp"]
