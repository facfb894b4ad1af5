"""The notebook refresher stores only outputs that really changed."""

import nbformat

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


def test_refresh_rewrites_only_the_changed_cell(tmp_path, monkeypatch):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("print('same')", outputs=[stream("same\n")]),
        nbformat.v4.new_code_cell("print(1 + 1)", outputs=[stream("3\n")]),
    ]
    path = tmp_path / "demo.ipynb"
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    monkeypatch.setattr(refresh_notebooks, "NOTEBOOKS", tmp_path)

    assert refresh_notebooks.refresh(path, RULES) == 1
    cells = nbformat.read(path, as_version=4).cells
    assert comparable(cells[1].outputs, RULES) == ["2\n"]
    assert refresh_notebooks.refresh(path, RULES) == 0
