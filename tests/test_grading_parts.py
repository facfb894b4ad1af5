"""The grader's parts alone: composing a file, blanks' states, strict SQLite, seeds, zones."""

import ast
import re
import subprocess
import sys
import traceback
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.exc import DataError

from workbook.blanks import State, state
from workbook.chapters import ROOT
from workbook.generate import write_exercises
from workbook.grading.compose import Source, compose
from workbook.grading.strict_sqlite import hold_to_postgresql_limits
from workbook.grading.zones import GRADING_ZONE, set_clock_zone

LEARNER = '''\
def helper():
    return "mine"


def task_one():
    """Task 1."""
    return helper()


def task_two():
    """Task 2."""
    raise NotImplementedError("task 2 not started: implement task_two")


class Schema:
    """Task 3."""
'''
REFERENCE = '''\
def task_one():
    """Task 1."""
    return "reference"


def task_two():
    """Task 2."""
    return task_one() + " two"


class Schema:
    """Task 3."""

    field = "declared"


class Model:
    name: str = "x"
    title: str = "reference title"
'''


def run(code: object) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(code, namespace)
    return namespace


def test_the_blanks_of_other_tasks_come_from_the_reference(tmp_path):
    learner = Source(tmp_path / "mine.py", LEARNER)
    reference = Source(tmp_path / "reference.py", REFERENCE)
    module = run(compose(learner, reference, {"task_two", "Schema"}))
    assert module["task_one"]() == "mine", "the learner's own task stays theirs"
    assert module["task_two"]() == "mine two", "the reference's code calls the learner's"
    assert module["Schema"].field == "declared"


def test_the_learners_lines_keep_their_numbers_and_the_references_theirs(tmp_path):
    learner = Source(tmp_path / "mine.py", LEARNER.replace("return helper()", "1 / 0"))
    reference = Source(tmp_path / "reference.py", REFERENCE)
    for source in (learner, reference):
        source.path.write_text(source.text, encoding="utf-8")
    module = run(compose(learner, reference, {"task_two"}))
    with pytest.raises(ZeroDivisionError) as raised:
        module["task_two"]()
    frames = [(Path(f.filename).name, f.lineno, f.line) for f in traceback.extract_tb(raised.tb)]
    assert ("reference.py", 8, 'return task_one() + " two"') in frames
    assert ("mine.py", 7, "1 / 0") in frames


def test_an_attribute_the_skeleton_dropped_is_added_from_the_reference(tmp_path):
    learner = Source(tmp_path / "mine.py", "class Model:\n    name: str = 'mine'\n")
    reference = Source(tmp_path / "reference.py", REFERENCE)
    model = run(compose(learner, reference, {"Model.title"}))["Model"]
    assert (model.name, model.title) == ("mine", "reference title")


def test_a_function_the_learner_removed_stays_out(tmp_path):
    learner = Source(tmp_path / "mine.py", "def task_one():\n    return 1\n")
    reference = Source(tmp_path / "reference.py", REFERENCE)
    assert "task_two" not in run(compose(learner, reference, {"task_two"}))


@pytest.mark.parametrize(
    ("qualname", "attribute", "expected"),
    [
        ("task_one", False, State.ANSWERED),
        ("task_two", False, State.UNTOUCHED),
        ("Schema", False, State.UNTOUCHED),
        ("gone", False, State.MISSING),
        ("Model.title", True, State.UNTOUCHED),
    ],
)
def test_where_a_learner_stands_on_each_blank(qualname, attribute, expected):
    assert state(ast.parse(LEARNER), qualname, attribute=attribute) is expected


@pytest.fixture
def strict_table():
    """A SQLite table held to PostgreSQL's limits."""
    engine = create_engine("sqlite://")
    hold_to_postgresql_limits(engine)
    table = Table(
        "rows", MetaData(), Column("id", Integer, primary_key=True), Column("t", String(5))
    )
    table.metadata.create_all(engine)
    yield engine, table
    engine.dispose()


def test_sqlite_refuses_what_postgresql_refuses(strict_table):
    engine, table = strict_table
    with engine.begin() as connection:
        connection.execute(insert(table).values(id=2**31 - 1, t="12345"))
        with pytest.raises(DataError, match="integer out of range: 2147483648"):
            connection.execute(select(table).where(table.c.id == 2**31))
        with pytest.raises(DataError, match=r"character varying\(5\)"):
            connection.execute(insert(table).values(id=2, t="123456"))
        assert connection.execute(select(table.c.t).limit(1).offset(2**40)).all() == []


def test_grading_with_a_seed_replays_the_same_data(tmp_path):
    """A failure shows made-up data; the seed it prints brings the same data back."""
    answers = write_exercises(tmp_path, {"02_blueprints"})
    routes = answers / "02_blueprints" / "routes.py"
    right = "HTTPStatus.CREATED"
    routes.write_text(routes.read_text(encoding="utf-8").replace(right, "HTTPStatus.OK"))

    def failure(*seed: str) -> str:
        graded = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "exercises/02_blueprints",
                f"--answers-dir={answers}",
                *seed,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert graded.returncode == 1, graded.stdout + graded.stderr
        return graded.stdout

    first = failure()
    seed = re.search(r"--seed (\d+)", first.split("Workbook scoreboard")[1]).group(1)
    titles = re.findall(r'"title": "(Title [0-9a-f]+)"', first)
    assert titles, first
    assert re.findall(r'"title": "(Title [0-9a-f]+)"', failure("--seed", seed)) == titles
    other = str(int(seed) + 1)
    assert re.findall(r'"title": "(Title [0-9a-f]+)"', failure("--seed", other)) != titles


def test_the_grading_clock_is_not_at_utc():
    try:
        set_clock_zone(GRADING_ZONE)
        offset = datetime.now().astimezone().utcoffset()
    finally:
        set_clock_zone(None)
    assert offset is not None and offset.total_seconds() == 5 * 3600 + 45 * 60
