"""``workbook doctor``: check that this machine can run the workbook, and say how to fix it.

Each check prints ``ok: ...``, or ``PROBLEM: ...`` and a ``Fix: ...``; the command fails
(exit code 1) when any check found a problem. Nothing here needs the network.
"""

import importlib.util
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from workbook.apps import closing, new_app
from workbook.chapters import ROOT, all_chapters, shown
from workbook.environment import (
    CONSTRAINTS,
    MIN_PYTHON,
    check_versions,
    installed_version,
    pinned_versions,
)

Finding = tuple[str, str | None]  # what was found; how to fix it (None: it is fine)
PYTHON = shown(Path(sys.executable))
CHAPTERS = [chapter.slug for chapter in all_chapters()]  # one per exercises/NN_slug/exercise.toml
REINSTALL = f'{PYTHON} -m pip install -c {shown(CONSTRAINTS)} -e ".[dev]"'


def check_python() -> Iterator[Finding]:
    """This Python is new enough."""
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info >= MIN_PYTHON:
        yield f"Python {version} ({PYTHON})", None
    else:
        wanted = ".".join(map(str, MIN_PYTHON))
        fix = f"install Python {wanted} or newer, then: rm -rf .venv && make lab PYTHON=python3.12"
        yield f"Python {version} is older than {wanted}", fix


def check_packages() -> Iterator[Finding]:
    """The key packages, then all the others installed, are at their pinned versions."""
    checks = check_versions()
    for check in checks:
        if not check.ok:
            found = f"{check.installed} is installed" if check.installed else "is not installed"
            yield f"{check.name} {found}; {check.pinned_text} is pinned", REINSTALL
    if all(check.ok for check in checks):
        versions = ", ".join(f"{c.name} {c.installed}" for c in checks)
        yield f"{len(checks)} key packages at their pinned versions: {versions}", None
    keys = {check.name for check in checks}
    others = {n: v for n, v in pinned_versions().items() if n not in keys and installed_version(n)}
    differ = [
        f"{name} {installed_version(name)} (pinned {' or '.join(sorted(pinned))})"
        for name, pinned in sorted(others.items())
        if installed_version(name) not in pinned
    ]
    if differ:
        found = f"{len(differ)} of the {len(others)} other pinned packages installed differ"
        yield f"{found}: {', '.join(differ)}", REINSTALL
    else:
        yield f"the {len(others)} other pinned packages installed match their pins", None


def check_app() -> Iterator[Finding]:
    """The reference app builds and answers a request."""
    fix = "`git status reference_app` shows what changed; `git checkout reference_app` undoes it"
    try:
        with closing(new_app()) as app:
            status = app.test_client().get("/api/v1/posts/").status_code
    except Exception as error:
        yield f"the reference app does not build: {type(error).__name__}: {error}", fix
        return
    if status == 200:
        yield "the reference app builds, and GET /api/v1/posts/ answers 200", None
    else:
        yield f"the reference app answers GET /api/v1/posts/ with {status}, not 200", fix


def check_exercises() -> Iterator[Finding]:
    """pytest collects the grading tests of every chapter."""
    command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "exercises"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    counts: Counter[str] = Counter()
    for line in result.stdout.splitlines():  # "NN_slug/test_x.py: 12", or one id a line
        if match := re.match(r"^(\d\d_\w+)/\S+?\.py(?:: (\d+)|::\S+)$", line.strip()):
            counts[match.group(1)] += int(match.group(2) or 1)
    missing = [slug for slug in CHAPTERS if not counts[slug]]
    if result.returncode == 0 and not missing:
        found = f"pytest collects {counts.total()} grading tests in all {len(CHAPTERS)} chapters"
        yield found, None
        return
    tail = "\n    ".join((result.stdout + result.stderr).strip().splitlines()[-8:])
    found = f"pytest cannot collect {', '.join(missing) or 'the exercises'}"
    fix = f"`{PYTHON} -m pytest --collect-only exercises` shows why; `git status` what changed"
    yield f"{found} (exit code {result.returncode}):\n    {tail}", fix


def check_kernel() -> Iterator[Finding]:
    """The notebooks' kernel, ``python3``, exists and its Python can import the workbook."""
    fix = f"{PYTHON} -m ipykernel install --sys-prefix  (Jupyter prefers it inside .venv)"
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        manager = KernelSpecManager()
        folder = manager.find_kernel_specs().get("python3")
        argv = manager.get_kernel_spec("python3").argv if folder else []
    except Exception as error:
        yield f"the Jupyter kernels cannot be listed: {type(error).__name__}: {error}", REINSTALL
        return
    if not folder:
        yield "no Jupyter kernel named python3: the notebooks cannot run", fix
        return
    # A spec whose command is plain "python" runs the Python that runs JupyterLab, which
    # `make lab` starts from .venv: that is this Python. Any other is asked directly.
    if argv[0] in ("python", "python3", f"python3.{sys.version_info[1]}"):
        kernel = f"the Python that starts JupyterLab ({PYTHON} with make lab)"
        ok = all(importlib.util.find_spec(name) for name in ("ipykernel", "reference_app"))
    else:
        kernel = argv[0]
        ok = _imports_workbook(argv[0])
    found = f"the Jupyter kernel python3 ({shown(Path(folder))}) runs {kernel}, which"
    if ok:
        yield f"{found} imports the workbook", None
    else:
        yield f"{found} cannot import ipykernel and reference_app", fix


def _imports_workbook(python: str) -> bool:
    """Whether ``python`` can import the kernel's package and the reference app."""
    probe = [python, "-c", "import ipykernel, reference_app"]
    try:
        return subprocess.run(probe, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


CHECKS: tuple[Callable[[], Iterator[Finding]], ...] = (
    check_python,
    check_packages,
    check_app,
    check_exercises,
    check_kernel,
)


@click.command()
def doctor() -> None:
    """Check that this machine can run the workbook.

    Python, the pinned packages, the reference app, the exercises, the notebook kernel.
    """
    click.echo(f"Checking the workbook in {ROOT}\n")
    problems = 0
    for check in CHECKS:
        for found, fix in check():
            if fix is None:
                click.echo(f"ok: {found}")
            else:
                problems += 1
                click.echo(f"PROBLEM: {found}\n  Fix: {fix}")
    if problems:
        raise click.ClickException(
            f"{problems} problem(s) found. Fix them in order, then run `workbook doctor` again."
        )
    click.echo("\nEverything is ready. See where you are with: workbook status")
