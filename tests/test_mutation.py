"""The mutation check of the grader: catalogues that fit, stable mutants, honest verdicts.

The full run is `make mutants`; these tests grade a handful of mutants of one small chapter.
"""

import ast
import difflib
from pathlib import Path

import pytest

from workbook.chapters import all_chapters, find_chapter
from workbook.mutation import Mutant, __main__
from workbook.mutation import catalogue as catalogue_module
from workbook.mutation.auto import auto_mutants, splice
from workbook.mutation.catalogue import CatalogueError, argue, load
from workbook.mutation.edits import edits
from workbook.mutation.grade import Verdict, finished_checkout, finished_files, grade
from workbook.mutation.report import Graded, chapter_lines, failures, tally
from workbook.skeletons import find_blank

CHAPTERS = all_chapters()
CONFIG = find_chapter("07")  # graded in about a second: the cheapest chapter to grade
OBVIOUS = """
[[mistake]]
id = "postgresql-kept"
file = "config.py"
task = 1
why = "A learner rewrites the postgres:// that hosts hand out and keeps postgresql://."
find = '("postgres://", "postgresql://")'
replace = '("postgres://",)'
"""
FIND = """'("postgres://", "postgresql://")'"""
IDENTITY = """
[[mistake]]
id = "identity-edit"
file = "config.py"
task = 4
why = "No change at all: the grader must let the finished file through."
find = 'settings["CONFIG_NAME"] = config_name'
replace = 'settings["CONFIG_NAME"] = config_name'
"""


def finished(chapter) -> dict[str, str]:
    """The chapter's finished files, by name."""
    return {file.name: (chapter.solution_dir / file.name).read_text() for file in chapter.files}


def write_catalogue(tmp_path: Path, *entries: str) -> Path:
    path = tmp_path / "mistakes.toml"
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A learner's checkout with every chapter finished."""
    return finished_checkout(tmp_path_factory.mktemp("checkout"))


def test_an_obvious_mistake_is_caught_by_its_own_task(tmp_path, checkout):
    path = write_catalogue(tmp_path, OBVIOUS)
    (mutant,) = load(CONFIG, finished_files(checkout, CONFIG.slug), path).mistakes
    verdict = grade(CONFIG.slug, checkout, mutant)
    assert verdict.caught, verdict
    assert verdict.red == {1}, "postgresql:// is task 1's alone; no other task should go red"


def test_the_check_names_a_survivor_and_fails_on_it(tmp_path, monkeypatch, capsys):
    path = write_catalogue(tmp_path, OBVIOUS, IDENTITY)
    monkeypatch.setattr(catalogue_module, "catalogue_path", lambda _chapter: path)
    status = __main__.main(["07", "--only", "catalogue"])
    output = capsys.readouterr().out
    assert status == 1, output
    assert "1/2 (50.0%)" in output
    assert "SURVIVED   identity-edit (task 4, catalogue, config.py)" in output
    assert "No change at all: the grader must let the finished file through." in output
    assert "SURVIVED   postgresql-kept" not in output


def test_a_hang_counts_as_caught(checkout):
    verdict = grade(CONFIG.slug, checkout, None, timeout=0.01)
    assert verdict.caught
    assert "timed out" in verdict.note


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        (OBVIOUS.replace(FIND, "'not in the file'"), "no longer in"),
        (OBVIOUS.replace(FIND, "'return'"), "times in"),
        (OBVIOUS.replace("find =", "fnd ="), "lacks find"),
        (OBVIOUS.replace("task = 1", "task = 9"), "has no task 9"),
        (OBVIOUS.replace("rewrites the", "rewrites\\nthe"), "one line"),
        (OBVIOUS + "colour = 'red'\n", "unknown keys colour"),
    ],
)
def test_a_catalogue_entry_that_does_not_fit_is_named(tmp_path, entry, error):
    path = write_catalogue(tmp_path, entry)
    with pytest.raises(CatalogueError, match=f"mistake 'postgresql-kept': .*{error}"):
        load(CONFIG, finished(CONFIG), path)


