"""No legacy or deprecated API in the project's own code.

Warnings as errors catch much of it at run time, but not all: on Python 3.11
``datetime.utcnow()`` does not warn yet, ``lazy="dynamic"`` never warns, and a legacy
call on a path the tests do not take warns nowhere. So the source is read too.
"""

import ast

import pytest

from workbook.chapters import ROOT

# The project's own Python: the app, the workbook machinery, the benchmark, the
# generated files. Alembic's generated revisions are its own style and are left out.
FOLDERS = ("reference_app", "workbook", "bench", "exercises", "solutions")
SOURCES = [
    *sorted(
        path
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if "versions" not in path.parts
    ),
    ROOT / "wsgi.py",
]

# a datetime class method -> what to use instead (the app's own ``utcnow()`` is fine)
LEGACY_DATETIME = {
    "utcnow": "datetime.now(UTC)",
    "utcfromtimestamp": "datetime.fromtimestamp(t, UTC)",
}
# attribute -> what to use instead
LEGACY_ATTRIBUTES = {
    "query": "db.select(...) with db.session.execute/scalars, or db.session.get",
    "query_property": "db.select(...)",
    "before_first_request": "work done in create_app",
    "declarative_base": "a DeclarativeBase subclass",
}
# a call's keyword=value -> what to use instead
LEGACY_KEYWORDS = {
    ("lazy", "dynamic"): "WriteOnlyMapped with the default lazy loading",
}
# a name called in the app -> what to use instead
LEGACY_CALLS = {
    "Column": "mapped_column with a Mapped[...] annotation",
}


def legacy_uses(source: str) -> list[tuple[int, str, str]]:
    """Return ``(line, what, instead)`` for each legacy use in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in LEGACY_ATTRIBUTES:
            found.append((node.lineno, f".{node.attr}", LEGACY_ATTRIBUTES[node.attr]))
        elif isinstance(node, ast.Attribute) and node.attr in LEGACY_DATETIME:
            owner = node.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if name == "datetime":
                found.append((node.lineno, f"datetime.{node.attr}", LEGACY_DATETIME[node.attr]))
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in LEGACY_ATTRIBUTES:
                    found.append((node.lineno, alias.name, LEGACY_ATTRIBUTES[alias.name]))
        elif isinstance(node, ast.Call):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else None
            called = node.func.id if isinstance(node.func, ast.Name) else called
            if called in LEGACY_CALLS:
                found.append((node.lineno, f"{called}(...)", LEGACY_CALLS[called]))
            for keyword in node.keywords:
                value = keyword.value
                if (
                    isinstance(value, ast.Constant)
                    and (keyword.arg, value.value) in LEGACY_KEYWORDS
                ):
                    what = f"{keyword.arg}={value.value!r}"
                    found.append((node.lineno, what, LEGACY_KEYWORDS[keyword.arg, value.value]))
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_legacy_api(path):
    uses = legacy_uses(path.read_text(encoding="utf-8"))
    report = [f"line {line}: {what}; use {instead}" for line, what, instead in uses]
    assert not report, f"{path.relative_to(ROOT)}:\n" + "\n".join(report)


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("from datetime import datetime\nnow = datetime.utcnow()", "datetime.utcnow"),
        ("import datetime\nnow = datetime.datetime.utcnow()", "datetime.utcnow"),
        ("t = datetime.utcfromtimestamp(0)", "datetime.utcfromtimestamp"),
        ("user = User.query.get(1)", ".query"),
        ("rows = db.session.query(User).all()", ".query"),
        ("posts = db.relationship('Post', lazy='dynamic')", "lazy='dynamic'"),
        ("id = db.Column(db.Integer, primary_key=True)", "Column(...)"),
        ("from sqlalchemy.orm import declarative_base", "declarative_base"),
        ("@app.before_first_request\ndef setup(): pass", ".before_first_request"),
    ],
)
def test_the_check_finds_each_legacy_use(source, what):
    assert [found for _line, found, _instead in legacy_uses(source)] == [what]


def test_the_check_passes_modern_code():
    modern = (
        "now = datetime.now(UTC)\n"
        "created = models.utcnow()\n"
        "user = db.session.get(User, 1)\n"
        "rows = db.session.scalars(db.select(User)).all()\n"
        "posts: WriteOnlyMapped['Post'] = relationship(back_populates='author')\n"
        "id: Mapped[int] = mapped_column(primary_key=True)\n"
    )
    assert legacy_uses(modern) == []


def test_every_part_of_the_project_is_read():
    folders = {path.relative_to(ROOT).parts[0] for path in SOURCES}
    assert {"reference_app", "workbook", "bench", "exercises", "solutions", "wsgi.py"} <= folders
    assert any(path.name == "models.py" for path in SOURCES)
