import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from accounts.models import ProfessionalIdentifier
from courses.models import ActivityPage, ActivityPerson
from tests.courses import factories
from tests.courses.conftest import evaluate, pass_post_test, watch_all

pytestmark = pytest.mark.django_db


def edit_data(page: ActivityPage, people, *, publish: bool) -> dict:
    designation = page.designations.get()
    links = list(page.people.all())
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "activity_format": page.activity_format,
            "summary": page.summary,
            "objectives": page.objectives,
            "target_audience": page.target_audience,
            "estimated_minutes": page.estimated_minutes,
            "release_date": page.release_date.isoformat(),
            "last_review_date": "",
            "termination_date": page.termination_date.isoformat(),
            "time_zone": page.time_zone,
            "location": "",
            "session_starts_at": "",
            "session_ends_at": "",
            "code_word": "",
            "provider_name": page.provider_name,
            "joint_provider_name": "",
            "pass_mark": page.pass_mark,
            "max_attempts": page.max_attempts,
            "reveal_answers": page.reveal_answers,
            "questions": streamfield([]),
            "designations": inline_formset(
                [
                    {
                        "id": designation.pk,
                        "credit_type": designation.credit_type,
                        "max_amount": str(designation.max_amount),
                    }
                ],
                initial=1,
            ),
            "people": inline_formset(
                [
                    {"id": link.pk, "person": link.person.pk, "role": "faculty"}
                    for link in links
                ]
                + [{"person": who.pk, "role": "planner"} for who in people],
                initial=len(links),
            ),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    return data


def test_publishing_with_an_expired_disclosure_is_refused_with_the_reason(
    client, site_admin
):
    page = factories.activity()
    stale = factories.person(
        "Dr Stale", collected_on=timezone.localdate() - relativedelta(months=13)
    )
    client.force_login(site_admin)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    refused = client.post(edit_url, edit_data(page, [stale], publish=True))
    assert refused.status_code == 200
    assert "The disclosure of Dr Stale was collected on" in refused.content.decode()
    assert not page.people.filter(person=stale).exists()
    draft = client.post(edit_url, edit_data(page, [stale], publish=False))
    assert draft.status_code == 302
    fresh = factories.person("Dr Fresh")
    published = client.post(edit_url, edit_data(page, [fresh], publish=True))
    assert published.status_code == 302
    assert page.people.filter(person=fresh).exists()


def test_reports_show_enrolments_evaluations_and_expired_disclosures(
    client, coordinator, ready_to_claim, clinician
):
    page = ready_to_claim.activity
    stale = factories.person(
        "Dr Stale", collected_on=timezone.localdate() - relativedelta(months=13)
    )
    ActivityPerson.objects.create(activity=page, person=stale, role="planner")
    client.force_login(coordinator)
    index = client.get(reverse("courses_reports")).content.decode()
    assert page.title in index
    assert "The disclosure of Dr Stale" in index
    detail = client.get(reverse("courses_report", args=[page.uuid])).content.decode()
    assert "I will ask patients for home blood pressure logs." in detail
    assert clinician.display_name in detail
    export = client.get(reverse("courses_acknowledgements", args=[page.uuid]))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][0] == "learner"
    assert rows[1][2] == str(ready_to_claim.uuid)
    assert "No relevant financial relationships." in rows[1][5]


def test_reports_are_for_coordinators_only(client, editor, activity_page):
    client.force_login(editor)
    # accounts.permissions: without the permission a staff screen is not found.
    assert client.get(reverse("courses_reports")).status_code == 404
    assert (
        client.get(reverse("courses_report", args=[activity_page.uuid])).status_code
        == 404
    )


def claimed(enrolment):
    from courses import services

    watch_all(enrolment)
    pass_post_test(enrolment)
    evaluate(enrolment)
    return services.claim_credit(
        enrolment=enrolment,
        credit_type="ama_pra_1",
        amount=Decimal("1.0"),
        attested=True,
    )


def test_export_pars_lists_reportable_and_blocked_rows(
    activity_page, clinician, specialist, capsys
):
    from courses import services

    clinician.board_reporting_consent_at = timezone.now()
    clinician.birth_month, clinician.birth_day = 4, 17
    clinician.save()
    ProfessionalIdentifier.objects.create(
        user=clinician, kind="board", issuer="ABIM", number="246810"
    )
    specialist.profession = "physician"
    specialist.save()
    claimed(services.enrol(learner=clinician, activity=activity_page))
    claimed(services.enrol(learner=specialist, activity=activity_page))
    later = timezone.now() + datetime.timedelta(days=31)
    with time_machine.travel(later):
        call_command("export_pars", activity_page.slug)
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1
    assert rows[0]["board_id"] == "246810"
    assert (rows[0]["first_name"], rows[0]["last_name"]) == ("Dana", "Clinician")
    assert (rows[0]["birth_month"], rows[0]["birth_day"]) == ("4", "17")
    assert rows[0]["amount"] == "1.00"
    assert rows[0]["older_than_30_days"] == "yes"
    assert (
        "Specialist (AMA PRA Category 1 Credit™): no consent to board reporting; "
        "missing board ID; missing birth month and day"
    ) in err
    assert "1 completion(s) are older than 30 days" in err


def test_export_pars_unknown_activity():
    with pytest.raises(CommandError, match="No CME activity"):
        call_command("export_pars", "nope")


def test_pars_downloads_from_the_report_with_the_blocked_rows_on_the_page(
    client, coordinator, activity_page, clinician, specialist, capsys
):
    from courses import services

    clinician.board_reporting_consent_at = timezone.now()
    clinician.birth_month, clinician.birth_day = 4, 17
    clinician.time_zone = "Asia/Kolkata"
    clinician.save()
    ProfessionalIdentifier.objects.create(
        user=clinician, kind="board", issuer="ABIM", number="246810"
    )
    specialist.profession = "physician"
    specialist.save()
    claimed(services.enrol(learner=clinician, activity=activity_page))
    claimed(services.enrol(learner=specialist, activity=activity_page))
    coordinator.time_zone = "Asia/Kolkata"
    coordinator.save()
    client.force_login(coordinator)
    report = client.get(reverse("courses_report", args=[activity_page.uuid]))
    page = report.content.decode()
    assert (
        f"<title>CME report: {activity_page.title} - " in page
        or f"<title>CME report: {activity_page.title}" in page
    )
    assert "1 completion is in the file." in page
    assert "no consent to board reporting; missing board ID" in page
    assert "(Asia/Kolkata)" in page
    download = client.get(reverse("courses_pars", args=[activity_page.uuid]))
    assert download["Content-Disposition"] == (
        f'attachment; filename="pars-{activity_page.slug}.csv"'
    )
    call_command("export_pars", activity_page.slug)
    out, _err = capsys.readouterr()
    assert download.content.decode() == out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["board_id"] for row in rows] == ["246810"]


def test_the_reports_index_has_a_tab_title(client, coordinator, activity_page):
    client.force_login(coordinator)
    page = client.get(reverse("courses_reports")).content.decode()
    assert "<title>CME reports - " in page
