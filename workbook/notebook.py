"""Helpers for the notebooks: show the reference code and the rules, call the API, grade.

Notebooks import these instead of defining helpers of their own, and show reference
code by importing it (``show(create_app)``), so nothing they show can drift from the app.
"""

import json
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from IPython.display import Markdown, display

from workbook.apps import new_app  # noqa: F401 - the notebooks' helper
from workbook.chapters import ROOT, all_chapters, find_chapter
from workbook.environment import MIN_PYTHON, check_versions, python_ok
from workbook.listing import show  # noqa: F401 - the notebooks' helper
from workbook.reveal import reveal  # noqa: F401 - the notebooks' helper

RULES = ROOT / "docs" / "flask-rules.md"
DEPARTURES = ROOT / "docs" / "departures.md"


def rules(section: str) -> None:
    """Display one section of the rules the workbook starts from (``## <section>``)."""
    text = RULES.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if match is None:
        raise KeyError(f"the rules have no section {section!r}")
    display(Markdown(f'**The rules, "{section}":**\n{match.group(1).rstrip()}'))


def rules_code(section: str) -> str:
    """Return the Python code of one section of the rules, to run it and see where it breaks."""
    text = RULES.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n+```python\n(.*?)```", text, re.M | re.S)
    if match is None:
        raise KeyError(f"the rules have no code in section {section!r}")
    return match.group(1)


def print_routes(app: Flask, prefix: str = "/") -> None:
    """Print the app's routes under ``prefix``: methods (sorted, so the output is stable), path."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint)):
        if rule.rule.startswith(prefix):
            methods = ", ".join(sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}))
            print(f"{methods:<7} {rule.rule:<32} {rule.endpoint}")


def departures(chapter: str) -> None:
    """Display the rows of docs/departures.md that concern one chapter ("01" ... "08").

    Each row is a short block, not a table row: five columns of code and error messages
    are wider than a notebook, and a wide table hides its last column off screen.
    """
    lines = DEPARTURES.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if line.startswith("| #"))
    labels = [cell.strip() for cell in header.strip("|").split(" | ")][2:]
    blocks = []
    for line in lines:
        if re.match(rf"\| \d+ \| {chapter} ", line):
            number, _chapter, *cells = (cell.strip() for cell in line.strip("|").split(" | "))
            said = [f"*{label}:* {cell}" for label, cell in zip(labels, cells, strict=True)]
            blocks.append(f"**Departure {number}.** " + "  \n".join(said))
    if not blocks:
        raise KeyError(f"no departures for chapter {chapter!r}")
    # The page's own links (#row-6-...) point into docs/departures.md, seen from notebooks/.
    text = "\n\n".join(blocks).replace("](#", "](../docs/departures.md#")
    display(Markdown(text))


def call(client: FlaskClient, method: str, url: str, *, quiet: bool = False, **kwargs: Any) -> Any:
    """Send one request with the test client, print ``METHOD URL -> status`` and the JSON."""
    response = client.open(url, method=method, **kwargs)
    if not quiet:
        print(f"{method} {url} -> {response.status}")
        body = response.get_json(silent=True)
        if body is not None:
            print(json.dumps(_shorten_tokens(body), indent=2))
        elif response.data:
            print(response.get_data(as_text=True)[:300])
    return response


def _shorten_tokens(body: Any) -> Any:
    """Return ``body`` with each JSON Web Token cut to its start: the rest is noise on screen."""
    if isinstance(body, dict):
        return {key: _shorten_tokens(value) for key, value in body.items()}
    if isinstance(body, str) and body.startswith("eyJ") and len(body) > 40:
        return f"{body[:24]}...({len(body)} characters)"
    return body


def grade(chapter: str) -> int:
    """Grade one chapter's exercise as ``pytest exercises/NN_slug`` would; return its exit code."""
    slug = find_chapter(chapter).slug
    result = subprocess.run(
        [sys.executable, "-m", "pytest", f"exercises/{slug}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    print(result.stdout[-4000:] or result.stderr[-4000:])
    return result.returncode


def raises(action: Callable[[], Any]) -> None:
    """Run ``action`` and print the exception it raises, as the last line of a traceback."""
    try:
        action()
    except Exception as error:  # showing any failure is the point
        print(f"{type(error).__module__}.{type(error).__qualname__}: {error}")
    else:
        print("(no exception)")


def setup_check() -> bool:
    """Print whether Python and the key packages are what the workbook pins; return if all are."""
    minimum = ".".join(map(str, MIN_PYTHON))
    print(f"Python {minimum} or newer: {'yes' if python_ok() else 'NO, install a newer Python'}")
    checks = check_versions()
    for check in checks:
        mark = "ok" if check.ok else f"MISMATCH: installed {check.installed or 'nothing'}"
        print(f"  {check.name:<20} {check.pinned_text:<10} {mark}")
    healthy = python_ok() and all(check.ok for check in checks)
    print("All set." if healthy else "Fix the lines above: run `make lab` again, from the top.")
    return healthy


def chapter_table() -> None:
    """Display every chapter with its notebook, exercise folder, tasks and minutes."""
    rows = [
        "| chapter | notebook | exercise | tasks | exercise minutes |",
        "|---|---|---|---|---|",
    ]
    for chapter in all_chapters():
        rows.append(
            f"| {chapter.number} {chapter.title} | `{chapter.slug}.ipynb` "
            f"| `exercises/{chapter.slug}/` | {len(chapter.tasks)} | {chapter.minutes} |"
        )
    display(Markdown("\n".join(rows)))
