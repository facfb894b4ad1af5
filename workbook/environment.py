"""What the learner's machine has, compared with what the workbook pins."""

import sys
from dataclasses import dataclass
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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
    """One package: the versions pinned, the version installed (None when missing)."""

    name: str
    pinned: tuple[str, ...]  # one version, or one per platform where the lock needs it
    installed: str | None

    @property
    def ok(self) -> bool:
        return self.installed in self.pinned

    @property
    def pinned_text(self) -> str:
        return " or ".join(self.pinned)


def pins(only: tuple[str, ...] = ()) -> list[Requirement]:
    """Every ``name==version`` line of the constraints file, or those of the packages named.

    The file is universal (every platform and Python), so a package may have several
    lines, each with its environment marker.
    """
    wanted = {canonicalize_name(name) for name in only}
    found = []
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            requirement = Requirement(line)
            if not wanted or canonicalize_name(requirement.name) in wanted:
                found.append(requirement)
    return found


def pinned_versions() -> dict[str, tuple[str, ...]]:
    """Return the versions pinned for each package, by canonical name, in order."""
    versions: dict[str, set[str]] = {}
    for requirement in pins():
        name = canonicalize_name(requirement.name)
        versions.setdefault(name, set()).update(spec.version for spec in requirement.specifier)
    return {name: tuple(sorted(found)) for name, found in versions.items()}


def installed_version(name: str) -> str | None:
    """Return the installed version of distribution ``name``, or None."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_versions() -> list[VersionCheck]:
    """Compare the installed version of each key package with its pin."""
    pinned = pinned_versions()
    return [VersionCheck(name, pinned[name], installed_version(name)) for name in KEY_PACKAGES]


def python_ok() -> bool:
    """Whether this Python is new enough for the workbook."""
    return sys.version_info >= MIN_PYTHON
