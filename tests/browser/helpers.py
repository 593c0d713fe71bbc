"""Shared browser-test helpers: sign-in through the real pages, and axe-core checks."""

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tests.conftest import PASSWORD
from tests.totp import totp_now

_AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


# Wait (at most 2 s) for finite CSS animations, such as Wagtail's fading-in
# messages: axe measures colour contrast mid-fade otherwise, and flakes.
_SETTLE_ANIMATIONS = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)
        .map(a => a.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 2000)),
])"""


def serious_violations(page) -> list[str]:
    """axe-core (bundled in axe-playwright-python, never fetched) on this page."""
    page.evaluate(_SETTLE_ANIMATIONS)
    results = _AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        f"{[node['target'] for node in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def sign_in(page, live_server, username: str, *, totp: bool = False) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp:
        page.get_by_label("Code").fill(totp_now(settings.DEMO_TOTP_SECRET))
        page.locator('main form button[type="submit"]').first.click()
    # Each role lands on its own work (accounts.landing): wait until sign-in is over.
    page.wait_for_url(lambda url: "/accounts/" not in url)
