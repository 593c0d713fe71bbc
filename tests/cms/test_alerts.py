import datetime

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cms import services, tasks
from cms.models import Alert, AlertSeverity, AlertSubscription
from tests.cms.factories import make_alert
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def _banner_titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text() for a in soup.select(".alert-banner .alert__title a")]


def test_active_alerts_show_on_every_page_most_severe_first(client):
    make_alert(title="Information alert", severity=AlertSeverity.INFORMATION)
    make_alert(title="Emergency alert", severity=AlertSeverity.EMERGENCY)
    make_alert(title="Draft alert", severity=AlertSeverity.EMERGENCY, publish=False)
    expected = ["Emergency alert", "Information alert"]
    assert _banner_titles(client.get("/")) == expected
    # Pages of other apps extend base.html and get the banner too.
    assert _banner_titles(client.get(reverse("account_login"))) == expected


def test_alert_disappears_by_itself_at_its_end(client, page_cache):
    now = timezone.now()
    # Well inside the page cache's 5-minute lifetime: the cache must not outlive it.
    make_alert(title="Boil water notice", end=now + datetime.timedelta(minutes=2))
    assert _banner_titles(client.get("/")) == ["Boil water notice"]
    with time_machine.travel(now + datetime.timedelta(minutes=3)):
        assert _banner_titles(client.get("/")) == []


def test_future_alert_appears_at_its_start(client, page_cache):
    now = timezone.now()
    make_alert(
        title="Clinic closed for snow",
        start=now + datetime.timedelta(minutes=1),
        end=now + datetime.timedelta(hours=5),
    )
    assert _banner_titles(client.get("/")) == []
    with time_machine.travel(now + datetime.timedelta(minutes=2)):
        assert _banner_titles(client.get("/")) == ["Clinic closed for snow"]


def test_alert_ending_before_it_starts_is_refused():
    now = timezone.now()
    alert = Alert(title="Bad", body="<p>x</p>", start=now, end=now, live=False)
    with pytest.raises(ValidationError) as error:
        alert.full_clean()
    assert error.value.message_dict["end"] == [
        "The end must be later than the start of the alert."
    ]


def test_admin_refuses_alert_ending_before_start_with_a_message(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_cms_alert:add"),
        {
            "title": "Backwards alert",
            "severity": AlertSeverity.WARNING,
            "areas": "",
            "body": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Stay '
            'home.", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], '
            '"entityMap": {}}',
            "links-count": "0",
            "start": "2026-12-02 10:00",
            "end": "2026-12-01 10:00",
        },
    )
    assert response.status_code == 200
    assert "The end must be later than the start of the alert." in (
        response.content.decode()
    )
    assert not Alert.objects.filter(title="Backwards alert").exists()


def test_atom_feed_lists_active_alerts(client):
    make_alert(title="Measles exposure at North clinic")
    make_alert(title="Old alert", start=timezone.now() - datetime.timedelta(days=3),
               end=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    response = client.get("/alerts/feed.atom")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10"
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == [
        "Advisory: Measles exposure at North clinic"
    ]
    alert = Alert.objects.get(title="Measles exposure at North clinic")
    assert feed.entries[0].id == f"urn:uuid:{alert.uuid}"
    assert feed.entries[0].link.endswith(f"/alerts/{alert.uuid}/")


def test_alerts_are_published_as_json_in_the_api(client):
    alert = make_alert(title="Heat advisory", areas="Travis County")
    data = client.get("/api/v2/alerts/").json()
    assert data["meta"]["total_count"] == 1
    item = data["items"][0]
    assert item["id"] == str(alert.uuid)
    assert item["severity"] == "advisory"
    assert item["areas"] == "Travis County"
    assert item["end"] == alert.end.isoformat()


def test_alert_page_is_found_by_uuid_only(client):
    alert = make_alert()
    assert client.get(alert.get_absolute_url()).status_code == 200
    assert client.get(f"/alerts/{alert.pk}/").status_code == 404
    draft = make_alert(publish=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_publishing_notifies_subscribers_once(
    django_capture_on_commit_callbacks, mailoutbox, patient, clinician
):
    services.subscribe_to_alerts(user=patient, language="en")
    services.subscribe_to_alerts(user=clinician, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        alert = make_alert(title="Measles exposure", areas="North clinic")
    assert sorted(m.to[0] for m in mailoutbox) == [clinician.email, patient.email]
    message = mailoutbox[0]
    assert message.subject == "Public-health Advisory: Measles exposure"
    assert f"/alerts/{alert.uuid}/" in message.body
    assert "Affected areas or facilities: North clinic." in message.body
    # The queue may run the task again (retry, duplicate): nobody gets a second email.
    assert tasks.notify_alert_subscribers_task(str(alert.uuid)) == 0
    assert len(mailoutbox) == 2


def test_subscribe_and_unsubscribe_from_the_alerts_page(client, patient):
    client.force_login(patient)
    client.post(reverse("cms:alert_subscription"), {"subscribe": "1"})
    assert AlertSubscription.objects.filter(user=patient).exists()
    response = client.get(reverse("cms:alert_list"))
    assert "Stop alert emails" in response.content.decode()
    client.post(reverse("cms:alert_subscription"), {"subscribe": "0"})
    assert not AlertSubscription.objects.filter(user=patient).exists()


def test_visitors_must_sign_in_to_subscribe(client):
    response = client.post(reverse("cms:alert_subscription"), {"subscribe": "1"})
    assert response.status_code == 302
    assert not AlertSubscription.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_notification_tasks_send_each_email_once(mailoutbox, patient):
    services.subscribe_to_alerts(user=patient, language="en")
    alert = make_alert()
    Alert.objects.filter(pk=alert.pk).update(notified_at=None)
    mailoutbox.clear()
    results = run_at_once(
        [lambda: tasks.notify_alert_subscribers_task(str(alert.uuid)) for _ in range(2)]
    )
    assert sorted(results) == [0, 1]
    assert len(mailoutbox) == 1


def test_editor_manages_alerts_in_the_admin(client, editor):
    make_alert(title="Heat advisory")
    client.force_login(editor)
    listing = client.get(reverse("wagtailsnippets_cms_alert:list"), {"q": "heat"})
    assert listing.status_code == 200
    assert "Heat advisory" in listing.content.decode()
    assert client.get(reverse("wagtailsnippets_cms_alert:add")).status_code == 200