def test_an_equivalent_for_an_automatic_mutant_that_is_gone_is_named():
    mutants = auto_mutants(CONFIG, finished(CONFIG))
    with pytest.raises(CatalogueError, match=r"no longer exist: config\.database_url/flip/gone$"):
        argue(mutants, {"config.database_url/flip/gone": "why"}, CONFIG)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_every_chapter_has_twelve_mistakes_covering_every_task(chapter):
    catalogue = load(chapter, finished(chapter))  # every find-text still fits
    assert len(catalogue.mistakes) >= 12
    covered = {mutant.task for mutant in catalogue.mistakes}
    assert covered == {task.number for task in chapter.tasks}
    assert all(mutant.why and "\n" not in mutant.why for mutant in catalogue.mistakes)
    argue(auto_mutants(chapter, finished(chapter)), catalogue.equivalent, chapter)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_automatic_mutants_change_only_the_blanked_code(chapter):
    mutants = auto_mutants(chapter, finished(chapter))
    assert len({mutant.id for mutant in mutants}) == len(mutants), "ids must be unique"
    for mutant in mutants:
        qualname = mutant.id.split("/")[0].split(".", 1)[1]
        node = find_blank(ast.parse(mutant.original), qualname)
        changed = _changed_lines(mutant)
        assert changed, f"{mutant.id} changes nothing"
        assert node.lineno <= min(changed) and max(changed) <= node.end_lineno, mutant.id


def _changed_lines(mutant: Mutant) -> list[int]:
    """The 1-based lines of the finished file that ``mutant`` changes."""
    matcher = difflib.SequenceMatcher(None, mutant.original.splitlines(), mutant.text.splitlines())
    return [
        line + 1
        for tag, start, end, _, _ in matcher.get_opcodes()
        if tag != "equal"
        for line in range(start, max(end, start + 1))
    ]


def test_automatic_mutant_ids_survive_an_unrelated_edit():
    chapter = find_chapter("02")
    original = finished(chapter)["routes.py"]
    edited = original.replace(
        '@bp.get("/")\ndef list_posts',
        "# A new helper above the views.\ndef helper() -> int:\n    return 1\n\n\n"
        '@bp.get("/")\ndef list_posts',
    ).replace(
        "    return jsonify(paginated(newest_first, post_schema))",
        "    helper()\n    return jsonify(paginated(newest_first, post_schema))",
    )
    assert edited.count("helper()") == 2

    def ids(text: str) -> set[str]:
        return {m.id for m in auto_mutants(chapter, {"routes.py": text}) if m.task != 2}

    assert ids(edited) == ids(original)


def test_an_edit_lands_where_its_node_is_after_non_ascii_text():
    source = 'def f(a):\n    return "é" if a == 1 else "ü"\n'
    body = ast.parse(source).body[0].body
    flip = next(edit for edit in edits(body, in_class=False) if edit.operator == "flip")
    assert splice(source, flip) == 'def f(a):\n    return "é" if (a != 1) else "ü"\n'


def _graded(kind: str, caught: bool, *, task: int = 1, red=(1,), equivalent=None) -> Graded:
    mutant = Mutant(
        kind,
        f"{kind}-{caught}-{task}",
        CONFIG.slug,
        "config.py",
        task,
        "a\n",
        "b\n",
        "why",
        equivalent,
    )
    return Graded(mutant, Verdict(caught, frozenset(red if caught else ())))


def test_argued_survivors_are_left_out_and_blame_is_named():
    graded = [_graded("catalogue", True)] * 19 + [
        _graded("auto", False, equivalent="cannot change behaviour"),
        _graded("auto", True, task=2, red=(3,)),
    ]
    assert tally(graded) == (20, 20)
    assert failures(graded) == []
    lines = "\n".join(chapter_lines(CONFIG, graded))
    assert "equivalent auto-False-1" in lines
    assert "(+1 argued equivalent)" in lines
    assert "caught only by task 3's tests" in lines


def test_a_chapter_below_target_or_with_a_wrong_argument_fails():
    below = [_graded("catalogue", True)] * 18 + [_graded("auto", False)] * 2
    assert failures(below) == [
        "18/20 (90.0%) caught, below 95%",
        "2 survivor(s) not argued equivalent",
    ]
    wrong = [_graded("auto", True, equivalent="it cannot change anything")]
    assert failures(wrong) == ["1 mutant(s) argued equivalent, yet caught"]
