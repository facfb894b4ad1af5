"""The learner's ``workbook`` command: status, hint, reset, watch and doctor.

Every test works on a copy of the learner's files and a state folder in ``tmp_path``
(``WORKBOOK_EXERCISES``, ``WORKBOOK_STATE_DIR``): the real exercises/ and .workbook/
are never touched.
"""

import json
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from workbook.chapters import Chapter, all_chapters, find_chapter
from workbook.cli import main
from workbook.commands import doctor, hint, watch
from workbook.environment import VersionCheck
from workbook.generate import write_exercises
from workbook.grading.scoreboard import Scoreboard
from workbook.progress import GradingError
from workbook.skeletons import skeleton as skeleton_text

BLUEPRINTS = find_chapter("02")


def skeleton(chapter: Chapter, *tasks: int) -> str:
    """Return the chapter's (first file's) skeleton, with only ``tasks`` blanked if given."""
    return skeleton_text(chapter, chapter.files[0], tasks or None)


def invoke(*args: str, **kwargs) -> Result:
    """Run ``workbook ARGS`` in this process."""
    return CliRunner().invoke(main, list(args), **kwargs)


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A state folder in tmp_path, in place of the workbook's .workbook/."""
    monkeypatch.setenv("WORKBOOK_STATE_DIR", str(tmp_path / "state"))
    return tmp_path / "state"


@pytest.fixture
def learner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A learner's exercises folder in tmp_path in which every chapter is finished."""
    folder = write_exercises(tmp_path / "exercises", {c.slug for c in all_chapters()})
    monkeypatch.setenv("WORKBOOK_EXERCISES", str(folder))
    return folder


