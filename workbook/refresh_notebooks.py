"""``python -m workbook.refresh_notebooks [NOTEBOOK ...]``: re-run notebooks, store the changed.

Maintainers run it (``make notebooks``) after a change to ``reference_app/`` alters
what a notebook prints. Each notebook runs top to bottom, as nbval runs it in
``make test``, and its outputs are compared with the stored ones once both are
sanitised with ``notebooks/sanitize.cfg``. A notebook whose outputs all compare equal
is left as it is: its timestamps, tokens and the like do not churn. One in which any
cell changed is stored whole from the fresh run (outputs and execution counts, never
timing metadata), so that the values it shows, a user's ``created_at`` in one cell and
again in the next, all come from one run. A cell that calls ``reveal`` (the chapter's
answer, shown on request) runs like any other, and its output is never stored.
"""

import argparse
import configparser
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from workbook.chapters import ROOT
from workbook.reveal import is_reveal_cell

NOTEBOOKS = ROOT / "notebooks"
SANITIZE = NOTEBOOKS / "sanitize.cfg"
TIMEOUT = 120  # seconds per cell; the slowest cell of any notebook takes about one


def sanitizers() -> list[tuple[re.Pattern[str], str]]:
    """Return the (pattern, replacement) pairs of nbval's sanitize file."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(SANITIZE, encoding="utf-8")
    return [
        (re.compile(parser[name]["regex"]), parser[name]["replace"]) for name in parser.sections()
    ]


def comparable(outputs: list[dict], rules: list[tuple[re.Pattern[str], str]]) -> list[str]:
    """Return the outputs as nbval compares them: streams joined, every text sanitised.

    A cell's printing reaches the notebook in one stream output or several, depending
    on when the kernel flushed; the split means nothing, so it is not compared.
    """
    texts: list[str] = []
    last_stream = None
    for output in outputs:
        if output.get("output_type") == "stream":
            text = "".join(output.get("text", ""))
            if last_stream == output.get("name"):
                texts[-1] += text
                continue
            last_stream = output.get("name")
            texts.append(text)
            continue
        last_stream = None
        data = output.get("data", {})
        texts.append("".join(f"{mime}:{data[mime]}" for mime in sorted(data)))
    for pattern, replacement in rules:
        texts = [pattern.sub(replacement, text) for text in texts]
    return texts


def refresh(path: Path, rules: list[tuple[re.Pattern[str], str]], *, store: bool = False) -> int:
    """Re-run the notebook at ``path``; return how many cells changed, storing the run if any.

    With ``store``, the fresh run is stored even when no cell changed.
    """
    if not path.is_file():
        raise FileNotFoundError(f"no notebook at {path}")
    stored = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    NotebookClient(
        fresh, timeout=TIMEOUT, resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    for cell in fresh.cells:
        if cell.cell_type == "code" and is_reveal_cell(cell.source):
            cell.outputs, cell.execution_count = [], None
    pairs = [
        (old, new)
        for old, new in zip(stored.cells, fresh.cells, strict=True)
        if old.cell_type == "code"
    ]
    changed = sum(
        comparable(old.outputs, rules) != comparable(new.outputs, rules) for old, new in pairs
    )
    if changed or store:
        for old, new in pairs:
            old.outputs, old.execution_count = new.outputs, new.execution_count
        path.write_text(nbformat.writes(stored) + "\n", encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Refresh the named notebooks, or all of them."""
    parser = argparse.ArgumentParser(prog="python -m workbook.refresh_notebooks")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument(
        "--store", action="store_true", help="store each fresh run, even with nothing changed"
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    if missing := [str(path) for path in paths if not path.is_file()]:
        parser.error(f"no such notebook: {', '.join(missing)}")
    rules = sanitizers()
    for path in paths:
        changed = refresh(path.resolve(), rules, store=args.store)
        print(f"{path.name}: {changed or 'no'} cell{'' if changed == 1 else 's'} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
