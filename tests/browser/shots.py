"""Screenshots at desktop and phone width, for people to look at, plus the one
check a phone screen needs: nothing sticks out sideways."""

import os
import tempfile

SHOTS = os.environ.get(
    "SHOTS_DIR", os.path.join(tempfile.gettempdir(), "shots-visitscare")
)


def no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def settle(page) -> None:
    # A resize can swap <picture> sources: wait for what the new width loads.
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => [...document.images].every(image => image.complete)")
    # The Wagtail sidebar folds away with a transition after a resize; a screenshot
    # taken during it shows the page squeezed sideways. Infinite animations
    # (a spinner) never end, so only finite ones are waited for.
    page.wait_for_function(
        "() => document.getAnimations().every("
        "(running) => running.effect.getTiming().iterations === Infinity)"
    )


def shoot(page, name: str) -> None:
    """At 1280 and 390 px wide; at 390 nothing may stick out sideways."""
    os.makedirs(SHOTS, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    settle(page)
    page.screenshot(path=f"{SHOTS}/{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    assert no_overflow(page), f"{name} is wider than a 390 px phone screen"
    page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
