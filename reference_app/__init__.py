"""The reference app: a JSON API for users and posts, built by ``create_app``.

``flask --app reference_app run`` finds ``create_app`` here and calls it with no
arguments (the development config).

It starts from a set of Flask rules, docs/flask-rules.md: "the rules" in the comments
of these modules. Where their code is broken or unsafe on today's libraries, the app
departs from it, and docs/departures.md says why, row by row.
"""

from reference_app.extensions import db
from reference_app.factory import create_app

__all__ = ["create_app", "db"]
