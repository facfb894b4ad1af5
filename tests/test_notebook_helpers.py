"""The notebooks' display helpers: listings that fit a notebook, departures that fit too."""

import ast
import importlib
import inspect
import pkgutil
import textwrap

import pytest

import reference_app
from reference_app.config import ProductionConfig
from workbook import listing, notebook
from workbook.listing import WIDTH, fit

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(reference_app.__path__, "reference_app.")
    if ".migrations" not in info.name
)


def program(source: str) -> str:
    """Return the code of ``source`` as Python parses it, every docstring emptied."""
    tree = ast.parse(textwrap.dedent(source))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)  # a list of statements, or a lambda's expression
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            first.value.value = "" if isinstance(first.value.value, str) else first.value.value
    return ast.dump(tree)


@pytest.mark.parametrize("name", MODULES)
def test_a_listing_fits_the_width_and_is_the_same_program(name):
    source = inspect.getsource(importlib.import_module(name))
    fitted = fit(source)
    too_long = [line for line in fitted.splitlines() if len(line) > WIDTH]
    assert not too_long, f"{name}: lines longer than {WIDTH} characters: {too_long}"
    assert program(fitted) == program(source), f"{name}: the listing is another program"


def test_a_method_keeps_its_indentation_and_fits():
    source = inspect.getsource(ProductionConfig.settings)
    fitted = fit(source)
    assert fitted.startswith("    @classmethod\n    def settings(")
    assert max(map(len, fitted.splitlines())) <= WIDTH
    assert program(fitted) == program(source)


def test_comments_docstrings_and_strings_wrap_at_spaces_as_python():
    source = (
        "def f():\n"
        f'    """{"word " * 20}end."""\n'
        f"    # {'note ' * 20}end\n"
        f'    return g(\n        "{"text " * 20}end"\n    )\n'
    )
    fitted = fit(source, width=40).splitlines()
    assert max(map(len, fitted)) <= 40, fitted
    comments = [line for line in fitted if line.lstrip().startswith("#")]
    assert len(comments) > 1 and all(line.startswith("    # ") for line in comments)
    assert not any(line.endswith(("wor", "not", "tex")) for line in fitted), "cut mid-word"
    assert program("\n".join(fitted)) == program(source)


def test_show_displays_the_fitted_source(monkeypatch):
    shown = []
    monkeypatch.setattr(listing, "display", shown.append)
    listing.show(ProductionConfig.settings)
    text = shown[0].data
    assert text.startswith("`reference_app.config.ProductionConfig.settings`, from `reference_app/")
    assert fit(inspect.getsource(ProductionConfig.settings)).rstrip() in text


def test_departures_are_blocks_with_every_column_and_working_links(monkeypatch):
    shown = []
    monkeypatch.setattr(notebook, "display", shown.append)
    notebook.departures("02")
    text = shown[0].data
    assert not any(line.startswith("|") for line in text.splitlines()), "no table"
    assert [f"**Departure {n}.**" in text for n in range(4, 10)] == [True] * 6
    for label in ("*The rules do:*", "*What happens on today's libraries:*"):
        assert text.count(label) == 6, label
    assert "](#" not in text and "](../docs/departures.md#row-6-" in text


def test_departures_of_an_unknown_chapter_is_an_error():
    with pytest.raises(KeyError, match="no departures"):
        notebook.departures("99")
