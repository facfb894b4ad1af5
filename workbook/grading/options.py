"""The grading run's options: which files to grade, which task, which random data."""

from pathlib import Path

import pytest

from workbook.chapters import EXERCISES, SOLUTIONS, shown


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("workbook", "grading the workbook's exercises")
    group.addoption(
        "--solutions",
        action="store_true",
        help="grade the finished files in solutions/ instead of your exercises/",
    )
    group.addoption(
        "--task",
        type=int,
        default=None,
        help="grade only task N of the chapter(s) named (GitHub Classroom scores each task)",
    )
    group.addoption(
        "--answers-dir",
        type=Path,
        default=None,
        help="grade the chapter files found in this folder (NN_slug/FILE) instead",
    )
    group.addoption(
        "--seed",
        type=int,
        default=None,
        help="make up the tests' random data from this seed, as a failed run printed it",
    )


def answers_dir(config: pytest.Config) -> Path:
    """The folder whose NN_slug/FILE files are graded."""
    if config.getoption("answers_dir"):
        folder = config.getoption("answers_dir").resolve()
        if not folder.is_dir():
            raise pytest.UsageError(f"--answers-dir {shown(folder)}: there is no such folder")
        return folder
    return SOLUTIONS if config.getoption("solutions") else EXERCISES
