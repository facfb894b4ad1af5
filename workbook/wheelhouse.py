"""Every pinned wheel for an offline room: ``python -m workbook.wheelhouse DEST``.

For each target platform and each supported Python, ``pip download`` fetches the wheel
of every package pinned in requirements/constraints.txt whose environment marker holds
there, and the build backend that ``pip install -e .`` needs; the workbook's own wheel
is built too. A room with no network then installs from DEST alone::

    pip install --no-index --find-links DEST -c requirements/constraints.txt -e ".[dev]"
"""

import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import click
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms, sys_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

from workbook.chapters import ROOT
from workbook.environment import CONSTRAINTS, browser_only, pins

PYTHONS = ("3.11", "3.12", "3.13")
LATE_PATCH = 99  # "3.11.99": pip checks Requires-Python (soupsieve 4 needs 3.11.5) against it
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
NOT_FOUND = re.compile(r"No matching distribution found for (\S+)")


def _manylinux(arch: str, oldest: int) -> tuple[str, ...]:
    """The wheel platforms of a Linux with glibc 2.28 or newer (Ubuntu 20.04, Debian 10, RHEL 8)."""
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    tags = []
    for minor in range(28, oldest - 1, -1):
        tags.append(f"manylinux_2_{minor}_{arch}")
        if minor in legacy:
            tags.append(f"{legacy[minor]}_{arch}")
    return tuple(tags)


# Each platform: its wheel platform tags (newest first), and its marker values.
PLATFORMS = {
    "linux-x86_64": (_manylinux("x86_64", 5), ("linux", "Linux", "x86_64", "posix")),
    "linux-aarch64": (_manylinux("aarch64", 17), ("linux", "Linux", "aarch64", "posix")),
    "macos-x86_64": (
        tuple(mac_platforms((11, 0), "x86_64")),
        ("darwin", "Darwin", "x86_64", "posix"),
    ),
    "macos-arm64": (tuple(mac_platforms((11, 0), "arm64")), ("darwin", "Darwin", "arm64", "posix")),
    "windows-amd64": (("win_amd64",), ("win32", "Windows", "AMD64", "nt")),
}


@dataclass(frozen=True)
class Target:
    """One platform and one Python ("3.11"); ``platform`` None is this machine's own."""

    platform: str | None
    python: str

    @property
    def label(self) -> str:
        return f"{self.platform or 'this machine'}, Python {self.python}"

    def pip_options(self) -> list[str]:
        """The options that make ``pip download`` fetch for this target, not this machine."""
        if self.platform is None:
            return []
        platforms = [f"--platform={tag}" for tag in PLATFORMS[self.platform][0]]
        python = f"--python-version={self.python}.{LATE_PATCH}"
        return [*platforms, python, "--implementation=cp"]

    def environments(self) -> list[dict[str, str]]:
        """Marker environments: the first and a late patch release of the Python."""
        here = cast(dict[str, str], default_environment())  # a TypedDict of strings
        if self.platform is None:
            return [here]
        system, name, machine, os_name = PLATFORMS[self.platform][1]
        platform = {"sys_platform": system, "platform_system": name, "os_name": os_name}
        platform |= {"platform_machine": machine, "platform_release": "", "platform_version": ""}
        return [
            here
            | platform
            | {"implementation_name": "cpython", "platform_python_implementation": "CPython"}
            | {"python_version": self.python, "python_full_version": version}
            | {"implementation_version": version}
            for version in (f"{self.python}.0", f"{self.python}.{LATE_PATCH}")
        ]

    def tags(self) -> set[Tag]:
        """The wheel tags that this target installs."""
        if self.platform is None:
            return set(sys_tags())
        version = tuple(int(part) for part in self.python.split("."))
        platforms = PLATFORMS[self.platform][0]
        interpreter = f"cp{self.python.replace('.', '')}"
        return {
            *cpython_tags(version, platforms=platforms),
            *compatible_tags(version, interpreter, platforms),
        }

    def needs(self, requirement: Requirement) -> bool:
        """Whether the requirement's marker holds here, for some patch release of the Python."""
        marker = requirement.marker
        return marker is None or any(marker.evaluate(env) for env in self.environments())


Missing = dict[Target, list[Requirement]]


def pin(requirement: Requirement) -> str:
    """``name==version`` without its marker: pip would judge a marker by this machine."""
    return f"{requirement.name}{requirement.specifier}"


def build_requirements() -> list[str]:
    """What ``pip install -e .`` needs to build the workbook: hatchling, and what it asks for.

    pyproject.toml names the backend; for an editable install hatchling asks for
    ``editables`` too (its ``get_requires_for_build_editable``), which pip must find.
    """
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [*pyproject["build-system"]["requires"], "editables"]


def without_wheel(requirements: list[Requirement], target: Target, dest: Path) -> list:
    """The requirements of which DEST holds no wheel that the target can install."""
    tags = target.tags()
    wheels = [parse_wheel_filename(path.name) for path in dest.glob("*.whl")]
    fits = {(name, version) for name, version, _build, wheel_tags in wheels if wheel_tags & tags}
    return [
        requirement
        for requirement in requirements
        if not any(
            name == canonicalize_name(requirement.name) and version in requirement.specifier
            for name, version in fits
        )
    ]


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    """Run pip with this Python; return what it did (output included, never raising)."""
    return subprocess.run([*PIP, *args], capture_output=True, text=True, check=False)


