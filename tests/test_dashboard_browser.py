"""The dashboard in a real browser: Debian's Chromium driven by Playwright, from ``file://``.

Marked ``browser`` (left out of the fast suite; ``.ci/run`` runs them with ``-m browser`` and
``SAFETY_PLAN_BROWSER=required``, so there a missing browser fails instead of skipping).
Each page must load with no console error and no request but its own file, fit the window
(desktop 1366×768 and a phone) with no sideways scrolling of the page itself, and draw every
chart with elements of non-zero size. Screenshots go to ``$SAFETY_PLAN_SCREENSHOTS`` (CI keeps
them as artifacts), else to the test's temporary directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("SAFETY_PLAN_CHROMIUM", "/usr/bin/chromium")
# As the machine notes advise: without the background-networking flags Chromium itself
# reaches out (updates, Safe Browsing), which would count as requests and fail offline.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's dashboard for 2025-06, made as a user makes it: the installed command."""
    out = tmp_path_factory.mktemp("dashboard") / "site"
    demo = REPO / "examples" / "demo"
    command = [
        sys.executable,
        "-m",
        "safety_plan",
        "--data",
        str(demo),
        "dashboard",
        "-m",
        "2025-06",
        "-o",
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    required = os.environ.get("SAFETY_PLAN_BROWSER") == "required"  # .ci/run: fail, never skip
    try:
        import playwright.sync_api as playwright
    except ImportError:
        if required:
            raise
        pytest.skip('no playwright (pip install ".[browser]")')
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("SAFETY_PLAN_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _load(browser: Any, page_file: Path, viewport: dict[str, int]) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport=viewport)
    problems: list[str] = []
    requests: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_file.as_uri(), wait_until="load")
    return page, problems, requests


_CHARTS = """() => [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const drawn = [...svg.querySelectorAll('rect:not(.track)')].filter(r => {
    const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
  return {label: svg.getAttribute('aria-label'), width: box.width, height: box.height, drawn: drawn.length};
})"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("which", ["index", "unit"])
def test_pages_load_offline_draw_their_charts_and_fit(
    browser: Any, site: Path, shots: Path, viewport: str, which: str
) -> None:
    page_file = site / "index.html" if which == "index" else _unit_page(site, "区应急局")
    page, problems, requests = _load(browser, page_file, VIEWPORTS[viewport])
    try:
        assert problems == []
        assert requests == [page_file.as_uri()]
        charts = page.evaluate(_CHARTS)
        assert charts, "no chart on the page"
        empty = [c for c in charts if not (c["width"] > 0 and c["height"] > 0 and c["drawn"] > 0)]
        assert empty == []
        if which == "index":
            assert len(charts) >= 3 + 2  # three trend panels, the phase track, the lights
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        shot = shots / f"dashboard-{which}-{viewport}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        page.close()


def test_links_from_the_index_open_unit_pages(browser: Any, site: Path) -> None:
    page, problems, _ = _load(browser, site / "index.html", VIEWPORTS["desktop"])
    try:
        page.click("#ranking a >> nth=0")
        page.wait_for_load_state("load")
        assert "/units/" in page.url
        assert page.locator("h1").inner_text().endswith("任务清单")
        assert problems == []
    finally:
        page.close()


def _unit_page(site: Path, unit: str) -> Path:
    for path in sorted((site / "units").glob("*.html")):
        if f"<h1>{unit} 任务清单</h1>" in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError(f"no page for {unit}")
