"""A grader kept warm, for ``workbook watch``: the libraries imported once, each grading a fork.

A cold ``pytest exercises/NN`` spends most of its time importing Flask, SQLAlchemy,
marshmallow and pytest before the first test runs. ``watch`` grades again at every
save, so it keeps a server process (``python -m workbook.warm``) that has imported
them; each grading is a child forked from it, which runs pytest exactly as a cold run
would (same arguments, same folder) and exits. Nothing the child does reaches the
server: the next grading starts from the same warm state. Where there is no fork
(Windows), each grading is a plain subprocess.

The protocol is one JSON line each way: the client sends ``{"args", "output"}``, the
server answers ``{"pid"}`` when the child starts, then ``{"code"}`` when it ends.
"""

import importlib
import json
import os
import queue
import selectors
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from workbook.chapters import ROOT
from workbook.progress import Runner, cold_run

T = TypeVar("T")

# What every grading imports. Not the grading plugins themselves: pytest must import
# those to rewrite their asserts, and it warns (an error here) if they are loaded.
PRELOAD = (
    "alembic.autogenerate",
    "alembic.migration",
    "click.testing",
    "flask.testing",
    "flask_jwt_extended",
    "flask_migrate",
    "flask_sqlalchemy",
    "marshmallow.validate",
    "pytest",
    "sqlalchemy.orm",
    "workbook.grading.api",
    "workbook.grading.graded_app",
    "workbook.grading.plans",
    "workbook.grading.scoreboard",
)


class WarmGrader:
    """Runs ``pytest ARGS`` in the workbook's folder, in a warm fork when it can."""

    def __init__(self) -> None:
        self._server: subprocess.Popen[str] | None = None
        if hasattr(os, "fork"):
            self._server = subprocess.Popen(
                [sys.executable, "-m", "workbook.warm"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )

    def run(self, args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        """Run pytest with ``args``; raise ``subprocess.TimeoutExpired`` past ``timeout``."""
        if self._server is None:
            return cold_run(args, timeout)
        with tempfile.NamedTemporaryFile(prefix="workbook-warm-", suffix=".log") as output:
            self._send({"args": args, "output": output.name})
            pid = self._receive(timeout)["pid"]
            try:
                code = self._receive(timeout)["code"]
            except subprocess.TimeoutExpired:
                os.kill(pid, signal.SIGKILL)
                self._receive(timeout)  # the server reports the killed child, and is ready again
                raise
            text = Path(output.name).read_text(encoding="utf-8", errors="replace")
        return subprocess.CompletedProcess([sys.executable, "-m", "pytest", *args], code, text, "")

    def _send(self, message: dict[str, object]) -> None:
        assert self._server is not None and self._server.stdin is not None
        self._server.stdin.write(json.dumps(message) + "\n")
        self._server.stdin.flush()

    def _receive(self, timeout: float) -> dict[str, int]:
        assert self._server is not None and self._server.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._server.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                raise subprocess.TimeoutExpired("workbook.warm", timeout)
        line = self._server.stdout.readline()
        if not line:
            raise RuntimeError("the warm grader stopped; `workbook watch` needs restarting")
        return json.loads(line)

    def close(self) -> None:
        """Stop the server, if there is one."""
        if self._server is not None:
            self._server.communicate(timeout=10)  # closes its stdin: the server's loop ends
            self._server = None


class WarmGraders:
    """A few warm graders for gradings run side by side, each lent to one at a time."""

    def __init__(self, count: int) -> None:
        self._idle: queue.Queue[WarmGrader] = queue.Queue()
        for _ in range(count):
            self._idle.put(WarmGrader())
        self._count = count

    def use(self, work: Callable[[Runner], T]) -> T:
        """Call ``work`` with an idle grader's ``run``, and give the grader back."""
        grader = self._idle.get()
        try:
            return work(grader.run)
        finally:
            self._idle.put(grader)

    def __enter__(self) -> "WarmGraders":
        return self

    def __exit__(self, *exc: object) -> None:
        for _ in range(self._count):
            self._idle.get().close()


def _grade_in_child(args: list[str], output: str) -> None:
    """In a forked child: run pytest as a cold run would, into ``output``; exit with its code."""
    code = 3  # pytest's "internal error", should anything below fail
    try:
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(descriptor, 1)
        os.dup2(descriptor, 2)
        import pytest

        code = int(pytest.main(args))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve() -> None:
    """Import what every grading needs, then grade each request in a fork of this process."""
    for module in PRELOAD:
        importlib.import_module(module)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _grade_in_child(request["args"], request["output"])
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    serve()
