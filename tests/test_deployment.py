"""The documented deployment: gunicorn with the shipped gunicorn.conf.py, serving wsgi:app."""

import importlib.util
import os
import subprocess
import sys
import time
import urllib.request
from email.message import Message

import pytest

from bench.server import free_port, loopback_url
from reference_app import create_app, db
from workbook.apps import closing
from workbook.chapters import ROOT

pytest.importorskip("gunicorn", reason="gunicorn runs on Unix only")
CONFIG = ROOT / "gunicorn.conf.py"


def load_config(**environ: str) -> object:
    """Import gunicorn.conf.py afresh, with ``environ`` set while it runs."""
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", CONFIG)
    module = importlib.util.module_from_spec(spec)
    saved = {name: os.environ.get(name) for name in environ}
    os.environ.update(environ)
    try:
        spec.loader.exec_module(module)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value
    return module


def test_workers_and_threads_follow_the_cpus():
    config = load_config()
    assert config.worker_class == "gthread"
    assert config.workers == 2 * config.usable_cpus()
    assert config.threads > 1
    assert config.bind == "127.0.0.1:8000"
    assert 0 < config.timeout <= 60 and 0 < config.keepalive <= 10
    assert config.limit_request_fields < 100 and config.limit_request_line <= 4094
    sized = load_config(WEB_CONCURRENCY="3", GUNICORN_THREADS="6")
    assert (sized.workers, sized.threads) == (3, 6)


def get(url: str) -> tuple[int, Message]:
    """GET ``url``; return its status and headers."""
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.status, answer.headers


def test_gunicorn_serves_the_production_app_with_the_shipped_config(tmp_path):
    database = f"sqlite:///{tmp_path / 'app.sqlite'}"
    app = create_app("testing", overrides={"SQLALCHEMY_DATABASE_URI": database})
    with closing(app), app.app_context():
        db.create_all()
    port = free_port()
    secret = "a-secret-of-at-least-thirty-two-bytes"
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": secret, "JWT_SECRET_KEY": secret}
    env |= {"WEB_CONCURRENCY": "1", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(CONFIG), "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    status, headers = get(f"http://127.0.0.1:{port}/api/v1/posts/")
                    break
                except OSError:
                    assert server.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "gunicorn did not answer in 30 s"
                    time.sleep(0.2)
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert status == 200
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Server"] == "gunicorn", "no version in the Server header"


@pytest.mark.parametrize(
    "url", ["postgresql://u@10.0.0.5/db", "postgresql://u@db.example.org/db", "sqlite://"]
)
def test_the_load_test_runs_against_this_machine_only(url):
    with pytest.raises(SystemExit):
        loopback_url({"LOAD_DATABASE_URL": url})
