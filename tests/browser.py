"""JupyterLab in headless Chromium, as a learner sees it: start it, open a notebook, measure.

The browser is the system's Chromium (Debian's ``chromium`` package), driven by
playwright; playwright's own browser download is not used. JupyterLab runs on
127.0.0.1 with a token, on copies of the notebooks, with settings and workspaces of its
own in a temporary folder, so a maintainer's JupyterLab is neither used nor changed.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MEASURE = Path(__file__).with_name("measure_notebook.js").read_text(encoding="utf-8")
SETTINGS = {
    # Every cell laid out, in view or not: a cell that is not laid out cannot be measured.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # No news or update pop-up over the notebook, and no request to the network for them.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
STARTUP_SECONDS = 60


def chromium() -> str | None:
    """Return the path of the system's Chromium, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it listens, and its token."""

    url: str
    token: str

    def api(self, path: str, method: str = "GET") -> object:
        """Call JupyterLab's REST API; return the JSON it answers, if any."""
        headers = {"Authorization": f"token {self.token}"}
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method, headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop_kernels(self) -> None:
        """Shut down every notebook's kernel, so that they do not pile up."""
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def jupyterlab(notebooks: list[Path], folder: Path) -> Iterator[Lab]:
    """Serve copies of ``notebooks`` from ``folder``/notebooks until the block ends."""
    (folder / "notebooks").mkdir(parents=True)
    for path in notebooks:
        shutil.copy(path, folder / "notebooks" / path.name)
    for plugin, values in SETTINGS.items():
        target = folder / "settings" / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(folder / "settings")}
    for name in ("JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR"):
        env[name] = str(folder / name.lower())
    lab = Lab(f"http://127.0.0.1:{_free_port()}", secrets.token_hex(16))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1"]
    command += [f"--ServerApp.port={lab.url.rpartition(':')[2]}", "--ServerApp.port_retries=0"]
    command += [f"--IdentityProvider.token={lab.token}", f"--ServerApp.root_dir={folder}"]
    command += ["--allow-root"] if os.geteuid() == 0 else []  # a container's root, in CI
    log = (folder / "jupyterlab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(lab, server, folder / "jupyterlab.log")
        yield lab
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _wait_until_up(lab: Lab, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab stopped at start:\n{log.read_text()[-2000:]}")
        try:
            lab.api("status")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"JupyterLab did not answer in {STARTUP_SECONDS} s:\n{log.read_text()}")


def open_notebook(page, lab: Lab, name: str, cells: int) -> None:
    """Open ``notebooks/name`` alone, with the file browser open, and wait until it is drawn."""
    page.goto(f"{lab.url}/lab/tree/notebooks/{name}?reset&token={lab.token}")
    page.wait_for_function(
        """count => {
            const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
            return panel && panel.querySelectorAll('.jp-Notebook .jp-Cell').length === count
                && !panel.querySelector('.jp-MarkdownCell:not(.jp-mod-rendered)');
        }""",
        arg=cells,
    )
    if not page.locator("#filebrowser").is_visible():
        page.click('.jp-SideBar [data-id="filebrowser"]')
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)  # the last layout: fonts, the Mermaid diagram of notebook 00


def measure(page) -> list[dict]:
    """Return what measure_notebook.js finds wrong in the open notebook."""
    return page.evaluate(MEASURE)


def screenshots(page, stem: Path, height: int = 6000) -> list[Path]:
    """Save the whole notebook as screenshots of ``height`` pixels; return their paths."""
    viewport = page.viewport_size
    width = viewport["width"]
    scroller = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(200)
    total, seen = page.eval_on_selector(scroller, "e => [e.scrollHeight, e.clientHeight]")
    paths = []
    for number, top in enumerate(range(0, total, seen), start=1):
        page.eval_on_selector(scroller, f"e => {{ e.scrollTop = {top}; }}")
        paths.append(stem.with_name(f"{stem.name}-{number}.png"))
        page.screenshot(path=paths[-1])
    page.set_viewport_size(viewport)
    return paths
