import logging
from contextlib import contextmanager
from logging.config import fileConfig

import click
from alembic import context
from flask import current_app
from sqlalchemy import TypeDecorator
from sqlalchemy.exc import OperationalError

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
if config.config_file_name is not None:  # None when Alembic is driven without an .ini
    fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")


def get_engine():
    """Return the app's engine.

    Flask-SQLAlchemy 3 has ``db.engine``; the template's first try, ``db.get_engine()``,
    is deprecated there and fails when warnings are errors.
    """
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    """Return the engine's URL with its password, ``%`` escaped for the config parser."""
    return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def render_item(type_, obj, autogen_context):
    """Write a column type of the app's own (a TypeDecorator) as the plain type it wraps.

    A migration must not import the app: the app's code changes, migrations do not.
    """
    if type_ == "type" and isinstance(obj, TypeDecorator):
        autogen_context.imports.add("import sqlalchemy as sa")
        return f"sa.{obj.impl!r}"
    return False


def connect(engine):
    """Return a connection to the database; if there is none to be had, stop in one line.

    A database that is down would otherwise print a traceback of some 150 lines
    through Flask, click, Alembic and SQLAlchemy, its one useful line among them.
    """
    try:
        return engine.connect()
    except OperationalError as error:
        url = engine.url.render_as_string(hide_password=True)
        reason = (str(error.orig).strip().splitlines() or ["no reason given"])[0]
        raise click.ClickException(f"Cannot connect to the database {url}: {reason}") from None


@contextmanager
def sqlite_foreign_keys_off(connection):
    """Switch SQLite's foreign keys off while the migrations run, and back on afterwards.

    A batch migration rebuilds a table: it copies it, then drops the old one, and with
    foreign keys on (the app turns them on for every connection) SQLite's DROP TABLE
    first deletes the rows that refer to it: posts, ON DELETE CASCADE. The pragma does
    nothing inside a transaction, hence each commit.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        connection.commit()


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives
    conf_args.setdefault("render_item", render_item)

    connectable = get_engine()

    with connect(connectable) as connection, sqlite_foreign_keys_off(connection):
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
