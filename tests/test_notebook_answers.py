"""The notebooks teach on other resources and fields: no graded code before the reveal cell."""

import importlib
import inspect
from pathlib import Path

import nbformat
import pytest

from tests.answers import blanks, given_away
from workbook.chapters import ROOT, all_chapters
from workbook.listing import fit
from workbook.reveal import is_reveal_cell

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def cell_texts(cell: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """The cell's own text and each of its stored outputs' texts, with where each is."""
    texts = [(cell.cell_type, cell.source)]
    for output in cell.get("outputs", []):
        if "text" in output:
            texts.append(("output", output["text"]))
        for value in output.get("data", {}).values():
            texts.append(("output", value if isinstance(value, str) else str(value)))
    return texts


def findings(notebook: nbformat.NotebookNode) -> list[str]:
    """Each blank shown outside the reveal cell: the cell's number, where, and the blank."""
    found = []
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and is_reveal_cell(cell.source):
            continue
        for where, text in cell_texts(cell):
            found += [f"cell {number} ({where}): {label}" for label in given_away(text)]
    return list(dict.fromkeys(found))  # an output's markdown and plain text say it once


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_no_notebook_shows_graded_code_before_the_reveal(path: Path):
    shown = findings(nbformat.read(path, as_version=4))
    assert not shown, f"{path.name} shows the graded code of:\n" + "\n".join(shown)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_no_stored_output_is_a_red_stderr_block(path: Path):
    """An intended failure is printed as the cell's output, not left to look like a crash."""
    cells = nbformat.read(path, as_version=4).cells
    red = [
        number
        for number, cell in enumerate(cells)
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
    ]
    assert not red, f"{path.name}: cells {red} print to stderr, which JupyterLab shows in red"


@pytest.mark.parametrize("chapter", all_chapters(), ids=lambda chapter: chapter.number)
def test_the_check_finds_every_blank_in_the_chapters_listings(chapter):
    """As ``show`` lays out a reference file, every blank of it is found there."""
    listings = [
        fit(inspect.getsource(importlib.import_module(file.module))) for file in chapter.files
    ]
    mine = [b for b in blanks() if b.label.startswith(f"chapter {chapter.number} ")]
    expected = {b.label for b in mine if not b.given_by_the_rules()}
    assert expected, "the manifest names blanks"
    assert set(given_away("\n".join(listings))) >= expected


def test_a_finding_names_the_cell_and_the_blank():
    notebook = nbformat.v4.new_notebook()
    pasted = inspect.getsource(importlib.import_module("reference_app.validation"))
    notebook.cells = [
        nbformat.v4.new_markdown_cell("Reading a body."),
        nbformat.v4.new_code_cell(pasted),
        nbformat.v4.new_code_cell(f"reveal('06')\n{pasted}"),
    ]
    assert findings(notebook) == ["cell 1 (code): chapter 06 task 1, load_json_body"]


def test_what_the_rules_write_is_not_counted():
    rules_login = (
        "return jsonify({\n"
        '    "access_token": create_access_token(identity=user),\n'
        '    "refresh_token": create_refresh_token(identity=user),\n'
        "})"
    )
    assert given_away(rules_login) == []
