"""Grading for chapter 04: one JSON error shape for every failure, in errors.py."""

import logging
import traceback
from http import HTTPStatus
from pathlib import Path

import pytest
from flask import abort
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from workbook.grading import seeded
from workbook.grading.api import USERS, bearer, random_user_fields
from workbook.grading.feedback import (
    Feedback,
    expect,
    expect_equal,
    expect_error,
    not_started,
)

# A fresh app for every test: its tests add routes to the app.
pytestmark = pytest.mark.fresh_app

HANDLERS = [
    "handle_http_exception",
    "handle_validation_error",
    "handle_database_unavailable",
    "handle_unexpected_error",
]
# Statuses whose werkzeug name and standard phrase agree, so either source passes.
HTTP_ERRORS = [400, 401, 403, 404, 409, 410, 429, 505]
# What views abort with: one handler, for HTTPException, answers every one.
ABORTED = [400, 401, 403, 409, 410, 413, 415, 422, 429, 503]


class LedgerError(Exception):
    """An exception of the app's own making, which no handler names."""


# Exceptions a view may raise by mistake: a bug is any Exception, not only a RuntimeError.
CRASHES = [RuntimeError, KeyError, ZeroDivisionError, LookupError, LedgerError]


def recorder(name: str):
    """Return a stand-in error handler that answers which handler it stands for."""

    def record(_error: Exception) -> tuple[dict[str, str], int]:
        return {"handled_by": name}, 200

    return record


@pytest.fixture
def recording_client(reference, monkeypatch):
    """A client of an app whose handlers in errors.py answer only with their name.

    Its routes: /boom/<n> raises the n-th exception of CRASHES, /refuse/<status> aborts,
    /database-down and /no-connection-free raise what a database that is down raises.
    """
    for name in HANDLERS:
        monkeypatch.setattr(reference.errors, name, recorder(name))
    app = reference.create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/boom/<int:number>")
    def boom(number):
        raise CRASHES[number]("boom")

    @app.get("/refuse/<int:status>")
    def refuse(status):
        abort(status)

    @app.get("/database-down")
    def database_down():
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    @app.get("/no-connection-free")
    def no_connection_free():
        raise PoolTimeoutError("QueuePool limit reached, connection timed out")

    return app.test_client()


def where_raised(error: BaseException) -> traceback.FrameSummary:
    """Return the last frame of ``error``'s traceback in errors.py, else its very last frame."""
    frames = traceback.extract_tb(error.__traceback__)
    mine = [frame for frame in frames if Path(frame.filename).name == "errors.py"]
    return (mine or frames)[-1]


def send(client, method: str, url: str, **kwargs):
    """Send a request; an exception that escaped every handler becomes a message."""
    try:
        return client.open(url, method=method, **kwargs)
    except Exception as error:
        if not_started(error):
            raise
        where = where_raised(error)
        raise Feedback(
            f"{method} {url}\n"
            f"  raised {type(error).__name__}: {error}\n"
            f"  (at {Path(where.filename).name}, line {where.lineno}: {where.line})\n"
            "  instead of answering with a JSON error: either no handler covers it"
            " (register_error_handlers, task 1), or a handler raised it itself."
        ) from None


def handled_by(client, method: str, url: str, **kwargs) -> str:
    """Send a request; return the name of the errors.py handler that answered it."""
    try:
        response = client.open(url, method=method, **kwargs)
    except Exception as error:
        if not_started(error):
            raise
        return f"no handler: the {type(error).__name__} reached the test unhandled"
    body = response.get_json(silent=True)
    if isinstance(body, dict) and "handled_by" in body:
        return body["handled_by"]
    return f"no handler of errors.py: Flask's default {response.status_code} page answered"


@pytest.mark.task(taskno=1)
def test_http_errors_reach_handle_http_exception(recording_client):
    aborted = [("GET", f"/refuse/{code}", f"a {code}, abort({code}) in a view") for code in ABORTED]
    for method, url, what in [
        ("GET", f"/api/v1/nothing-{seeded.token_hex(4)}", "a 404, an unknown route"),
        ("DELETE", USERS, "a 405, a method the route does not take"),
        *aborted,
    ]:
        answer = handled_by(recording_client, method, url)
        expect_equal(
            answer,
            "handle_http_exception",
            f"the handler of {what}: every werkzeug HTTPException, whatever its status",
        )


