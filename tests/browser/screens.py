"""Checks every journey page gets: axe-core, no sideways scrolling at 390 px, and
screenshots at 1280 and 390 px for a person to look at."""

from pathlib import Path

from tests.browser.helpers import serious_violations
from tests.browser.shots import settle

SHOTS = Path("/tmp/shots-meetingsaudit")  # noqa: S108 - the brief's place for them


def check_page(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    settle(page)
    assert serious_violations(page) == [], page.url
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} overflows at 390 px"
    )
    assert serious_violations(page) == [], page.url
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
