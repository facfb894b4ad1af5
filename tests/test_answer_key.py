"""docs/answer-key.md answers every question that closes a notebook, as the notebook asks it."""

import re
from pathlib import Path

import nbformat
import pytest

from workbook.chapters import ROOT

KEY = ROOT / "docs" / "answer-key.md"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def one_line(text: str) -> str:
    return " ".join(text.split())


def questions(path: Path) -> list[str]:
    """The numbered questions under the notebook's ``## Questions``, each on one line."""
    cells = nbformat.read(path, as_version=4).cells
    text = next(c.source for c in cells if c.cell_type == "markdown" and "## Questions" in c.source)
    block = text.split("## Questions\n", 1)[1].split("\n\n", 1)[0]
    return [one_line(item) for item in re.split(r"^\d+\. ", block, flags=re.M) if item.strip()]


def answers(number: str) -> list[tuple[str, str]]:
    """(question, answer) pairs of the key's section for notebook ``number``."""
    sections = re.split(r"^## ", KEY.read_text(encoding="utf-8"), flags=re.M)
    section = next((s for s in sections if s.startswith(f"{number} ")), "")
    items = re.split(r"^\d+\. ", section, flags=re.M)[1:]
    pairs = []
    for item in items:
        match = re.match(r"\*\*(.+?)\*\*(.*)", item, flags=re.S)
        assert match, f"notebook {number}: an answer should start with its question in bold"
        pairs.append((one_line(match.group(1)), one_line(match.group(2))))
    return pairs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_question_has_its_answer(path: Path):
    asked = questions(path)
    key = answers(path.name[:2])
    assert asked, f"{path.name} ends with no questions"
    assert [question for question, _ in key] == asked, (
        f"docs/answer-key.md, section {path.name[:2]}: {len(key)} answers for "
        f"{len(asked)} questions, or a question worded otherwise than in {path.name}"
    )
    short = [question for question, answer in key if len(answer.split()) < 12]
    assert not short, f"answers too short to help an instructor: {short}"


def test_the_instructor_guide_links_the_key():
    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    assert "](answer-key.md)" in guide