@pytest.mark.task(taskno=1)
def test_validation_errors_reach_handle_validation_error(recording_client):
    answer = handled_by(recording_client, "POST", USERS, json={})
    expect_equal(answer, "handle_validation_error", "the handler of a marshmallow ValidationError")


@pytest.mark.task(taskno=1)
def test_a_database_that_is_down_reaches_handle_database_unavailable(recording_client):
    for url, what in (
        ("/database-down", "an OperationalError (connection refused)"),
        ("/no-connection-free", "a PoolTimeoutError (no connection free in the pool)"),
    ):
        answer = handled_by(recording_client, "GET", url)
        expect_equal(answer, "handle_database_unavailable", f"the handler of {what}")


@pytest.mark.task(taskno=1)
def test_other_exceptions_reach_handle_unexpected_error(recording_client):
    for number, crash in enumerate(CRASHES):
        answer = handled_by(recording_client, "GET", f"/boom/{number}")
        expect_equal(
            answer,
            "handle_unexpected_error",
            f"the handler of a {crash.__name__} from a view: any other Exception",
        )


def call_error_response(app, reference, call: str, *args, **kwargs):
    """Call error_response (described by ``call``) in a request; return the response it makes."""
    with app.test_request_context():
        try:
            reply = reference.errors.error_response(*args, **kwargs)
            return app.make_response(reply)
        except Exception as error:
            if not_started(error):
                raise
            where = where_raised(error)
            raise Feedback(
                f"{call} raised {type(error).__name__}: {error}\n"
                f"  (at {Path(where.filename).name}, line {where.lineno}: {where.line})"
            ) from None


@pytest.mark.task(taskno=2)
def test_error_response_has_error_and_message(app, reference):
    for status in HTTP_ERRORS:
        message = f"Something went wrong ({seeded.token_hex(4)})."
        call = f"error_response({status}, {message!r})"
        response = call_error_response(app, reference, call, status, message)
        expect_equal(response.status_code, status, f"the status of {call}")
        expect_equal(response.mimetype, "application/json", f"the content type of {call}")
        expected = {"error": HTTPStatus(status).phrase, "message": message}
        expect_equal(response.get_json(), expected, f"the JSON body of {call}")


@pytest.mark.task(taskno=2)
def test_error_response_adds_extra_keys(app, reference):
    status = HTTPStatus(seeded.choice(HTTP_ERRORS))
    message = "Look at the details."
    details = {f"field_{seeded.token_hex(2)}": ["Not valid."]}
    call = f"error_response(HTTPStatus.{status.name}, {message!r}, details={details!r})"
    response = call_error_response(app, reference, call, status, message, details=details)
    expect_equal(response.status_code, status.value, f"the status of {call}")
    expected = {"error": status.phrase, "message": message, "details": details}
    expect_equal(response.get_json(), expected, f"the JSON body of {call}")


@pytest.mark.task(taskno=2)
def test_a_missing_token_is_a_401_in_the_shape(client):
    response = send(client, "GET", f"{USERS}me")
    expect_error(response, 401, "the JWT failures use error_response")


@pytest.mark.task(taskno=2)
def test_a_bad_token_is_a_401_in_the_shape(client):
    response = send(client, "GET", f"{USERS}me", headers=bearer(seeded.token_urlsafe(24)))
    expect_error(response, 401, "the JWT failures use error_response")


@pytest.mark.task(taskno=3)
def test_an_unknown_route_is_a_json_404(client):
    expect_error(send(client, "GET", f"/api/v1/nothing-{seeded.token_hex(4)}"), 404)


@pytest.mark.task(taskno=3)
def test_a_wrong_method_is_a_json_405_that_keeps_allow(client):
    response = send(client, "DELETE", USERS)
    expect_error(response, 405)
    header = response.headers.get("Allow")
    expect(
        header is not None,
        "the 405 lost its Allow header, which werkzeug's response had: start from"
        " error.get_response() and replace only its body and its content type",
    )
    allowed = {method.strip() for method in header.split(",")}
    expect_equal(allowed, {"GET", "HEAD", "OPTIONS", "POST"}, "the Allow header of the 405")


