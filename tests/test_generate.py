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


def copy_of_this_checkout(folder: Path) -> Path:
    """This checkout's files in ``folder``, with untouched skeletons, not in git."""
    shutil.copytree(ROOT, folder, ignore=shutil.ignore_patterns(*NOT_COPIED))
    write_exercises(folder / "exercises")  # untouched skeletons, whatever this checkout holds
    return folder


def git(folder: Path, *args: str) -> None:
    identity = ["-c", "user.name=Workbook tests", "-c", "user.email=tests@example.com"]
    subprocess.run(["git", *identity, *args], cwd=folder, check=True, capture_output=True)


def commit_all(repository: Path, message: str) -> None:
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", message)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of this checkout, committed to a repository of its own."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    copy = copy_of_this_checkout(tmp_path / "workbook")
    git(copy, "init", "-q")
    commit_all(copy, "as is")
    return copy


def answer_task_1(path: Path) -> None:
    """Do what a learner does: replace the body that raises "task 1 not started"."""
    text = path.read_text(encoding="utf-8")
    assert "task 1 not started: implement get_post" in text
    path.write_text(text.replace("task 1 not started: implement get_post", "my answer"), "utf-8")


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
    assert f"holds work of its own: {SKELETON}" in refused.stderr
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


def test_a_learners_committed_answers_are_kept_and_pass_the_check(checkout):
    """Classroom has learners commit and push: committed answers are theirs all the same."""
    answer_task_1(checkout / SKELETON)
    commit_all(checkout, "my work")
    refused = generate(checkout)
    assert refused.returncode == 1 and f"holds work of its own: {SKELETON}" in (refused.stderr)
    assert "my answer" in (checkout / SKELETON).read_text(encoding="utf-8")
    assert generate(checkout, "--check").returncode == 0


def test_without_git_a_learners_answers_are_kept_and_pass_the_check(tmp_path):
    """A workbook downloaded as a zip has no history: the answers themselves tell."""
    copy = copy_of_this_checkout(tmp_path / "workbook")
    answer_task_1(copy / SKELETON)
    assert generate(copy).returncode == 1
    assert "my answer" in (copy / SKELETON).read_text(encoding="utf-8")
    assert generate(copy, "--check").returncode == 0


def test_a_hand_edited_workflow_is_kept_unless_forced(checkout):
    workflow = checkout / ".github" / "workflows" / "classroom.yml"
    append(workflow, "# my own step\n")
    refused = generate(checkout)
    assert refused.returncode == 1
    assert "holds work of its own: .github/workflows/classroom.yml" in refused.stderr
    assert generate(checkout, "--force").returncode == 0
    assert "# my own step" not in workflow.read_text(encoding="utf-8")


def test_a_workbook_inside_a_larger_repository_reads_its_own_history(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    outer = tmp_path / "course"
    copy = copy_of_this_checkout(outer / "workbook")
    git(outer, "init", "-q")
    commit_all(outer, "the course, the workbook in it")
    append(copy / SKELETON, LEARNER_EDIT)
    refused = generate(copy)
    assert refused.returncode == 1, refused.stdout
    assert f"holds work of its own: {SKELETON}" in refused.stderr
