"""The clock's time zone while grading: fixed, and not UTC, so the verdict is the laptop's own.

Code that reads the local time where it should read UTC (``datetime.now()``, a
``replace(tzinfo=UTC)`` on a local time) is right by accident on a machine set to UTC.
So the whole grading run keeps the clock at UTC+05:45, whatever the laptop's zone;
tests marked ``time_zones`` run once more with the clock at UTC. Windows' Python cannot
switch zones while it runs (no ``time.tzset``): there the machine's own zone stays.
"""

import os
import time
from collections.abc import Iterator

import pytest

# POSIX TZ strings (they need no zone database): the sign is west of Greenwich.
GRADING_ZONE = "<+0545>-05:45"
UTC = "UTC0"
ORIGINAL_TZ = pytest.StashKey[str | None]()


def set_clock_zone(zone: str | None) -> None:
    """Set the process's local time zone (None: the machine's own)."""
    if not hasattr(time, "tzset"):
        return
    if zone is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = zone
    time.tzset()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "time_zones: the test runs with the clock at UTC too, not only UTC+05:45"
    )
    config.stash[ORIGINAL_TZ] = os.environ.get("TZ")
    set_clock_zone(GRADING_ZONE)


def pytest_unconfigure(config: pytest.Config) -> None:
    if ORIGINAL_TZ in config.stash:
        set_clock_zone(config.stash[ORIGINAL_TZ])


def pytest_report_header(config: pytest.Config) -> str:
    if not hasattr(time, "tzset"):
        return "clock: the machine's own time zone (this Python cannot switch zones)"
    return "clock: UTC+05:45 (and UTC for the tests of time zones)"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("time_zones") is not None:
        zones = [pytest.param(GRADING_ZONE, id="UTC+0545"), pytest.param(UTC, id="UTC")]
        metafunc.parametrize("clock_zone", zones, indirect=True)


@pytest.fixture(autouse=True)
def clock_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The time zone of the clock during the test (a test marked time_zones gets each)."""
    zone = getattr(request, "param", GRADING_ZONE)
    set_clock_zone(zone)
    yield zone
    set_clock_zone(GRADING_ZONE)
