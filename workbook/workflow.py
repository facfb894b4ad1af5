"""The GitHub Classroom autograding workflow, written from the chapters' manifests.

``make generate`` writes it to ``.github/workflows/classroom.yml`` with the skeletons,
and ``make test`` fails when the committed one drifts from the chapters.
"""

import json

from workbook.chapters import ROOT, Chapter, Task, all_chapters

WORKFLOW = ROOT / ".github" / "workflows" / "classroom.yml"
# A task's grading takes about 2 seconds. A learner's endless loop is cut after this,
# in every step of its chapter; the job has time for every step to be cut, and more.
STEP_MINUTES = 1
SETUP_MINUTES = 10  # checkout, Python, the pinned install

HEADER = """\
# GitHub Classroom autograding: one step per task of every chapter, worth a point
# ({total} points in all). A task's point comes when all of its tests pass, as
# `workbook status` counts it. Written by `make generate` from exercises/*/exercise.toml.
#
# The tests run from the learner's own repository here, which the learner can edit:
# for marks that count, grade the checkouts with `workbook grade-classroom`, which uses
# the instructor's copy of the tests (docs/instructor-guide.md).
name: Autograding Tests

"on":
  push:
  repository_dispatch:
  workflow_dispatch:

permissions:
  checks: write
  actions: read
  contents: read

jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: {job_minutes}
    steps:
      - name: Checkout code
        uses: actions/checkout@v4

      - name: Set up Python
        uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
          cache-dependency-path: requirements/constraints.txt

      # Once, here: the graders' own setup-command would install once per task.
      - name: Install the workbook and its pinned packages
        run: python -m pip install -c requirements/constraints.txt -e ".[dev]"
"""


def step_id(chapter: Chapter, task: Task) -> str:
    """The step's id, which the reporter reads back: ``task-02-3``."""
    return f"task-{chapter.number}-{task.number}"


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def _step(chapter: Chapter, task: Task) -> str:
    name = f"{chapter.number}.{task.number} {task.title}"
    return f"""
      - name: {_quoted(name)}
        id: {step_id(chapter, task)}
        uses: education/autograding-command-grader@v1
        with:
          test-name: {_quoted(name)}
          command: pytest exercises/{chapter.slug} --task {task.number}
          timeout: {STEP_MINUTES}
          max-score: 1
"""


def render() -> str:
    """Return the workflow's text for the chapters as their manifests describe them."""
    tasks = [(chapter, task) for chapter in all_chapters() for task in chapter.tasks]
    ids = [step_id(chapter, task) for chapter, task in tasks]
    results = "".join(
        f'          {step.upper()}_RESULTS: "${{{{steps.{step}.outputs.result}}}}"\n'
        for step in ids
    )
    reporter = f"""
      - name: Autograding Reporter
        uses: education/autograding-grading-reporter@v1
        env:
{results}        with:
          runners: {",".join(ids)}
"""
    steps = "".join(_step(chapter, task) for chapter, task in tasks)
    job_minutes = SETUP_MINUTES + len(tasks) * STEP_MINUTES
    return HEADER.format(total=len(tasks), job_minutes=job_minutes) + steps + reporter
