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
        text = super()._deserialize(value, attr, data, **kwargs)
        if not _storable(text):
            raise self.make_error("unstorable")
        return text


def _storable(text: str) -> bool:
    """Whether every database the app supports can store ``text`` as it is."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class NormalizedEmail(fields.Email):
    """An email address, trimmed and lower-cased as the model stores it."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        """Return the email address ``value`` in the form the model stores."""
        return normalize_email(super()._deserialize(value, attr, data, **kwargs))


class UserCreateSchema(Schema):
    """A registration: every field required, nothing else accepted."""

    email = NormalizedEmail(required=True, validate=EMAIL_LENGTH)
    password = Text(required=True, load_only=True, validate=PASSWORD_LENGTH)
    name = Text(required=True, validate=NAME_LENGTH)


class UserUpdateSchema(Schema):
    """A change to a user: email and name, each optional, by the create rules."""

    email = NormalizedEmail(validate=EMAIL_LENGTH)
    name = Text(validate=NAME_LENGTH)


class UserResponseSchema(Schema):
    """A user's full record, for that user and for admins: never a password or a hash."""

    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    created_at = fields.DateTime()


class UserPublicSchema(Schema):
    """What anyone else with a token sees of a user: no email, no role."""

    id = fields.Integer()
    name = fields.String()
    created_at = fields.DateTime()


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

    title = Text(required=True, validate=TITLE_LENGTH)
    body = Text(required=True, validate=BODY_LENGTH)


class PostUpdateSchema(Schema):
    """A change to a post: title and body, each optional, by the create rules."""

    title = Text(validate=TITLE_LENGTH)
    body = Text(validate=BODY_LENGTH)


class PostResponseSchema(Schema):
    """The public shape of a post."""

    id = fields.Integer()
    title = fields.String()
    body = fields.String()
    author_id = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
