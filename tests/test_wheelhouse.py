"""``python -m workbook.wheelhouse``: the offline kit for a room, and what goes in it.

Which pins each platform needs, and which wheels fit it, is checked without a network.
Fetching is checked for this machine alone, on two packages; it needs pip to reach PyPI
(through its configured indexes), and is skipped, saying so, when it cannot.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from workbook.chapters import ROOT
from workbook.environment import browser_only
from workbook.wheelhouse import PLATFORMS, PYTHONS, Target, download, main, pins, without_wheel

SUBSET = {"flask": "3.1.3", "itsdangerous": "2.2.0"}  # small, pure-Python, pinned


def offline_pip(*args: str) -> subprocess.CompletedProcess[str]:
    """Run pip with no configuration file or variable: only the options given count."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def needs(platform: str, python: str, line: str) -> bool:
    """Whether a target needs the pin on ``line`` of a constraints file."""
    return Target(platform, python).needs(Requirement(line))


# Offline: markers and tags.


def test_every_pin_is_one_exact_version():
    for requirement in pins():
        assert str(requirement.specifier).startswith("=="), requirement


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_markers_are_judged_for_the_target_not_this_machine(platform):
    windows, mac = platform.startswith("windows"), platform.startswith("macos")
    assert needs(platform, "3.12", "pywinpty==3.1.2 ; os_name == 'nt'") == windows
    assert needs(platform, "3.12", "colorama==0.4.6 ; sys_platform == 'win32'") == windows
    assert needs(platform, "3.12", "appnope==1.0.0 ; sys_platform == 'darwin'") == mac
    line = "pexpect==4.9.0 ; sys_platform != 'emscripten' and sys_platform != 'win32'"
    assert needs(platform, "3.12", line) == (not windows)


def test_a_python_gets_the_pins_of_each_of_its_patch_releases():
    old = "soupsieve==2.10 ; python_full_version < '3.11.5'"
    new = "soupsieve==4.1.3 ; python_full_version >= '3.11.5'"
    assert needs("linux-x86_64", "3.11", old) and needs("linux-x86_64", "3.11", new)
    assert not needs("linux-x86_64", "3.12", old) and needs("linux-x86_64", "3.12", new)
    assert not needs("linux-x86_64", "3.13", "overrides==7.7.0 ; python_full_version < '3.12'")


@pytest.mark.parametrize(
    ("wheel", "fits"),
    [
        ("ruff-0.17.6-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", {"linux-x86_64"}),
        (
            "psutil-7.2.2-cp36-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl",
            {"linux-aarch64"},
        ),
        ("pyzmq-27.3.0-cp312-cp312-manylinux_2_34_x86_64.whl", set()),  # glibc 2.34: too new
        ("rpds_py-2026.9.1-cp312-cp312-macosx_10_12_x86_64.whl", {"macos-x86_64"}),
        ("rpds_py-2026.9.1-cp312-cp312-macosx_11_0_arm64.whl", {"macos-arm64"}),
        ("pyzmq-27.3.0-cp312-cp312-macosx_10_15_universal2.whl", {"macos-x86_64", "macos-arm64"}),
        ("pywinpty-3.1.2-cp312-cp312-win_amd64.whl", {"windows-amd64"}),
        ("pywinpty-3.1.2-cp313-cp313-win_amd64.whl", set()),  # another Python
        ("flask-3.1.3-py3-none-any.whl", set(PLATFORMS)),
    ],
)
def test_a_wheel_fits_the_targets_its_tags_name(tmp_path, wheel, fits):
    (tmp_path / wheel).touch()
    name, version = wheel.split("-")[:2]
    requirement = Requirement(f"{name}=={version}")
    for platform in PLATFORMS:
        fitting = not without_wheel([requirement], Target(platform, "3.12"), tmp_path)
        assert fitting == (platform in fits), f"{wheel} on {platform}"


