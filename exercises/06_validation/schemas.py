# Chapter 06 exercise: fill in each TODO, then grade your work with
#     pytest exercises/06_validation
# This file stands in for reference_app/schemas.py inside the complete app.

"""Marshmallow schemas: what the API accepts (load) and what it returns (dump).

Loading raises ``marshmallow.ValidationError`` on bad input, including any field the
schema does not declare (marshmallow's default ``unknown=RAISE``): a client cannot
sneak ``role`` or ``author_id`` past a schema that does not name them.
"""

from marshmallow import Schema, fields, validate

from reference_app.models import User, normalize_email

# Validators shared by the create and update schemas, so both apply one rule.
EMAIL_LENGTH = validate.Length(max=254)  # the longest address SMTP carries; fits the column
# Room for any passphrase, and a bound like every other field's: no input is unbounded.
PASSWORD_LENGTH = validate.Length(min=8, max=128)
NAME_LENGTH = validate.Length(min=1, max=100)
TITLE_LENGTH = validate.Length(min=1, max=200)
BODY_LENGTH = validate.Length(min=1, max=10_000)


class Text(fields.String):
    """A string that every database can store: no NUL character, no unpaired surrogate.

    Both are valid JSON (``"\\u0000"``, ``"\\ud800"``), but PostgreSQL refuses NUL in
    text and a lone surrogate has no UTF-8 form: unchecked, each is a 500.
    """

    # A String's error messages, and one of its own for make_error("unstorable").
    default_error_messages = fields.String.default_error_messages | {
        "unstorable": "Must not contain NUL or unpaired surrogates."
    }

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        """Return the string ``value``; refuse one that holds NUL or an unpaired surrogate."""
        # TODO(task 2): Text: deserialize as a String does, then refuse (with the
        #   "unstorable" error) text holding NUL or an unpaired surrogate.
        #   NormalizedEmail: deserialize as an Email does, then normalise it as the model
        #   does.
        raise NotImplementedError(
            "task 2 not started: implement Text._deserialize in exercises/06_validation/schemas.py"
        )


def _storable(text: str) -> bool:
    """Whether every database the app supports can store ``text`` as it is."""
    # TODO(task 2): as the TODO at Text._deserialize says.
    raise NotImplementedError(
        "task 2 not started: implement _storable in exercises/06_validation/schemas.py"
    )


class NormalizedEmail(fields.Email):
    """An email address, trimmed and lower-cased as the model stores it."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        """Return the email address ``value`` in the form the model stores."""
        # TODO(task 2): as the TODO at Text._deserialize says.
        raise NotImplementedError(
            "task 2 not started: implement NormalizedEmail._deserialize"
            " in exercises/06_validation/schemas.py"
        )


class UserCreateSchema(Schema):
    """A registration: every field required, nothing else accepted."""

    # TODO(task 3): Declare the fields of this schema, as the chapter's README lists them:
    #   on registration, email, password and name, all required, with the field classes
    #   and length validators above; on update, email and name, both optional; in the
    #   public view of a user (what everyone but that user and the admins sees), id, name
    #   and created_at, no more.


class UserUpdateSchema(Schema):
    """A change to a user: email and name, each optional, by the create rules."""

    # TODO(task 3): as the TODO at UserCreateSchema says.


class UserResponseSchema(Schema):
    """A user's full record, for that user and for admins: never a password or a hash."""

    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    created_at = fields.DateTime()


class UserPublicSchema(Schema):
    """What anyone else with a token sees of a user: no email, no role."""

    # TODO(task 3): as the TODO at UserCreateSchema says.


full_user = UserResponseSchema()
public_user = UserPublicSchema()


def user_schema_for(viewer: User, user: User | None = None) -> Schema:
    """Return the schema that shows ``viewer`` what they may see of ``user`` (None: a list).

    A user's email and role are for that user and the admins (OWASP API3, broken
    object property level authorization); anyone else gets the public view, and so
    does a user in a list, even on their own row.
    """
    if viewer.is_admin or (user is not None and user.id == viewer.id):
        return full_user
    return public_user


class LoginSchema(Schema):
    """Credentials; any string is accepted so that a bad email is a 401, not a 400."""

    email = Text(required=True)
    password = Text(required=True, load_only=True)


class PostCreateSchema(Schema):
    """A new post; the author is the token's user, never a field."""

    # TODO(task 4): Declare the fields of this schema: title (1-200 characters) and body
    #   (1-10,000), required to create a post, optional to change one. Nothing else,
    #   author_id included.


class PostUpdateSchema(Schema):
    """A change to a post: title and body, each optional, by the create rules."""

    # TODO(task 4): as the TODO at PostCreateSchema says.


class PostResponseSchema(Schema):
    """The public shape of a post."""

    id = fields.Integer()
    title = fields.String()
    body = fields.String()
    author_id = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
