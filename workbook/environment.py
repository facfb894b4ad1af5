"""What the learner's machine has, compared with what the workbook pins."""

import re
import sys
from dataclasses import dataclass
from importlib import metadata

from workbook.chapters import ROOT

CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
MIN_PYTHON = (3, 11)
# The packages whose versions the workbook's text and code depend on.
KEY_PACKAGES = (
    "flask",
    "flask-sqlalchemy",
    "sqlalchemy",
    "flask-migrate",
    "flask-jwt-extended",
    "pyjwt",
    "marshmallow",
    "werkzeug",
    "pytest",
    "nbval",
)


@dataclass(frozen=True)
class VersionCheck:
    """One package: the version pinned, the version installed (None when missing)."""

    name: str
    pinned: str
    installed: str | None

    @property
    def ok(self) -> bool:
        return self.installed == self.pinned


def pinned_versions() -> dict[str, str]:
    """Return every ``name==version`` pin of the constraints file, names lower-cased."""
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def installed_version(name: str) -> str | None:
    """Return the installed version of distribution ``name``, or None."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_versions(names: tuple[str, ...] = KEY_PACKAGES) -> list[VersionCheck]:
    """Compare the installed version of each package in ``names`` with its pin."""
    pins = pinned_versions()
    return [VersionCheck(name, pins[name], installed_version(name)) for name in names]


def python_ok() -> bool:
    """Whether this Python is new enough for the workbook."""
    return sys.version_info >= MIN_PYTHON
