"""The reference app: a JSON API for users and posts, built by ``create_app``.

``flask --app reference_app run`` finds ``create_app`` here and calls it with no
arguments (the development config).
"""

from reference_app.extensions import db
from reference_app.factory import create_app

__all__ = ["create_app", "db"]
