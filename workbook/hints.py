"""Each chapter's HINTS.md, read as hints by task: ``## Task N: ...`` then ``### Hint K: ...``."""

import re
from dataclasses import dataclass

from workbook.chapters import Chapter

TASK_HEADING = re.compile(r"^## Task (\d+)\b.*$", re.MULTILINE)
HINT_HEADING = re.compile(r"^### Hint (\d+)\b.*$", re.MULTILINE)


@dataclass(frozen=True)
class Hint:
    """One hint: its level (1 = a nudge ... 3 = nearly the answer), heading and text."""

    level: int
    heading: str
    text: str


def _sections(text: str, heading: re.Pattern[str]) -> dict[int, tuple[str, str]]:
    matches = list(heading.finditer(text))
    sections = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(text)
        sections[int(match.group(1))] = (match.group(0), text[match.end() : end].strip())
    return sections


def read_hints(chapter: Chapter) -> dict[int, list[Hint]]:
    """Return the chapter's hints by task number, each list in order of level."""
    text = (chapter.exercise_dir / "HINTS.md").read_text(encoding="utf-8")
    hints = {}
    for number, (_heading, body) in _sections(text, TASK_HEADING).items():
        levels = _sections(body, HINT_HEADING)
        hints[number] = [
            Hint(level, heading.removeprefix("### "), hint_text)
            for level, (heading, hint_text) in sorted(levels.items())
        ]
    return hints