def test_the_console_script_runs():
    script = shutil.which("workbook", path=str(Path(sys.executable).parent))
    assert script, "`workbook` is not installed next to this Python: pip install -e ."
    result = subprocess.run([script, "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    for command in ("status", "hint", "reset", "watch", "doctor", "grade-classroom"):
        assert f"  {command} " in result.stdout


def test_status_shows_every_chapter_the_total_and_the_next_step(learner):
    (learner / "04_error_handling" / "errors.py").write_text(skeleton(find_chapter("04")))
    result = invoke("status")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sum(" tasks  " in line for line in lines) == 8, "one line per chapter"
    assert "02 Blueprints                       [############] 5/5 tasks  done" in lines
    assert "04 Error handling                   [............] 0/5 tasks  not started" in lines
    assert "   Overall                          [##########..] 32/37 tasks" in lines
    assert "Next: Start chapter 04, task 1: " in result.output
    assert "workbook hint 04" in result.output


def test_status_of_one_chapter_counts_its_tasks(learner):
    (learner / BLUEPRINTS.slug / "routes.py").write_text(skeleton(BLUEPRINTS, 3))
    result = invoke("status", "2")
    assert result.exit_code == 0, result.output
    assert "02 Blueprints                       [##########..] 4/5 tasks  in progress" in (
        result.output
    )
    assert "Next: Start chapter 02, task 3: Publish a post" in result.output
    assert "03 Models" not in result.output and "Overall" not in result.output


def test_status_says_why_the_next_task_fails_and_where_to_edit(learner):
    routes = break_create_post(learner)
    result = invoke("status", "2")
    assert result.exit_code == 0, result.output
    assert "Next: Finish chapter 02, task 3: Publish a post" in result.output
    assert f"Edit {routes};" in result.output, "the graded folder's file, not exercises/'s"
    why = result.output.split("Why task 3 fails: ")[1]
    assert why.startswith("test_")
    assert "POST /api/v1/posts/\n      expected status 201, got 200" in why


def break_create_post(learner: Path) -> Path:
    """Make the learner's create_post answer 200 where 201 is due: task 3 then fails."""
    routes = learner / BLUEPRINTS.slug / "routes.py"
    text = routes.read_text(encoding="utf-8")
    assert "jsonify(post_schema.dump(post)), HTTPStatus.CREATED" in text
    routes.write_text(text.replace("HTTPStatus.CREATED", "HTTPStatus.OK"), encoding="utf-8")
    return routes


def test_watch_says_why_the_next_task_fails_too(learner):
    break_create_post(learner)
    result = invoke("watch", "2", "--poll", "--max-runs", "1")
    assert "Why task 3 fails: test_" in result.output, result.output
    assert "expected status 201, got 200" in result.output


def test_status_words_an_exception_raised_in_the_learners_code(learner):
    config = learner / "07_configuration" / "config.py"
    text = config.read_text(encoding="utf-8")
    assert "\n    return url\n" in text
    config.write_text(text.replace("\n    return url\n", "\n    return url + 1\n"), "utf-8")
    result = invoke("status", "7")
    why = result.output.split("Why task 1 fails: ")[1]
    assert 'TypeError: can only concatenate str (not "int") to str' in why
    assert f"raised in your code, {config}:" in why
    assert "_pytest" not in why and "pluggy" not in why


def test_an_unknown_chapter_is_an_error_naming_the_chapters():
    result = invoke("status", "9")
    assert result.exit_code == 1
    assert "no chapter '9'" in result.stderr and "02_blueprints" in result.stderr
    assert isinstance(result.exception, SystemExit), "click's exit, not an exception escaping"


def test_junit_cases_count_as_passed_not_started_or_failed(tmp_path):
    def case(name: str, task: int, child: str = "") -> str:
        properties = (
            '<properties><property name="chapter" value="02_blueprints" />'
            f'<property name="task" value="{task}" /></properties>'
        )
        return f'<testcase classname="t" name="{name}">{properties}{child}</testcase>'

    report = tmp_path / "report.xml"
    report.write_text(
        "<testsuites><testsuite>"
        + case("a", 1)
        + case("b", 2, '<failure message="task 2 not started: implement list_posts" />')
        + case("c", 3, '<error message="failed on setup with &quot;task 3 not started&quot;" />')
        + case("d", 4, '<failure message="expected status 403, got 200" />')
        + case("e", 4)
        + "</testsuite></testsuites>"
    )
    board = Scoreboard.from_junit(report)
    statuses = [board.task_status(BLUEPRINTS, n) for n in (1, 2, 3, 4)]
    assert statuses == ["passed", "not started", "not started", "failed"]
    assert board.why_lines() == [], "the first open task is not started: nothing to explain"
    for number in (2, 3):  # as though tasks 2 and 3 passed: task 4 is next
        board.outcomes["02_blueprints"][number] = {f"t::{number}": "passed"}
    assert board.why_lines() == ["", "Why task 4 fails: d", "    expected status 403, got 200"]


def test_a_failure_is_not_undone_by_a_later_phase_that_passes():
    board = Scoreboard()
    board.record("02_blueprints", 1, "t::a", "failed", "expected 201, got 500")
    board.record("02_blueprints", 1, "t::a", "passed")  # its teardown, say
    board.record("02_blueprints", 2, "t::b", "not started")
    board.record("02_blueprints", 2, "t::b", "passed")
    assert board.task_status(BLUEPRINTS, 1) == "failed"
    assert board.task_status(BLUEPRINTS, 2) == "not started"


def test_hint_shows_one_level_at_a_time_and_remembers(state):
    outputs = [invoke("hint", "02", "3").output for _ in range(4)]
    assert "Chapter 02, task 3: Publish a post as the token's user — hint 1 of 3" in outputs[0]
    assert "hint 2 of 3" in outputs[1] and "load_json_body(create_schema)" in outputs[1]
    assert "hint 3 of 3" in outputs[2] and "HTTPStatus.CREATED" in outputs[2]
    assert "no more hints" in outputs[3] and "solutions/02_blueprints/" in outputs[3]
    saved = json.loads((state / "state.json").read_text())
    assert saved["hints_shown"] == {"02_blueprints": {"3": 3}}


def test_hint_again_shows_the_last_and_reset_forgets():
    invoke("hint", "02_blueprints", "1")
    invoke("hint", "2", "1")
    again = invoke("hint", "02", "--again")
    assert again.exit_code == 0 and "task 1: Read one post — hint 2 of 3" in again.output
    assert invoke("hint", "02", "--reset").exit_code == 0
    assert "hint 1 of 3" in invoke("hint", "02", "1").output


def test_hint_reset_of_one_task_forgets_that_task_only():
    for task in ("1", "1", "3"):
        invoke("hint", "02", task)
    assert invoke("hint", "02", "1", "--reset").exit_code == 0
    assert "task 1: Read one post — hint 1 of 3" in invoke("hint", "02", "1").output
    assert "hint 2 of 3" in invoke("hint", "02", "3").output


@pytest.mark.parametrize(
    "saved",
    [
        "not json",
        "[]",
        '{"hints_shown": []}',
        '{"hints_shown": {"02_blueprints": {"1": "2"}}}',
        '{"hints_shown": {"02_blueprints": []}}',
        '{"last_task": []}',
        '{"last_task": {"02_blueprints": "1"}}',
    ],
)
def test_a_state_file_of_the_wrong_shape_starts_afresh(state, saved):
    state.mkdir(parents=True)
    (state / "state.json").write_text(saved, encoding="utf-8")
    result = invoke("hint", "02", "1")
    assert result.exit_code == 0, result.output
    assert "Starting afresh" in result.stderr
    assert "task 1: Read one post — hint 1 of 3" in result.output
    assert invoke("hint", "02", "--again").exit_code == 0, "and the file is sound again"


def test_hint_without_a_task_picks_the_first_task_that_does_not_pass(learner):
    (learner / BLUEPRINTS.slug / "routes.py").write_text(skeleton(BLUEPRINTS, 3, 5))
    result = invoke("hint", "02")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Chapter 02, task 3: Publish a post as the token's user")


def test_hint_falls_back_to_task_1_when_grading_cannot_run(monkeypatch):
    def cannot_grade(chapters):
        raise GradingError("pytest is missing")

    monkeypatch.setattr(hint, "grade", cannot_grade)
    result = invoke("hint", "02")
    assert result.exit_code == 0
    assert "Chapter 02, task 1: Read one post — hint 1 of 3" in result.stdout
    assert "pytest is missing" in result.stderr


def test_an_unknown_task_is_an_error_listing_the_tasks():
    result = invoke("hint", "02", "9")
    assert result.exit_code == 1
    assert "Chapter 02 has no task 9" in result.stderr
    assert "  5  Let the author, or an admin, delete a post" in result.stderr


def test_reset_keeps_a_backup_and_restores_the_skeleton(learner, state):
    routes = learner / BLUEPRINTS.slug / "routes.py"
    finished = routes.read_text()
    result = invoke("reset", "02", "--yes")
    assert result.exit_code == 0, result.output
    assert routes.read_text() == skeleton(BLUEPRINTS)
    [backup] = (state / "backups" / BLUEPRINTS.slug).iterdir()
    assert backup.name.startswith("routes.py.2") and backup.read_text() == finished
    assert str(backup) in result.output

    again = invoke("reset", "02", "--yes")
    assert "already the untouched skeleton" in again.output
    assert len(list(backup.parent.iterdir())) == 1, "no backup of an untouched skeleton"


def test_reset_asks_first(learner, state):
    routes = learner / BLUEPRINTS.slug / "routes.py"
    finished = routes.read_text()
    result = invoke("reset", "02", input="n\n")
    assert result.exit_code == 1
    assert "Reset routes.py of chapter 02 (Blueprints) to the skeleton?" in result.output
    assert routes.read_text() == finished and not (state / "backups").exists()


def test_watch_wakes_on_file_events(learner, monkeypatch):
    graded = []

    def fake_grade(chapters, run):
        graded.append([c.slug for c in chapters])
        return Scoreboard()

    monkeypatch.setattr(watch, "grade", fake_grade)
    results = []
    args = ["watch", "02", "--interval", "15", "--max-runs", "2"]  # too slow to poll in time
    thread = threading.Thread(target=lambda: results.append(invoke(*args)))
    thread.start()
    routes, deadline = learner / BLUEPRINTS.slug / "routes.py", time.monotonic() + 10
    while thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.2)
        routes.write_text(routes.read_text() + "\n")
    thread.join(timeout=1)
    assert results and results[0].exit_code == 0, "watch did not wake on a file event"
    assert "file events" in results[0].output and "run 2: routes.py changed" in results[0].output
    assert graded == [["02_blueprints"], ["02_blueprints"]]


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl-C is a signal on POSIX only")
def test_watch_polls_regrades_on_save_and_stops_on_ctrl_c(learner):
    routes = learner / BLUEPRINTS.slug / "routes.py"
    routes.write_text(skeleton(BLUEPRINTS))
    start = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    start += "from workbook.cli import main; main()"
    command = [sys.executable, "-c", start, "watch", "2", "--poll", "--interval", "0.1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout])
    reader.start()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if text in lines.get(timeout=0.5):
                    return
            except queue.Empty:
                pass
        process.kill()
        pytest.fail(f"watch never printed {text!r}")

    try:
        wait_for("0/5 tasks  not started")
        shutil.copy(BLUEPRINTS.solution_dir / "routes.py", routes)
        wait_for("5/5 tasks  done")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        wait_for("Stopped watching.")
    finally:
        process.kill()
        process.wait()
        reader.join(timeout=5)
        process.stdout.close()


def test_doctor_finds_this_workbook_ready():
    result = invoke("doctor")
    assert result.exit_code == 0, result.output
    assert "PROBLEM" not in result.output
    ok_lines = [line for line in result.output.splitlines() if line.startswith("ok: ")]
    for found in ("Python 3.", "key packages", "GET /api/v1/posts/ answers 200",
                  "in all 8 chapters", "Jupyter kernel python3"):  # fmt: skip
        assert any(found in line for line in ok_lines), f"no ok line says {found!r}"
    assert len(ok_lines) == 6


def test_doctor_names_each_problem_with_its_fix(monkeypatch):
    monkeypatch.setattr(
        doctor, "check_versions", lambda: [VersionCheck("flask", ("3.1.3",), "2.3.0")]
    )
    monkeypatch.setattr(doctor, "CHECKS", (doctor.check_packages,))
    result = invoke("doctor")
    assert result.exit_code == 1
    assert "PROBLEM: flask 2.3.0 is installed; 3.1.3 is pinned" in result.stdout
    assert "Fix: " in result.stdout and "pip install -c requirements/constraints.txt" in (
        result.stdout
    )
    assert "1 problem(s) found" in result.stderr
