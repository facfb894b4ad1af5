"""gunicorn's settings for the reference app: ``gunicorn -c gunicorn.conf.py wsgi:app``.

(gunicorn also reads ``./gunicorn.conf.py`` by itself, so from the repository's folder
a bare ``gunicorn wsgi:app`` uses this file too.)

gunicorn's defaults are one synchronous worker, which serves one request at a time:
a single client that sends its headers slowly holds the whole server, and a few
logins (scrypt, tens of milliseconds of CPU each) keep every read waiting. Here each
CPU gets worker processes, each with a pool of threads. Threads do not cut off a slow
client: a reverse proxy in front does that (docs/deployment.md).

Environment variables, each optional:

- ``WEB_CONCURRENCY``: the number of worker processes (default: two per CPU).
- ``GUNICORN_THREADS``: threads per worker (default: 4).
- ``GUNICORN_BIND``: where to listen (default: ``127.0.0.1:8000``, behind a proxy
  on the same host).
"""

import os


def usable_cpus() -> int:
    """Return how many CPUs this process may run on (a container's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS has no sched_getaffinity
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two processes per CPU, each with a few threads: a request waiting on the database or
# on a slow client holds one thread, not a process; the processes share the CPUs past
# Python's global interpreter lock, which password hashing (scrypt) holds for long.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * usable_cpus()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A worker silent for this long is killed and replaced; a stopping one gets as long to
# finish its requests. Keep-alive connections from the proxy are closed after 5 s idle.
timeout = 30
graceful_timeout = 30
keepalive = 5

# Bounds on a request's head: no header of this API comes near them (a token is about
# 300 characters). The body is bounded by the app (MAX_CONTENT_LENGTH, 1 MiB).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Replace each worker after about this many requests, so that a slow leak never grows.
max_requests = 10_000
max_requests_jitter = 1_000

accesslog = "-"  # one line per request, to standard output

# No control socket (gunicornc) in the home folder: nothing here uses it, and two
# servers started by one user would share its path.
control_socket_disable = True
