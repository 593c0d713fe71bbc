"""Clinic set-up in the Wagtail admin (visits/wagtail_hooks.py): site administrators
configure visit types, consent versions, clinics and hours there; a consent version
is published, never edited; visit types are withdrawn, never deleted."""

from datetime import UTC, datetime, time

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.conftest import make_person
from tests.visits.factories import open_clinic, visit_type
from visits.models import ConsentDocument, VisitType, WeeklyHours


@pytest.fixture
def clinic_admin(db):
    """A site administrator who is not a superuser: only the role's permissions."""
    return make_person("clinic_admin", [Role.SITE_ADMINISTRATOR], totp=True)


def test_every_screen_lists_for_the_site_administrator(client, clinic_admin, clinician):
    open_clinic(clinician)
    client.force_login(clinic_admin)
    for name in (
        "visit_types",
        "consent_versions",
        "clinician_profiles",
        "weekly_hours",
        "schedule_exceptions",
    ):
        page = client.get(reverse(f"{name}:index"))
        assert page.status_code == 200, name
    visit_types = client.get(reverse("visit_types:index")).content.decode()
    assert VisitType.objects.get(code="wellness").name in visit_types
    hours = client.get(reverse("weekly_hours:index")).content.decode()
    assert str(clinician) in hours


def test_publishing_a_consent_version_adds_one_and_never_edits(client, clinic_admin):
    visit_type()  # the standard catalogue, with consent version 1
    first = ConsentDocument.objects.get()
    client.force_login(clinic_admin)

    index = client.get(reverse("consent_versions:index")).content.decode()
    assert "Publish a new version" in index
    answer = client.post(
        reverse("consent_versions:add"), {"text": "Version two of the consent."}
    )
    assert answer.status_code == 302
    newest = ConsentDocument.objects.order_by("-version").first()
    assert (newest.version, newest.text) == (2, "Version two of the consent.")
    assert newest.published_at is not None

    # Neither the edit nor the delete screen lets anything through.
    for action in ("edit", "delete"):
        url = reverse(f"consent_versions:{action}", args=[first.pk])
        assert client.get(url).status_code == 302
        client.post(url, {"text": "Rewritten."})
    first.refresh_from_db()
    assert first.text != "Rewritten."
    assert ConsentDocument.objects.count() == 2


def test_a_visit_type_is_edited_but_never_deleted(client, clinic_admin):
    kind = visit_type()
    client.force_login(clinic_admin)
    edit = client.get(reverse("visit_types:edit", args=[kind.pk]))
    assert edit.status_code == 200
    assert reverse("visit_types:delete", args=[kind.pk]) not in edit.content.decode()
    client.post(reverse("visit_types:delete", args=[kind.pk]))
    assert VisitType.objects.filter(pk=kind.pk).exists()


def test_weekly_hours_are_added_here(client, clinic_admin, clinician, patient):
    client.force_login(clinic_admin)
    form = client.get(reverse("weekly_hours:add")).content.decode()
    offered = form[form.index('name="clinician"') : form.index('name="weekday"')]
    assert str(clinician) in offered
    assert str(patient) not in offered  # only clinicians have hours
    answer = client.post(
        reverse("weekly_hours:add"),
        {
            "clinician": clinician.pk,
            "weekday": 2,
            "start_time": "09:00",
            "end_time": "12:00",
        },
    )
    assert answer.status_code == 302
    row = WeeklyHours.objects.get(clinician=clinician)
    assert (row.weekday, row.start_time, row.end_time) == (2, time(9), time(12))
    # Through the schedule service: hours overlapping that day's are refused, with
    # its sentence, and nothing is saved.
    overlapping = client.post(
        reverse("weekly_hours:add"),
        {
            "clinician": clinician.pk,
            "weekday": 2,
            "start_time": "11:00",
            "end_time": "13:00",
        },
    )
    assert "overlap" in overlapping.content.decode()
    assert WeeklyHours.objects.filter(clinician=clinician).count() == 1
    # Hours are withdrawn and added again, never edited.
    assert client.get(reverse("weekly_hours:edit", args=[row.pk])).status_code == 302


