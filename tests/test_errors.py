"""One JSON error shape for everything: unknown routes, wrong methods, crashes."""

import logging

import pytest

from tests.support import assert_error


@pytest.mark.parametrize("path", ["/", "/api/v1/nothing", "/api/v1/users/abc", "/api/v2/users/"])
def test_unknown_route_is_json_404(client, path):
    assert_error(client.get(path), 404)


def test_wrong_method_is_json_405_and_keeps_allow(client):
    response = client.delete("/api/v1/users/")
    assert_error(response, 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_unhandled_exception_is_a_generic_logged_500(app, caplog):
    @app.get("/explode")
    def explode():
        raise RuntimeError("secret internals: password=hunter2")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/explode")
    body = assert_error(response, 500)
    assert "hunter2" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert body["error"] == "Internal Server Error"
    assert any("hunter2" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


def test_a_database_that_is_down_is_a_503_without_internals(app, client, api, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from reference_app.extensions import db

    headers = api.headers(api.register())

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("connection refused on 10.0.0.5"))

    monkeypatch.setattr(db, "paginate", broken)
    response = client.get("/api/v1/users/", headers=headers)
    assert_error(response, 503)
    assert "10.0.0.5" not in response.get_data(as_text=True)