class FakePip:
    """Stands in for pip: no wheel for the packages in ``lacking``, or no network at all."""

    def __init__(self, lacking: set[str] = frozenset(), offline: bool = False) -> None:
        self.lacking, self.offline, self.calls = lacking, offline, []

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        wanted = [arg for arg in args if "==" in arg]
        self.calls.append(wanted)
        if self.offline:
            error = "ERROR: Could not find a version (connection refused)"
            return subprocess.CompletedProcess(args, 1, "", error)
        for requirement in wanted:
            if requirement.split("==")[0] in self.lacking:
                error = f"ERROR: No matching distribution found for {requirement}"
                return subprocess.CompletedProcess(args, 1, "", error)
        return subprocess.CompletedProcess(args, 0, "", "")


def test_a_pin_without_a_wheel_is_set_aside_and_the_rest_fetched(tmp_path, monkeypatch):
    fake = FakePip(lacking={"pywinpty"})
    monkeypatch.setattr("workbook.wheelhouse.pip", fake)
    wanted = ["flask==3.1.3", "pywinpty==3.1.2", "soupsieve==2.10", "soupsieve==4.1.3"]
    download(wanted, Target("windows-amd64", "3.11"), tmp_path, "--no-deps")
    assert fake.calls == [  # one version of a package per call; the culprit dropped
        ["flask==3.1.3", "pywinpty==3.1.2", "soupsieve==2.10"],
        ["flask==3.1.3", "soupsieve==2.10"],
        ["soupsieve==4.1.3"],
    ]


def test_a_failure_that_is_not_a_missing_wheel_stops_the_command(tmp_path, monkeypatch):
    monkeypatch.setattr("workbook.wheelhouse.pip", FakePip(offline=True))
    with pytest.raises(click.ClickException, match="connection refused"):
        download(["flask==3.1.3"], Target("linux-x86_64", "3.12"), tmp_path)


def test_an_unpinned_package_is_refused_before_any_download(tmp_path):
    result = CliRunner().invoke(
        main, [str(tmp_path / "kit"), "--current-only", "--only", "no-such"]
    )
    assert result.exit_code == 2
    assert "not pinned: no-such" in result.output
    assert not (tmp_path / "kit").exists()


def test_the_pythons_are_those_that_pyproject_supports():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    supported = SpecifierSet(pyproject["project"]["requires-python"])
    assert all(f"{python}.0" in supported for python in PYTHONS)
    major, minor = map(int, PYTHONS[0].split("."))
    assert f"{major}.{minor - 1}.99" not in supported, "the oldest Python supported is missing"


# Online: this machine, two packages.


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> tuple[Path, str]:
    """Fetch the subset for this machine; return the folder and what the command printed."""
    probe = tmp_path_factory.mktemp("probe")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
    command += ["--retries=0", "--timeout=15", "-d", str(probe), "itsdangerous==2.2.0"]
    reached = subprocess.run(command, capture_output=True, text=True, check=False)
    if reached.returncode != 0:
        last = (reached.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"pip cannot reach PyPI through its configured indexes: {last}")
    dest = tmp_path_factory.mktemp("wheelhouse")
    only = [option for name in SUBSET for option in ("--only", name)]
    result = CliRunner().invoke(main, [str(dest), "--current-only", *only])
    assert result.exit_code == 0, result.output
    return dest, result.output


def test_the_kit_holds_the_pins_the_build_backend_and_the_workbook(kit):
    dest, output = kit
    names = {path.name.split("-")[0].lower(): path.name for path in dest.glob("*.whl")}
    for name, version in SUBSET.items():
        assert names[name].startswith(f"{name}-{version}-"), names[name]
    assert {"hatchling", "editables", "flask_workbook"} <= set(names)
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"this machine, Python {python}: 2 of 2 pins" in output
    assert "wheels" in output.splitlines()[-1]


def test_the_kit_installs_the_workbook_editable_with_no_index(kit):
    dest, _output = kit
    options = ["--dry-run", "--ignore-installed", "--no-deps", "--no-index", f"--find-links={dest}"]
    pinned = [f"{name}=={version}" for name, version in SUBSET.items()]
    result = offline_pip("install", *options, "-e", str(ROOT), *pinned)
    assert result.returncode == 0, result.stderr
    assert "Would install" in result.stdout


def test_the_browser_extra_stays_out_of_a_learners_kit():
    """playwright and what only it pulls in are make test's, not a learner's."""
    assert {"playwright", "greenlet"} <= browser_only()
    assert not {"flask", "pytest", "jupyterlab", "typing-extensions"} & browser_only()
