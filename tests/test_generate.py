"""``python -m workbook.generate``: it never overwrites work silently; its check is learner-safe.

Each test runs the generator in a copy of this checkout, committed to a git repository
of its own, as a learner or a maintainer would run it in theirs.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbook.chapters import ROOT
from workbook.generate import write_exercises

SKELETON = Path("exercises/02_blueprints/routes.py")
SOURCE = Path("reference_app/posts/routes.py")
LEARNER_EDIT = "\n# my answer, half done\n"
NOT_COPIED = (".git", ".venv*", "__pycache__", ".*_cache", "instance", ".workbook", "*.egg-info")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """This checkout's files, with untouched skeletons, committed to a repository of its own."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    copy = tmp_path / "workbook"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_COPIED))
    write_exercises(copy / "exercises")  # untouched skeletons, whatever this checkout holds
    identity = ["-c", "user.name=Workbook tests", "-c", "user.email=tests@example.com"]
    for command in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "as is"]):
        subprocess.run(["git", *command], cwd=copy, check=True, capture_output=True)
    return copy


def generate(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the checkout's own generator (its folder comes first on ``sys.path``)."""
    return subprocess.run(
        [sys.executable, "-m", "workbook.generate", *args],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=False,
    )


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)


def test_a_mistyped_option_is_refused_and_writes_nothing(checkout):
    append(checkout / SKELETON, LEARNER_EDIT)
    result = generate(checkout, "--chek")
    assert result.returncode == 2, result.stderr
    assert "unrecognized arguments: --chek" in result.stderr
    assert (checkout / SKELETON).read_text(encoding="utf-8").endswith(LEARNER_EDIT)


def test_a_skeleton_edited_by_hand_is_kept_unless_forced(checkout):
    append(checkout / SKELETON, LEARNER_EDIT)
    refused = generate(checkout)
    assert refused.returncode == 1
    assert f"edited since the last commit: {SKELETON}" in refused.stderr
    assert "run again with --force" in refused.stderr
    assert (checkout / SKELETON).read_text(encoding="utf-8").endswith(LEARNER_EDIT)
    forced = generate(checkout, "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"wrote {SKELETON}" in forced.stdout
    assert not (checkout / SKELETON).read_text(encoding="utf-8").endswith(LEARNER_EDIT)


def test_the_check_accepts_a_learners_work_in_a_skeleton(checkout):
    append(checkout / SKELETON, LEARNER_EDIT)
    result = generate(checkout, "--check")
    assert result.returncode == 0, result.stderr


def test_the_check_names_a_skeleton_behind_its_reference_module(checkout):
    append(checkout / SOURCE, "\n\n# a maintainer's change\n")
    result = generate(checkout, "--check")
    assert result.returncode == 1
    assert f"out of date: {SKELETON}" in result.stderr


def test_a_maintainer_regenerates_again_and_again_while_changing_the_reference(checkout):
    for change in ("\n\n# a first change\n", "\n\n# and a second\n"):
        append(checkout / SOURCE, change)
        result = generate(checkout)
        assert result.returncode == 0, result.stderr
        assert f"wrote {SKELETON}" in result.stdout
        assert (checkout / SKELETON).read_text(encoding="utf-8").endswith(change)
    assert generate(checkout, "--check").returncode == 0
