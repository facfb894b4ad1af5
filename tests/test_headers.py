"""The headers of every answer, of token answers, and the hosts production answers to."""

import pytest

from reference_app import create_app, db
from reference_app.config import host_names
from tests.support import PASSWORD, assert_error
from workbook.apps import closing

STRONG = "s" * 32


def test_every_answer_says_nosniff(app, client, api):
    @app.get("/explode")
    def explode():
        raise RuntimeError("boom")

    headers = api.headers(api.register())
    answers = [
        client.get("/api/v1/users/me", headers=headers),  # 200
        client.get("/api/v1/users/me"),  # 401
        client.get("/api/v1/nothing"),  # 404
        client.delete("/api/v1/users/"),  # 405
        client.post("/api/v1/users/", json={}),  # 400
        client.get("/explode"),  # 500
    ]
    assert [answer.status_code for answer in answers] == [200, 401, 404, 405, 400, 500]
    for answer in answers:
        assert answer.headers["X-Content-Type-Options"] == "nosniff", answer.status


def test_token_answers_are_never_stored(client, api):
    ann = api.register()
    login = client.post("/api/v1/auth/login", json={"email": ann["email"], "password": PASSWORD})
    refresh = client.post(
        "/api/v1/auth/refresh", headers={"Authorization": f"Bearer {login.json['refresh_token']}"}
    )
    assert (login.status_code, refresh.status_code) == (200, 200)
    assert login.headers["Cache-Control"] == "no-store"
    assert refresh.headers["Cache-Control"] == "no-store"


def test_other_answers_leave_caching_alone(client, api):
    response = client.get("/api/v1/users/me", headers=api.headers(api.register()))
    assert "Cache-Control" not in response.headers


@pytest.fixture
def production(monkeypatch):
    """Build a production app on in-memory SQLite, with ``TRUSTED_HOSTS`` as given."""

    def build(trusted_hosts=None):
        env = {"DATABASE_URL": "sqlite://", "SECRET_KEY": STRONG, "JWT_SECRET_KEY": STRONG}
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        if trusted_hosts is None:
            monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
        else:
            monkeypatch.setenv("TRUSTED_HOSTS", trusted_hosts)
        return create_app("production")

    return build


def test_production_answers_only_its_trusted_hosts(production):
    with closing(production(" api.example.org, .example.net ,")) as app:
        with app.app_context():
            db.create_all()
        client = app.test_client()
        redirect = client.get("/api/v1/users", headers={"Host": "api.example.org"})
        assert redirect.status_code == 308
        assert redirect.headers["Location"] == "http://api.example.org/api/v1/users/"
        ok = client.get("/api/v1/posts/", headers={"Host": "www.example.net"})
        refused = client.get("/api/v1/users", headers={"Host": "evil.example.com"})
    assert ok.status_code == 200  # a subdomain of a trusted ".example.net"
    assert_error(refused, 400)
    assert "evil.example.com" not in refused.headers.get("Location", "")


def test_production_without_trusted_hosts_takes_any_host(production):
    with closing(production()) as app:
        assert app.config["TRUSTED_HOSTS"] is None
        redirect = app.test_client().get("/api/v1/users", headers={"Host": "any.example.com"})
    assert redirect.status_code == 308


def test_production_sends_no_server_header(production):
    with closing(production()) as app:
        response = app.test_client().get("/api/v1/nothing")
    assert_error(response, 404)
    assert "Server" not in response.headers


@pytest.mark.parametrize(
    ("setting", "names"),
    [("a.org", ["a.org"]), (" a.org , .b.org,", ["a.org", ".b.org"]), (" , ", [])],
)
def test_host_names(setting, names):
    assert host_names(setting) == names
