"""Grading for the exercises: the plugins of workbook/grading/ (its README tells the pipeline)."""

import importlib.util
import sys

# A pytest from outside the workbook's .venv (a first try, often) has none of its packages:
# one line says so, where pytest would show a traceback of the failed import.
if importlib.util.find_spec("flask") is None or importlib.util.find_spec("workbook") is None:
    print(
        "This pytest is not the workbook's: activate the workbook's environment first "
        "(`source .venv/bin/activate`, or run `.venv/bin/pytest exercises/`; "
        "no .venv yet? `make lab` makes it).",
        file=sys.stderr,
    )
    raise SystemExit(4)  # pytest's exit code for a usage error

# In this order: each plugin is registered before another one imports it.
pytest_plugins = [
    "workbook.grading.options",
    "workbook.grading.seeds",
    "workbook.grading.zones",
    "workbook.grading.fixtures",
    "workbook.grading.databases",
    "workbook.grading.plugin",
    "workbook.grading.reporting",
]
