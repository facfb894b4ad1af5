"""Why a graded app answered 500: the exception behind it, worded for the report.

The app answers a crash with a generic 500 and logs the traceback. Without this, the
report would show the test's "got 500" and, apart, a log of library frames whose last
line holds the cause.
"""

from pathlib import Path

import pytest
from flask import Flask, Response, g

from workbook.grading.feedback import your_code_raised

SERVER_ERRORS = "workbook.server_errors"  # the app.extensions key of server_errors()


def server_errors(app: Flask) -> list[BaseException]:
    """The exceptions behind the app's 500 answers since the current test began."""
    return app.extensions.setdefault(SERVER_ERRORS, [])


def record_server_errors(app: Flask) -> None:
    """Keep the exception behind each of ``app``'s 500 answers in ``server_errors(app)``."""
    handle_user_exception = app.handle_user_exception

    def recording(error: Exception):  # returns whatever Flask's own does
        g.workbook_error = error
        return handle_user_exception(error)

    app.handle_user_exception = recording  # type: ignore[method-assign]

    @app.after_request
    def keep_the_cause_of_a_500(response: Response) -> Response:
        error = g.pop("workbook_error", None)
        if response.status_code >= 500 and error is not None:
            server_errors(app).append(error)
        return response


def cause_of_a_500(failure: str, app: object, graded: Path, test_file: Path) -> str | None:
    """Word the exception behind the 500 that a test's ``failure`` message reports, if any.

    Only a failure that says it "got 500" is about a crash: a test may also cause a 500
    on purpose (chapter 04's) and fail on something else.
    """
    errors = server_errors(app) if isinstance(app, Flask) else []
    if not errors or "got 500" not in failure:
        return None
    excinfo = pytest.ExceptionInfo.from_exception(errors[-1])
    worded = your_code_raised(excinfo, graded, test_file)
    if worded is None:
        kind = type(errors[-1])
        text = str(errors[-1]).split("\n[SQL:")[0].strip()  # SQLAlchemy appends the statement
        worded = f"{kind.__module__}.{kind.__qualname__}: {text[:600]}"
        worded += "\n  (add --tb=long to the pytest command for the app's log of it)"
    return "\n".join(f"  {line}" for line in worded.splitlines())
