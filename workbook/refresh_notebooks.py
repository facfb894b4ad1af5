"""``python -m workbook.refresh_notebooks [NOTEBOOK ...]``: re-run notebooks, store what changed.

Maintainers run it (``make notebooks``) after a change to ``reference_app/`` alters
what a notebook prints. Each notebook runs top to bottom, as nbval runs it in
``make test``; a cell's stored outputs are replaced only where they differ from the
fresh ones once both are sanitised with ``notebooks/sanitize.cfg``. Timestamps, tokens
and the like therefore keep their stored values, and the diff shows only what the
change really altered, rather than every cell's new times and execution metadata.
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

NOTEBOOKS = ROOT / "notebooks"
SANITIZE = NOTEBOOKS / "sanitize.cfg"
TIMEOUT = 120  # seconds per cell; the slowest cell of any notebook takes about one


def sanitizers(path: Path = SANITIZE) -> list[tuple[re.Pattern[str], str]]:
    """Return the (pattern, replacement) pairs of nbval's sanitize file."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
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


def refresh(path: Path, rules: list[tuple[re.Pattern[str], str]]) -> int:
    """Re-run the notebook at ``path``; store the outputs that changed; return how many cells."""
    stored = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    NotebookClient(
        fresh, timeout=TIMEOUT, resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    changed = 0
    for old, new in zip(stored.cells, fresh.cells, strict=True):
        if old.cell_type != "code":
            continue
        if comparable(old.outputs, rules) != comparable(new.outputs, rules):
            old.outputs = new.outputs
            changed += 1
    if changed:
        path.write_text(nbformat.writes(stored) + "\n", encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Refresh the named notebooks, or all of them."""
    parser = argparse.ArgumentParser(prog="python -m workbook.refresh_notebooks")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    paths = parser.parse_args(argv).notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    rules = sanitizers()
    for path in paths:
        changed = refresh(path.resolve(), rules)
        print(f"{path.name}: {changed or 'no'} cell{'' if changed == 1 else 's'} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
