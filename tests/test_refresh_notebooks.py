"""The notebook refresher stores a notebook again only when its outputs really changed."""

import nbformat
import pytest

from workbook import refresh_notebooks
from workbook.refresh_notebooks import comparable, sanitizers

RULES = sanitizers()


def stream(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def test_a_stream_split_differently_compares_equal():
    whole = [stream("one\ntwo\n")]
    split = [stream("one\n"), stream("two\n")]
    assert comparable(whole, RULES) == comparable(split, RULES)


def test_stdout_and_stderr_are_not_joined():
    assert comparable([stream("a"), stream("b", "stderr")], RULES) == ["a", "b"]


def test_outputs_that_differ_only_where_sanitised_compare_equal():
    before = [stream('"created_at": "2026-11-26T03:42:00.560607+00:00"\n')]
    after = [stream('"created_at": "2026-11-27T10:00:00.000001+00:00"\n')]
    assert comparable(before, RULES) == comparable(after, RULES)


def test_a_real_change_compares_different():
    before = [stream("token of 325 characters\n")]
    after = [stream("token of 264 characters\n")]
    assert comparable(before, RULES) != comparable(after, RULES)


def test_display_data_compares_whatever_the_order_of_its_types():
    markdown = {"text/markdown": "**x**", "text/plain": "<Markdown>"}
    reordered = dict(reversed(markdown.items()))
    first = [nbformat.v4.new_output("display_data", data=markdown)]
    second = [nbformat.v4.new_output("display_data", data=reordered)]
    assert comparable(first, RULES) == comparable(second, RULES)


def write_notebook(path, cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")


STAMP = "import datetime; print(datetime.datetime.now(datetime.UTC).isoformat())"
OLD_STAMP = "2020-01-01T00:00:00.000001+00:00\n"


def test_a_changed_notebook_is_stored_whole_from_one_run(tmp_path, monkeypatch):
    """The changed cell, and a timestamp that only differs where sanitised, both from the run."""
    path = tmp_path / "demo.ipynb"
    write_notebook(
        path,
        [
            nbformat.v4.new_code_cell(STAMP, outputs=[stream(OLD_STAMP)]),
            nbformat.v4.new_code_cell("print(1 + 1)", outputs=[stream("3\n")]),
        ],
    )
    monkeypatch.setattr(refresh_notebooks, "NOTEBOOKS", tmp_path)

    assert refresh_notebooks.refresh(path, RULES) == 1
    cells = nbformat.read(path, as_version=4).cells
    assert comparable(cells[1].outputs, RULES) == ["2\n"]
    assert cells[0].outputs[0]["text"] != OLD_STAMP, "the timestamp is the fresh run's too"
    assert "execution" not in cells[0].metadata, "no timing metadata"


def test_an_unchanged_notebook_is_left_as_it_is(tmp_path, monkeypatch):
    path = tmp_path / "demo.ipynb"
    write_notebook(path, [nbformat.v4.new_code_cell(STAMP, outputs=[stream(OLD_STAMP)])])
    before = path.read_text(encoding="utf-8")
    monkeypatch.setattr(refresh_notebooks, "NOTEBOOKS", tmp_path)

    assert refresh_notebooks.refresh(path, RULES) == 0
    assert path.read_text(encoding="utf-8") == before


def test_a_missing_notebook_is_named_not_a_traceback(capsys):
    with pytest.raises(SystemExit) as stopped:
        refresh_notebooks.main(["nope.ipynb"])
    assert stopped.value.code == 2
    assert "no such notebook: nope.ipynb" in capsys.readouterr().err


def test_a_reveal_cell_runs_but_its_output_is_never_stored(tmp_path, monkeypatch):
    path = tmp_path / "demo.ipynb"
    answer = "def reveal(chapter):\n    print('the answer of', chapter)"
    write_notebook(
        path,
        [
            nbformat.v4.new_code_cell(answer),
            nbformat.v4.new_code_cell("reveal('02')", outputs=[stream("the answer of 02\n")]),
            nbformat.v4.new_code_cell("print('after')"),
        ],
    )
    monkeypatch.setattr(refresh_notebooks, "NOTEBOOKS", tmp_path)

    assert refresh_notebooks.refresh(path, RULES) == 2, "the reveal cell and the last one"
    cells = nbformat.read(path, as_version=4).cells
    assert cells[1].outputs == [] and cells[1].execution_count is None
    assert comparable(cells[2].outputs, RULES) == ["after\n"], "the cell after it did run"
