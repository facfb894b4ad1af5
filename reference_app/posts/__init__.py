"""The posts resource."""

from reference_app.posts.routes import bp

__all__ = ["bp"]
