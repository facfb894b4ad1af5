"""Marshmallow schemas: what the API accepts (load) and what it returns (dump).

Loading raises ``marshmallow.ValidationError`` on bad input, including any field the
schema does not declare (marshmallow's default ``unknown=RAISE``): a client cannot
sneak ``role`` or ``author_id`` past a schema that does not name them.
"""

from marshmallow import Schema, fields, validate

from reference_app.models import normalize_email

# Validators shared by the create and update schemas, so both apply one rule.
EMAIL_LENGTH = validate.Length(max=254)  # the longest address SMTP carries; fits the column
# The maximum keeps a hostile client from making the server hash megabytes.
PASSWORD_LENGTH = validate.Length(min=8, max=128)
NAME_LENGTH = validate.Length(min=1, max=100)
TITLE_LENGTH = validate.Length(min=1, max=200)
BODY_LENGTH = validate.Length(min=1, max=10_000)


class NormalizedEmail(fields.Email):
    """An email address, trimmed and lower-cased as the model stores it."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return normalize_email(super()._deserialize(value, attr, data, **kwargs))


class UserCreateSchema(Schema):
    """A registration: every field required, nothing else accepted."""

    email = NormalizedEmail(required=True, validate=EMAIL_LENGTH)
    password = fields.String(required=True, load_only=True, validate=PASSWORD_LENGTH)
    name = fields.String(required=True, validate=NAME_LENGTH)


class UserUpdateSchema(Schema):
    """A change to a user: email and name, each optional, by the create rules."""

    email = NormalizedEmail(validate=EMAIL_LENGTH)
    name = fields.String(validate=NAME_LENGTH)


class UserResponseSchema(Schema):
    """The public shape of a user: never a password or a hash."""

    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    created_at = fields.DateTime()


class LoginSchema(Schema):
    """Credentials; any string is accepted so that a bad email is a 401, not a 400."""

    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class PostCreateSchema(Schema):
    """A new post; the author is the token's user, never a field."""

    title = fields.String(required=True, validate=TITLE_LENGTH)
    body = fields.String(required=True, validate=BODY_LENGTH)


class PostUpdateSchema(Schema):
    """A change to a post: title and body, each optional, by the create rules."""

    title = fields.String(validate=TITLE_LENGTH)
    body = fields.String(validate=BODY_LENGTH)


class PostResponseSchema(Schema):
    """The public shape of a post."""

    id = fields.Integer()
    title = fields.String()
    body = fields.String()
    author_id = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
