"""Client traffic for the load test: timed request loops, slow clients, a reader beside them.

Every loop stops by itself: at a deadline, after a number of requests, and each request
gives up after ``REQUEST_TIMEOUT`` seconds. Everything goes to the loopback address.
"""

import http.client
import json
import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import urlsplit

REQUEST_TIMEOUT = 60.0
SLOW_HEADER_EVERY = 5.0  # seconds between two header lines of a slow client

# Builds one request: (method, path, headers, JSON body or None), from a request number.
Request = Callable[[int], tuple[str, str, dict[str, str], Any]]


@dataclass
class Tally:
    """What one kind of request got: answers with their latencies, and failures."""

    latencies: list[float] = field(default_factory=list)  # seconds, one per answer
    statuses: dict[int, int] = field(default_factory=dict)
    failures: int = 0  # no answer: refused, reset, timed out
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int | None, seconds: float) -> None:
        """Count one request: its status and latency, or a failure (status None)."""
        with self.lock:
            if status is None:
                self.failures += 1
                return
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def percentile(self, share: float) -> float:
        """The latency under which ``share`` of the answers came, in seconds (nan if none)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    @property
    def median(self) -> float:
        """The median latency, in seconds (nan if no answer)."""
        return statistics.median(self.latencies) if self.latencies else float("nan")


class Client:
    """One keep-alive connection to the server, opened again whenever the server closes it."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=REQUEST_TIMEOUT
        )

    def exchange(
        self, method: str, path: str, headers: dict[str, str], body: Any
    ) -> tuple[int | None, bytes]:
        """Send one request; return its status and body, or None and b"" if it failed."""
        payload = None if body is None else json.dumps(body)
        headers = headers | ({"Content-Type": "application/json"} if payload else {})
        try:
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            return None, b""

    def send(self, method: str, path: str, headers: dict[str, str], body: Any) -> int | None:
        """Send one request and read the whole answer; return its status, None if it failed."""
        return self.exchange(method, path, headers, body)[0]

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def loop(base: str, request: Request, tally: Tally, until: float, numbers: Iterator[int]) -> None:
    """Send requests one after another until ``until`` or the shared count runs out."""
    client = Client(base)
    try:
        while time.monotonic() < until and (n := next(numbers, None)) is not None:
            start = time.perf_counter()
            status = client.send(*request(n))
            tally.add(status, time.perf_counter() - start)
    finally:
        client.close()


def run_clients(base: str, request: Request, clients: int, seconds: float, limit: int) -> Tally:
    """Run ``clients`` loops of ``request`` for ``seconds``, ``limit`` requests in all."""
    tally = Tally()
    numbers = iter(range(limit))
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=loop, args=(base, request, tally, until, numbers))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def slow_client(base: str, until: float) -> None:
    """Send a request's head one header line every few seconds until ``until``, then leave."""
    parts = urlsplit(base)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(f"GET /api/v1/posts/ HTTP/1.1\r\nHost: {parts.netloc}\r\n".encode())
            for line in count():
                time.sleep(max(0.0, min(SLOW_HEADER_EVERY, until - time.monotonic())))
                if time.monotonic() >= until:
                    return
                sock.sendall(f"X-Slow-{line}: still sending\r\n".encode())
    except OSError:
        return  # the server cut it off: what a server should do


def beside(base: str, crowd: list[threading.Thread], probe: Request, seconds: float) -> Tally:
    """Start the ``crowd``, read with ``probe`` one request at a time for ``seconds``; join."""
    for thread in crowd:
        thread.start()
    tally = run_clients(base, probe, clients=1, seconds=seconds, limit=100_000)
    for thread in crowd:
        thread.join()
    return tally
