"""never reuse ids on sqlite

SQLite gives a new row the largest id in use plus one, so the id of the newest row,
once deleted, goes to the next insert: a deleted user's tokens would name the next
account. AUTOINCREMENT makes SQLite remember the largest id ever used. Only a table
rebuild adds it there. PostgreSQL's sequences never go back: nothing to do.

Revision ID: 2441ef930eb5
Revises: c6a7011f9fbe
Create Date: 2026-12-02 10:12:41.051318

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '2441ef930eb5'
down_revision = 'c6a7011f9fbe'
branch_labels = None
depends_on = None

TABLES = ("users", "posts")


def rebuild(autoincrement):
    """Rebuild each table on SQLite, with or without AUTOINCREMENT; elsewhere do nothing."""
    if op.get_context().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade():
    rebuild(autoincrement=True)


def downgrade():
    rebuild(autoincrement=False)
