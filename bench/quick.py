"""``python -m bench.quick``: the benchmark's reads written the quick way, for calibration.

The ratio targets were set against figures quoted for "a quick but correct
implementation": 0.22x bare for ``/me``, 0.18x for one user by id, 0.11x for a page
of 20 users. This module is such an implementation of those three reads, in the
rules' shape (one module, a schema for the response, ``db.paginate``, a token on each
read), and times them through both drivers beside the bare endpoint.

Run it in any environment to see which driver and which library versions the quoted
figures belong to. Measured on this project's machine kind:

    libraries                                 test client           WSGI
    PyJWT 2.10.1, SQLAlchemy 2.0.58, FJE 4.7.1  0.21x 0.16x 0.09x   0.09x 0.07x 0.04x
    the pinned PyJWT 2.15.1, SQLAlchemy 2.1.9   0.19x 0.16x 0.09x   0.08x 0.06x 0.04x

so the quoted figures are test-client figures, and the pinned PyJWT, which checks every
base64 character of a token in Python four times per request, costs some of them.
"""

import statistics
import sys
from datetime import datetime
from typing import Any

from flask import Flask, request
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String, insert
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.security import generate_password_hash

from bench import api, timing
from reference_app.schemas import UserResponseSchema


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(256), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))


# The response schema is the reference app's: the same shape, dumped the same way.
user_schema = UserResponseSchema()


def token_user() -> User | None:
    """The quick way to load the token's user: in the view, from the string ``sub``."""
    return db.session.get(User, int(get_jwt_identity()))


def make_quick_app() -> Flask:
    """Return the quick implementation's three reads on a seeded in-memory database."""
    app = Flask(__name__)
    app.config.update(
        SQLALCHEMY_DATABASE_URI="sqlite://",
        DEFAULT_PER_PAGE=20,
        SECRET_KEY="quick-implementation-secret-key-0123456789",
        JWT_SECRET_KEY="quick-implementation-jwt-key-0123456789",
    )
    db.init_app(app)
    JWTManager(app)

    @app.get("/api/v1/users/me")
    @jwt_required()
    def me() -> Any:
        return user_schema.dump(token_user())

    @app.get("/api/v1/users/<int:user_id>")
    @jwt_required()
    def get_user(user_id: int) -> Any:
        token_user()
        return user_schema.dump(db.get_or_404(User, user_id))

    @app.get("/api/v1/users/")
    @jwt_required()
    def list_users() -> Any:
        token_user()
        page = request.args.get("page", 1, type=int)
        per_page = app.config["DEFAULT_PER_PAGE"]
        pagination = db.paginate(db.select(User).order_by(User.id), page=page, per_page=per_page)
        return {
            "items": user_schema.dump(pagination.items, many=True),
            "total": pagination.total,
            "page": pagination.page,
            "pages": pagination.pages,
        }

    with app.app_context():
        db.create_all()
        password_hash = generate_password_hash(api.PASSWORD, method="pbkdf2:sha256:1000")
        rows = list(api.user_rows(password_hash))
        db.session.execute(insert(User), rows)
        db.session.commit()
    return app


def main() -> int:
    """Time the three reads and the bare endpoint through both drivers; print the ratios."""
    app = make_quick_app()
    with app.app_context():
        token = create_access_token(identity=str(api.TOKEN_USER_ID))
    keys = ("bare", "me", "by_id", "page1")
    endpoints = [e for e in api.endpoints(api.make_bare_app(), app, token) if e.key in keys]
    calls = timing.build_calls(endpoints, timing.DRIVERS)
    rates = timing.rounds(calls, repeats=9, seconds=0.1).rates
    print("a quick implementation of the three timed reads, x bare (median of 9 rounds)")
    print(f"  {'':<8}" + "".join(f"{key:>10}" for key in keys[1:]))
    for driver in timing.DRIVERS:
        ratios = [
            timing.median_ratio(
                rates[timing.subject(driver, key)], rates[timing.subject(driver, "bare")]
            )[0]
            for key in keys[1:]
        ]
        print(f"  {driver:<8}" + "".join(f"{ratio:>10.3f}" for ratio in ratios))
    median_bare = statistics.median(rates[timing.subject("client", "bare")])
    print(f"  (bare: {median_bare:,.0f} req/s through the client)")
    print()
    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
