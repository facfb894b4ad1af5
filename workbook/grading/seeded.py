"""The grading tests' random data, made up from one seed, so that a failure can be replayed.

Every test draws from a generator seeded afresh from the run's seed and the test's
name (``workbook.grading.seeds`` does that), so a test gets the same data whatever
else runs before it. The functions are those of ``secrets`` and ``random`` that the
tests use.
"""

import base64
import random

_random = random.Random()


def reseed(seed: str) -> None:
    """Start the data over from ``seed``."""
    _random.seed(seed)


def token_bytes(length: int) -> bytes:
    """``length`` random bytes."""
    return _random.randbytes(length)


def token_hex(length: int = 16) -> str:
    """``length`` random bytes as hex: ``2 * length`` characters."""
    return token_bytes(length).hex()


def token_urlsafe(length: int = 16) -> str:
    """``length`` random bytes in URL-safe base64, as ``secrets.token_urlsafe`` makes them."""
    return base64.urlsafe_b64encode(token_bytes(length)).rstrip(b"=").decode("ascii")


def randbelow(limit: int) -> int:
    """A whole number from 0 to ``limit`` - 1."""
    return _random.randrange(limit)


randint = _random.randint
choice = _random.choice
sample = _random.sample
