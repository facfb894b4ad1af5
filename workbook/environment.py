"""What the learner's machine has, compared with what the workbook pins."""

import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

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


def browser_only() -> set[NormalizedName]:
    """The pinned packages that only the ``browser`` extra needs (``make test``'s, no learner's).

    Read from pyproject.toml's extra and the ``# via`` notes of the constraints file: a
    package is the extra's alone when everything that pulls it in is.
    """
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = project["project"]["optional-dependencies"]["browser"]
    alone = {canonicalize_name(Requirement(line).name) for line in extra}
    pulled_by: dict[NormalizedName, set[NormalizedName]] = {}
    name: NormalizedName | None = None
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            name = canonicalize_name(Requirement(text).name)
            pulled_by[name] = set()
        elif line.strip().startswith("#") and name:
            via = line.strip().lstrip("#").strip().removeprefix("via").strip()
            if via:
                pulled_by[name].add(canonicalize_name(via.split(" ")[0]))
    while grown := {n for n, vias in pulled_by.items() if vias and vias <= alone} - alone:
        alone |= grown
    return alone


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