def download(requirements: list[str], target: Target, dest: Path, *options: str) -> None:
    """Download the wheels of ``requirements`` for the target, of those that have one.

    One pip call per round, each round at most one version of a package (a Python
    3.11 target may need two, one per patch release). A requirement with no wheel for
    the target stops the call: it is set aside, and the call made again without it.
    """
    rounds: list[dict[str, str]] = []  # each: package name -> requirement
    for requirement in requirements:
        name = canonicalize_name(Requirement(requirement).name)
        free = next((one for one in rounds if name not in one), None)
        if free is None:
            free = {}
            rounds.append(free)
        free[name] = requirement
    for one in rounds:
        left = list(one.values())
        while left:
            command = ["download", "--only-binary=:all:", *options, *target.pip_options()]
            result = pip(*command, "-d", str(dest), *left)
            if result.returncode == 0:
                break
            match = NOT_FOUND.search(result.stderr)
            names = [canonicalize_name(Requirement(r).name) for r in left]
            culprit = canonicalize_name(Requirement(match[1]).name) if match else None
            if culprit not in names:  # not a missing wheel: the network, an index, pip itself
                errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
                raise click.ClickException(
                    f"pip download failed for {target.label}:\n" + "\n".join(errors[-5:])
                )
            left.pop(names.index(culprit))


def fetch(targets: list[Target], requirements: list[Requirement], dest: Path) -> Missing:
    """Fetch each target's wheels into DEST; return the pins still missing, by target."""
    missing = {}
    for target in targets:
        wanted = [r for r in requirements if target.needs(r)]
        before = len(list(dest.glob("*.whl")))
        download([pin(r) for r in wanted], target, dest, "--no-deps")
        # The build backend, with its dependencies, at the pinned versions where pinned.
        download(build_requirements(), target, dest, "-c", str(CONSTRAINTS))
        new = len(list(dest.glob("*.whl"))) - before
        missing[target] = without_wheel(wanted, target, dest)
        found = f"{len(wanted) - len(missing[target])} of {len(wanted)} pins"
        lacking = ", ".join(pin(r) for r in missing[target])
        click.echo(
            f"{target.label}: {found}, {new} new file(s)" + f"; no wheel: {lacking}" * bool(lacking)
        )
    return missing


def build_from_source(missing: Missing, dest: Path) -> Missing:
    """Build a wheel from the sdist of each pin without one; keep it where it fits a target.

    A pure-Python wheel fits every target; a compiled one only this machine's kind.
    """
    for name in sorted({pin(r) for requirements in missing.values() for r in requirements}):
        lacking = [t for t, requirements in missing.items() if name in map(pin, requirements)]
        with tempfile.TemporaryDirectory() as built:
            no_wheel = f"--no-binary={Requirement(name).name}"
            result = pip("wheel", "--no-deps", no_wheel, name, "-w", built)
            fits = [t for t in lacking if not without_wheel([Requirement(name)], t, Path(built))]
            for wheel in Path(built).glob("*.whl") if fits else ():
                shutil.move(wheel, dest / wheel.name)
        if result.returncode != 0:
            outcome = "it does not build here"
        else:
            outcome = f"a wheel for {', '.join(t.label for t in fits) or 'none of them'}"
        click.echo(f"{name}: no wheel for {len(lacking)} target(s); from its source, {outcome}")
    return {target: without_wheel(pins, target, dest) for target, pins in missing.items()}


def targets_for(platforms: tuple[str, ...], pythons: tuple[str, ...], current: bool) -> list:
    """The targets asked for: every platform and Python by default."""
    if current:
        return [Target(None, f"{sys.version_info.major}.{sys.version_info.minor}")]
    return [Target(p, v) for p in platforms or PLATFORMS for v in pythons or PYTHONS]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    type=click.Choice(list(PLATFORMS)),
    help="Only this platform (repeat for more). Default: all of them.",
)
@click.option(
    "--python",
    "pythons",
    multiple=True,
    type=click.Choice(PYTHONS),
    help="Only this Python (repeat for more). Default: all of them.",
)
@click.option("--current-only", is_flag=True, help="Only this machine's platform and Python.")
@click.option(
    "--only",
    multiple=True,
    metavar="PACKAGE",
    help="Only these pinned packages (repeat for more). Default: every pin.",
)
def main(
    dest: Path,
    platforms: tuple[str, ...],
    pythons: tuple[str, ...],
    current_only: bool,
    only: tuple[str, ...],
) -> None:
    """Download every pinned wheel, for each platform and Python, into DEST."""
    # The browser extra is `make test`'s alone: a room of learners does without it.
    requirements = [
        r for r in pins(only) if only or canonicalize_name(r.name) not in browser_only()
    ]
    unknown = {canonicalize_name(n) for n in only} - {
        canonicalize_name(r.name) for r in requirements
    }
    if unknown:
        raise click.BadParameter(f"not pinned: {', '.join(sorted(unknown))}", param_hint="--only")
    dest.mkdir(parents=True, exist_ok=True)
    missing = fetch(targets_for(platforms, pythons, current_only), requirements, dest)
    if any(missing.values()):
        missing = build_from_source(missing, dest)
    project = pip("wheel", "--no-deps", str(ROOT), "-w", str(dest))
    if project.returncode != 0:
        raise click.ClickException(f"building the workbook's own wheel failed:\n{project.stderr}")
    files = list(dest.glob("*.whl"))
    size = sum(path.stat().st_size for path in files) / 1e6
    click.echo(f"{dest}: {len(files)} wheels, {size:.1f} MB, the workbook's own included")
    if any(missing.values()):
        click.echo("Not in the kit, for want of a wheel (those laptops need the network):")
        for target, requirements in missing.items():
            for requirement in requirements:
                click.echo(f"  {pin(requirement):<32} {target.label}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
