"""Every notebook, rendered by JupyterLab in a real browser, fits a 1280-pixel screen.

Each notebook is opened at 1280 pixels wide with the file browser open, the way a
learner's laptop shows it, and measured: nothing wider than its cell (a table, a code
listing, a line of code), no listing that JupyterLab has to wrap (it cuts a line at any
character, "Tru" / "e"), no red stderr block. Screenshots of each notebook go to
build/notebook-screenshots/ to look at. Without Chromium (a learner's laptop) the test
is skipped; CI installs Debian's package (.ci/run).
"""

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from tests import browser
from workbook.chapters import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "build" / "notebook-screenshots"
WIDTH, HEIGHT = 1280, 900  # a laptop's screen

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    browser.chromium() is None,
    reason="no Chromium installed: the rendered-notebook check needs Debian's chromium package",
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[browser.Lab]:
    """JupyterLab serving copies of the notebooks."""
    with browser.jupyterlab(NOTEBOOKS, tmp_path_factory.mktemp("lab")) as running:
        yield running


@pytest.fixture(scope="module")
def page(lab: browser.Lab):
    """A browser tab of the system's Chromium, 1280 pixels wide."""
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=browser.chromium(), args=browser.CHROMIUM_ARGS
        )
        yield chromium.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        chromium.close()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_notebook_fits_the_screen(path: Path, lab: browser.Lab, page):
    cells = len(nbformat.read(path, as_version=4).cells)
    browser.open_notebook(page, lab, path.name, cells)
    try:
        assert page.locator("#filebrowser").bounding_box()["width"] > 150, "file browser open"
        findings = browser.measure(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob(f"{path.stem}-*.png"):
            old.unlink()
        browser.screenshots(page, SCREENSHOTS / path.stem)
    finally:
        lab.stop_kernels()
    problems = [f"cell {f['cell']}, {f['element']}: {f['problem']}" for f in findings]
    assert not problems, f"{path.name} at {WIDTH} px:\n" + "\n".join(problems)
