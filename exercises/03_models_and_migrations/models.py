# Chapter 03 exercise: fill in each TODO, then grade your work with
#     pytest exercises/03_models_and_migrations
# This file stands in for reference_app/models.py inside the complete app.

"""The database models: users and their posts, with UTC timestamps."""

from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import DateTime, ForeignKey, Index, String, Text, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from reference_app.extensions import db


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (``datetime.utcnow`` is deprecated)."""
    # TODO(task 1): Timestamps go in as UTC and come out aware: utcnow is now, aware, in
    #   UTC; process_bind_param converts an aware datetime to UTC and refuses a naive one
    #   (ValueError); process_result_value returns an aware datetime in UTC. None stays
    #   None.
    raise NotImplementedError(
        "task 1 not started: implement utcnow in exercises/03_models_and_migrations/models.py"
    )


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the zone; SQLite drops it, so without this the same model
    returns aware datetimes on one database and naive ones on the other.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return ``value`` as it is written to the database: in UTC; refuse a naive datetime."""
        # TODO(task 1): as the TODO at utcnow says.
        raise NotImplementedError(
            "task 1 not started: implement UTCDateTime.process_bind_param"
            " in exercises/03_models_and_migrations/models.py"
        )

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return a ``value`` read from the database as an aware datetime in UTC."""
        # TODO(task 1): as the TODO at utcnow says.
        raise NotImplementedError(
            "task 1 not started: implement UTCDateTime.process_result_value"
            " in exercises/03_models_and_migrations/models.py"
        )


def _same_as_created_at(context: DefaultExecutionContext) -> datetime:
    """Return the ``created_at`` of the row being inserted, given or defaulted.

    SQLAlchemy runs Python-side defaults in column order, so ``created_at``'s has run.
    """
    return context.get_current_parameters()["created_at"]


class TimestampMixin:
    """``created_at`` and ``updated_at``, set by the application in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A new row was last updated when it was created: one instant, not two clock reads.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=_same_as_created_at, onupdate=utcnow
    )


# SQLite hands the id of the newest row, once deleted, to the next insert unless the
# table is AUTOINCREMENT; a reused user id would let a deleted account's tokens in.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class User(TimestampMixin, db.Model):
    """Somebody who can log in; an admin may edit and delete anyone's data."""

    __tablename__ = "users"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(256), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20), default="user")

    # TODO(task 5): Declare what the committed migration creates for posts: title (up to
    #   200 characters), body (any length), author_id (a foreign key to users.id, ON
    #   DELETE CASCADE, indexed), and one relationship seen from both ends, Post.author
    #   and User.posts. User.posts is write-only and leaves the deleting of posts to the
    #   database.

    @validates("email")
    def _normalize_email(self, _key: str, email: str) -> str:
        """Return the email to store, whichever way it was assigned: in its normal form."""
        # TODO(task 3): normalize_email trims and lower-cases an address; the @validates
        #   hook returns the normal form of every email assigned to a User.
        raise NotImplementedError(
            "task 3 not started: implement User._normalize_email"
            " in exercises/03_models_and_migrations/models.py"
        )

    @property
    def is_admin(self) -> bool:
        """Whether this user may act on other users' data."""
        # TODO(task 4): Return whether this user's role is "admin".
        raise NotImplementedError(
            "task 4 not started: implement User.is_admin"
            " in exercises/03_models_and_migrations/models.py"
        )

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``, never the password itself."""
        # TODO(task 2): set_password stores a salted hash made with the app's
        #   PASSWORD_HASH_METHOD setting, never the password; check_password says whether
        #   a password matches that hash.
        raise NotImplementedError(
            "task 2 not started: implement User.set_password"
            " in exercises/03_models_and_migrations/models.py"
        )

    def check_password(self, password: str) -> bool:
        """Return whether ``password`` matches the stored hash."""
        # TODO(task 2): as the TODO at User.set_password says.
        raise NotImplementedError(
            "task 2 not started: implement User.check_password"
            " in exercises/03_models_and_migrations/models.py"
        )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Post(TimestampMixin, db.Model):
    """A short text written by a user."""

    __tablename__ = "posts"
    # Serves the newest-first listing without sorting the whole table.
    __table_args__ = (Index("ix_posts_created_at_id", "created_at", "id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    # TODO(task 5): as the TODO at User.posts says.

    def __repr__(self) -> str:
        return f"<Post {self.id} by {self.author_id}>"


def normalize_email(email: str) -> str:
    """Return ``email`` as stored and compared: trimmed and lower-cased."""
    # TODO(task 3): as the TODO at User._normalize_email says.
    raise NotImplementedError(
        "task 3 not started: implement normalize_email"
        " in exercises/03_models_and_migrations/models.py"
    )
