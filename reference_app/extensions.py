"""The extension objects, created unbound here and bound to an app in the factory.

Keeping them apart from ``create_app`` lets any module import ``db`` or ``jwt``
without importing the factory, which is what breaks the circular imports that the
rules dodge with imports inside ``create_app``.
"""

from pathlib import Path

from flask_jwt_extended import JWTManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make migrations reproducible: without names, SQLite batch
# migrations cannot drop a constraint and PostgreSQL invents names of its own.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model; SQLAlchemy 2 typed mappings."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
# The migrations ship inside the package, so `flask db upgrade` finds them from any
# folder; batch mode lets SQLite, which cannot ALTER most things, run them too.
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
jwt = JWTManager()
