"""The end of a request's database session, which must never spoil the answer."""

from flask import Flask, current_app

from reference_app.extensions import db


def end_session(_error: BaseException | None) -> None:
    """Remove the request's session; if its rollback fails, drop the connection instead.

    Flask-SQLAlchemy's own teardown rolls back and closes the session. When the database
    dropped the connection in the meantime, that rollback raises after the view has
    answered, and the server sends its own HTML 500 in place of the app's JSON answer.
    """
    try:
        db.session.remove()
    except Exception as error:  # whatever the driver raised: the answer is already made
        current_app.logger.warning(
            "The database session could not be rolled back (%s); its connection is discarded.",
            type(error).__name__,
        )
        db.session().invalidate()  # closes the session, dropping its connections unused
        db.session.remove()


def register_session_teardown(app: Flask) -> None:
    """End each request's session with ``end_session``, before Flask-SQLAlchemy's teardown."""
    # Teardowns run in the reverse order of registration: this one first. After it the
    # session is gone, and Flask-SQLAlchemy's removes nothing.
    app.teardown_appcontext(end_session)