@pytest.mark.task(taskno=3)
def test_an_aborted_request_keeps_its_status_and_description(app):
    status = seeded.choice(HTTP_ERRORS)
    description = f"Nothing to see here ({seeded.token_hex(4)})."

    @app.get("/refuse")
    def refuse():
        abort(status, description)

    body = expect_error(send(app.test_client(), "GET", "/refuse"), status, "abort(status, ...)")
    expect_equal(body["message"], description, f'"message" after abort({status}, description)')


@pytest.mark.task(taskno=4)
def test_an_invalid_registration_is_a_400_with_details(client, reference):
    unknown = f"role_{seeded.token_hex(2)}"
    fields = random_user_fields() | {"email": "not-an-email", "password": "short", unknown: 1}
    response = send(client, "POST", USERS, json=fields)
    body = expect_error(response, 400, "an invalid registration", details=True)
    expected = reference.schemas.UserCreateSchema().validate(fields)
    expect_equal(body["details"], expected, '"details": marshmallow\'s messages, field by field')


@pytest.mark.task(taskno=4)
def test_details_are_the_validation_errors_messages(app):
    messages = {f"field_{seeded.token_hex(2)}": [f"Not like this ({seeded.token_hex(2)})."]}

    @app.post("/check")
    def check():
        raise ValidationError(messages)

    response = send(app.test_client(), "POST", "/check")
    body = expect_error(response, 400, "a view raised a ValidationError", details=True)
    expect_equal(body["details"], messages, '"details": the ValidationError\'s messages')


@pytest.fixture
def secret():
    """A string that a view puts in an exception, which must never reach a client."""
    return f"password={seeded.token_hex(8)}"


@pytest.fixture
def crashing_client(app, secret):
    """A client of an app whose routes /boom and /slip raise, each with a secret in its text."""

    @app.get("/boom")
    def boom():
        raise RuntimeError(f"internal details: {secret}")

    @app.get("/slip")
    def slip():
        raise KeyError(f"another secret: {secret[::-1]}")

    return app.test_client()


@pytest.mark.task(taskno=5)
def test_an_unexpected_error_is_a_generic_500(crashing_client, secret):
    messages = []
    for url in ("/boom", "/slip"):
        response = send(crashing_client, "GET", url)
        messages.append(expect_error(response, 500, "a view raised an exception")["message"])
        text = response.get_data(as_text=True)
        for given_away in (secret, secret[::-1]):
            expect(given_away not in text, f"the 500 body gives away the exception's text:\n{text}")
        expect("Traceback" not in text, f"the 500 body gives away a traceback:\n{text}")
    expect(
        messages[0] == messages[1],
        "the 500's message should be one sentence for every crash, telling nothing of it;"
        f" a RuntimeError got {messages[0]!r}, a KeyError {messages[1]!r}",
    )


def carries_traceback(record: logging.LogRecord, secret: str) -> bool:
    """Whether ``record`` holds the exception with its traceback, as logger.exception logs it."""
    if record.exc_info and isinstance(record.exc_info[1], RuntimeError):
        return secret in str(record.exc_info[1])
    return (
        "Traceback (most recent call last)" in record.getMessage() and secret in record.getMessage()
    )


@pytest.mark.task(taskno=5)
def test_an_unexpected_error_is_logged_with_its_traceback(app, crashing_client, secret, caplog):
    with caplog.at_level(logging.ERROR):
        send(crashing_client, "GET", "/boom")
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    logged = [
        f"{record.levelname} on logger {record.name!r}: {record.getMessage()[:200]!r}"
        + (" with a traceback" if record.exc_info else " without a traceback")
        for record in errors
    ]
    expect(
        any(
            record.name == app.logger.name and carries_traceback(record, secret)
            for record in errors
        ),
        "the RuntimeError should be logged at ERROR level with its traceback through the"
        f" app's logger (current_app.logger, named {app.logger.name!r}): logger.exception()"
        f" does both.\n  The log held: {logged or 'nothing at ERROR level'}",
    )
