"""``python -m bench.suite``: what the testing config's cheap password hash saves the test suite.

Runs the API contract tests twice on SQLite, in fresh processes: with the testing
config's hash, and with werkzeug's default (scrypt) through TEST_PASSWORD_HASH_METHOD.
Target: the suite with the cheap hash at least 5x faster.
"""

from bench.runs import median_wall, verdict

SUITE = ["pytest", "-q", "-p", "no:nbval", "tests/test_users.py", "tests/test_auth.py"]
SCRYPT = {"TEST_PASSWORD_HASH_METHOD": "scrypt", "TEST_DATABASE_URL": ""}
MIN_SPEEDUP = 5.0


def main() -> int:
    """Time the suite with each hash and print the speed-up."""
    cheap = median_wall(SUITE, 3, env={"TEST_DATABASE_URL": ""})
    slow = median_wall(SUITE, 1, env=SCRYPT)
    print("test suite (tests/test_users.py and tests/test_auth.py, SQLite), wall time")
    print(f"  testing config's hash  {cheap:6.2f} s")
    print(f"  werkzeug's scrypt      {slow:6.2f} s")
    speedup = slow / cheap
    print(f"  {verdict(speedup >= MIN_SPEEDUP)}  {speedup:.1f}x faster (>= {MIN_SPEEDUP:.0f}x)")
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