def test_other_staff_do_not_get_the_screens(client, editor, clinician):
    client.force_login(editor)
    refused = client.get(reverse("visit_types:index"))
    # Wagtail's own views: a redirect to the dashboard with its message.
    assert (refused.status_code, refused.url) == (302, "/admin/")
    client.force_login(clinician)  # no Wagtail admin at all
    assert client.get(reverse("visit_types:index")).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # Slots of no length would never end a day's list.
        ("duration_minutes", "0", "greater than or equal to 5"),
        ("intake_questions", '{"key": "pain"}', "intake questions as a list"),
        (
            "intake_questions",
            '[{"key": "pain", "text": ""}]',
            "intake questions as a list",
        ),
    ],
)
def test_a_visit_type_that_would_break_booking_is_refused(
    client, clinic_admin, field, value, message
):
    client.force_login(clinic_admin)
    data = {
        "name": "Back pain",
        "code": "back-pain",
        "duration_minutes": "20",
        "questionnaire": "",
        "intake_questions": '[{"key": "pain", "text": "Where does it hurt?"}]',
        "eligibility_notes": "Adults.",
        "is_active": "on",
        field: value,
    }
    refused = client.post(reverse("visit_types:add"), data)
    assert refused.status_code in (200, 400)
    assert message in refused.content.decode()
    assert not VisitType.objects.filter(code="back-pain").exists()


def test_extra_hours_need_their_times(client, clinic_admin, clinician):
    client.force_login(clinic_admin)
    url = reverse("schedule_exceptions:add")
    base = {"clinician": clinician.pk, "date": "2026-07-01", "kind": "extra"}
    client.post(url, base)
    client.post(url, {**base, "kind": "unavailable", "start_time": "09:00"})
    client.post(url, {**base, "start_time": "12:00", "end_time": "09:00"})
    assert not clinician.schedule_exceptions.exists()
    refused = client.post(url, base)
    assert "Extra hours need a start and an end time." in refused.content.decode()
    client.post(url, {**base, "start_time": "09:00", "end_time": "12:00"})
    assert clinician.schedule_exceptions.count() == 1


def test_listed_times_are_in_the_viewers_zone_and_say_so(client, clinic_admin):
    visit_type()  # consent version 1
    ConsentDocument.objects.update(
        published_at=datetime(2026, 12, 5, 22, 11, tzinfo=UTC)
    )
    clinic_admin.time_zone = "Asia/Kolkata"  # UTC+05:30: the half hour shows
    clinic_admin.save()
    client.force_login(clinic_admin)
    index = client.get(reverse("consent_versions:index")).content.decode()
    assert "Sun 6 Dec 2026, 03:41 (Asia/Kolkata)" in index


def test_the_screens_refuse_what_they_do_not_offer_even_to_a_superuser(
    client, site_admin, clinician
):
    """ActionsPermissionPolicy, not the role table: a superuser holds every
    permission, and still cannot delete a visit type or rewrite a consent."""
    kind = visit_type()
    consent = ConsentDocument.objects.get()
    open_clinic(clinician)
    hours = WeeklyHours.objects.filter(clinician=clinician).first()
    client.force_login(site_admin)
    for url in (
        reverse("visit_types:delete", args=[kind.pk]),
        reverse("consent_versions:edit", args=[consent.pk]),
        reverse("consent_versions:delete", args=[consent.pk]),
        reverse("weekly_hours:edit", args=[hours.pk]),
    ):
        assert client.get(url).status_code == 302, url
        client.post(url, {"text": "Rewritten."})
    assert VisitType.objects.filter(pk=kind.pk).exists()
    consent.refresh_from_db()
    assert consent.text != "Rewritten."
