"""Why a graded app answered 500: the exception behind it, worded for the report.

The app answers a crash with a generic 500 and logs the exception on its logger. The
grader listens on that logger, so that the report can name the exception instead of a
log of library frames whose last line holds the cause.
"""

import logging
from pathlib import Path

import pytest
from flask import Flask

from workbook.grading.feedback import your_code_raised


class ServerErrors(logging.Handler):
    """The exceptions that graded apps logged (as ``logger.exception`` does) since ``clear``."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])

    def listen_to(self, app: Flask) -> None:
        """Hear what ``app`` logs (graded apps share their logger: it is named after the app)."""
        if self not in app.logger.handlers:
            app.logger.addHandler(self)

    def clear(self) -> None:
        self.errors.clear()

    def cause_of_a_500(self, failure: str, graded: Path, test_file: Path) -> str | None:
        """Word the exception behind the 500 that a test's ``failure`` message reports, if any.

        Only a failure that says it "got 500" is about a crash: a test may also cause a
        500 on purpose (chapter 04's) and fail on something else.
        """
        if not self.errors or "got 500" not in failure:
            return None
        excinfo = pytest.ExceptionInfo.from_exception(self.errors[-1])
        worded = your_code_raised(excinfo, graded, test_file)
        if worded is None:
            kind = type(self.errors[-1])
            text = str(self.errors[-1]).split("\n[SQL:")[0].strip()  # SQLAlchemy adds the SQL
            worded = f"{kind.__module__}.{kind.__qualname__}: {text[:600]}"
            worded += "\n  (add --tb=long to the pytest command for the app's log of it)"
        return "\n".join(f"  {line}" for line in worded.splitlines())
