"""The run's seed: printed in the header and with any failure, replayed with ``--seed``."""

import secrets

import pytest

from workbook.grading import seeded

SEED = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    chosen = config.getoption("seed")
    config.stash[SEED] = chosen if chosen is not None else secrets.randbelow(10**6)


def pytest_report_header(config: pytest.Config) -> str:
    return f"grading data from --seed {config.stash[SEED]}"


@pytest.fixture(autouse=True)
def _seeded_data(request: pytest.FixtureRequest) -> None:
    """Make up this test's data from the run's seed and its name, whatever ran before."""
    seeded.reseed(f"{request.config.stash[SEED]}:{request.node.nodeid}")


def replay_hint(config: pytest.Config) -> str:
    """The line that tells how to grade again with the same data."""
    return (
        f"The tests made up their data from --seed {config.stash[SEED]}: add that to the "
        "command to grade again with the same data."
    )
