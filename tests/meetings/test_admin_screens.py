"""Issue 12 item 4: the meeting administrator's screens and the emails they send."""

import re
from datetime import UTC, datetime

import time_machine
from django.core import mail
from django.urls import reverse

from meetings import services
from meetings.models import Meeting
from meetings.services.invitations import send_invitation
from tests.meetings.conftest import NOW


def send_all(meeting: Meeting) -> None:
    for row in meeting.invitation_emails.filter(sent_at__isnull=True):
        send_invitation(invitation=row)


@time_machine.travel(NOW, tick=False)
def test_the_zone_picker_offers_the_persons_own_zone_first(client, specialist):
    client.force_login(specialist)
    html = client.get(reverse("meetings:schedule")).content.decode()
    select = html[html.index('id="id_time_zone"') :]
    options = re.findall(r'<option value="([^"]+)"', select)
    assert options[0] == "Europe/London"
    assert options.count("Europe/London") == 1
    assert 'label="Your time zone"' in select
    assert "Asia/Kolkata" in options
    # Readable labels with the offset, and the filter box for scripts.
    assert "Asia/Kolkata (UTC+05:30)" in select
    assert 'data-filter-for="id_time_zone"' in html
    assert "js/meetings/pickers.js" in html


@time_machine.travel(NOW, tick=False)
def test_invitation_subjects_carry_the_title_and_the_recipients_time(
    make_meeting, specialist
):
    meeting = make_meeting(
        title="Quality committee",
        invitees=[specialist],
        guest_emails=["guest@outside.example"],
    )
    send_all(meeting)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    # 15:00 UTC: 16:00 in London (the specialist), 11:00 in New York (the
    # meeting's zone, for the guest who has no account).
    assert subjects["specialist@example.org"] == (
        "Invitation: Quality committee, Wed 10 Jun 2026, 16:00 (Europe/London)"
    )
    assert subjects["guest@outside.example"] == (
        "Invitation: Quality committee, Wed 10 Jun 2026, 11:00 (America/New_York)"
    )
    body = mail.outbox[0].body
    assert "Wed 10 Jun 2026" in body

    mail.outbox.clear()
    occurrence = meeting.occurrences.get()
    services.move_occurrence(
        occurrence=occurrence,
        start=datetime(2026, 6, 11, 15, 0, tzinfo=UTC),
        duration_minutes=60,
    )
    services.cancel_occurrence(occurrence=occurrence)
    send_all(meeting)
    subjects = sorted(m.subject for m in mail.outbox if m.to == [specialist.email])
    assert subjects == [
        "Cancelled: Quality committee on Thu 11 Jun 2026, 16:00 (Europe/London)",
        "Updated: Quality committee, now Thu 11 Jun 2026, 16:00 (Europe/London)",
    ]


@time_machine.travel(NOW, tick=False)
def test_care_coordination_subjects_stay_generic(make_meeting, specialist):
    meeting = make_meeting(
        kind=Meeting.Kind.CARE_COORDINATION,
        title="Plan for Mrs Jones, bed 4",
        invitees=[specialist],
    )
    services.cancel_meeting(meeting=meeting)
    send_all(meeting)
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "Invitation: Care coordination meeting, Wed 10 Jun 2026, 16:00 (Europe/London)",
        "Cancelled: Care coordination meeting (every date)",
    ]
    assert all("Jones" not in m.body and "bed 4" not in m.body for m in mail.outbox)


@time_machine.travel(NOW, tick=False)
def test_cancelling_a_date_asks_first_and_says_when_in_my_zone(
    client, make_meeting, specialist
):
    specialist_meeting = make_meeting(
        organizer=specialist,
        title="Weekly bed management",
        start=datetime(2026, 6, 11, 8, 0, tzinfo=UTC),
        recurrence_rule="FREQ=WEEKLY;COUNT=3",
    )
    second = specialist_meeting.occurrences.order_by("start")[1]
    url = reverse(
        "meetings:cancel_occurrence", args=[specialist_meeting.uuid, second.uuid]
    )
    client.force_login(specialist)
    detail = client.get(reverse("meetings:detail", args=[specialist_meeting.uuid]))
    assert f'href="{url}"' in detail.content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Cancel this date?" in html
    # 08:00 UTC on 18 June is 09:00 in London.
    assert "Thu 18 Jun 2026, 09:00 (Europe/London)" in html
    second.refresh_from_db()
    assert not second.is_cancelled
    response = client.post(url)
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.is_cancelled
    assert specialist_meeting.occurrences.filter(is_cancelled=False).count() == 2


@time_machine.travel(NOW, tick=False)
def test_cancelling_every_date_asks_first(client, make_meeting, meeting_admin):
    meeting = make_meeting(recurrence_rule="FREQ=WEEKLY;COUNT=3")
    url = reverse("meetings:cancel", args=[meeting.uuid])
    client.force_login(meeting_admin)
    html = client.get(url).content.decode()
    assert "Cancel every date?" in html
    assert "all 3 remaining dates" in html
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    client.post(url)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


@time_machine.travel(NOW, tick=False)
def test_hosts_get_a_copyable_guest_link(client, make_meeting, meeting_admin):
    meeting = make_meeting(guest_emails=["guest@outside.example"])
    client.force_login(meeting_admin)
    html = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    link = services.guest_link(meeting.guests.get())
    assert re.search(
        rf'<input type="text" id="guest-link-1" value="{re.escape(link)}"', html
    )
    assert 'data-copy="guest-link-1"' in html
