"""The reference implementation is revealed on request after the exercise, and never stored."""

import inspect
from pathlib import Path

import nbformat
import pytest

from reference_app.config import load_config
from workbook import progress, reveal
from workbook.chapters import ROOT, all_chapters, find_chapter
from workbook.generate import write_exercises

CONFIGURATION = find_chapter("07")
ANSWER = "def load_config("  # the start of a function chapter 07's task 4 blanks


def notebook_cells(chapter_number: str) -> list:
    """Return the code cells of the chapter's committed notebook."""
    path = next((ROOT / "notebooks").glob(f"{chapter_number}_*.ipynb"))
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What reveal displays, as the Markdown text of each listing."""
    listings: list[str] = []
    monkeypatch.setattr("workbook.listing.display", lambda markdown: listings.append(markdown.data))
    return listings


@pytest.mark.parametrize("chapter", [c.number for c in all_chapters()])
def test_each_notebook_reveals_its_chapter_once_and_keeps_no_output(chapter):
    cells = [c for c in notebook_cells(chapter) if reveal.is_reveal_cell(c.source)]
    assert len(cells) == 1, f"notebook {chapter} has {len(cells)} cells that call reveal"
    (cell,) = cells
    assert f'reveal("{chapter}")' in cell.source
    assert reveal.IGNORE_OUTPUT in cell.metadata.get("tags", []), "nbval must not compare it"
    assert cell.outputs == [] and cell.execution_count is None, "its output is never stored"


def test_an_unfinished_chapter_shows_no_reference(tmp_path, monkeypatch, shown, capsys):
    monkeypatch.setenv("WORKBOOK_EXERCISES", str(write_exercises(tmp_path / "exercises")))
    reveal.reveal("07")
    said = capsys.readouterr().out
    assert shown == [], "nothing of the reference is displayed"
    assert ANSWER not in said and "passes 0 of 4 tasks" in said
    assert 'reveal("07", now=True)' in said, "it says how to look anyway"


def test_a_finished_chapter_shows_each_reference_file(tmp_path, monkeypatch, shown):
    folder = write_exercises(tmp_path / "exercises", {CONFIGURATION.slug})
    monkeypatch.setenv("WORKBOOK_EXERCISES", str(folder))
    reveal.reveal("07")
    assert len(shown) == len(CONFIGURATION.files) == 1
    assert shown[0].startswith("`reference_app.config`, from `reference_app/config.py`")
    assert ANSWER in shown[0]


def test_asked_for_now_it_shows_without_grading(monkeypatch, shown):
    def no_grading(_chapters):
        raise AssertionError("reveal(..., now=True) should not grade")

    monkeypatch.setattr(progress, "grade", no_grading)
    reveal.reveal("05", now=True)
    assert [text.split("`")[1] for text in shown] == [
        "reference_app.auth.tokens",
        "reference_app.auth.routes",
    ]


def test_when_the_grader_cannot_run_the_reference_stays_hidden(monkeypatch, shown, capsys):
    def broken(_chapters):
        raise progress.GradingError("The grader stopped with exit code 4.")

    monkeypatch.setattr(progress, "grade", broken)
    reveal.reveal("07")
    said = capsys.readouterr().out
    assert shown == [] and "exit code 4" in said and "now=True" in said


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('reveal("02")', True),
        ("from workbook.notebook import reveal\n\nreveal('02')", True),
        ("show(load_config)", False),
        ('print("reveal(02)")', False),
        ("reveal(", False),
    ],
)
def test_a_reveal_cell_is_one_that_calls_reveal(source, expected):
    assert reveal.is_reveal_cell(source) is expected


def test_the_answer_checked_for_is_in_the_reference():
    """ANSWER must be real code of chapter 07's file, or the tests above prove nothing."""
    assert inspect.getsource(load_config).startswith(ANSWER)
    assert Path(inspect.getsourcefile(load_config)) == ROOT / CONFIGURATION.files[0].source
