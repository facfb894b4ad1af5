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
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the zone; SQLite drops it, so without this the same model
    returns aware datetimes on one database and naive ones on the other.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return ``value`` as it is written to the database: in UTC; refuse a naive datetime."""
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("UTCDateTime needs an aware datetime, not a naive one.")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return a ``value`` read from the database as an aware datetime in UTC."""
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


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

    # Write-only: ``user.posts.select()`` builds a query instead of loading every post,
    # the SQLAlchemy 2 replacement for the rules' legacy ``lazy="dynamic"``.
    # passive_deletes leaves the deleting of posts to the database's ON DELETE CASCADE.
    posts: WriteOnlyMapped["Post"] = relationship(
        back_populates="author", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("email")
    def _normalize_email(self, _key: str, email: str) -> str:
        """Return the email to store, whichever way it was assigned: in its normal form."""
        return normalize_email(email)

    @property
    def is_admin(self) -> bool:
        """Whether this user may act on other users' data."""
        return self.role == "admin"

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password``, never the password itself."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Return whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Post(TimestampMixin, db.Model):
    """A short text written by a user."""

    __tablename__ = "posts"
    # Serves the newest-first listing without sorting the whole table.
    __table_args__ = (Index("ix_posts_created_at_id", "created_at", "id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    author: Mapped[User] = relationship(back_populates="posts")

    def __repr__(self) -> str:
        return f"<Post {self.id} by {self.author_id}>"


def normalize_email(email: str) -> str:
    """Return ``email`` as stored and compared: trimmed and lower-cased."""
    return email.strip().lower()
