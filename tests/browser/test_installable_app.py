"""The portal installs as an app and keeps nothing personal offline (#17, item 1).

Chromium judges installability itself (the DevTools protocol's
Page.getInstallabilityErrors), for a visitor and for a signed-in patient. Offline,
a public article read before and the offline page still open; a visit page does
not, because the service worker never stored it.
"""

import json

import pytest
from playwright.sync_api import expect

from cms.models import AlertArea
from notifications.models import PushSubscription
from notifications.services import PushContent
from tests.browser.helpers import serious_violations, sign_in
from tests.browser.shots import shoot
from tests.cms.factories import make_article, make_topic
from tests.visits.factories import booked_visit

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]

WORKER_IN_CONTROL = """() => {
    const worker = navigator.serviceWorker.controller;
    return worker !== null && worker.state === "activated";
}"""


@pytest.fixture
def app_page(browser_type, browser_type_launch_args, tmp_path):
    """A page in a browser profile on disk: Chromium refuses to install an app from
    an incognito profile, which is what the usual fresh context is."""
    context = browser_type.launch_persistent_context(
        tmp_path / "profile", **browser_type_launch_args
    )
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


def installability_errors(page) -> list:
    """Chromium's own verdict on the page once it has loaded. Asked while a page
    is still arriving, Chromium answers "manifest-location-changed" (the previous
    page's manifest), so the question waits for the load and is asked again
    while that answer comes back."""
    page.wait_for_load_state("load")
    session = page.context.new_cdp_session(page)
    try:
        for _ in range(20):
            errors = session.send("Page.getInstallabilityErrors")[
                "installabilityErrors"
            ]
            if [e["errorId"] for e in errors] != ["manifest-location-changed"]:
                return errors
            page.wait_for_timeout(100)
        return errors
    finally:
        session.detach()


def wait_for_worker_in_control(page) -> None:
    """clients.claim() hands open pages to the worker once it is active, but not
    a page that was still loading then (registration may have started on the
    sign-in page); such a page is controlled from its next load, as a person's
    next tap would be."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate(WORKER_IN_CONTROL):
        page.reload()
    page.wait_for_function(WORKER_IN_CONTROL)


def test_a_visitor_installs_the_app_and_reads_an_article_offline(app_page, live_server):
    page = app_page
    article = make_article(topic=make_topic(), title="Measuring blood pressure at home")
    page.goto(live_server.url + "/")

    assert installability_errors(page) == []
    wait_for_worker_in_control(page)
    manifest = json.loads(page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href,"
        " {credentials: 'include'}).then(r => r.text())"
    ))  # fmt: skip
    assert manifest["start_url"] == "/"
    page.goto(live_server.url + article.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)

    page.context.set_offline(True)
    page.goto(live_server.url + article.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    page.goto(live_server.url + "/offline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    # A page never read online has no copy: the offline page stands in.
    page.goto(live_server.url + "/search/?q=flu")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.context.set_offline(False)


def test_a_patient_installs_the_app_but_no_visit_page_is_kept(
    app_page, live_server, patient, clinician
):
    page = app_page
    visit = booked_visit(patient, clinician)
    sign_in(page, live_server, "patient")

    assert installability_errors(page) == []
    wait_for_worker_in_control(page)
    manifest = json.loads(page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href,"
        " {credentials: 'include'}).then(r => r.text())"
    ))  # fmt: skip
    assert manifest["start_url"] == "/visits/"
    page.get_by_role("link", name="My visits").first.click()
    page.wait_for_url("**/visits/")
    assert installability_errors(page) == []  # the patient's home in the app
    page.get_by_role("link", name=visit.visit_type.name).first.click()
    visit_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text(visit.visit_type.name)

    page.context.set_offline(True)
    page.goto(visit_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.get_by_text(visit.visit_type.name)).to_have_count(0)
    expect(page.get_by_text("Pat")).to_have_count(0)
    assert serious_violations(page) == []
    shoot(page, "offline-page")
    page.context.set_offline(False)


NOTIFICATIONS_SHOWN = """() => navigator.serviceWorker.ready
    .then(registration => registration.getNotifications())
    .then(shown => shown.map(n => [n.title, n.body, n.data.url]))"""


def notifications_shown(page) -> list:
    for _ in range(50):
        shown = page.evaluate(NOTIFICATIONS_SHOWN)
        if shown:
            return shown
        page.wait_for_timeout(100)
    return []


def deliver_push(page, payload: dict) -> None:
    """What a push service does, through the DevTools protocol: the worker's push
    event gets `payload` (no push service is reachable from this machine)."""
    session = page.context.new_cdp_session(page)
    registrations = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    session.send("ServiceWorker.enable")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    for _ in range(50):
        if registrations:
            break
        page.wait_for_timeout(100)
    [registration] = [r for r in registrations if not r["isDeleted"]]
    origin = registration["scopeURL"].rstrip("/")
    session.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": origin,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )
    session.detach()


def test_a_patient_finds_notifications_and_a_visit_reminder_shows(
    app_page, live_server, patient, clinician
):
    page = app_page
    visit = booked_visit(patient, clinician)
    page.context.grant_permissions(["notifications"])
    sign_in(page, live_server, "patient")
    wait_for_worker_in_control(page)

    page.get_by_role("link", name="Notifications on this device").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("status")).to_have_text(
        "Notifications are off on this device."
    )
    page.get_by_label("Reminders before my video visits").check()
    expect(
        page.get_by_label("Show the names of my medicines in reminders")
    ).not_to_be_checked()
    assert serious_violations(page) == []
    shoot(page, "notifications-patient")

    # The reminder exactly as visits would send it, delivered to the worker.
    content = PushContent(
        title="Your video visit is soon",
        body="It starts Fri 4 Dec 2026, 10:30 (America/Chicago).",
        url=f"/visits/{visit.uuid}/",
        tag=f"visit-{visit.uuid}",
    )
    # Chromium sometimes drops a push delivered while the worker is starting up;
    # a push service retries, and the tag makes a repeat replace, not add.
    for _ in range(3):
        deliver_push(page, content.payload_for(PushSubscription()))
        shown = notifications_shown(page)
        if shown:
            break
    assert shown == [
        [
            "Your video visit is soon",
            "It starts Fri 4 Dec 2026, 10:30 (America/Chicago).",
            f"/visits/{visit.uuid}/",
        ]
    ]


def test_a_visitor_finds_alerts_for_their_area_from_any_page(page, live_server):
    AlertArea.objects.create(name="North campus", slug="north-campus")
    AlertArea.objects.create(name="South campus", slug="south-campus")
    page.goto(live_server.url + "/")

    page.get_by_role("link", name="Notifications on this device").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    choices = page.get_by_role("group", name="Tell me about").get_by_role("checkbox")
    expect(choices).to_have_count(3)
    page.get_by_label("Public-health alerts for North campus").check()
    expect(
        page.get_by_label("Public-health alerts for South campus")
    ).not_to_be_checked()
    # Visit and medicine reminders are for signed-in patients only.
    expect(page.get_by_text("Reminders before my video visits")).to_have_count(0)
    assert serious_violations(page) == []
    shoot(page, "notifications-visitor")
