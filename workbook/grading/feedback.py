"""Failures worded for a learner: what was expected, what came back, where to look."""

import json
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import TestResponse

from workbook.chapters import shown

# How a chapter whose app does not import begins its every failure; workbook
# grade-classroom looks for it in the junit report.
IMPORT_FAILED = "The app could not be imported with your files"


class Feedback(AssertionError):  # noqa: N818 - learners read it as feedback, not an error
    """A failed expectation whose message says it all: the report shows no traceback."""


def not_started_error(exc: BaseException | None) -> NotImplementedError | None:
    """Return the skeleton's ``NotImplementedError("task N not started ...")`` behind ``exc``.

    Looks through wrappers too: SQLAlchemy wraps what a column default raises in a
    ``StatementError`` (``.orig``), and code may re-raise with ``from``.
    """
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, NotImplementedError) and "not started" in str(exc):
            return exc
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
        seen += 1
    return None


def not_started(exc: BaseException | None) -> bool:
    """Whether ``exc`` is, or wraps, a skeleton's untouched ``NotImplementedError``."""
    return not_started_error(exc) is not None


def your_code_raised(
    excinfo: pytest.ExceptionInfo[BaseException], graded: Path, test_file: Path
) -> str | None:
    """Word an exception that a graded file raised, or let through: what, where, in which test.

    Return None when no frame of the traceback lies in the ``graded`` folder: the
    exception did not pass through the learner's code, and pytest's report says more.
    """
    entries = list(excinfo.traceback)
    yours = [entry for entry in entries if _is_graded_file(Path(entry.path), graded)]
    if not yours:
        return None
    where = yours[-1]
    error = excinfo.value
    kind = type(error).__qualname__
    if type(error).__module__ != "builtins":
        kind = f"{type(error).__module__}.{kind}"
    how = "raised in your code" if where is entries[-1] else "raised while your code ran"
    lines = [
        f"{kind}: {error}",
        f"  {how}, {_place(where)}, in {where.name}():",
        f"      {str(where.statement).strip()}",
    ]
    tests = [entry for entry in entries if Path(entry.path) == test_file]
    if tests:
        lines += [
            f"  while the test ran {_place(tests[0])}:",
            f"      {str(tests[0].statement).strip()}",
        ]
    lines.append("  (add --tb=long to the pytest command for the whole traceback)")
    return "\n".join(lines)


def _is_graded_file(path: Path, graded: Path) -> bool:
    """Whether ``path`` is one of the learner's files: in the graded folder, not a test."""
    return (
        path.is_relative_to(graded)
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    )


def _place(entry: Any) -> str:
    """``path:line`` of a traceback entry, the path from the project's folder when inside it."""
    return f"{shown(Path(entry.path))}:{entry.lineno + 1}"


def _body(response: TestResponse) -> str:
    data = response.get_data(as_text=True)
    if not data:
        return "(an empty body)"
    try:
        return json.dumps(json.loads(data), indent=2)[:1500]
    except ValueError:
        return data[:500]


def expect_status(response: TestResponse, status: int, why: str = "") -> Any:
    """Raise Feedback unless ``response`` has ``status``; return its JSON body."""
    if response.status_code != status:
        request = response.request
        url = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        raise Feedback(
            f"{request.method} {url}\n"
            f"  expected status {status}, got {response.status_code}{f' ({why})' if why else ''}\n"
            f"  the response body was:\n{_indent(_body(response))}"
        )
    return response.get_json(silent=True)


def expect_error(
    response: TestResponse, status: int, why: str = "", *, details: bool = False
) -> dict[str, Any]:
    """Expect ``status`` in the app's one error shape; return the body.

    That is JSON, exactly ``{"error": the status's standard phrase, "message": a
    sentence}``, plus ``"details"`` (a field-to-messages object) when ``details``.
    """
    body = expect_status(response, status, why)
    where = f"{response.request.method} {response.request.path}" + (f" ({why})" if why else "")
    keys = {"error", "message", "details"} if details else {"error", "message"}
    expect(
        response.mimetype == "application/json" and isinstance(body, dict) and set(body) == keys,
        f"{where}\n  expected the app's JSON error body, exactly the keys {sorted(keys)};"
        f"\n  got ({response.mimetype}):\n{_indent(_body(response))}",
    )
    expect_equal(body["error"], HTTPStatus(status).phrase, f'"error" in the body of {where}')
    message = body["message"]
    expect(
        isinstance(message, str) and message.strip() != "",
        f'"message" in the body of {where} should be a sentence, not {message!r}',
    )
    if details:
        expect(
            isinstance(body["details"], dict) and bool(body["details"]),
            f'"details" in the body of {where} should map each bad field to its messages, '
            f"not {body['details']!r}",
        )
    return body


def expect_defined(module: Any, name: str, what: str = "FUNCTION") -> Any:
    """Return ``module``'s ``name``, or say, in the one wording, that the learner's file lost it."""
    found = getattr(module, name, None)
    file = Path(getattr(module, "__file__", None) or "?").name
    expect(
        found is not None,
        f"MISSING {what} {name} in {file}: did you rename or delete it? Put it back.",
    )
    return found


def expect_stored(row: Any, what: str) -> Any:
    """Expect a row that a response showed to be in the database; return it.

    A response can show a row that was never saved: the view added it to the session
    and answered, but nothing committed it.
    """
    expect(
        row is not None,
        f"{what}: the response showed it, but the database does not hold it.\n"
        "  Likely cause: nothing committed it (db.session.commit() after db.session.add).",
    )
    return row


def expect_equal(actual: Any, expected: Any, what: str) -> None:
    """Raise Feedback unless ``actual == expected``, naming ``what`` was compared."""
    if actual != expected:
        raise Feedback(f"{what}\n  expected: {expected!r}\n  got:      {actual!r}")


def expect(condition: bool, message: str) -> None:
    """Raise Feedback with ``message`` unless ``condition`` holds."""
    if not condition:
        raise Feedback(message)


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())
