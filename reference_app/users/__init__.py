"""The users resource."""

from reference_app.users.routes import bp

__all__ = ["bp"]
