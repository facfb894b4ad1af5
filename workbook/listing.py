"""Show reference code in a notebook, fitted to the width a notebook's output has.

JupyterLab wraps a long line of an output at any character, so that ``True`` ends one
line and starts the next as ``Tru`` / ``e``. ``show`` sends the code through ``ruff
format`` at a shorter line length instead (the same program, broken where Python
allows), then wraps what ruff leaves long, docstrings, comments and string literals,
at a space, in a form that is still Python.
"""

import inspect
import io
import re
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path
from typing import Any

import click
from IPython.display import Markdown, display

from workbook.chapters import shown

# Characters a listing's line may have: JupyterLab at 1280 pixels, its file browser
# open, fits 91 in an output's code block (the rendered-notebook test measures it).
WIDTH = 88
# A string literal alone on its line, as ruff leaves a long argument: prefix, quote, text.
LITERAL = re.compile(r"^(\s*)([rRbBfFuU]{0,2})([\"'])((?:(?!\3).)*)\3(,?)$")


def show(obj: Any) -> None:
    """Display the source of a function, class, module or click command, as the app has it."""
    if isinstance(obj, click.Command) and obj.callback is not None:
        obj = obj.callback
    if callable(obj):
        obj = inspect.unwrap(obj)  # past decorators such as @jwt_required() to the view itself
    source = fit(inspect.getsource(obj))
    where = inspect.getsourcefile(obj)
    label = f"{obj.__module__}.{obj.__qualname__}" if hasattr(obj, "__qualname__") else obj.__name__
    relative = shown(Path(where)) if where else "?"
    display(Markdown(f"`{label}`, from `{relative}`:\n\n```python\n{source.rstrip()}\n```"))


def fit(source: str, width: int = WIDTH) -> str:
    """Return ``source`` with every line of at most ``width`` characters that Python lets break."""
    body = textwrap.dedent(source)
    indent = source[: len(source) - len(source.lstrip())].rpartition("\n")[2]
    body = _ruff_format(body, width - len(indent))
    lines = textwrap.indent(body, indent).splitlines()
    kinds = _line_kinds("\n".join(lines) + "\n")
    fitted = []
    for number, line in enumerate(lines, start=1):
        fitted.extend(_wrap(line, kinds.get(number), width) if len(line) > width else [line])
    return "\n".join(fitted) + "\n"


def _ruff_format(source: str, width: int) -> str:
    """Return ``source`` as ``ruff format`` lays it out in ``width`` columns, or as it is."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ruff", "format", "--isolated", f"--line-length={width}", "-"],
            input=source,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):  # no ruff (a browser-only Python)
        return source
    return result.stdout


def _line_kinds(source: str) -> dict[int, str]:
    """Map line numbers to "comment" (a whole-line comment) or "text" (inside a docstring)."""
    kinds: dict[int, str] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return kinds
    for token in tokens:
        (start, column), (end, _) = token.start, token.end
        if token.type == tokenize.COMMENT and not token.line[:column].strip():
            kinds[start] = "comment"
        elif token.type == tokenize.STRING and token.string.lstrip("rRbBuU")[:3] in ('"""', "'''"):
            kinds.update(dict.fromkeys(range(start, end + 1), "text"))
    return kinds


def _wrap(line: str, kind: str | None, width: int) -> list[str]:
    """Break one long line at spaces, keeping it Python; leave it whole when that cannot be."""
    indent = line[: len(line) - len(line.lstrip())]
    if kind == "comment":
        text = line.strip().removeprefix("#").strip()
        return _words(text, width, first=f"{indent}# ", then=f"{indent}# ") or [line]
    if kind == "text":
        return _words(line.strip(), width, first=indent, then=indent) or [line]
    if (literal := LITERAL.match(line)) is not None:
        return _split_literal(literal, width) or [line]
    return [line]


def _words(text: str, width: int, *, first: str, then: str) -> list[str]:
    """Return ``text`` wrapped at spaces, or nothing when a single word is too long."""
    lines = textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=then,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return lines if all(len(line) <= width for line in lines) else []


def _split_literal(literal: re.Match[str], width: int) -> list[str]:
    """Split a string literal at spaces into several that Python joins, or return nothing."""
    indent, prefix, quote, text, comma = literal.groups()
    room = width - len(indent) - len(prefix) - 2
    pieces = []
    while len(text) > room:
        cut = _last_space(text[:room], formatted="f" in prefix.lower())
        if not cut:
            return []
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    lines = [f"{indent}{prefix}{quote}{piece}{quote}" for piece in pieces]
    return [*lines[:-1], lines[-1] + comma]


def _last_space(text: str, *, formatted: bool) -> int:
    """Return the position just past the last space of ``text`` outside an f-string's {...}."""
    depth, cut = 0, 0
    for position, character in enumerate(text):
        depth += {"{": 1, "}": -1}.get(character, 0) if formatted else 0
        if character == " " and depth == 0:
            cut = position + 1
    return cut
