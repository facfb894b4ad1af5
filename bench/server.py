"""The documented deployment, run for a load test: gunicorn, the app, a seeded PostgreSQL.

The database is a schema of its own in the PostgreSQL that ``LOAD_DATABASE_URL`` (else
``TEST_DATABASE_URL``) names, on this machine only; it is dropped afterwards, and the
server stopped, whatever happened.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import URL, make_url
from werkzeug.security import generate_password_hash

from bench import api
from reference_app.config import database_url
from reference_app.models import Post, User
from workbook.chapters import ROOT

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
READY_SECONDS = 30


def loopback_url(environ: Mapping[str, str]) -> URL:
    """Return the PostgreSQL URL to load-test against; refuse one that is not on this machine."""
    raw = environ.get("LOAD_DATABASE_URL") or environ.get("TEST_DATABASE_URL")
    if not raw:
        raise SystemExit("Set LOAD_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL URL.")
    url = make_url(database_url(raw))
    if not url.drivername.startswith("postgresql") or url.host not in LOOPBACK:
        raise SystemExit(f"The load test runs against PostgreSQL on this machine only: {url!r}")
    return url


@contextmanager
def seeded_schema(server: URL) -> Iterator[str]:
    """Yield a URL whose connections use a new, migrated, seeded schema; drop it afterwards."""
    schema = f"load_{os.getpid()}_{secrets.token_hex(3)}"
    engine = create_engine(server)
    url = server.update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        migrate = [sys.executable, "-m", "flask", "--app", "reference_app", "db", "upgrade"]
        env = {**os.environ, "DATABASE_URL": rendered}
        subprocess.run(migrate, env=env, cwd=ROOT, check=True, capture_output=True)
        _seed(create_engine(url))
        yield rendered
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _seed(engine) -> None:
    """Insert the benchmark's users and posts; move the id sequences past them."""
    password_hash = generate_password_hash(api.PASSWORD)  # scrypt, as production hashes
    with engine.begin() as connection:
        connection.execute(insert(User), list(api.user_rows(password_hash)))
        connection.execute(insert(Post), list(api.post_rows()))
        for table in ("users", "posts"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
    engine.dispose()


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database: str, config: Path, log: Path) -> Iterator[str]:
    """Run ``gunicorn -c CONFIG wsgi:app`` on a loopback port; yield its base URL; stop it."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "JWT_SECRET_KEY": secrets.token_urlsafe(48),
    }
    command = [sys.executable, "-m", "gunicorn", "-c", str(config), "-b", f"127.0.0.1:{port}"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "wsgi:app"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_ready(base, server)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=35)  # its graceful timeout is 30 s
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_ready(base: str, server: subprocess.Popen) -> None:
    """Return once the server answers a read; raise if it exits or takes too long."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see its log")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/posts/1", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {READY_SECONDS} s")
